"""End-to-end ingest through the CLI: generated articles into a fresh migrated SQLite file.

For each size, ``python -m quotes db upgrade`` then ``python -m quotes ingest FILE.jsonl``
are run as a user would run them, and the wall-clock time of the ingest (model
loading included) gives documents/s. The first size is also run with one worker
(both cores against one; each way twice, alternately, the best of each compared)
and run again on the filled database (a resumed or repeated run skips what is stored).

    python -m bench.ingest --sizes 1000 10000
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import OUTPUT_DIR, REPO_ROOT, log, publish
from .corpus import write_corpus

SEED = 1


def corpus_file(n: int, seed: int = SEED) -> Path:
    """The generated corpus of ``n`` articles, written once under bench-out/."""
    path = OUTPUT_DIR / f"corpus-{n}-s{seed}.jsonl"
    if not path.exists():
        write_corpus(n, path, seed=seed)
    return path


def _quotes_cli(database_url: str, *args: str) -> tuple[float, str]:
    """Run ``python -m quotes ARGS``; (seconds, stdout)."""
    env = dict(os.environ, DATABASE_URL=database_url)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "quotes", "--database-url", database_url, *args],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode not in (0, 1):  # 1: some documents had errors, the summary says which
        raise RuntimeError(f"python -m quotes {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return seconds, result.stdout


def _summary(stdout: str) -> dict:
    numbers = {}
    for key, pattern in {
        "new": r"documents: (\d+) new", "existing": r"(\d+) already there",
        "quotes": r"quotes: (\d+)", "speakers": r"speakers: (\d+)", "errors": r"errors: (\d+)",
    }.items():
        match = re.search(pattern, stdout)
        numbers[key] = int(match.group(1)) if match else None
    # The summary lists each error indented under "errors: N"; keep the first few.
    numbers["first_errors"] = [line.strip() for line in stdout.splitlines() if line.startswith("  ")][:3]
    return numbers


def ingest_once(corpus: Path, workers: int, model: str, directory: Path, rerun: bool = False) -> dict:
    """Ingest ``corpus`` into a fresh database; with ``rerun``, ingest it a second time too."""
    db_path = directory / f"ingest-{corpus.stem}-w{workers}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db_path}"
    _quotes_cli(url, "db", "upgrade")
    args = ["ingest", str(corpus), "--workers", str(workers), "--model", model, "--no-progress"]
    seconds, stdout = _quotes_cli(url, *args)
    documents = sum(1 for line in corpus.open(encoding="utf-8") if line.strip())
    characters = sum(len(json.loads(line)["text"]) for line in corpus.open(encoding="utf-8") if line.strip())
    with sqlite3.connect(db_path) as connection:
        stored_documents = connection.execute("SELECT count(*) FROM documents").fetchone()[0]
        stored_quotes = connection.execute("SELECT count(*) FROM quotes").fetchone()[0]
    result = {
        "documents": documents,
        "characters": characters,
        "workers": workers,
        "model": model,
        "seconds": seconds,
        "docs_per_s": documents / seconds,
        "chars_per_s": characters / seconds,
        "summary": _summary(stdout),
        "stored_documents": stored_documents,
        "stored_quotes": stored_quotes,
        "db_mib": db_path.stat().st_size / 2**20,
    }
    if rerun:
        again, stdout = _quotes_cli(url, *args)
        result["rerun"] = {"seconds": again, "docs_per_s": documents / again, "summary": _summary(stdout)}
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return result


COMPARISON_TRIALS = 2  # 1 worker and N workers, alternately, on the first size; the best of each is compared


def run(sizes: list[int], workers: int, model: str) -> dict:
    runs = []
    with tempfile.TemporaryDirectory(prefix="quotes-bench-ingest-") as tmp:
        directory = Path(tmp)
        for index, n in enumerate(sizes):
            corpus = corpus_file(n)
            trials = COMPARISON_TRIALS if index == 0 and workers > 1 else 1
            for trial in range(trials):
                if index == 0 and workers > 1:
                    log(f"ingest: {n} articles, 1 worker")
                    runs.append(ingest_once(corpus, 1, model, directory))
                log(f"ingest: {n} articles, {workers} workers")
                runs.append(ingest_once(corpus, workers, model, directory, rerun=index == 0 and trial == trials - 1))
    return {"model": model, "runs": runs}


def speedup(result: dict) -> tuple[float, dict, dict] | None:
    """(gain, best 1-worker run, best N-worker run) on the size ingested both ways; None without both.

    The best of the alternating trials: another process taking a core slows a
    run down, never speeds it up, so the fastest run is the least disturbed.
    """
    single = [r for r in result["runs"] if r["workers"] == 1]
    if not single:
        return None
    size = single[0]["documents"]
    parallel = [r for r in result["runs"] if r["workers"] > 1 and r["documents"] == size]
    if not parallel:
        return None
    best_single = min(single, key=lambda r: r["seconds"])
    best_parallel = min(parallel, key=lambda r: r["seconds"])
    return best_single["seconds"] / best_parallel["seconds"], best_single, best_parallel


def report(result: dict) -> str:
    lines = [f"ingest through `python -m quotes ingest` [{result['model']}], fresh migrated SQLite database each"]
    parallel = [r for r in result["runs"] if r["workers"] > 1] or result["runs"]
    for r in result["runs"]:
        lines.append(
            f"  {r['documents']:>7,} articles, {r['workers']} worker(s): {r['seconds']:7.1f} s  {r['docs_per_s']:7.1f} docs/s"
            f"  {r['chars_per_s']:9,.0f} chars/s  ({r['stored_documents']:,} documents, {r['stored_quotes']:,} quotes stored,"
            f" {r['db_mib']:.0f} MiB, errors {r['summary']['errors']})"
        )
        lines += [f"          error: {error}" for error in r["summary"]["first_errors"]]
        if "rerun" in r:
            again = r["rerun"]
            lines.append(
                f"          the same file again: {again['seconds']:7.1f} s, {again['summary']['new']} new,"
                f" {again['summary']['existing']} already there"
            )
    compared = speedup(result)
    if compared:
        gain, single, best = compared
        lines.append(f"  {best['workers']} workers vs 1: {gain:.2f}x (best of {COMPARISON_TRIALS} alternating runs each:"
                     f" {best['seconds']:.1f} s vs {single['seconds']:.1f} s)")
    first, last = (compared[2] if compared else parallel[0]), parallel[-1]
    if last["documents"] != first["documents"]:
        per_doc = (last["seconds"] / last["documents"]) / (first["seconds"] / first["documents"])
        lines.append(
            f"  growth {first['documents']:,} -> {last['documents']:,} articles: time x{last['seconds'] / first['seconds']:.1f}"
            f" for x{last['documents'] / first['documents']:.0f} the articles (time per article x{per_doc:.2f})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--model", default="fr_core_news_sm")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(args.sizes, args.workers, args.model)
    publish("ingest", result, report(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
