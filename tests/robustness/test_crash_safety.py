"""Crash safety: a failure inside a document's transaction leaves nothing of it; a killed bulk ingest resumes to a clean run's database."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import event

from quotes import create_app, ingest, intake, migrate, store
from quotes.db import Database

from tests.conftest import full_text_count

from .conftest import ROOT, corpus_articles, snapshot

ONE = "«Nous restons unis face à la menace», a déclaré Jens Stoltenberg. «Rien n'est décidé», a déclaré Josep Borrell."
TWO = "«La sécurité de la Russie n'est pas négociable», a déclaré Dmitri Peskov."
SEEDED = "«Le dialogue continue», a déclaré Annalena Baerbock."


class Injected(RuntimeError):
    pass


def rows_in_transaction(session) -> tuple[int, int, int, int]:
    """(documents, quotes, speakers, quotes the full-text index finds for "unis") as this open transaction sees them."""
    connection = session.connection()
    counts = [connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar()
              for table in ("documents", "quotes", "speakers")]
    return (*counts, full_text_count(session, "unis"))


@pytest.fixture
def app_500(test_config, monkeypatch):
    from conftest import fake_extract  # tests/conftest.py: the regular-expression stand-in for spaCy

    monkeypatch.setattr("quotes.extract.extract_many", lambda texts, model=None: (fake_extract(t) for t in texts))
    config = type("CrashConfig", (test_config,), {"PROPAGATE_EXCEPTIONS": False})
    app = create_app(config)
    with app.extensions["db"].session_scope(write=True) as session:
        store.save_document(session, store.DocumentInput(SEEDED), fake_extract(SEEDED))
    yield app
    app.extensions["db"].dispose()


def fail_before_commit(database: Database, seen: list) -> None:
    """Make the next commit on ``database`` fail after recording what its transaction had written."""

    def before_commit(session):
        if session.in_nested_transaction():
            return  # a savepoint released, not the commit
        event.remove(database.Session, "before_commit", before_commit)
        seen.append(rows_in_transaction(session))
        raise Injected("crash between the last write and the commit")

    event.listen(database.Session, "before_commit", before_commit)


@pytest.mark.parametrize("body", [{"text": ONE}, [{"text": ONE}, {"text": TWO}]], ids=["one", "list"])
def test_api_failure_before_commit_leaves_nothing_of_the_post(app_500, migrated_db_url, body):
    before = snapshot(migrated_db_url)
    seen = []
    fail_before_commit(app_500.extensions["db"], seen)
    response = app_500.test_client().post("/api/documents", json=body)
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == 500
    assert "Injected" not in response.get_data(as_text=True)  # no internals in the answer
    # The failed transaction had written the documents, their quotes, speakers and full-text rows...
    posted = len(body) if isinstance(body, list) else 1
    assert seen[0][0] == 1 + posted and seen[0][1] > 1 + posted and seen[0][3] == 1
    # ...and none of it remains, while what was there before is untouched.
    assert snapshot(migrated_db_url) == before
    # The same post succeeds afterwards: nothing half-stored blocks it.
    again = app_500.test_client().post("/api/documents", json=body)
    assert again.status_code == 201


def test_api_failure_between_two_quotes_leaves_nothing(app_500, migrated_db_url, monkeypatch):
    before = snapshot(migrated_db_url)
    real_row = store._quote_row
    calls = []

    def second_quote_fails(document, record, speaker):
        calls.append(record.quote)
        if len(calls) == 2:
            raise Injected("crash after the first quote was written")
        return real_row(document, record, speaker)

    monkeypatch.setattr(store, "_quote_row", second_quote_fails)
    response = app_500.test_client().post("/api/documents", json={"text": ONE})
    assert response.status_code == 500
    assert len(calls) == 2
    assert snapshot(migrated_db_url) == before


def test_bulk_ingest_failure_at_commit_loses_only_that_batch_and_resumes(migrated_db_url, tmp_path, fake_extractor,
                                                                       monkeypatch):
    texts = [f"«Phrase {n} du lot», a déclaré Jens Stoltenberg. «Réponse {n}», a déclaré Josep Borrell." for n in range(9)]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    database = Database(migrated_db_url)
    writes = []
    real_add = intake.add_documents

    def add_documents(session, *args, **kwargs):
        # The second write transaction (second batch) fails at its commit.
        writes.append(1)
        if len(writes) == 2:
            fail_before_commit(database, [])
        return real_add(session, *args, **kwargs)

    monkeypatch.setattr(intake, "add_documents", add_documents)
    with pytest.raises(Injected):
        ingest.ingest_paths(database, [path], batch_size=3, progress=False)
    database.dispose()
    monkeypatch.setattr(intake, "add_documents", real_add)
    stored = snapshot(migrated_db_url)
    assert len(stored["documents"]) == 3  # the first batch only
    assert stored["quote_rows"] == 6 and stored["fts_consistent"]

    database = Database(migrated_db_url)
    summary = ingest.ingest_paths(database, [path], batch_size=3, progress=False)
    database.dispose()
    assert (summary.new, summary.existing, summary.errors) == (6, 3, [])
    clean = tmp_path / "clean.db"
    migrate.upgrade(f"sqlite:///{clean}")
    reference = Database(f"sqlite:///{clean}")
    ingest.ingest_paths(reference, [path], batch_size=3, progress=False)
    reference.dispose()
    assert snapshot(migrated_db_url) == snapshot(f"sqlite:///{clean}")


def count_documents(path) -> int:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        connection.close()


def run_ingest(db_path, jsonl, *extra, **popen) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.Popen(
        [sys.executable, "-m", "quotes", "--database-url", f"sqlite:///{db_path}", "ingest", str(jsonl),
         "--batch-size", "2", "--no-progress", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,
    )


@pytest.mark.slow
@pytest.mark.sqlite_only  # a database file, read while the ingest writes and checked after the kill
def test_killed_bulk_ingest_resumes_to_the_database_of_a_clean_run(migrated_db_url, tmp_path):
    articles = corpus_articles(12, skip=40)
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    db_path = migrated_db_url.removeprefix("sqlite:///")

    # Its own session: the kill reaches the ingest and any process it started, and nothing else.
    process = run_ingest(db_path, jsonl, start_new_session=True)
    deadline = time.monotonic() + 300
    while count_documents(db_path) < 4:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "ingest stored nothing in 300 s"
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    killed_at = count_documents(db_path)
    assert 4 <= killed_at < len(articles)  # killed mid-way, batches committed so far kept

    connection = sqlite3.connect(db_path)
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    connection.close()

    resumed = run_ingest(db_path, jsonl)
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err.decode()
    assert out.decode().splitlines()[0] == f"documents: {len(articles) - killed_at} new, {killed_at} already there"

    clean = tmp_path / "clean.db"
    migrate.upgrade(f"sqlite:///{clean}")
    reference = Database(f"sqlite:///{clean}")
    summary = ingest.ingest_paths(reference, [jsonl], batch_size=2, progress=False)
    reference.dispose()
    assert summary.new == len(articles) and summary.errors == []
    got, expected = snapshot(migrated_db_url), snapshot(f"sqlite:///{clean}")
    assert got["quote_rows"] > len(articles) and got["fts_consistent"]
    assert got == expected
