"""Each backend's own search machinery: the indexes the searches read, and where their matching differs."""
import pytest
from sqlalchemy import select

from quotes.models import Quote, Speaker
from quotes.search import QuoteFilters, fts_filter, quote_order, quote_select, speaker_name_matches, speaker_name_starts
from quotes.store import DocumentInput, save_document

TEXT = ("«Les sanctions économiques sont prêtes», a déclaré Øystein Ødegård. "
        "«La sécurité européenne est en jeu», a déclaré Jens Stoltenberg.")


@pytest.fixture
def stored(session, make_quote):
    quotes = [make_quote(TEXT, "Les sanctions économiques sont prêtes", speaker="Øystein Ødegård"),
              make_quote(TEXT, "La sécurité européenne est en jeu", speaker="Jens Stoltenberg")]
    save_document(session, DocumentInput(TEXT), quotes)
    session.commit()


def plan(session, stmt) -> str:
    """The database's plan for ``stmt``; PostgreSQL told to avoid sequential scans, which tiny tables would get."""
    connection = session.connection()
    compiled = stmt.compile(dialect=connection.dialect)
    if connection.dialect.name == "sqlite":
        params = tuple(compiled.params[name] for name in compiled.positiontup)
        return "\n".join(str(row) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params))
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    return "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params))


# What each backend's plan names when the search reads its index.
FULL_TEXT_INDEX = {"sqlite": "quotes_fts VIRTUAL TABLE INDEX", "postgresql": "ix_quotes_quote_tsv"}


def test_full_text_search_reads_the_full_text_index(session, stored, backend):
    assert FULL_TEXT_INDEX[backend] in plan(session, select(Quote.id).where(fts_filter("sécurité")))


@pytest.mark.parametrize("condition", [speaker_name_matches("ødegard"), speaker_name_starts("øy")], ids=["word", "prefix"])
def test_speaker_search_reads_the_word_index(session, stored, condition):
    assert "ix_speaker_words_word" in plan(session, select(Speaker.id).where(condition))


@pytest.mark.parametrize("speaker", ["Øystein Ødegård", "ødegard", "ØDEGÅRD", "øystein"])
def test_speaker_search_ignores_case_and_accents_beyond_latin(session, stored, speaker):
    found = session.scalars(quote_select(QuoteFilters(speaker=speaker), session=session)).unique().all()
    assert [quote.speaker.name for quote in found] == ["Øystein Ødegård"]


@pytest.mark.parametrize("prefix", ["øy", "ØYS", "ødeg"])
def test_speaker_prefix_search_beyond_latin(session, stored, prefix):
    assert session.scalars(select(Speaker.name).where(speaker_name_starts(prefix))).all() == ["Øystein Ødegård"]


# (words, quotes found on SQLite, on PostgreSQL): SQLite matches whole words, PostgreSQL their French stems.
WORD_FORMS = [
    ("sanctions", ["sanctions"], ["sanctions"]),
    ("SANCTION", [], ["sanctions"]),
    ("economique", [], ["sanctions"]),
    ("économiques", ["sanctions"], ["sanctions"]),
    ('"est en jeu"', ["securite"], ["securite"]),  # words the French stop list holds are searched too
    ('"jeu en est"', [], []),
    ("en", ["securite"], ["securite"]),
    ("europ*", ["securite"], ["securite"]),
]


@pytest.mark.parametrize("words, on_sqlite, on_postgresql", WORD_FORMS)
def test_word_forms(session, stored, backend, words, on_sqlite, on_postgresql):
    quotes = session.scalars(select(Quote.quote).where(fts_filter(words)).order_by(Quote.id)).all()
    found = ["sanctions" if "sanctions" in q else "securite" for q in quotes]
    assert found == {"sqlite": on_sqlite, "postgresql": on_postgresql}[backend]


@pytest.mark.parametrize("filters", [{"speaker": "stolten\x00berg"}, {"speaker": "\x00"}, {"source": "A\x00FP"}],
                         ids=["speaker", "speaker alone", "source"])
def test_a_filter_holding_nul_matches_nothing(session, stored, filters):
    # PostgreSQL can neither store NUL nor be asked about it; the published patterns accept it.
    assert session.scalars(quote_select(QuoteFilters(**filters), session=session)).unique().all() == []
    assert session.scalars(select(Speaker.name).where(speaker_name_starts("stol\x00"))).all() == []


# What each backend's plan names when a listing's first page, newest first, is read from an index in that order.
NEWEST_FIRST = {"sqlite": "ix_quotes_published_at", "postgresql": "ix_quotes_published_at_desc"}


def test_a_listing_newest_first_reads_an_index_in_that_order(session, stored, backend):
    page = select(Quote.id).order_by(*quote_order("-date")).limit(20)
    assert NEWEST_FIRST[backend] in plan(session, page)
