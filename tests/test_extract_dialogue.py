"""Dialogue in fiction (issue 14): dash lines, their incises, turn-taking between characters.

Sentences written for these tests, not taken from the gold set. The first
tables need no spaCy (how lines and their incises are cut); the last ones run
the extractor.
"""
import pytest

from quotes.extract import extract
from quotes.extract.dialogue import dash_lines
from quotes.extract.normalize import normalize

from tests.conftest import check_speaker
from tests.test_extract_constructions import quote_with


def lines_of(text):
    norm = normalize(text)
    return [(norm[line.start:line.end], line.incise is not None) for line in dash_lines(norm)]


@pytest.mark.parametrize("text, expected", [
    # the incise inside the line stays in the quote (the speech goes on after it)
    ("Il entra.\n\n— Tiens, dit-il, nous avons eu la même idée.",
     [("Tiens, dit-il, nous avons eu la même idée.", True)]),
    ("— Bonjour, reprit le facteur, je vous apporte une lettre.",
     [("Bonjour, reprit le facteur, je vous apporte une lettre.", True)]),
    # an incise closing the line: the quote stops before it
    ("— Quelle chaleur ! s'écria Hélène.", [("Quelle chaleur !", True)]),
    ("— Vous venez ? demanda la vieille femme en posant son panier.", [("Vous venez ?", True)]),
    # narration after the incise is not speech
    ("— Il pleuvra ce soir, dit Marcel, qui regardait le ciel.", [("Il pleuvra ce soir", True)]),
    ("— Assez, fit le vieux, mécontent.", [("Assez", True)]),
    ("— Rentrons, reprit Paul d'une voix lasse, pareille à un soupir.", [("Rentrons", True)]),
    ("— Assez ! cria le meunier en frappant la table.", [("Assez !", True)]),
    # a new sentence after the incise: the character goes on
    ("— Non, répondit Odile. Je rentrerai seule.", [("Non, répondit Odile. Je rentrerai seule.", True)]),
    # en dash and a hyphen followed by a space open a turn too
    ("– Deux, comme hier.\n- Et demain ?", [("Deux, comme hier.", False), ("Et demain ?", False)]),
    # a line without any incise
    ("— Je n'en sais rien.", [("Je n'en sais rien.", False)]),
    # in a text with dialogue, a lone dash line between paragraphs of narration is a turn, whatever its words
    ("— Vous partez ? demanda Odile.\nMarcel se leva.\n— Bonne nuit.\nIl sortit.",
     [("Vous partez ?", True), ("Bonne nuit.", False)]),
    # in a text with dialogue, a line a colon announces is a turn, whatever its words
    ("— Vous partez ? demanda Odile.\nMarcel se leva et dit :\n— Bonne nuit.\nIl sortit.",
     [("Vous partez ?", True), ("Bonne nuit.", False)]),
    # a turn opened by guillemets is left to the guillemet scanner
    ("— « Entrez donc », dit le curé.", []),
])
def test_dash_lines(text, expected):
    assert lines_of(text) == expected


@pytest.mark.parametrize("text", [
    # news lists: lower case items, or items with no mark of speech
    "Le plan prévoit :\n- la hausse des salaires ;\n- la baisse des loyers ;\n- un fonds pour l'emploi.",
    "Les mesures annoncées :\n— Baisse de la TVA sur l'énergie.\n— Hausse du budget des hôpitaux.\n"
    "— Création de 5 000 postes d'enseignants.",
    "Au programme :\n\n– Concert place du marché à 20 heures.\n\n– Feu d'artifice sur le port.",
    # a colon announces the list: no other dash line is dialogue
    "Le ministre a déclaré :\n— Baisse de la TVA sur l'énergie.\n— Hausse du budget des hôpitaux.",
    # a hyphen inside a line, or glued to a number, is no dash
    "Le thermomètre affiche -20 degrés.\n-15 % sur les ventes.",
])
def test_a_dash_list_is_not_dialogue(text):
    assert lines_of(text) == []
    assert [q for q in extract(text) if q.type != "indirect"] == []


