"""Search and export at scale: latency percentiles at 100,000 and 1,000,000 quotes, CSV rows/s and memory.

The database is filled synthetically (``bench.fill``) into a fresh migrated SQLite
file, first to 100,000 quotes, then to 1,000,000. At each size:

- speaker search: ``search.page_of(quote_select(QuoteFilters(speaker=...)), 1, 20)``
  (the page and its total, as the API computes them), for full names, surnames
  and lower-case unaccented surnames of speakers drawn at random;
- full-text search: the same with ``q=`` one rare word, one common word, or two words;
- one page of ``GET /api/quotes`` through the Flask test client (no filter, speaker, q);
- ``python -m quotes export`` of every quote to /dev/null in a child process:
  rows/s and the child's peak RSS (its VmHWM; the same at every size if memory is flat); at
  the first size, also a child that samples its RSS every 10,000 rows of
  ``csv_export.iter_csv``.

    python -m bench.search --sizes 100000 1000000
"""
from __future__ import annotations

import argparse
import inspect
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .common import REPO_ROOT, log, percentile, publish

PER_PAGE = 20
QUERIES = 120  # per kind and size
WARM_UP = 10
TARGETS_MS = {"speaker": 20.0, "fts": 50.0}
CSV_TARGET_ROWS_PER_S = 100_000


def _latencies(call, arguments: list) -> list[float]:
    """Milliseconds of ``call(argument)`` for each argument, after a few untimed warm-up calls."""
    for argument in arguments[:WARM_UP]:
        call(argument)
    timings = []
    for argument in arguments:
        started = time.perf_counter()
        call(argument)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _figures(timings: list[float]) -> dict:
    return {
        "n": len(timings),
        "p50_ms": percentile(timings, 0.5),
        "p95_ms": percentile(timings, 0.95),
        "max_ms": max(timings),
    }


def speaker_queries(engine, rng: random.Random, n: int = QUERIES) -> list[str]:
    """Names as users type them: full names, surnames, lower case without accents."""
    from quotes.text import fold

    with engine.connect() as connection:
        names = [row[0] for row in connection.exec_driver_sql(
            "SELECT name FROM speakers WHERE id IN (SELECT DISTINCT speaker_id FROM quotes) ORDER BY id")]
    queries = []
    for name in rng.sample(names, min(n, len(names))):
        form = rng.randrange(3)
        surname = name.split(" ", 1)[1]
        queries.append(name if form == 0 else surname if form == 1 else fold(surname))
    return queries


def fts_queries(engine, rng: random.Random, n: int = QUERIES) -> list[tuple[str, str]]:
    """(kind, words): a third rare words, a third common words, a third two words of one quote."""
    from sqlalchemy import select

    from quotes.models import Quote

    with engine.connect() as connection:
        # Built, not written: the modulo is "%" to SQLite and "%%" to psycopg's placeholders.
        sample = list(connection.scalars(select(Quote.quote).where(Quote.id % 97 == 0).limit(5000)))
    tokenised = [[w.lower() for w in re.findall(r"\w{4,}", quote)] for quote in sample]
    counts = Counter(w for words in tokenised for w in words)
    common = [w for w, c in counts.most_common(200)]
    rare = sorted(w for w, c in counts.items() if c == 1)
    queries = []
    for i in range(n):
        kind = ("rare", "common", "two words")[i % 3]
        if kind == "rare":
            queries.append((kind, rng.choice(rare)))
        elif kind == "common":
            queries.append((kind, rng.choice(common)))
        else:
            words = rng.choice([w for w in tokenised if len(w) >= 2])
            queries.append((kind, " ".join(rng.sample(words, 2))))
    return queries


