"""Bounded load test on loopback: searches (wrk) while articles are posted (a writer process), then checks.

1. A fresh SQLite file, migrated, holding ``--seed`` real articles of ../shared/corpus/news-fr.jsonl
   (stored by ``python -m quotes ingest``).
2. ``python -m quotes serve`` on 127.0.0.1 (a free port), rate limits off: this measures the service, not the limiter.
3. At once: wrk sends ``--requests`` searches over ``--connections`` connections (scripts/loadtest.lua; it stops
   after that many answers, or after ``--duration`` seconds at most), while a writer process posts the next
   ``--ingest`` articles through POST /api/documents, ``--per-post`` per request, until wrk is done.
4. Checks: every answer 200 (wrk counts socket errors and non-2xx), every post 201, the database holds each
   posted article once. Prints the figures; ``--update`` rewrites the "Load test" section of BENCHMARKS.md.

Run with scripts/loadtest.sh (installs wrk from Debian when missing). Not part of ``make test``.
"""
import argparse
import json
import multiprocessing
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "news-fr.jsonl"
SECTION = "## Load test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def articles() -> list[dict]:
    found = []
    with CORPUS.open(encoding="utf-8") as handle:
        for line in handle:
            data = json.loads(line)
            # The corpus's "source" is where the text was found ("github.com/OWNER/COLLECTION@commit:path", longer
            # than the API's 200 characters); its collection name stands in for an outlet.
            parts = (data.get("source") or "").split("/")
            outlet = parts[2].split("@")[0][:200] if len(parts) > 2 else None
            found.append({"text": data["text"], "title": data.get("title"), "source": outlet,
                          "published_at": data.get("published_at")})
    return found


def post(url: str, body) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"), method="POST",
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def writer(base: str, batch: list[dict], per_post: int, stop, results) -> None:
    """Post ``batch`` in lists of ``per_post`` until done or told to stop; (status, documents, seconds) per post."""
    for start in range(0, len(batch), per_post):
        if stop.is_set():
            break
        began = time.perf_counter()
        status, body = post(f"{base}/api/documents", batch[start:start + per_post])
        created = json.loads(body).get("created", 0) if status in (200, 201) else 0
        if status not in (200, 201):
            print(f"POST -> {status}: {body[:500]!r}", file=sys.stderr)
        results.put((status, len(batch[start:start + per_post]), created, time.perf_counter() - began))
    results.put(None)


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise SystemExit("server not ready")


def run_wrk(args, base: str, env: dict) -> str:
    """wrk's output; interrupted (as with Ctrl-C, which makes it report) once every thread sent its requests."""
    wrk = subprocess.Popen(
        ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s", "--timeout", "30s",
         "-s", str(ROOT / "scripts" / "loadtest.lua"), base],
        env=env, stdout=subprocess.PIPE, text=True,
    )
    lines, done = [], 0
    for line in wrk.stdout:
        lines.append(line)
        if line.strip() == "thread-done":
            done += 1
            if done == args.threads:
                wrk.send_signal(signal.SIGINT)
    if wrk.wait() != 0:
        raise SystemExit(f"wrk failed: {''.join(lines)}")
    return "".join(lines)


