"""Constraints and cascades the database itself enforces."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from quotes.models import Document, Quote, Speaker, as_utc
from tests.conftest import full_text_count


def document(body="Un texte.", digest="a" * 64):
    return Document(text=body, content_hash=digest)


def quote_row(doc, start=0, end=3, key="k", speaker=None):
    return Quote(document=doc, speaker=speaker, quote="Un ", quote_key=key, start=start, end=end, type="direct",
                 confidence=0.5)


def test_document_content_hash_is_unique(session):
    session.add_all([document(), document(body="Autre.")])
    with pytest.raises(IntegrityError):
        session.flush()


@pytest.mark.parametrize("scope", [0, 7])
def test_speaker_key_is_unique_in_its_scope(session, scope):
    session.add_all([Speaker(name="Jens Stoltenberg", key="jens stoltenberg", scope=scope),
                     Speaker(name="JENS STOLTENBERG", key="jens stoltenberg", scope=scope)])
    with pytest.raises(IntegrityError):
        session.flush()


def test_one_word_names_of_two_documents_are_two_speakers(session):
    session.add_all([Speaker(name="Frédéric", key="frederic", scope=1), Speaker(name="Frédéric", key="frederic", scope=2)])
    session.flush()
    assert session.scalar(select(func.count()).select_from(Speaker)) == 2


@pytest.mark.parametrize("second", [dict(start=0, end=3, key="other"), dict(start=5, end=8, key="k")])
def test_quote_is_unique_per_span_and_per_text_in_a_document(session, second):
    doc = document()
    session.add_all([quote_row(doc), quote_row(doc, **second)])
    with pytest.raises(IntegrityError):
        session.flush()


def test_same_quote_in_two_documents_is_allowed(session):
    session.add_all([quote_row(document()), quote_row(document(digest="b" * 64))])
    session.flush()
    assert session.scalar(select(func.count()).select_from(Quote)) == 2


def test_deleting_a_document_row_cascades_to_quotes_and_full_text(session):
    speaker = Speaker(name="A B", key="a b")
    doc = document()
    session.add(quote_row(doc, speaker=speaker))
    session.commit()
    session.execute(text("DELETE FROM documents"))  # the database's own cascade, no ORM help
    assert session.scalar(select(func.count()).select_from(Quote)) == 0
    assert full_text_count(session, "un") == 0
    assert session.scalar(select(func.count()).select_from(Speaker)) == 1  # speakers are pruned by the store


def test_deleting_a_speaker_row_keeps_its_quotes_unattributed(session):
    speaker = Speaker(name="A B", key="a b")
    session.add(quote_row(document(), speaker=speaker))
    session.commit()
    session.execute(text("DELETE FROM speakers"))
    assert session.scalars(select(Quote.speaker_id)).all() == [None]


def test_full_text_index_follows_quote_updates(session):
    row = quote_row(document())
    session.add(row)
    session.flush()
    row.quote = "Changé"
    session.flush()
    assert full_text_count(session, "change") == 1
    assert full_text_count(session, "un") == 0


def test_as_utc_converts_aware_datetimes_to_naive_utc():
    paris = timezone(timedelta(hours=1))
    assert as_utc(datetime(2022, 1, 12, 10, 0, tzinfo=paris)) == datetime(2022, 1, 12, 9, 0)
    assert as_utc(datetime(2022, 1, 12, 10, 0)) == datetime(2022, 1, 12, 10, 0)
    assert as_utc(None) is None
