"""POST/GET/DELETE /api/documents and POST /api/extract, with the real extractor; bad bodies change nothing."""
import json
import logging

import pytest
from sqlalchemy import event

from quotes import store
from quotes.models import Document
from quotes.text import content_hash
from tests.conftest import BREAKS_THE_EXTRACTOR

from .conftest import assert_error

ARTICLE = {
    "text": (
        "«Nous ne voulons pas d'une nouvelle guerre froide», a déclaré Jens Stoltenberg mercredi à Bruxelles.\n\n"
        "Josep Borrell a déclaré : «Les sanctions seront massives.»"
    ),
    "title": "OTAN",
    "url": "https://example.org/a",
    "source": "ATS",
    "published_at": "2022-01-12T11:00:00+01:00",
}
OTHER = {"text": "«Rien n'est décidé», a déclaré Emmanuel Macron."}


def post(client, body, **kwargs):
    return client.post("/api/documents", json=body, **kwargs)


def test_post_extracts_and_stores_the_quotes(client):
    response = post(client, ARTICLE)
    assert response.status_code == 201, response.get_data(as_text=True)
    document = response.get_json()
    assert document["created"] is True
    assert document["title"] == "OTAN" and document["source"] == "ATS"
    assert document["published_at"] == "2022-01-12T11:00:00+01:00"  # with the offset it was given
    by_speaker = {q["speaker"]["name"]: q for q in document["quotes"]}
    assert by_speaker["Jens Stoltenberg"]["quote"] == "Nous ne voulons pas d'une nouvelle guerre froide"
    assert by_speaker["Josep Borrell"]["quote"] == "Les sanctions seront massives."
    for quote in document["quotes"]:
        assert ARTICLE["text"][quote["start"]:quote["end"]] == quote["quote"]
    assert client.get(f"/api/documents/{document['id']}").get_json()["quotes"] == document["quotes"]
    found = client.get("/api/quotes?speaker=stoltenberg").get_json()
    assert [q["quote"] for q in found["items"]] == ["Nous ne voulons pas d'une nouvelle guerre froide"]


def test_same_text_again_is_200_with_the_same_id(client, counts):
    first = post(client, ARTICLE).get_json()
    before = counts()
    again = post(client, {"text": ARTICLE["text"], "title": "another title"})
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"] and again.get_json()["created"] is False
    assert again.get_json()["title"] == "OTAN"
    assert counts() == before


def test_post_a_list(client, counts):
    response = post(client, [ARTICLE, OTHER])
    assert response.status_code == 201
    body = response.get_json()
    assert (body["created"], body["existing"]) == (2, 0)
    assert [d["created"] for d in body["items"]] == [True, True]
    assert body["items"][1]["quotes"][0]["speaker"]["name"] == "Emmanuel Macron"
    assert counts()[0] == 2

    again = post(client, [OTHER, ARTICLE, OTHER])
    assert again.status_code == 200
    assert (again.get_json()["created"], again.get_json()["existing"]) == (0, 3)
    assert [d["id"] for d in again.get_json()["items"]] == [body["items"][1]["id"], body["items"][0]["id"], body["items"][1]["id"]]
    assert counts()[0] == 2


def test_a_list_with_one_new_document_is_201(client):
    post(client, ARTICLE)
    response = post(client, [ARTICLE, OTHER])
    assert response.status_code == 201
    assert [d["created"] for d in response.get_json()["items"]] == [False, True]


def test_a_list_with_one_bad_item_stores_nothing(client, counts):
    error = assert_error(post(client, [ARTICLE, {"text": ""}, OTHER]), 400)
    assert "1" in error["details"]["json"]
    assert counts() == (0, 0, 0)


def test_a_list_over_the_limit_stores_nothing(client, app, counts):
    limit = app.config["MAX_DOCUMENTS_PER_POST"]
    items = [{"text": f"Texte numéro {i}."} for i in range(limit + 1)]
    error = assert_error(post(client, items), 400)
    assert str(limit) in error["message"]
    assert assert_error(post(client, []), 400)
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize(
    "data, content_type",
    [
        ('{"text": "Bonjour"', "application/json"),  # malformed JSON
        ("{'text': 'Bonjour'}", "application/json"),
        (b'{"text": "caf\xe9"}', "application/json"),  # Latin-1 bytes, not UTF-8
        ('{"text": 5}', "application/json"),
        ('{"text": ["a"]}', "application/json"),
        ('{"text": null}', "application/json"),
        ("{}", "application/json"),
        ('{"title": "sans texte"}', "application/json"),
        ('{"text": ""}', "application/json"),
        ('{"text": "   \\n\\t "}', "application/json"),
        ('{"text": "ok", "published_at": "hier"}', "application/json"),
        ('{"text": "ok", "published_at": "2022-01"}', "application/json"),
        ('{"text": "\\ud800 lone surrogate"}', "application/json"),
        ('{"text": "ok", "title": "\\udfff"}', "application/json"),
        ('{"text": "ok", "title": 12}', "application/json"),
        ('{"text": "ok", "colour": "red"}', "application/json"),
        ('"just a string"', "application/json"),
        ("[1, 2]", "application/json"),
        ("null", "application/json"),
        ("", "application/json"),
    ],
)
def test_bad_bodies_are_400_and_change_nothing(client, counts, data, content_type):
    assert_error(client.post("/api/documents", data=data, content_type=content_type), 400)
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("path", ["/api/documents", "/api/extract"])
@pytest.mark.parametrize("data, content_type, sent", [
    ("text=Bonjour", "application/x-www-form-urlencoded", "application/x-www-form-urlencoded"),
    ('{"text": "Bonjour"}', "text/plain", "text/plain"),
    ('{"text": "Bonjour"}', None, "no Content-Type"),
])
def test_a_body_not_sent_as_json_is_415_saying_to_send_json(client, counts, path, data, content_type, sent):
    error = assert_error(client.post(path, data=data, content_type=content_type), 415)
    assert error["message"] == (
        f"Send the body as JSON with the header 'Content-Type: application/json' (this request sent {sent}).")
    assert counts() == (0, 0, 0)


