"""Quote and speaker search: every filter, folding, full text, hostile input, paging."""
import re
from datetime import date, datetime, timedelta, timezone

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from quotes.models import Quote, Speaker
from quotes.search import (
    NAME_PATTERN,
    WORDS_PATTERN,
    InvalidQuery,
    QuoteFilters,
    count,
    fts5_query,
    page_of,
    quote_select,
    speaker_select,
)
from quotes.store import DocumentInput, delete_document, save_document

ATS = (
    "«La sécurité européenne est en jeu», a déclaré Jens Stoltenberg. "
    "Josep Borrell a évoqué des «sanctions coordonnées». "
    "Il a demandé une «contribution précise de l’UE»."
)
MONDE = (
    "«Nous défendrons l’Ukraine», a affirmé Jean-Yves Le Drian. "
    "Selon Jens Stoltenberg, les alliés restent unis face à la Russie."
)
LATE = "«Il est tard», a dit Mette Frederiksen à minuit et demie."
UNDATED = "«Je suis d’accord à 100% -- NEAR(x) 'oui' _tous_», a lancé Valéry Giscard d’Estaing."


@pytest.fixture
def quote_ids(session, make_quote):
    """Three documents; returns {short name: quote id}."""
    docs = [
        (DocumentInput(ATS, title="OTAN", source="ATS", published_at=datetime(2022, 1, 12, 10, 0)), [
            ("securite", make_quote(ATS, "La sécurité européenne est en jeu", speaker="Jens Stoltenberg")),
            ("sanctions", make_quote(ATS, "sanctions coordonnées", speaker="Josep Borrell", type="partial")),
            ("contribution", make_quote(ATS, "contribution précise de l’UE", type="partial")),
        ]),
        (DocumentInput(MONDE, title="Ukraine", source="Le Monde", published_at=datetime(2022, 2, 1, 23, 30)), [
            ("ukraine", make_quote(MONDE, "Nous défendrons l’Ukraine", speaker="Jean-Yves Le Drian")),
            ("unis", make_quote(MONDE, "les alliés restent unis face à la Russie", speaker="Jens Stoltenberg",
                                type="indirect")),
        ]),
        (DocumentInput(LATE, source="Le Temps", published_at=datetime(2022, 2, 12, 0, 30, tzinfo=timezone(timedelta(hours=1)))), [
            ("late", make_quote(LATE, "Il est tard", speaker="Mette Frederiksen")),
        ]),
        (DocumentInput(UNDATED), [
            ("accord", make_quote(UNDATED, "Je suis d’accord à 100% -- NEAR(x) 'oui' _tous_",
                                  speaker="Valéry Giscard d’Estaing")),
        ]),
    ]
    ids = {}
    for doc, named in docs:
        stored, _ = save_document(session, doc, [record for _, record in named])
        by_start = {q.start: q.id for q in stored.quotes}
        ids.update({name: by_start[record.start] for name, record in named})
    session.commit()
    return ids


def found(session, **filters):
    """Ids of the matching quotes, oldest first: in these documents, the order they were stored."""
    return [q.id for q in session.scalars(quote_select(QuoteFilters(**{"sort": "date", **filters})))]


def names(ids, *keys):
    return [ids[key] for key in keys]


def test_no_filter_returns_every_quote_oldest_or_newest_first_undated_last(session, quote_ids):
    assert found(session) == sorted(quote_ids.values())
    newest_first = [q.id for q in session.scalars(quote_select(QuoteFilters()))]
    assert newest_first == names(quote_ids, "late", "ukraine", "unis", "securite", "sanctions", "contribution", "accord")
    items, total = page_of(session, quote_select(QuoteFilters()), 2, 2)
    assert ([q.id for q in items], total) == (names(quote_ids, "unis", "securite"), 7)
    with pytest.raises(InvalidQuery):
        quote_select(QuoteFilters(sort="speaker"))


@pytest.mark.parametrize(
    "speaker",
    ["stoltenberg", "Jens Stoltenberg", "STOLTENBERG", "  jens   STOLTENBERG ", "Stoltènberg", "jens"],
)
def test_speaker_full_name_or_any_word_case_and_accents_ignored(session, quote_ids, speaker):
    assert found(session, speaker=speaker) == names(quote_ids, "securite", "unis")


