"""Paragraphs and sentences of a normalised text, cheap and without spaCy.

Sentence ends inside a quotation do not end the sentence that holds it, so a
quote and its incise stay in one sentence.
"""
import re
from bisect import bisect_right
from dataclasses import dataclass

from .spans import Span

_END = re.compile(r"[.!?…]+(?:\s?[»”\"')\]])*(?=\s+[\"«“(\[—–-]?\s*[A-ZÀ-ÖØ-Þ0-9])")
_LAST_WORD = re.compile(r"([\w.-]+)$")
_ABBREVIATIONS = {"m", "mm", "mme", "mmes", "mlle", "me", "dr", "pr", "st", "ste", "av", "apr", "j.-c", "etc",
                  "cf", "p", "n", "no", "vol", "art", "al", "gal", "gén", "col", "cdt", "mgr", "réf"}


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line."""
    out, start = [], 0
    for m in re.finditer(r"\n", text):
        if text[start:m.start()].strip():
            out.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def sentences(text: str, spans: list[Span]) -> list[Sentence]:
    """Sentences in order; a sentence never ends inside a quotation span, but always at a paragraph end."""
    opens = [s.open for s in spans]

    def inside(pos: int, end: int) -> bool:
        k = bisect_right(opens, pos) - 1
        # a full stop inside a quotation, unless the quotation closes right after it («Je pars.» Il a…)
        return k >= 0 and spans[k].open < pos < spans[k].after - 1 and spans[k].paragraphs == 1 \
            and end < spans[k].after

    out = []
    for n, (p_start, p_end) in enumerate(paragraphs(text)):
        start = p_start
        for m in _END.finditer(text, p_start, p_end):
            if inside(m.start(), m.end()):
                continue
            # the word before the full stop: its last 60 characters are enough to tell an abbreviation
            word = _LAST_WORD.search(text, max(start, m.start() - 60), m.start())
            if text[m.start()] == "." and word and (word.group(1).lower() in _ABBREVIATIONS
                                                    or len(word.group(1)) == 1 and word.group(1).isupper()):
                continue
            out.append(Sentence(start, m.end(), n))
            start = m.end()
            while start < p_end and text[start].isspace():
                start += 1
        if start < p_end:
            out.append(Sentence(start, p_end, n))
    return out


def sentence_at(sents: list[Sentence], starts: list[int], pos: int) -> int:
    """Index of the sentence holding ``pos`` (``starts`` are the sentences' starts)."""
    return max(0, bisect_right(starts, pos) - 1)
