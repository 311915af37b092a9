"""add quote full-text index (SQLite FTS5, kept in step by triggers)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30

External-content FTS5 table over quotes.quote: the text lives once, in
quotes; the index holds only tokens. unicode61 with remove_diacritics 2
folds case and accents, so "securite" finds "sécurité". Rows already in
quotes are indexed by the 'rebuild' command.

SQLite only: PostgreSQL's full-text index is revision 0005's (a GIN index on
the quotes' tsvector), which this revision leaves alone there.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATEMENTS_UP = [
    """
    CREATE VIRTUAL TABLE quotes_fts USING fts5(
        quote,
        content='quotes',
        content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER quotes_fts_after_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, quote) VALUES (new.id, new.quote);
    END
    """,
    """
    CREATE TRIGGER quotes_fts_after_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
    END
    """,
    """
    CREATE TRIGGER quotes_fts_after_update AFTER UPDATE OF quote ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, quote) VALUES ('delete', old.id, old.quote);
        INSERT INTO quotes_fts(rowid, quote) VALUES (new.id, new.quote);
    END
    """,
    "INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')",
]

STATEMENTS_DOWN = [
    "DROP TRIGGER IF EXISTS quotes_fts_after_update",
    "DROP TRIGGER IF EXISTS quotes_fts_after_delete",
    "DROP TRIGGER IF EXISTS quotes_fts_after_insert",
    "DROP TABLE IF EXISTS quotes_fts",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS_UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS_DOWN:
        op.execute(statement)
