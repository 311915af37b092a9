"""PostgreSQL: full-text column and index, 64-bit ids, newest-first indexes, byte-ordered speaker words

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06

Nothing on SQLite, whose full-text index is revision 0002's.

Full text: quotes.quote_tsv, a stored generated column holding
to_tsvector('quotes_french', quote), with a GIN index. Stored, not an
expression index: a search rechecks and filters on the stored vector instead
of parsing each candidate quote again (a common word's first page took 100 ms
at 1,000,000 quotes as an expression, 5 ms stored). The models do not map it:
no code writes or reads it but quotes.search.fts_filter. quotes_french is the
French configuration with unaccent before the stemmer, so case and accents
never matter ("securite" finds "sécurité") and a word finds its other forms
("sanction" finds "sanctions"). Its stemmer keeps the French stop words
("le", "est", "en"), which FTS5 on SQLite indexes too: a phrase such as
"est en jeu" is then matched word for word, not as "jeu" alone.

Ids: BIGINT, and so are the columns that point at them and the sequences that
number them, as SQLite's rowids are 64-bit: the API accepts any id up to
2**63 - 1, which INTEGER could not even be compared with (psycopg binds it as
the column's type).

Newest first: quote listings are ordered by published_at DESC NULLS LAST, id
(search.quote_order), which the ascending indexes of 0004 cannot give PostgreSQL
in one direction (it sorted a million rows for a first page: 185 ms); an index in
that order each, for all quotes and per speaker, reads the first page in 0.1 ms.

Speaker words: compared byte by byte (COLLATE "C"), as SQLite compares
them. The prefix search reads the range [word, word + U+10FFFF) from their
index, which a linguistic collation may order otherwise (or not use).

unaccent is a trusted extension: the owner of the database may create it. A
downgrade leaves it, as it may have been there before and other schemas may
use it.
"""
from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUOTES_ID_COLUMNS = ["id", "document_id", "speaker_id"]
OTHER_ID_COLUMNS = [("documents", "id"), ("speakers", "id"), ("speaker_words", "speaker_id")]
SEQUENCES = ["documents", "speakers", "quotes"]

STATEMENTS_UP = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # The snowball template without a StopWords file: every word is indexed.
    "CREATE TEXT SEARCH DICTIONARY quotes_french_stem (TEMPLATE = snowball, Language = french)",
    "CREATE TEXT SEARCH CONFIGURATION quotes_french (COPY = pg_catalog.french)",
    """
    ALTER TEXT SEARCH CONFIGURATION quotes_french
        ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
        WITH unaccent, quotes_french_stem
    """,
    # One statement, so that the quotes table is rewritten once.
    "ALTER TABLE quotes "
    + ", ".join(f"ALTER COLUMN {column} TYPE bigint" for column in QUOTES_ID_COLUMNS)
    + ", ADD COLUMN quote_tsv tsvector GENERATED ALWAYS AS (to_tsvector('quotes_french'::regconfig, quote)) STORED",
    *[f"ALTER TABLE {table} ALTER COLUMN {column} TYPE bigint" for table, column in OTHER_ID_COLUMNS],
    *[f"ALTER SEQUENCE {table}_id_seq AS bigint" for table in SEQUENCES],
    'ALTER TABLE speaker_words ALTER COLUMN word TYPE varchar(255) COLLATE "C"',
    "CREATE INDEX ix_quotes_quote_tsv ON quotes USING gin (quote_tsv)",
    "CREATE INDEX ix_quotes_published_at_desc ON quotes (published_at DESC NULLS LAST, id)",
    "CREATE INDEX ix_quotes_speaker_id_published_at_desc ON quotes (speaker_id, published_at DESC NULLS LAST, id)",
]

STATEMENTS_DOWN = [
    "DROP INDEX IF EXISTS ix_quotes_speaker_id_published_at_desc",
    "DROP INDEX IF EXISTS ix_quotes_published_at_desc",
    "ALTER TABLE quotes DROP COLUMN IF EXISTS quote_tsv",  # and its index
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS quotes_french",
    "DROP TEXT SEARCH DICTIONARY IF EXISTS quotes_french_stem",
    'ALTER TABLE speaker_words ALTER COLUMN word TYPE varchar(255) COLLATE "default"',
    # Fails, as it should, once an id is past 2**31 - 1.
    *[f"ALTER SEQUENCE {table}_id_seq AS integer" for table in SEQUENCES],
    "ALTER TABLE quotes " + ", ".join(f"ALTER COLUMN {column} TYPE integer" for column in QUOTES_ID_COLUMNS),
    *[f"ALTER TABLE {table} ALTER COLUMN {column} TYPE integer" for table, column in OTHER_ID_COLUMNS],
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS_UP:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in STATEMENTS_DOWN:
        op.execute(statement)
