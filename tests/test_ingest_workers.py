"""Bulk ingest with worker processes: none is started when every document is already stored."""
import json

from quotes.ingest import ingest_paths


def test_rerun_over_stored_documents_starts_no_worker(database, tmp_path, fake_extractor, monkeypatch):
    path = tmp_path / "articles.jsonl"
    lines = [json.dumps({"text": f"«Phrase numéro {i}», a déclaré Jean Dupont."}) for i in range(5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = ingest_paths(database, [path], workers=1, progress=False)
    assert (first.new, first.quotes, first.errors) == (5, 5, [])

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for nothing to extract")

    monkeypatch.setattr("quotes.ingest.multiprocessing.get_context", no_pool)
    again = ingest_paths(database, [path], workers=2, progress=False)
    assert (again.new, again.existing, again.quotes, again.errors) == (0, 5, 0, [])
    assert len(fake_extractor) == 5  # the first run only
