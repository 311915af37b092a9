"""Run the Alembic migrations programmatically (the only way the schema is made)."""
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

# Made by hand in the migrations, not from the models, so left out when the two are compared: SQLite's
# FTS5 table (and its shadow tables); PostgreSQL's tsvector column and the indexes only it has (0005).
HAND_MADE = {
    "table": ("quotes_fts",),
    "column": ("quote_tsv",),
    "index": ("ix_quotes_quote_tsv", "ix_quotes_published_at_desc", "ix_quotes_speaker_id_published_at_desc"),
}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter of what the models describe (see HAND_MADE)."""
    return not (name is not None and name.startswith(HAND_MADE.get(type_, ())))


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig(str(MIGRATIONS_DIR / "alembic.ini"))
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not a main option: ConfigParser would read any
    # '%' in the URL (an encoded password) as interpolation.
    cfg.attributes["url"] = url
    cfg.attributes["quiet_logging"] = True
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at ``url`` up to ``revision``."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    """Take the database at ``url`` down to ``revision`` ("base" empties it)."""
    command.downgrade(alembic_config(url), revision)


def current(url: str) -> str | None:
    """The revision the database at ``url`` is at, or None before the first (an SQLite file never made stays so)."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.engine import make_url

    from .db import make_engine

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and _is_file(parsed.database) and not Path(parsed.database).exists():
        return None  # connecting would create the file: a refusal must leave nothing behind
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def _is_file(database: str | None) -> bool:
    return bool(database) and database != ":memory:" and not database.startswith("file:")


def head() -> str:
    """The latest revision the migrations know."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("")).get_current_head()
