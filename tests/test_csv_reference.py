"""CSV export against an independent rendering (ORM objects through csv.writer) of tricky rows, at every batch size."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select, text

from quotes import csv_export, dates
from quotes.csv_export import CSV_COLUMNS, iter_csv
from quotes.models import Document, Quote, Speaker, SpeakerWord
from quotes.search import QuoteFilters, quote_select
from quotes.text import fold, name_words

FORMULA = "=+-@\t\r"


def guarded(value: str | None) -> str:
    """What a spreadsheet must not run: a leading ' before = + - @ tab CR (the documented rule, written again)."""
    if not value:
        return ""
    return "'" + value if value[0] in FORMULA else value


def reference(session, filters: QuoteFilters = QuoteFilters()) -> str:
    """The export as the ORM sees the rows, written by csv.writer."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    # The export is in stored order (quote ids), whatever the listing's sort.
    for quote in sorted(session.scalars(quote_select(filters)).unique(), key=lambda quote: quote.id):
        speaker, document = quote.speaker, quote.document
        writer.writerow([
            quote.id,
            guarded(speaker.name if speaker is not None else None),
            speaker.kind if speaker is not None else "",
            guarded(quote.role),
            guarded(quote.speaker_label),
            guarded(quote.quote),
            guarded(quote.cue),
            quote.type,
            document.id,
            guarded(document.title),
            guarded(document.url),
            guarded(document.source),
            document.published.isoformat() if document.published_at is not None else "",
            quote.start,
            quote.end,
            quote.confidence,
        ])
    return buffer.getvalue()


QUOTE_TEXTS = [
    "=1+1",
    "+33 6 12 34 56 78",
    "-moins que rien",
    "@tout le monde",
    "\tune tabulation",
    "\rretour chariot en tête",
    'Il a dit "non", puis\nil est parti',
    "deux lignes\r\nà la Windows",
    'un guillemet " seul',
    '""',
    "virgule, seule",
    "émoji 🎉 «guillemets» ‹simples› l’apostrophe",
    "séparateur de ligne\u2028unicode\x0bet tab verticale\x85",
    "finit par un saut de ligne\n",
    " espace en tête",
    "simple",
]
SPEAKERS = [
    # name, kind
    ("Jens Stoltenberg", "person"),
    ("-Anonyme", "person"),
    ("Dupont, Jean", "person"),
    ("OTAN, l'Alliance", "organisation"),
    ("Œdipe Ünal", "person"),
]
PARIS_SUMMER = timezone(timedelta(hours=2))
DOCUMENTS = [
    # title, url, source, published_at
    ("Titre, avec «guillemets»", "https://example.org/a?b=1,2", "=cmd|' /C calc'!A0", datetime(2022, 1, 12, 10, 30)),
    (None, None, None, None),
    ("@titre", "https://example.org/\"q\"", "AFP", datetime(2023, 5, 6, 7, 8, 9, 123456)),
    ("Fuseau", "https://example.org/tz", "Le Temps", datetime(2024, 2, 29, 23, 30, tzinfo=PARIS_SUMMER)),
    ("Décalé", "https://example.org/offset", "ATS", "2022-01-12T00:30:00-03:30"),
    ("Minuit", "", "", datetime(1999, 12, 31)),
]
CONFIDENCES = [0.9, 0.1 + 0.2, 1.0, 1e-05, 0.85, 0.0, 0.8 - 0.1]


@pytest.fixture
def tricky(session):
    """Quotes over every document, speaker (and none), role case and tricky text, interleaved so batches mix them."""
    speakers = [
        Speaker(name=name, key=fold(name), kind=kind,
                words=[SpeakerWord(position=i, word=word) for i, word in enumerate(name_words(name))])
        for name, kind in SPEAKERS
    ]
    documents = [make_document(i, *fields) for i, fields in enumerate(DOCUMENTS)]
    session.add_all(speakers + documents)
    session.flush()
    n = 0
    for document in documents:
        for j, quote_text in enumerate(QUOTE_TEXTS):
            speaker = None if n % 6 == 5 else speakers[n % len(speakers)]
            role = 'ministre, "délégué"' if n % 4 == 0 else "" if n % 4 == 1 else "=rôle" if n % 7 == 0 else None
            label = None if speaker else ("=porte-parole, «officiel»", None, "source proche")[n // 6 % 3]
            session.add(Quote(
                document_id=document.id, speaker_id=speaker.id if speaker else None, quote=quote_text,
                quote_key=f"{document.id}-{j}", start=j * 10, end=j * 10 + 5,
                cue=("a déclaré", "=a dit", None, "a lancé, hier")[n % 4], cue_lemma="dire",
                type=("direct", "partial", "indirect")[n % 3], role=role, speaker_label=label,
                confidence=CONFIDENCES[n % len(CONFIDENCES)],
            ))
            n += 1
    session.commit()
    return n


def make_document(i: int, title, url, source, published) -> Document:
    """A document as store.save_document makes it: a date given as text keeps its offset."""
    fields = {}
    if published is not None:
        at = dates.Published.of(dates.parse_published(published) if isinstance(published, str) else published)
        fields = {"published_at": at.at, "published_offset": at.offset_minutes, "published_on": at.on}
    return Document(text=f"texte {i}", content_hash=f"{i:064d}", title=title, url=url, source=source,
                    source_key=fold(source) if source else None, **fields)


def export(session, batch_size=csv_export.BATCH_SIZE, filters=QuoteFilters()) -> str:
    return "".join(iter_csv(session, filters, batch_size=batch_size))


@pytest.mark.parametrize("batch_size", [1, 2, 3, 7, 16, 79, 80, 81, 5000])
def test_export_equals_the_reference_rendering(session, tricky, batch_size):
    assert export(session, batch_size) == reference(session)


def test_the_reference_sees_every_tricky_case(session, tricky):
    rows = list(csv.reader(io.StringIO(reference(session), newline="")))[1:]
    assert len(rows) == tricky == len(DOCUMENTS) * len(QUOTE_TEXTS)
    cells = {cell for row in rows for cell in row}
    assert {"'=1+1", "'+33 6 12 34 56 78", "'-Anonyme", "'\rretour chariot en tête", "'=rôle"} <= cells
    # Dates with the offset they were given (none: UTC).
    published = {"2022-01-12T10:30:00+00:00", "2023-05-06T07:08:09.123456+00:00", "2024-02-29T23:30:00+02:00",
                 "1999-12-31T00:00:00+00:00", "2022-01-12T00:30:00-03:30", ""}
    assert published <= cells
    assert {"Dupont, Jean", "OTAN, l'Alliance", "organisation", "ministre, \"délégué\"", "'=porte-parole, «officiel»"} <= cells
    assert {"0.30000000000000004", "1e-05", "1.0", "0.7000000000000001"} <= cells
    assert any(row[1:5] == ["", "", "", ""] for row in rows)  # no speaker, no role, no label


@pytest.mark.parametrize("ids_per_query", [1, 2, 3])
def test_documents_and_speakers_read_in_several_queries_change_nothing(session, tricky, monkeypatch, ids_per_query):
    monkeypatch.setattr(csv_export, "IDS_PER_QUERY", ids_per_query)
    expected = reference(session)
    for batch_size in (1, 5, 33, 1000):
        assert export(session, batch_size) == expected


@pytest.mark.parametrize("kept", [0, 1, 2, 5])
def test_speakers_kept_from_batch_to_batch_up_to_the_bound_change_nothing(session, tricky, monkeypatch, kept):
    monkeypatch.setattr(csv_export, "SPEAKERS_KEPT", kept)  # past the bound, each batch reads its own
    expected = reference(session)
    for batch_size in (1, 2, 7, 1000):
        assert export(session, batch_size) == expected


def test_kept_speakers_stay_within_the_bound(session, tricky, monkeypatch):
    monkeypatch.setattr(csv_export, "SPEAKERS_KEPT", 3)
    kept = []
    real = csv_export._KeptSpeakers.cells

    def cells(self, connection, ids):
        out = real(self, connection, ids)
        kept.append(len(self.kept))
        assert {i for i in ids if i is not None} <= out.keys()
        return out

    monkeypatch.setattr(csv_export._KeptSpeakers, "cells", cells)
    export(session, 1)
    assert kept and max(kept) <= 3


@pytest.mark.parametrize("batch_size", [1, 4, 16, 17, 5000])
def test_keyset_batches_lose_and_repeat_nothing(session, tricky, batch_size):
    chunks = list(iter_csv(session, QuoteFilters(), batch_size=batch_size))
    rows = list(csv.reader(io.StringIO("".join(chunks), newline="")))[1:]
    ids = [int(row[0]) for row in rows]
    assert ids == sorted(set(ids)) == list(session.scalars(select(Quote.id).order_by(Quote.id)))
    assert len(chunks) == 1 + -(-tricky // batch_size)  # the header, then one chunk per batch


@pytest.mark.parametrize("filters", [
    QuoteFilters(speaker="stoltenberg"),
    QuoteFilters(speaker="jean"),
    QuoteFilters(speaker_id=3),
    QuoteFilters(q="guillemets"),
    QuoteFilters(type="partial"),
    QuoteFilters(source="afp"),
    QuoteFilters(since=datetime(2022, 1, 1), until=datetime(2023, 12, 31)),
    QuoteFilters(since="2022-01-12", until="2022-01"),
    QuoteFilters(document_id=2, type="direct"),
    QuoteFilters(speaker="personne"),
])
def test_filters_give_the_reference_rows(session, tricky, filters):
    expected = reference(session, filters)
    assert expected.count("\r\n") > 1 or filters.speaker == "personne"
    for batch_size in (1, 3, 5000):
        assert export(session, batch_size, filters) == expected


@pytest.mark.sqlite_only
def test_a_quote_without_its_document_is_left_out(session, tricky, database):
    # Only possible with foreign keys off (make_engine turns them on); the export still writes no broken row.
    with database.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.execute(text("DELETE FROM documents WHERE id = 2"))
        connection.commit()
    session.expire_all()
    rows = list(csv.reader(io.StringIO(export(session, 7), newline="")))[1:]
    assert len(rows) == tricky - len(QUOTE_TEXTS)
    assert {row[8] for row in rows} == {"1", "3", "4", "5", "6"}


def csv_cell(value: str) -> str:
    """The cell csv.writer writes for ``value`` (a two-cell row, so an empty cell is not quoted)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([value, "x"])
    return buffer.getvalue().removesuffix(",x\r\n")


@given(st.text())
def test_quoting_is_csv_writers(value):
    assert csv_export._quoted(value) == csv_cell(value)
    assert csv_export._cell(value) == csv_cell(guarded(value))


@given(st.lists(st.sampled_from(list(FORMULA) + ['"', ",", "\n", "\r", "a", "é", "«", " "]), max_size=8).map("".join))
def test_quoting_is_csv_writers_on_special_characters(value):
    assert csv_export._quoted(value) == csv_cell(value)
    assert csv_export._cell(value) == csv_cell(guarded(value))


@pytest.mark.parametrize("n, length", [(1, 1), (2, 2), (3, 4), (5, 8), (300, 512), (512, 512)])
def test_in_lists_are_padded_to_a_few_lengths_with_the_same_ids(n, length):
    ids = list(range(10, 10 + n))
    padded = csv_export._padded(ids)
    assert len(padded) == length and padded[:n] == ids and set(padded) == set(ids)
