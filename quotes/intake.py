"""The one way from text to stored records, taken by the API, the command line and /try.

``add_documents`` reads which texts are stored already, extracts the others with
no transaction open (extraction takes seconds; a transaction held that long
blocks other writers or fails when one commits first), then writes them in one
short transaction that takes the write lock at its start (``db.begin_write``).
Duplicates are left to the store's unique constraints, never to a lock here.
On PostgreSQL, where writers do not wait for one another at BEGIN, two of them
inserting the same new documents or speakers in other orders may deadlock: the
server ends one write, which is run again, up to ``WRITE_ATTEMPTS`` times (its
extraction is already done, and what it would insert twice is then found stored).

What a document the extractor fails on becomes is decided here, once: it is
not stored, its failure is logged once with its content hash, and the caller
gets a ``Failed`` in its place or, for an all-or-nothing call, ``ExtractionFailed``.
"""
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from . import extract as extractor
from . import store
from .db import begin_write, is_retryable
from .models import Document, Quote
from .text import content_hash

log = logging.getLogger(__name__)

WRITE_ATTEMPTS = 5


@dataclass(frozen=True)
class Failed:
    """A document that could not be stored: nothing of it was written."""

    digest: str  # content hash of its text: the document's identity
    message: str

    def __str__(self) -> str:
        return self.message


class ExtractionFailed(Exception):
    """The extractor failed on a document of an all-or-nothing call: nothing was stored."""

    def __init__(self, failures: list[Failed]):
        super().__init__("; ".join(f"document {f.digest[:12]}: {f.message}" for f in failures))
        self.failures = failures


Extracted = list[extractor.QuoteRecord] | Failed
Extract = Callable[[list[str], str | None], list[Extracted]]


def extract_texts(texts: list[str], model: str | None = None) -> list[Extracted]:
    """The quotes of each text, in order, or a ``Failed`` for a text the extractor raised on.

    Runs in worker processes for the bulk ingest, so failures are logged where they happen.
    """
    try:
        return list(extractor.extract_many(texts, model=model))
    except Exception as exc:
        if len(texts) == 1:
            return [_failed(texts[0], exc)]
    # One document broke the batch: extract them one by one, so that the others keep their quotes.
    results: list[Extracted] = []
    for text in texts:
        try:
            results.append(extractor.extract(text, model=model))
        except Exception as exc:
            results.append(_failed(text, exc))
    return results


def _failed(text: str, exc: Exception) -> Failed:
    failed = Failed(content_hash(text), f"extraction failed: {type(exc).__name__}: {exc}")
    log.error("document %s (%d characters) is not stored: %s", failed.digest[:12], len(text), failed, exc_info=exc)
    return failed


def add_documents(
    session: Session,
    docs: Sequence[store.DocumentInput],
    model: str | None = None,
    *,
    extract: Extract = extract_texts,
    all_or_nothing: bool = True,
) -> list[tuple[Document, bool] | Failed]:
    """Extract and store ``docs``: ``(document, created)`` for each, in order.

    A text stored already is not extracted again and comes back with ``created``
    False. Each document comes back with its quotes and their speakers loaded as
    they stood at the commit, so an answer built from it needs no further read
    (which a delete could race). With ``all_or_nothing`` any failure stores
    nothing (``ExtractionFailed``, or the storage error); without it, a failed
    document is a ``Failed`` in the list and the others are stored.

    ``extract(texts, model)`` may hand over results computed ahead, e.g. in
    worker processes. ``session`` must have nothing pending: this function
    ends its transactions and commits.
    """
    digests = [content_hash(doc.text) for doc in docs]
    texts = dict(zip(digests, (doc.text for doc in docs)))
    extracted: dict[str, Extracted] = {}
    attempts = 0
    while True:
        found = _stored(session, texts.keys() - extracted.keys())
        session.rollback()  # no transaction open while extracting
        missing = {digest: text for digest, text in texts.items() if digest not in extracted and digest not in found}
        if missing:
            extracted.update(zip(missing, extract(list(missing.values()), model)))
        failures = [result for result in extracted.values() if isinstance(result, Failed)]
        if failures and all_or_nothing:
            raise ExtractionFailed(failures)
        begin_write(session)
        try:
            results = _save_all(session, docs, digests, extracted, all_or_nothing)
            if results is not None:
                _load_quotes(session, [result[0] for result in results if not isinstance(result, Failed)])
                session.commit()
                return results
        except BaseException as exc:
            session.rollback()  # the write lock is not held a moment longer than the failed write
            attempts += 1
            if is_retryable(exc) and attempts < WRITE_ATTEMPTS:
                log.info("write ended by the database to let another go on (%s): writing again", exc.orig)
                continue
            raise
        # A text found stored was deleted since: extract it too, outside the transaction, and start again.
        session.rollback()


def _save_all(
    session: Session, docs: Sequence[store.DocumentInput], digests: list[str], extracted: dict[str, Extracted],
    all_or_nothing: bool,
) -> list[tuple[Document, bool] | Failed] | None:
    """Each document saved, or found stored if it was not extracted; None, with nothing saved, if one of those is gone."""
    found = {digest: store.find_document(session, digest) for digest in digests if digest not in extracted}
    if None in found.values():
        return None
    return [
        _save(session, doc, extracted[digest], all_or_nothing) if digest in extracted else (found[digest], False)
        for doc, digest in zip(docs, digests)
    ]


def _stored(session: Session, digests: set[str]) -> set[str]:
    """Which of ``digests`` are the content hashes of stored documents."""
    if not digests:
        return set()
    return set(session.scalars(select(Document.content_hash).where(Document.content_hash.in_(digests))))


def _save(session: Session, doc: store.DocumentInput, quotes: Extracted, all_or_nothing: bool) -> tuple[Document, bool] | Failed:
    if isinstance(quotes, Failed):
        return quotes
    if all_or_nothing:
        return store.save_document(session, doc, quotes)
    try:
        # A savepoint: a document the database refuses loses nothing else of the transaction.
        with session.begin_nested():
            return store.save_document(session, doc, quotes)
    except Exception as exc:
        if is_retryable(exc):
            raise  # the whole write is run again
        failed = Failed(content_hash(doc.text), f"{type(exc).__name__}: {exc}")
        log.error("document %s is not stored: %s", failed.digest[:12], failed, exc_info=exc)
        return failed


def _load_quotes(session: Session, documents: list[Document]) -> None:
    """Load the quotes and speakers of the documents that do not hold them yet: those found stored, and new ones
    without quotes (new ones with quotes hold those they were given)."""
    ids = {document.id for document in documents if "quotes" in inspect(document).unloaded}
    if ids:
        session.scalars(
            select(Document).where(Document.id.in_(ids)).options(selectinload(Document.quotes).selectinload(Quote.speaker))
        ).all()
