"""The entity model, mention descriptions and resolution, without spaCy (issue 11).

Texts are written for these tests. Each resolution test states the speaker a
mention must resolve to, or None when the text does not let a careful reader
say who it is.
"""
import pytest

from quotes.extract.entities import EntityModel, similar_first_names
from quotes.extract.mentions import describe
from quotes.extract.roles import agreement


@pytest.mark.parametrize("mention, name, role, pronoun, gender", [
    ("le ministre de la Santé Olivier Véran", "Olivier Véran", "ministre de la Santé", None, "m"),
    ("la porte-parole du gouvernement, Maud Perrin", "Maud Perrin", "porte-parole du gouvernement", None, "f"),
    ("le porte-parole du Kremlin Dmitri Peskov", "Dmitri Peskov", "porte-parole du Kremlin", None, "m"),
    ("l'avocat de Nicolas R.", None, "avocat de Nicolas R.", None, "m"),  # the client is not the speaker
    ("la fille de Paul Durand", None, "fille de Paul Durand", None, "f"),
    ("le leader de La France insoumise", None, "leader de La France insoumise", None, "m"),
    ("Mercredi", None, "Mercredi", None, None),  # a day is never a speaker's name
    ("France 2", "France 2", None, None, None),
    ("Le Parisien", "Le Parisien", None, None, None),  # a title keeps its article
    ("elle", None, None, "elle", "f"),
    ("ce dernier", None, None, "ce dernier", "m"),
    ("M. Jacques Morel", "Jacques Morel", None, None, "m"),
    ("Abdou Karim Sawadogo", "Abdou Karim Sawadogo", None, None, "m"),
    ("San Luis Potosi", "San Luis Potosi", None, None, None),
    # a name with particles and no known first name; a name, then what the person belongs to
    ("Aymeric de La Roche Blanche", "Aymeric de La Roche Blanche", None, None, "m"),
    ("Yanis Ferrer de Force Ouvrière", "Yanis Ferrer", None, None, None),
    ("Agnès Petitjean, de la CFDT", "Agnès Petitjean", None, None, "f"),
    # a body whose name is capitalised on its first word only
    ("la Cour des comptes", "Cour des comptes", None, None, "f"),
    ("le Conseil constitutionnel", "Conseil constitutionnel", None, None, "m"),
    # but a role with a body inside it stays a role
    ("le président du Conseil constitutionnel", None, "président du Conseil constitutionnel", None, "m"),
])
def test_describe(mention, name, role, pronoun, gender):
    desc = describe(mention)
    assert (desc.name, desc.role, desc.pronoun, desc.gender) == (name, role, pronoun, gender)


@pytest.mark.parametrize("wanted, known, sign", [
    ("chef de l'OTAN", "secrétaire général de l'OTAN", 1),
    ("avocate", "avocate de la famille", 1),
    ("chef de l'État", "président", 1),
    ("ministre de la Culture", "ministre de la Santé", -1),
    ("procureur", "avocat", -1),
    ("porte-parole du gouvernement polonais", "premier ministre polonais", -1),
    ("porte-parole du Kremlin", "chef de l'OTAN", -1),
    ("humoriste", "ministre", -1),
    # the same post in two bodies is two people
    ("porte-parole du gouvernement tchèque", "porte-parole du ministère tchèque de l'Intérieur", -1),
    ("secrétaire général du parti", "chef du parti", 1),
])
def test_role_agreement(wanted, known, sign):
    score = agreement(wanted, known)
    assert score > 0 if sign > 0 else score < 0


@pytest.mark.parametrize("a, b, same", [
    ("Olivier", "Oliver", True), ("Jean", "J.", True), ("Marine", "Marie", False), ("Paul", "Pierre", False),
    ("Stéphane", "Stephane", True),
])
def test_similar_first_names(a, b, same):
    assert similar_first_names(a, b) is same


def model(text: str) -> EntityModel:
    return EntityModel(text).build()


def names(m: EntityModel, kind: str = "person") -> set[str]:
    return {e.name for e in m.entities if e.kind == kind}


def test_people_are_found_by_first_name_honorific_and_role():
    m = model("Le ministre de la Santé Aurélien Morin était à Lyon avec Mme Brassac. "
              "La présidente de l'association, Hortense Valmy, a parlé.")
    assert {"Aurélien Morin", "Hortense Valmy", "Brassac"} <= names(m)
    valmy = next(e for e in m.entities if e.name == "Hortense Valmy")
    assert [r for _, r in valmy.roles] == ["présidente de l'association"]
    assert valmy.gender == "f"


