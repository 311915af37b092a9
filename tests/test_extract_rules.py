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
    # the speaker is the reporting verb's subject, not the subject of the clause it reports
    ("Clarisse Moreau a parlé. Les doutes sont apparus en mars lorsqu'elle affirme que si Paul Vidal «avait su, "
     "il aurait renoncé».", "avait su", "Clarisse Moreau", "cue-before"),
    ("Lucien Brard a de plus demandé que les commerçants qui le peuvent «baissent leurs prix dès lundi».", "baissent",
     "Lucien Brard", "cue-before"),
    # a short quote that is the clause the verb reports ("annonce qu'il «…»") is not a scare quote
    ("Dans son discours, la maire Odile Fabre annonce qu'elle «tiendra parole».", "tiendra parole", "Odile Fabre",
     "cue-before"),
    # a pronominal verb is no passive: its subject speaks after the colon
    ("Zoé Marchal est restée à Lyon. Elle s'est adressée aux élus : «Vous nous avez oubliés.»", "oubliés",
     "Zoé Marchal", "clause-subject"),
    # a participle opening its sentence takes the subject of the main clause after it
    ("Le discours a duré vingt minutes.\n\nDisant comprendre la «colère» des agriculteurs, la ministre Inès Ferrand "
     "a promis des aides.", "colère", "Inès Ferrand", "participle"),
    # a pluperfect inversion is someone's ("avait-il lancé"), not an impersonal passive ("a-t-il été précisé")
    ("Le député Luc Arnaud est venu. «Chiche !», avait-il lancé au journal.", "Chiche", "Luc Arnaud", "incise"),
    # a date the parse takes for the subject: the phrase before the verb speaks
    ("L'humoriste Jean-Marc Ferrier a fait parler de lui.\n\nMercredi, l'humoriste avait annoncé sur l'antenne "
     "que «oui, ça pourrait l'intéresser d'être candidat».", "intéresser", "Jean-Marc Ferrier", "cue-before"),
    # a verb with no subject written after "Mais" shares the subject of the clause before
    ("Le président Armand Berthier propose de baliser le débat. Mais assure qu'il n'y aura «pas de questions "
     "interdites».", "questions interdites", "Armand Berthier", "cue-before"),
    # a title line that holds a quote repeated, trimmed, further on: the same speaker
    ("Le conseil s'est réuni jeudi.\n«Rôle dans la hausse des loyers» du quartier\nLe collectif Habitat Juste estime "
     "que la mairie joue toujours «un rôle dans la hausse ou le gel des loyers», a déclaré Noémie Vasseur.",
     "Rôle dans la hausse", "Noémie Vasseur", "intertitle"),
    # a regular verb of the second group, in every form
    ("«Vous ne faites qu'inciter à la fraude», a renchéri Gilles Marot (Finistère).", "fraude", "Gilles Marot",
     "incise"),
    # a quote that closes its sentence on its full stop: the next sentence's cue is not its own
    ("La secrétaire d'État Léa Morel a rappelé que « rien n'excuse cela. » Le ministre Paul Vigier a apporté son "
     "« soutien entier aux victimes. »", "soutien entier", "Paul Vigier", None),
    # a reporting verb in the sentence after a quote is that sentence's, not an incise of the quote
    ("Frédéric, un habitant, a raconté : «Tout a brûlé.» La SNCF a assuré : «Les trains circuleront.»", "brûlé",
     "Frédéric", "cue-before"),
    # a multiword cue
    ("«Nous reviendrons au printemps», a laissé entendre Agathe Roux.", "reviendrons", "Agathe Roux", "incise"),
    # a description, its place, then the first name of who it is
    ("«Le débat, c'est dans la rue», estime par exemple un militant à Rennes, Jean-Pierre, 61 ans.", "débat",
     "Jean-Pierre", "incise"),
    # a noun after its determiner, even one the tagger reads as a verb
    ("«Nous ne lâcherons rien», lance un manifestant venu de Lille.", "lâcherons", "manifestant", "incise"),
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
    ("Paul Rey est venu. «Tout sera reconstruit», a-t-il été précisé.", "reconstruit", None),
    # a subordinate clause's subject is not what the next pronoun takes up
    ("Marc Olivier confirme ce que Piotr Nowak comptait faire. «J'étais au courant», affirme-t-il.",
     "au courant", "Marc Olivier"),
    # an indefinite description introduces someone new, never a named person of the text
    ("Le ministre Paul Roux était là. «Rien ne bouge», confie un ministre.", "bouge", "ministre"),
    # "un de ses proches" is described as a "proche"; "deux de ses membres" as "membres"
    ("«Il ne lâchera rien», confie un de ses proches.", "lâchera", "proche"),
    ("Le collectif a renoncé pour «raisons de sécurité», ont annoncé deux de ses membres.", "raisons", "membres"),
    # a description the parse cut before its complement keeps its head
    ("Le propriétaire de ce gîte en Bretagne l'a justifié par «la situation sanitaire en Mayenne».", "situation",
     "propriétaire"),
    # a body or a document the text does not name is kept as the label; "son rapport" is someone's, never a label
    ("Le trafic sera «quasi normal» jeudi, selon la direction.", "quasi normal", "direction"),
    ("La pétition en ligne veut attaquer «l'État en justice pour qu'il tienne parole».", "l'État en justice",
     "pétition"),
    ("L'ONG Terre Vive a publié son rapport. Les tactiques ne «justifient en aucun cas les frappes», selon son "
     "rapport.", "justifient", None),
    # a day opening the sentence is nobody's name
    ("L'annonce a circulé.\n\nMercredi, plus d'un million de personnes disaient vouloir venir à la «fête du "
     "siècle».", "fête du siècle", None),
    # two known, different first names are two people
    ("Marine Durand a parlé. Marie Durand a répondu. «Je reste», a-t-elle ajouté.", "reste", "Marie Durand"),
])
def test_precision_cases(text, part, speaker):
    check_speaker(record_with(extract(text), part), speaker)