@pytest.mark.parametrize(
    "speaker, expected",
    [
        ("Le Drian", ["ukraine"]),
        ("drian", ["ukraine"]),
        ("jean-yves", ["ukraine"]),
        ("Jean Yves", ["ukraine"]),
        ("yves le drian", ["ukraine"]),
        ("borrell", ["sanctions"]),
        ("Josep Borrell", ["sanctions"]),
        ("giscard d'estaing", ["accord"]),
        ("d’Estaing", ["accord"]),
        ("estaing", ["accord"]),
        ("valery", ["accord"]),
        # word-parts only: no prefixes, no other spelling
        ("stolten", []),
        ("jens stol", []),
        ("Jose Borrell", []),
        ("drian le", []),
        ("nobody", []),
    ],
)
def test_speaker_matches_whole_words_only(session, quote_ids, speaker, expected):
    assert found(session, speaker=speaker) == names(quote_ids, *expected)


def test_speaker_id_and_document_id(session, quote_ids):
    speaker_id = session.scalar(select(Speaker.id).where(Speaker.key == "jens stoltenberg"))
    assert found(session, speaker_id=speaker_id) == names(quote_ids, "securite", "unis")
    document_id = session.get(Quote, quote_ids["ukraine"]).document_id
    assert found(session, document_id=document_id) == names(quote_ids, "ukraine", "unis")
    assert found(session, speaker_id=10_000) == []


def test_source_and_type(session, quote_ids):
    # Case and accents ignored, the whole name: like the speaker filter.
    for source in ("Le Monde", "le monde", "LE MÔNDE", " le  monde "):
        assert found(session, source=source) == names(quote_ids, "ukraine", "unis")
    assert found(session, source="monde") == []
    assert found(session, type="partial") == names(quote_ids, "sanctions", "contribution")
    assert found(session, type="indirect") == names(quote_ids, "unis")
    with pytest.raises(InvalidQuery):
        found(session, type="quote")


@pytest.mark.parametrize(
    "since, until, expected",
    [
        (date(2022, 1, 12), None, ["securite", "sanctions", "contribution", "ukraine", "unis", "late"]),
        (date(2022, 1, 13), None, ["ukraine", "unis", "late"]),
        (None, date(2022, 1, 12), ["securite", "sanctions", "contribution"]),  # a date: its whole day
        (None, date(2022, 1, 11), []),
        (None, datetime(2022, 1, 12, 9, 59), []),
        (None, datetime(2022, 1, 12, 10, 0), ["securite", "sanctions", "contribution"]),  # inclusive
        (datetime(2022, 2, 1, 23, 30), None, ["ukraine", "unis", "late"]),
        # 2022-02-02 00:30 in Paris is 2022-02-01 23:30 UTC
        (datetime(2022, 2, 2, 0, 30, tzinfo=timezone(timedelta(hours=1))), None, ["ukraine", "unis", "late"]),
        (date(2022, 1, 13), date(2022, 1, 31), []),
        # A year, a month or a day: the publication's own date, every day of it.
        ("2022", None, ["securite", "sanctions", "contribution", "ukraine", "unis", "late"]),
        ("2022-01", "2022-01", ["securite", "sanctions", "contribution"]),
        ("2022-02", None, ["ukraine", "unis", "late"]),
        (None, "2022-01-31", ["securite", "sanctions", "contribution"]),
        ("2022-02-01", "2022-02-01", ["ukraine", "unis"]),
        # Published 00:30 on the 12th in Paris (23:30 UTC on the 11th): on the 12th.
        ("2022-02-12", "2022-02-12", ["late"]),
        (None, "2022-02-11", ["securite", "sanctions", "contribution", "ukraine", "unis"]),
        ("2021", "2021", []),
    ],
)
def test_since_and_until_on_published_at(session, quote_ids, since, until, expected):
    assert found(session, since=since, until=until) == names(quote_ids, *expected)


@pytest.mark.parametrize("since, until", [("2022-02", "2022-01"), ("2022-01-13", "2022-01-12"), ("2023", "2022-12-31"),
                                          (datetime(2022, 1, 12, 10, 1), datetime(2022, 1, 12, 10, 0))])
def test_since_after_until_is_refused(session, quote_ids, since, until):
    with pytest.raises(InvalidQuery, match="since must not be after until"):
        found(session, since=since, until=until)


@pytest.mark.parametrize("value", ["2022-13", "22", "2022-1-5", "12/01/2022", "2022-02-30", "hier"])
def test_a_bad_date_says_the_expected_format_with_an_example(session, value):
    with pytest.raises(InvalidQuery, match=r"since must be YYYY, YYYY-MM or YYYY-MM-DD \(e\.g\. 2022, 2022-01, 2022-01-31\)"):
        found(session, since=value)


