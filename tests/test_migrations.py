"""The schema is made by the migrations: from empty, down and up again, keeping rows, on every backend."""
import sqlite3
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from quotes import migrate, search, store
from quotes.db import Database, make_engine
from quotes.models import Base, Document, Quote, Speaker
from tests.conftest import row_counts

HEAD = "0005"
TABLES = {"documents", "speakers", "quotes"}
# What makes full-text search on each backend, beside the tables.
FULL_TEXT_TABLES = {"sqlite": {"quotes_fts"}, "postgresql": set()}


@pytest.fixture
def empty_url(empty_db_url):
    return empty_db_url


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


def fts_hits(url, words):
    """Quotes the full-text search finds for ``words``, through the backend's own index."""
    database = Database(url)
    try:
        with database.session_scope() as session:
            return session.scalar(select(func.count()).select_from(Quote).where(search.fts_filter(words)))
    finally:
        database.dispose()


def test_upgrade_from_empty_database(empty_url, backend):
    assert migrate.current(empty_url) is None
    migrate.upgrade(empty_url)
    assert migrate.current(empty_url) == HEAD
    assert TABLES | FULL_TEXT_TABLES[backend] <= table_names(empty_url)
    database = Database(empty_url)
    with database.engine.connect() as connection:
        indexes = {ix["name"] for ix in inspect(connection).get_indexes("quotes")}
        assert {"ix_quotes_speaker_id_published_at", "ix_quotes_published_at", "ix_quotes_type"} <= indexes
        if backend == "sqlite":
            triggers = set(connection.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars())
            assert triggers == {"quotes_fts_after_insert", "quotes_fts_after_delete", "quotes_fts_after_update"}
        else:
            definition = connection.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_quotes_quote_tsv'").scalar()
            assert "USING gin (quote_tsv)" in definition
            generated = connection.exec_driver_sql(
                "SELECT generation_expression FROM information_schema.columns "
                "WHERE table_name = 'quotes' AND column_name = 'quote_tsv'").scalar()
            assert generated == "to_tsvector('quotes_french'::regconfig, quote)"
            columns = dict(((row[0], row[1]), row[2:]) for row in connection.exec_driver_sql(
                "SELECT table_name, column_name, data_type, collation_name FROM information_schema.columns "
                "WHERE table_schema = current_schema()"))
            assert columns["speaker_words", "word"] == ("character varying", "C")  # byte order, as SQLite's
            for key in (("documents", "id"), ("quotes", "id"), ("quotes", "speaker_id"), ("speaker_words", "speaker_id")):
                assert columns[key][0] == "bigint", key
    database.dispose()


def test_downgrade_to_base_then_upgrade(empty_url, backend):
    migrate.upgrade(empty_url)
    migrate.downgrade(empty_url, "base")
    assert migrate.current(empty_url) is None
    assert table_names(empty_url) == {"alembic_version"}
    migrate.upgrade(empty_url)
    assert migrate.current(empty_url) == HEAD
    assert TABLES | FULL_TEXT_TABLES[backend] <= table_names(empty_url)


