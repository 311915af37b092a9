"""Shared fixtures: a temporary database made by the migrations, sessions on it, hand-made quote records.

Every test that uses a database runs on SQLite and, when TEST_POSTGRES_URL names a server, once more
on PostgreSQL (its id ends in [sqlite] or [postgresql]); ``@pytest.mark.sqlite_only`` keeps a test
about SQLite's own machinery (FTS5 tables, pragmas, database files) to SQLite.
"""
import re
import shutil
import threading

import pytest

from config import Config
from quotes import migrate
from quotes.db import Database
from quotes.extract import QuoteRecord
from tests.postgres import SERVER_URL, PostgresServer

BACKENDS = ("sqlite", "postgresql") if SERVER_URL else ("sqlite",)


def pytest_generate_tests(metafunc):
    # "backend" is asked for by migrated_db_url, so by every fixture built on it.
    if "backend" in metafunc.fixturenames:
        only_sqlite = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("backend", ("sqlite",) if only_sqlite else BACKENDS)


class TestConfig(Config):
    """Config for tests; each test gets its own database URL (see the ``test_config`` fixture)."""

    __test__ = False  # not a test class, despite its name
    TESTING = True
    SQLALCHEMY_DATABASE_URI = None
    RATELIMIT_ENABLED = False
    API_TOKEN = None


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """A database file brought to head by the migrations, once per test session."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_server():
    """The PostgreSQL server of TEST_POSTGRES_URL, where tests make and drop their databases."""
    if SERVER_URL is None:
        pytest.skip("TEST_POSTGRES_URL is not set")
    server = PostgresServer(SERVER_URL)
    yield server
    server.close()


def _new_database(backend: str, request, sqlite_path, migrated: bool = True):
    """Yields the URL of a new database on ``backend`` (a copy of the migrated template, or empty); drops it after."""
    if backend == "sqlite":
        if migrated:
            # WAL was checkpointed when the migration engine closed
            shutil.copyfile(request.getfixturevalue("migrated_template"), sqlite_path)
        yield f"sqlite:///{sqlite_path}"
        return
    server = request.getfixturevalue("postgres_server")
    url = server.migrated_database() if migrated else server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def migrated_db_url(backend, request, tmp_path):
    """URL of a fresh, migrated database for this test, on ``backend``."""
    yield from _new_database(backend, request, tmp_path / "quotes.db")


@pytest.fixture(scope="module", params=BACKENDS)
def module_db_url(request, tmp_path_factory):
    """URL of a migrated database shared by one module's tests, once per backend (for read-mostly modules)."""
    yield from _new_database(request.param, request, tmp_path_factory.mktemp("module") / "quotes.db")


@pytest.fixture
def empty_db_url(backend, request, tmp_path):
    """URL of a database with no table, on ``backend``."""
    yield from _new_database(backend, request, tmp_path / "empty.db", migrated=False)


@pytest.fixture
def test_config(migrated_db_url):
    return type("TestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": migrated_db_url})


@pytest.fixture
def database(migrated_db_url):
    db = Database(migrated_db_url)
    yield db
    db.dispose()


@pytest.fixture
def session(database):
    with database.Session() as session:
        yield session


@pytest.fixture
def app(test_config):
    """The Flask app on this test's migrated database."""
    from quotes import create_app

    app = create_app(test_config)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


def row_counts(url: str, models=None) -> tuple[int, ...]:
    """Rows in each table of ``models`` (documents, quotes, speakers by default) of the database at ``url``."""
    from sqlalchemy import func, select

    from quotes.models import Document, Quote as QuoteRow, Speaker

    database = Database(url)
    try:
        with database.session_scope() as session:
            return tuple(session.scalar(select(func.count()).select_from(model))
                         for model in models or (Document, QuoteRow, Speaker))
    finally:
        database.dispose()


