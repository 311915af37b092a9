"""Pure helpers of the pages: a quote in its sentence, an article highlighted, the timeline, page links."""
from collections import Counter
from datetime import date

import pytest

from quotes.extract import QuoteRecord
from quotes.extract.record import Evidence
from quotes.web.highlight import MAX_CONTEXT, highlight_article, legend, quote_in_context
from quotes.web.timeline import MAX_MONTHS, layout


def around(text: str, quote: str) -> str:
    start = text.index(quote)
    return str(quote_in_context(text, start, start + len(quote), quote))


@pytest.mark.parametrize(
    "text, quote, expected",
    [
        ("Avant. «Oui», a dit Jean. Après.", "«Oui»", "<mark>«Oui»</mark>, a dit Jean."),
        ("Avant. Jean a dit : «Oui.» Après.", "«Oui.»", "Jean a dit : <mark>«Oui.»</mark>"),
        ("Intro. M. Macron a dit : «Non.» Fin.", "«Non.»", "M. Macron a dit : <mark>«Non.»</mark>"),
        ("Titre\n«Oui, c'est vrai», a dit Jean\nSuite", "«Oui, c'est vrai»", "<mark>«Oui, c&#39;est vrai»</mark>, a dit Jean"),
        ("Avant. «Un. Deux. Trois», a-t-il dit. B.", "«Un. Deux. Trois»", "<mark>«Un. Deux. Trois»</mark>, a-t-il dit."),
        ("Il l'a dit: «3.5 %», a-t-il précisé. Fin.", "«3.5 %»", "Il l&#39;a dit: <mark>«3.5 %»</mark>, a-t-il précisé."),
        ("<p>«<b>x</b>», a dit <i>Jean</i>.</p>", "«<b>x</b>»", "&lt;p&gt;<mark>«&lt;b&gt;x&lt;/b&gt;»</mark>, a dit &lt;i&gt;Jean&lt;/i&gt;.&lt;/p&gt;"),
    ],
)
def test_quote_in_context(text, quote, expected):
    assert around(text, quote) == expected


def test_long_context_is_cut_with_an_ellipsis():
    text = "x" * (MAX_CONTEXT + 50) + " «Oui», a dit Jean " + "y" * (MAX_CONTEXT + 50)
    shown = around(text, "«Oui»")
    assert shown.startswith("… ") and shown.endswith(" …")
    assert len(shown) < 2 * MAX_CONTEXT + 40


def test_offsets_that_do_not_match_the_text_show_the_quote_alone():
    assert str(quote_in_context("Autre texte.", 0, 5, "<Oui>")) == "<mark>&lt;Oui&gt;</mark>"
    assert str(quote_in_context(None, 0, 3, "Oui")) == "<mark>Oui</mark>"


def q(text: str, quote: str, speaker: str | None, kind: str = "direct") -> QuoteRecord:
    start = text.index(quote)
    return QuoteRecord(quote=quote, start=start, end=start + len(quote), speaker=speaker, type=kind)


def test_article_is_escaped_and_each_quote_marked_with_its_speaker():
    text = '<script>alert("x")</script>\n«Oui», a dit Jean Dupont. «Non», a dit <b>Marie</b>. «Encore», a dit Jean Dupont.'
    quotes = [q(text, "«Oui»", "Jean Dupont"), q(text, "«Non»", "Marie <Curie>"), q(text, "«Encore»", "Jean Dupont")]
    shown = str(highlight_article(text, quotes))
    assert shown.startswith("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;\n")
    none = 'title="aucune règle n’a désigné de locuteur"'
    assert f'<mark class="quote quote-direct sp-0" data-speaker="Jean Dupont" {none}>«Oui»</mark><span class="speaker-tag sp-0">Jean Dupont</span>' in shown
    assert f'<mark class="quote quote-direct sp-1" data-speaker="Marie &lt;Curie&gt;" {none}>«Non»</mark><span class="speaker-tag sp-1">Marie &lt;Curie&gt;</span>' in shown
    assert f'<mark class="quote quote-direct sp-0" data-speaker="Jean Dupont" {none}>«Encore»</mark>' in shown
    assert "a dit &lt;b&gt;Marie&lt;/b&gt;." in shown
    assert [(e.name, e.css_class, e.count) for e in legend(quotes)] == [("Jean Dupont", "sp-0", 2), ("Marie <Curie>", "sp-1", 1)]


