"""Indirect speech (quotes/extract/indirect.py), one construction a line.

Each case is a short text written for these tests (never a gold sentence), the
reported clause expected (a distinctive part of it) and its speaker: a name, a
description in lower case, or None. Failures print the record's evidence.
"""
import pytest

from quotes.extract import extract

from tests.conftest import check_speaker


def indirect_with(text, part):
    records = [r for r in extract(text) if r.type == "indirect"]
    matches = [r for r in records if part in r.quote]
    assert matches, f"no indirect record holding {part!r} in {[r.quote for r in records]}"
    assert all(text[r.start:r.end] == r.quote for r in records)
    return matches[0]


@pytest.mark.parametrize("text, part, speaker", [
    # indirect-incise: the clause, then the reporting verb and its inverted subject
    ("Les loyers vont encore monter cet hiver, a annoncé lundi 3 mars la ministre du Logement, Claire Vidal.",
     "Les loyers vont encore monter cet hiver", "Claire Vidal"),
    ("Les loyers vont encore monter cet hiver, a annoncé Claire Vidal, sans avancer de chiffre.",
     "Les loyers vont encore monter cet hiver", "Claire Vidal"),
    ("Le club ne devrait pas changer d'entraîneur, a estimé mardi Hugo Brunet, un des dirigeants du club.",
     "Le club ne devrait pas changer d'entraîneur", "Hugo Brunet"),
    ("Le chantier du tramway sera achevé en 2027, a indiqué la mairie dans un communiqué.",
     "Le chantier du tramway sera achevé en 2027", "mairie"),
    ("Le procès reprendra en mai, a indiqué Paul Ferrand. Les témoins seront entendus, a-t-il ajouté.",
     "Les témoins seront entendus", "Paul Ferrand"),
    ("Les chiffres du chômage seront publiés jeudi, explique Léa Girard, du CNRS.",
     "Les chiffres du chômage seront publiés jeudi", "Léa Girard"),
    ("Le procès reprendra en mai, a indiqué Paul Ferrand. Le verdict tombera en juin, a-t-il estimé, compte tenu "
     "des retards.", "Le verdict tombera en juin", "Paul Ferrand"),
    ("Les inscriptions sont ouvertes jusqu'au 3 avril, nous a confirmé la mairie.",
     "Les inscriptions sont ouvertes jusqu'au 3 avril", "mairie"),
    ("Les élus devraient voter «contre» le budget, ou «s'abstenir», a estimé mardi Paul Girard, un des "
     "responsables du parti, qui, pour sa part, votera contre.", "Les élus devraient voter", "Paul Girard"),
    # indirect-clause: adverbs and phrases between the verb and its clause
    ("Paul Leroy est furieux. Paul Leroy annonce d'ailleurs vouloir porter plainte pour diffamation.",
     "vouloir porter plainte pour diffamation", "Paul Leroy"),
    ("La ministre Claire Vidal a parlé longtemps. Elle a, en effet, relevé que les délais restent trop longs.",
     "les délais restent trop longs", "Claire Vidal"),
    ("Le témoin Paul Leroy nie farouchement l'avoir frappé.", "l'avoir frappé", "Paul Leroy"),
    ("Paul Leroy est à Nice. Il confie à France Inter qu'un accord est possible avant l'été.",
     "un accord est possible avant l'été", "Paul Leroy"),
    ("Le syndicaliste Marc Roux a tenté d'affirmer que la grève serait suivie.", "la grève serait suivie",
     "Marc Roux"),
    # indirect-comme: "Comme l'a dit X, clause"
    ("Comme l'a souligné la ministre Claire Vidal, le budget sera tenu malgré la crise.",
     "le budget sera tenu malgré la crise", "Claire Vidal"),
    ("Le débat a repris. Comme l'a rappelé Paul Leroy, maire de la commune depuis 2014, les travaux commenceront "
     "en mai.", "les travaux commenceront en mai", "Paul Leroy"),
    # according-to: "selon X", in its other words and forms
    ("Selon Claire Morin, pédiatre à l'hôpital de Lyon, le nombre de patients a doublé.",
     "le nombre de patients a doublé", "Claire Morin"),
    ("Selon leur porte-parole, Jean Dumas, la colère monte dans les villages.",
     "la colère monte dans les villages", "Jean Dumas"),
    ("Selon les informations de France Inter, le directeur a démissionné en secret.",
     "le directeur a démissionné en secret", "France Inter"),
    ("Deux cents personnes ont été évacuées, selon des chiffres de la préfecture.",
     "Deux cents personnes ont été évacuées", "préfecture"),
    ("Les relations entre les deux ministres se sont tendues selon les informations de France Inter.",
     "Les relations entre les deux ministres se sont tendues", "France Inter"),
    ("A en croire Sophie Marchand, les ventes ont doublé depuis janvier.",
     "les ventes ont doublé depuis janvier", "Sophie Marchand"),
    ("Aux dires de Paul Girard, la récolte sera meilleure cette année.",
     "la récolte sera meilleure cette année", "Paul Girard"),
])
def test_indirect_speaker(text, part, speaker):
    check_speaker(indirect_with(text, part), speaker)


