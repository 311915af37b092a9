"""Small helpers the templates call: labels, links, a quote in its sentence."""
from urllib.parse import urlsplit

from markupsafe import Markup

from ..dates import FIRST_YEAR, LAST_YEAR
from ..document_fields import MAX_LENGTHS
from .forms import TYPES
from .highlight import quote_in_context

TYPE_LABELS = {"direct": "directe", "partial": "partielle", "indirect": "discours indirect"}


def type_label(value: str | None) -> str:
    return TYPE_LABELS.get(value or "", value or "")


def http_url(value: str | None) -> str | None:
    """``value`` when it is an http(s) URL; None otherwise, so a stored "javascript:" URL never becomes a link."""
    if not value:
        return None
    try:
        scheme = urlsplit(value.strip()).scheme.lower()
    except ValueError:
        return None
    return value.strip() if scheme in ("http", "https") else None


def context(quote) -> Markup:
    """A stored quote inside the sentence of its document, the quote marked."""
    return quote_in_context(quote.document.text, quote.start, quote.end, quote.quote)


def template_globals() -> dict:
    return {
        "context": context, "type_label": type_label, "types": TYPES, "max_lengths": MAX_LENGTHS,
        # What browsers offer in date fields: the years the service accepts.
        "first_day": f"{FIRST_YEAR}-01-01", "last_day": f"{LAST_YEAR}-12-31",
    }
