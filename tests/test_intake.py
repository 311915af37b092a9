"""The one way from text to stored records (intake.add_documents): what is extracted, when, and what a failure becomes."""
import json
import logging
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quotes import intake, store
from quotes.extract import QuoteRecord
from quotes.intake import ExtractionFailed, Failed, add_documents
from quotes.models import Quote, Speaker
from quotes.store import DocumentInput
from quotes.text import content_hash
from tests.conftest import BREAKS_THE_EXTRACTOR, fake_extract, quote_in, row_counts, run_at_once

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev.jsonl"

ONE = "«Nous restons unis», a déclaré Jens Stoltenberg."
TWO = "«Rien n'est décidé», a déclaré Emmanuel Macron."


def test_a_text_stored_already_is_not_extracted_again(session, fake_extractor):
    [(document, created)] = add_documents(session, [DocumentInput(ONE)])
    [(again, created_again)] = add_documents(session, [DocumentInput(ONE, title="un autre titre")])
    assert (created, created_again, again.id, again.title) == (True, False, document.id, None)
    assert fake_extractor == [ONE]  # extracted once
    assert [(q.quote, q.speaker.name) for q in again.quotes] == [("Nous restons unis", "Jens Stoltenberg")]


def test_the_same_text_twice_in_one_call_is_extracted_and_stored_once(session, fake_extractor):
    results = add_documents(session, [DocumentInput(ONE), DocumentInput(TWO), DocumentInput(ONE)])
    assert [created for _, created in results] == [True, True, False]
    assert results[2][0] is results[0][0]
    assert fake_extractor == [ONE, TWO]


NO_QUOTE = "Le conseil s'est réuni mardi, sans déclaration."


@pytest.mark.parametrize(
    "stored_before, text, quotes",
    [
        (False, ONE, [("Nous restons unis", "Jens Stoltenberg")]),
        (False, NO_QUOTE, []),
        (True, ONE, [("Nous restons unis", "Jens Stoltenberg")]),
        (True, NO_QUOTE, []),
    ],
    ids=["new", "new without quotes", "stored", "stored without quotes"],
)
def test_documents_come_back_with_their_quotes_and_speakers_in_hand(database, fake_extractor, stored_before, text, quotes):
    if stored_before:
        with database.Session() as session:
            add_documents(session, [DocumentInput(text)])
    with database.Session() as session:
        [(document, created)] = add_documents(session, [DocumentInput(text)])
    # The session is closed: nothing more can be read, so all of it was loaded before the commit.
    assert created is not stored_before
    assert [(q.quote, q.speaker.name) for q in document.quotes] == quotes


def test_extraction_holds_no_transaction_and_leaves_other_writers_free(database, fake_extractor):
    seen = []

    def extract(texts, model=None):
        seen.append(session.in_transaction())
        # Another writer stores a document meanwhile: it would wait for the write lock, then fail, if this call held it.
        with database.session_scope(write=True) as other:
            store.save_document(other, DocumentInput(TWO), fake_extract(TWO))
        return intake.extract_texts(texts, model)

    with database.Session() as session:
        [(_, created)] = add_documents(session, [DocumentInput(ONE)], extract=extract)
    assert (seen, created) == ([False], True)
    assert row_counts(database.url) == (2, 2, 2)


def test_a_text_deleted_after_it_was_found_stored_is_extracted_then_stored_again(database, fake_extractor):
    with database.Session() as session:
        [(first, _)] = add_documents(session, [DocumentInput(ONE)])
    asked = []

    def extract(texts, model=None):
        asked.append(texts)
        if len(asked) == 1:
            # While TWO is extracted, another request deletes ONE, which this call found stored.
            with database.session_scope(write=True) as other:
                assert store.delete_document(other, first.id)
        return intake.extract_texts(texts, model)

    with database.Session() as session:
        results = add_documents(session, [DocumentInput(ONE), DocumentInput(TWO)], extract=extract)
    assert asked == [[TWO], [ONE]]  # each extracted outside the write transaction
    assert [created for _, created in results] == [True, True]
    assert [q.quote for q in results[0][0].quotes] == ["Nous restons unis"]
    assert row_counts(database.url) == (2, 2, 2)


def failure_logs(caplog, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if content_hash(text)[:12] in r.getMessage() and r.levelno >= logging.ERROR]


def test_all_or_nothing_stores_nothing_when_the_extractor_fails_on_one_document(database, breakable_extractor, caplog):
    docs = [DocumentInput(ONE), DocumentInput(BREAKS_THE_EXTRACTOR), DocumentInput(TWO)]
    with database.Session() as session, pytest.raises(ExtractionFailed) as raised:
        add_documents(session, docs)
    assert raised.value.failures == [
        Failed(content_hash(BREAKS_THE_EXTRACTOR), "extraction failed: RuntimeError: attribution bug")
    ]
    assert row_counts(database.url) == (0, 0, 0)
    assert len(failure_logs(caplog, BREAKS_THE_EXTRACTOR)) == 1


