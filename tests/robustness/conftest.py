"""Helpers for the robustness tests: real corpus articles, a real server on loopback, database snapshots."""
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from quotes import migrate, store
from quotes.db import Database
from quotes.intake import add_documents
from quotes.models import Document, Quote, Speaker

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus" / "news-fr.jsonl"


def corpus_articles(count: int, skip: int = 0) -> list[dict]:
    """``count`` real articles of the shared corpus (read in place) that hold «guillemets»."""
    if not CORPUS.exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    found = []
    with CORPUS.open(encoding="utf-8") as handle:
        for line in handle:
            article = json.loads(line)
            if "«" in article["text"] and len(article["text"]) < 6000:
                found.append({k: article.get(k) for k in ("text", "title", "source", "published_at")})
    return found[skip:skip + count]


def snapshot(url: str) -> dict:
    """Everything stored, by content and not by id: equal for two databases holding the same data."""
    database = Database(url)
    try:
        with database.session_scope() as session:
            documents = {}
            for doc in session.scalars(
                select(Document).options(selectinload(Document.quotes).selectinload(Quote.speaker))
            ):
                quotes = sorted(
                    (q.start, q.end, q.quote, q.type, q.cue, q.mention, q.role, q.speaker_label, q.confidence,
                     q.speaker.key if q.speaker else None)
                    for q in doc.quotes
                )
                documents[doc.content_hash] = (doc.text, doc.title, doc.url, doc.source, doc.published_at, quotes)
            # A document-scoped speaker is known by its document's text: ids differ between runs.
            scopes = {doc.id: doc.content_hash for doc in session.scalars(select(Document))}
            speakers = sorted((s.key, s.name, s.kind, scopes.get(s.scope)) for s in session.scalars(select(Speaker)))
            quote_rows = session.connection().exec_driver_sql("SELECT count(*) FROM quotes").scalar()
            return {"documents": documents, "speakers": speakers, "quote_rows": quote_rows,
                    "fts_consistent": fts_consistent(url)}
    finally:
        database.dispose()


def clean_run(url: str, articles: list[dict]) -> None:
    """The reference: the same articles stored one by one, in this process, with nobody else writing."""
    database = Database(url)
    try:
        for article in articles:
            with database.Session() as session:
                add_documents(session, [store.DocumentInput(
                    text=article["text"], title=article["title"], source=article["source"])])
    finally:
        database.dispose()


def check_against_a_clean_run(url: str, articles: list[dict], tmp_path: Path) -> None:
    """The database at ``url`` holds what storing ``articles`` one by one in a fresh SQLite file gives: every
    document and every quote once, and its full-text index in step."""
    reference = f"sqlite:///{tmp_path / 'clean.db'}"
    migrate.upgrade(reference)
    clean_run(reference, articles)
    got = snapshot(url)
    assert len(got["documents"]) == len(articles)
    assert got["fts_consistent"]
    # Real quotes were found (more than one per article), so duplicates would show.
    assert got["quote_rows"] == sum(len(d[-1]) for d in got["documents"].values()) > len(articles)
    assert got == snapshot(reference)


def fts_consistent(url: str) -> bool:
    """Whether the full-text index holds exactly the quotes table's rows (FTS5's own check against its content).

    PostgreSQL's GIN index is an index of the quotes table itself, written in the rows' own
    transactions: nothing can leave it out of step.
    """
    if not url.startswith("sqlite"):
        return True
    connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
    try:
        connection.execute("INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)")
        return True
    except sqlite3.DatabaseError:
        return False
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m quotes serve`` in its own process on a free loopback port."""

    def __init__(self, database_url: str, log_path: Path, threads: int = 4, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        environ = {k: v for k, v in os.environ.items() if k not in ("QUOTES_API_TOKEN", "DATABASE_URL")}
        environ.update({"QUOTES_RATELIMIT_ENABLED": "0", "PYTHONUNBUFFERED": "1", **(env or {})})
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "quotes", "--database-url", database_url, "serve",
             "--host", "127.0.0.1", "--port", str(self.port), "--threads", str(threads)],
            cwd=ROOT, env=environ, stdout=self._log, stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log()}")
            try:
                with urllib.request.urlopen(self.base + "/api/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout} s: {self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-3000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
