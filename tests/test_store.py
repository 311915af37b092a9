"""Storing, deduplicating and deleting documents, quotes and speakers."""
import random
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from quotes import search, store
from quotes.extract import QuoteRecord as Record
from quotes.extract.record import Evidence
from quotes.models import Document, Quote, Speaker, SpeakerWord
from quotes.store import DocumentInput, delete_document, get_document, save_document
from tests.conftest import full_text_count, run_at_once

BODY = (
    "«La discussion n’a pas été aisée», a déclaré Jens Stoltenberg. "
    "Le chef de la diplomatie européenne Josep Borrell a évoqué des «sanctions coordonnées». "
    "«Tout élargissement de l’OTAN inquiète la Russie», a déclaré Dmitri Peskov."
)


def records(body, make_quote, occurrence=0):
    return [
        make_quote(body, "La discussion n’a pas été aisée", occurrence, speaker="Jens Stoltenberg",
                   role="secrétaire général de l’OTAN", cue="a déclaré", cue_lemma="déclarer", confidence=0.9),
        make_quote(body, "sanctions coordonnées", occurrence, speaker="Josep Borrell", type="partial",
                   role="chef de la diplomatie européenne", cue="a évoqué", cue_lemma="évoquer"),
        make_quote(body, "Tout élargissement de l’OTAN inquiète la Russie", occurrence, speaker="Dmitri Peskov"),
    ]


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def test_save_document_stores_document_quotes_and_speakers(session, make_quote):
    doc, created = save_document(session, DocumentInput(BODY, title="OTAN", source="ATS"), records(BODY, make_quote))
    session.commit()
    assert created
    assert (doc.title, doc.source, doc.text) == ("OTAN", "ATS", BODY)
    stored = session.scalars(select(Quote).order_by(Quote.start)).all()
    assert [(q.quote, q.speaker.name, q.type) for q in stored] == [
        ("La discussion n’a pas été aisée", "Jens Stoltenberg", "direct"),
        ("sanctions coordonnées", "Josep Borrell", "partial"),
        ("Tout élargissement de l’OTAN inquiète la Russie", "Dmitri Peskov", "direct"),
    ]
    assert all(BODY[q.start:q.end] == q.quote for q in stored)
    first = stored[0]
    assert (first.cue, first.cue_lemma, first.role, first.confidence) == (
        "a déclaré", "déclarer", "secrétaire général de l’OTAN", 0.9)
    assert (first.speaker.key, first.speaker.kind, first.speaker.document_id) == ("jens stoltenberg", "person", None)
    assert search.speaker_roles(session, [first.speaker_id]) == {first.speaker_id: [("secrétaire général de l’OTAN", 1)]}
    assert count(session, Speaker) == 3


def test_same_text_twice_is_one_document(session, make_quote):
    first, created_first = save_document(session, DocumentInput(BODY, title="one"), records(BODY, make_quote))
    second, created_second = save_document(session, DocumentInput(BODY, title="two"), records(BODY, make_quote))
    session.commit()
    assert (created_first, created_second) == (True, False)
    assert second.id == first.id and second.title == "one"
    assert (count(session, Document), count(session, Quote), count(session, Speaker)) == (1, 3, 3)


def test_a_lost_race_is_resolved_by_the_unique_constraint(database, make_quote, monkeypatch):
    with database.session_scope(write=True) as session:
        winner, _ = save_document(session, DocumentInput(BODY), records(BODY, make_quote))
    # This writer's look-up ran before the winner committed: it does not see the document.
    looked_up = []
    real_find = store.find_document

    def stale_find(session, digest):
        looked_up.append(digest)
        return None if len(looked_up) == 1 else real_find(session, digest)

    monkeypatch.setattr(store, "find_document", stale_find)
    with database.session_scope(write=True) as session:
        doc, created = save_document(session, DocumentInput(BODY), records(BODY, make_quote))
        assert (doc.id, created) == (winner.id, False)
        other, created_other = save_document(session, DocumentInput("Autre texte."), [])  # the session still works
        assert created_other
    with database.session_scope() as session:
        assert (count(session, Document), count(session, Quote)) == (2, 3)


