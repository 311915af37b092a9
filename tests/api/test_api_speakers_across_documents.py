"""Speakers across the archive, through the real extractor: people and organisations, labels, roles counted, evidence."""
import pytest

ARTICLES = [
    "«La situation reste grave», a estimé le ministre de la Santé, Olivier Véran. "
    "«Nous restons mobilisés», a déclaré Jordan Bardella, président du RN. "
    "«Le calme est revenu», a indiqué un porte-parole de la préfecture.",
    "«Les hôpitaux tiendront», a assuré Olivier Véran, ministre de la Santé. "
    "«C'est trop tard», a répondu Marine Le Pen, présidente du groupe RN. "
    "«Nous verrons», a ajouté Olivier Véran, député de l'Isère.",
    "Frédéric, un habitant, a raconté : «Tout a brûlé.» La SNCF a assuré : «Les trains circuleront demain.»",
    "Frédéric, un commerçant, a confié : «Je n'ai rien vu.» La SNCF a précisé : «Une enquête est ouverte.»",
]


@pytest.fixture
def archive(client):
    """The four articles posted through the API (the spaCy extractor runs); their document ids."""
    ids = []
    for text in ARTICLES:
        response = client.post("/api/documents", json={"text": text, "source": "AFP"})
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(response.get_json()["id"])
    return ids


def speakers(client, query=""):
    return client.get(f"/api/speakers{query}").get_json()["items"]


def test_roles_come_from_the_speakers_own_quotes_the_most_frequent_first(client, archive):
    by_name = {s["name"]: s for s in speakers(client)}
    assert by_name["Olivier Véran"]["roles"] == [
        {"role": "ministre de la Santé", "quote_count": 2}, {"role": "député de l'Isère", "quote_count": 1}]
    assert by_name["Olivier Véran"]["quote_count"] == 3
    # Each person's roles are theirs alone, never a neighbour's.
    assert by_name["Jordan Bardella"]["roles"] == [{"role": "président du RN", "quote_count": 1}]
    assert by_name["Marine Le Pen"]["roles"] == [{"role": "présidente du groupe RN", "quote_count": 1}]


def test_a_description_that_names_nobody_is_a_label_on_the_quote_not_a_speaker(client, archive):
    [quote] = client.get("/api/quotes?q=calme").get_json()["items"]
    assert (quote["speaker"], quote["speaker_label"]) == (None, "porte-parole de la préfecture")
    assert all("porte-parole" not in s["name"] for s in speakers(client))
    csv = client.get("/api/quotes.csv?q=calme").get_data(as_text=True)
    assert ",,,,porte-parole de la préfecture,Le calme est revenu," in csv


def test_a_first_name_alone_stays_in_its_document_an_organisation_is_one(client, archive):
    frederic = speakers(client, "?q=frederic&sort=name")
    assert [(s["name"], s["kind"], s["document_id"], s["quote_count"]) for s in frederic] == [
        ("Frédéric", "person", archive[2], 1), ("Frédéric", "person", archive[3], 1)]
    [sncf] = speakers(client, "?q=sncf")
    assert (sncf["kind"], sncf["document_id"], sncf["quote_count"]) == ("organisation", None, 2)
    [veran] = speakers(client, "?q=veran")
    assert veran["document_id"] is None  # a full name: one speaker across documents


@pytest.mark.parametrize("kind, expected", [
    ("organisation", {"SNCF"}),
    ("person", {"Olivier Véran", "Jordan Bardella", "Marine Le Pen", "Frédéric"}),
])
def test_speakers_of_one_kind(client, archive, kind, expected):
    found = speakers(client, f"?kind={kind}")
    assert {s["name"] for s in found} == expected and {s["kind"] for s in found} == {kind}


def test_every_stored_quote_keeps_the_extractors_evidence(client, archive):
    [quote] = client.get("/api/quotes?speaker=bardella").get_json()["items"]
    evidence = quote["evidence"]
    assert (evidence["rule"], evidence["cue"], evidence["mention"]) == ("incise", "a déclaré", "Jordan Bardella")
    assert evidence["explanation"].startswith("incise «a déclaré», mention «Jordan Bardella» at ")
    assert quote["speaker"] == {"id": quote["speaker"]["id"], "name": "Jordan Bardella", "kind": "person",
                                "role": "président du RN"}
    document = client.get(f"/api/documents/{archive[0]}").get_json()
    assert all(q["evidence"] and q["evidence"]["explanation"] for q in document["quotes"])