# What the database refuses: a quote without a type (NOT NULL).
REFUSED = "«Refusé par la base», a déclaré Jean Dupont."


@pytest.mark.parametrize(
    "failing, message",
    [
        (BREAKS_THE_EXTRACTOR, "extraction failed: RuntimeError: attribution bug"),
        (REFUSED, r"IntegrityError: \((sqlite3.IntegrityError\) NOT NULL constraint failed: quotes.type"
                  r"|psycopg.errors.NotNullViolation\) null value in column \"type\")"),
    ],
    ids=["extraction", "storage"],
)
def test_otherwise_a_failed_document_is_reported_in_its_place_and_logged_once(
    database, breakable_extractor, monkeypatch, caplog, failing, message
):
    extract_texts = intake.extract_texts

    def refusable(texts, model=None):
        return [[QuoteRecord(quote="Refusé", start=1, end=7, type=None)] if text == REFUSED else found
                for text, found in zip(texts, extract_texts(texts, model))]

    with database.Session() as session:
        results = add_documents(session, [DocumentInput(ONE), DocumentInput(failing), DocumentInput(TWO)],
                                extract=refusable, all_or_nothing=False)
    assert [created for _, created in (results[0], results[2])] == [True, True]
    assert isinstance(results[1], Failed) and results[1].digest == content_hash(failing)
    assert re.match(message, str(results[1]))
    assert row_counts(database.url) == (2, 2, 2)
    assert len(failure_logs(caplog, failing)) == 1


@pytest.mark.slow
def test_article_printed_twice_gives_each_quote_once_with_the_real_extractor(session):
    gold = json.loads(DEV.read_text(encoding="utf-8").splitlines()[0])
    [(doc, _)] = add_documents(session, [DocumentInput(gold["text"])])
    # Indirect speech may enclose a partial quote («positions claires»); compare quotes in guillemets only.
    stored = [store.quote_key(q.quote) for q in doc.quotes if q.type != "indirect"]
    assert stored, "the extractor found no quote"
    # Every gold quote appears twice in the text; stored, it overlaps at most one record.
    for entry in gold["quotes"]:
        if entry.get("type") == "indirect":
            continue
        key = store.quote_key(entry["quote"])
        overlapping = [q for q in stored if key in q or q in key]
        assert len(overlapping) <= 1, (entry["quote"], overlapping)
    stoltenberg = [q.quote for q in doc.quotes if q.speaker and q.speaker.key == "jens stoltenberg"]
    assert stoltenberg
    assert len(stoltenberg) == len(set(stoltenberg))


SPEAKERS = ["Jens Stoltenberg", "Josep Borrell", "Dmitri Peskov", "Annalena Baerbock", "Antony Blinken"]
SHARED = [
    f"«Déclaration numéro {n}», a déclaré {SPEAKERS[n % 5]}. «Réponse numéro {n}», a déclaré {SPEAKERS[(n + 2) % 5]}."
    for n in range(16)
]


def shared_records(texts, model=None):
    """Each text's two quotes, by two of SPEAKERS."""
    found = []
    for text in texts:
        n = SHARED.index(text)
        found.append([quote_in(text, f"{kind} numéro {n}", speaker=speaker, type="direct")
                      for kind, speaker in (("Déclaration", SPEAKERS[n % 5]), ("Réponse", SPEAKERS[(n + 2) % 5]))])
    return found


def test_writers_of_overlapping_batches_in_other_orders_store_everything_once(database):
    # Batches sharing documents and new speakers, each writer in its own order: PostgreSQL writers inserting
    # them in other orders deadlock, and the write the server ends is run again.
    results = []

    def writer(seed):
        order = SHARED[:]
        random.Random(seed).shuffle(order)
        for start in range(0, len(order), 5):
            with database.Session() as session:
                batch = [DocumentInput(text) for text in order[start:start + 5]]
                results.extend(add_documents(session, batch, extract=shared_records, all_or_nothing=False))

    assert run_at_once(writer, 4) == []
    assert [result for result in results if isinstance(result, Failed)] == []
    assert sum(created for _, created in results) == len(SHARED)
    assert row_counts(database.url) == (len(SHARED), 2 * len(SHARED), len(SPEAKERS))
    with database.session_scope() as session:
        attributed = dict(session.execute(select(Speaker.name, func.count()).join(Quote).group_by(Speaker.name)).all())
    expected = Counter(name for n in range(len(SHARED)) for name in (SPEAKERS[n % 5], SPEAKERS[(n + 2) % 5]))
    assert attributed == expected  # every quote attributed to its one speaker
