"""French quote extraction: text in, ``QuoteRecord`` records out (no Flask, no database)."""
from collections.abc import Iterable, Iterator

from ..nlp import load_nlp
from .record import QUOTE_TYPES, QuoteRecord

__all__ = ["QuoteRecord", "QUOTE_TYPES", "extract", "extract_many"]


def extract(text: str, model: str | None = None) -> list[QuoteRecord]:
    """Every quotation in ``text``, in order of appearance."""
    return next(extract_many([text], model=model))


def extract_many(texts: Iterable[str], model: str | None = None, batch_size: int = 32) -> Iterator[list[QuoteRecord]]:
    """One list of quotes per input text, in input order (batched through spaCy)."""
    from .pipeline import run

    yield from run(texts, load_nlp(model), batch_size=batch_size)
