"""Speakers: the people and organisations quoted, how often, in which roles, and their quotes."""
from apiflask import APIBlueprint, abort

from .. import get_session, search
from ..models import Speaker
from . import ID, present
from .pagination import paginate
from .schemas import SpeakerArgs, SpeakerDetail, SpeakerPage, SpeakerQuoteArgs

bp = APIBlueprint("speakers", __name__)


@bp.get("/speakers")
@bp.input(SpeakerArgs, location="query", arg_name="args")
@bp.output(SpeakerPage)
def list_speakers(args):
    """Speakers, the most quoted first (or by name), each with its kind, roles and number of quotes."""
    session = get_session()
    stmt = search.speaker_select(args.get("q"), kind=args.get("kind"), sort=args["sort"])
    page = paginate(session, stmt, args)
    roles = search.speaker_roles(session, [speaker.id for speaker, _ in page["items"]])
    return {**page, "items": [present.speaker_item(row, roles[row[0].id]) for row in page["items"]]}


@bp.get(f"/speakers/<{ID}:speaker_id>")
@bp.input(SpeakerQuoteArgs, location="query", arg_name="args")
@bp.output(SpeakerDetail)
def get_speaker(speaker_id, args):
    """One speaker: kind, roles with how many quotes carry each, number of quotes, and their quotes, paged."""
    session = get_session()
    row = session.execute(search.speaker_select().where(Speaker.id == speaker_id)).first()
    if row is None:
        abort(404, f"No speaker with id {speaker_id}.")
    quotes = search.quote_select(search.QuoteFilters(speaker_id=speaker_id, sort=args["sort"]))
    roles = search.speaker_roles(session, [speaker_id])[speaker_id]
    return {**present.speaker_item(row, roles), "quotes": paginate(session, quotes, args, present.quote_item)}
