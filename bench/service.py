"""Model loading in the served API: once per process, before the first request.

Starts ``python -m quotes serve`` (waitress) on a free loopback port over a fresh
migrated database, waits for ``/api/health``, reads the model load time the log
announces, then times the first ``POST /api/extract`` and the ones after it, all
with the same article, over real HTTP.

    python -m bench.service
"""
from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median

from .common import CORPUS, REPO_ROOT, publish

REPEATS = 10
READY_TIMEOUT = 300


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _post(url: str, body: dict) -> tuple[float, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        payload = json.loads(response.read())
    return (time.perf_counter() - started) * 1000, payload


def run(model: str) -> dict:
    with open(CORPUS, encoding="utf-8") as handle:
        article = json.loads(handle.readline())["text"]
    with tempfile.TemporaryDirectory(prefix="quotes-bench-service-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'service.db'}"
        env = dict(os.environ, DATABASE_URL=url, QUOTES_SPACY_MODEL=model, QUOTES_RATELIMIT_ENABLED="0")
        subprocess.run([sys.executable, "-m", "quotes", "db", "upgrade"], cwd=REPO_ROOT, env=env, check=True,
                       capture_output=True)
        port = _free_port()
        log_path = Path(tmp) / "serve.log"
        started = time.perf_counter()
        with open(log_path, "w", encoding="utf-8") as log_file:
            server = subprocess.Popen(
                [sys.executable, "-m", "quotes", "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=REPO_ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            )
        try:
            base = f"http://127.0.0.1:{port}"
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"serve exited ({server.returncode}):\n{log_path.read_text()[-3000:]}")
                if time.perf_counter() - started > READY_TIMEOUT:
                    raise RuntimeError("serve did not answer /api/health in time")
                try:
                    with urllib.request.urlopen(f"{base}/api/health", timeout=5) as response:
                        health = json.loads(response.read())
                        break
                except OSError:
                    time.sleep(0.2)
            ready = time.perf_counter() - started
            first, payload = _post(f"{base}/api/extract", {"text": article})
            later = [_post(f"{base}/api/extract", {"text": article})[0] for _ in range(REPEATS)]
        finally:
            server.terminate()
            server.wait(timeout=30)
        log_text = log_path.read_text(encoding="utf-8")
    loads = re.findall(r"loaded spaCy model (\S+) in ([\d.]+) s", log_text)
    return {
        "model": model,
        "ready_seconds": ready,
        "model_loaded_at_health": health.get("model_loaded"),
        "announced_loads": [{"model": name, "seconds": float(seconds)} for name, seconds in loads],
        "first_ms": first,
        "later_median_ms": median(later),
        "later_max_ms": max(later),
        "quotes": len(payload.get("quotes", [])),
        "characters": len(article),
    }


def report(result: dict) -> str:
    loads = result["announced_loads"]
    announced = ", ".join(f"{load['model']} in {load['seconds']:.2f} s" for load in loads) or "none"
    excess = result["first_ms"] - result["later_median_ms"]
    allowed = sum(load["seconds"] for load in loads) * 1000
    return "\n".join([
        f"service: `python -m quotes serve` (waitress) [{result['model']}], POST /api/extract of one"
        f" {result['characters']:,}-character article ({result['quotes']} quotes) over loopback HTTP",
        f"  ready (health answers) after {result['ready_seconds']:.1f} s; model loads announced in the log: {announced}"
        f" ({len(loads)} load(s) in the process; model loaded when health first answered: {result['model_loaded_at_health']})",
        f"  first request {result['first_ms']:.0f} ms, the {REPEATS} next: median {result['later_median_ms']:.0f} ms,"
        f" max {result['later_max_ms']:.0f} ms; first minus median {excess:.0f} ms"
        f" (target: at most the announced load time, {allowed:.0f} ms: {'met' if excess <= allowed else 'missed'})",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="fr_core_news_sm")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    result = run(args.model)
    publish("service", result, report(result), args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