def run_at_once(target, count: int) -> list[Exception]:
    """``target(n)`` in ``count`` threads at once, for n in 0..count-1; the exceptions they raised."""
    errors = []

    def run(n):
        try:
            target(n)
        except Exception as exc:  # returned: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def full_text_count(session, words: str) -> int:
    """Quotes the full-text search finds for ``words`` (SQLite's FTS5 table, PostgreSQL's GIN index)."""
    from sqlalchemy import func, select

    from quotes.models import Quote as QuoteRow
    from quotes.search import fts_filter

    return session.scalar(select(func.count()).select_from(QuoteRow).where(fts_filter(words)))


def quote_in(text: str, quote: str, occurrence: int = 0, **fields) -> QuoteRecord:
    """A hand-made extractor record for the ``occurrence``-th copy of ``quote`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return QuoteRecord(quote=quote, start=start, end=start + len(quote), **fields)


@pytest.fixture
def make_quote():
    """``make_quote(text, quote, occurrence=0, **fields)``: a QuoteRecord with its offsets in ``text``."""
    return quote_in


# «…», a déclaré Prénom Nom — enough of the extractor's job for storage and CLI tests, without spaCy.
_FAKE_ATTRIBUTED = re.compile(r"«\s*([^«»]+?)\s*»,? a déclaré ((?:[A-ZÉ][\w-]+ ?){2})")
_FAKE_BARE = re.compile(r"«\s*([^«»]+?)\s*»")


def fake_extract(text: str, model: str | None = None) -> list[QuoteRecord]:
    found = {}
    for match in _FAKE_ATTRIBUTED.finditer(text):
        found[match.start(1)] = QuoteRecord(
            quote=match.group(1), start=match.start(1), end=match.end(1), speaker=match.group(2).strip(),
            mention=match.group(2).strip(), cue="a déclaré", cue_lemma="déclarer", type="direct", confidence=0.9,
        )
    for match in _FAKE_BARE.finditer(text):
        found.setdefault(
            match.start(1), QuoteRecord(quote=match.group(1), start=match.start(1), end=match.end(1), confidence=0.3)
        )
    return [found[start] for start in sorted(found)]


# A text the stand-in extractor raises on (see breakable_extractor), as a bug in the extractor would.
BREAKS_THE_EXTRACTOR = "«Ce texte fait tomber l’extracteur», a déclaré Jean Dupont."


def _stand_in_extractor(monkeypatch, breaks_on: str | None = None) -> list[str]:
    """Put fake_extract in the extractor's place, in this process; returns the texts it extracts as it goes."""
    calls = []

    def extract(text, model=None):
        if text == breaks_on:
            raise RuntimeError("attribution bug")
        calls.append(text)
        return fake_extract(text)

    def extract_many(texts, model=None, batch_size=32):
        for text in texts:
            yield extract(text)

    monkeypatch.setattr("quotes.extract.extract", extract)
    monkeypatch.setattr("quotes.extract.extract_many", extract_many)
    return calls


@pytest.fixture
def fake_extractor(monkeypatch):
    """Replace the spaCy extractor, in this process, by a regular expression for «…», a déclaré Prénom Nom."""
    return _stand_in_extractor(monkeypatch)


@pytest.fixture
def breakable_extractor(monkeypatch):
    """The same stand-in, raising on BREAKS_THE_EXTRACTOR (alone or in a batch)."""
    return _stand_in_extractor(monkeypatch, breaks_on=BREAKS_THE_EXTRACTOR)


def check_speaker(record, expected: str | None) -> None:
    """A name (capitalised) is the record's speaker; a description (lower case) its label, with no speaker.

    On failure the message is the record's evidence: the rule, the cue, the
    mention and how it became (or did not become) a name.
    """
    why = record.evidence.explain() if record.evidence else "no rule matched"
    if expected is None:
        assert (record.speaker, record.speaker_label) == (None, None), why
    elif expected[:1].islower():
        assert (record.speaker, record.speaker_label) == (None, expected), why
    else:
        assert record.speaker == expected, why