def test_a_role_opening_a_sentence_with_an_elided_article_is_the_name_s_role():
    m = model("L'humoriste Jean-Marc Ferrier a fait parler de lui.")
    assert [(e.name, [r for _, r in e.roles]) for e in m.entities] == [("Jean-Marc Ferrier", ["humoriste"])]


def test_an_acronym_the_text_spells_out_elsewhere_is_that_body():
    text = "Les pays membres de l'Union européenne ont tranché. Pierre Sanchez a voté. "
    m = model(text + "L'UE estime que rien ne presse. Le PS aussi.")
    at = len(text) + 2
    assert m.resolve(describe("L'UE"), at, (at, at + 2)).entity.name == "Union européenne"
    # only a body's name: "Pierre Sanchez" is nobody's spelling of "PS"
    assert m.resolve(describe("Le PS"), at + 40, (at + 40, at + 45)).entity.name == "PS"


def test_a_defined_acronym_names_the_body_without_the_words_before_it():
    m = model("Selon les membres de l'association France Palestine Solidarité (AFPS), rien ne change.")
    assert m.by_form("AFPS").name == "France Palestine Solidarité"


def test_one_canonical_name_per_person_not_a_typo_seen_once():
    m = model("Olivier Véran a parlé. Olivier Véran est ministre. Oliver Véran a répété. Véran est parti.")
    people = [e for e in m.entities if e.kind == "person"]
    assert len(people) == 1 and people[0].name == "Olivier Véran"
    assert sum(1 for mention in people[0].mentions if mention.how == "surname") == 1


def test_organisations_acronyms_and_org_nouns():
    m = model("La Fédération nationale des éleveurs de chèvres (FNEC) a réagi. L'ONG Terre Vive a répondu.")
    assert names(m, "organisation") >= {"Fédération nationale des éleveurs de chèvres", "Terre Vive"}
    assert m.by_form("FNEC").name == "Fédération nationale des éleveurs de chèvres"


def test_a_role_reaches_back_to_its_determiner_but_not_past_a_verb():
    m = model("Le porte-parole du gouvernement Léon Mercier a parlé. "
              "Le président a accusé le premier ministre Anton Kovac.")
    roles = {e.name: [r for _, r in e.roles] for e in m.entities}
    assert roles["Léon Mercier"] == ["porte-parole du gouvernement"]
    assert roles["Anton Kovac"] == ["premier ministre"]


@pytest.mark.parametrize("text, subject", [
    ("Juan Ramos a donné sa version de l'affaire Benoît Garrel.", {"Juan Ramos"}),
    ("Dans un entretien, Juan Ramos confirme tout.", {"Juan Ramos"}),
    ("Lucie Fort et Paul Henry ont débattu.", {"Lucie Fort", "Paul Henry"}),
    ("Il a aidé Piotr Markov à partir.", set()),
    ("L'union entre Gabriel Arto et Sylvain Dumas, membres du parti, a surpris.", set()),
    ("Ce que Piotr Markov comptait faire reste flou.", set()),
    ("Le ministre de la Santé Louis Ferrand a répondu.", {"Louis Ferrand"}),
])
def test_subjects_are_told_from_other_mentions(text, subject):
    m = model(text)
    assert {e.name for e in m.entities if any(x.subject for x in e.mentions)} == subject


@pytest.mark.parametrize("text, mention, speaker", [
    # a pronoun takes up the last subject or speaker that agrees
    ("Juan Ramos a donné sa version de l'affaire Benoît Garrel. Puis ", "il", "Juan Ramos"),
    ("Marie Dubois et Paul Henry ont débattu. Paul Henry est sorti. Ensuite ", "elle", "Marie Dubois"),
    ("Le texte a été voté hier. ", "il", None),  # nobody to take up
    # a role the text gave someone, as a clause's subject, is what the next pronoun takes up
    ("Jean Viard, ministre de la Défense, a reçu Paul Henry. Paul Henry est reparti. Plus tard, le ministre de la "
     "Défense s'est montré ferme. Puis ", "il", "Jean Viard"),
    # a role the text gives a surname alone ("le président Dufour") is the person's: a different post is someone else
    ("Emmanuel Dufour a parlé. Plus tard, le président Dufour a répondu. ", "le porte-parole du gouvernement", None),
    # a surname, an honorific or a role the text gave someone
    ("Jens Stoltenberg était à Bruxelles. ", "M. Stoltenberg", "Jens Stoltenberg"),
    ("Le secrétaire général de l'OTAN, Jens Stoltenberg, était là. ", "le chef de l'OTAN", "Jens Stoltenberg"),
    ("Me Laurence Jégou a plaidé. ", "l'avocate", "Laurence Jégou"),
    # an indefinite description introduces someone new: never a named person
    ("Le ministre Paul Roux était là. ", "un ministre", None),
    # a role naming an organisation only resolves to someone the text puts near it
    ("Elon Musk a critiqué Apple. ", "le patron de Spotify", None),
    # the writer, the reader, anyone
    ("Jean Dupont a parlé. ", "on", None),
])
def test_resolve(text, mention, speaker):
    m = model(text + mention + " a dit.")
    position = len(text)
    found = m.resolve(describe(mention), position, (position, position + len(mention)))
    assert (found.entity.name if found.entity else None) == speaker, found.steps
    assert found.steps  # always a reason


