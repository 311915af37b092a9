"""Paging quotes ids-first and counting word searches in the full-text index give what a plain query gives."""
import pytest

from quotes.search import QuoteFilters, count, page_of, quote_select
from quotes.store import DocumentInput, delete_document, save_document

SPEAKERS = ["Jens Stoltenberg", "Josep Borrell", "Jean-Yves Le Drian", None]
WORDS = ["sécurité européenne", "sanctions coordonnées", "paix durable", "dialogue ouvert"]


@pytest.fixture
def stored(session, make_quote):
    """Twelve documents of three quotes each, speakers and words interleaved; returns the documents' ids."""
    ids = []
    for n in range(12):
        numbers = range(n * 3, n * 3 + 3)
        text = f"Dépêche {n}. " + " ".join(
            f"«La {WORDS[i % 4]} compte, numéro {i}», a déclaré {SPEAKERS[i % 4] or 'un diplomate'}." for i in numbers
        )
        quotes = [make_quote(text, f"La {WORDS[i % 4]} compte, numéro {i}", speaker=SPEAKERS[i % 4]) for i in numbers]
        document, _ = save_document(session, DocumentInput(text, source="ATS" if n % 2 else "AFP"), quotes)
        ids.append(document.id)
    session.commit()
    return ids


FILTERS = [
    QuoteFilters(),
    QuoteFilters(q="sécurité"),
    QuoteFilters(q="securite europeenne"),
    QuoteFilters(q='"sanctions coordonnées"'),
    QuoteFilters(q="sécu*"),
    QuoteFilters(q="absent"),
    QuoteFilters(speaker="stoltenberg"),
    QuoteFilters(speaker="Jean-Yves Le Drian"),
    QuoteFilters(speaker="j"),
    QuoteFilters(speaker="borrell", q="sanctions"),
    QuoteFilters(q="paix", source="ATS"),
    QuoteFilters(q="dialogue", type="direct"),
]


@pytest.mark.parametrize("with_session", [False, True])
@pytest.mark.parametrize("filters", FILTERS, ids=repr)
def test_pages_are_the_plain_query_cut_in_pieces(session, stored, filters, with_session):
    stmt = quote_select(filters, session=session) if with_session else quote_select(filters)
    expected = [q.id for q in session.scalars(stmt)]
    pages = [page_of(session, stmt, page, 5) for page in range(1, 10)]
    assert [q.id for items, _ in pages for q in items] == expected
    assert {total for _, total in pages} == {len(expected)}
    assert count(session, stmt) == len(expected)


def test_word_search_alone_counts_and_pages_in_the_index(session, stored):
    stmt = quote_select(QuoteFilters(q="paix"))
    assert stmt.get_execution_options()["quotes_fts_query"] == '"paix"'
    assert "quotes_fts_query" not in quote_select(QuoteFilters(q="paix", source="ATS")).get_execution_options()
    items, total = page_of(session, stmt, 2, 3)
    assert total == 9
    assert [q.quote for q in items] == [f"La paix durable compte, numéro {i}" for i in (14, 18, 22)]
    assert {q.speaker.name for q in items} == {"Jean-Yves Le Drian"}
    assert all(q.document.source in ("AFP", "ATS") for q in items)


def test_index_counts_follow_deletes(session, stored):
    stmt = quote_select(QuoteFilters(q="paix"))
    delete_document(session, stored[0])
    delete_document(session, stored[4])
    session.commit()
    assert count(session, stmt) == 7
    assert len(page_of(session, stmt, 1, 100)[0]) == 7