@pytest.mark.parametrize("text", [
    # a term the text keeps using in guillemets is not anyone's words
    "Les «gilets jaunes» ont défilé samedi. Le préfet a reçu des «gilets jaunes» lundi.",
    "Des «foulards rouges» sont venus. Les foulards rouges ont chanté.",
    # a movement's name, even once
    "Une manifestation de «stylos rouges» a réuni deux cents enseignants devant le rectorat.",
    "Des représentants d'un collectif «stylos rouges unis» ont renoncé à venir.",
    # a title after the noun that names it, long as it may be
    "Le colloque s'est tenu sur le thème «Place des femmes dans la recherche et l'innovation au service du "
    "développement durable en Afrique de l'Ouest».",
    "Le fromage est vendu sous l'appellation «produit fermier» depuis mars, a précisé Rémi Caussade.",
    "Les écologistes rejoignent l'alliance «Demain la gauche» pour les européennes.",
    # a capitalised phrase with no punctuation right after an article is something's name
    "Ce jeudi, le «Défenseur des enfants» français, Jacques Tessier, a demandé un moratoire.",
    "Ce Lyonnais est le patron de «La maison des cuirs», une PME de trente salariés.",
    # where something was printed
    "Il répond à l'article de M. Baro, paru dans «Le Courrier du soir» du mercredi 24 mai.",
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


def test_a_title_noun_does_not_reach_across_a_sentence():
    # "le quotidien" ends a sentence: the guillemets after it hold someone's words, not a title
    text = ("«Il m'a proposé de partir», confie Malo Vernet, selon le quotidien. «Je ne voulais rien de tout cela, "
            "ni les honneurs ni la prison ni le reste, vraiment rien du tout»")
    assert any("ne voulais rien" in r.quote for r in extract(text))


def test_an_inverted_elles_is_one_token():
    # spaCy cuts "-elles" after a verb in two; the pipeline joins it, as it keeps "-elle" and "-ils"
    from quotes.nlp import load_nlp
    words = [t.text for t in load_nlp()("«Assez», martèlent-elles. «Encore», implorent-ils.")]
    assert "-elles" in words and "-ils" in words


_INTERVIEW = ("«Nous tiendrons nos engagements», a assuré Hélène Marquet. «Le budget est prêt», a-t-elle ajouté. "
              "«Rien ne sera caché», a précisé Hélène Marquet.\nLa ministre a ensuite parlé des hôpitaux. ")


@pytest.mark.parametrize("tail, speaker", [
    # an article that quotes one person for everything: a quoted sentence with no cue is theirs
    ("«Les hôpitaux auront les moyens de leurs missions.»", "Hélène Marquet"),
    # not a question (as often the interviewer's), nor after narration that names someone else
    ("«Les hôpitaux auront-ils les moyens de leurs missions ?»", None),
    ("Le syndicaliste Marc Duval était présent. «Les hôpitaux auront les moyens de leurs missions.»", None),
])
def test_the_main_speaker_of_an_interview(tail, speaker):
    record = record_with(extract(_INTERVIEW + tail), "hôpitaux auront")
    check_speaker(record, speaker)
    if speaker:
        assert record.evidence.rule == "main-speaker" and record.confidence < 0.5


def test_a_coordinated_verb_inside_a_sentence_does_not_take_the_sentence_before_s_subject():
    # "Roger sourit, et répondit": not a sentence with no subject; never the subject of the sentences before
    text = ("— « Quand un orage éclate sur la ville, reprit en riant M. Duflot, c'est souvent pour laver les toits. »"
            "\n\nIl lança du côté de Roger un regard moqueur.\n\nRoger sourit, et répondit : « Ou bien pour les noyer. »")
    assert record_with(extract(text), "noyer").speaker != "Duflot"
