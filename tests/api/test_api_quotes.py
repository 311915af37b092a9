"""GET /api/quotes: every filter, item fields, pagination, bad and hostile input."""
import pytest

from .conftest import assert_error


def quotes_of(client, query=""):
    response = client.get(f"/api/quotes{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def texts(body):
    return [item["quote"] for item in body["items"]]


def test_item_carries_quote_speaker_cue_offsets_and_document(client, seeded):
    body = quotes_of(client, "?speaker=peskov")
    assert body["total"] == 1
    (item,) = body["items"]
    assert item["quote"] == "La sécurité de la Russie n'est pas négociable."
    assert item["speaker"]["name"] == "Dmitri Peskov"
    assert item["speaker"]["role"] == "porte-parole du Kremlin"
    assert isinstance(item["speaker"]["id"], int)
    assert (item["cue"], item["cue_lemma"], item["type"]) == ("a déclaré", "déclarer", "direct")
    assert item["confidence"] == pytest.approx(0.9)
    assert item["document"] == {
        "id": seeded[0],
        "title": "OTAN-Russie",
        "url": "https://example.org/otan",
        "source": "ATS",
        "published_at": "2022-01-12T10:00:00+00:00",  # given without an offset: UTC
    }
    document = client.get(f"/api/documents/{seeded[0]}").get_json()
    assert document["text"][item["start"]:item["end"]] == item["quote"]


def published(body):
    return [(item["document"]["published_at"] or "")[:10] for item in body["items"]]


def test_all_quotes_newest_first_then_in_stored_order_undated_last(client, seeded):
    body = quotes_of(client)
    assert body["total"] == 6 and body["next"] is None
    assert published(body) == ["2022-02-01"] * 3 + ["2022-01-12"] * 2 + [""]
    ids = [item["id"] for item in body["items"]]
    assert ids[:3] == sorted(ids[:3]) and ids[3:5] == sorted(ids[3:5])
    oldest = quotes_of(client, "?sort=date")
    assert published(oldest) == ["2022-01-12"] * 2 + ["2022-02-01"] * 3 + [""]
    assert quotes_of(client, "?sort=-date") == body


@pytest.mark.parametrize("speaker", ["stoltenberg", "Jens Stoltenberg", "STOLTENBERG", "jens", "Stoltenberg "])
def test_speaker_filter_is_case_insensitive_and_matches_any_part(client, seeded, speaker):
    body = quotes_of(client, f"?speaker={speaker}")
    assert body["total"] == 3
    assert {item["speaker"]["name"] for item in body["items"]} == {"Jens Stoltenberg"}


def test_speaker_filter_ignores_accents(client, app, seeded):
    body = quotes_of(client, "?speaker=BORRELL")
    assert texts(body) == ['=SUM(A1), des sanctions, "vite"\net «coordonnées»']
    assert quotes_of(client, "?speaker=nobody")["total"] == 0


def test_speaker_id_filter(client, seeded):
    stoltenberg = quotes_of(client, "?speaker=stoltenberg")["items"][0]["speaker"]["id"]
    body = quotes_of(client, f"?speaker_id={stoltenberg}")
    assert body["total"] == 3


def test_full_text_filter_ignores_case_and_accents(client, seeded):
    assert sorted(texts(quotes_of(client, "?q=securite"))) == [
        "La sécurité de la Russie n'est pas négociable.",
        "Nous sommes prêts au dialogue sur la sécurité",
    ]
    assert texts(quotes_of(client, "?q=SÉCURITÉ russie")) == ["La sécurité de la Russie n'est pas négociable."]


def test_document_source_and_type_filters(client, seeded):
    assert quotes_of(client, f"?document_id={seeded[1]}")["total"] == 3
    assert quotes_of(client, "?source=ATS")["total"] == 3
    assert texts(quotes_of(client, "?type=partial")) == ["mesures fermes"]
    assert quotes_of(client, "?source=ATS&speaker=stoltenberg")["total"] == 2


def test_date_filters(client, seeded):
    assert quotes_of(client, "?since=2022-02-01")["total"] == 3
    assert quotes_of(client, "?until=2022-01-12")["total"] == 2  # a bare date covers the whole day
    assert quotes_of(client, "?until=2022-01-12T09:00:00")["total"] == 0
    assert quotes_of(client, "?since=2022-01-01&until=2022-12-31")["total"] == 5  # undated document left out
    assert quotes_of(client, "?since=2022-02-01T19:30:00%2B01:00")["total"] == 3  # 18:30 UTC


def test_pagination_walks_every_quote_once_by_following_next(client, seeded):
    seen, pages, url = [], 0, "/api/quotes?per_page=4"
    while url:
        body = client.get(url).get_json()
        pages += 1
        assert body["per_page"] == 4 and body["total"] == 6
        seen += [item["id"] for item in body["items"]]
        url = body["next"]
    assert pages == 2
    assert seen == [item["id"] for item in quotes_of(client)["items"]] and len(set(seen)) == 6


def test_next_link_keeps_the_filters(client, seeded):
    body = quotes_of(client, "?speaker=stoltenberg&per_page=2")
    assert body["next"].startswith("/api/quotes?")
    assert "speaker=stoltenberg" in body["next"] and "page=2" in body["next"]
    last = client.get(body["next"]).get_json()
    assert last["page"] == 2 and len(last["items"]) == 1 and last["next"] is None


def test_empty_form_fields_mean_no_filter(client, seeded):
    empty = "?speaker=&speaker_id=&q=&document_id=&source=&since=&until=&type=&page=&per_page="
    assert quotes_of(client, empty)["total"] == 6
    assert client.get(f"/api/quotes.csv{empty}&bom=").get_data(as_text=True).count("\r\n") == 7


def test_page_past_the_end_is_empty(client, seeded):
    body = quotes_of(client, "?page=99")
    assert body["items"] == [] and body["total"] == 6 and body["next"] is None


def test_default_page_size_comes_from_config(client, app, seeded):
    assert quotes_of(client)["per_page"] == app.config["DEFAULT_PER_PAGE"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("page=-1", "page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=" + "9" * 30, "page"),
        ("per_page=0", "per_page"),
        ("per_page=1000000000", "per_page"),
        ("per_page=101", "per_page"),
        ("speaker_id=x", "speaker_id"),
        ("document_id=-3", "document_id"),
        ("since=yesterday", "since"),
        ("until=2022-13-45", "until"),
        ("type=rumour", "type"),
        ("sort=speaker", "sort"),
    ],
)
def test_bad_query_arguments_are_400_naming_the_field(client, seeded, query, field):
    error = assert_error(client.get(f"/api/quotes?{query}"), 400)
    assert field in error["details"]["query"]
    assert field in error["message"]


@pytest.mark.parametrize(
    "query",
    ["q=NEAR(", 'q="', "q=%", "q=_", "q='", "q=--", "q=a OR b", "q=*", "q=\"unbalanced", "speaker=%", "speaker=_",
     "speaker='; DROP TABLE quotes; --", "source=%", "q=" + "mot " * 40],
)
def test_hostile_filters_give_results_or_400_never_5xx(client, seeded, query):
    response = client.get(f"/api/quotes?{query}")
    if response.status_code == 200:
        assert "items" in response.get_json()
    else:
        assert_error(response, 400)
    assert quotes_of(client)["total"] == 6


@pytest.mark.parametrize("name", ["speaker_id", "document_id"])
def test_ids_beyond_64_bits_are_400_not_an_overflow(client, seeded, name):
    error = assert_error(client.get(f"/api/quotes?{name}=" + "4" * 34), 400)
    assert name in error["details"]["query"]


def test_json_keeps_french_letters_readable(client, seeded):
    raw = client.get("/api/quotes?speaker=peskov").get_data(as_text=True)
    assert "La sécurité de la Russie n'est pas négociable." in raw
