"""The JSON API under /api: one blueprint a resource, registered by ``quotes.create_app``."""
from apiflask import abort
from flask import request
from werkzeug.routing import IntegerConverter

from .. import json_input

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
    app.before_request(refuse_deep_json)


def refuse_deep_json() -> None:
    """A 400 for a JSON body nested too deep, before the request parser recurses into it."""
    if request.is_json:
        try:
            json_input.check_depth(request.get_data(cache=True, as_text=True))
        except json_input.TooDeep as exc:
            abort(400, f"Malformed JSON body: {exc}.")
