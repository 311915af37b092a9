"""Health check: is the database reachable, which model the extractor uses."""
from apiflask import APIBlueprint
from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .. import __version__, get_session
from ..nlp import load_nlp
from .schemas import HealthOut

bp = APIBlueprint("health", __name__)


@bp.get("/health")
@bp.output(HealthOut)
@bp.doc(responses={503: {"description": "The database cannot be reached", "content": {"application/json": {"schema": HealthOut}}}})
def health():
    """Whether the service can answer: database reachable, extractor model named (not loaded)."""
    try:
        get_session().execute(text("SELECT 1"))
        database, status = "ok", 200
    except SQLAlchemyError:
        database, status = "unreachable", 503
    body = {
        "status": "ok" if status == 200 else "unavailable",
        "database": database,
        "model": current_app.config["SPACY_MODEL"],
        # Checking the cache never loads the model.
        "model_loaded": load_nlp.cache_info().currsize > 0,
        "version": __version__,
    }
    return body, status