@pytest.mark.parametrize("text", [
    # a quoted sentence closes the clause: the incise is the direct quote's
    "Le maire a visité le chantier ce matin avec les ouvriers.«Nous tiendrons les délais, je m'y engage», a dit Paul Roux.",
    # an incise before a quote belongs to that quote
    "Les riverains sont inquiets depuis des mois car, disent-ils, «le bruit ne cesse jamais».",
    # the clause is the verb's subject, not something said
    "Le député Marc Olivier, le président du groupe, a annoncé sa démission hier soir.",
    # "-t-il" after narration: whom the pronoun stands for is a guess
    "Paul Ferrand a visité l'usine avec Marc Roux. Les machines tournent toute la nuit, a-t-il dit.",
    # the sentence goes on after the incise
    "La réforme qui sera votée demain servira, a ajouté le ministre Paul Morin, à financer les retraites.",
    # an adjective, not an incise
    "La fermeture du site, annoncée par la direction de l'usine Marc Dubois, inquiète les salariés.",
    # a subordinate clause: the main clause comes after the incise
    "Lorsque les prix montent, a estimé Paul Morin, les ménages réduisent leurs achats.",
    # a participle clause, not an incise
    "Le ministre a lancé la réforme des retraites, en détaillant dimanche dans Le Monde les mesures prévues.",
    # two speakers: the parse gives only the second
    "Les accusés Paul Leroy et Marc Roux affirment que la victime ment.",
    # an infinitive nobody says: after a noun, or a verb that withholds it
    "Le débat était l'occasion d'affirmer que la réforme est juste.",
    "Le maire Paul Leroy a omis de signaler qu'il connaissait le promoteur.",
    # "s'assurer que": making sure, not saying
    "Le comité Paul Leroy doit s'assurer que les comptes sont justes.",
    # ", comme l'a noté X" reports what came before, not the words after X
    "Les quartiers ne bougent pas, comme l'a noté, lundi, Paul Leroy, ministre de la Ville.",
    # "invité à s'exprimer": asked to speak, not saying anything yet
    "Invité à s'exprimer sur la fermeture de l'usine, Paul Leroy a tenu à rassurer les salariés.",
    # "selon" a plan, not a speaker
    "Les travaux avancent lentement mais sûrement selon le calendrier prévu.",
    # a quotation the scanner could not close
    'Les salariés ont voté la grève. "Nous ne lâcherons rien, a-t-il affirmé.',
])
def test_no_indirect_record(text):
    assert [r.quote for r in extract(text) if r.type == "indirect"] == []


@pytest.mark.parametrize("text, clause", [
    # an infinitive clause ends before the main clause's verb comes back
    ("Le maire qui a dit vouloir rénover la gare n'a jamais trouvé l'argent.", "vouloir rénover la gare"),
    ("La directrice Anne Morel dit être très touchée par cette affaire et apporte son soutien aux familles.",
     "être très touchée par cette affaire"),
    # ", après…" opens something else
    ("Le juge Paul Leroy a accusé le témoin d'avoir menti, après l'avoir entendu deux heures.", "d'avoir menti"),
])
def test_clause_ends(text, clause):
    assert clause in [r.quote for r in extract(text) if r.type == "indirect"]
