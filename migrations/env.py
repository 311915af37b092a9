"""Alembic environment: runs revisions on the engine quotes.db makes (same SQLite pragmas)."""
from logging.config import fileConfig

from alembic import context

from quotes.db import make_engine
from quotes.migrate import include_object
from quotes.models import Base

config = context.config

# Programmatic runs (quotes.migrate) keep the application's logging as it is.
if config.config_file_name is not None and not config.attributes.get("quiet_logging"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata




def database_url() -> str:
    url = config.attributes.get("url")
    if url:
        return url
    from config import Config

    return Config.SQLALCHEMY_DATABASE_URI


def run_migrations_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def _pragma(connection, statement: str) -> None:
    # On the DBAPI connection: going through SQLAlchemy would open a
    # transaction first, inside which SQLite ignores this pragma.
    connection.connection.dbapi_connection.execute(statement)


def run_migrations_online() -> None:
    engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # Batch mode rebuilds a table by copy-and-drop; with foreign keys
                # on, dropping documents would cascade-delete every quote. The
                # pragma is ignored inside a transaction, so set it before.
                _pragma(connection, "PRAGMA foreign_keys=OFF")
            context.configure(
                connection=connection,
                target_metadata=target_metadata,
                render_as_batch=True,
                compare_type=True,
                include_object=include_object,
                # With quotes.db's explicit BEGIN, SQLite runs DDL inside a
                # transaction: a failed upgrade leaves the database as it was.
                transactional_ddl=True if sqlite else None,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left rows breaking foreign keys: {broken[:5]}")
            if sqlite:
                _pragma(connection, "PRAGMA foreign_keys=ON")
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
