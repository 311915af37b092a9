"""Attribution constructions of French press quotes, one case a line (issue 3).

Each case is a short text, the quote text expected (a distinctive part of it) and
the speaker expected for it. Sentences are written for these tests, not taken
from the gold set.
"""
import pytest

from quotes.extract import extract

from tests.conftest import check_speaker


def quote_with(quotes, part):
    matches = [q for q in quotes if part in q.quote and q.type != "indirect"]
    assert matches, f"no quote holding {part!r} in {[q.quote for q in quotes]}"
    return matches[0]


@pytest.mark.parametrize("text, part, speaker", [
    # incise after the quote, subject inverted
    ("«Nous ne céderons pas», a expliqué Marie Lefèvre.", "céderons", "Marie Lefèvre"),
    ("« Le budget est prêt », déclare Paul Martin.", "budget", "Paul Martin"),
    ("«C'est un échec», a souligné à Berlin le porte-parole du gouvernement Thomas Weber.", "échec", "Thomas Weber"),
    ("«Il faut agir vite», a averti mardi la présidente de la Commission Ursula von der Leyen.", "agir", "Ursula von der Leyen"),
    ("«La réforme passera», a indiqué à l'AFP Julien Moreau, porte-parole du ministère.", "réforme", "Julien Moreau"),
    ("«Rien n'est décidé», a déclaré lors d'une conférence de presse le maire de Lyon Grégory Doucet.", "décidé", "Grégory Doucet"),
    ("«Nous restons prudents», affirme dans un communiqué le directeur de l'usine, Marc Dubois.", "prudents", "Marc Dubois"),
    ("« Les chiffres sont bons » a assuré Sophie Bernard devant les députés.", "chiffres", "Sophie Bernard"),
    # inverted clitic subject, resolved to the person named before
    ("Le ministre Jean Dupuis était à Lille. «Nous tiendrons», a-t-il dit.", "tiendrons", "Jean Dupuis"),
    ("Claire Martin a visité l'usine. «Je suis confiante», a-t-elle ajouté.", "confiante", "Claire Martin"),
    ("Pierre Durand répond aux critiques. «C'est faux», estime-t-il.", "faux", "Pierre Durand"),
    ("Anne Petit ne désarme pas. «Nous irons jusqu'au bout», poursuit-elle.", "bout", "Anne Petit"),
    ("Luc Girard a ri. «Quelle idée !», lance-t-il.", "idée", "Luc Girard"),
    ("Nadia Benali a tenu bon. «Le dossier est clos», conclut-elle.", "clos", "Nadia Benali"),
    # tenses of the cue
    ("«Tout ira bien», dit Michel Blanc.", "ira", "Michel Blanc"),
    ("«Tout ira bien», déclara Michel Blanc.", "ira", "Michel Blanc"),
    ("«Tout ira bien», affirmait Michel Blanc.", "ira", "Michel Blanc"),
    ("«Tout ira bien», avait assuré Michel Blanc.", "ira", "Michel Blanc"),
    ("«Tout ira bien», a répété Michel Blanc.", "ira", "Michel Blanc"),
    # multiword cues
    ("«Le calendrier sera tenu», a fait valoir le secrétaire d'État Paul Roux.", "calendrier", "Paul Roux"),
    ("«Nous ne paierons pas», a fait savoir Hélène Roy.", "paierons", "Hélène Roy"),
    ("«Attention aux fausses promesses», a mis en garde Olivier Faure.", "promesses", "Olivier Faure"),
    ("«Rien n'a changé», a tenu à préciser Valérie Pécresse.", "changé", "Valérie Pécresse"),
    # speaker before the quote
    ("Emmanuel Macron a déclaré : «Nous sommes en guerre.»", "guerre", "Emmanuel Macron"),
    ("Sandrine Rousseau : « Il faut taxer les superprofits. »", "superprofits", "Sandrine Rousseau"),
    ("Bruno Le Maire a déclaré que «la croissance sera au rendez-vous».", "croissance", "Bruno Le Maire"),
    ("La juge Martine Colas a rappelé : «La loi est la même pour tous.»", "loi", "Martine Colas"),
    # according to
    ("Selon Christine Lagarde, «l'inflation va reculer».", "inflation", "Christine Lagarde"),
    ("Pour Thierry Breton, «l'Europe doit se protéger».", "protéger", "Thierry Breton"),
    ("D'après Laurent Berger, «le dialogue est rompu».", "dialogue", "Laurent Berger"),
    ("«Le texte est mauvais», selon Marine Tondelier.", "texte", "Marine Tondelier"),
    # partial quotes inside a sentence
    ("Josiane Balasko a évoqué des «sanctions coordonnées» contre le régime.", "sanctions", "Josiane Balasko"),
    ("Gabriel Attal juge la situation «très préoccupante».", "préoccupante", "Gabriel Attal"),
    ("«La Russie est prête», a souligné à Moscou le porte-parole du Kremlin Dmitri Peskov, "
     "accusant l'Alliance d'être «un instrument de confrontation».", "instrument", "Dmitri Peskov"),
    # organisations speak too
    ("Le Kremlin a affirmé : «Aucune troupe ne franchira la frontière.»", "troupe", "Kremlin"),
    ("«Nous porterons plainte», a annoncé l'ONG Greenpeace.", "plainte", "Greenpeace"),
    ("«Les tarifs augmenteront», a indiqué la SNCF.", "tarifs", "SNCF"),
])
def test_attribution(text, part, speaker):
    q = quote_with(extract(text), part)
    check_speaker(q, speaker)
    assert text[q.start:q.end] == q.quote


