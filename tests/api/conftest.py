"""Data for the API tests: a small archive built from hand-made extractor records (no spaCy)."""
from datetime import datetime

import pytest

from quotes import store
from quotes.extract import QuoteRecord
from tests.conftest import quote_in, row_counts

ARTICLES = [
    {
        "text": (
            "«Nous sommes prêts au dialogue sur la sécurité», a déclaré Jens Stoltenberg. "
            "Le porte-parole du Kremlin Dmitri Peskov a estimé : «La sécurité de la Russie n'est pas négociable.»"
        ),
        "title": "OTAN-Russie",
        "url": "https://example.org/otan",
        "source": "ATS",
        "published_at": datetime(2022, 1, 12, 10, 0),
        "quotes": [
            ("Nous sommes prêts au dialogue sur la sécurité", "Jens Stoltenberg", "secrétaire général de l'OTAN", "direct"),
            ("La sécurité de la Russie n'est pas négociable.", "Dmitri Peskov", "porte-parole du Kremlin", "direct"),
        ],
    },
    {
        "text": (
            "Josep Borrell a averti : «=SUM(A1), des sanctions, \"vite\"\net «coordonnées»». "
            "Jens Stoltenberg a évoqué des «mesures fermes». "
            "«Personne ne sait», dit-on."
        ),
        "title": "UE, sanctions",
        "url": "https://example.org/ue",
        "source": "AFP",
        "published_at": datetime(2022, 2, 1, 18, 30),
        "quotes": [
            ("=SUM(A1), des sanctions, \"vite\"\net «coordonnées»", "Josep Borrell", "chef de la diplomatie européenne", "direct"),
            ("mesures fermes", "Jens Stoltenberg", None, "partial"),
            ("Personne ne sait", None, None, "direct"),
        ],
    },
    {
        "text": "Selon Jens Stoltenberg, «l'Alliance reste unie».",
        "title": None,
        "url": None,
        "source": "ATS",
        "published_at": None,
        "quotes": [("l'Alliance reste unie", "Jens Stoltenberg", None, "direct")],
    },
]


def records(article: dict) -> list[QuoteRecord]:
    text = article["text"]
    return [
        quote_in(text, quote, speaker=speaker, mention=speaker, role=role,
                 cue="a déclaré" if kind == "direct" else "a évoqué",
                 cue_lemma="déclarer" if kind == "direct" else "évoquer", type=kind, confidence=0.9)
        for quote, speaker, role, kind in article["quotes"]
    ]


@pytest.fixture
def seeded(app):
    """The three ARTICLES stored; returns their document ids in order."""
    ids = []
    with app.extensions["db"].session_scope() as session:
        for article in ARTICLES:
            doc = store.DocumentInput(
                text=article["text"],
                title=article["title"],
                url=article["url"],
                source=article["source"],
                published_at=article["published_at"],
            )
            document, created = store.save_document(session, doc, records(article))
            assert created
            session.flush()
            ids.append(document.id)
    return ids


@pytest.fixture
def counts(app):
    """A function returning (documents, quotes, speakers) row counts, to show nothing changed."""
    return lambda: row_counts(app.config["SQLALCHEMY_DATABASE_URI"])


def assert_error(response, status: int) -> dict:
    """The response is the one JSON error shape with ``status``; returns its error object."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error"}
    error = body["error"]
    assert error["code"] == status
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["details"], dict)
    return error
