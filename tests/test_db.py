"""Engine and session set-up: transactions, savepoints, the writer's lock."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from quotes.db import begin_write
from quotes.models import Document


def documents(database):
    with database.session_scope() as session:
        return session.scalars(select(Document.content_hash).order_by(Document.id)).all()


def test_session_scope_commits_on_success_and_rolls_back_on_error(database):
    with database.session_scope() as session:
        session.add(Document(text="a", content_hash="a"))
    with pytest.raises(ValueError):
        with database.session_scope() as session:
            session.add(Document(text="b", content_hash="b"))
            session.flush()
            raise ValueError
    assert documents(database) == ["a"]


def test_savepoints_roll_back_alone(database):
    with database.session_scope() as session:
        session.add(Document(text="a", content_hash="a"))
        with pytest.raises(ValueError):
            with session.begin_nested():
                session.add(Document(text="b", content_hash="b"))
                session.flush()
                raise ValueError
        session.add(Document(text="c", content_hash="c"))
    assert documents(database) == ["a", "c"]


@pytest.mark.sqlite_only
def test_a_writer_holds_the_write_lock_from_its_first_statement(database):
    with database.Session() as writer:
        begin_write(writer)
        writer.scalar(select(func.count()).select_from(Document))  # a read, yet the lock is taken
        with database.engine.connect() as other:
            other.connection.dbapi_connection.execute("PRAGMA busy_timeout=50")  # fail fast for the test
            with pytest.raises(OperationalError, match="locked"):
                other.execution_options(sqlite_begin_immediate=True).begin()
            # Readers are not blocked (WAL).
            assert other.execute(select(func.count()).select_from(Document)).scalar() == 0
        writer.rollback()
