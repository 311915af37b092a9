"""Two bulk ingests at once, fed overlapping files, on one database: as ingest workers on two machines
sharing one PostgreSQL server would run (and two processes on one SQLite file)."""
import json
import os
import re
import subprocess
import sys

import pytest

from .conftest import ROOT, check_against_a_clean_run, corpus_articles

ARTICLES = 10


def ingest(url: str, path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "quotes", "--database-url", url, "ingest", str(path), "--no-progress", *extra],
        cwd=ROOT, env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


@pytest.mark.slow
def test_two_ingests_of_overlapping_files_store_each_document_and_quote_once(migrated_db_url, tmp_path):
    articles = [{"text": a["text"], "title": a["title"], "source": a["source"]}
                for a in corpus_articles(ARTICLES, skip=20)]
    assert len(articles) == ARTICLES
    # Articles 3 to 6 are in both files; the second file lists its articles backwards, so both
    # ingests reach the shared ones about when the other does.
    first, second = articles[:7], articles[3:][::-1]
    files = []
    for name, part in (("first", first), ("second", second)):
        path = tmp_path / f"{name}.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in part), encoding="utf-8")
        files.append(path)
    # Small batches, one with a worker process: many short write transactions that interleave.
    processes = [ingest(migrated_db_url, files[0], "--batch-size", "2"),
                 ingest(migrated_db_url, files[1], "--batch-size", "3", "--workers", "2")]
    outputs = [process.communicate(timeout=600) for process in processes]

    for process, (_, err) in zip(processes, outputs):
        assert process.returncode == 0, err
        assert "Traceback" not in err, err
    summaries = [re.search(r"documents: (\d+) new, (\d+) already there", out).groups() for out, _ in outputs]
    new, existing = (sum(int(s[i]) for s in summaries) for i in (0, 1))
    # Every article stored by exactly one of them; each shared one found stored by the other.
    assert (new, existing) == (ARTICLES, len(first) + len(second) - ARTICLES)

    check_against_a_clean_run(migrated_db_url, articles, tmp_path)
