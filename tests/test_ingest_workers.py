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


def _rows(database):
    from sqlalchemy import select

    from quotes.models import Document, Quote, Speaker

    with database.session_scope() as session:
        return sorted(session.execute(
            select(Document.content_hash, Quote.start, Quote.end, Quote.quote, Speaker.name, Quote.type, Quote.cue)
            .join(Quote, Quote.document_id == Document.id)
            .outerjoin(Speaker, Quote.speaker_id == Speaker.id)
        ).all())


def test_two_workers_store_what_one_stores(database, migrated_template, tmp_path):
    # The real extractor, in forked workers that share the model loaded here.
    from quotes.db import Database

    texts = [
        f"«Nous tiendrons bon sur le point {i}», a déclaré Jens Stoltenberg, secrétaire général de l’OTAN. "
        f"Le porte-parole du Kremlin, Dmitri Peskov, a affirmé que Moscou «ne cèderait pas sur le point {i}»."
        for i in range(12)
    ]
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    one = ingest_paths(database, [path], workers=1, batch_size=4, progress=False)
    other_path = tmp_path / "other.db"
    other_path.write_bytes(migrated_template.read_bytes())
    other = Database(f"sqlite:///{other_path}")
    try:
        two = ingest_paths(other, [path], workers=2, batch_size=4, progress=False)
        assert (two.new, two.quotes, two.errors) == (one.new, one.quotes, one.errors) == (12, one.quotes, [])
        rows = _rows(other)
        assert rows == _rows(database)
        assert {"Jens Stoltenberg", "Dmitri Peskov"} <= {row.name for row in rows}
        assert one.quotes >= 24
    finally:
        other.dispose()
