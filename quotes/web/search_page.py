"""The search page: a form, the matching quotes in context, paged, and a CSV link with the same filters."""
from flask import current_app, render_template, request

from .. import get_session, search
from ..models import Speaker
from .forms import parse_search
from .pages import Pager


def index():
    """Search quotes by speaker, words, date range and source; results paged, each in its sentence."""
    cfg = current_app.config
    form = parse_search(request.args, cfg["DEFAULT_PER_PAGE"], cfg["MAX_PER_PAGE"])
    quotes, pager, status = [], None, 200
    if not form.errors and not form.is_empty:
        session = get_session()
        try:
            quotes, total = search.page_of(session, search.quote_select(form.filters(), session=session), form.page, form.per_page)
            pager = Pager(form.page, form.per_page, total, "web.index", form.filled, default_per_page=cfg["DEFAULT_PER_PAGE"])
        except search.InvalidQuery as exc:
            field, message = _explain(exc)
            form.errors[field] = message
    if form.errors:
        status = 400
    scope_speaker = None
    if form.values["speaker_id"] and "speaker_id" not in form.errors:
        scope_speaker = get_session().get(Speaker, int(form.values["speaker_id"]))
    return render_template(
        "web/index.html", form=form, quotes=quotes, pager=pager, scope_speaker=scope_speaker
    ), status


# search.InvalidQuery speaks English to API clients; people read French beside the field.
_FIELD_MESSAGES = {
    "speaker": "Saisissez au moins une lettre ou un chiffre du nom.",
    "q": "Saisissez au moins un mot (32 au plus).",
    "source": "Source trop longue.",
}


def _explain(exc: search.InvalidQuery) -> tuple[str, str]:
    """The form field a refused search is about, and a French sentence for it."""
    if exc.field not in _FIELD_MESSAGES:
        return "q", f"Recherche refusée : {exc}"
    return exc.field, _FIELD_MESSAGES[exc.field]
