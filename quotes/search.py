"""Searching quotes and speakers: filters turned into SQLAlchemy selects.

Every user value reaches the database as a bound parameter; LIKE wildcards
and full-text syntax in user input are escaped, so input such as ``%``,
``'``, ``--`` or ``NEAR(`` is searched for as text, never interpreted.
Dialect-specific SQL lives in ``fts_filter`` only: it is written when a
statement is compiled for its database, so a select built here runs on
SQLite and on PostgreSQL alike.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Boolean, ColumnElement, Select, String, and_, false, func, literal, literal_column, select, text
from sqlalchemy.exc import CompileError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, joinedload

from . import dates
from .extract import QUOTE_TYPES
from .extract.record import SPEAKER_KINDS
from .models import Document, Quote, Speaker, SpeakerWord
from .text import NAME_SEPARATOR_CLASS, WHITESPACE_CLASS, fold, name_words

MAX_QUERY_WORDS = 32
MAX_FILTER_LENGTH = 500
# Far beyond any real archive; keeps OFFSET inside SQLite's 64-bit integers.
MAX_PAGE = 10**9

# What separates the words of a full-text query: blanks, and ASCII characters other than letters and digits.
_QUERY_SEPARATOR_CLASS = r"\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f" + WHITESPACE_CLASS
_QUERY_WORD = re.compile(f"[^{_QUERY_SEPARATOR_CLASS}]+")
_NAME_CHARACTER = re.compile(f"[^{NAME_SEPARATOR_CLASS}]")
# The OpenAPI document publishes these, in character classes that Python and ECMAScript read
# alike: a value matches if and only if the search takes it (a blank value is no filter).
NAME_PATTERN = f"^[{WHITESPACE_CLASS}]*$|{_NAME_CHARACTER.pattern}"
WORDS_PATTERN = (
    f"^[{WHITESPACE_CLASS}]*$"
    f"|^[{_QUERY_SEPARATOR_CLASS}]*{_QUERY_WORD.pattern}"
    f"([{_QUERY_SEPARATOR_CLASS}]+{_QUERY_WORD.pattern}){{0,{MAX_QUERY_WORDS - 1}}}[{_QUERY_SEPARATOR_CLASS}]*$"
)
# Up to this many speakers, a speaker filter given a session becomes a list of ids.
SPEAKERS_RESOLVED = 100
# What a quote listing shows of its document.
DOCUMENT_SUMMARY = (Document.id, Document.title, Document.url, Document.source, Document.published_at,
                    Document.published_offset, Document.published_on)
# How quotes can be listed: by publication date, oldest or newest first (undated ones last either way).
QUOTE_SORTS = ("date", "-date")
SPEAKER_SORTS = ("quotes", "name")


class InvalidQuery(ValueError):
    """A filter value the search refuses (the API answers 400): the field it is about, and why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field  # the query argument (and form field) refused: "q", "speaker", "page", ...
        self.message = message


@dataclass
class QuoteFilters:
    speaker: str | None = None  # full name or any word of it, case and accents ignored
    speaker_id: int | None = None
    q: str | None = None  # words in the quote (full text)
    document_id: int | None = None
    source: str | None = None  # the source's name, case and accents ignored
    # Published in or after / in or before: a year, month or day (dates.Period, or a date: that day)
    # compares the publication's own date; a datetime compares the instant.
    since: dates.Period | datetime | date | str | None = None
    until: dates.Period | datetime | date | str | None = None
    type: str | None = None  # one of QUOTE_TYPES
    sort: str = "-date"  # one of QUOTE_SORTS


