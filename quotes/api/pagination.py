"""Pagination, written once: validated page arguments, a stable order, items plus a next link."""
from collections.abc import Callable

from apiflask import Schema
from apiflask.fields import Integer, String
from apiflask.validators import Range
from flask import current_app, request, url_for
from marshmallow import ValidationError, pre_load, validates

from .. import search
from ..search import MAX_PAGE


class QueryArgs(Schema):
    """Base of query-string schemas: an unknown parameter is refused, an empty value counts as not given."""

    @pre_load
    def _known_and_filled(self, data, **kwargs):
        # HTML forms send their empty fields (?speaker=&q=&since=); they mean "no filter".
        filled = {key: value for key, value in data.items() if value != ""}
        # A typo (?speeker=borrell) would otherwise be ignored and answer with the whole archive.
        accepted = [field.data_key or name for name, field in self.load_fields.items()]
        unknown = sorted(set(filled) - set(accepted))
        if unknown:
            message = f"Unknown parameter; the accepted ones are: {', '.join(accepted)}."
            raise ValidationError({name: [message] for name in unknown})
        return filled


class PageArgs(QueryArgs):
    page = Integer(load_default=1, validate=Range(min=1, max=MAX_PAGE), metadata={"description": "1-based page number"})
    per_page = Integer(
        validate=Range(min=1),
        metadata={"description": "page size; default and maximum come from the configuration (20 and 100)"},
    )

    @validates("per_page")
    def _per_page_at_most_max(self, value, **kwargs):
        maximum = current_app.config["MAX_PER_PAGE"]
        if value is not None and value > maximum:
            raise ValidationError(f"Must be at most {maximum}.")


class PageMeta(Schema):
    page = Integer(required=True)
    per_page = Integer(required=True)
    total = Integer(required=True)
    next = String(allow_none=True, required=True, metadata={"description": "URL of the next page, null on the last"})


def paginate(session, select, args: dict, serialize: Callable = lambda item: item) -> dict:
    """One page of ``select`` (already in a stable order) as items, page, per_page, total, next."""
    page = args.get("page") or 1
    per_page = args.get("per_page") or current_app.config["DEFAULT_PER_PAGE"]
    items, total = search.page_of(session, select, page, per_page)
    next_url = None
    if page * per_page < total:
        query = request.args.to_dict()
        query.update(page=page + 1, per_page=per_page)
        next_url = url_for(request.endpoint, **(request.view_args or {}), **query)
    return {
        "items": [serialize(item) for item in items],
        "page": page,
        "per_page": per_page,
        "total": total,
        "next": next_url,
    }
