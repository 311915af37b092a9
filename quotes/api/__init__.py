"""The JSON API under /api: one blueprint a resource, registered by ``quotes.create_app``."""
from werkzeug.routing import IntegerConverter

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
