"""/try through the test client: preview with the real extractor, nothing stored until Save; CSRF and token on Save."""
import re

import pytest
from sqlalchemy import func, select

from quotes.models import Document, Quote as QuoteRow

ARTICLE = (
    "Le conseil s'est réuni mardi. <script>alert('x')</script>\n"
    "«Nous ne céderons rien sur le fond», a déclaré Jean Dupont à l'issue de la séance.\n"
    "Marie Lambert a affirmé : «Le dialogue reste ouvert.»"
)


def rows(app) -> tuple[int, int]:
    with app.extensions["db"].session_scope() as session:
        return (
            session.scalar(select(func.count()).select_from(Document)),
            session.scalar(select(func.count()).select_from(QuoteRow)),
        )


def preview(client, text=ARTICLE):
    response = client.post("/try", data={"text": text})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def csrf_from(body: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)


def test_try_form(client):
    body = client.get("/try").get_data(as_text=True)
    assert '<label for="text">' in body and '<textarea id="text" name="text"' in body
    assert "Enregistrer cet article" not in body


def test_preview_highlights_each_quote_with_its_speaker_and_stores_nothing(client, app):
    body = preview(client)
    article = body[body.index('<div class="article"'):body.index("</div>", body.index('<div class="article"'))]
    # Each mark says on hover why it has its speaker (the extractor's evidence).
    assert re.search('<mark class="quote quote-direct sp-0" data-speaker="Jean Dupont" title="[^"]+ mention «Jean Dupont» '
                     'at [0-9]+[^"]*">Nous ne céderons rien sur le fond</mark>', article)
    assert '<span class="speaker-tag sp-0">Jean Dupont</span>' in article
    assert re.search('<mark class="quote quote-direct sp-1" data-speaker="Marie Lambert" title="[^"]+">Le dialogue reste ouvert.</mark>', article)
    assert '<span class="speaker-tag sp-1">Marie Lambert</span>' in article
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in article and "<script>" not in article
    assert "2 citations trouvées" in body
    assert rows(app) == (0, 0)


def test_preview_of_blank_text_is_refused(client):
    response = client.post("/try", data={"text": "  \r\n "})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)


