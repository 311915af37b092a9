"""Storing documents with their quotes and speakers; deleting them.

Functions here never commit: the caller's transaction does, so one document
is stored whole or not at all. Duplicates are prevented by unique
constraints (documents.content_hash, speakers.key, quotes per document), and
a writer that loses a race catches the IntegrityError inside a savepoint and
reads the winner's row, so no lock is needed.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import extract as extractor
from .models import Document, Quote, Speaker, SpeakerWord, as_utc
from .text import content_hash, fold, name_words


# Roles kept per speaker: the first ones seen; enough to describe someone, bounded against noisy extraction.
MAX_ROLES = 20


@dataclass
class DocumentInput:
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None


def find_document(session: Session, digest: str) -> Document | None:
    return session.scalars(select(Document).where(Document.content_hash == digest)).one_or_none()


def get_document(session: Session, id: int) -> Document | None:
    return session.get(Document, id)


def save_document(session: Session, doc: DocumentInput, quotes: list[extractor.QuoteRecord]) -> tuple[Document, bool]:
    """Store ``doc`` with ``quotes`` unless its text is already stored; (document, created)."""
    digest = content_hash(doc.text)
    existing = find_document(session, digest)
    if existing is not None:
        return existing, False
    records = unique_quotes(quotes)
    try:
        with session.begin_nested():
            # Speakers first, each looked up once: lookups with quotes pending would
            # flush them one by one (autoflush), the slowest part of a bulk ingest.
            speakers = _speakers_of(session, records)
            document = Document(
                text=doc.text,
                content_hash=digest,
                title=doc.title,
                url=doc.url,
                source=doc.source,
                published_at=as_utc(doc.published_at),
            )
            session.add(document)
            for record in records:
                session.add(_quote_row(document, record, speakers.get(record.speaker)))
            session.flush()
    except IntegrityError:
        # Another writer stored the same text since we looked: theirs stands.
        existing = find_document(session, digest)
        if existing is None:
            raise
        return existing, False
    return document, True


def delete_document(session: Session, id: int) -> bool:
    """Delete document ``id`` and its quotes, then speakers left with no quote; False if absent."""
    document = session.get(Document, id)
    if document is None:
        return False
    speaker_ids = set(
        session.scalars(
            select(Quote.speaker_id).where(Quote.document_id == id, Quote.speaker_id.is_not(None)).distinct()
        )
    )
    session.delete(document)
    session.flush()  # the database cascades to quotes (and their full-text rows)
    if speaker_ids:
        session.execute(
            delete(Speaker)
            .where(Speaker.id.in_(speaker_ids), ~exists().where(Quote.speaker_id == Speaker.id))
            .execution_options(synchronize_session=False)
        )
    # Quotes deleted by the database may still sit in the identity map.
    session.expire_all()
    return True


def unique_quotes(quotes: list[extractor.QuoteRecord]) -> list[extractor.QuoteRecord]:
    """One record per span and per quote text, best attributed kept, in text order.

    A quote printed twice in one document (an article pasted twice) is one
    record; where the copies differ, the one with a named speaker and the
    highest confidence wins, then the first.
    """
    best: dict[str, extractor.QuoteRecord] = {}
    for record in sorted(quotes, key=lambda r: (r.start, r.end)):
        key = quote_key(record.quote)
        if not key:
            continue
        kept = best.get(key)
        if kept is None or _rank(record) > _rank(kept):
            best[key] = record
    spans: set[tuple[int, int]] = set()
    result = []
    for record in sorted(best.values(), key=lambda r: (r.start, r.end)):
        if (record.start, record.end) not in spans:
            spans.add((record.start, record.end))
            result.append(record)
    return result


# Marks and punctuation a copy of the same quote may or may not carry at its edges.
_QUOTE_EDGES = " \t\n.,;:!?\u2026\"'\u00ab\u00bb\u201c\u201d\u2039\u203a-\u2013\u2014"


def quote_key(quote: str) -> str:
    """What makes two quotes of one document the same: folded text without edge punctuation."""
    return fold(quote).strip(_QUOTE_EDGES)


def _rank(record: extractor.QuoteRecord) -> tuple[bool, float]:
    return (record.speaker is not None and bool(fold(record.speaker)), record.confidence)


def _speakers_of(session: Session, records: list[extractor.QuoteRecord]) -> dict[str, Speaker | None]:
    """The stored speaker of each speaker name of ``records``: one lookup, one insert of the new ones, roles added."""
    named: dict[str, tuple[str, list[str | None]]] = {}  # key -> (first spelling, roles in text order)
    keys: dict[str, str] = {}  # name as extracted -> key
    for record in records:
        if record.speaker:
            name, key = _name_and_key(record.speaker)
            keys[record.speaker] = key
            if key:
                named.setdefault(key, (name, []))[1].append(record.role)
    if not named:
        return {}
    with session.no_autoflush:
        found = {s.key: s for s in session.scalars(select(Speaker).where(Speaker.key.in_(list(named))))}
        missing = [key for key in named if key not in found]
        if missing:
            try:
                with session.begin_nested():
                    new = [_new_speaker(named[key][0], key) for key in missing]
                    session.add_all(new)
                    session.flush()
                found.update(zip(missing, new))
            except IntegrityError:
                # another writer created one of them meanwhile: one by one, theirs stands
                found.update((key, get_or_create_speaker(session, named[key][0])) for key in missing)
    for key, (_, roles) in named.items():
        for role in roles:
            add_role(found[key], role)
    return {name: found.get(key) for name, key in keys.items()}


def _quote_row(document: Document, record: extractor.QuoteRecord, speaker: Speaker | None) -> Quote:
    return Quote(
        document=document,
        speaker=speaker,
        quote=record.quote,
        quote_key=content_hash(quote_key(record.quote)),
        start=record.start,
        end=record.end,
        cue=record.cue,
        cue_lemma=record.cue_lemma,
        type=record.type,
        mention=record.mention,
        role=record.role,
        confidence=float(record.confidence),
    )


def get_or_create_speaker(session: Session, name: str, role: str | None = None) -> Speaker | None:
    """The speaker whose folded key matches ``name``, created if new; ``role`` added to its roles."""
    name, key = _name_and_key(name)
    if not key:
        return None
    speaker = session.scalars(select(Speaker).where(Speaker.key == key)).one_or_none()
    if speaker is None:
        try:
            with session.begin_nested():
                speaker = _new_speaker(name, key)
                session.add(speaker)
                session.flush()
        except IntegrityError:
            speaker = session.scalars(select(Speaker).where(Speaker.key == key)).one()
    add_role(speaker, role)
    return speaker


def _name_and_key(name: str) -> tuple[str, str]:
    """A speaker's name with its spacing tidied, and its folded key (one speaker per key)."""
    name = " ".join(name.split())
    return name, fold(name)


def _new_speaker(name: str, key: str) -> Speaker:
    words = [SpeakerWord(position=n, word=word) for n, word in enumerate(name_words(key))]
    return Speaker(name=name, key=key, roles=[], words=words)


def add_role(speaker: Speaker, role: str | None) -> None:
    role = " ".join(role.split()) if role else None
    if role and role not in speaker.roles and len(speaker.roles) < MAX_ROLES:
        speaker.roles = [*speaker.roles, role]  # a new list: JSON columns track assignment, not mutation