@pytest.mark.parametrize(
    "q, expected",
    [
        ("securite", ["securite"]),
        ("SÉCURITÉ", ["securite"]),
        ("sécurité européenne", ["securite"]),
        ("europeenne securite", ["securite"]),  # every word, any order
        ('"est en jeu"', ["securite"]),  # a phrase
        ('"jeu en est"', []),
        ("secur*", ["securite"]),  # a prefix
        ("secur", []),
        ("l'Ukraine", ["ukraine"]),
        ("l’ukraine", ["ukraine"]),
        ("UE", ["contribution"]),
        ("100", ["accord"]),
        ("russie", ["unis"]),
        ("sécurité russie", []),
    ],
)
def test_full_text_ignores_case_and_accents(session, quote_ids, q, expected):
    assert found(session, q=q) == names(quote_ids, *expected)


def test_filters_combine(session, quote_ids):
    assert found(session, speaker="stoltenberg", q="unis") == names(quote_ids, "unis")
    assert found(session, speaker="stoltenberg", source="ATS", type="direct") == names(quote_ids, "securite")
    assert found(session, speaker="borrell", q="unis") == []


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_filters_are_ignored(session, quote_ids, blank):
    assert found(session, speaker=blank, q=blank, source=blank) == sorted(quote_ids.values())


HOSTILE = [
    "NEAR(", "NEAR(a b", '"', '"unbalanced', "'", "''", "--", "%", "_", "%%", "\\", "a OR b", "NOT", "AND", "*",
    "quote:securite", "^securite", "securite)", "(", "{quote}: x", "'; DROP TABLE quotes; --",
    "1' OR '1'='1", "\x00", "🙂", "‮evil", "a" * 400,
]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["q", "speaker", "source"])
def test_hostile_input_gives_results_or_invalid_query(session, quote_ids, field, value):
    try:
        result = found(session, **{field: value})
    except InvalidQuery as exc:
        assert exc.message
    else:
        assert isinstance(result, list)
    assert session.scalar(select(func.count()).select_from(Quote)) == len(quote_ids)  # nothing was harmed


@pytest.mark.parametrize("value", ["%", "_", "%%", "\\"])
def test_like_wildcards_in_speaker_match_nothing(session, quote_ids, value):
    assert found(session, speaker=value) == []


def test_hostile_words_are_searched_as_text(session, quote_ids):
    assert found(session, q="NEAR(x") == names(quote_ids, "accord")
    assert found(session, q="'oui' --") == names(quote_ids, "accord")
    assert found(session, q="tous") == names(quote_ids, "accord")


@pytest.mark.parametrize("q", ["%", "--", "'", '"', "()", "*"])
def test_query_without_a_word_is_refused(session, q):
    with pytest.raises(InvalidQuery):
        fts5_query(q)


def test_query_length_is_bounded(session):
    with pytest.raises(InvalidQuery):
        found(session, q=" ".join(["mot"] * 33))
    with pytest.raises(InvalidQuery):
        found(session, speaker="x" * 501)


@pytest.mark.parametrize(
    "refused, field",
    [
        (lambda: quote_select(QuoteFilters(q="%")), "q"),
        (lambda: quote_select(QuoteFilters(q=" ".join(["mot"] * 33))), "q"),
        (lambda: quote_select(QuoteFilters(q="x" * 501)), "q"),
        (lambda: quote_select(QuoteFilters(speaker="---")), "speaker"),
        (lambda: quote_select(QuoteFilters(speaker="x" * 501)), "speaker"),
        (lambda: quote_select(QuoteFilters(source="x" * 501)), "source"),
        (lambda: quote_select(QuoteFilters(type="rumeur")), "type"),
        (lambda: speaker_select(q="---"), "q"),
    ],
)
def test_a_refused_filter_names_its_field(refused, field):
    # The search page puts its French explanation beside this field.
    with pytest.raises(InvalidQuery) as raised:
        refused()
    assert raised.value.field == field


@pytest.mark.parametrize("page, per_page, field", [(0, 10, "page"), (1, 0, "per_page")])
def test_a_refused_page_names_its_field(session, page, per_page, field):
    with pytest.raises(InvalidQuery) as raised:
        page_of(session, quote_select(QuoteFilters()), page, per_page)
    assert raised.value.field == field


