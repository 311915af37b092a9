"""The HTML pages through Flask's test client: search, pagination, CSV link, speaker page, escaping."""
import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from quotes.models import Document, Speaker
from tests.ui.conftest import record, save


def links(body: str, pattern: str) -> list[str]:
    """Unescaped hrefs in ``body`` that match ``pattern``."""
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', body) if re.search(pattern, html.unescape(h))]


def speaker_id(app, name: str) -> int:
    with app.extensions["db"].session_scope() as session:
        return session.scalar(select(Speaker.id).where(Speaker.name == name))


def test_home_page_shows_the_form_without_results(client):
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fr">' in body
    for field in ("speaker", "q", "since", "until", "source"):
        assert f'<label for="{field}">' in body and f'id="{field}" name="{field}"' in body
    assert 'list="speaker-suggestions"' in body
    assert "results-title" not in body


def test_search_by_speaker_shows_each_quote_in_its_sentence(client, archive, app):
    response = client.get("/?speaker=STOLTENBERG")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 citations" in body
    assert body.count('class="result"') == 3
    # The quote is marked inside the sentence around it, taken from the document text.
    assert "<mark>«La discussion n&#39;a pas été aisée»</mark>, a expliqué Jens Stoltenberg." in body
    assert "Jens Stoltenberg a déclaré : <mark>«L&#39;Alliance reste unie.»</mark>" in body
    # Speaker and role, linked to the speaker page; cue; date; source linked.
    assert f'href="/speakers/{speaker_id(app, "Jens Stoltenberg")}">Jens Stoltenberg</a>' in body
    assert "secrétaire général de l&#39;OTAN" in body
    assert "a déclaré" in body
    assert '<time datetime="2022-01-12">12/01/2022</time>' in body
    assert '<a href="https://example.org/otan" rel="noopener noreferrer nofollow">OTAN-Russie : l&#39;impasse</a>' in body
    assert "Dmitri Peskov" not in body


def test_filters_combine_words_dates_and_source(client, archive):
    body = client.get("/?speaker=stoltenberg&q=alliance").get_data(as_text=True)
    assert "1 citation" in body and "Alliance reste unie" in body
    body = client.get("/?since=2022-02-01&until=2022-03-03").get_data(as_text=True)
    assert "2 citations" in body and "Alliance reste unie" in body and "céderons" in body
    body = client.get("/?source=ATS&speaker=stoltenberg").get_data(as_text=True)
    assert "2 citations" in body and "Personne ne sait" in body
    body = client.get("/?speaker=personne%20inconnue").get_data(as_text=True)
    assert "Aucune citation" in body


def test_article_text_title_and_role_are_escaped(client, archive):
    body = client.get("/?speaker=hidalgo").get_data(as_text=True)
    assert "<script>" not in body.split("</head>", 1)[1].replace('<script src="/static/web/suggest.js" defer></script>', "")
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body
    assert "<mark>«Nous ne céderons pas &lt;b&gt;aux&lt;/b&gt; menaces»</mark>" in body
    assert "<img" not in body and "&lt;img src=x onerror=alert(1)&gt;Conseil" in body
    assert "<i>" not in body and "maire de &lt;i&gt;Paris&lt;/i&gt;" in body


def test_a_stored_javascript_url_is_not_a_link(client, archive):
    body = client.get("/?q=alliance").get_data(as_text=True)
    assert "javascript:" not in body
    assert "Sommet de mars" in body


def test_pagination_links_carry_the_filters(client, many_quotes):
    body = client.get("/?speaker=curie&source=Le+Temps&per_page=10").get_data(as_text=True)
    assert "25 citations" in body and body.count('class="result"') == 10
    page_links = links(body, r"page=")
    assert page_links, "no pagination links"
    for href in page_links:
        args = parse_qs(urlsplit(href).query)
        assert args["speaker"] == ["curie"] and args["source"] == ["Le Temps"] and args["per_page"] == ["10"]
    next_link = links(body, r"page=2")[0]
    body = client.get(next_link).get_data(as_text=True)
    assert '<ol class="results-list" start="11">' in body
    assert "numéro 11 sur" in body and "numéro 20 sur" in body and "numéro 21 sur" not in body
    last = client.get("/?speaker=curie&source=Le+Temps&per_page=10&page=3").get_data(as_text=True)
    assert last.count('class="result"') == 5 and 'rel="next"' not in last and 'rel="prev"' in last


def test_a_page_past_the_end_says_so(client, many_quotes):
    body = client.get("/?speaker=curie&page=99").get_data(as_text=True)
    assert "25 citations" in body and 'class="result"' not in body and "au-delà de la dernière" in body


def test_csv_link_exports_exactly_the_current_filters(client, archive):
    body = client.get("/?speaker=stoltenberg&since=2022-01-01&until=2022-03-31&source=AFP&q=alliance").get_data(as_text=True)
    [href] = [h for h in links(body, r"^/api/quotes\.csv\?") if "bom=" not in h]
    assert parse_qs(urlsplit(href).query) == {
        "speaker": ["stoltenberg"], "q": ["alliance"], "since": ["2022-01-01"], "until": ["2022-03-31"], "source": ["AFP"],
    }
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["speaker"], r["quote"], r["source"]) for r in rows] == [("Jens Stoltenberg", "«L'Alliance reste unie.»", "AFP")]


def test_csv_link_rows_match_the_listed_results(client, archive):
    body = client.get("/?speaker=stoltenberg").get_data(as_text=True)
    [href] = [h for h in links(body, r"^/api/quotes\.csv\?") if "bom=" not in h]
    rows = list(csv.DictReader(io.StringIO(client.get(href).get_data(as_text=True))))
    assert len(rows) == body.count('class="result"') == 3
    for row in rows:
        assert html.escape(row["quote"], quote=True).replace("&#x27;", "&#39;") in body


