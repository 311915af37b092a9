"""Bulk ingest of files: .txt files, folders of them, JSON Lines; resumable and idempotent.

Reading, deduplication and writing happen in this process; extraction (the
slow part) runs here or in worker processes, ahead of the writes. Each batch
is stored by ``intake.add_documents`` in one transaction, each document inside
its own savepoint, so a bad document loses nothing else, and an interrupted
run keeps every committed batch: running it again skips what is stored (same
text, same hash) and stores the rest, never twice.
"""
import json
import logging
import multiprocessing
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from . import dates, intake, json_input, store
from .db import Database
from .document_fields import too_long
from .models import Document, Speaker
from .text import content_hash, stored_form

T = TypeVar("T")

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
DOCUMENT_FIELDS = ("title", "url", "source")


@dataclass
class InputRecord:
    """One document read from a file, or the reason it could not be read."""

    path: str
    line: int | None  # 1-based line of a JSON Lines file; None for a whole .txt file
    doc: store.DocumentInput | None = None
    error: str | None = None


@dataclass
class IngestError:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.message}"


@dataclass
class IngestSummary:
    new: int = 0
    existing: int = 0
    quotes: int = 0
    speakers: int = 0  # speakers this run created (not those other writers added meanwhile)
    errors: list[IngestError] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"documents: {self.new} new, {self.existing} already there",
            f"quotes: {self.quotes} stored",
            f"speakers: {self.speakers} new",
            f"errors: {len(self.errors)}",
        ]
        lines += [f"  {error}" for error in self.errors]
        return lines


# Reading ------------------------------------------------------------------


def input_files(paths: Iterable[str | Path]) -> Iterator[Path | InputRecord]:
    """The files named by ``paths`` (folders walked, sorted), or an error record for a bad path."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES)
            yield from found
        elif path.is_file():
            yield path
        else:
            yield InputRecord(str(path), None, error="no such file or folder")


def read_inputs(paths: Iterable[str | Path]) -> Iterator[InputRecord]:
    """Every document in ``paths``, in order, with an error record for each one that cannot be read."""
    for item in input_files(paths):
        if isinstance(item, InputRecord):
            yield item
        elif item.suffix.lower() in JSONL_SUFFIXES:
            yield from read_jsonl(item)
        elif item.suffix.lower() in TEXT_SUFFIXES:
            yield read_text_file(item)
        else:
            yield InputRecord(str(item), None, error="not a .txt or .jsonl file")


def read_text_file(path: Path) -> InputRecord:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputRecord(str(path), None, error=f"not UTF-8 ({exc.reason} at byte {exc.start})")
    except OSError as exc:
        return InputRecord(str(path), None, error=exc.strerror or str(exc))
    if not text.strip():
        return InputRecord(str(path), None, error="empty text")
    return InputRecord(str(path), None, doc=store.DocumentInput(text=stored_form(text)))


def read_jsonl(path: Path) -> Iterator[InputRecord]:
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputRecord(str(path), None, error=exc.strerror or str(exc))
        return
    with handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            try:
                yield InputRecord(str(path), number, doc=document_from_json(raw.decode("utf-8-sig" if number == 1 else "utf-8")))
            except UnicodeDecodeError as exc:
                yield InputRecord(str(path), number, error=f"not UTF-8 ({exc.reason})")
            except ValueError as exc:
                yield InputRecord(str(path), number, error=str(exc))


def document_from_json(line: str) -> store.DocumentInput:
    """A ``DocumentInput`` from one JSON line; ValueError says what is wrong with it."""
    try:
        data = json_input.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("a line must hold a JSON object")
    text = data.get("text")
    if not isinstance(text, str):
        raise ValueError("'text' is missing or not a string")
    if not text.strip():
        raise ValueError("empty text")
    fields = {}
    for name in DOCUMENT_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"'{name}' must be a string")
        fields[name] = value
    longer = too_long(fields)
    if longer:
        raise ValueError("; ".join(f"'{name}' is longer than {maximum} characters" for name, maximum in longer.items()))
    return store.DocumentInput(text=stored_form(text), published_at=parse_datetime(data.get("published_at")), **fields)


def parse_datetime(value) -> datetime | None:
    """An ISO 8601 date or date-time, its offset kept (quotes.dates), or None."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError("'published_at' must be an ISO 8601 string")
    try:
        return dates.parse_published(value)
    except dates.InvalidDate as exc:
        raise ValueError(f"'published_at' {value!r}: {exc}") from None


def count_inputs(paths: Iterable[str | Path]) -> int:
    """How many documents ``paths`` hold (non-blank JSON lines, .txt files), for the progress bar."""
    total = 0
    for item in input_files(paths):
        if isinstance(item, InputRecord) or item.suffix.lower() not in JSONL_SUFFIXES:
            total += 1
            continue
        try:
            with item.open("rb") as handle:
                total += sum(1 for raw in handle if raw.strip())
        except OSError:
            total += 1
    return total


# Extraction ----------------------------------------------------------------


def _worker_init(model: str | None) -> None:
    from .nlp import load_nlp

    try:
        load_nlp(model)
    except Exception:
        # An initializer that raises makes the pool start workers forever;
        # intake.extract_texts meets the same error and reports it per document.
        log.exception("loading the spaCy model failed")