def measure_searches(url: str, seed: int) -> dict:
    from sqlalchemy.orm import Session

    from quotes.db import make_engine
    from quotes.search import QuoteFilters, page_of, quote_select

    engine = make_engine(url)
    rng = random.Random(seed)
    speakers = speaker_queries(engine, rng)
    words = fts_queries(engine, rng)

    # As the API calls it: given the session, quote_select may resolve a speaker to ids first.
    takes_session = "session" in inspect.signature(quote_select).parameters

    def search(filters: QuoteFilters):
        with Session(engine) as session:
            stmt = quote_select(filters, session=session) if takes_session else quote_select(filters)
            return page_of(session, stmt, 1, PER_PAGE)

    result = {
        "speaker": _figures(_latencies(lambda name: search(QuoteFilters(speaker=name)), speakers)),
        "fts": _figures(_latencies(lambda q: search(QuoteFilters(q=q[1])), words)),
    }
    for kind in ("rare", "common", "two words"):
        subset = [q for q in words if q[0] == kind]
        result[f"fts {kind}"] = _figures(_latencies(lambda q: search(QuoteFilters(q=q[1])), subset))
    # What the queries found, so a fast figure is not a fast "nothing".
    result["speaker"]["mean_total"] = sum(search(QuoteFilters(speaker=s))[1] for s in speakers[:30]) / 30
    result["fts"]["mean_total"] = sum(search(QuoteFilters(q=q[1]))[1] for q in words[:30]) / 30
    engine.dispose()
    result["api"] = measure_api(url, speakers, words)
    return result


def measure_api(url: str, speakers: list[str], words: list[tuple[str, str]]) -> dict:
    """One page of GET /api/quotes through the Flask test client."""
    from config import Config
    from quotes import create_app

    class BenchConfig(Config):
        SQLALCHEMY_DATABASE_URI = url
        RATELIMIT_ENABLED = False

    app = create_app(BenchConfig)
    client = app.test_client()

    def get(query: str):
        response = client.get(f"/api/quotes?per_page={PER_PAGE}&{query}")
        if response.status_code != 200:
            raise RuntimeError(f"/api/quotes?{query}: {response.status_code} {response.get_data(as_text=True)[:300]}")

    from urllib.parse import quote as urlquote

    pages = [f"page={1 + i % 50}" for i in range(len(speakers))]
    result = {
        "no filter": _figures(_latencies(get, pages)),
        "speaker": _figures(_latencies(get, [f"speaker={urlquote(s)}" for s in speakers])),
        "q": _figures(_latencies(get, [f"q={urlquote(q[1])}" for q in words])),
    }
    app.extensions["db"].dispose()
    return result


_CSV_CHILD = r"""
import json, os, re, sys, time
from quotes.csv_export import iter_csv
from quotes.db import Database
from quotes.search import QuoteFilters

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

database = Database(sys.argv[1])
samples, rows, chunks = [], 0, 0
started = time.perf_counter()
with database.session_scope() as session, open(os.devnull, "wb") as out:
    for chunk in iter_csv(session, QuoteFilters()):
        out.write(chunk.encode("utf-8"))
        rows += chunk.count("\r\n")  # a rough count: quotes may hold line breaks
        chunks += 1
        if chunks % 10 == 0:
            samples.append([rows, round(rss(), 1)])
seconds = time.perf_counter() - started
with open("/proc/self/status") as status:
    peak = int(re.search(r"VmHWM:\s*(\d+)", status.read()).group(1)) / 1024
print(json.dumps({"seconds": seconds, "rss_samples_mib": samples, "peak_rss_mib": peak}))
"""


# Runs `python -m quotes ARGS` in this interpreter and prints its peak RSS at exit. VmHWM
# is this process's own high-water mark: getrusage's ru_maxrss (and wait4's) would also
# count the parent's RSS at fork time, which Linux carries over into the child's maximum.
_PEAK_WRAPPER = r"""
import atexit, re, runpy, sys

def peak():
    with open("/proc/self/status") as status:
        kib = int(re.search(r"VmHWM:\s*(\d+)", status.read()).group(1))
    print(f"peak_rss_kib={kib}", file=sys.stderr, flush=True)

atexit.register(peak)
sys.argv = ["quotes", *sys.argv[1:]]
runpy.run_module("quotes", run_name="__main__", alter_sys=True)
"""


def measure_csv(url: str, rows: int, curve: bool = True) -> dict:
    """rows/s and peak RSS of `python -m quotes export`; with ``curve``, the RSS curve of iter_csv too."""
    env = dict(os.environ, DATABASE_URL=url)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _PEAK_WRAPPER, "--database-url", url, "export", "--output", os.devnull],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"python -m quotes export failed ({result.returncode}):\n{result.stderr[-3000:]}")
    peak = int(re.search(r"peak_rss_kib=(\d+)", result.stderr).group(1)) / 1024
    figures = {
        "rows": rows,
        "cli_seconds": seconds,
        "cli_rows_per_s": rows / seconds,
        "cli_peak_rss_mib": peak,
    }
    if curve:
        child = subprocess.run(
            [sys.executable, "-c", _CSV_CHILD, url], cwd=REPO_ROOT, env=env,
            capture_output=True, text=True, check=True,
        )
        samples = json.loads(child.stdout.strip().splitlines()[-1])
        figures.update({
            "iter_csv_seconds": samples["seconds"],
            "iter_csv_rows_per_s": rows / samples["seconds"],
            "iter_csv_peak_rss_mib": samples["peak_rss_mib"],
            "rss_samples_mib": samples["rss_samples_mib"],
        })
    return figures


