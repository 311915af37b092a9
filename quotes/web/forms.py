"""The search form: query-string arguments in, ``QuoteFilters`` and page numbers out.

The page and the API read the same argument names, so the "Download CSV" link passes the
page's own query string to ``/api/quotes.csv`` and exports exactly the filters on screen.
"""
from dataclasses import dataclass, field

from werkzeug.datastructures import MultiDict

from .. import dates
from ..dates import FIRST_YEAR, LAST_YEAR, InvalidDate, parse_day
from ..extract import QUOTE_TYPES as TYPES
from ..models import MAX_ID
from ..search import MAX_PAGE, QuoteFilters

# Form fields that filter quotes, in the order the form shows them.
FILTER_FIELDS = ("speaker", "q", "since", "until", "source", "type", "document_id", "speaker_id")
BAD_ID = "Identifiant numérique attendu."
BAD_PAGE = {
    "page": "Numéro de page invalide : un nombre entier à partir de 1 est attendu.",
    "per_page": "Nombre de citations par page invalide : un nombre entier à partir de 1 est attendu.",
}
DATE_ERROR = "Date attendue : AAAA, AAAA-MM ou AAAA-MM-JJ (par exemple 2022, 2022-01 ou 2022-01-31)."


@dataclass
class SearchForm:
    """What the user typed (to fill the form again) and what it means (filters), or why it is refused."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    page: int = 1
    per_page: int = 20

    @property
    def filled(self) -> dict[str, str]:
        """The non-empty filter fields: what links (pages, CSV) must carry along."""
        return {k: v for k, v in self.values.items() if v}

    @property
    def unscoped(self) -> dict[str, str]:
        """The filled fields less the document and speaker ids that links (not the form) set."""
        return {k: v for k, v in self.filled.items() if k not in ("document_id", "speaker_id")}

    @property
    def is_empty(self) -> bool:
        return not self.filled

    def filters(self) -> QuoteFilters:
        """The filters for ``search.quote_select`` (call only when ``errors`` is empty)."""
        v = self.values
        return QuoteFilters(
            speaker=v["speaker"] or None,
            speaker_id=_whole_number(v["speaker_id"], MAX_ID),
            q=v["q"] or None,
            document_id=_whole_number(v["document_id"], MAX_ID),
            source=v["source"] or None,
            # As typed, as the API passes them: a year, month or day covers all of it.
            since=v["since"] or None,
            until=v["until"] or None,
            type=v["type"] or None,
        )


def parse_search(args: MultiDict, default_per_page: int, max_per_page: int) -> SearchForm:
    """Read and check the search arguments; errors are keyed by field and worded for people."""
    values = {name: args.get(name, "").strip() for name in FILTER_FIELDS}
    form = SearchForm(values=values)
    bounds = {}
    for name in ("since", "until"):
        try:
            bounds[name] = dates.parse_filter(values[name], name) if values[name] else None
        except dates.InvalidDate as exc:
            form.errors[name] = f"Date attendue entre {FIRST_YEAR} et {LAST_YEAR}." if exc.out_of_range else DATE_ERROR
    if not form.errors:
        try:
            dates.check_range(bounds["since"], bounds["until"])
        except dates.InvalidDate:
            form.errors["until"] = "La date de fin précède la date de début."
    for name in ("document_id", "speaker_id"):
        if values[name] and _whole_number(values[name], MAX_ID) is None:
            form.errors[name] = BAD_ID
    if values["type"] and values["type"] not in TYPES:
        form.errors["type"] = "Type inconnu."
    form.page, form.per_page, errors = page_args(args, default_per_page, max_per_page)
    form.errors.update(errors)
    return form


def page_args(args: MultiDict, default_per_page: int, max_per_page: int) -> tuple[int, int, dict[str, str]]:
    """``page`` and ``per_page`` from the query string, with errors for values that are not page numbers.

    A page size over the maximum shows the maximum: the list says how many it shows.
    """
    errors: dict[str, str] = {}
    page = _page_value(args, "page", 1, MAX_PAGE, errors)
    per_page = _page_value(args, "per_page", default_per_page, None, errors)
    return page, min(per_page, max_per_page), errors


def date_error(raw: str) -> str | None:
    """Why ``raw`` is not an accepted day, in French; None when it is one."""
    try:
        parse_day(raw)
    except InvalidDate as exc:
        if exc.out_of_range:
            return f"Date attendue entre {FIRST_YEAR} et {LAST_YEAR}."
        return "Date attendue au format AAAA-MM-JJ."
    return None


def _page_value(args: MultiDict, name: str, default: int, maximum: int | None, errors: dict[str, str]) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    number = _whole_number(raw, maximum)
    if number is None:
        errors[name] = BAD_PAGE[name]
        return default
    return number


def _whole_number(raw: str, maximum: int | None = None) -> int | None:
    """``raw`` as an integer from 1 to ``maximum``, or None; read as the API reads it (``int``).

    ``str.isdigit`` is no test: it is true for "²", which ``int`` refuses.
    """
    try:
        number = int(raw)
    except ValueError:
        return None
    return number if number >= 1 and (maximum is None or number <= maximum) else None
