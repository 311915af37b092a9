"""Quotes: search with filters, paged as JSON or streamed as CSV."""
from apiflask import APIBlueprint
from flask import Response, current_app, request, stream_with_context

from .. import csv_export, get_session, search
from . import present
from .pagination import paginate
from .schemas import CsvArgs, QuoteArgs, QuotePage

bp = APIBlueprint("quotes", __name__)

_CSV = {"description": "CSV with a header row (columns as in quotes.csv_export.CSV_COLUMNS)",
        "content": {"text/csv": {"schema": {"type": "string"}}}}


@bp.get("/quotes")
@bp.input(QuoteArgs, location="query", arg_name="args")
@bp.output(QuotePage)
def list_quotes(args):
    """Quotes matching every given filter, newest first (``sort``), one page at a time."""
    session = get_session()
    select = search.quote_select(filters_from(args), session=session)
    return paginate(session, select, args, present.quote_item)


@bp.get("/quotes.csv")
@bp.input(CsvArgs, location="query", arg_name="args")
@bp.doc(responses={200: _CSV})
def export_csv(args):
    """The same quotes as /api/quotes (same filters, every page), in stored order, as a streamed CSV download."""
    filters = filters_from(args)
    search.quote_select(filters)  # refuse bad input (InvalidQuery: 400) before the stream starts
    database = current_app.extensions["db"]

    def rows():
        # The session lives inside the generator: it must stay open while the response streams.
        with database.session_scope() as session:
            yield from csv_export.iter_csv(session, filters, bom=args["bom"])

    return Response(
        stream_with_context(rows()),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": csv_export.content_disposition(request.args)},
    )


def filters_from(args: dict) -> search.QuoteFilters:
    """The search filters in query arguments."""
    return search.QuoteFilters(
        speaker=args.get("speaker"),
        speaker_id=args.get("speaker_id"),
        q=args.get("q"),
        document_id=args.get("document_id"),
        source=args.get("source"),
        since=args.get("since"),
        until=args.get("until"),
        type=args.get("type"),
        sort=args.get("sort", "-date"),
    )
