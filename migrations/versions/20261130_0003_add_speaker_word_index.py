"""add speaker word index (find a speaker by any word of the name without a scan)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

One row per word of each speaker's folded name, indexed by word: the
speaker filter ("stoltenberg", "le drian") and speaker suggestions ("stol")
look words up here instead of scanning every speaker with LIKE. Speakers
already stored get their words from their key.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def name_words(key: str) -> list[str]:
    # Frozen copy of quotes.text.name_words for keys (already folded), so this revision never changes.
    return key.replace("-", " ").replace("'", " ").split()


def upgrade() -> None:
    speaker_words = op.create_table(
        "speaker_words",
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("word", sa.String(length=255), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_speaker_words_speaker_id_speakers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("speaker_id", "position", name="pk_speaker_words"),
    )
    op.create_index("ix_speaker_words_word", "speaker_words", ["word"])
    connection = op.get_bind()
    speakers = connection.execute(sa.text("SELECT id, key FROM speakers")).all()
    rows = [
        {"speaker_id": id_, "position": n, "word": word} for id_, key in speakers for n, word in enumerate(name_words(key))
    ]
    if rows:
        op.bulk_insert(speaker_words, rows)


def downgrade() -> None:
    op.drop_index("ix_speaker_words_word", table_name="speaker_words")
    op.drop_table("speaker_words")
