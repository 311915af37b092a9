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


_INVERTED = frozenset(("il", "elle", "ils", "elles", "on"))


def _register_inverted_pronouns() -> None:
    """A pipeline component that joins "-" and "elles" back into "-elles" ("implorent-elles").

    spaCy's French tokenizer keeps "-il", "-elle" and "-ils" whole after a verb but cuts
    "-elles" in two, so the inverted subject of an incise went unseen.
    """
    from spacy.language import Language

    if "inverted_pronouns" in Language.factories:
        return

    @Language.component("inverted_pronouns")
    def inverted_pronouns(doc):
        spans = [doc[k:k + 2] for k in range(1, len(doc) - 1)
                 if doc[k].text == "-" and not doc[k - 1].whitespace_ and not doc[k].whitespace_
                 and doc[k + 1].lower_ in _INVERTED and doc[k - 1].is_alpha]
        if spans:
            with doc.retokenize() as retokenizer:
                for span in spans:
                    retokenizer.merge(span)
        return doc


@lru_cache(maxsize=4)
def load_nlp(name: str | None = None):
    """Load (once) the installed spaCy pipeline package ``name``."""
    import spacy  # imported here so that importing the package stays cheap

    name = name or default_model_name()
    started = time.perf_counter()
    _register_inverted_pronouns()
    nlp = spacy.load(name)
    if hasattr(nlp.tokenizer, "max_cache_size"):
        # spaCy caches the tokens of 10,000 distinct words, full after a few articles; a long
        # ingest meets the same words again and again (measured: tokenising the corpus a
        # second time takes half the time with this cache, for 4 MB more).
        nlp.tokenizer.max_cache_size = TOKENIZER_CACHE
    if "inverted_pronouns" not in nlp.pipe_names:
        nlp.add_pipe("inverted_pronouns", first=True)
    from .embeddings import remember_embeddings

    remembered = remember_embeddings(nlp)
    log.info("loaded spaCy model %s in %.2f s%s", name, time.perf_counter() - started,
             " (token embeddings remembered)" if remembered else "")
    return nlp
