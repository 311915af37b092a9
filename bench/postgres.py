"""The ingest and search stages on PostgreSQL, beside SQLite's: issue 13.

Runs on the server named by TEST_POSTGRES_URL (its user may create and drop
databases; ``scripts/test_servers.sh start DIR`` makes a throwaway one); without
it, says so in one line and measures nothing.

- ingest: the generated 1,000 articles by one ``python -m quotes ingest`` process,
  then cut in two halves that two processes ingest at once into one database
  (two machines' workers on one server, here two processes on two cores); both
  ways on PostgreSQL, then on a SQLite file;
- search: the synthetic fill (``bench.fill``) to 1,000,000 quotes, then speaker and
  full-text search p50/p95, one API page and the CSV export, as ``bench.search``
  measures them on SQLite.

    TEST_POSTGRES_URL=postgresql+psycopg://... python -m bench.postgres
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import REPO_ROOT, log, publish
from .ingest import _quotes_cli, _summary, corpus_file
from .search import QUERIES, latency_lines, measure_csv, measure_searches

SERVER_ENV = "TEST_POSTGRES_URL"


def _counts(url: str) -> dict:
    from sqlalchemy import func, select

    from quotes.db import make_engine
    from quotes.models import Document, Quote

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {"stored_documents": connection.scalar(select(func.count()).select_from(Document)),
                    "stored_quotes": connection.scalar(select(func.count()).select_from(Quote))}
    finally:
        engine.dispose()


def _ingest_processes(url: str, parts: list[Path], model: str) -> dict:
    """``python -m quotes ingest`` of each of ``parts`` at once, one process each, into ``url``: wall clock."""
    _quotes_cli(url, "db", "upgrade")
    env = dict(os.environ, DATABASE_URL=url)
    started = time.perf_counter()
    processes = [subprocess.Popen(
        [sys.executable, "-m", "quotes", "--database-url", url, "ingest", str(part), "--workers", "1",
         "--model", model, "--no-progress"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    ) for part in parts]
    outputs = [process.communicate() for process in processes]
    seconds = time.perf_counter() - started
    for process, (_, err) in zip(processes, outputs):
        if process.returncode not in (0, 1):
            raise RuntimeError(f"ingest failed ({process.returncode}):\n{err[-3000:]}")
    documents = sum(1 for part in parts for line in part.open(encoding="utf-8") if line.strip())
    return {"processes": len(parts), "documents": documents, "seconds": seconds, "docs_per_s": documents / seconds,
            "summaries": [_summary(out) for out, _ in outputs], **_counts(url)}


def _halves(corpus: Path, directory: Path) -> list[Path]:
    lines = [line for line in corpus.read_text(encoding="utf-8").splitlines(keepends=True) if line.strip()]
    middle = len(lines) // 2
    parts = [directory / f"{corpus.stem}-a.jsonl", directory / f"{corpus.stem}-b.jsonl"]
    parts[0].write_text("".join(lines[:middle]), encoding="utf-8")
    parts[1].write_text("".join(lines[middle:]), encoding="utf-8")
    return parts


def measure_ingest(server, articles: int, model: str, directory: Path) -> dict:
    corpus = corpus_file(articles)
    halves = _halves(corpus, directory)
    runs = {}
    for backend in ("postgresql", "sqlite"):
        for label, parts in (("one", [corpus]), ("two", halves)):
            if backend == "postgresql":
                url = server.create_database()
            else:
                url = f"sqlite:///{directory / f'ingest-{label}.db'}"
            log(f"postgresql: ingest of {articles} articles on {backend}, {len(parts)} process(es)")
            try:
                runs[f"{backend} {label}"] = _ingest_processes(url, parts, model)
            finally:
                if backend == "postgresql":
                    server.drop_database(url)
    return runs


def measure_search(server, size: int, seed: int) -> dict:
    from sqlalchemy import text

    from quotes.migrate import upgrade

    from .fill import Filler, sample_check

    url = server.create_database()
    try:
        upgrade(url)
        filler = Filler(url, seed)
        log(f"postgresql: filling to {size:,} quotes")
        started = time.perf_counter()
        counts = filler.fill_to(size)
        fill_seconds = time.perf_counter() - started
        sample_check(filler.engine)
        with filler.engine.connect() as connection:
            db_mib = connection.execute(text("SELECT pg_database_size(current_database())")).scalar() / 2**20
            version = connection.execute(text("SHOW server_version")).scalar()
        filler.engine.dispose()
        log(f"postgresql: {size:,} quotes filled in {fill_seconds:.0f} s; searching")
        entry = {"size": size, "server_version": version,
                 "fill": {**counts, "seconds": fill_seconds, "db_mib": db_mib}}
        entry.update(measure_searches(url, seed))
        log(f"postgresql: exporting {size:,} quotes as CSV")
        entry["csv"] = measure_csv(url, counts["quotes"], curve=False)
        return entry
    finally:
        server.drop_database(url)


def run(articles: int, size: int, model: str, seed: int = 0) -> dict:
    url = os.environ.get(SERVER_ENV)
    if not url:
        return {"skipped": f"no PostgreSQL server configured ({SERVER_ENV} is not set): nothing measured"}
    sys.path.insert(0, str(REPO_ROOT))
    from tests.postgres import PostgresServer  # the tests' own databases-on-a-server helper

    server = PostgresServer(url)
    try:
        with tempfile.TemporaryDirectory(prefix="quotes-bench-postgres-") as tmp:
            ingest = measure_ingest(server, articles, model, Path(tmp))
        search = measure_search(server, size, seed)
    finally:
        server.close()
    return {"model": model, "ingest": ingest, "search": search}


def two_vs_one(runs: dict, backend: str) -> float:
    return runs[f"{backend} one"]["seconds"] / runs[f"{backend} two"]["seconds"]


def report(result: dict) -> str:
    if "skipped" in result:
        return f"postgresql: skipped: {result['skipped']}"
    search = result["search"]
    lines = [f"PostgreSQL {search['server_version']} (throwaway cluster on loopback, scripts/test_servers.sh),"
             f" ingest [{result['model']}] and search"]
    runs = result["ingest"]
    for key, r in runs.items():
        errors = sum(s["errors"] or 0 for s in r["summaries"])
        lines.append(
            f"  ingest {r['documents']:,} articles, {key:<15} process(es): {r['seconds']:6.1f} s {r['docs_per_s']:6.1f} docs/s"
            f"  ({r['stored_documents']:,} documents, {r['stored_quotes']:,} quotes stored, errors {errors})"
        )
    lines.append(f"  two ingest processes vs one: PostgreSQL {two_vs_one(runs, 'postgresql'):.2f}x,"
                 f" SQLite {two_vs_one(runs, 'sqlite'):.2f}x")
    fill = search["fill"]
    lines.append(f"  {search['size']:,} quotes ({fill['documents']:,} documents, {fill['speakers']:,} speakers,"
                 f" {fill['db_mib']:.0f} MiB, filled in {fill['seconds']:.0f} s); p50/p95 over {QUERIES} queries each")
    lines += latency_lines(search)
    csv = search["csv"]
    lines.append(f"    CSV export {csv['rows']:,} rows: `python -m quotes export` {csv['cli_rows_per_s']:,.0f} rows/s"
                 f" ({csv['cli_seconds']:.1f} s, peak RSS {csv['cli_peak_rss_mib']:.0f} MiB)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--model", default="fr_core_news_sm")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(args.articles, args.size, args.model, args.seed)
    publish("postgresql", result, report(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