def test_body_over_the_limit_is_413(client, app, counts):
    size = app.config["MAX_CONTENT_LENGTH"]
    body = json.dumps({"text": "a" * size})
    error = assert_error(client.post("/api/documents", data=body, content_type="application/json"), 413)
    assert error["details"] == {"limit": size}
    assert_error(client.post("/api/extract", data=body, content_type="application/json"), 413)
    assert counts() == (0, 0, 0)


def test_unknown_and_absurd_ids_are_404(client):
    for path in ("/api/documents/12345", "/api/documents/" + "9" * 40, "/api/documents/abc", "/api/documents/-1"):
        assert_error(client.get(path), 404)
        assert_error(client.delete(path), 404)


def test_delete_removes_the_quotes_and_speakers_left_without_quotes(client, counts):
    first = post(client, ARTICLE).get_json()
    post(client, {"text": "«Il faut rester unis», a déclaré Jens Stoltenberg."})
    assert client.delete(f"/api/documents/{first['id']}").status_code == 204
    assert_error(client.get(f"/api/documents/{first['id']}"), 404)
    assert_error(client.delete(f"/api/documents/{first['id']}"), 404)
    names = [s["name"] for s in client.get("/api/speakers").get_json()["items"]]
    assert names == ["Jens Stoltenberg"]  # Borrell had quotes only in the deleted article
    assert client.get("/api/quotes").get_json()["total"] == 1
    assert counts() == (1, 1, 1)


@pytest.mark.parametrize("already_stored", [False, True], ids=["new", "already stored"])
def test_a_post_answers_what_it_wrote_when_a_delete_follows_its_commit(app, client, fake_extractor, already_stored):
    # Issue 15, item 5: another request deletes the document between the POST's commit and its answer.
    if already_stored:
        assert post(client, OTHER).status_code == 201
    database = app.extensions["db"]
    deleted = []

    def delete_right_after_commit(session):
        if deleted or session.in_nested_transaction():
            return  # done already, or a savepoint released rather than the commit
        [document] = [obj for obj in session.identity_map.values() if isinstance(obj, Document)]
        # What DELETE /api/documents/<id> does, on its own connection (a nested test-client request would share this one).
        with database.session_scope(write=True) as other:
            deleted.append(store.delete_document(other, document.id))

    event.listen(database.Session, "after_commit", delete_right_after_commit)
    try:
        response = post(client, OTHER)
    finally:
        event.remove(database.Session, "after_commit", delete_right_after_commit)
    assert deleted == [True]
    assert response.status_code == (200 if already_stored else 201), response.get_data(as_text=True)
    document = response.get_json()
    assert document["created"] is not already_stored and document["text"] == OTHER["text"]
    assert [(q["quote"], q["speaker"]["name"]) for q in document["quotes"]] == [("Rien n'est décidé", "Emmanuel Macron")]
    assert_error(client.get(f"/api/documents/{document['id']}"), 404)  # the delete did happen


def test_a_document_the_extractor_fails_on_is_a_500_that_stores_nothing_logged_once(client, counts, breakable_extractor,
                                                                                     caplog):
    response = post(client, [OTHER, {"text": BREAKS_THE_EXTRACTOR}])
    error = assert_error(response, 500)
    assert "attribution bug" not in error["message"]  # no internals in the answer
    assert counts() == (0, 0, 0)  # a list is all-or-nothing
    [logged] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert content_hash(BREAKS_THE_EXTRACTOR)[:12] in logged.getMessage()


def test_extract_returns_quotes_and_stores_nothing(client, counts):
    response = client.post("/api/extract", json={"text": ARTICLE["text"]})
    assert response.status_code == 200
    quotes = response.get_json()["quotes"]
    assert {q["speaker"] for q in quotes} >= {"Jens Stoltenberg", "Josep Borrell"}
    for quote in quotes:
        assert ARTICLE["text"][quote["start"]:quote["end"]] == quote["quote"]
        assert set(quote) == {"quote", "start", "end", "speaker", "speaker_kind", "speaker_label", "mention", "role", "cue",
                              "cue_lemma", "type", "confidence", "evidence"}
        assert quote["evidence"]["explanation"].startswith(quote["evidence"]["rule"])
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("data", ['{"text": ""}', "{}", '{"text": 3}', "nope"])
def test_extract_bad_input_is_400(client, data):
    assert_error(client.post("/api/extract", data=data, content_type="application/json"), 400)


def test_a_text_holding_nul_is_refused_on_every_backend(client, counts, fake_extractor):
    # No PostgreSQL text can hold NUL: refused as input everywhere, not stored on one backend only.
    for body in ({"text": "«Nous\x00 restons unis», a déclaré Jens Stoltenberg."},
                 {"text": "«Nous restons unis», a déclaré Jens Stoltenberg.", "source": "A\x00FP"}):
        assert "NUL" in assert_error(post(client, body), 400)["message"]
    assert counts() == (0, 0, 0)