def run(sizes: list[int], seed: int = 0, keep: str | None = None) -> dict:
    from quotes.migrate import upgrade

    from .fill import Filler, sample_check

    results = []
    with tempfile.TemporaryDirectory(prefix="quotes-bench-search-") as tmp:
        path = Path(keep) if keep else Path(tmp) / "search.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
        upgrade(url)
        filler = Filler(url, seed)
        for index, size in enumerate(sizes):
            log(f"search: filling to {size:,} quotes")
            started = time.perf_counter()
            counts = filler.fill_to(size)
            fill_seconds = time.perf_counter() - started
            sample_check(filler.engine)
            filler.engine.dispose()
            log(f"search: {size:,} quotes filled in {fill_seconds:.0f} s; searching")
            entry = {"size": size, "fill": {**counts, "seconds": fill_seconds, "db_mib": path.stat().st_size / 2**20}}
            entry.update(measure_searches(url, seed))
            log(f"search: exporting {size:,} quotes as CSV")
            # The RSS curve once (the smallest size, cheaply); the peak RSS of every size shows whether it grows.
            entry["csv"] = measure_csv(url, counts["quotes"], curve=index == 0)
            results.append(entry)
    return {"sizes": results}


def latency_lines(entry: dict) -> list[str]:
    """The search and API latencies of one size, a line each."""
    lines = []
    for key, label in (("speaker", "speaker search"), ("fts", "full-text search"), ("fts rare", "  one rare word"),
                       ("fts common", "  one common word"), ("fts two words", "  two words")):
        f = entry[key]
        target = TARGETS_MS.get(key)
        ratio = f" (target p95 <= {target:.0f} ms: {f['p95_ms'] / target:.2f} of it)" if target else ""
        found = f", {f['mean_total']:.0f} quotes found on average" if "mean_total" in f else ""
        lines.append(f"    {label:<18} p50 {f['p50_ms']:7.2f} ms  p95 {f['p95_ms']:7.2f} ms  max {f['max_ms']:7.1f} ms"
                     f"{ratio}{found}")
    for key, f in entry["api"].items():
        lines.append(f"    GET /api/quotes {key:<9} p50 {f['p50_ms']:7.2f} ms  p95 {f['p95_ms']:7.2f} ms  max {f['max_ms']:7.1f} ms")
    return lines


def report(result: dict) -> str:
    lines = ["search and export (synthetic fill: real corpus quotes, Zipf speakers; p50/p95 over "
             f"{QUERIES} queries each, page size {PER_PAGE}, total counted)"]
    for entry in result["sizes"]:
        fill = entry["fill"]
        lines.append(
            f"  {entry['size']:,} quotes ({fill['documents']:,} documents, {fill['speakers']:,} speakers,"
            f" {fill['db_mib']:.0f} MiB, filled in {fill['seconds']:.0f} s)"
        )
        lines += latency_lines(entry)
        csv = entry["csv"]
        samples = csv.get("rss_samples_mib", [])
        curve = ", ".join(f"{rows // 1000}k: {mib:.0f}" for rows, mib in samples[:: max(1, len(samples) // 5)])
        lines.append(
            f"    CSV export {csv['rows']:,} rows: `python -m quotes export` {csv['cli_rows_per_s']:,.0f} rows/s"
            f" ({csv['cli_seconds']:.1f} s, peak RSS {csv['cli_peak_rss_mib']:.0f} MiB;"
            f" target >= {CSV_TARGET_ROWS_PER_S:,}: {csv['cli_rows_per_s'] / CSV_TARGET_ROWS_PER_S:.2f} of it)"
        )
        if samples:
            lines.append(
                f"      iter_csv alone {csv['iter_csv_rows_per_s']:,.0f} rows/s, peak RSS {csv['iter_csv_peak_rss_mib']:.0f} MiB;"
                f" RSS (MiB) by rows written: {curve}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", help="fill this database file instead of a temporary one (it is replaced)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(args.sizes, args.seed, args.keep)
    publish("search", result, report(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
