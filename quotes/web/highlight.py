"""Quotes shown inside their text: the sentence around a quote, an article with every quote marked.

Article text is never trusted: every segment goes through ``markupsafe.escape`` and only the
tags written here (``<mark>``, ``<span>``) are raw, so templates never need ``|safe`` on user text.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# Sentence ends; a newline ends a paragraph and so a sentence too.
_SENTENCE_END = ".!?…"
# Context is cut at this many characters on each side when no sentence end is near.
MAX_CONTEXT = 280

# Speakers in /try get one of these many colours (classes sp-0 … sp-7 in style.css, chosen light
# enough for black text at 7:1 contrast); classes rather than style attributes because the CSP
# forbids inline styles.
SPEAKER_CLASSES = 8
UNKNOWN_CLASS = "sp-unknown"


def _is_sentence_end(text: str, i: int) -> bool:
    """Whether ``text[i]`` closes a sentence (not the dot of "M." or of an initial)."""
    ch = text[i]
    if ch == "\n":
        return True
    if ch not in _SENTENCE_END:
        return False
    if i + 1 < len(text) and not text[i + 1].isspace():
        return False  # "3.5", "l'O.N.U", "...»"
    if ch == ".":
        word_start = i
        while word_start > 0 and text[word_start - 1].isalpha():
            word_start -= 1
        word = text[word_start:i]
        # "M.", "J. Biden", "Mme." are abbreviations, not ends of sentences.
        if (len(word) == 1 and word.isupper()) or word in ("Mme", "Mgr", "Dr", "Pr", "Me", "St"):
            return False
    return True


def _closes_sentence(text: str, end: int) -> bool:
    """Whether a quote ending at ``end`` ends with its own full stop and a new sentence follows."""
    inner = text[:end].rstrip("»”\"\u00a0\u202f ")
    if not inner or inner[-1] not in _SENTENCE_END:
        return False
    rest = text[end:].lstrip()
    return not rest or rest[0].isupper() or rest[0] in "«\n"


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int, bool, bool]:
    """The sentence(s) holding ``text[start:end]``: (left, right, cut_left, cut_right).

    At most MAX_CONTEXT characters are taken on each side; ``cut_*`` tell that a side was cut there.
    """
    left = start
    limit = max(0, start - MAX_CONTEXT)
    while left > limit and not _is_sentence_end(text, left - 1):
        left -= 1
    cut_left = left > 0 and not _is_sentence_end(text, left - 1)
    right = end
    cut_right = False
    if not _closes_sentence(text, end):  # «… réel.» Puis… : the quote ended its own sentence
        limit = min(len(text), end + MAX_CONTEXT)
        while right < limit and not _is_sentence_end(text, right):
            right += 1
        cut_right = right < len(text) and not _is_sentence_end(text, right)
        if right < len(text) and text[right] != "\n":
            right += 1  # keep the full stop
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right, cut_left, cut_right


def quote_in_context(text: str | None, start: int, end: int, quote: str) -> Markup:
    """The sentence around a quote, escaped, with the quote in ``<mark>``.

    Falls back to the quote alone when the offsets do not match the stored text.
    """
    if not text or not (0 <= start < end <= len(text)) or text[start:end] != quote:
        return Markup("<mark>{}</mark>").format(quote)
    left, right, cut_left, cut_right = sentence_bounds(text, start, end)
    return Markup("{}{}<mark>{}</mark>{}{}").format(
        "… " if cut_left else "", text[left:start], text[start:end], text[end:right], " …" if cut_right else ""
    )


@dataclass(frozen=True)
class SpeakerColour:
    name: str | None  # None: a quote nobody is named for
    css_class: str
    count: int


def speaker_classes(speakers: Iterable[str | None]) -> dict[str | None, str]:
    """One colour class per speaker, in order of first appearance, cycling through the palette."""
    classes: dict[str | None, str] = {}
    for name in speakers:
        if name in classes:
            continue
        if name is None:
            classes[None] = UNKNOWN_CLASS
        else:
            classes[name] = f"sp-{sum(1 for k in classes if k is not None) % SPEAKER_CLASSES}"
    return classes


def who(quote) -> str | None:
    """Who a reader is told speaks: the name, else the description the text gives, else None."""
    return quote.speaker or quote.speaker_label


def legend(quotes: Sequence) -> list[SpeakerColour]:
    """Speakers of ``quotes`` with their colour class and number of quotes, in order of first appearance."""
    classes = speaker_classes(who(q) for q in quotes)
    counts: dict[str | None, int] = {}
    for q in quotes:
        counts[who(q)] = counts.get(who(q), 0) + 1
    return [SpeakerColour(name, css_class, counts[name]) for name, css_class in classes.items()]


def highlight_article(text: str, quotes: Sequence) -> Markup:
    """The whole text, escaped, each quote in a ``<mark>`` coloured for its speaker, who is named beside it.

    ``quotes`` carry ``start``, ``end``, ``speaker``, ``speaker_label``, ``type`` and ``evidence``, whose
    explanation shows on hover (``title``); overlapping or out-of-range ones are skipped.
    """
    classes = speaker_classes(who(q) for q in quotes)
    parts: list[Markup] = []
    pos = 0
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if q.start < pos or not (0 <= q.start < q.end <= len(text)):
            continue
        name = who(q) or "locuteur inconnu"
        why = q.evidence.explain() if q.evidence else "aucune règle n’a désigné de locuteur"
        parts.append(escape(text[pos:q.start]))
        parts.append(
            Markup(
                '<mark class="quote quote-{type} {css}" data-speaker="{name}" title="{why}">{quote}</mark>'
                '<span class="speaker-tag {css}">{name}</span>'
            ).format(type=q.type, css=classes[who(q)], name=name, why=why, quote=text[q.start:q.end])
        )
        pos = q.end
    parts.append(escape(text[pos:]))
    return Markup("").join(parts)