def test_fts5_query_quotes_every_term():
    assert fts5_query('NEAR(a, b) "le chef" secur* OR') == '"NEAR" "a" "b" "le chef" "secur"* "OR"'


def test_page_of_pages_in_a_stable_order(session, quote_ids):
    stmt = quote_select(QuoteFilters(sort="date"))
    all_ids = sorted(quote_ids.values())
    pages = [page_of(session, stmt, page, 4) for page in (1, 2, 3)]
    assert [[q.id for q in items] for items, _ in pages] == [all_ids[:4], all_ids[4:], []]
    assert {total for _, total in pages} == {7}
    assert count(session, quote_select(QuoteFilters(speaker="stoltenberg"))) == 2


def test_page_items_carry_speaker_and_document(session, quote_ids):
    items, _ = page_of(session, quote_select(QuoteFilters(speaker="le drian")), 1, 10)
    [item] = items
    assert (item.speaker.name, item.document.title, item.document.source) == ("Jean-Yves Le Drian", "Ukraine",
                                                                              "Le Monde")
    assert item.document.published_at == datetime(2022, 2, 1, 23, 30)


@pytest.mark.parametrize("page, per_page", [(0, 10), (-1, 10), (1, 0), (1, -5)])
def test_page_of_refuses_bad_pages(session, page, per_page):
    with pytest.raises(InvalidQuery):
        page_of(session, quote_select(QuoteFilters()), page, per_page)


def test_speakers_with_quote_counts_the_most_quoted_first_or_by_name(session, quote_ids):
    rows = session.execute(speaker_select()).all()
    assert [(speaker.name, n) for speaker, n in rows] == [
        ("Jens Stoltenberg", 2), ("Jean-Yves Le Drian", 1), ("Josep Borrell", 1), ("Mette Frederiksen", 1),
        ("Valéry Giscard d’Estaing", 1)]
    rows = session.execute(speaker_select(sort="name")).all()
    assert [speaker.name for speaker, _ in rows] == [
        "Jean-Yves Le Drian", "Jens Stoltenberg", "Josep Borrell", "Mette Frederiksen", "Valéry Giscard d’Estaing"]
    with pytest.raises(InvalidQuery):
        speaker_select(sort="age")


@pytest.mark.parametrize(
    "q, expected",
    [
        ("stol", ["Jens Stoltenberg"]),
        ("STOLTENBERG", ["Jens Stoltenberg"]),
        ("je", ["Jean-Yves Le Drian", "Jens Stoltenberg"]),
        ("yv", ["Jean-Yves Le Drian"]),
        ("valery gis", ["Valéry Giscard d’Estaing"]),
        ("estaing", ["Valéry Giscard d’Estaing"]),
        ("toltenberg", []),
        ("%", []),
        ("_", []),
    ],
)
def test_speaker_search_matches_word_starts(session, quote_ids, q, expected):
    assert [speaker.name for speaker, _ in session.execute(speaker_select(q, sort="name"))] == expected


def test_speaker_page_and_counts_follow_deletes(session, quote_ids):
    items, total = page_of(session, speaker_select(sort="name"), 2, 2)
    assert total == 5
    assert [speaker.name for speaker, _ in items] == ["Josep Borrell", "Mette Frederiksen"]
    delete_document(session, session.get(Quote, quote_ids["securite"]).document_id)
    session.commit()
    rows = session.execute(speaker_select(sort="name")).all()
    assert [(speaker.name, n) for speaker, n in rows] == [
        ("Jean-Yves Le Drian", 1), ("Jens Stoltenberg", 1), ("Mette Frederiksen", 1), ("Valéry Giscard d’Estaing", 1)]


@pytest.mark.parametrize(
    "speaker, expected",
    [("stoltenberg", ["securite", "unis"]), ("jens", ["securite", "unis"]), ("e", []), ("le drian", ["ukraine"]),
     ("nobody", [])],
)
def test_speaker_resolved_with_a_session_gives_the_same_results(session, quote_ids, speaker, expected):
    resolved = [q.id for q in session.scalars(quote_select(QuoteFilters(speaker=speaker, sort="date"), session=session))]
    assert resolved == found(session, speaker=speaker) == names(quote_ids, *expected)


def test_speaker_resolved_to_one_id_is_an_equality(session, quote_ids):
    sql = str(quote_select(QuoteFilters(speaker="stoltenberg"), session=session))
    assert "quotes.speaker_id = " in sql and "speaker_words" not in sql
    assert "speaker_words" in str(quote_select(QuoteFilters(speaker="stoltenberg")))


