"""The two constructions other parts of the project rely on, end to end through ``extract``."""
from quotes.extract import QuoteRecord, extract


def test_incise_after_quote():
    text = "« Nous sommes prêts », a déclaré Jean Dupont."
    [q] = extract(text)
    assert isinstance(q, QuoteRecord)
    assert (q.quote, q.speaker, q.type, q.cue_lemma) == ("Nous sommes prêts", "Jean Dupont", "direct", "déclarer")
    assert text[q.start:q.end] == q.quote


def test_speaker_before_with_colon():
    text = "Marie Durand a déclaré : «Nous partirons demain.»"
    [q] = extract(text)
    assert (q.quote, q.speaker, q.cue) == ("Nous partirons demain.", "Marie Durand", "a déclaré")
    assert text[q.start:q.end] == q.quote


def test_no_quotes():
    assert extract("Rien à signaler aujourd'hui.") == []
    assert extract("") == []