def test_concurrent_writers_store_each_document_once(database, make_quote):
    bodies = [BODY.replace("aisée", f"aisée {n}") for n in range(12)]

    def writer(seed):
        order = bodies[:]
        random.Random(seed).shuffle(order)
        for body in order:
            with database.session_scope(write=True) as session:
                save_document(session, DocumentInput(body), records(body, make_quote))

    assert run_at_once(writer, 4) == []
    with database.session_scope() as session:
        assert (count(session, Document), count(session, Quote), count(session, Speaker)) == (12, 36, 3)


def test_a_quote_repeated_in_one_document_is_stored_once(session, make_quote):
    doubled = BODY + "\n" + BODY  # an article pasted twice
    found = records(doubled, make_quote, 0) + records(doubled, make_quote, 1)
    doc, _ = save_document(session, DocumentInput(doubled), found)
    session.commit()
    assert [q.quote for q in doc.quotes] == [r.quote for r in records(BODY, make_quote)]
    assert all(q.start < len(BODY) for q in doc.quotes)  # the first copy


def test_of_repeated_quotes_the_attributed_copy_is_kept(session, make_quote):
    doubled = "«Nous restons unis.» " + "«Nous restons unis», a déclaré Jens Stoltenberg."
    found = [make_quote(doubled, "Nous restons unis.", confidence=0.3),
             make_quote(doubled, "Nous restons unis", 1, speaker="Jens Stoltenberg", confidence=0.9)]
    doc, _ = save_document(session, DocumentInput(doubled), found)
    session.commit()
    assert [(q.quote, q.speaker.name, q.start) for q in doc.quotes] == [("Nous restons unis", "Jens Stoltenberg", 22)]


def test_one_speaker_whatever_the_case_and_accents_roles_counted(session, make_quote):
    body = "«Un», dit Josep Borrell. «Deux», dit JOSEP BORRELL. «Trois», dit Jósep Borrell."
    found = [make_quote(body, "Un", speaker="Josep Borrell", role="haut représentant"),
             make_quote(body, "Deux", speaker="JOSEP  BORRELL", role="chef de la diplomatie européenne"),
             make_quote(body, "Trois", speaker="Jósep Borrell", role="chef de la diplomatie  européenne")]
    save_document(session, DocumentInput(body), found)
    session.commit()
    speakers = session.scalars(select(Speaker)).all()
    assert [(s.name, s.key) for s in speakers] == [("Josep Borrell", "josep borrell")]
    # The most frequent first, each with how many quotes carry it.
    assert search.speaker_roles(session, [speakers[0].id])[speakers[0].id] == [
        ("chef de la diplomatie européenne", 2), ("haut représentant", 1)]
    assert count(session, Quote) == 3


def test_quote_without_speaker_is_stored_unattributed(session, make_quote):
    body = "Il a demandé une «contribution précise de l’UE»."
    doc, _ = save_document(session, DocumentInput(body), [make_quote(body, "contribution précise de l’UE",
                                                                       type="partial", speaker="  ")])
    session.commit()
    assert [(q.quote, q.speaker_id) for q in doc.quotes] == [("contribution précise de l’UE", None)]
    assert count(session, Speaker) == 0


@pytest.mark.parametrize("published, at, offset, on", [
    (datetime(2022, 1, 12, 18, 30, tzinfo=timezone(timedelta(hours=1))), datetime(2022, 1, 12, 17, 30), 60, date(2022, 1, 12)),
    # Half past midnight in Paris is the 12th there, the 11th in UTC: the publication's own date is kept.
    (datetime(2022, 1, 12, 0, 30, tzinfo=timezone(timedelta(hours=1))), datetime(2022, 1, 11, 23, 30), 60, date(2022, 1, 12)),
    (datetime(2022, 1, 12, 10, 0), datetime(2022, 1, 12, 10, 0), 0, date(2022, 1, 12)),
])
def test_published_at_is_stored_in_utc_with_its_offset_and_own_date(session, published, at, offset, on):
    doc, _ = save_document(session, DocumentInput("Texte daté.", published_at=published), [])
    session.commit()
    session.expire_all()
    stored = session.get(Document, doc.id)
    assert (stored.published_at, stored.published_offset, stored.published_on) == (at, offset, on)
    assert stored.published == published.replace(tzinfo=published.tzinfo or timezone.utc)


