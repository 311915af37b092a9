"""A speaker's page: roles, number of quotes, quotes per month, their quotes paged."""
from flask import current_app, render_template, request

from .. import get_session, search
from ..error_pages import html_error
from ..models import Speaker
from .forms import page_args
from .pages import Pager
from .timeline import layout, month_counts


def speaker(speaker_id: int):
    """One speaker: kind, roles (the most frequent first), quote count, a per-month timeline and their quotes, paged."""
    session = get_session()
    person = session.get(Speaker, speaker_id)
    if person is None:
        return render_template("web/not_found.html", what="Cette personne"), 404
    cfg = current_app.config
    page, per_page, errors = page_args(request.args, cfg["DEFAULT_PER_PAGE"], cfg["MAX_PER_PAGE"])
    if errors:
        return html_error(400, " ".join(errors.values()))
    quotes, total = search.page_of(session, search.quote_select(search.QuoteFilters(speaker_id=speaker_id)), page, per_page)
    roles = search.speaker_roles(session, [speaker_id])[speaker_id]
    pager = Pager(page, per_page, total, "web.speaker", view_args={"speaker_id": speaker_id}, default_per_page=cfg["DEFAULT_PER_PAGE"])
    timeline = layout(*month_counts(session, speaker_id))
    return render_template("web/speaker.html", speaker=person, roles=roles, quotes=quotes, pager=pager, timeline=timeline)