def quote_conditions(filters: QuoteFilters, session: Session | None = None) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``quotes`` for ``filters`` (subqueries, so no join is needed).

    With a ``session``, the speaker filter is resolved to speaker ids first
    (one indexed look-up): a single speaker then becomes ``speaker_id = ?``,
    which reads that speaker's quotes already in id order, where an IN
    subquery makes the database sort all of them to return the first page.
    """
    conditions: list[ColumnElement[bool]] = []
    speaker = _clean(filters.speaker, "speaker")
    if speaker is not None:
        matching = select(Speaker.id).where(speaker_name_matches(speaker))
        if session is not None:
            ids = session.scalars(matching.order_by(Speaker.id).limit(SPEAKERS_RESOLVED + 1)).all()
            if len(ids) == 1:
                conditions.append(Quote.speaker_id == ids[0])
            elif len(ids) <= SPEAKERS_RESOLVED:
                conditions.append(Quote.speaker_id.in_(ids) if ids else false())
            else:
                conditions.append(Quote.speaker_id.in_(matching))
        else:
            conditions.append(Quote.speaker_id.in_(matching))
    if filters.speaker_id is not None:
        conditions.append(Quote.speaker_id == filters.speaker_id)
    q = _clean(filters.q, "q")
    if q is not None:
        conditions.append(fts_filter(q))
    if filters.document_id is not None:
        conditions.append(Quote.document_id == filters.document_id)
    if filters.type is not None:
        if filters.type not in QUOTE_TYPES:
            raise InvalidQuery("type", f"type must be one of {', '.join(QUOTE_TYPES)}")
        conditions.append(Quote.type == filters.type)
    document_conditions = []
    source = _clean(filters.source, "source")
    if source is not None:
        document_conditions.append(Document.source_key == fold(source) if _storable(source) else false())
    document_conditions += _date_conditions(filters.since, filters.until)
    if document_conditions:
        conditions.append(Quote.document_id.in_(select(Document.id).where(*document_conditions)))
    return conditions


def quote_select(filters: QuoteFilters, session: Session | None = None) -> Select:
    """Quotes matching ``filters``, with speaker and document loaded, in ``filters.sort`` order.

    Pass the ``session`` that will run it: searches by speaker are then much
    faster for speakers with many quotes (see ``quote_conditions``).
    """
    if filters.sort not in QUOTE_SORTS:
        raise InvalidQuery("sort", f"sort must be one of {', '.join(QUOTE_SORTS)}")
    # Eager loads, not explicit joins: a count over this select (as a
    # subquery) then reads the quotes table alone.
    stmt = (
        _quotes_with_details()
        .where(*quote_conditions(filters, session))
        .order_by(*quote_order(filters.sort))
        .execution_options(quotes_sort=filters.sort)
    )
    if _words_alone(filters) and fts5_query(filters.q) is not None:
        # Words and no other filter: on SQLite, count and page straight from the
        # full-text index (see page_of), never reading a quote row per match.
        stmt = stmt.execution_options(quotes_fts_query=fts5_query(filters.q))
    return stmt


def quote_order(sort: str) -> list[ColumnElement]:
    """ORDER BY of a quote listing: by publication date, undated last, then in stored order (an index reads it so)."""
    published = Quote.published_at.desc() if sort == "-date" else Quote.published_at.asc()
    return [published.nulls_last(), Quote.id]


def _quotes_with_details() -> Select:
    return select(Quote).options(
        joinedload(Quote.speaker),
        # Not the document's text: it can be long and a page of quotes does not show it.
        joinedload(Quote.document, innerjoin=True).load_only(*DOCUMENT_SUMMARY),
    )


def speaker_select(q: str | None = None, kind: str | None = None, sort: str = "quotes") -> Select:
    """(Speaker, quote_count) rows; ``q`` matches the start of any word of the name.

    ``sort``: "quotes", the most quoted first, or "name"; then by name and id.
    """
    quote_count = (
        select(func.count(Quote.id)).where(Quote.speaker_id == Speaker.id).correlate(Speaker).scalar_subquery()
    ).label("quote_count")
    if sort not in SPEAKER_SORTS:
        raise InvalidQuery("sort", f"sort must be one of {', '.join(SPEAKER_SORTS)}")
    order = [Speaker.name, Speaker.id] if sort == "name" else [quote_count.desc(), Speaker.name, Speaker.id]
    stmt = select(Speaker, quote_count).order_by(*order)
    q = _clean(q, "q")
    if q is not None:
        stmt = stmt.where(speaker_name_starts(q))
    if kind is not None:
        if kind not in SPEAKER_KINDS:
            raise InvalidQuery("kind", f"kind must be one of {', '.join(SPEAKER_KINDS)}")
        stmt = stmt.where(Speaker.kind == kind)
    return stmt


def speaker_roles(session: Session, speaker_ids) -> dict[int, list[tuple[str, int]]]:
    """The roles the quotes of each speaker carry, with how many quotes carry each, the most frequent first."""
    ids = sorted(set(speaker_ids))
    roles: dict[int, list[tuple[str, int]]] = {id_: [] for id_ in ids}
    if not ids:
        return roles
    carried = func.count(Quote.id)
    rows = session.execute(
        select(Quote.speaker_id, Quote.role, carried)
        .where(Quote.speaker_id.in_(ids), Quote.role.is_not(None))
        .group_by(Quote.speaker_id, Quote.role)
        .order_by(Quote.speaker_id, carried.desc(), Quote.role)
    )
    for speaker_id, role, n in rows:
        roles[speaker_id].append((role, n))
    return roles


def speaker_name_matches(name: str) -> ColumnElement[bool]:
    """True for speakers whose name holds ``name`` as whole words (case, accents, hyphens ignored)."""
    words = _name_words(name, "speaker")
    if not words:
        return false()
    # The word index narrows the speakers to a few; the LIKE then checks the words are consecutive.
    # Looked up by the longest word, the last of equals: a surname rather than a common first name.
    rarest = max(reversed(words), key=len)
    condition = Speaker.id.in_(select(SpeakerWord.speaker_id).where(SpeakerWord.word == rarest))
    if len(words) > 1:
        condition = and_(condition, _padded_key().like(f"% {_escape_like(' '.join(words))} %", escape="\\"))
    return condition


def speaker_name_starts(prefix: str) -> ColumnElement[bool]:
    """True for speakers with a word starting with ``prefix`` (several words: consecutive, the last one a prefix)."""
    words = _name_words(prefix, "q")
    if not words:
        return false()
    if len(words) == 1:
        # A range, not LIKE 'x%': it uses the index in every database.
        first = and_(SpeakerWord.word >= words[0], SpeakerWord.word < words[0] + "\U0010ffff")
    else:
        first = SpeakerWord.word == words[0]
    condition = Speaker.id.in_(select(SpeakerWord.speaker_id).where(first))
    if len(words) > 1:
        condition = and_(condition, _padded_key().like(f"% {_escape_like(' '.join(words))}%", escape="\\"))
    return condition


def fts_filter(words: str) -> ColumnElement[bool]:
    """Quotes whose text holds every word of ``words`` (a "quoted phrase" as a phrase; ``word*`` as a prefix).

    Case and accents never matter. SQLite matches whole words (FTS5, migration
    0002); PostgreSQL matches words by their French stem, so "sanction" also
    finds "sanctions" (a GIN index on the quotes' stored tsvector, migration 0005).
    """
    terms = search_terms(words)
    return _WordsMatch(terms) if terms else false()


@dataclass(frozen=True)
class SearchTerm:
    """One part of a word search, every part required: a word, a word's prefix, or a phrase."""

    words: tuple[str, ...]
    prefix: bool = False  # the (single) word is a prefix

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1


def search_terms(words: str) -> list[SearchTerm]:
    """The terms of user input, each once: a balanced "..." is a phrase, ``word*`` a prefix, any other
    character that is not part of a word a space.

    Refused without a word or with more than MAX_QUERY_WORDS (see WORDS_PATTERN); empty when
    its words hold no letter or digit the index knows ("«", "¬"): such a search matches nothing.
    """
    count = len(_QUERY_WORD.findall(words))
    if not count:
        raise InvalidQuery("q", "q must contain at least one word")
    if count > MAX_QUERY_WORDS:
        raise InvalidQuery("q", f"q may hold at most {MAX_QUERY_WORDS} words")
    terms = []
    for phrase, term, star in re.findall(r'"([^"]*)"|(\w+)(\*?)', words):
        if phrase:
            tokens = tuple(re.findall(r"\w+", phrase))
            if tokens:
                terms.append(SearchTerm(tokens))
        elif term:
            terms.append(SearchTerm((term,), prefix=bool(star)))
    # Each term once: a word repeated adds nothing to an AND but the index's work.
    return list(dict.fromkeys(terms))


def fts5_query(words: str) -> str | None:
    """An FTS5 MATCH expression for user input: terms and phrases, each a quoted string, ANDed; None when
    it holds no term (see search_terms)."""
    return _fts5_expression(search_terms(words)) or None


def _fts5_expression(terms: list[SearchTerm]) -> str:
    return " ".join('"' + " ".join(term.words) + '"' + ("*" if term.prefix else "") for term in terms)


class _WordsMatch(ColumnElement[bool]):
    """``fts_filter``'s condition; each database's SQL is written by the function compiled for it below."""

    type = Boolean()
    inherit_cache = False  # the SQL's shape follows the terms: statements holding it are compiled each time

    def __init__(self, terms: list[SearchTerm]):
        self.terms = terms


@compiles(_WordsMatch, "sqlite")
def _fts5_match(element: _WordsMatch, compiler, **kw) -> str:
    matching = text("SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :fts_query").bindparams(
        fts_query=_fts5_expression(element.terms)
    )
    return compiler.process(Quote.id.in_(matching), **kw)


# The text-search configuration of migration 0005, and the column holding each quote's vector in it
# (generated by the database, mapped by no model).
_CONFIG = text("'quotes_french'::regconfig")
_QUOTE_TSV = literal_column("quotes.quote_tsv")


@compiles(_WordsMatch, "postgresql")
def _tsquery_match(element: _WordsMatch, compiler, **kw) -> str:
    # Each term through its own function, its words a bound parameter: no tsquery syntax is read
    # from user input. A prefix is one quoted lexeme ('\w+':*), and \w holds no quote.
    parts = []
    for term in element.terms:
        if term.phrase:
            parts.append(func.phraseto_tsquery(_CONFIG, " ".join(term.words)))
        elif term.prefix:
            parts.append(func.to_tsquery(_CONFIG, f"'{term.words[0]}':*"))
        else:
            parts.append(func.plainto_tsquery(_CONFIG, term.words[0]))
    query = parts[0]
    for part in parts[1:]:
        query = query.op("&&")(part)
    return compiler.process(_QUOTE_TSV.op("@@")(query), **kw)


@compiles(_WordsMatch)
def _no_full_text(element: _WordsMatch, compiler, **kw) -> str:
    raise CompileError(f"full-text search is not written for {compiler.dialect.name}")


# With fts_filter, the only SQLite full-text SQL: counting and paging a words-only search.
_FTS_COUNT = text("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH :fts_query")
# A page of many matches by date: read the date index in order and keep the matches (the first
# are found at once), rather than sort every match; a few matches are sorted (the index would
# be read to its end). Measured on 300,000 quotes: a word in 58,000 quotes 153 ms sorted, 16 ms
# read in order; a word in 30 quotes 0.1 ms sorted, 30 ms read in order.
FTS_SORTED_MAX = 1000
_FTS_PAGE_BY_DATE = {
    sort: text(
        "SELECT id FROM quotes INDEXED BY ix_quotes_published_at "
        "WHERE id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH :fts_query) "
        f"ORDER BY published_at {direction} NULLS LAST, id LIMIT :limit OFFSET :offset"
    )
    for sort, direction in (("-date", "DESC"), ("date", "ASC"))
}


def count(session: Session, stmt: Select) -> int:
    """Number of rows ``stmt`` returns."""
    fts_query = _fts5_shortcut(session, stmt)
    if fts_query is not None:
        # The index holds exactly the quotes' rows (the triggers keep it in step).
        return session.scalar(_FTS_COUNT, {"fts_query": fts_query})
    if _is_quote_select(stmt):
        # Its conditions are on quotes alone (subqueries): no join to count them.
        return session.scalar(select(func.count()).select_from(Quote).where(*_conditions_of(stmt)))
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def page_of(session: Session, stmt: Select, page: int, per_page: int) -> tuple[list, int]:
    """(rows of page ``page``, total rows); pages count from 1."""
    if page < 1:
        raise InvalidQuery("page", "page must be at least 1")
    if per_page < 1:
        raise InvalidQuery("per_page", "per_page must be at least 1")
    total = count(session, stmt)
    offset = (page - 1) * per_page
    if _is_quote_select(stmt):
        # The page's ids first, from the quotes table alone; then only those
        # quotes are read with their documents and speakers. Loading first
        # would load every match before sorting them (tens of thousands for a
        # much-quoted name or a common word).
        sort = stmt.get_execution_options().get("quotes_sort", "-date")
        fts_query = _fts5_shortcut(session, stmt)
        if fts_query is not None and total > FTS_SORTED_MAX:
            page_ids = _FTS_PAGE_BY_DATE[sort].bindparams(fts_query=fts_query, limit=per_page, offset=offset)
        else:
            page_ids = select(Quote.id).where(*_conditions_of(stmt)).order_by(*quote_order(sort)).limit(per_page).offset(offset)
        page_ids = list(session.scalars(page_ids))
        rows = {quote.id: quote for quote in session.scalars(_quotes_with_details().where(Quote.id.in_(page_ids)))}
        return [rows[id_] for id_ in page_ids if id_ in rows], total
    paged = stmt.limit(per_page).offset(offset)
    if len(stmt.column_descriptions) == 1:
        items = list(session.scalars(paged))
    else:
        items = list(session.execute(paged))
    return items, total


def _conditions_of(stmt: Select) -> list[ColumnElement[bool]]:
    return [stmt.whereclause] if stmt.whereclause is not None else []


def _fts5_shortcut(session: Session, stmt: Select) -> str | None:
    """The FTS5 query to count and page ``stmt`` with, on SQLite, when words are its only filter."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    return stmt.get_execution_options().get("quotes_fts_query")


def _is_quote_select(stmt: Select) -> bool:
    """A select of whole Quote rows whose conditions are on quotes alone (as quote_select makes them)."""
    descriptions = stmt.column_descriptions
    return len(descriptions) == 1 and descriptions[0]["expr"] is Quote


def _words_alone(filters: QuoteFilters) -> bool:
    """True when ``q`` is the only filter given."""
    others = (filters.speaker, filters.speaker_id, filters.document_id, filters.source, filters.since,
              filters.until, filters.type)
    return _clean(filters.q, "q") is not None and all(
        value is None or (isinstance(value, str) and not value.strip()) for value in others
    )


def _name_words(value: str, field: str) -> list[str]:
    """The folded words of a name filter; refused when it holds nothing but separators (see NAME_PATTERN).

    A few characters fold away to nothing (a lone combining accent, a full-width apostrophe):
    a filter of those has no word and matches nobody; nor does one holding NUL (see _storable).
    """
    if not _NAME_CHARACTER.search(value):
        raise InvalidQuery(field, f"{field} must contain at least one letter or digit")
    return name_words(value) if _storable(value) else []


def _storable(value: str) -> bool:
    """False for a value holding NUL, which PostgreSQL can neither store nor be asked about: it matches nothing."""
    return "\x00" not in value


def _padded_key() -> ColumnElement[str]:
    # " jean yves le drian ": whole words can then be matched with '% word %'.
    bare = func.replace(func.replace(Speaker.key, "-", " "), "'", " ")
    return literal(" ", String) + bare + literal(" ", String)


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _clean(value: str | None, name: str) -> str | None:
    """None for an absent or blank filter; refuses absurdly long ones."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidQuery(name, f"{name} must be a string")
    value = value.strip()
    if not value:
        return None
    if len(value) > MAX_FILTER_LENGTH:
        raise InvalidQuery(name, f"{name} may be at most {MAX_FILTER_LENGTH} characters")
    return value


def _date_conditions(since, until) -> list[ColumnElement[bool]]:
    """Conditions on documents for a date range; a range that ends before it starts is refused."""
    since, until = _date_bound(since, "since"), _date_bound(until, "until")
    try:
        dates.check_range(since, until)
    except dates.InvalidDate as exc:
        raise InvalidQuery("until", str(exc)) from None
    conditions = []
    if isinstance(since, dates.Period):
        conditions.append(Document.published_on >= since.first)
    elif since is not None:
        conditions.append(Document.published_at >= since)
    if isinstance(until, dates.Period):
        conditions.append(Document.published_on <= until.last)
    elif until is not None:
        conditions.append(Document.published_at <= until)
    return conditions


def _date_bound(value, name: str) -> dates.Period | datetime | None:
    """A filter's date as a period or an instant: a ``date`` is that day, text is parsed."""
    if value is None or isinstance(value, dates.Period):
        return value
    if isinstance(value, datetime):
        return dates.as_utc(value)
    if isinstance(value, date):
        return dates.Period(value, value)
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return dates.parse_filter(value, name)
    except dates.InvalidDate as exc:
        raise InvalidQuery(name, str(exc)) from None