@pytest.mark.parametrize("text, part, speaker", [
    # the first name stands for the character named in full before
    ("Marcel Aubry ouvrit la porte.\n\n— Tiens, dit Marcel, te voilà enfin rentrée.", "voilà", "Marcel Aubry"),
    # a colon closing the narration announces who speaks
    ("Ils marchaient depuis une heure. Hélène Vidal et Marcel se taisaient.\n\n"
     "Enfin Hélène murmura :\n\n— Je suis lasse.", "lasse", "Hélène Vidal"),
    ("Bouvard lui dit :\n\n— Entrez donc, Bouvard vous attend.", "Entrez", "Bouvard"),
    ("— Vous partez ? demanda Odile.\n\nMarcel se leva et dit :\n\n— Bonne nuit.", "Bonne nuit", "Marcel"),
    # a character the novel only describes keeps the description
    ("La porte s'ouvrit.\n\n— Entrez, dit la vieille servante, on vous attend.", "Entrez", "vieille servante"),
    ("— Qui va là ? demanda le postillon en se retournant.", "Qui va", "postillon"),
    # a speaker the novel brings in with an indefinite article and never names
    ("Paul et Roger dormaient.\n\nSoudain une voix forte cria :\n\n— Debout, là-dedans !", "Debout", "voix forte"),
    ("— Qui est là ? dit une voix.", "Qui est", "voix"),
    # a word of kin is no post held by the last subject: "la mère aveugle" is not Pauline
    ("Pauline entra.\n\n— Bonjour, maman, dit Pauline.\n\n— Eh bien ! dit la mère aveugle en s'asseyant.",
     "Eh bien", "mère"),
    # "Oncle" is how the child calls him, not a name
    ("— Viens ici, dit Oncle.", "Viens", None),
    # an adverb after the name is not part of it
    ("— C'est mon cousin, répliqua Bouvard négligemment.", "cousin", "Bouvard"),
    ("— Quelle chaleur ! s'écria Hélène.", "chaleur", "Hélène"),
    ("— Il pleuvra ce soir, dit Marcel, qui regardait le ciel.", "pleuvra", "Marcel"),
    ("— Asseyez-vous, répondit Odile. Je reviens.", "Asseyez", "Odile"),
    # a title of the family or the country before the name
    ("Douce regardait l'étang.\n\n— Nous irons le voir ! dit mère Clarisse qui riait.", "irons", "Clarisse"),
    ("— Tiens, répondit oncle Jules en riant.", "Tiens", "Jules"),
    # the last subject; another man named a paragraph before does not make "il" ambiguous
    ("Jules Ferrand était passé le matin, puis il était reparti vers le port sans rien dire à personne de ce qu'il "
     "avait vu là-bas.\n\nLe soir, Marcel entra dans la cuisine et posa son chapeau sur la table, près du pain.\n\n"
     "— Il fait froid, dit-il.", "froid", "Marcel"),
    # a pronoun with no subject before it: the one character of its gender the narration named
    ("Le vieux regarda Louisa. Il aimait Louisa comme sa fille.\n\n— Ah ! quelle nuit ! dit-elle.", "quelle nuit",
     "Louisa"),
    # an adverb between the verb and the name
    ("— Je crois qu'il dort, dit doucement Odile. Ne faisons pas de bruit.", "dort", "Odile"),
    ("— Demain, répondit tranquillement la boulangère.", "Demain", "boulangère"),
    ("Odile se taisait.\n\n— Tu ne me reconnais pas ? dit enfin Laurence.", "reconnais", "Laurence"),
    # a dash line after «» dialogue continues it: its own incise names its speaker
    ("« Vous partez déjà ? » demanda Odile.\n\n— Il le faut bien, répondit Marcel.", "faut", "Marcel"),
])
def test_dialogue_incise(text, part, speaker):
    record = quote_with(extract(text), part)
    assert record.type == "direct" and record.form == "dialogue"
    check_speaker(record, speaker)


@pytest.mark.parametrize("text, part, speaker", [
    # the incise inside the guillemets, after a comma that is no incise ("ni un requin,")
    ("Marcel et Odile regardaient la mer.\n\n— « Ce n'est ni un phoque, ni un dauphin, dit Odile, "
     "c'est une épave. »", "phoque", "Odile"),
    ("Marcel et Odile entrèrent. Odile se retourna. « Ah ! c'est vous, Marcel, dit-elle d'une voix lasse ; "
     "je ne vous attendais plus. »\n\n— Me voici, dit Marcel.", "c'est vous", "Odile"),
    # the name without the adverb after it
    ("Odile se taisait.\n\n— « Rien ne presse, répondit Marcel gravement, la marée monte à peine. »",
     "presse", "Marcel"),
    ("Odile se taisait.\n\n— « Rien ne presse, répondit M. Vidal gravement, la marée monte à peine. »",
     "presse", "Vidal"),
])
def test_incise_inside_a_guillemet_turn(text, part, speaker):
    check_speaker(quote_with(extract(text), part), speaker)


@pytest.mark.parametrize("part", ["Et alors", "Assez"])
def test_a_name_with_its_particle_after_an_honorific(part):
    # "madame de Varennes" names a person (not a role "de Varennes"), whom the pronoun then takes up
    text = "— Et alors ? me dit madame de Varennes.\n\n— Rien.\n\n— Assez ! dit-elle en se levant."
    assert quote_with(extract(text), part).speaker == "de Varennes"


@pytest.mark.parametrize("text, part, speaker", [
    # a character who gives their name is the speaker of the turn
    ("Un inconnu frappa à la porte.\n\n— Qui êtes-vous ? demanda Odile.\n\n— Je me nomme Anselme, je viens de loin.",
     "viens de loin", "Anselme"),
    ("— Entrez, dit Marcel.\n\n— Je suis le docteur Vidal, et voici mon malade.", "voici mon malade", "Vidal"),
    # over a pronoun's guess: "il" was the last man named, the turn says who speaks
    ("Marcel ouvrit la porte. Il sourit.\n\n— Je suis M. Vidal, dit-il, votre voisin.", "votre voisin", "Vidal"),
    # "je suis" before no title names nobody; a name in the cue is read first
    ("— Entrez, dit Marcel.\n\n— Je suis Français, et fier de l'être.", "fier", None),
    ("— Je m'appelle Anselme, répondit Marcel en riant.", "Anselme", "Marcel"),
])
def test_a_turn_that_names_its_speaker(text, part, speaker):
    check_speaker(quote_with(extract(text), part), speaker)


