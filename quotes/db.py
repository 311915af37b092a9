"""Engine and session set-up (pure SQLAlchemy, no Flask)."""
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
# SQLSTATEs of a transaction the server gave up so that another could go on
# (deadlock detected, serialization failure): run again, it will pass.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for ``url``; SQLite gets WAL, a busy timeout, foreign keys and real transactions.

    A server database gets ``pool_pre_ping``: a connection the server or a proxy
    closed while it sat in the pool is replaced rather than failing a request.
    Pool sizes (``pool_size``, ``max_overflow``) are the caller's to pass.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        kwargs.setdefault("pool_pre_ping", True)
        if parsed.get_backend_name() == "postgresql":
            # Stored datetimes are naive UTC: a zone-aware value is then converted to UTC,
            # whatever the server's own time zone.
            kwargs.setdefault("connect_args", {}).setdefault("options", "-c timezone=UTC")
        return create_engine(url, **kwargs)
    kwargs.pop("pool_size", None)  # SQLite's file pool takes no sizes
    kwargs.pop("max_overflow", None)
    if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection, connection_record) -> None:
    # pysqlite's own implicit BEGIN breaks SAVEPOINT and transactional DDL;
    # turn it off and emit BEGIN ourselves (SQLAlchemy's documented recipe).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_on_begin(conn) -> None:
    # A writer that reads first and then writes would get SQLITE_BUSY at once
    # (no busy wait) if another writer committed in between; taking the write
    # lock at BEGIN makes such transactions queue on the busy timeout instead.
    if conn.get_execution_options().get("sqlite_begin_immediate"):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def begin_write(session: Session) -> None:
    """Start ``session``'s transaction as a writer (BEGIN IMMEDIATE on SQLite); call before its first query.

    Elsewhere writers take row locks as they go and need nothing up front.
    """
    session.connection(execution_options={"sqlite_begin_immediate": True})


def is_retryable(exc: BaseException) -> bool:
    """True for an error that ended the transaction only so that a concurrent one could finish (a deadlock)."""
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


class Database:
    """An engine and its session factory for one database URL."""

    def __init__(self, url: str, **engine_kwargs):
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.Session = sessionmaker(bind=self.engine, expire_on_commit=False)

    @contextmanager
    def session_scope(self, write: bool = False) -> Iterator[Session]:
        """A session committed on success, rolled back on error, always closed.

        ``write=True`` takes SQLite's write lock up front (see ``begin_write``).
        """
        session = self.Session()
        try:
            if write:
                begin_write(session)
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
