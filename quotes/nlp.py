"""The one place a spaCy pipeline is loaded: once per process and model name."""
import logging
import os
import time
from functools import lru_cache

DEFAULT_MODEL = "fr_core_news_sm"
log = logging.getLogger(__name__)


def default_model_name() -> str:
    return os.environ.get("QUOTES_SPACY_MODEL") or DEFAULT_MODEL


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """Load (once) the installed spaCy pipeline package ``name``."""
    import spacy  # imported here so that importing the package stays cheap

    name = name or default_model_name()
    started = time.perf_counter()
    nlp = spacy.load(name)
    log.info("loaded spaCy model %s in %.2f s", name, time.perf_counter() - started)
    return nlp
