"""The record the extractor yields: plain data, no Flask, no database."""
from dataclasses import dataclass, asdict

QUOTE_TYPES = ("direct", "partial", "indirect")


@dataclass(frozen=True)
class QuoteRecord:
    """One quotation found in a text.

    ``start``/``end`` are character offsets into the text given to the
    extractor, so ``text[start:end] == quote``.
    """

    quote: str
    start: int
    end: int
    speaker: str | None = None  # canonical name ("Dmitri Peskov"), or None
    mention: str | None = None  # the speaker as written ("le porte-parole du Kremlin", "il")
    role: str | None = None  # "porte-parole du Kremlin"
    cue: str | None = None  # the reporting expression as written ("a souligné")
    cue_lemma: str | None = None  # "souligner"
    type: str = "direct"  # one of QUOTE_TYPES
    confidence: float = 0.5

    def to_dict(self) -> dict:
        return asdict(self)