@pytest.mark.parametrize("text, parts, speaker", [
    # split quote: one speaker for both halves
    ("«Nous avons tout essayé», a-t-il dit, «mais rien n'a marché.»", ("essayé", "marché"), None),
    ("Karim Nassar est amer. «Nous avons tout essayé», a-t-il dit, «mais rien n'a marché.»",
     ("essayé", "marché"), "Karim Nassar"),
    # a quote with no cue continues the speaker of the quote before it in the paragraph
    ("«Le stade sera prêt», a assuré Yves Morel. «Les travaux avancent bien.»", ("stade", "travaux"), "Yves Morel"),
    # several quotes of one sentence share the final incise
    ("Il «a besoin d'argent» et il «refuse de payer», estime l'analyste Rob Carter.",
     ("besoin", "refuse"), "Rob Carter"),
])
def test_quotes_sharing_a_speaker(text, parts, speaker):
    quotes = extract(text)
    for part in parts:
        check_speaker(quote_with(quotes, part), speaker)


def test_continuation_has_lower_confidence():
    quotes = extract("«Le stade sera prêt», a assuré Yves Morel. «Les travaux avancent bien.»")
    first, second = quote_with(quotes, "stade"), quote_with(quotes, "travaux")
    assert second.confidence < first.confidence


@pytest.mark.parametrize("text, part, speaker", [
    # a description resolves to the full name introduced in the document
    ("Le secrétaire général de l'OTAN, Jens Stoltenberg, était à Bruxelles. "
     "«La discussion a été franche», a déclaré le chef de l'OTAN.", "franche", "Jens Stoltenberg"),
    ("Jens Stoltenberg était à Bruxelles. «La discussion a été franche», a déclaré M. Stoltenberg.",
     "franche", "Jens Stoltenberg"),
    ("Jens Stoltenberg était à Bruxelles. «La discussion a été franche», a déclaré Stoltenberg.",
     "franche", "Jens Stoltenberg"),
    ("Le président américain, Joe Biden, a reçu son homologue. «Nous sommes alliés», a dit le chef de l'Etat.",
     "alliés", "Joe Biden"),
    ("La ministre de la Santé Agnès Firmin était à Nantes, avec le maire Paul Leroy. "
     "«Les urgences tiendront», a promis la ministre.", "urgences", "Agnès Firmin"),
    # pronoun gender picks the right person
    ("Marie Dubois et Paul Henry ont débattu. Paul Henry a quitté la salle. «Je reste», a-t-elle dit.",
     "reste", "Marie Dubois"),
    # an indefinite description is kept, never guessed
    ("Jean Castex était à Paris. «Rien n'est décidé», a confié un diplomate européen.",
     "décidé", "diplomate européen"),
    # a name in apposition after a description
    ("«Nous ferons appel», prévient un avocat du club, Me Jean Félix Luciani.", "appel", "Jean Félix Luciani"),
    # "ce dernier" takes up the person just named
    ("Paul Vidal a répondu à la critique. Ce dernier affirme : «Je n'ai rien caché.»", "caché", "Paul Vidal"),
    # an organisation after "de la" belongs to the role, not the name
    ("«Pas de deuxième chance», a prévenu le secrétaire général de la CFDT.", "chance",
     "secrétaire général de la CFDT"),
    # acronym defined in the text
    ("La Fédération nationale des syndicats d'exploitants agricoles (FNSEA) a réagi. "
     "«C'est inacceptable», a déclaré la FNSEA.", "inacceptable",
     "Fédération nationale des syndicats d'exploitants agricoles"),
])
def test_speaker_resolution(text, part, speaker):
    check_speaker(quote_with(extract(text), part), speaker)


