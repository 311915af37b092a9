"""Extraction only: quotes found in a text, nothing stored."""
from apiflask import APIBlueprint
from flask import current_app

from ..extract import extract
from ..limits import extract_limit
from . import present
from .schemas import ExtractIn, ExtractOut

bp = APIBlueprint("extract", __name__)


@bp.post("/extract")
@extract_limit
@bp.input(ExtractIn, arg_name="body")
@bp.output(ExtractOut)
def extract_quotes(body):
    """The quotes in a text with their speakers, cues, offsets and evidence; nothing is stored."""
    quotes = extract(body["text"], model=current_app.config["SPACY_MODEL"])
    return {"quotes": [present.extracted(quote.to_dict()) for quote in quotes]}