def _start_pool(workers: int, model: str | None):
    """Worker processes for extraction.

    Where processes can fork, the model is loaded here once and the forked
    workers share it (copy on write): a spawned worker spends seconds of CPU
    importing spaCy and loading its own copy, time taken from the extraction
    on a two-core machine. A forked worker inherits this process's database
    connections (SQLite files, PostgreSQL sockets) but never touches them (it
    only extracts, and leaves through os._exit, which closes nothing).
    """
    if "fork" in multiprocessing.get_all_start_methods():
        _worker_init(model)
        return multiprocessing.get_context("fork").Pool(workers)
    return multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_init, initargs=(model,))


class _Done:
    """A finished result with the interface of multiprocessing's AsyncResult."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


class _Ahead:
    """An extraction started before its batch is written, handed to ``intake.add_documents`` as its ``extract``."""

    def __init__(self, texts: list[str], result):
        self.texts = texts
        self.result = result  # an AsyncResult of the pool, or _Done

    def __call__(self, texts: list[str], model: str | None = None) -> list[intake.Extracted]:
        done = dict(zip(self.texts, self.result.get()))
        # A text found stored when the batch was planned, and deleted since, was not extracted ahead.
        late = [text for text in texts if text not in done]
        if late:
            done.update(zip(late, intake.extract_texts(late, model)))
        return [done[text] for text in texts]


# Writing -------------------------------------------------------------------


def ingest_paths(
    database: Database,
    paths: Iterable[str | Path],
    model: str | None = None,
    workers: int = 1,
    batch_size: int = 32,
    progress: bool = True,
) -> IngestSummary:
    """Extract and store every document in ``paths``; a summary of what happened."""
    paths = list(paths)
    summary = IngestSummary()
    seen: set[str] = set()  # texts met earlier in this run
    pool = None
    from tqdm import tqdm

    # No monitor thread: workers are forked from this process, and a thread holding a lock at
    # the fork would leave that lock held forever in them.
    tqdm.monitor_interval = 0
    bar = tqdm(total=count_inputs(paths), unit="doc", file=sys.stderr, disable=not progress, dynamic_ncols=True)
    in_flight: deque = deque()
    try:
        for batch in batches(read_inputs(paths), batch_size):
            todo = _plan(database, batch, summary, seen)
            texts = [record.doc.text for record in todo]
            if not texts:
                result = _Done([])
            elif workers > 1:
                if pool is None:
                    # Started at the first text to extract, so a re-run over stored
                    # documents loads no model.
                    pool = _start_pool(workers, model)
                result = pool.apply_async(intake.extract_texts, (texts, model))
            else:
                result = _Done(intake.extract_texts(texts, model))
            in_flight.append((len(batch), todo, _Ahead(texts, result)))
            # Keep the workers busy while this process writes.
            while len(in_flight) > (2 * workers if pool is not None else 0):
                _write(database, *in_flight.popleft(), model=model, summary=summary, bar=bar)
        while in_flight:
            _write(database, *in_flight.popleft(), model=model, summary=summary, bar=bar)
    finally:
        bar.close()
        if pool is not None:
            pool.terminate()
            pool.join()
    return summary


def _plan(database: Database, batch: list[InputRecord], summary: IngestSummary, seen: set[str]) -> list[InputRecord]:
    """The records of ``batch`` to extract and store: readable, not stored, not met earlier in this run."""
    readable = []
    for record in batch:
        if record.error is not None:
            summary.errors.append(IngestError(record.path, record.line, record.error))
        else:
            readable.append((record, content_hash(record.doc.text)))
    if not readable:
        return []
    with database.session_scope() as session:
        stored = set(
            session.scalars(
                select(Document.content_hash).where(Document.content_hash.in_({digest for _, digest in readable}))
            )
        )
    todo = []
    for record, digest in readable:
        if digest in stored or digest in seen:
            summary.existing += 1
        else:
            seen.add(digest)
            todo.append(record)
    return todo


def _write(database: Database, size: int, todo: list[InputRecord], ahead: _Ahead, model: str | None,
           summary: IngestSummary, bar) -> None:
    if todo:
        with database.Session() as session:
            created_speakers = speakers_created(session)
            results = intake.add_documents(session, [record.doc for record in todo], model, extract=ahead,
                                           all_or_nothing=False)
            summary.speakers += len(created_speakers)
        for record, result in zip(todo, results):
            if isinstance(result, intake.Failed):
                summary.errors.append(IngestError(record.path, record.line, str(result)))
                continue
            document, created = result
            if created:
                summary.new += 1
                summary.quotes += len(document.quotes)
            else:
                summary.existing += 1  # stored by another writer meanwhile
    bar.update(size)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items in order (the last may be shorter)."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def speakers_created(session: Session) -> set[Speaker]:
    """The speakers ``session`` will have inserted and kept, filled in as it goes.

    Counting the table before and after would count the speakers other writers add
    meanwhile; these are this session's own rows. One inserted in a savepoint or a
    transaction that is rolled back becomes transient again and leaves the set.
    """
    created: set[Speaker] = set()

    @event.listens_for(session, "pending_to_persistent")
    def inserted(session, instance):
        if isinstance(instance, Speaker):
            created.add(instance)

    @event.listens_for(session, "persistent_to_transient")
    def taken_back(session, instance):
        created.discard(instance)

    return created
