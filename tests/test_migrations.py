"""The schema is made by the migrations: from empty, down and up again, keeping rows."""
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select, text

from quotes import migrate, search, store
from quotes.db import Database, make_engine
from quotes.models import Base, Document, Quote, Speaker
from tests.conftest import row_counts

HEAD = "0003"
TABLES = {"documents", "speakers", "quotes"}


@pytest.fixture
def empty_url(tmp_path):
    return f"sqlite:///{tmp_path / 'empty.db'}"


def table_names(url):
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def fill(url, make_quote):
    """Two documents with quotes by one speaker; returns the text of the first."""
    database = Database(url)
    text_one = "«La sécurité européenne est en jeu», a déclaré Jens Stoltenberg."
    text_two = "«Nous restons unis», a déclaré Jens Stoltenberg."
    with database.session_scope(write=True) as session:
        for body, quote in ((text_one, "La sécurité européenne est en jeu"), (text_two, "Nous restons unis")):
            store.save_document(
                session, store.DocumentInput(body, title="t"), [make_quote(body, quote, speaker="Jens Stoltenberg")]
            )
    database.dispose()
    return text_one


def counts(url):
    return row_counts(url, (Document, Speaker, Quote))


def fts_hits(url, query):
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return connection.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH ?", (query,)).fetchone()[0]
    finally:
        connection.close()


def test_upgrade_from_empty_database(empty_url):
    assert migrate.current(empty_url) is None
    migrate.upgrade(empty_url)
    assert migrate.current(empty_url) == HEAD
    names = table_names(empty_url)
    assert TABLES <= names
    assert "quotes_fts" in names
    database = Database(empty_url)
    with database.engine.connect() as connection:
        triggers = set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
        assert triggers == {"quotes_fts_after_insert", "quotes_fts_after_delete", "quotes_fts_after_update"}
        indexes = {ix["name"] for ix in inspect(connection).get_indexes("quotes")}
        assert {"ix_quotes_speaker_id", "ix_quotes_type"} <= indexes
    database.dispose()


def test_downgrade_to_base_then_upgrade(empty_url):
    migrate.upgrade(empty_url)
    migrate.downgrade(empty_url, "base")
    assert migrate.current(empty_url) is None
    assert table_names(empty_url) == {"alembic_version"}
    migrate.upgrade(empty_url)
    assert migrate.current(empty_url) == HEAD
    assert TABLES | {"quotes_fts"} <= table_names(empty_url)


def fill_as_at_0001(url):
    """Rows as revision 0001 knew them, written in plain SQL (today's models know later tables)."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    with connection:
        connection.execute("INSERT INTO documents (id, text, content_hash, created_at) VALUES "
                           "(1, 'un', 'h1', '2022-01-01 00:00:00'), (2, 'deux', 'h2', '2022-01-01 00:00:00')")
        connection.execute("INSERT INTO speakers (id, name, key, roles) VALUES "
                           "(1, 'Jean-Yves Le Drian', 'jean-yves le drian', '[]'), (2, 'Jens Stoltenberg', 'jens stoltenberg', '[]')")
        connection.execute(
            "INSERT INTO quotes (document_id, speaker_id, quote, quote_key, start, \"end\", type, confidence) VALUES "
            "(1, 1, 'La sécurité européenne est en jeu', 'k1', 0, 10, 'direct', 0.9), "
            "(2, 2, 'Nous restons unis', 'k2', 0, 10, 'direct', 0.9)")
    connection.close()


def test_upgrade_keeps_rows_and_indexes_them(empty_url):
    migrate.upgrade(empty_url, "0001")
    fill_as_at_0001(empty_url)
    migrate.upgrade(empty_url)
    assert counts(empty_url) == (2, 2, 2)
    assert fts_hits(empty_url, "securite") == 1  # rows stored before the index was made are found
    database = Database(empty_url)
    with database.session_scope() as session:  # speakers stored before the word index are found by any word
        assert session.scalars(select(Quote.quote).where(search.quote_conditions(search.QuoteFilters(speaker="drian"))[0])).all() == [
            "La sécurité européenne est en jeu"]
        assert [s.name for s, _ in session.execute(search.speaker_select("yv"))] == ["Jean-Yves Le Drian"]
    database.dispose()


def test_downgrade_and_upgrade_keep_rows(migrated_db_url, make_quote):
    fill(migrated_db_url, make_quote)
    migrate.downgrade(migrated_db_url, "0001")
    assert counts(migrated_db_url) == (2, 1, 2)
    migrate.upgrade(migrated_db_url)
    assert counts(migrated_db_url) == (2, 1, 2)
    assert fts_hits(migrated_db_url, "unis") == 1


def test_models_match_the_migrations(migrated_db_url):
    engine = make_engine(migrated_db_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, type_, *_: not (type_ == "table" and name.startswith("quotes_fts")),
            },
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(database):
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_failed_migration_leaves_database_unchanged(empty_url, monkeypatch):
    migrate.upgrade(empty_url, "0001")
    # Revision 0002 fails after its first statement: all of it must roll back.
    monkeypatch.setattr("alembic.operations.Operations.execute", _fail_on_second_call())
    with pytest.raises(RuntimeError, match="injected"):
        migrate.upgrade(empty_url)
    assert migrate.current(empty_url) == "0001"
    assert "quotes_fts" not in table_names(empty_url)


def _fail_on_second_call():
    from alembic.operations import Operations

    original = Operations.execute
    calls = []

    def execute(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("injected failure")
        return original(self, *args, **kwargs)

    return execute