@pytest.mark.parametrize("text, people", [
    # a known first name alone, once the subject of a clause, is a person
    ("Chauffeur, Gérald a vu ses congés annulés. Il compte repartir.", {"Gérald"}),
    ("Dans la file, Solène attend depuis midi.", {"Solène"}),
    # not a pronoun or word written in lower case elsewhere, nor a surname or first name of someone named in full
    ("Elle a parlé. Elle attend encore, dit-elle.", set()),
    ("Philippe Martin a voté. Martin est reparti.", {"Philippe Martin"}),
    ("Marine Delorme a parlé. Marine répond ensuite.", {"Marine Delorme"}),
    # nor a first name only seen after a preposition
    ("Il a déjeuné avec Gérald à Lyon.", set()),
])
def test_a_first_name_alone_is_a_person_when_it_is_a_subject(text, people):
    assert names(model(text)) == people


def test_a_lone_first_name_is_what_a_pronoun_takes_up():
    text = "Routière, Gisèle a vu son séjour annulé. "
    m = model(text + "elle a dit.")
    found = m.resolve(describe("elle"), len(text), (len(text), len(text) + 4))
    assert found.entity is not None and found.entity.name == "Gisèle"


def test_a_role_far_from_the_top_of_the_text_announces_nobody():
    text = ("Les vacanciers se plaignent depuis des semaines des annulations. " * 8
            + "Le propriétaire a tout justifié. Gaston Lebel appelle au calme.")
    m = model(text)
    at = text.index("Le propriétaire")
    assert m.resolve(describe("Le propriétaire"), at, (at, at + 15)).entity is None


def test_a_role_set_beside_a_name_after_a_preposition_is_that_person_s():
    m = model("Les mères sont inquiètes. Selon leur porte-parole, Awa Traoré, la peur règne. "
              "Il a indiqué à l'Agence France-Presse François Pérain.")
    roles = {e.name: [r for _, r in e.roles] for e in m.entities if e.kind == "person"}
    assert roles["Awa Traoré"] == ["porte-parole"]
    assert roles["François Pérain"] == []  # a medium then a name: no role


def test_a_role_opening_a_text_skips_someone_the_text_gives_another_post():
    text = ("Sur l'esplanade, le chef de l'État a salué «le courage» du gendarme Arnaud Belin, mort vendredi. "
            "Emmanuel Dupuy appelle chacun à la vigilance.")
    found = model(text).resolve(describe("le chef de l'État"), 15, (15, 32))
    assert found.entity.name == "Emmanuel Dupuy" and found.weak


def test_a_role_opening_a_text_skips_someone_named_as_a_complement():
    text = ("Après la réunion, le secrétaire général de l'Alliance a affirmé que des désaccords demeurent. "
            "«La discussion fut rude», a expliqué Jens Halvorsen après une réunion avec Piotr Grabski.")
    found = model(text).resolve(describe("le secrétaire général de l'Alliance"), 19, (19, 54))
    assert found.entity.name == "Jens Halvorsen"


def test_a_definite_role_opening_a_text_announces_the_person_named_next():
    text = "Le chef de l'État a salué le courage des gendarmes. Emmanuel Dupuy appelle chacun à la vigilance."
    m = model(text)
    found = m.resolve(describe("Le chef de l'État"), 0, (0, 17))
    assert found.entity.name == "Emmanuel Dupuy" and found.weak


def test_a_description_the_text_ties_to_a_name_later_becomes_that_person():
    m = model("Au Sénat, le ministre de la Défense a pris la parole. Plus tard, Jean Viard, ministre de la Défense, "
              "a confirmé.")
    described = m.add_description("ministre de la Défense", 10, 30, "m", True)
    assert m.named_later(described).entity.name == "Jean Viard"
