"""Command line: python -m quotes serve | db upgrade/downgrade | ingest | export | extract."""
import argparse
import ipaddress
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("quotes.cli")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return 2
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    # Alembic's chatter only where migrations run.
    if args.handler not in (cmd_db_upgrade, cmd_db_downgrade):
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return args.handler(args) or 0


def build_parser() -> argparse.ArgumentParser:
    from config import Config

    parser = argparse.ArgumentParser(prog="python -m quotes", description="French quote extraction and search service.")
    parser.add_argument(
        "--database-url", default=Config.SQLALCHEMY_DATABASE_URI, help="SQLAlchemy URL (default: $DATABASE_URL or instance/quotes.db)"
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the API and the pages with waitress")
    serve.add_argument("--host", default=Config.HOST)
    serve.add_argument("--port", type=int, default=Config.PORT)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(handler=cmd_serve)

    db = commands.add_parser("db", help="database migrations")
    db_commands = db.add_subparsers(title="db commands", metavar="ACTION")
    upgrade = db_commands.add_parser("upgrade", help="apply migrations (default: up to the latest)")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)
    downgrade = db_commands.add_parser("downgrade", help="revert migrations down to REVISION ('base': all)")
    downgrade.add_argument("revision")
    downgrade.set_defaults(handler=cmd_db_downgrade)
    current = db_commands.add_parser("current", help="print the database's revision")
    current.set_defaults(handler=cmd_db_current)

    ingest = commands.add_parser("ingest", help="extract and store .txt files, folders of them, JSON Lines files")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--workers", type=int, default=1, help="extraction processes (default 1: in this process)")
    ingest.add_argument("--batch-size", type=int, default=32, help="documents per extraction batch and per transaction")
    ingest.add_argument("--model", default=Config.SPACY_MODEL, help="spaCy pipeline package")
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar")
    ingest.set_defaults(handler=cmd_ingest)

    export = commands.add_parser("export", help="write quotes as CSV (the same as GET /api/quotes.csv)")
    export.add_argument("--speaker", help="full name or any word of it")
    export.add_argument("--speaker-id", type=int)
    export.add_argument("--q", help="words in the quote")
    export.add_argument("--document-id", type=int)
    export.add_argument("--source")
    export.add_argument("--since", type=_date_arg, help="published in or after: YYYY, YYYY-MM, YYYY-MM-DD or a date-time")
    export.add_argument("--until", type=_date_arg, help="published in or before: YYYY, YYYY-MM, YYYY-MM-DD or a date-time")
    export.add_argument("--type", choices=("direct", "partial", "indirect"))
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.add_argument("--bom", action="store_true", help="start with a UTF-8 BOM (Excel)")
    export.set_defaults(handler=cmd_export)

    extract = commands.add_parser("extract", help="extract quotes from a JSON Lines file, no database")
    extract.add_argument("path", metavar="FILE.jsonl", help="JSON lines with 'text' (and 'id'); '-' reads standard input")
    extract.add_argument("--model", default=Config.SPACY_MODEL, help="spaCy pipeline package")
    extract.add_argument("--output", "-o", help="file to write (default: standard output)")
    extract.add_argument("--explain", action="store_true",
                         help="write each quote with its speaker and why, as text, instead of JSON lines")
    extract.set_defaults(handler=cmd_extract)
    return parser


def register_flask_commands(app) -> None:
    """``flask db|ingest|export|extract ...``: the same commands, on the app's configured database."""
    import click

    def passthrough(name: str):
        @click.argument("args", nargs=-1, type=click.UNPROCESSED)
        def command(args):
            raise SystemExit(main(["--database-url", app.config["SQLALCHEMY_DATABASE_URI"], name, *args]))

        command.__doc__ = f"python -m quotes {name} ... (see: python -m quotes {name} --help)"
        return click.command(name, context_settings={"ignore_unknown_options": True, "help_option_names": []})(command)

    for name in ("db", "ingest", "export", "extract"):
        app.cli.add_command(passthrough(name))


