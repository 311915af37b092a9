"""What every benchmark shares: paths, the machine's description, percentiles, peak memory."""
from __future__ import annotations

import os
import platform
import resource
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = REPO_ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "news-fr.jsonl"
GOLD = SHARED / "eval" / "dev.jsonl"
SCORER = SHARED / "eval" / "score.py"
OUTPUT_DIR = REPO_ROOT / "bench-out"
MODELS = ("fr_core_news_sm", "fr_core_news_md")


def machine() -> dict:
    """Where the figures were measured: cores, CPU, Python, SQLite, load at the start."""
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def peak_rss_mib(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children), in MiB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024  # Linux reports KiB


def current_rss_mib() -> float:
    """Resident memory now, from /proc (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


@contextmanager
def stopwatch():
    """Yields a dict whose "seconds" is set when the block ends."""
    result = {"seconds": None}
    started = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = time.perf_counter() - started


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def publish(stage: str, result: dict, text: str, json_path: str | None) -> None:
    """Print a stage's report and, when asked, write its figures with the machine's description as JSON."""
    print(text, flush=True)
    if json_path:
        import json

        Path(json_path).write_text(json.dumps({"machine": machine(), stage: result}, indent=2), encoding="utf-8")
