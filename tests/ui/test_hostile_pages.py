"""Issue 15 on the pages: odd query values and extreme dates get a French 400 page, a speaker page survives any
stored date, /try saves only what the API would accept (and the NFC form of the text)."""
import re
import unicodedata
from datetime import datetime

import pytest
from sqlalchemy import select

from quotes.models import Document, Speaker

from .conftest import record, save
from .test_try_page import ARTICLE, csrf_from, preview, rows

HTML = {"Accept": "text/html"}


def assert_french_400(response) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == 400, body[:300]
    assert response.mimetype == "text/html"
    assert '<html lang="fr">' in body and "Traceback" not in body
    return body


@pytest.mark.parametrize("query, message", [
    ("page=²", "Numéro de page"),
    ("per_page=²", "Nombre de citations par page"),
    ("page=0", "Numéro de page"),
    ("page=-1", "Numéro de page"),
    ("page=" + "9" * 30, "Numéro de page"),
    ("per_page=1.5", "Nombre de citations par page"),
    ("speaker_id=²", "Identifiant numérique attendu"),
    ("document_id=²", "Identifiant numérique attendu"),
    ("speaker_id=" + "9" * 30, "Identifiant numérique attendu"),
    ("document_id=" + "9" * 19, "Identifiant numérique attendu"),
])
def test_odd_values_on_the_search_page_are_a_french_400(client, archive, query, message):
    body = assert_french_400(client.get("/?" + query, headers=HTML))
    assert message in body


@pytest.mark.parametrize("query", ["until=9999-12-31", "since=0001-01-01", "since=1799-12-31&until=2022-01-01",
                                   "until=2201-01-01"])
def test_dates_outside_the_range_on_the_search_page_are_a_french_400(client, archive, query):
    body = assert_french_400(client.get("/?" + query, headers=HTML))
    assert "Date attendue entre 1800 et 2200." in body


@pytest.mark.parametrize("query", ["page=²", "per_page=²", "page=0", "page=" + "9" * 30, "per_page=abc"])
def test_odd_page_values_on_a_speaker_page_are_a_french_400(client, archive, app, query):
    with app.extensions["db"].session_scope() as session:
        sid = session.scalar(select(Speaker.id).where(Speaker.name == "Jens Stoltenberg"))
    body = assert_french_400(client.get(f"/speakers/{sid}?{query}", headers=HTML))
    assert "page" in body


def test_a_page_size_over_the_maximum_shows_the_maximum(client, many_quotes, app):
    app.config["MAX_PER_PAGE"] = 10
    response = client.get("/?speaker=curie&per_page=" + "9" * 30)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count('class="result"') == 10


@pytest.mark.parametrize("dates", [
    [datetime(1, 1, 1)], [datetime(1, 6, 15)], [datetime(9999, 12, 1)], [datetime(9999, 12, 31, 23, 59)],
    [datetime(1, 1, 1), datetime(9999, 12, 31), datetime(2022, 5, 1), None],
])
def test_a_speaker_page_survives_dates_stored_before_the_range_existed(client, app, dates):
    for n, published in enumerate(dates):
        text = f"«Nous verrons {n}», a déclaré Jean Dupont."
        save(app, text, [record(text, f"«Nous verrons {n}»", "Jean Dupont")], published_at=published)
    with app.extensions["db"].session_scope() as session:
        sid = session.scalar(select(Speaker.id))
    response = client.get(f"/speakers/{sid}", headers=HTML)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body[:300]
    assert "Jean Dupont" in body and body.count('class="result"') == len(dates)


def save_form(client, **fields):
    token = csrf_from(preview(client))
    return client.post("/try/save", data={"text": ARTICLE, "csrf_token": token, **fields})


def assert_save_refused(response, app, message: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == 400, body[:300]
    assert message in body
    assert rows(app) == (0, 0)


@pytest.mark.parametrize("published_at", ["0001-01-01", "9999-12-31", "2201-01-01", "1799-12-31"])
def test_try_save_refuses_a_date_outside_the_range(client, app, published_at):
    assert_save_refused(save_form(client, published_at=published_at), app, "Date attendue entre 1800 et 2200.")


@pytest.mark.parametrize("fields, message", [
    ({"source": "x" * 201}, "Trop long : 200 caractères au plus."),
    ({"title": "x" * 1001}, "Trop long : 1000 caractères au plus."),
    ({"url": "https://example.org/" + "x" * 2048}, "Trop long : 2048 caractères au plus."),
])
def test_try_save_refuses_fields_longer_than_the_api_takes(client, app, fields, message):
    assert_save_refused(save_form(client, **fields), app, message)


def test_try_saves_the_nfc_form_of_the_text(client, app):
    nfd = unicodedata.normalize("NFD", ARTICLE)
    assert save_form(client).status_code == 303
    token = csrf_from(preview(client, nfd))
    again = client.post("/try/save", data={"text": nfd, "csrf_token": token})
    assert again.status_code == 303 and again.headers["Location"].endswith("saved=existing")
    with app.extensions["db"].session_scope() as session:
        [text] = session.scalars(select(Document.text)).all()
    assert text == unicodedata.normalize("NFC", ARTICLE)


def test_a_preview_shows_the_text_that_save_would_store(client):
    body = preview(client, unicodedata.normalize("NFD", ARTICLE))
    article = body[body.index('<div class="article"'):]
    assert re.search("réuni", article) and "e\u0301" not in article


def test_a_crash_on_a_page_is_a_french_500_page(test_config, monkeypatch):
    from quotes import create_app

    app = create_app(type("CrashConfig", (test_config,), {"PROPAGATE_EXCEPTIONS": False}))
    try:
        monkeypatch.setattr("quotes.search.page_of", lambda *args, **kwargs: 1 / 0)
        page = app.test_client().get("/?speaker=dupont", headers=HTML)
        assert page.status_code == 500 and page.mimetype == "text/html"
        body = page.get_data(as_text=True)
        assert '<html lang="fr">' in body and "ZeroDivisionError" not in body
        api = app.test_client().get("/api/quotes?speaker=dupont", headers=HTML)
        assert api.status_code == 500 and api.get_json()["error"]["code"] == 500
    finally:
        app.extensions["db"].dispose()
