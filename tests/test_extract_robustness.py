"""Random and hostile input: no exception, offsets that slice the input, bounded work."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes.extract import QUOTE_TYPES, extract, extract_many
from quotes.extract.pipeline import MAX_PARSE_CHARS, make_plan

PIECES = [
    "«", "»", "« ", " »", "\u00a0»", "«\u202f", "“", "”", '"', "‹", "›", "’", "'", "-", "—", "–", ",", ".", ":",
    "\n", "\n\n", "\r\n", "\x00", "\x07", "\u200f", "\u202e", "\u2066", "\ufeff", "\ud800", "\u2028",
    "a déclaré", "a-t-il dit", "estime-t-elle", "selon", "le porte-parole du Kremlin", "Dmitri Peskov",
    "Jens Stoltenberg", "M.", "Mme", "il", "elle", "que", "ne pas", "l’OTAN", "a affirmé que", "(", ")",
    "surnommé", "Le Monde", " ", "x", "é",
]

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join)


def check(text, quotes):
    for q in quotes:
        assert text[q.start:q.end] == q.quote
        assert 0 <= q.start < q.end <= len(text)
        assert 0.0 <= q.confidence <= 1.0
        assert q.type in QUOTE_TYPES


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_random_text_never_breaks_offsets(text):
    check(text, extract(text))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, min_size=1, max_size=5))
def test_batches_give_one_list_per_text(batch):
    results = list(extract_many(batch, batch_size=2))
    assert len(results) == len(batch)
    for text, quotes in zip(batch, results):
        check(text, quotes)


def test_long_paragraph_without_sentence_end_is_bounded():
    # 1 MB in one paragraph, with quotes all along and no full stop: the parser only sees a capped share.
    unit = "«nous verrons» a dit le ministre Paul Durand et puis encore des mots sans fin "
    text = unit * (1_000_000 // len(unit))
    plan = make_plan(text)
    assert sum(end - start for start, end in plan.ranges) <= MAX_PARSE_CHARS
    quotes = extract(text)
    check(text, quotes)
    assert len([q for q in quotes if q.type != "indirect"]) == text.count("«")


def test_unclosed_guillemet_in_huge_text():
    text = "Il a dit «" + "bla " * 200_000
    [q] = [q for q in extract(text) if q.type != "indirect"]
    check(text, [q])
    assert q.confidence < 0.5


def test_an_attribution_bug_reaches_the_caller(monkeypatch):
    # The extractor does not hide its own failures: quotes.intake decides what a failed document becomes.
    from quotes.extract import pipeline

    def broken(plan):
        raise IndexError("simulated attribution bug")

    monkeypatch.setattr(pipeline, "_extract", broken)
    with pytest.raises(IndexError):
        extract("«Nous tiendrons bon», a déclaré Marie Dubois.")



@pytest.mark.parametrize("text", [
    "«Nous tiendrons», a déclaré Emmanuel Ma\u00adcron.",  # soft hyphen inside a name
    "«Nous tiendrons», a déclaré Emmanuel Ma\u200bcron.",  # zero-width space
    "«Nous tiendrons», a déclaré Emmanuel Ma\u2060cron.",  # word joiner
])
def test_invisible_characters_do_not_cut_names(text):
    [q] = extract(text)
    assert q.speaker == "Emmanuel Macron"
    assert text[q.start:q.end] == q.quote


def test_a_decomposed_text_gives_the_records_of_its_composed_form():
    import unicodedata

    composed = "«L'été sera décisif», a estimé Hélène Bérard, députée de l'Hérault. Elle «réfléchit» encore."
    decomposed = unicodedata.normalize("NFD", composed)
    a, b = extract(composed), extract(decomposed)
    assert [(r.speaker, r.type) for r in a] == [(r.speaker, r.type) for r in b]
    assert [unicodedata.normalize("NFC", r.quote) for r in b] == [r.quote for r in a]
    assert all(decomposed[r.start:r.end] == r.quote for r in b)
