"""One JSON error shape for every error: ``{"error": {"code", "message", "details"}}``.

``code`` is the HTTP status, ``message`` a sentence for people, ``details`` a
dict (validation errors: ``{location: {field: [messages]}}``; empty otherwise).
"""
import logging

from apiflask import APIFlask, HTTPError
from flask import request
from flask_limiter import RateLimitExceeded
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import BadRequest, InternalServerError, RequestEntityTooLarge

from ..intake import ExtractionFailed
from ..search import InvalidQuery
from ..error_pages import html_error, wants_html_page

log = logging.getLogger(__name__)

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "integer"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}


def error_response(status: int, message: str | None = None, details=None, headers=None):
    """The body, status and headers of an error in the one shape."""
    return (
        {"error": {"code": status, "message": message or "", "details": details or {}}},
        status,
        headers or {},
    )


def init_app(app: APIFlask) -> None:
    # The spec describes errors with the same shape the handlers return.
    app.config["HTTP_ERROR_SCHEMA"] = ERROR_SCHEMA
    app.config["VALIDATION_ERROR_SCHEMA"] = ERROR_SCHEMA
    app.config["VALIDATION_ERROR_STATUS_CODE"] = 400
    app.config["VALIDATION_ERROR_DESCRIPTION"] = "Invalid input"

    @app.error_processor
    def http_error(error: HTTPError):
        # apiflask calls this for HTTPError, every werkzeug HTTPException
        # (404, 405, 413, 429, ...) and validation errors.
        if wants_html_page(request):
            return html_error(error.status_code, error.message, error.headers)
        message = error.message
        details = error.detail if isinstance(error.detail, dict) else {"detail": error.detail}
        if error.message == app.config["VALIDATION_ERROR_DESCRIPTION"]:
            message = "Invalid input: " + _summary(details)
        return error_response(error.status_code, message, details, error.headers)

    @app.errorhandler(BadRequest)
    def bad_request(exc: BadRequest):
        # webargs raises BadRequest with data["messages"] for a body that is not JSON
        # (malformed, or bytes that are not UTF-8).
        data = getattr(exc, "data", None)
        messages = data.get("messages") if isinstance(data, dict) else None
        if messages:
            return error_response(400, "Malformed JSON body: send UTF-8 encoded JSON.", messages)
        return error_response(400, exc.description or "Bad request")

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(exc: RequestEntityTooLarge):
        limit = app.config.get("MAX_CONTENT_LENGTH")
        return error_response(413, f"The request body is larger than the limit of {limit} bytes.", {"limit": limit})

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(exc: RateLimitExceeded):
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        return error_response(429, f"Too many requests: the limit is {exc.description}; retry later.", headers=headers)

    @app.errorhandler(InvalidQuery)
    def invalid_query(exc: InvalidQuery):
        return error_response(400, str(exc) or "Invalid query")

    @app.errorhandler(OperationalError)
    def database_unavailable(exc: OperationalError):
        # Locked or unreachable database: the client may retry; the SQL text stays in the log.
        log.error("database error: %s", exc)
        return error_response(503, "The database is busy or unavailable; retry later.", headers={"Retry-After": "1"})

    @app.errorhandler(DataError)
    def value_refused(exc: DataError):
        # A value the database cannot hold, past the schemas' checks (which refuse NUL in stored texts).
        log.warning("value refused by the database: %s", exc.orig)
        details = {"exception": str(exc.orig)} if app.debug else {}
        return error_response(400, "A value of this request cannot be stored.", details)

    @app.errorhandler(InternalServerError)
    def internal_error(exc: InternalServerError):
        # Never a stack trace in the response; Flask has already logged it.
        details = {}
        if app.debug and exc.original_exception is not None:
            details = {"exception": repr(exc.original_exception)}
        return error_response(500, "Internal server error", details)

    @app.errorhandler(ExtractionFailed)
    def extraction_failed(exc: ExtractionFailed):
        # The same 500; handled here only so that Flask does not log again what intake has logged.
        return internal_error(InternalServerError(original_exception=exc))


def _summary(details: dict) -> str:
    """A short human sentence naming the fields that failed validation."""
    parts = []
    for location, fields in details.items():
        if isinstance(fields, dict):
            for field, messages in fields.items():
                parts.append(f"{location}.{field}: {_first(messages)}")
        else:
            parts.append(f"{location}: {_first(fields)}")
    return "; ".join(parts[:5]) or "the request is not valid"


def _first(messages) -> str:
    while isinstance(messages, (list, dict)) and messages:
        messages = messages[0] if isinstance(messages, list) else next(iter(messages.values()))
    return str(messages)
