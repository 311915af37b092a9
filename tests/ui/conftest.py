"""Data for the HTML page tests: articles stored from hand-made extractor records (no spaCy)."""
from datetime import datetime

import pytest

from quotes import store
from quotes.extract import QuoteRecord
from tests.conftest import quote_in


def record(text: str, quote: str, speaker: str | None, role: str | None = None, kind: str = "direct") -> QuoteRecord:
    return quote_in(text, quote, speaker=speaker, mention=speaker, role=role, cue="a déclaré",
                    cue_lemma="déclarer", type=kind, confidence=0.9)


def save(app, text: str, quotes: list[QuoteRecord], **meta) -> int:
    """Store one document with ``quotes``; returns its id."""
    with app.extensions["db"].session_scope() as session:
        document, created = store.save_document(session, store.DocumentInput(text=text, **meta), quotes)
        assert created
        session.flush()
        return document.id


HOSTILE_TEXT = (
    'Le maire a parlé. <script>alert("x")</script> «Nous ne céderons pas <b>aux</b> menaces», '
    "a déclaré Anne Hidalgo devant le conseil. Puis la séance a repris."
)


@pytest.fixture
def archive(app):
    """A small archive: two speakers over three months, a hostile document, an undated one."""
    ids = {}
    otan = (
        "À Bruxelles, la réunion a duré quatre heures. «La discussion n'a pas été aisée», a expliqué Jens Stoltenberg. "
        "Le porte-parole du Kremlin, Dmitri Peskov, a estimé : «La sécurité de la Russie n'est pas négociable.»"
    )
    ids["otan"] = save(
        app,
        otan,
        [
            record(otan, "«La discussion n'a pas été aisée»", "Jens Stoltenberg", "secrétaire général de l'OTAN"),
            record(otan, "«La sécurité de la Russie n'est pas négociable.»", "Dmitri Peskov", "porte-parole du Kremlin"),
        ],
        title="OTAN-Russie : l'impasse",
        url="https://example.org/otan",
        source="ATS",
        published_at=datetime(2022, 1, 12, 10, 0),
    )
    march = "Jens Stoltenberg a déclaré : «L'Alliance reste unie.» La conférence s'est achevée."
    ids["march"] = save(
        app,
        march,
        [record(march, "«L'Alliance reste unie.»", "Jens Stoltenberg")],
        title="Sommet de mars",
        url="javascript:alert(1)",
        source="AFP",
        published_at=datetime(2022, 3, 3, 9, 0),
    )
    ids["hostile"] = save(
        app,
        HOSTILE_TEXT,
        [record(HOSTILE_TEXT, "«Nous ne céderons pas <b>aux</b> menaces»", "Anne Hidalgo", "maire de <i>Paris</i>")],
        title="<img src=x onerror=alert(1)>Conseil",
        source="AFP",
        published_at=datetime(2022, 2, 1, 18, 30),
    )
    undated = "«Personne ne sait», a déclaré Jens Stoltenberg."
    ids["undated"] = save(app, undated, [record(undated, "«Personne ne sait»", "Jens Stoltenberg")], source="ATS")
    return ids


@pytest.fixture
def many_quotes(app):
    """One document holding 25 quotes by Marie Curie: three pages of ten."""
    sentences = [f"«Observation numéro {i} sur le radium.», a déclaré Marie Curie." for i in range(1, 26)]
    text = " ".join(sentences)
    quotes = [record(text, f"«Observation numéro {i} sur le radium.»", "Marie Curie", "physicienne") for i in range(1, 26)]
    return save(app, text, quotes, source="Le Temps", published_at=datetime(1911, 11, 7))
