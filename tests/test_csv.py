"""CSV export: literal expected output, batching, filters, formula injection, BOM."""
import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from quotes.csv_export import CSV_COLUMNS, iter_csv
from quotes.search import InvalidQuery, QuoteFilters
from quotes.store import DocumentInput, save_document

TEXT = (
    "«Oui, mais \"non\"\nvraiment», a déclaré Jens Stoltenberg. "
    "«Il a dit «stop» et ‹basta›», a ajouté Josep Borrell. "
    "«=HYPERLINK(\"http://x\")», a écrit -Anonyme. "
    "«+33 1 23», «-1», «@SUM(A1)» et «ordinaire»."
)
HEADER = ("quote_id,speaker,speaker_kind,speaker_role,speaker_label,quote,cue,type,document_id,title,url,source,"
          "published_at,start,end,confidence\r\n")


@pytest.fixture
def stored(session, make_quote):
    quotes = [
        make_quote(TEXT, 'Oui, mais "non"\nvraiment', speaker="Jens Stoltenberg", role="secrétaire général, OTAN",
                   cue="a déclaré", confidence=0.9),
        make_quote(TEXT, "Il a dit «stop» et ‹basta›", speaker="Commission, européenne", speaker_kind="organisation",
                   cue="a ajouté", type="direct", confidence=0.75),
        make_quote(TEXT, '=HYPERLINK("http://x")', speaker="-Anonyme", cue="a écrit", confidence=0.5),
        make_quote(TEXT, "+33 1 23", speaker_label="=porte-parole, «officiel»", role="ignoré sans nom", confidence=0.25),
        make_quote(TEXT, "-1", confidence=0.25),
        make_quote(TEXT, "@SUM(A1)", confidence=0.25),
    ]
    doc, _ = save_document(
        session,
        DocumentInput(TEXT, title="Titre, avec «guillemets»", url="https://example.org/a?b=1,2", source="=cmd|' /C calc'!A0",
                      published_at=datetime(2022, 1, 12, 0, 30, tzinfo=timezone(timedelta(hours=1)))),
        quotes,
    )
    session.commit()
    return doc


def export(session, bom=False, batch_size=1000, **filters):
    return "".join(iter_csv(session, QuoteFilters(**filters), bom=bom, batch_size=batch_size))


def test_csv_literal(session, stored):
    d = stored.id
    # The date with the offset it was published with; a label only where no one is named.
    common = f"{d},\"Titre, avec «guillemets»\",\"https://example.org/a?b=1,2\",'=cmd|' /C calc'!A0,2022-01-12T00:30:00+01:00"
    expected = (
        HEADER
        + f'1,Jens Stoltenberg,person,"secrétaire général, OTAN",,"Oui, mais ""non""\nvraiment",a déclaré,direct,{common},1,25,0.9\r\n'
        + f'2,"Commission, européenne",organisation,,,Il a dit «stop» et ‹basta›,a ajouté,direct,{common},57,83,0.75\r\n'
        + f"3,'-Anonyme,person,,,\"'=HYPERLINK(\"\"http://x\"\")\",a écrit,direct,{common},111,133,0.5\r\n"
        + f"4,,,,\"'=porte-parole, «officiel»\",'+33 1 23,,direct,{common},155,163,0.25\r\n"
        + f"5,,,,,'-1,,direct,{common},167,169,0.25\r\n"
        + f"6,,,,,'@SUM(A1),,direct,{common},173,181,0.25\r\n"
    )
    assert export(session) == expected


def test_csv_reads_back_with_the_csv_module(session, stored):
    rows = list(csv.reader(io.StringIO(export(session), newline="")))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[1][5] == 'Oui, mais "non"\nvraiment'
    assert rows[2][5] == "Il a dit «stop» et ‹basta›"
    assert len(rows) == 7 and all(len(row) == len(CSV_COLUMNS) for row in rows)


def test_batches_do_not_change_the_output(session, stored):
    assert export(session, batch_size=1) == export(session, batch_size=4) == export(session)


def test_chunks_are_header_then_one_per_batch(session, stored):
    chunks = list(iter_csv(session, QuoteFilters(), batch_size=4))
    assert chunks[0] == HEADER
    assert [chunk.count("\r\n") for chunk in chunks[1:]] == [4, 2]  # rows end in \r\n; a quote's own \n stays \n


def test_bom_option(session, stored):
    with_bom = export(session, bom=True)
    assert with_bom.startswith("\ufeff" + HEADER)
    assert with_bom[1:] == export(session)


def test_filters_apply(session, stored):
    rows = export(session, speaker="stoltenberg").split("\r\n")
    assert rows[0] + "\r\n" == HEADER
    assert rows[1].startswith("1,Jens Stoltenberg,")
    assert export(session, speaker="nobody") == HEADER
    assert export(session, q="basta").count("\r\n") == 2


def test_empty_database_gives_the_header(session):
    assert export(session) == HEADER


def test_invalid_filter_raises_before_any_row(session):
    with pytest.raises(InvalidQuery):
        export(session, q="%%")
