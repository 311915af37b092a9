"""Storing documents with their quotes and speakers; deleting them.

Functions here never commit: the caller's transaction does, so one document
is stored whole or not at all. Duplicates are prevented by unique
constraints (documents.content_hash, speakers.key, quotes per document), and
a writer that loses a race catches the IntegrityError inside a savepoint and
reads the winner's row, so no lock is needed.
"""
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import extract as extractor
from . import identity
from .dates import Published
from .extract.record import SPEAKER_KINDS
from .models import Document, Quote, Speaker, SpeakerWord
from .text import content_hash, fold, name_words


@dataclass
class DocumentInput:
    text: str
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published_at: datetime | None = None  # aware keeps its offset; naive is UTC


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
    published = Published.of(doc.published_at) if doc.published_at is not None else None
    try:
        with session.begin_nested():
            document = Document(
                text=doc.text,
                content_hash=digest,
                title=doc.title,
                url=doc.url,
                source=doc.source,
                source_key=fold(doc.source) if doc.source else None,
                published_at=published.at if published else None,
                published_offset=published.offset_minutes if published else None,
                published_on=published.on if published else None,
            )
            session.add(document)
            session.flush()  # its id scopes the speakers known only in it
            # Speakers before quotes, each looked up once: lookups with quotes pending would
            # flush them one by one (autoflush), the slowest part of a bulk ingest.
            speakers = _speakers_of(session, records, document.id)
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
    if speaker_ids:
        # Locked first (a writer adding a quote by one of them holds its key share until it commits):
        # the NOT EXISTS below, a later statement, then sees that writer's quote.
        session.execute(select(Speaker.id).where(Speaker.id.in_(speaker_ids)).order_by(Speaker.id).with_for_update())
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


def _speakers_of(session: Session, records: list[extractor.QuoteRecord], document_id: int) -> dict[str, Speaker]:
    """The stored speaker of each speaker name of ``records``: one lookup, one insert of the new ones."""
    named: dict[tuple[str, int], tuple[str, str]] = {}  # (key, scope) -> (first spelling, kind)
    keys: dict[str, tuple[str, int]] = {}  # name as extracted -> (key, scope)
    for record in records:
        if record.speaker and record.speaker not in keys:
            name = identity.tidy(record.speaker)
            if not fold(name):
                continue
            kind = record.speaker_kind if record.speaker_kind in SPEAKER_KINDS else "person"
            keys[record.speaker] = identity_key = (fold(name), identity.scope_of(name, kind, document_id))
            named.setdefault(identity_key, (name, kind))
    if not named:
        return {}
    with session.no_autoflush:
        found = {(s.key, s.scope): s for s in session.scalars(select(Speaker).where(_any_of(named)))}
        missing = [identity_key for identity_key in named if identity_key not in found]
        if missing:
            try:
                with session.begin_nested():
                    new = [_new_speaker(*named[identity_key], *identity_key) for identity_key in missing]
                    session.add_all(new)
                    session.flush()
                found.update(zip(missing, new))
            except IntegrityError:
                # another writer created one of them meanwhile: one by one, theirs stands
                found.update((identity_key, _get_or_create(session, *named[identity_key], *identity_key))
                             for identity_key in missing)
    return {name: found[identity_key] for name, identity_key in keys.items()}


def _any_of(identity_keys) -> ColumnElement[bool]:
    """Speakers whose (key, scope) is one of ``identity_keys``."""
    by_scope: dict[int, list[str]] = {}
    for key, scope in identity_keys:
        by_scope.setdefault(scope, []).append(key)
    return or_(*(and_(Speaker.scope == scope, Speaker.key.in_(keys)) for scope, keys in by_scope.items()))


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
        role=identity.tidy(record.role) if speaker is not None and record.role else None,
        speaker_label=identity.tidy(record.speaker_label) if speaker is None and record.speaker_label else None,
        confidence=float(record.confidence),
        published_at=document.published_at,
        evidence=asdict(record.evidence) if record.evidence is not None else None,
    )


def get_or_create_speaker(session: Session, name: str, kind: str = "person", document_id: int = 0) -> Speaker | None:
    """The speaker ``name`` is (see quotes.identity: a one-word person in ``document_id`` only), created if new."""
    name = identity.tidy(name)
    if not fold(name):
        return None
    return _get_or_create(session, name, kind, fold(name), identity.scope_of(name, kind, document_id))


def _get_or_create(session: Session, name: str, kind: str, key: str, scope: int) -> Speaker:
    """The speaker of (``key``, ``scope``), created if new; a writer that lost the race reads the winner's."""
    speaker = session.scalars(select(Speaker).where(Speaker.key == key, Speaker.scope == scope)).one_or_none()
    if speaker is None:
        try:
            with session.begin_nested():
                speaker = _new_speaker(name, kind, key, scope)
                session.add(speaker)
                session.flush()
        except IntegrityError:
            speaker = session.scalars(select(Speaker).where(Speaker.key == key, Speaker.scope == scope)).one()
    return speaker


def _new_speaker(name: str, kind: str, key: str, scope: int) -> Speaker:
    words = [SpeakerWord(position=n, word=word) for n, word in enumerate(name_words(key))]
    return Speaker(name=name, key=key, kind=kind, scope=scope, words=words)
