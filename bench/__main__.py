"""Every benchmark of issue 4 (and issue 13's PostgreSQL stage), one after another, each in its own process:
``make bench``. The PostgreSQL stage runs when TEST_POSTGRES_URL names a server, and otherwise
reports in one line that it was skipped.

    python -m bench                 # the full run (under 20 minutes on 2 cores)
    python -m bench --quick         # small sizes, to check the scripts work
    python -m bench --update        # also rewrite the figures section of BENCHMARKS.md

Figures print as each stage ends; all of them are written to bench-out/results.json
and, as Markdown, to bench-out/figures.md (bench-out/*-quick.* for --quick). With
--only, the other stages' figures are carried over from the previous run.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone

from . import extraction, ingest, postgres, search, service
from .common import MODELS, OUTPUT_DIR, REPO_ROOT, log, machine

BEGIN = "<!-- figures: begin (written by `python -m bench --update`) -->"
END = "<!-- figures: end -->"
TARGETS_BEGIN = "<!-- targets: begin (written by `python -m bench --update`) -->"
TARGETS_END = "<!-- targets: end -->"


def stages(quick: bool, models: list[str]) -> list[tuple[str, list[str]]]:
    if quick:
        return [
            ("extraction", ["--limit", "60", *[a for m in models[:1] for a in ("--model", m)]]),
            ("service", []),
            ("ingest", ["--sizes", "100", "400"]),
            ("search", ["--sizes", "20000", "60000"]),
            ("postgresql", ["--articles", "40", "--size", "20000"]),
        ]
    return [
        ("extraction", [a for m in models for a in ("--model", m)]),
        ("service", []),
        ("ingest", ["--sizes", "1000", "10000"]),
        ("search", ["--sizes", "100000", "1000000"]),
        ("postgresql", ["--articles", "1000", "--size", "1000000"]),
    ]


def order_of_stages() -> list[str]:
    return [name for name, _ in stages(False, [MODELS[0]])]


def run_stage(name: str, args: list[str]) -> tuple[dict | None, float]:
    path = OUTPUT_DIR / f"{name}.json"
    path.unlink(missing_ok=True)
    started = time.perf_counter()
    # Its own process: a stage's memory and loaded models do not weigh on the next one.
    result = subprocess.run([sys.executable, "-m", f"bench.{name}", *args, "--json", str(path)], cwd=REPO_ROOT)
    seconds = time.perf_counter() - started
    if result.returncode != 0 or not path.exists():
        log(f"bench: stage {name} failed (exit {result.returncode})")
        return None, seconds
    return json.loads(path.read_text(encoding="utf-8")), seconds


def markdown(results: dict) -> str:
    """The figures as BENCHMARKS.md shows them: the command, the machine, each report."""
    m = results["machine"]
    lines = [
        f"Measured {results['finished']} with `{results['command']}` in {results['total_seconds'] / 60:.1f} minutes.",
        "",
        f"Machine: {m['nproc']} cores, {m['cpu']}, Python {m['python']}, SQLite {m['sqlite']}, {m['platform']};"
        f" load average at start {m['loadavg_1min']}, at end {results['loadavg_end']}.",
        "",
    ]
    earlier = results.get("earlier")
    if earlier:
        lines += [
            f"The stages {', '.join(earlier['stages'])} are from the earlier run `{earlier['command']}` of"
            f" {earlier['finished']} (load average at start {earlier['machine']['loadavg_1min']},"
            f" at end {earlier['loadavg_end']}).",
            "",
        ]
    order = order_of_stages()
    for name, seconds in sorted(results["stage_seconds"].items(), key=lambda item: order.index(item[0])):
        lines.append(f"### {name} ({seconds:.0f} s)")
        lines.append("")
        lines.append("```")
        lines.append(results["reports"].get(name, "stage failed: no figures"))
        lines.append("```")
        lines.append("")
    return "\n".join(lines)


def targets(results: dict) -> str:
    """Issue 4's targets against the figures: measured value, ratio to the target, met or not."""
    rows = []

    def row(target: str, measured: str, ratio: float, met: bool) -> None:
        rows.append(f"| {target} | {measured} | {ratio:.2f} | {'met' if met else '**missed**'} |")

    figures = results["figures"]
    for run in figures.get("extraction", {}).get("extraction", []):
        speedup = run["speedup"]
        row(f"extraction >= 5x the full-parse baseline ({run['model']})",
            f"{speedup:.2f}x ({run['ours']['docs_per_s']:.1f} vs {run['baseline']['docs_per_s']:.1f} docs/s)",
            speedup / 5, speedup >= 5)
        gold = run["gold"]
        direct, indirect = gold["direct"]["attribution_f1"], gold["indirect"]["attribution_f1"]
        row(f"gold attribution F1 in the same run ({run['model']}; bars of issue 3: 0.95 direct, 0.70 indirect)",
            f"direct {direct:.3f}, indirect {indirect:.3f}", direct / 0.95, direct >= 0.95 and indirect >= 0.70)
    if "ingest" in figures:
        runs = figures["ingest"]["runs"]
        compared = ingest.speedup(figures["ingest"])
        if compared:
            gain, single, parallel = compared
            row(f"bulk ingest uses both cores ({parallel['workers']} workers vs 1, {single['documents']:,} articles,"
                f" best of {ingest.COMPARISON_TRIALS} runs each)",
                f"{gain:.2f}x faster", gain / parallel["workers"], gain >= 1.5)
        rerun = next((r["rerun"] for r in runs if "rerun" in r), None)
        if rerun:
            summary = rerun["summary"]
            row("re-running an ingest stores nothing twice", f"{summary['new']} new, {summary['existing']} already there"
                f" ({rerun['seconds']:.1f} s)", 1.0, summary["new"] == 0)
    if "search" in figures:
        largest = figures["search"]["sizes"][-1]
        size = f"{largest['size']:,} quotes"
        for key, limit, label in (("speaker", 20, "speaker search"), ("fts", 50, "full-text search")):
            p95 = largest[key]["p95_ms"]
            row(f"{label} p95 <= {limit} ms at {size}", f"{p95:.1f} ms", p95 / limit, p95 <= limit)
        csv = largest["csv"]
        rate = csv["cli_rows_per_s"]
        row(f"CSV export >= 100,000 rows/s ({csv['rows']:,} rows, `python -m quotes export`)", f"{rate:,.0f} rows/s",
            rate / 100_000, rate >= 100_000)
        first = figures["search"]["sizes"][0]["csv"]
        growth = csv["cli_peak_rss_mib"] / first["cli_peak_rss_mib"]
        row(f"CSV memory flat (peak RSS at {csv['rows']:,} rows vs {first['rows']:,})",
            f"{csv['cli_peak_rss_mib']:.0f} vs {first['cli_peak_rss_mib']:.0f} MiB", growth, growth <= 1.25)
    if "postgresql" in figures and "skipped" not in figures["postgresql"]:
        pg = figures["postgresql"]
        size = f"{pg['search']['size']:,} quotes"
        for key, limit, label in (("speaker", 20, "speaker search"), ("fts", 50, "full-text search")):
            p95 = pg["search"][key]["p95_ms"]
            row(f"PostgreSQL: {label} p95 <= {limit} ms at {size}", f"{p95:.1f} ms", p95 / limit, p95 <= limit)
        csv = pg["search"]["csv"]
        rate = csv["cli_rows_per_s"]
        row(f"PostgreSQL: CSV export >= 100,000 rows/s ({csv['rows']:,} rows)", f"{rate:,.0f} rows/s",
            rate / 100_000, rate >= 100_000)
        gain = postgres.two_vs_one(pg["ingest"], "postgresql")
        row(f"PostgreSQL: two ingest processes on one database faster than one"
            f" ({pg['ingest']['postgresql one']['documents']:,} articles)",
            f"{gain:.2f}x (SQLite: {postgres.two_vs_one(pg['ingest'], 'sqlite'):.2f}x)", gain / 2, gain > 1)
    if "service" in figures:
        service = figures["service"]
        allowed = sum(load["seconds"] for load in service["announced_loads"]) * 1000
        excess = service["first_ms"] - service["later_median_ms"]
        row("model loaded once per process; first request slower by at most the announced load time",
            f"{len(service['announced_loads'])} load(s) of {allowed:.0f} ms; first request +{excess:.0f} ms",
            excess / allowed if allowed else 0.0, len(service["announced_loads"]) == 1 and excess <= allowed)
    if len(figures) == len(order_of_stages()):
        minutes = sum(results["stage_seconds"].values()) / 60
        row("`make bench` under 20 minutes on 2 cores", f"{minutes:.1f} minutes", minutes / 20, minutes < 20)
    return "\n".join(["| target | measured | ratio to target | |", "|---|---|---|---|", *rows])