def test_role_is_split_from_name():
    [q] = extract("«Tout élargissement inquiète la Russie», a souligné à Moscou le porte-parole du Kremlin Dmitri Peskov.")
    assert (q.speaker, q.role) == ("Dmitri Peskov", "porte-parole du Kremlin")
    assert q.mention == "le porte-parole du Kremlin Dmitri Peskov"
    assert (q.cue, q.cue_lemma) == ("a souligné", "souligner")


def test_canonical_speaker_has_no_honorific():
    quotes = extract("«Je démissionne», a annoncé M. Jacques Morel.")
    assert quote_with(quotes, "démissionne").speaker == "Jacques Morel"


def test_unknown_speaker_stays_none():
    quotes = extract("Une banderole disait : «Non à la fermeture».\n\n«Il fera beau demain.»")
    assert quote_with(quotes, "beau").speaker is None


@pytest.mark.parametrize("text, part", [
    ("Il a tenu à répondre à la «polémique» lundi.", "polémique"),
    ("Le ministre demandait que les «frondeurs» soient reçus.", "frondeurs"),
    ("Avec la fin du «califat», les troupes partent.", "califat"),
])
def test_scare_quotes_keep_no_speaker(text, part):
    assert quote_with(extract(text), part).speaker is None


def test_quote_types():
    quotes = extract("Louis Marchand a dénoncé un texte «inacceptable». «Nous voterons contre», a-t-il ajouté.")
    assert quote_with(quotes, "inacceptable").type == "partial"
    assert quote_with(quotes, "voterons").type == "direct"


@pytest.mark.parametrize("text, clause, speaker", [
    ("Le ministre Paul Morin a affirmé que les négociations reprendraient lundi.",
     "les négociations reprendraient lundi", "Paul Morin"),
    ("Lucie Garnier estime que la réforme est injuste.", "la réforme est injuste", "Lucie Garnier"),
    ("Washington a assuré ne pas vouloir d'escalade.", "ne pas vouloir d'escalade", "Washington"),
    ("Selon Marc Lévy, la production reprendra en mars.", "la production reprendra en mars", "Marc Lévy"),
    ("La production reprendra en mars, selon Marc Lévy.", "La production reprendra en mars", "Marc Lévy"),
    ("Selon Marc Lévy, directeur de l'usine, la production reprendra en mars.",
     "la production reprendra en mars", "Marc Lévy"),
    ("D'après Mme Inès Roy, maire de la commune, le pont rouvrira avant l'été.",
     "le pont rouvrira avant l'été", "Inès Roy"),
    ("Les Occidentaux accusent Moscou d'avoir massé des troupes à la frontière.",
     "d'avoir massé des troupes à la frontière", "Occidentaux"),
    ("Les prix vont baisser cet hiver, a annoncé jeudi la ministre Agnès Pannier.",
     "Les prix vont baisser cet hiver", "Agnès Pannier"),
])
def test_indirect_speech(text, clause, speaker):
    quotes = [q for q in extract(text) if q.type == "indirect"]
    assert [(q.quote, q.speaker) for q in quotes] == [(clause, speaker)]
    assert all(text[q.start:q.end] == q.quote for q in quotes)


@pytest.mark.parametrize("text", [
    "Il a lu le livre «Les Misérables» cet été.",
    "Le journal «Le Monde» a publié une enquête.",
    "Le rappeur, surnommé «le Prince», a sorti un album.",
    "L'opération «Barkhane» a pris fin.",
    "Le film «La Haine» ressort en salles.",
    "Elle a regardé l'émission «Quotidien» hier soir.",
    "Il dénonce la «taxe carbone», comme la surnomment ses adversaires.",
])
def test_titles_and_nicknames_are_not_quotes(text):
    assert [q for q in extract(text) if q.type != "indirect"] == []


def test_an_incise_verb_outside_the_lexicon_keeps_its_cue_without_a_made_up_lemma():
    [q] = extract("«Le bilan est bien plus lourd que prévu», calcule Julien Pouget, chef économiste de l’Insee.")
    assert (q.speaker, q.cue, q.cue_lemma) == ("Julien Pouget", "calcule", None)
    assert q.confidence < 0.9  # any verb then its subject: less sure than a reporting verb


def test_taking_the_floor_announces_a_quote():
    # "prendre la parole": the noun is part of the verb, not the speaker ("la parole" was taken for one).
    [q] = extract("Devant les maires réunis à Souillac, Emmanuel Macron a pris la parole : "
                  "«Nous ne reculerons pas sur la réforme.»")
    assert (q.speaker, q.cue, q.cue_lemma) == ("Emmanuel Macron", "a pris la parole", "prendre la parole")
