"""Speakers: who is quoted, how often, and their quotes."""
from apiflask import APIBlueprint, abort

from .. import get_session, search
from ..models import Speaker
from . import ID, present
from .pagination import PageArgs, paginate
from .schemas import SpeakerArgs, SpeakerDetail, SpeakerPage

bp = APIBlueprint("speakers", __name__)


@bp.get("/speakers")
@bp.input(SpeakerArgs, location="query", arg_name="args")
@bp.output(SpeakerPage)
def list_speakers(args):
    """Speakers by name, each with its number of quotes; ``q`` matches the name or any part of it."""
    return paginate(get_session(), search.speaker_select(args.get("q")), args, present.speaker_item)


@bp.get(f"/speakers/<{ID}:speaker_id>")
@bp.input(PageArgs, location="query", arg_name="args")
@bp.output(SpeakerDetail)
def get_speaker(speaker_id, args):
    """One speaker: roles, number of quotes, and their quotes, paged."""
    session = get_session()
    row = session.execute(search.speaker_select().where(Speaker.id == speaker_id)).first()
    if row is None:
        abort(404, f"No speaker with id {speaker_id}.")
    quotes = search.quote_select(search.QuoteFilters(speaker_id=speaker_id))
    return {**present.speaker_item(row), "quotes": paginate(session, quotes, args, present.quote_item)}
