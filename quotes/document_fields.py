"""What a document's title, url and source may hold: one rule for every door (API, `ingest`, /try).

The API's schema declares these lengths (and the OpenAPI document shows them); the command
line and the /try page check the same numbers with ``too_long``. Publication dates are
checked by quotes.dates.
"""
MAX_LENGTHS = {"title": 1000, "url": 2048, "source": 200}


def too_long(fields: dict[str, str | None]) -> dict[str, int]:
    """The fields of ``fields`` longer than allowed, each with its maximum length."""
    return {name: MAX_LENGTHS[name] for name, value in fields.items() if value and len(value) > MAX_LENGTHS[name]}
