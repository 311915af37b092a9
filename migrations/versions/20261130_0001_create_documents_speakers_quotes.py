"""create documents, speakers and quotes

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=255), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("content_hash", name="uq_documents_content_hash"),
    )
    op.create_index("ix_documents_source", "documents", ["source"])
    op.create_index("ix_documents_published_at", "documents", ["published_at"])

    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_speakers"),
        sa.UniqueConstraint("key", name="uq_speakers_key"),
    )
    # Speaker lists are ordered by name.
    op.create_index("ix_speakers_name", "speakers", ["name"])

    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=True),
        sa.Column("quote", sa.Text(), nullable=False),
        sa.Column("quote_key", sa.String(length=64), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("cue", sa.String(length=255), nullable=True),
        sa.Column("cue_lemma", sa.String(length=255), nullable=True),
        sa.Column("type", sa.String(length=16), nullable=False),
        sa.Column("mention", sa.Text(), nullable=True),
        sa.Column("role", sa.Text(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_quotes"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name="fk_quotes_document_id_documents", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["speaker_id"], ["speakers.id"], name="fk_quotes_speaker_id_speakers", ondelete="SET NULL"
        ),
        # Its leading column also serves lookups and cascades by document_id.
        sa.UniqueConstraint("document_id", "start", "end", name="uq_quotes_document_span"),
        sa.UniqueConstraint("document_id", "quote_key", name="uq_quotes_document_quote_key"),
    )
    op.create_index("ix_quotes_speaker_id", "quotes", ["speaker_id"])
    op.create_index("ix_quotes_type", "quotes", ["type"])


def downgrade() -> None:
    op.drop_table("quotes")
    op.drop_table("speakers")
    op.drop_table("documents")