def test_many_matching_speakers_stay_a_subquery(session, monkeypatch, quote_ids, make_quote):
    monkeypatch.setattr("quotes.search.SPEAKERS_RESOLVED", 1)
    stmt = quote_select(QuoteFilters(speaker="jean yves le drian"), session=session)  # one match: resolved
    assert "speaker_words" not in str(stmt)
    junior = "«Oui», dit Jean-Yves Le Drian Junior."
    save_document(session, DocumentInput(junior), [make_quote(junior, "Oui", speaker="Jean-Yves Le Drian Junior")])
    session.commit()
    stmt = quote_select(QuoteFilters(speaker="le drian"), session=session)  # two matches, over the limit
    assert "speaker_words" in str(stmt)
    assert [q.quote for q in session.scalars(stmt)] == ["Nous défendrons l’Ukraine", "Oui"]


@pytest.mark.parametrize("sort", ["-date", "date"])
@pytest.mark.parametrize("q", ["unis", "est", "la", "ukraine accord", "d'accord"])
def test_words_alone_read_by_date_or_sorted_give_the_same_pages(session, quote_ids, monkeypatch, sort, q):
    stmt = quote_select(QuoteFilters(q=q, sort=sort), session=session)
    pages = {}
    for most_sorted in (0, 10**9):  # every search read along the date index, then every search sorted
        monkeypatch.setattr("quotes.search.FTS_SORTED_MAX", most_sorted)
        pages[most_sorted] = [[quote.id for quote in page_of(session, stmt, page, 2)[0]] for page in (1, 2, 3)]
    assert pages[0] == pages[10**9]
    assert [i for page in pages[0] for i in page] == found(session, q=q, sort=sort)


# The OpenAPI document publishes NAME_PATTERN and WORDS_PATTERN: a value matches (in Python's re and
# in an ECMAScript engine, as JSON Schema validators read patterns) if and only if the search takes it.

def accepted(search_with, value) -> bool:
    try:
        search_with(value)
    except InvalidQuery:
        return False
    return True


def by_name(value):
    quote_select(QuoteFilters(speaker=value))
    speaker_select(value)


def by_words(value):
    quote_select(QuoteFilters(q=value))


def matches(pattern: str, value: str) -> bool:
    in_python = re.search(pattern, value) is not None
    in_ecmascript = jsonschema_rs.validator_for({"type": "string", "pattern": pattern}).is_valid(value)
    assert in_python is in_ecmascript, (pattern, value)
    return in_python


@pytest.mark.parametrize("value, expected", [
    ("stoltenberg", True), ("Ζ", True), ("_", True), ("%", True), ("²", True), ("  ", True),  # blank: no filter
    ("\u0301", True), ("＇", True),  # fold to nothing: searched, match nobody
    ("---", False), ("'", False), ("-- ’ ‘ ʼ ′ ` ´ --", False), ("\ufeff", True), ("\x1c \x85", True),
])
def test_name_filters_need_more_than_separators(value, expected):
    assert accepted(by_name, value) is expected
    assert matches(NAME_PATTERN, value) is expected


@pytest.mark.parametrize("value, expected", [
    ("unis", True), ("\u31e8", True), ("«", True), ("¬", True),  # words the index has no letter of: nothing found
    ("%", False), ("_", False), ("-)", False), ("  ", True), ('"nous restons"', True),
    (" ".join(["mot"] * 32), True), (" ".join(["mot"] * 33), False), ('"' + " ".join(["mot"] * 33) + '"', False),
    ("mot* " * 32, True), ("\ufeff", True), ("\x1c", True),
])
def test_words_filter_needs_one_to_32_words(value, expected):
    assert accepted(by_words, value) is expected
    assert matches(WORDS_PATTERN, value) is expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.one_of(st.sampled_from(" -'’\"*%_()\u0301ʼ²\ufeff\x1c\x85«"), st.characters(exclude_categories=("Cs",))), max_size=80))
def test_the_published_patterns_say_what_the_search_takes(value):
    assert accepted(by_name, value) is matches(NAME_PATTERN, value)
    assert accepted(by_words, value) is matches(WORDS_PATTERN, value)


def test_words_without_a_letter_the_index_knows_find_nothing(session, quote_ids):
    assert found(session, q="«") == [] and found(session, q="« ¬") == []


def test_a_repeated_word_is_searched_once():
    assert fts5_query("unis unis, UNIS") == '"unis" "UNIS"'
