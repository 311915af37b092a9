"""Writer processes post overlapping articles to two real servers on one database while a bulk ingest
of the same articles writes to it too, and readers search meanwhile."""
import json
import multiprocessing
import os
import re
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

import pytest

from . import clients
from .conftest import ROOT, Server, check_against_a_clean_run, corpus_articles

WRITERS = 4
READERS = 2
ARTICLES = 8


@pytest.mark.slow
def test_writers_and_readers_at_once_store_every_document_and_quote_exactly_once(migrated_db_url, tmp_path):
    articles = [{"text": a["text"], "title": a["title"], "source": a["source"]} for a in corpus_articles(ARTICLES)]
    assert len(articles) == ARTICLES
    # Two server processes on the same file: SQLite's locking between processes is what is tested,
    # not only between the threads of one process.
    servers = [Server(migrated_db_url, tmp_path / f"server{n}.log") for n in range(2)]
    try:
        for server in servers:
            server.wait_ready()
        bases = [server.base for server in servers]
        # A bulk ingest of the same articles, in its own process, with its batched write transactions.
        jsonl = tmp_path / "articles.jsonl"
        jsonl.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
        bulk = subprocess.Popen(
            [sys.executable, "-m", "quotes", "--database-url", migrated_db_url, "ingest", str(jsonl), "--batch-size", "3",
             "--no-progress"],
            cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        words = ["président", "Macron", "guerre", "a", "l'", "ministre", "NEAR(", "Ukraine"]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(WRITERS + READERS, mp_context=context) as pool:
            writes = [pool.submit(clients.writer, bases, articles, seed) for seed in range(WRITERS)]
            reads = [pool.submit(clients.reader, bases, words, 6, seed) for seed in range(READERS)]
            written = [future.result(timeout=600) for future in writes]
            read = [future.result(timeout=600) for future in reads]
        bulk_out, bulk_err = bulk.communicate(timeout=600)
        logs = [server.log() for server in servers]
    finally:
        for server in servers:
            server.stop()

    assert bulk.returncode == 0, bulk_err
    bulk_new, bulk_existing = map(int, re.match(r"documents: (\d+) new, (\d+) already there", bulk_out).groups())
    assert bulk_new + bulk_existing == ARTICLES
    assert [w["failures"] for w in written] == [[]] * WRITERS
    assert [r["failures"] for r in read] == [[]] * READERS
    assert all(status == 200 for r in read for status in r["statuses"])
    assert sum(len(r["statuses"]) for r in read) == READERS * 6 * 5
    for log in logs:
        assert "Traceback" not in log, log

    # Every writer got an answer for every article; each article was created once, by one HTTP writer or by
    # the bulk ingest, and all answers name the same document with the same quotes.
    by_article = defaultdict(list)
    for w in written:
        assert sorted(index for index, *_ in w["answers"]) == list(range(ARTICLES))
        for index, status, doc_id, created, quote_count in w["answers"]:
            by_article[index].append((doc_id, created, quote_count))
    for index, answers in by_article.items():
        assert len(answers) == WRITERS
        assert sum(created for _, created, _ in answers) <= 1, (index, answers)
        assert len({(doc_id, count) for doc_id, _, count in answers}) == 1, (index, answers)
    created_over_http = sum(created for answers in by_article.values() for _, created, _ in answers)
    assert created_over_http + bulk_new == ARTICLES

    check_against_a_clean_run(migrated_db_url, articles, tmp_path)


@pytest.mark.slow
def test_try_saves_racing_api_posts_store_each_document_once(migrated_db_url, tmp_path):
    """/try saves and API posts of the same and of other articles, at once, through two servers on one file."""
    articles = [{"text": a["text"], "title": a["title"], "source": a["source"]} for a in corpus_articles(ARTICLES)]
    saved_by_try, posted_by_api = range(0, 6), range(2, ARTICLES)  # articles 2 to 5 go both ways
    servers = [Server(migrated_db_url, tmp_path / f"server{n}.log") for n in range(2)]
    try:
        for server in servers:
            server.wait_ready()
        bases = [server.base for server in servers]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(4, mp_context=context) as pool:
            savers = [pool.submit(clients.try_saver, bases, [articles[i] for i in saved_by_try], seed) for seed in range(2)]
            posters = [pool.submit(clients.writer, bases, [articles[i] for i in posted_by_api], seed) for seed in range(2)]
            saved = [future.result(timeout=600) for future in savers]
            posted = [future.result(timeout=600) for future in posters]
        logs = [server.log() for server in servers]
    finally:
        for server in servers:
            server.stop()

    # No 5xx nor any other failure: every save was redirected to its document, every post answered 200 or 201.
    assert [s["failures"] for s in saved] == [[], []]
    assert [p["failures"] for p in posted] == [[], []]
    for log in logs:
        assert "Traceback" not in log, log
    by_article = defaultdict(list)
    for s in saved:
        assert sorted(index for index, *_ in s["answers"]) == list(range(len(saved_by_try)))
        for index, _, doc_id, created in s["answers"]:
            by_article[saved_by_try[index]].append((doc_id, created))
    for p in posted:
        assert sorted(index for index, *_ in p["answers"]) == list(range(len(posted_by_api)))
        for index, _, doc_id, created, _ in p["answers"]:
            by_article[posted_by_api[index]].append((doc_id, created))
    # Each article was created by exactly one of the requests that sent it, and all of them name that document.
    assert sorted(by_article) == list(range(ARTICLES))
    for index, answers in by_article.items():
        assert sum(created for _, created in answers) == 1, (index, answers)
        assert len({doc_id for doc_id, _ in answers}) == 1, (index, answers)

    check_against_a_clean_run(migrated_db_url, articles, tmp_path)