def test_delete_document_removes_quotes_and_orphan_speakers(session, make_quote):
    doc, _ = save_document(session, DocumentInput(BODY), records(BODY, make_quote))
    other_body = "«Nous restons unis», a déclaré Jens Stoltenberg."
    other, _ = save_document(session, DocumentInput(other_body),
                             [make_quote(other_body, "Nous restons unis", speaker="Jens Stoltenberg")])
    session.commit()
    assert delete_document(session, doc.id) is True
    session.commit()
    assert get_document(session, doc.id) is None
    assert [q.quote for q in session.scalars(select(Quote))] == ["Nous restons unis"]
    # Stoltenberg still speaks in the other document; Borrell and Peskov are gone.
    assert session.scalars(select(Speaker.name)).all() == ["Jens Stoltenberg"]
    assert session.scalars(select(SpeakerWord.word).order_by(SpeakerWord.position)).all() == ["jens", "stoltenberg"]
    assert full_text_count(session, "discussion") == 0
    assert delete_document(session, doc.id) is False
    assert delete_document(session, 10_000) is False


def test_failure_before_commit_leaves_nothing(database, make_quote):
    with pytest.raises(RuntimeError):
        with database.session_scope(write=True) as session:
            save_document(session, DocumentInput(BODY), records(BODY, make_quote))
            session.flush()  # quotes, speakers and full-text rows are written...
            raise RuntimeError("crash before commit")  # ...and never committed
    with database.session_scope() as session:
        assert (count(session, Document), count(session, Quote), count(session, Speaker)) == (0, 0, 0)
        assert full_text_count(session, "discussion") == 0


SCOPING = [
    # (name in the first article, kind), (name in the second), one speaker across both?
    (("Frédéric", "person"), ("Frédéric", "person"), False),  # a first name alone: anyone
    (("Le Pen", "person"), ("le pen", "person"), False),  # a surname the article never expands
    (("Jean-Pierre", "person"), ("Jean-Pierre", "person"), False),  # a hyphenated first name is one word
    (("Marine Le Pen", "person"), ("MARINE LE PEN", "person"), True),
    (("Élisabeth Borne", "person"), ("Elisabeth  Borne", "person"), True),
    (("SNCF", "organisation"), ("sncf", "organisation"), True),  # a one-word organisation is one
    (("Kremlin", "organisation"), ("Kremlin", "organisation"), True),
    (("Frédéric", None), ("Frédéric", None), False),  # no kind given: taken as a person
]


@pytest.mark.parametrize("first, second, merged", SCOPING)
def test_one_word_people_stay_in_their_document_full_names_and_organisations_merge(session, make_quote, first, second, merged):
    ids = []
    for n, (name, kind) in enumerate((first, second)):
        body = f"«Citation {n}», a dit quelqu’un."
        doc, _ = save_document(session, DocumentInput(body), [make_quote(body, f"Citation {n}", speaker=name, speaker_kind=kind)])
        ids.append(doc.id)
    session.commit()
    speakers = session.scalars(select(Speaker).order_by(Speaker.id)).all()
    assert len(speakers) == (1 if merged else 2)
    expected_kind = first[1] or "person"
    assert all(s.kind == expected_kind for s in speakers)
    assert [s.document_id for s in speakers] == ([None] if merged else ids)


def test_a_label_is_kept_on_the_quote_with_no_speaker_and_evidence_is_stored(session, make_quote):
    body = "«Le calme est revenu», a indiqué un porte-parole de la préfecture. «Tout va bien», a dit Jens Stoltenberg."
    why = Evidence(rule="incise", cue="a dit", mention="Jens Stoltenberg", mention_start=80, steps=("name as written",))
    found = [make_quote(body, "Le calme est revenu", speaker_label="porte-parole de la préfecture", role="porte-parole"),
             make_quote(body, "Tout va bien", speaker="Jens Stoltenberg", speaker_kind="person", evidence=why)]
    doc, _ = save_document(session, DocumentInput(body), found)
    session.commit()
    session.expire_all()
    label, named = sorted(session.get(Document, doc.id).quotes, key=lambda q: q.start)
    assert (label.speaker_id, label.speaker_label, label.role) == (None, "porte-parole de la préfecture", None)
    assert (named.speaker.name, named.speaker_label) == ("Jens Stoltenberg", None)
    assert named.evidence == {"rule": "incise", "cue": "a dit", "mention": "Jens Stoltenberg", "mention_start": 80,
                              "steps": ["name as written"]}
    assert session.scalars(select(Speaker.name)).all() == ["Jens Stoltenberg"]
