"""Constructions of issue 11, one case a line, in sentences written for these tests.

Each case names the quote (a distinctive part of it), the speaker expected (a
name; a lower-case description when the text names nobody; None when a careful
reader cannot tell) and, where it matters, the rule that must have found it. A
failure prints the record's evidence.
"""
import pytest

from quotes.extract import extract
from tests.conftest import check_speaker


def record_with(records, part):
    matches = [r for r in records if part in r.quote and r.type != "indirect"]
    assert matches, f"no quote holding {part!r} in {[r.quote for r in records]}"
    return matches[0]


@pytest.mark.parametrize("text, part, speaker, rule", [
    # words quoted in a clause with no reporting verb are its subject's
    ("Le maire Octave Rimbert a demandé la fermeture du pont en raison de sa «fragilité».", "fragilité",
     "Octave Rimbert", "clause-subject"),
    ("Julie Carmes a longuement plaidé. Elle a aussi pointé des «lenteurs inacceptables» au tribunal.",
     "lenteurs", "Julie Carmes", None),
    # a passive clause gives its agent
    ("Le coût des travaux a été chiffré par la maire Irène Vasseur à «près de deux millions».", "deux millions",
     "Irène Vasseur", "clause-subject"),
    # a quote cut by an incise inside its marks is two records with the incise's speaker
    ("«Rien n'est joué, a reconnu Thibault Renard. Mais nous y croyons encore.»", "Rien n'est joué",
     "Thibault Renard", "incise"),
    ("«Rien n'est joué, a reconnu Thibault Renard. Mais nous y croyons encore.»", "Mais nous y croyons",
     "Thibault Renard", "inner-incise"),
    # the speaker after a colon that follows the quote
    ("«Nous rouvrirons les écoles le 4 mai» : Hugo Castel annonce le calendrier du ministère.", "rouvrirons",
     "Hugo Castel", "incise"),
    # a final incise past its speaker's apposition, or past a participle clause
    ("«Le marché va se retourner» pour les vendeurs, observe Basile Morin, économiste à Lille.", "retourner",
     "Basile Morin", "final-incise"),
    # "selon X" closing the sentence
    ("«C'est une mascarade» de bout en bout, selon Lina Ferraz, élue d'opposition.", "mascarade",
     "Lina Ferraz", "according-to"),
    # a quote with no cue continues the speaker before it, after a short lead or alone in the next paragraph
    ("«Les comptes sont à l'équilibre», a assuré Noé Lambert. Par exemple, «la dette a baissé de moitié».",
     "dette a baissé", "Noé Lambert", "continuation"),
    ("Edgar Pons a parlé longtemps des «difficultés de recrutement» de l'hôpital.\n«Nous manquons de bras.»",
     "manquons", "Edgar Pons", "continuation"),
    # "qui" stands for the phrase before it
    ("En Syrie, rien n'avance, pense Théo Marchal qui affirme «qu'il faut une solution politique».",
     "solution politique", "Théo Marchal", None),
    # "en + participle" speaks for the main clause
    ("Deux élus ont renoncé, a annoncé Gaspard Lenoir en évoquant des «menaces» répétées.", "menaces",
     "Gaspard Lenoir", "participle"),
    # a medium is where someone spoke, not who
    ("«La garde à vue est levée», a indiqué à l'Agence France-Presse Romain Duclos, procureur à Rennes.",
     "garde à vue", "Romain Duclos", "incise"),
    ("«Je ne démissionnerai pas», a déclaré au Parisien Lucienne Arnal.", "démissionnerai", "Lucienne Arnal",
     "incise"),
    # a manner verb in an incise
    ("«On retentera notre chance demain», sourit Mme Kervella.", "retentera", "Kervella", "incise"),
    # a description named elsewhere in the text is that person
    ("Le ministre de la Mer a répondu : «Le port restera ouvert.» Plus tard, Alban Roy, ministre de la Mer, "
     "a visité les quais.", "port restera", "Alban Roy", None),
    # an indefinite description set beside a name is that person
    ("«Les trains sont bondés», a raconté Yanis, un étudiant, qui «attend depuis une heure».", "attend depuis",
     "Yanis", None),
])
def test_constructions(text, part, speaker, rule):
    record = record_with(extract(text), part)
    check_speaker(record, speaker)
    if rule:
        assert record.evidence.rule == rule, record.evidence.explain()


@pytest.mark.parametrize("text, part, speaker", [
    # a role that names an organisation goes only to someone the text puts near it
    ("Elon Musk a critiqué la plateforme. Le patron de Spotify a répondu : «Nous ne céderons rien.»", "céderons",
     "patron de Spotify"),
    # "pour X" is an opinion only when X can hold one
    ("Pour l'Allemagne, «la question reste ouverte», ont dit les diplomates.", "question reste", "diplomates"),
    # an impersonal "il" is nobody
    ("«Tout sera reconstruit», est-il écrit dans le rapport.", "reconstruit", None),
    # a subordinate clause's subject is not what the next pronoun takes up
    ("Marc Olivier confirme ce que Piotr Nowak comptait faire. «J'étais au courant», affirme-t-il.",
     "au courant", "Marc Olivier"),
    # an indefinite description introduces someone new, never a named person of the text
    ("Le ministre Paul Roux était là. «Rien ne bouge», confie un ministre.", "bouge", "ministre"),
    # two known, different first names are two people
    ("Marine Durand a parlé. Marie Durand a répondu. «Je reste», a-t-elle ajouté.", "reste", "Marie Durand"),
])
def test_precision_cases(text, part, speaker):
    check_speaker(record_with(extract(text), part), speaker)


@pytest.mark.parametrize("text", [
    # a term the text keeps using in guillemets is not anyone's words
    "Les «gilets jaunes» ont défilé samedi. Le préfet a reçu des «gilets jaunes» lundi.",
    "Des «foulards rouges» sont venus. Les foulards rouges ont chanté.",
])
def test_quoted_terms_are_not_quotes(text):
    assert [r for r in extract(text) if r.type != "indirect"] == []


def test_every_attributed_record_says_why():
    records = extract("Le ministre de la Santé Octave Vidal était à Lyon. «Nous tiendrons», a-t-il dit. "
                      "«Le plan est prêt», a ajouté le ministre.")
    for record in records:
        if record.speaker:
            assert record.evidence.rule and record.evidence.steps
            assert record.speaker in record.evidence.explain()
    assert record_with(records, "tiendrons").evidence.steps[0].startswith("pronoun «il» → Octave Vidal")