def test_unattributed_overlapping_and_out_of_range_quotes():
    text = "«Un deux», dit-on. Fin."
    quotes = [
        q(text, "«Un deux»", None),
        QuoteRecord(quote="deux", start=4, end=8, speaker="X"),  # inside the first: skipped
        QuoteRecord(quote="?", start=50, end=60, speaker="Y"),  # beyond the text: skipped
    ]
    shown = str(highlight_article(text, quotes))
    assert shown.count("<mark") == 1
    assert '<span class="speaker-tag sp-unknown">locuteur inconnu</span>' in shown
    assert shown.endswith(", dit-on. Fin.")


def test_timeline_fills_empty_months_and_scales_bars():
    months = Counter({date(2021, 1, 1): 2, date(2021, 11, 1): 1, date(2022, 2, 1): 4})
    timeline = layout(months, undated=1, width=700, height=142)
    assert len(timeline.bars) == 14  # January 2021 to February 2022
    assert [(b.label, b.count) for b in timeline.bars if b.count] == [("janv. 2021", 2), ("nov. 2021", 1), ("févr. 2022", 4)]
    assert [b.label for b in timeline.bars[9:13]] == ["oct. 2021", "nov. 2021", "déc. 2021", "janv. 2022"]
    assert timeline.peak == 4 and timeline.dated == 7 and timeline.undated == 1
    tallest = timeline.bars[-1]
    assert tallest.height == 100 and tallest.y == 18  # 18 px above for its count, 24 below for labels
    assert timeline.bars[0].height == 50
    assert all(b.x + b.width <= 700 for b in timeline.bars)
    assert timeline.label_every == 2  # 50 px per month: every other label


def test_a_short_timeline_still_spans_a_year():
    timeline = layout(Counter({date(2024, 2, 1): 2, date(2024, 4, 1): 1}), undated=0, width=880)
    assert len(timeline.bars) == 12
    assert timeline.bars[0].label == "mai 2023" and timeline.bars[-1].label == "avr. 2024"
    assert [b.count for b in timeline.bars[-3:]] == [2, 0, 1]
    assert timeline.label_every == 1  # 73 px per month: room for every label


def test_timeline_keeps_the_latest_months_only():
    months = Counter({date(2010, 1, 1): 1, date(2020, 6, 1): 3})
    timeline = layout(months, undated=0)
    assert len(timeline.bars) == MAX_MONTHS
    assert timeline.bars[-1].label == "juin 2020"
    assert timeline.dropped == (2020 - 2010) * 12 + 5 + 1 - MAX_MONTHS


def test_empty_timeline():
    timeline = layout(Counter(), undated=3)
    assert timeline.bars == [] and timeline.undated == 3


@pytest.mark.parametrize("months, first, last, bars", [
    ([date(1, 1, 1)], "janv. 1", "janv. 1", 1),  # no month before January of year 1 to add
    ([date(1, 6, 1)], "janv. 1", "juin 1", 6),
    ([date(9999, 12, 1)], "janv. 9999", "déc. 9999", 12),
    ([date(1, 1, 1), date(9999, 12, 1)], "janv. 9997", "déc. 9999", MAX_MONTHS),
])
def test_timeline_at_the_ends_of_the_calendar(months, first, last, bars):
    timeline = layout(Counter(months), undated=0)
    assert (timeline.bars[0].label, timeline.bars[-1].label, len(timeline.bars)) == (first, last, bars)


def test_a_quote_shows_its_evidence_on_hover_and_a_label_as_who_speaks():
    text = "«Oui», a dit <Jean> Dupont. «Non», a indiqué un porte-parole."
    why = Evidence(rule="incise", cue="a dit", mention="<Jean> Dupont", mention_start=13, steps=("name as written",))
    quotes = [QuoteRecord(quote="«Oui»", start=0, end=5, speaker="Jean Dupont", evidence=why),
              QuoteRecord(quote="«Non»", start=28, end=33, speaker_label="porte-parole")]
    shown = str(highlight_article(text, quotes))
    assert ('title="incise «a dit», mention «&lt;Jean&gt; Dupont» at 13; name as written">«Oui»</mark>') in shown
    assert ('<mark class="quote quote-direct sp-1" data-speaker="porte-parole" title="aucune règle n’a désigné de '
            'locuteur">«Non»</mark><span class="speaker-tag sp-1">porte-parole</span>') in shown
    assert [(e.name, e.count) for e in legend(quotes)] == [("Jean Dupont", 1), ("porte-parole", 1)]