# serve -----------------------------------------------------------------------


def cmd_serve(args) -> int:
    from config import Config
    from quotes import create_app

    from .nlp import load_nlp
    from .serve import PortTaken, make_server

    if not require_migrated(args.database_url):
        return 2
    config = type("ServeConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": args.database_url})
    app = create_app(config)
    try:
        server = make_server(app, args.host, args.port, args.threads)
    except PortTaken as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    # Loaded before the first request, which would otherwise pay for it (load_nlp logs the time).
    load_nlp(app.config["SPACY_MODEL"])
    if not _is_loopback(args.host) and not app.config.get("API_TOKEN"):
        log.warning("serving on %s without QUOTES_API_TOKEN: anyone who can reach it can write and delete", args.host)
    log.info("serving on http://%s:%s/ (database %s)", args.host, args.port, _redacted(args.database_url))
    server.run()  # until interrupted
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# db --------------------------------------------------------------------------


def cmd_db_upgrade(args) -> int:
    from . import migrate

    migrate.upgrade(args.database_url, args.revision)
    print(f"database at revision {migrate.current(args.database_url)}", file=sys.stderr)
    return 0


def cmd_db_downgrade(args) -> int:
    from . import migrate

    migrate.downgrade(args.database_url, args.revision)
    print(f"database at revision {migrate.current(args.database_url)}", file=sys.stderr)
    return 0


def cmd_db_current(args) -> int:
    from . import migrate

    print(migrate.current(args.database_url) or "base")
    return 0


# ingest ----------------------------------------------------------------------


def require_migrated(url: str) -> bool:
    """True when the database is at the latest revision; otherwise says what to run."""
    from . import migrate

    current, head = migrate.current(url), migrate.head()
    if current == head:
        return True
    print(f"error: the database is at revision {current or 'base'}, not {head}: run `python -m quotes db upgrade`",
          file=sys.stderr)
    return False


def migrate_if_needed(url: str) -> None:
    """Bring the database to the latest revision, as `make run` does, saying so when it does."""
    from . import migrate

    if migrate.current(url) != migrate.head():
        migrate.upgrade(url)
        print(f"database migrated to revision {migrate.current(url)}", file=sys.stderr)


def model_installed(name: str | None) -> bool:
    """True when spaCy pipeline ``name`` is an installed package or a folder; otherwise says so."""
    import importlib.util

    if not name or Path(name).is_dir() or importlib.util.find_spec(name) is not None:
        return True
    print(f"error: spaCy model {name!r} is not installed (pip install {name}, or set QUOTES_SPACY_MODEL)",
          file=sys.stderr)
    return False


def cmd_ingest(args) -> int:
    from .db import Database
    from .ingest import ingest_paths

    if args.workers < 1 or args.batch_size < 1:
        print("error: --workers and --batch-size must be at least 1", file=sys.stderr)
        return 2
    if not model_installed(args.model):
        return 2
    migrate_if_needed(args.database_url)
    database = Database(args.database_url)
    try:
        summary = ingest_paths(
            database, args.paths, model=args.model, workers=args.workers, batch_size=args.batch_size,
            progress=not args.no_progress,
        )
    except KeyboardInterrupt:
        print("interrupted: what was committed stays; run the same command again to resume", file=sys.stderr)
        return 130
    finally:
        database.dispose()
    print("\n".join(summary.lines()))
    return 1 if summary.errors else 0


# export ----------------------------------------------------------------------


def cmd_export(args) -> int:
    from .csv_export import iter_csv
    from .db import Database
    from .search import InvalidQuery, QuoteFilters

    if not require_migrated(args.database_url):
        return 2
    filters = QuoteFilters(
        speaker=args.speaker, speaker_id=args.speaker_id, q=args.q, document_id=args.document_id,
        source=args.source, since=args.since, until=args.until, type=args.type,
    )
    database = Database(args.database_url)
    try:
        with database.session_scope() as session, _binary_output(args.output) as out:
            for chunk in iter_csv(session, filters, bom=args.bom):
                out.write(chunk.encode("utf-8"))
    except InvalidQuery as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    finally:
        database.dispose()
    return 0


