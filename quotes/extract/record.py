"""The records the extractor yields: plain data, no Flask, no database."""
from dataclasses import asdict, dataclass

QUOTE_TYPES = ("direct", "partial", "indirect")
SPEAKER_KINDS = ("person", "organisation")


@dataclass(frozen=True)
class Evidence:
    """Why a quote has the speaker it has: the construction, its cue, the mention and the path to the name.

    ``steps`` read in order from the mention as written to the speaker
    ("apposition at 120: «le ministre de la Santé Olivier Véran»",
    "pronoun «il» → subject of the sentence at 87: Juan Branco").
    """

    rule: str  # the construction that tied the quote to a mention ("incise", "according-to", "continuation"…)
    cue: str | None = None  # the reporting expression as written
    mention: str | None = None  # the speaker as written at the cue ("il", "le chef de l'OTAN")
    mention_start: int | None = None
    steps: tuple[str, ...] = ()

    def explain(self) -> str:
        """One line a person can read."""
        head = self.rule + (f" «{self.cue}»" if self.cue else "")
        if self.mention:
            head += f", mention «{self.mention}»" + (f" at {self.mention_start}" if self.mention_start is not None else "")
        return "; ".join((head, *self.steps))


@dataclass(frozen=True)
class QuoteRecord:
    """One quotation found in a text.

    ``start``/``end`` are character offsets into the text given to the
    extractor, so ``text[start:end] == quote``. ``speaker`` is only ever a
    person or an organisation the text names; a speaker the text only describes
    ("un porte-parole de la mairie") is ``speaker_label``, with ``speaker`` None.
    """

    quote: str
    start: int
    end: int
    speaker: str | None = None  # canonical name ("Dmitri Peskov"), or None
    mention: str | None = None  # the speaker as written ("le porte-parole du Kremlin", "il")
    role: str | None = None  # "porte-parole du Kremlin", tied to this speaker by the text
    cue: str | None = None  # the reporting expression as written ("a souligné")
    cue_lemma: str | None = None  # "souligner"
    type: str = "direct"  # one of QUOTE_TYPES
    confidence: float = 0.5
    speaker_kind: str | None = None  # one of SPEAKER_KINDS when speaker is set
    speaker_label: str | None = None  # a description when nobody is named ("porte-parole de la mairie")
    evidence: Evidence | None = None
    form: str | None = None  # "dialogue" for a line of dialogue opened by a dash; None: as ``type`` says

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def attributed_to(self) -> str | None:
        """The name, else the description: what a reader is told about who speaks."""
        return self.speaker or self.speaker_label