def test_a_bad_date_is_explained_in_the_form(client, archive):
    response = client.get("/?since=12/01/2022")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in body and "AAAA-MM-JJ" in body
    assert 'value="12/01/2022"' in body


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("q=%22%22%2A", "q", "Saisissez au moins un mot"),
        ("speaker=---", "speaker", "au moins une lettre ou un chiffre"),
        ("source=" + "x" * 600, "source", "Source trop longue"),
    ],
)
def test_refused_searches_are_explained_beside_their_field(client, archive, query, field, message):
    response = client.get("/?" + query)
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<small class="error" id="{field}-error">' in body and message in body


def test_speaker_page_shows_roles_count_timeline_and_quotes(client, archive, app):
    sid = speaker_id(app, "Jens Stoltenberg")
    response = client.get(f"/speakers/{sid}")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Jens Stoltenberg</h1>" in body
    assert '<li>secrétaire général de l&#39;OTAN <span class="muted">(1 citation)</span></li>' in body
    assert '<dd class="kind">personne</dd>' in body
    assert '<dd class="count">3</dd>' in body
    # A year of months up to March 2022, February empty; the undated quote is counted apart.
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert svg.count("<rect") == 12
    assert re.findall(r"<title>([^<]+)</title></rect>", svg)[-3:] == ["janv. 2022 : 1", "févr. 2022 : 0", "mars 2022 : 1"]
    assert "1 sans date de publication" in body
    assert body.count('class="result"') == 3
    assert f'href="/api/quotes.csv?speaker_id={sid}"' in body


def test_speaker_page_paginates_with_its_own_links(client, many_quotes, app):
    sid = speaker_id(app, "Marie Curie")
    body = client.get(f"/speakers/{sid}?per_page=10&page=2").get_data(as_text=True)
    assert body.count('class="result"') == 10 and "numéro 11 sur" in body
    assert f"/speakers/{sid}?page=3&amp;per_page=10" in body
    assert "1 citation datée" not in body and "25 citations datées" in body


def test_unknown_speaker_is_an_html_404(client):
    response = client.get("/speakers/999")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert "Introuvable" in response.get_data(as_text=True)


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert 'style="' not in response.get_data(as_text=True)  # inline styles would be blocked


def test_static_files_are_served(client):
    assert client.get("/static/web/style.css").status_code == 200
    assert client.get("/static/web/suggest.js").status_code == 200


def test_pages_are_not_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert all(path.startswith("/api/") for path in paths)


def count_documents(app) -> int:
    with app.extensions["db"].session_scope() as session:
        return session.scalar(select(func.count()).select_from(Document))


def test_a_search_scoped_to_a_speaker_says_so_and_can_be_widened(client, archive, app):
    sid = speaker_id(app, "Jens Stoltenberg")
    body = client.get(f"/?speaker_id={sid}&q=alliance").get_data(as_text=True)
    assert "1 citation" in body
    assert "Limité à Jens Stoltenberg" in body
    assert f'<input type="hidden" name="speaker_id" value="{sid}">' in body
    assert '<a href="/?q=alliance">retirer cette limite</a>' in body


def test_saved_document_notice(client, archive):
    body = client.get(f"/?document_id={archive['otan']}&saved=new").get_data(as_text=True)
    assert "Article enregistré (document n° " in body and "2 citations" in body
    assert f"Limité au document n° {archive['otan']}" in body


def test_an_unknown_page_is_an_html_404_for_browsers_and_json_for_the_api(client):
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "Cette page n’existe pas." in page.get_data(as_text=True)
    api = client.get("/api/no-such-endpoint", headers={"Accept": "text/html"})
    assert api.status_code == 404
    assert api.get_json()["error"]["code"] == 404
    bare = client.get("/no-such-page")  # no Accept header: a program, not a browser
    assert bare.get_json()["error"]["code"] == 404


@pytest.mark.parametrize("query, field, kept", [
    ("since=2022-13-45", "since", "2022-13-45"),
    ("until=12%2F01%2F2022", "until", "12/01/2022"),
    ("since=2022-03&until=2022-01", "until", "2022-01"),
])
def test_the_search_form_keeps_a_bad_date_beside_its_error(client, archive, query, field, kept):
    response = client.get(f"/?{query}")
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'<input id="{field}" name="{field}" type="text" inputmode="numeric" value="{kept}"' in body
    assert f'<small class="error" id="{field}-error">' in body


@pytest.mark.parametrize("since, until, count", [("2022", "", 4), ("2022-01", "2022-01", 2), ("2022-02-01", "2022-03", 2)])
def test_the_search_form_takes_a_year_a_month_or_a_day(client, archive, since, until, count):
    body = client.get(f"/?since={since}&until={until}").get_data(as_text=True)
    assert body.count('class="result"') == count


def test_speaker_roles_the_most_frequent_first_with_their_counts(client, app):
    text = "«Un», dit A. «Deux», dit B. «Trois», dit C."
    save(app, text, [record(text, "«Un»", "Olivier Véran", "député"), record(text, "«Deux»", "Olivier Véran", "ministre"),
                     record(text, "«Trois»", "Olivier Véran", "ministre")])
    body = client.get(f"/speakers/{speaker_id(app, 'Olivier Véran')}").get_data(as_text=True)
    assert re.findall(r"<li>([^<]+) <span class=\"muted\">\(([^)]+)\)</span></li>", body) == [
        ("ministre", "2 citations"), ("député", "1 citation")]
