"""The one place a spaCy pipeline is loaded: once per process and model name."""
import logging
import os
import time
from functools import lru_cache

DEFAULT_MODEL = "fr_core_news_sm"
TOKENIZER_CACHE = 200_000  # distinct whitespace-separated chunks whose tokens spaCy keeps
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
    if hasattr(nlp.tokenizer, "max_cache_size"):
        # spaCy caches the tokens of 10,000 distinct words, full after a few articles; a long
        # ingest meets the same words again and again (measured: tokenising the corpus a
        # second time takes half the time with this cache, for 4 MB more).
        nlp.tokenizer.max_cache_size = TOKENIZER_CACHE
    from .embeddings import remember_embeddings

    remembered = remember_embeddings(nlp)
    log.info("loaded spaCy model %s in %.2f s%s", name, time.perf_counter() - started,
             " (token embeddings remembered)" if remembered else "")
    return nlp
