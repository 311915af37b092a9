"""The JSON API under /api: one blueprint a resource, registered by ``quotes.create_app``."""
from apiflask import abort
from flask import request
from werkzeug.routing import IntegerConverter

from .. import json_input
from .errors import error_response

# Path ids are written <int:...> (so the OpenAPI document says integer) with
# "int" bound to IdConverter.
ID = "int"


class IdConverter(IntegerConverter):
    """At most 18 digits, so a huge id is a plain 404, never an overflow of SQLite's
    64-bit integers (a regex miss, unlike a max= check, also keeps Werkzeug from
    answering 405 for it)."""

    regex = r"\d{1,18}"


def init_app(app) -> None:
    # Before any blueprint is registered: rules bind their converters when added.
    app.url_map.converters["int"] = IdConverter
    app.before_request(require_json)
    app.before_request(refuse_deep_json)


def require_json():
    """415 for a body that is not declared JSON: a form post would otherwise read as a missing "text"."""
    if request.routing_exception is not None:
        return None  # 404 or 405 says more
    if request.method in ("POST", "PUT", "PATCH") and request.path.startswith("/api/") and not request.is_json:
        sent = request.mimetype or "no Content-Type"
        return error_response(
            415,
            f"Send the body as JSON with the header 'Content-Type: application/json' (this request sent {sent}).",
            {"content_type": request.content_type},
        )
    return None


def refuse_deep_json() -> None:
    """A 400 for a JSON body nested too deep, before the request parser recurses into it."""
    if request.is_json:
        try:
            json_input.check_depth(request.get_data(cache=True, as_text=True))
        except json_input.TooDeep as exc:
            abort(400, f"Malformed JSON body: {exc}.")
