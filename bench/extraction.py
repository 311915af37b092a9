"""Extraction throughput against a full-parse baseline, and gold attribution F1, in one run.

Ours: ``quotes.extract.extract_many`` over the real corpus, in batches of 32 as the
bulk ingest calls it (``quotes.intake.extract_texts``). Baseline: the same spaCy
model, every component on, ``nlp.pipe`` over every whole document. The two are
timed in alternating slices of the corpus so that a load on the machine falls on
both alike. F1 comes from the shared scorer on ``../shared/eval/dev.jsonl`` over the
output of ``python -m quotes extract`` (partial quotes count as direct, as the scorer
wants), for the timed model and (F1 alone, cheap) for the other one.

    python -m bench.extraction --model fr_core_news_sm
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import CORPUS, GOLD, MODELS, REPO_ROOT, SCORER, log, machine

SLICES = 4


def read_jsonl(path: Path | str, limit: int | None = None) -> list[dict]:
    with open(path, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return rows[:limit] if limit else rows


def score(model: str, gold: Path = GOLD) -> dict:
    """The shared scorer's direct and indirect figures for ``python -m quotes extract`` on the gold set.

    The documented measuring command itself (../shared/README.md), so the figures
    are the ones anyone re-running it gets; its wall time includes loading the model.
    """
    with tempfile.TemporaryDirectory(prefix="quotes-bench-gold-") as tmp:
        predictions = Path(tmp) / "pred.jsonl"
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "quotes", "extract", str(gold), "--model", model, "--output", str(predictions)],
            cwd=REPO_ROOT, capture_output=True, text=True, check=True,
        )
        figures = {"documents": len(read_jsonl(gold)), "seconds": time.perf_counter() - started}
        for kind in ("direct", "indirect"):
            result = subprocess.run(
                [sys.executable, str(SCORER), str(gold), str(predictions), "--type", kind, "--json"],
                capture_output=True, text=True, check=True,
            )
            lines = result.stdout.strip().splitlines()
            figures[kind] = json.loads(next(line for line in lines if line.startswith("{")))
            figures[kind + "_line"] = lines[-1]
    return figures


def throughput(model: str, texts: list[str], batch_size: int = 32) -> dict:
    """Seconds, docs/s and chars/s of our extractor and of the full-parse baseline."""
    import spacy

    from quotes.extract import extract_many
    from quotes.intake import Failed, extract_texts
    from quotes.nlp import load_nlp

    started = time.perf_counter()
    load_nlp(model)
    load_seconds = time.perf_counter() - started
    # Its own copy with every component on: nothing the extractor does to its
    # pipeline can make the baseline cheaper.
    baseline_nlp = spacy.load(model)
    warm = texts[:8]
    list(extract_many(warm, model=model))
    list(baseline_nlp.pipe(warm))

    ours = base = 0.0
    quotes = 0
    failures: list[str] = []
    size = -(-len(texts) // SLICES)
    for i in range(0, len(texts), size):
        part = texts[i : i + size]
        started = time.perf_counter()
        for j in range(0, len(part), batch_size):
            # As the bulk ingest calls it: a batch that raises is redone text by text,
            # so one bad document is counted as a failure instead of ending the run.
            for found in extract_texts(part[j : j + batch_size], model):
                if isinstance(found, Failed):
                    failures.append(str(found))
                else:
                    quotes += len(found)
        ours += time.perf_counter() - started
        started = time.perf_counter()
        for _ in baseline_nlp.pipe(part, batch_size=batch_size):
            pass
        base += time.perf_counter() - started
        log(f"  {model}: {min(i + size, len(texts))}/{len(texts)} documents, ours {ours:.1f} s, baseline {base:.1f} s")
    chars = sum(map(len, texts))
    return {
        "model": model,
        "documents": len(texts),
        "characters": chars,
        "quotes": quotes,
        "failures": failures,
        "load_seconds": load_seconds,
        "pipeline": list(baseline_nlp.pipe_names),
        "ours": {"seconds": ours, "docs_per_s": len(texts) / ours, "chars_per_s": chars / ours},
        "baseline": {"seconds": base, "docs_per_s": len(texts) / base, "chars_per_s": chars / base},
        "speedup": base / ours,
    }


def shares(texts: list[str]) -> dict | None:
    """Shares of the characters the extractor tags and parses with spaCy: the bound on its speed-up.

    Reads the extractor's internal plan, so it is a diagnostic only: None when
    that internal interface has changed. Windows parsed late, on demand, are not counted.
    """
    try:
        from quotes.extract.pipeline import make_plan

        tagged = parsed = 0
        for text in texts:
            plan = make_plan(text)
            for (start, end), parse in zip(plan.ranges, plan.needs_parse):
                tagged += end - start
                parsed += (end - start) * parse
    except Exception:  # an internal interface: never let it fail the benchmark
        return None
    chars = sum(map(len, texts))
    return {"tagged_share": tagged / chars, "parsed_share": parsed / chars}


def run(model: str, corpus: Path | str = CORPUS, limit: int | None = None) -> dict:
    texts = [row["text"] for row in read_jsonl(corpus, limit)]
    log(f"extraction: {model} on {len(texts)} documents of {corpus}")
    result = throughput(model, texts)
    result.update(shares(texts) or {})
    result["gold"] = score(model)
    return result


def gold_report(model: str, gold: dict) -> str:
    return "\n".join([
        f"gold [{model}] {gold['direct_line']}",
        f"{'':>{len(model) + 8}}{gold['indirect_line']}",
        f"{'':>{len(model) + 8}}({gold['documents']} gold documents: `python -m quotes extract` {gold['seconds']:.1f} s with the model load)",
    ])


def report(result: dict) -> str:
    ours, base, gold = result["ours"], result["baseline"], result["gold"]
    return "\n".join([
        f"extraction [{result['model']}] {result['documents']} documents, {result['characters']:,} characters,"
        f" {result['quotes']} quotes (model load {result['load_seconds']:.1f} s)"
        + (f"; {len(result['failures'])} document(s) failed: {result['failures'][0]}" if result.get("failures") else ""),
        f"  ours      {ours['docs_per_s']:8.1f} docs/s {ours['chars_per_s']:10,.0f} chars/s ({ours['seconds']:.1f} s)",
        f"  baseline  {base['docs_per_s']:8.1f} docs/s {base['chars_per_s']:10,.0f} chars/s ({base['seconds']:.1f} s)"
        f" nlp.pipe, all of {', '.join(result['pipeline'])}",
        f"  speed-up  {result['speedup']:.2f}x (target >= 5x: {result['speedup'] / 5:.2f} of target)"
        + (f"; the extractor tags {result['tagged_share']:.0%} of the characters and parses {result['parsed_share']:.0%}"
           if result.get("parsed_share") else ""),
        f"  gold      {gold['direct_line']}",
        f"            {gold['indirect_line']}",
        f"            ({gold['documents']} gold documents: `python -m quotes extract` {gold['seconds']:.1f} s with the model load)",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", action="append", choices=MODELS,
                        help="throughput (and F1) for this model; repeatable; default: fr_core_news_sm")
    parser.add_argument("--gold-model", action="append", choices=MODELS,
                        help="F1 only for this model; repeatable; default: the models not timed")
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    results = {"machine": machine(), "extraction": [], "gold": {}}
    timed = args.model or [MODELS[0]]
    for model in timed:
        result = run(model, args.corpus, args.limit)
        results["extraction"].append(result)
        print(report(result), flush=True)
    for model in args.gold_model or [m for m in MODELS if m not in timed]:
        results["gold"][model] = score(model)
        print(gold_report(model, results["gold"][model]), flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
