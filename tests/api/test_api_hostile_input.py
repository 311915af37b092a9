"""Issue 15 at the API: dates outside the accepted range, deeply nested JSON, NFD text; 400 and nothing changed."""
import unicodedata

import pytest

from .conftest import assert_error

ARTICLE = "«Nous restons unis», a déclaré Jens Stoltenberg. «L’été sera décisif», a déclaré Josep Borrell."


@pytest.mark.parametrize("path", ["/api/quotes", "/api/quotes.csv"])
@pytest.mark.parametrize("query", [
    "until=9999-12-31",
    "until=9999-12-31T23:59:59-23:59",
    "since=0001-01-01T00:00:00%2B23:59",
    "since=0001-01-01",
    "since=1799-12-31",
    "until=2201-01-01",
    "since=2024-02-30",
])
def test_dates_outside_the_accepted_range_are_400(client, seeded, path, query):
    error = assert_error(client.get(f"{path}?{query}"), 400)
    assert set(error["details"]["query"]) == {query.split("=")[0]}


@pytest.mark.parametrize("query, total", [
    ("since=1800-01-01", 5),
    ("until=2200-12-31T23:59:59-23:59", 5),
    ("since=1800-01-01T00:00:00%2B23:59&until=2200-12-31", 5),
    ("since=2022-02-01", 3),
])
def test_the_range_bounds_are_accepted(client, seeded, query, total):
    response = client.get(f"/api/quotes?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["total"] == total


@pytest.mark.parametrize("published_at", [
    "0001-01-01", "0001-06-15", "9999-12-01", "9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59",
    "1799-12-31T23:59:59", "2201-01-01", "2023-02-29",
])
def test_a_publication_date_outside_the_range_is_400_and_stores_nothing(client, counts, published_at):
    error = assert_error(client.post("/api/documents", json={"text": ARTICLE, "published_at": published_at}), 400)
    assert "published_at" in error["details"]["json"]
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("published_at, stored", [
    ("1800-01-01", "1800-01-01T00:00:00+00:00"),
    ("2200-12-31T23:59:59", "2200-12-31T23:59:59+00:00"),
    ("2024-02-29T10:00:00+01:00", "2024-02-29T10:00:00+01:00"),  # returned with the offset it was given
])
def test_a_publication_date_inside_the_range_is_stored(client, fake_extractor, published_at, stored):
    response = client.post("/api/documents", json={"text": ARTICLE, "published_at": published_at})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["published_at"] == stored


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("path", ["/api/extract", "/api/documents"])
@pytest.mark.parametrize("body", [
    nested(1000),
    nested(100_000),
    '{"text": ' + nested(1000) + "}",
    '{"text": "ok", "title": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}",
    '[{"text": "ok", "url": ' + nested(5000) + "}]",
])
def test_deeply_nested_json_is_400(client, counts, path, body):
    error = assert_error(client.post(path, data=body, content_type="application/json"), 400)
    assert "nested" in error["message"]
    assert counts() == (0, 0, 0)


def test_brackets_inside_strings_are_text_not_nesting(client, fake_extractor):
    text = "«" + "[{" * 2000 + "», a déclaré Jens Stoltenberg. \\\" ]"
    response = client.post("/api/documents", json={"text": text, "title": "[[[[" * 100})
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["text"] == text


# Accents decomposed (NFD) cost these speakers their attribution in the extractor.
ACCENTED = "«C’est inacceptable», a réagi Ségolène Royal. Élisabeth Borne a affirmé : «Nous irons jusqu’au bout.»"
NFC = unicodedata.normalize("NFC", ACCENTED)
NFD = unicodedata.normalize("NFD", ACCENTED)


def test_the_same_article_in_nfd_and_nfc_is_one_document(client, counts):
    assert NFC != NFD
    first = client.post("/api/documents", json={"text": NFD})
    assert first.status_code == 201
    stored = first.get_json()
    assert stored["text"] == NFC
    assert [q["speaker"]["name"] for q in stored["quotes"]] == ["Ségolène Royal", "Élisabeth Borne"]
    for quote in stored["quotes"]:  # offsets index the text as stored
        assert stored["text"][quote["start"]:quote["end"]] == quote["quote"]
    assert client.get(f"/api/documents/{stored['id']}").get_json()["text"] == NFC
    again = client.post("/api/documents", json={"text": NFC})
    assert again.status_code == 200 and again.get_json()["id"] == stored["id"]
    in_a_list = client.post("/api/documents", json=[{"text": NFD}, {"text": NFC}])
    assert [item["id"] for item in in_a_list.get_json()["items"]] == [stored["id"], stored["id"]]
    assert counts()[0] == 1


def test_nfd_and_nfc_texts_extract_the_same_quotes(client):
    def found(text):
        quotes = client.post("/api/extract", json={"text": text}).get_json()["quotes"]
        return [(unicodedata.normalize("NFC", q["quote"]), q["speaker"] and unicodedata.normalize("NFC", q["speaker"]))
                for q in quotes]

    assert found(NFD) == found(NFC)


def test_a_soft_hyphen_inside_a_name_does_not_cut_it(client):
    text = "Emmanuel Ma\u00adcron a déclaré : «Nous tiendrons bon.»"
    response = client.post("/api/documents", json={"text": text})
    assert response.status_code == 201
    [quote] = response.get_json()["quotes"]
    assert (quote["speaker"] or {}).get("name") == "Emmanuel Macron"
    assert text[quote["start"]:quote["end"]] == quote["quote"]
