"""speakers are people and organisations; labels, evidence and publication dates on their own

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

- speakers: ``kind`` (person or organisation) and ``scope`` (0: the whole archive;
  else the one document a person known by one word is known in), unique per
  (key, scope); ``roles`` goes: a speaker's roles are counted from its quotes.
- quotes: ``speaker_label`` (who speaks when the text names nobody), ``evidence``, and
  ``published_at``, their document's, copied so that listings sort by date from an index
  (``ix_quotes_speaker_id_published_at`` takes the place of ``ix_quotes_speaker_id``).
- documents: ``source_key`` (folded source, what the filter compares),
  ``published_offset`` and ``published_on`` (the publication's own date).

Existing rows: a speaker whose name has no capital letter ("femme", "porte-parole
de la préfecture") names nobody: its quotes keep the name as their label and
lose the speaker. A person known by one word ("Frédéric") becomes one speaker
per document its quotes are in. A one-word name in capitals ("SNCF") is an
organisation; every other speaker a person. Dates stored before kept no offset:
they were UTC, so their offset is 0. The downgrade merges the split speakers
again, makes labels speakers again and lists each speaker's roles from its quotes.
"""
import json
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of quotes.text and quotes.identity as they are today, so this revision never changes.
PARTICLES = frozenset({"de", "du", "des", "d'", "la", "le", "les", "von", "van", "der", "den", "di", "da", "del",
                       "della", "dos", "das", "ben", "ibn", "el", "al"})
MAX_ROLES = 20  # what revision 0001's speakers.roles held at most


def fold(s: str) -> str:
    decomposed = unicodedata.normalize("NFKD", s)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    for apostrophe in "\u2019\u2018\u02bc\u2032`\u00b4":
        bare = bare.replace(apostrophe, "'")
    return " ".join(bare.lower().split())


def key_words(key: str) -> list[str]:
    return key.replace("-", " ").replace("'", " ").split()


def is_one_word(name: str) -> bool:
    words = [word for word in fold(name).split() if word not in PARTICLES]
    words = [word[2:] if word.startswith(("d'", "l'")) else word for word in words]
    return len([word for word in words if word]) <= 1


def names_nobody(name: str) -> bool:
    return not any(c.isupper() for c in name)


def kind_of(name: str) -> str:
    letters = name.replace("-", "").replace("&", "")
    return "organisation" if " " not in name and len(letters) >= 2 and letters.isalpha() and letters.isupper() else "person"


def upgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("source_key", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("published_offset", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("published_on", sa.Date(), nullable=True))
        batch.create_index("ix_documents_source_key", ["source_key"])
        batch.create_index("ix_documents_published_on", ["published_on"])
    documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("source", sa.String),
                         sa.column("source_key", sa.String), sa.column("published_at", sa.DateTime),
                         sa.column("published_offset", sa.Integer), sa.column("published_on", sa.Date))
    for id_, source, published_at in connection.execute(
        sa.select(documents.c.id, documents.c.source, documents.c.published_at)
    ).all():
        connection.execute(documents.update().where(documents.c.id == id_).values(
            source_key=fold(source) if source else None,
            published_offset=0 if published_at is not None else None,
            published_on=_day(published_at),
        ))

    with op.batch_alter_table("quotes") as batch:
        batch.add_column(sa.Column("speaker_label", sa.Text(), nullable=True))
        batch.add_column(sa.Column("evidence", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
        batch.drop_index("ix_quotes_speaker_id")
        batch.create_index("ix_quotes_speaker_id_published_at", ["speaker_id", "published_at", "id"])
        batch.create_index("ix_quotes_published_at", ["published_at", "id"])
    connection.execute(sa.text(
        "UPDATE quotes SET published_at = (SELECT published_at FROM documents WHERE documents.id = quotes.document_id)"
    ))

    with op.batch_alter_table("speakers") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=16), nullable=False, server_default="person"))
        batch.add_column(sa.Column("scope", sa.Integer(), nullable=False, server_default="0"))
        batch.drop_constraint("uq_speakers_key", type_="unique")
        batch.create_unique_constraint("uq_speakers_key_scope", ["key", "scope"])
        batch.drop_column("roles")

    speakers = connection.execute(sa.text("SELECT id, name, key FROM speakers ORDER BY id")).all()
    for id_, name, key in speakers:
        if names_nobody(name):
            connection.execute(sa.text("UPDATE quotes SET speaker_label = :name, speaker_id = NULL, role = NULL "
                                       "WHERE speaker_id = :id"), {"name": name, "id": id_})
            _delete_speaker(connection, id_)
            continue
        kind = kind_of(name)
        if kind != "person":
            connection.execute(sa.text("UPDATE speakers SET kind = :kind WHERE id = :id"), {"kind": kind, "id": id_})
        elif is_one_word(name):
            _scope_to_documents(connection, id_, name, key)


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):  # a driver that hands back text
        value = datetime.fromisoformat(value)
    return value.date()