def test_a_turn_does_not_continue_the_one_before():
    text = ("— Vous partez ? demanda Odile.\n\n— Oui, demain matin.")
    record = quote_with(extract(text), "demain")
    assert record.speaker is None  # not Odile: the turn after hers is the other character's


TAKING_TURNS = ("Odile et Marcel marchaient vers le port.\n\n"
                "— Vous partez ? demanda Odile.\n\n"
                "— Oui, répondit Marcel.\n\n"
                "— Et vous reviendrez ?\n\n"
                "— Au printemps, sans doute.\n\n"
                "Un homme s'approcha d'eux. C'était Jules Ferrand, le douanier.\n\n"
                "— Vos papiers, s'il vous plaît.")


@pytest.mark.parametrize("part, speaker", [
    ("reviendrez", "Odile"),  # the other speaker of the turn before
    ("printemps", "Marcel"),  # and back again
    ("papiers", None),  # narration brought someone else in: the exchange stops
])
def test_turn_taking(part, speaker):
    record = quote_with(extract(TAKING_TURNS), part)
    check_speaker(record, speaker)
    if speaker:
        assert record.evidence.rule == "turn-taking" and record.confidence < 0.8


ACROSS_NARRATION = ("Odile et Marcel se tenaient près du feu.\n\n"
                    "— Qui a cassé la lampe ? demanda Marcel.\n\n"
                    "Odile baissa la tête.\n\n"
                    "— Ce n'est pas moi, je vous assure.\n\n"
                    "Il haussa les épaules.\n\n"
                    "— Tu mens, dit Marcel.\n\n"
                    "— Non, je vous le jure, répondit Odile.\n\n"
                    "Marcel soupira.\n\n"
                    "— Allons, n'en parlons plus.\n\n"
                    "Jules Ferrand entra dans la cuisine.\n\n"
                    "— Bonsoir à tous.")


@pytest.mark.parametrize("part, speaker", [
    ("pas moi", "Odile"),  # narration that names only the two characters: they go on taking turns
    ("parlons plus", "Marcel"),
    ("Bonsoir", None),  # narration that brings someone else in ends the exchange
])
def test_turn_taking_across_narration(part, speaker):
    record = quote_with(extract(ACROSS_NARRATION), part)
    check_speaker(record, speaker)
    if speaker:
        assert record.evidence.rule == "turn-taking" and record.confidence < 0.6


def test_a_long_dialogue_gives_one_record_per_turn():
    turns = [f"— Tu viens, {name} ? dit Odile, je t'attends." for name in ("Paul", "Jean", "Marc") * 100]
    records = [q for q in extract("\n\n".join(turns)) if q.type != "indirect"]
    assert len(records) == len(turns)
    assert all(q.form == "dialogue" and q.speaker == "Odile" for q in records)


@pytest.mark.parametrize("text", [
    "—\n–\n- \n— «\n— »", "— " + "Ah, dit-il, " * 2000, "-" * 10000 + "\n— Oui ?", "\n— \u00a0\n— —— –",
])
def test_hostile_dashes_do_not_crash(text):
    extract(text)


@pytest.mark.parametrize("text, part", [
    # two men just named: "dit-il" could be either of them
    ("Marcel Aubry regardait Jules Ferrand. Jules Ferrand se taisait.\n\n— Partons, dit-il, il est tard.", "Partons"),
    # two women named before "dit-elle", neither as a subject
    ("Le vieux regarda Louisa et Clémence. Il aimait Louisa comme sa fille et Clémence comme une amie.\n\n"
     "— Ah ! quelle nuit ! dit-elle.", "quelle nuit"),
    # the last subject is a character whose gender the text never told: "elle" may be someone else
    ("Vitagliani entra dans la loge. Vitagliani salua tout le monde.\n\n— Un serpent ! dit-elle.", "serpent"),
    # "la voix" is the voice of a character met before: no label
    ("Marcel et Odile se turent.\n\n— Partons, dit la voix tremblante.", "Partons"),
    # a word a narrator gives someone before naming them is no label
    ("— Qui êtes-vous ? demanda l'inconnue.", "Qui"),
])
def test_a_novel_names_nobody_when_unsure(text, part):
    record = quote_with(extract(text), part)
    check_speaker(record, None)


def test_dialogue_offsets_slice_a_text_rebuilt_by_normalisation():
    import unicodedata
    text = unicodedata.normalize("NFD", "Hélène entra.\n\n— Ma\u00adrcel est là ? demanda Hélène.\n\n— Non, répondit Odile.")
    records = [q for q in extract(text) if q.type != "indirect"]
    assert [text[q.start:q.end] == q.quote for q in records] == [True, True]
    assert [q.speaker for q in records] == ["Hélène", "Odile"]
