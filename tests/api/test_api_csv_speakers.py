"""GET /api/quotes.csv (streamed, same filters, literal rows) and the speaker endpoints."""
from quotes import csv_export, search

from .conftest import ARTICLES, assert_error


def test_csv_headers_and_literal_rows(client, seeded):
    response = client.get("/api/quotes.csv?speaker=borrell")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="quotes-borrell.csv"'
    assert response.is_streamed
    body = response.get_data(as_text=True)
    item = client.get("/api/quotes?speaker=borrell").get_json()["items"][0]
    quote_id, start, end = item["id"], item["start"], item["end"]
    assert ARTICLES[1]["text"][start:end] == item["quote"]
    assert body == (
        "quote_id,speaker,speaker_kind,speaker_role,speaker_label,quote,cue,type,document_id,title,url,source,"
        "published_at,start,end,confidence\r\n"
        f'{quote_id},Josep Borrell,person,chef de la diplomatie européenne,,"\'=SUM(A1), des sanctions, ""vite""\n'
        f'et «coordonnées»",a déclaré,direct,{seeded[1]},"UE, sanctions",https://example.org/ue,AFP,'
        f"2022-02-01T18:30:00+00:00,{start},{end},0.9\r\n"
    )


def test_csv_equals_iter_csv_for_the_same_filters(client, app, seeded):
    response = client.get("/api/quotes.csv?speaker=stoltenberg&source=ATS")
    with app.extensions["db"].session_scope() as session:
        expected = "".join(csv_export.iter_csv(session, search.QuoteFilters(speaker="stoltenberg", source="ATS")))
    assert response.get_data(as_text=True) == expected
    assert expected.count("\r\n") == 3  # header and two quotes


def test_csv_bom_option(client, seeded):
    plain = client.get("/api/quotes.csv").get_data()
    with_bom = client.get("/api/quotes.csv?bom=1").get_data()
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert with_bom == b"\xef\xbb\xbf" + plain
    assert with_bom.decode("utf-8-sig").splitlines()[0].startswith("quote_id,speaker,")


def test_csv_with_no_match_is_the_header_alone(client, seeded):
    body = client.get("/api/quotes.csv?speaker=personne").get_data(as_text=True)
    assert body == ",".join(csv_export.CSV_COLUMNS) + "\r\n"


def test_csv_refuses_bad_filters_before_streaming(client, seeded):
    assert_error(client.get("/api/quotes.csv?since=soon"), 400)
    assert_error(client.get("/api/quotes.csv?q=%25%25"), 400)
    assert_error(client.get("/api/quotes.csv?bom=maybe"), 400)


def test_speakers_the_most_quoted_first_or_by_name(client, seeded):
    body = client.get("/api/speakers").get_json()
    assert [(s["name"], s["quote_count"]) for s in body["items"]] == [
        ("Jens Stoltenberg", 3),
        ("Dmitri Peskov", 1),
        ("Josep Borrell", 1),
    ]
    assert body["total"] == 3 and body["next"] is None
    assert client.get("/api/speakers?sort=quotes").get_json() == body
    by_name = client.get("/api/speakers?sort=name").get_json()
    assert [s["name"] for s in by_name["items"]] == ["Dmitri Peskov", "Jens Stoltenberg", "Josep Borrell"]
    assert by_name["items"][0] == {"id": by_name["items"][0]["id"], "name": "Dmitri Peskov", "kind": "person",
                                   "document_id": None, "quote_count": 1,
                                   "roles": [{"role": "porte-parole du Kremlin", "quote_count": 1}]}
    assert "quotes, name" in assert_error(client.get("/api/speakers?sort=age"), 400)["message"]


def test_speakers_q_filter_and_paging(client, seeded):
    assert [s["name"] for s in client.get("/api/speakers?q=JOSEP").get_json()["items"]] == ["Josep Borrell"]
    assert [s["name"] for s in client.get("/api/speakers?q=stolt").get_json()["items"]] == ["Jens Stoltenberg"]
    first = client.get("/api/speakers?per_page=2").get_json()
    assert len(first["items"]) == 2 and first["next"]
    second = client.get(first["next"]).get_json()
    assert [s["name"] for s in second["items"]] == ["Josep Borrell"]
    assert_error(client.get("/api/speakers?per_page=0"), 400)


def test_speaker_detail_with_paged_quotes(client, seeded):
    speaker_id = client.get("/api/speakers?q=stoltenberg").get_json()["items"][0]["id"]
    body = client.get(f"/api/speakers/{speaker_id}?per_page=2").get_json()
    assert body["name"] == "Jens Stoltenberg" and body["quote_count"] == 3
    assert body["quotes"]["total"] == 3 and len(body["quotes"]["items"]) == 2
    assert f"/api/speakers/{speaker_id}?" in body["quotes"]["next"]
    rest = client.get(body["quotes"]["next"]).get_json()["quotes"]
    assert [q["quote"] for q in rest["items"]] == ["l'Alliance reste unie"]
    assert all(q["speaker"]["id"] == speaker_id for q in body["quotes"]["items"] + rest["items"])


def test_unknown_speaker_is_404(client, seeded):
    assert_error(client.get("/api/speakers/999999"), 404)
    assert_error(client.get("/api/speakers/" + "9" * 30), 404)