def fill_as_at_0001(url):
    """Rows as revision 0001 knew them, written in plain SQL (today's models know later tables)."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO documents (id, text, content_hash, created_at) VALUES "
                                "(1, 'un', 'h1', '2022-01-01 00:00:00'), (2, 'deux', 'h2', '2022-01-01 00:00:00')"))
        connection.execute(text("INSERT INTO speakers (id, name, key, roles) VALUES "
                                "(1, 'Jean-Yves Le Drian', 'jean-yves le drian', '[]'), "
                                "(2, 'Jens Stoltenberg', 'jens stoltenberg', '[]')"))
        connection.execute(text(
            "INSERT INTO quotes (document_id, speaker_id, quote, quote_key, start, \"end\", type, confidence) VALUES "
            "(1, 1, 'La sécurité européenne est en jeu', 'k1', 0, 10, 'direct', 0.9), "
            "(2, 2, 'Nous restons unis', 'k2', 0, 10, 'direct', 0.9)"))
        if engine.dialect.name == "postgresql":
            # Rows given their ids by hand: the sequences must move past them, as they would have.
            for table in ("documents", "speakers"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 2)"))
    engine.dispose()


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
                "include_object": migrate.include_object,  # as migrations/env.py
            },
        )
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


@pytest.mark.sqlite_only
def test_sqlite_connections_use_wal_busy_timeout_and_foreign_keys(database):
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_failed_migration_leaves_database_unchanged(empty_url, monkeypatch):
    migrate.upgrade(empty_url, "0001")
    # The second statement a revision executes fails (in 0002 on SQLite, a later revision on PostgreSQL):
    # all of the upgrade must roll back.
    monkeypatch.setattr("alembic.operations.Operations.execute", _fail_on_second_call())
    with pytest.raises(RuntimeError, match="injected"):
        migrate.upgrade(empty_url)
    assert migrate.current(empty_url) == "0001"
    assert "quotes_fts" not in table_names(empty_url)
    engine = make_engine(empty_url)
    with engine.connect() as connection:
        assert "speaker_words" not in inspect(connection).get_table_names()
        assert "ix_quotes_quote_tsv" not in {ix["name"] for ix in inspect(connection).get_indexes("quotes")}
    engine.dispose()


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


def fill_as_at_0003(url):
    """Speakers as the extractor stored them before 0004: labels, a first name in two articles, roles in a list."""
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    with connection:
        connection.execute(
            "INSERT INTO documents (id, text, content_hash, source, published_at, created_at) VALUES "
            "(1, 'un', 'h1', 'Le Monde', '2022-01-11 23:30:00', '2022-01-01 00:00:00'), "
            "(2, 'deux', 'h2', NULL, NULL, '2022-01-01 00:00:00')")
        connection.execute(
            "INSERT INTO speakers (id, name, key, roles) VALUES "
            "(1, 'Frédéric', 'frederic', '[]'), (2, 'porte-parole de la préfecture', 'porte-parole de la prefecture', '[]'), "
            "(3, 'SNCF', 'sncf', '[]'), (4, 'Olivier Véran', 'olivier veran', '[\"ministre de la Santé\"]')")
        connection.execute(
            "INSERT INTO speaker_words (speaker_id, position, word) VALUES (1, 0, 'frederic'), (2, 0, 'porte'), "
            "(2, 1, 'parole'), (2, 2, 'de'), (2, 3, 'la'), (2, 4, 'prefecture'), (3, 0, 'sncf'), (4, 0, 'olivier'), (4, 1, 'veran')")
        connection.execute(
            "INSERT INTO quotes (id, document_id, speaker_id, quote, quote_key, start, \"end\", type, role, confidence) VALUES "
            "(1, 1, 1, 'Un', 'k1', 0, 1, 'direct', NULL, 0.9), (2, 2, 1, 'Deux', 'k2', 0, 1, 'direct', NULL, 0.9), "
            "(3, 1, 2, 'Trois', 'k3', 2, 3, 'direct', NULL, 0.9), (4, 2, 3, 'Quatre', 'k4', 2, 3, 'direct', NULL, 0.9), "
            "(5, 1, 4, 'Cinq', 'k5', 4, 5, 'direct', 'ministre de la Santé', 0.9)")
    connection.close()


def speakers_and_quotes(url):
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        speakers = connection.execute("SELECT name, * FROM speakers ORDER BY id").fetchall()
        columns = [c[0] for c in connection.execute("SELECT * FROM quotes LIMIT 0").description]
        quotes = connection.execute(
            "SELECT q.id, s.name, " + ("q.speaker_label" if "speaker_label" in columns else "NULL")
            + " FROM quotes q LEFT JOIN speakers s ON s.id = q.speaker_id ORDER BY q.id").fetchall()
        return speakers, quotes
    finally:
        connection.close()


@pytest.mark.sqlite_only  # its rows are written as 0003 knew them, through sqlite3
def test_0004_makes_labels_of_nameless_speakers_and_scopes_first_names_to_their_document(empty_url):
    migrate.upgrade(empty_url, "0003")
    fill_as_at_0003(empty_url)
    migrate.upgrade(empty_url, "0004")
    database = Database(empty_url)
    with database.session_scope() as session:
        speakers = session.scalars(select(Speaker).order_by(Speaker.id)).all()
        assert [(s.name, s.kind, s.document_id, [w.word for w in s.words]) for s in speakers] == [
            ("Frédéric", "person", 1, ["frederic"]),
            ("SNCF", "organisation", None, ["sncf"]),
            ("Olivier Véran", "person", None, ["olivier", "veran"]),
            ("Frédéric", "person", 2, ["frederic"]),
        ]
        quotes = session.scalars(select(Quote).order_by(Quote.id)).all()
        assert [(q.quote, q.speaker.name if q.speaker else None, q.speaker and q.speaker.document_id, q.speaker_label)
                for q in quotes] == [
            ("Un", "Frédéric", 1, None),
            ("Deux", "Frédéric", 2, None),
            ("Trois", None, None, "porte-parole de la préfecture"),
            ("Quatre", "SNCF", None, None),
            ("Cinq", "Olivier Véran", None, None),
        ]
        assert search.speaker_roles(session, [speakers[2].id]) == {speakers[2].id: [("ministre de la Santé", 1)]}
        assert [q.published_at for q in quotes] == [datetime(2022, 1, 11, 23, 30), None, datetime(2022, 1, 11, 23, 30), None,
                                                     datetime(2022, 1, 11, 23, 30)]  # their document's, to sort on
        monde = session.get(Document, 1)
        assert (monde.source_key, monde.published_on.isoformat(), monde.published_offset) == ("le monde", "2022-01-11", 0)
    database.dispose()

    migrate.downgrade(empty_url, "0003")
    speakers, quotes = speakers_and_quotes(empty_url)
    assert [(row[0], row[-1]) for row in speakers] == [
        ("Frédéric", "[]"), ("SNCF", "[]"), ("Olivier Véran", '["ministre de la Santé"]'),
        ("porte-parole de la préfecture", "[]"),
    ]
    assert [name for _, name, _ in quotes] == ["Frédéric", "Frédéric", "porte-parole de la préfecture", "SNCF", "Olivier Véran"]
    assert counts(empty_url) == (2, 4, 5)
    migrate.upgrade(empty_url)  # and up again
    assert counts(empty_url) == (2, 4, 5)
