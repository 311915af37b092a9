"""CSV export of quotes: streamed in batches, constant memory, safe to open in a spreadsheet."""
import csv
import io
from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Document, Quote, Speaker
from .search import QuoteFilters, quote_conditions

CSV_COLUMNS = (
    "quote_id",
    "speaker",
    "speaker_role",
    "quote",
    "cue",
    "type",
    "document_id",
    "title",
    "url",
    "source",
    "published_at",
    "start",
    "end",
    "confidence",
)
BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def iter_csv(session: Session, filters: QuoteFilters, bom: bool = False, batch_size: int = 1000) -> Iterator[str]:
    """The quotes matching ``filters`` as CSV text: the header, then one chunk per batch of rows."""
    dialect_name = session.get_bind().dialect.name
    # Columns, not ORM objects: far faster for big exports. Keyset pagination
    # (id > last id) keeps each batch query as cheap as the first.
    base = (
        select(
            Quote.id,
            Speaker.name,
            Speaker.roles,
            Quote.role,
            Quote.quote,
            Quote.cue,
            Quote.type,
            Quote.document_id,
            Document.title,
            Document.url,
            Document.source,
            Document.published_at,
            Quote.start,
            Quote.end,
            Quote.confidence,
        )
        .select_from(Quote)
        .join(Document, Quote.document_id == Document.id)
        .outerjoin(Speaker, Quote.speaker_id == Speaker.id)
        .where(*quote_conditions(filters, dialect_name))
        .order_by(Quote.id)
        .limit(batch_size)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield (BOM if bom else "") + _drain(buffer)
    last_id = 0
    while True:
        rows = session.execute(base.where(Quote.id > last_id)).all()
        if not rows:
            return
        for row in rows:
            writer.writerow(_cells(row))
        last_id = rows[-1][0]
        yield _drain(buffer)
        if len(rows) < batch_size:
            return


def _cells(row) -> list:
    (quote_id, speaker, roles, role, quote, cue, type_, document_id, title, url, source, published_at, start, end,
     confidence) = row
    speaker_role = role or (roles[0] if roles else None)
    return [
        quote_id,
        _safe(speaker),
        _safe(speaker_role),
        _safe(quote),
        _safe(cue),
        type_,
        document_id,
        _safe(title),
        _safe(url),
        _safe(source),
        _date(published_at),
        start,
        end,
        confidence,
    ]


def _safe(value: str | None) -> str:
    """The cell text, with a leading ' when a spreadsheet would run it as a formula."""
    if value is None:
        return ""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _date(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _drain(buffer: io.StringIO) -> str:
    chunk = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate(0)
    return chunk