def _delete_speaker(connection, id_: int) -> None:
    # Foreign keys are off while SQLite migrates: no cascade to the word index.
    connection.execute(sa.text("DELETE FROM speaker_words WHERE speaker_id = :id"), {"id": id_})
    connection.execute(sa.text("DELETE FROM speakers WHERE id = :id"), {"id": id_})


def _scope_to_documents(connection, id_: int, name: str, key: str) -> None:
    """The speaker stays with its first document; each other document gets a speaker of its own."""
    document_ids = connection.execute(
        sa.text("SELECT DISTINCT document_id FROM quotes WHERE speaker_id = :id ORDER BY document_id"), {"id": id_}
    ).scalars().all()
    if not document_ids:
        return
    connection.execute(sa.text("UPDATE speakers SET scope = :scope WHERE id = :id"), {"scope": document_ids[0], "id": id_})
    for document_id in document_ids[1:]:
        new_id = _insert_speaker(connection, name, key, "person", document_id)
        _insert_words(connection, new_id, key)
        connection.execute(sa.text("UPDATE quotes SET speaker_id = :new WHERE speaker_id = :old AND document_id = :doc"),
                           {"new": new_id, "old": id_, "doc": document_id})


def _insert_speaker(connection, name: str, key: str, kind: str, scope: int) -> int:
    # RETURNING, not the cursor's lastrowid: PostgreSQL's is no id (SQLite has RETURNING since 3.35).
    return connection.execute(
        sa.text("INSERT INTO speakers (name, key, kind, scope) VALUES (:name, :key, :kind, :scope) RETURNING id"),
        {"name": name, "key": key, "kind": kind, "scope": scope},
    ).scalar_one()


def _insert_words(connection, speaker_id: int, key: str) -> None:
    for position, word in enumerate(key_words(key)):
        connection.execute(sa.text("INSERT INTO speaker_words (speaker_id, position, word) VALUES (:id, :position, :word)"),
                           {"id": speaker_id, "position": position, "word": word})


def downgrade() -> None:
    connection = op.get_bind()
    # Speakers split per document are one speaker again (0003 has one per key).
    rows = connection.execute(sa.text("SELECT id, key FROM speakers ORDER BY id")).all()
    first: dict[str, int] = {}
    for id_, key in rows:
        if key in first:
            connection.execute(sa.text("UPDATE quotes SET speaker_id = :keep WHERE speaker_id = :id"),
                               {"keep": first[key], "id": id_})
            _delete_speaker(connection, id_)
        else:
            first[key] = id_
    # Labels are speakers again.
    labels = connection.execute(sa.text(
        "SELECT DISTINCT speaker_label FROM quotes WHERE speaker_id IS NULL AND speaker_label IS NOT NULL"
    )).scalars().all()
    for label in labels:
        key = fold(label)
        if key not in first:
            first[key] = _insert_speaker(connection, label, key, "person", 0)
            _insert_words(connection, first[key], key)
        connection.execute(sa.text("UPDATE quotes SET speaker_id = :id WHERE speaker_id IS NULL AND speaker_label = :label"),
                           {"id": first[key], "label": label})

    with op.batch_alter_table("speakers") as batch:
        batch.add_column(sa.Column("roles", sa.JSON(), nullable=False, server_default="[]"))
        batch.drop_constraint("uq_speakers_key_scope", type_="unique")
        batch.create_unique_constraint("uq_speakers_key", ["key"])
        batch.drop_column("scope")
        batch.drop_column("kind")
    roles: dict[int, list[str]] = {}
    for speaker_id, role in connection.execute(sa.text(
        "SELECT speaker_id, role FROM quotes WHERE speaker_id IS NOT NULL AND role IS NOT NULL ORDER BY id"
    )).all():
        kept = roles.setdefault(speaker_id, [])
        if role not in kept and len(kept) < MAX_ROLES:
            kept.append(role)
    for speaker_id, kept in roles.items():
        connection.execute(sa.text("UPDATE speakers SET roles = :roles WHERE id = :id"),
                           {"roles": json.dumps(kept, ensure_ascii=False), "id": speaker_id})

    with op.batch_alter_table("quotes") as batch:
        batch.drop_index("ix_quotes_published_at")
        batch.drop_index("ix_quotes_speaker_id_published_at")
        batch.create_index("ix_quotes_speaker_id", ["speaker_id"])
        batch.drop_column("published_at")
        batch.drop_column("evidence")
        batch.drop_column("speaker_label")
    with op.batch_alter_table("documents") as batch:
        batch.drop_index("ix_documents_published_on")
        batch.drop_index("ix_documents_source_key")
        batch.drop_column("published_on")
        batch.drop_column("published_offset")
        batch.drop_column("source_key")