def _replace_between(text: str, begin: str, end: str, body: str) -> str:
    if begin not in text or end not in text:
        raise SystemExit(f"BENCHMARKS.md has no {begin} ... {end} markers")
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def update_benchmarks_md(figures: str, table: str) -> None:
    path = REPO_ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    text = _replace_between(text, BEGIN, END, figures)
    text = _replace_between(text, TARGETS_BEGIN, TARGETS_END, table)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the scripts, not the speed")
    parser.add_argument("--model", action="append", choices=MODELS,
                        help="extraction throughput for this model (default: fr_core_news_sm; F1 for both either way)")
    parser.add_argument("--only", action="append", choices=("extraction", "service", "ingest", "search", "postgresql"))
    parser.add_argument("--update", action="store_true", help="rewrite the figures section of BENCHMARKS.md")
    args = parser.parse_args(argv)
    OUTPUT_DIR.mkdir(exist_ok=True)
    command = "python -m bench" + (" --quick" if args.quick else "") + "".join(f" --only {o}" for o in args.only or [])
    results = {"command": command, "machine": machine(), "stage_seconds": {}, "reports": {}, "figures": {}}
    # Quick runs keep their own files: they must never stand for the real figures.
    suffix = "-quick" if args.quick else ""
    previous = OUTPUT_DIR / f"results{suffix}.json"
    if args.only and previous.exists():
        # A partial run keeps the other stages' latest figures (BENCHMARKS.md says which run gave which).
        earlier = json.loads(previous.read_text(encoding="utf-8"))
        for key in ("stage_seconds", "reports", "figures"):
            results[key] = {k: v for k, v in earlier.get(key, {}).items() if k not in args.only}
        results["earlier"] = {k: earlier.get(k) for k in ("command", "finished", "machine", "loadavg_end")}
        results["earlier"]["stages"] = sorted(results["reports"])
    reporters = {"extraction": _extraction_report, "service": service.report, "ingest": ingest.report,
                 "search": search.report, "postgresql": postgres.report}
    started = time.perf_counter()
    failed = False
    for name, stage_args in stages(args.quick, args.model or [MODELS[0]]):
        if args.only and name not in args.only:
            continue
        log(f"bench: {name} ...")
        figures, seconds = run_stage(name, stage_args)
        results["stage_seconds"][name] = seconds
        if figures is None:
            failed = True
            continue
        figures.pop("machine", None)
        figures = figures if name == "extraction" else figures[name]
        results["figures"][name] = figures
        results["reports"][name] = reporters[name](figures)
    results["total_seconds"] = time.perf_counter() - started
    results["loadavg_end"] = round(os.getloadavg()[0], 2)
    results["finished"] = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    previous.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    figures_md = markdown(results)
    table = targets(results)
    (OUTPUT_DIR / f"figures{suffix}.md").write_text(figures_md, encoding="utf-8")
    print("\n" + figures_md + "\n" + table, flush=True)
    if args.update and not args.quick and not failed and len(results["reports"]) == len(order_of_stages()):
        update_benchmarks_md(figures_md, table)
        log("bench: BENCHMARKS.md updated")
    return 1 if failed else 0


def _extraction_report(figures: dict) -> str:
    return "\n".join([extraction.report(run) for run in figures["extraction"]]
                     + [extraction.gold_report(model, gold) for model, gold in figures["gold"].items()])


if __name__ == "__main__":
    sys.exit(main())
