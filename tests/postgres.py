"""Databases of their own for tests on the PostgreSQL server named by TEST_POSTGRES_URL.

Each test gets a new database, made from a migrated template (CREATE DATABASE … TEMPLATE copies
its files: much faster than migrating again), and dropped after it. The URL's user needs CREATEDB.
"""
import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from quotes import migrate

SERVER_URL = os.environ.get("TEST_POSTGRES_URL") or None


class PostgresServer:
    def __init__(self, url: str):
        self.url = make_url(url)
        # CREATE and DROP DATABASE cannot run inside a transaction.
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT")
        self.prefix = f"quotes_test_{os.getpid()}_"
        self._template: str | None = None

    def create_database(self, template: str | None = None) -> str:
        """The URL of a new database, empty or a copy of ``template``."""
        name = self.prefix + uuid.uuid4().hex[:12]
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
        return self.url.set(database=name).render_as_string(hide_password=False)

    def migrated_database(self) -> str:
        """The URL of a new database at the latest revision."""
        if self._template is None:
            url = self.create_database()
            migrate.upgrade(url)
            self._template = make_url(url).database
        return self.create_database(template=self._template)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as connection:
            # FORCE: a server process a failed test left behind must not keep the database alive.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        if self._template is not None:
            self.drop_database(self.url.set(database=self._template).render_as_string(hide_password=False))
        self.admin.dispose()