def run(args) -> dict:
    load_before = os.getloadavg()[0]  # other work on the machine lowers every figure below
    corpus = articles()
    seed, to_post = corpus[:args.seed], corpus[args.seed:args.seed + args.ingest]
    workdir = Path(tempfile.mkdtemp(prefix="quotes-load-"))
    url = f"sqlite:///{workdir / 'quotes.db'}"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "QUOTES_API_TOKEN")}
    env.update(QUOTES_RATELIMIT_ENABLED="0", DATABASE_URL=url)
    py = [sys.executable, "-m", "quotes"]
    subprocess.run([*py, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    seed_file = workdir / "seed.jsonl"
    seed_file.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in seed), encoding="utf-8")
    print(f"seeding {len(seed)} articles ...", file=sys.stderr)
    subprocess.run([*py, "ingest", str(seed_file), "--workers", "2", "--no-progress"], cwd=ROOT, env=env, check=True,
                   capture_output=True)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen([*py, "serve", "--host", "127.0.0.1", "--port", str(port), "--threads", str(args.server_threads)],
                              cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(base, server)
        context = multiprocessing.get_context("spawn")
        stop, results = context.Event(), context.Queue()
        posting = context.Process(target=writer, args=(base, to_post, args.per_post, stop, results))
        posting.start()
        time.sleep(1.0)  # the first post is being extracted: searches run during the ingest, not before it
        wrk_env = {**os.environ, "LOADTEST_REQUESTS_PER_THREAD": str(args.requests // args.threads)}
        began = time.perf_counter()
        wrk_output, wrk_seconds = run_wrk(args, base, wrk_env), time.perf_counter() - began
        stop.set()
        posts = []
        while (item := results.get(timeout=600)) is not None:
            posts.append(item)
        posting.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    figures = json.loads(wrk_output.strip().splitlines()[-1])
    database = sqlite3.connect(workdir / "quotes.db")
    documents, quotes, hashes = database.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM quotes), "
        "(SELECT count(DISTINCT content_hash) FROM documents)").fetchone()
    integrity = database.execute("PRAGMA integrity_check").fetchone()[0]
    database.close()
    server_log = (workdir / "server.log").read_text(encoding="utf-8", errors="replace")
    if "Traceback" in server_log:
        print(server_log[server_log.index("Traceback") - 300:][:6000], file=sys.stderr)
    shutil.rmtree(workdir, ignore_errors=True)

    posted = sum(n for _, n, _, _ in posts)
    distinct_seed = len({a["text"] for a in seed})
    distinct_posted = len({a["text"] for a in to_post[:posted]} - {a["text"] for a in seed})
    errors = sum(figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts", "non_2xx_3xx"))
    post_errors = sum(1 for status, *_ in posts if status not in (200, 201))
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
                   f"load average {load_before:.1f} before the run",
        "command": "scripts/loadtest.sh " + " ".join(sys.argv[1:]),
        "seed_articles": len(seed),
        "searches": figures["requests"],
        "search_seconds": figures["duration_us"] / 1e6,
        "searches_per_s": figures["requests"] / (figures["duration_us"] / 1e6),
        "search_errors": errors,
        "search_error_rate": errors / max(1, figures["requests"]),
        "latency_ms": figures["latency_ms"],
        "wrk_wall_seconds": wrk_seconds,
        "posts": len(posts),
        "posted_articles": posted,
        "post_errors": post_errors,
        "articles_per_s": posted / sum(s for *_, s in posts) if posts else 0.0,
        "post_seconds_max": max((s for *_, s in posts), default=0.0),
        "documents": documents,
        "expected_documents": distinct_seed + distinct_posted,
        "distinct_hashes": hashes,
        "quotes": quotes,
        "integrity": integrity,
        "tracebacks_in_server_log": server_log.count("Traceback"),
        "connections": args.connections,
        "threads": args.threads,
        "server_threads": args.server_threads,
    }


def passed(result: dict) -> bool:
    return (result["search_errors"] == 0 and result["post_errors"] == 0 and result["integrity"] == "ok"
            and result["documents"] == result["expected_documents"] == result["distinct_hashes"]
            and result["tracebacks_in_server_log"] == 0 and result["posted_articles"] > 0)


def section(result: dict) -> str:
    r, lat = result, result["latency_ms"]
    verdict = "zero errors: the bar is met" if passed(r) else "FAILED: see the figures"
    return f"""{SECTION}

Searches on loopback while articles are being ingested (issue 5), by `scripts/loadtest.sh`
(`scripts/loadtest.py`, `scripts/loadtest.lua`; wrk from Debian). Not part of `make test`.
A fresh SQLite file is seeded with the first {r['seed_articles']} articles of `../shared/corpus/news-fr.jsonl`;
`python -m quotes serve` (waitress, {r['server_threads']} threads, rate limits off) answers wrk's searches
(speaker, full text, speaker list, paging, CSV, health; {r['threads']} threads, {r['connections']} connections,
a fixed number of requests, then it stops) while a second process posts the next articles through
`POST /api/documents` in lists, so extraction and writes compete with the searches for the 2 cores.

Command: `{r['command']}` — {r['date']}, {r['machine']}.

| figure | value |
|---|---|
| searches answered | {r['searches']} in {r['search_seconds']:.1f} s |
| searches/s during the ingest | **{r['searches_per_s']:.0f}** |
| search latency p50 / p90 / p99 / max | {lat['p50']:.0f} / {lat['p90']:.0f} / {lat['p99']:.0f} / {lat['max']:.0f} ms |
| search errors (socket errors, timeouts, non-2xx) | **{r['search_errors']}** ({100 * r['search_error_rate']:.2f} %) |
| articles posted meanwhile | {r['posted_articles']} in {r['posts']} posts ({r['articles_per_s']:.1f} articles/s; slowest post {r['post_seconds_max']:.1f} s) |
| post errors | **{r['post_errors']}** |
| documents stored / expected / distinct hashes | {r['documents']} / {r['expected_documents']} / {r['distinct_hashes']} ({r['quotes']} quotes) |
| `PRAGMA integrity_check`, tracebacks in the server log | {r['integrity']}, {r['tracebacks_in_server_log']} |

Result: {verdict}.
"""


def update_benchmarks(text: str) -> None:
    """Replace the "Load test" section of BENCHMARKS.md (or append it); the rest of the file is left alone."""
    path = ROOT / "BENCHMARKS.md"
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text + "\n", current, count=1)
    else:
        updated = current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6000, help="searches in all (wrk stops after them)")
    parser.add_argument("--duration", type=int, default=120, help="upper bound on wrk's run, seconds")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--server-threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=300, help="articles stored before the test")
    parser.add_argument("--ingest", type=int, default=400, help="articles the writer may post during the test")
    parser.add_argument("--per-post", type=int, default=4)
    parser.add_argument("--update", action="store_true", help="rewrite the Load test section of BENCHMARKS.md")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk not found: run scripts/loadtest.sh (installs it from Debian)", file=sys.stderr)
        return 2
    result = run(args)
    print(json.dumps(result, indent=1))
    text = section(result)
    print(text)
    if args.update:
        update_benchmarks(text)
    return 0 if passed(result) else 1


if __name__ == "__main__":
    sys.exit(main())