def test_save_stores_the_article_and_lists_its_quotes(client, app):
    token = csrf_from(preview(client))
    response = client.post(
        "/try/save",
        data={"text": ARTICLE.replace("\n", "\r\n"), "csrf_token": token, "title": "Conseil", "source": "AFP", "published_at": "2024-03-05"},
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    assert re.fullmatch(r"/\?document_id=\d+&saved=new", location)
    assert rows(app) == (1, 2)
    body = client.get(location).get_data(as_text=True)
    assert "Article enregistré" in body and "2 citations" in body
    assert "«<mark>Nous ne céderons rien sur le fond</mark>», a déclaré Jean Dupont" in body
    # Saving the same text again stores nothing new.
    again = client.post("/try/save", data={"text": ARTICLE, "csrf_token": token})
    assert again.status_code == 303 and again.headers["Location"].endswith("saved=existing")
    assert rows(app) == (1, 2)


@pytest.mark.parametrize("sent", [None, "", "forged-" + "x" * 40])
def test_save_without_the_matching_csrf_token_is_refused(client, app, sent):
    preview(client)  # the browser holds a cookie token
    data = {"text": ARTICLE}
    if sent is not None:
        data["csrf_token"] = sent
    response = client.post("/try/save", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Formulaire expiré" in body
    assert "Nous ne céderons rien sur le fond" in body  # the text is kept for a new analysis
    assert '<div class="article"' not in body  # no extraction run for a refused post
    assert rows(app) == (0, 0)


def test_save_from_a_browser_without_the_cookie_is_refused(app, client):
    token = csrf_from(preview(client))
    other = app.test_client()  # another browser: same field value, no cookie
    response = other.post("/try/save", data={"text": ARTICLE, "csrf_token": token})
    assert response.status_code == 403
    assert rows(app) == (0, 0)


def test_the_csrf_cookie_is_strict_and_http_only(client):
    response = client.post("/try", data={"text": ARTICLE})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("quotes_csrf=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie


@pytest.fixture
def token_app(test_config):
    from quotes import create_app

    app = create_app(type("TokenConfig", (test_config,), {"API_TOKEN": "s3cret-token"}))
    yield app
    app.extensions["db"].dispose()


def test_save_needs_the_api_token_when_one_is_set(token_app):
    client = token_app.test_client()
    body = preview(client)
    assert '<input id="api_token" name="api_token" type="password"' in body
    token = csrf_from(body)
    refused = client.post("/try/save", data={"text": ARTICLE, "csrf_token": token, "api_token": "wrong"})
    assert refused.status_code == 403 and "Jeton d’accès manquant ou incorrect" in refused.get_data(as_text=True)
    assert rows(token_app) == (0, 0)
    accepted = client.post("/try/save", data={"text": ARTICLE, "csrf_token": token, "api_token": "s3cret-token"})
    assert accepted.status_code == 303
    assert rows(token_app) == (1, 2)


def test_previews_share_the_extract_rate_limit(test_config):
    from quotes import create_app

    config = type("LimitedConfig", (test_config,), {"RATELIMIT_ENABLED": True, "RATELIMIT_EXTRACT": "2 per minute"})
    app = create_app(config)
    try:
        client = app.test_client()
        responses = [client.post("/try", data={"text": "«Oui», a déclaré Jean Dupont."}) for _ in range(3)]
        assert [r.status_code for r in responses] == [200, 200, 429]
        assert responses[2].mimetype == "text/html"
        assert "Trop de demandes" in responses[2].get_data(as_text=True)
    finally:
        app.extensions["db"].dispose()


def test_indirect_speech_is_marked_apart_and_explained(app):
    from flask import render_template

    from quotes.extract import QuoteRecord
    from quotes.web.highlight import highlight_article, legend

    text = "Le ministre Paul Girard a affirmé que les aides seraient versées avant l’été."
    quote = "les aides seraient versées avant l’été"
    start = text.index(quote)
    quotes = [QuoteRecord(quote=quote, start=start, end=start + len(quote), speaker="Paul Girard", type="indirect")]
    with app.test_request_context("/try", method="POST"):
        body = render_template(
            "web/try.html", text=text, meta={}, errors={}, quotes=quotes,
            article=highlight_article(text, quotes), legend=legend(quotes), needs_token=False,
        )
    assert '<mark class="quote quote-indirect sp-0" data-speaker="Paul Girard" title="aucune règle n’a désigné de locuteur">les aides seraient versées avant l’été</mark>' in body
    assert "cadre pointillé : discours indirect" in body


def test_an_article_over_the_size_limit_gets_an_html_explanation(test_config):
    from quotes import create_app

    app = create_app(type("SmallConfig", (test_config,), {"MAX_CONTENT_LENGTH": 2000}))
    try:
        response = app.test_client().post("/try", data={"text": "«Oui», a dit Jean. " * 200})
        assert response.status_code == 413
        assert response.mimetype == "text/html"
        assert "trop long" in response.get_data(as_text=True)
    finally:
        app.extensions["db"].dispose()


def test_a_text_over_the_limit_comes_back_in_the_form_with_the_limit_stated(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    text = "«Trop long», a déclaré Jean Dupont. " + "é" * (limit // 2)  # over the limit in bytes of UTF-8
    client.set_cookie("quotes_csrf", "x" * 43)
    for path in ("/try", "/try/save"):
        response = client.post(path, data={"text": text, "csrf_token": "x" * 43})
        assert response.status_code == 413
        body = response.get_data(as_text=True)
        assert f">{text}</textarea>" in body  # what was pasted is kept
        assert f"pour une limite de {limit:,} octets".replace(",", "\u202f") in body
    assert rows(app) == (0, 0)
