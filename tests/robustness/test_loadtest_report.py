"""scripts/loadtest.py rewrites only its own section of BENCHMARKS.md (the rest belongs to the benchmarks)."""
import importlib.util

from .conftest import ROOT


def load_script():
    spec = importlib.util.spec_from_file_location("loadtest", ROOT / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RESULT = {
    "date": "2026-11-30 07:00 UTC", "machine": "x86_64, 2 cores", "command": "scripts/loadtest.sh", "seed_articles": 300,
    "searches": 6000, "search_seconds": 60.0, "searches_per_s": 100.0, "search_errors": 0, "search_error_rate": 0.0,
    "latency_ms": {"p50": 70.0, "p90": 150.0, "p99": 250.0, "max": 500.0}, "wrk_wall_seconds": 61.0, "posts": 30,
    "posted_articles": 120, "post_errors": 0, "articles_per_s": 2.0, "post_seconds_max": 5.0, "documents": 420,
    "expected_documents": 420, "distinct_hashes": 420, "quotes": 3000, "integrity": "ok", "tracebacks_in_server_log": 0,
    "connections": 8, "threads": 2, "server_threads": 8,
}


def test_section_replaced_in_place_and_the_rest_kept(tmp_path, monkeypatch):
    loadtest = load_script()
    monkeypatch.setattr(loadtest, "ROOT", tmp_path)
    before = "# Benchmarks\n\n## Targets\n\nkept\n\n## Load test\n\nold figures\n\n## Later\n\nkept too\n"
    (tmp_path / "BENCHMARKS.md").write_text(before, encoding="utf-8")
    loadtest.update_benchmarks(loadtest.section(RESULT))
    after = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert after.startswith("# Benchmarks\n\n## Targets\n\nkept\n\n## Load test\n")
    assert after.endswith("Result: zero errors: the bar is met.\n\n## Later\n\nkept too\n")
    assert "old figures" not in after and "| searches/s during the ingest | **100** |" in after
    loadtest.update_benchmarks(loadtest.section(RESULT))  # a second run changes nothing
    assert (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8") == after


def test_section_appended_when_missing_and_failures_shown(tmp_path, monkeypatch):
    loadtest = load_script()
    monkeypatch.setattr(loadtest, "ROOT", tmp_path)
    (tmp_path / "BENCHMARKS.md").write_text("# Benchmarks\n\n## Targets\n\nkept\n", encoding="utf-8")
    failed = {**RESULT, "search_errors": 3, "search_error_rate": 0.0005}
    assert not loadtest.passed(failed) and loadtest.passed(RESULT)
    loadtest.update_benchmarks(loadtest.section(failed))
    after = (tmp_path / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert after.startswith("# Benchmarks\n\n## Targets\n\nkept\n\n## Load test\n")
    assert "Result: FAILED: see the figures." in after and "**3** (0.05 %)" in after
