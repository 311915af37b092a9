"""Shared fixtures: a temporary database made by the migrations, sessions on it, hand-made quote records."""
import shutil

import pytest

from config import Config
from quotes import migrate
from quotes.db import Database


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


@pytest.fixture
def migrated_db_url(migrated_template, tmp_path):
    """URL of a fresh, migrated SQLite database for this test (a copy of the migrated template)."""
    path = tmp_path / "quotes.db"
    shutil.copyfile(migrated_template, path)  # WAL was checkpointed when the migration engine closed
    return f"sqlite:///{path}"


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