def _date_arg(value: str):
    from .dates import InvalidDate, parse_filter

    try:
        return parse_filter(value, "the date")
    except InvalidDate as exc:
        raise argparse.ArgumentTypeError(f"{value!r}: {exc}") from None


class _binary_output:
    """A binary file to write to: ``path``, or standard output."""

    def __init__(self, path: str | None):
        self.path = path
        self.handle = None

    def __enter__(self):
        self.handle = open(self.path, "wb") if self.path else sys.stdout.buffer
        return self.handle

    def __exit__(self, *exc_info):
        if self.path:
            self.handle.close()
        else:
            self.handle.flush()


# extract ---------------------------------------------------------------------

EXTRACT_CHUNK = 256  # lines read, extracted and written at a time


def cmd_extract(args) -> int:
    from .ingest import batches
    from .intake import Failed, extract_texts

    if not model_installed(args.model):
        return 2
    failures = 0
    source = sys.stdin if args.path == "-" else open(args.path, encoding="utf-8-sig")
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for chunk in batches(_numbered_lines(source), EXTRACT_CHUNK):
            parsed = [(number, *_parse_extract_line(line)) for number, line in chunk]
            texts = [text for _, _, text, error in parsed if error is None]
            results = iter(extract_texts(texts, model=args.model))
            for number, doc_id, text, error in parsed:
                result = next(results) if error is None else None
                if isinstance(result, Failed):
                    error = str(result)  # logged once by extract_texts
                if error is None and args.explain:
                    out.write(_explained(doc_id, result))
                    continue
                if error is None:
                    record = {"id": doc_id, "quotes": [_prediction(quote) for quote in result]}
                else:
                    failures += 1
                    print(f"{args.path}:{number}: {error}", file=sys.stderr)
                    record = {"id": doc_id, "quotes": [], "error": error}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if source is not sys.stdin:
            source.close()
        if out is not sys.stdout:
            out.close()
    return 1 if failures else 0


def _explained(doc_id, quotes) -> str:
    """A document's quotes for a reader: the quote, who says it, and the evidence behind it."""
    lines = [f"# {doc_id}" if doc_id is not None else "#"]
    for quote in quotes:
        text = quote.quote if len(quote.quote) <= 90 else quote.quote[:87] + "…"
        who = quote.speaker or (f"({quote.speaker_label})" if quote.speaker_label else "—")
        lines.append(f"{quote.start:>6} {quote.type:<8} «{text}»")
        lines.append(f"       → {who}  [confidence {quote.confidence:.2f}]")
        if quote.evidence is not None:
            lines.append(f"         {quote.evidence.explain()}")
    return "\n".join(lines) + "\n\n"


def _prediction(quote) -> dict:
    """A record in the shared scorer's format, whose types are only direct and indirect.

    A partial quote («…» inside a sentence) is direct speech for the scorer;
    the finer type stays in ``form``. The scorer reads one speaker: the name,
    else the description the text gives ("porte-parole de la préfecture").
    """
    record = quote.to_dict()
    record["speaker"] = quote.attributed_to
    record["form"] = quote.form or quote.type
    record["type"] = "indirect" if quote.type == "indirect" else "direct"
    return record


def _numbered_lines(handle) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(handle, start=1):
        if line.strip():
            yield number, line


def _parse_extract_line(line: str) -> tuple[object, str | None, str | None]:
    """(id, text, error) of one input line."""
    from .json_input import TooDeep, loads

    try:
        data = loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"invalid JSON ({exc.msg})"
    except TooDeep as exc:
        return None, None, str(exc)
    if not isinstance(data, dict):
        return None, None, "a line must hold a JSON object"
    text = data.get("text")
    if not isinstance(text, str):
        return data.get("id"), None, "'text' is missing or not a string"
    return data.get("id"), text, None
