"""A normalised copy of a text, for spaCy and the scanners, and the way back to the original's offsets.

Most texts need only one-for-one substitutions (typographic apostrophes, odd
spaces, control characters): the copy has the same length and an offset in it
is the same offset in the original. A text in decomposed form (NFD: "e" then a
combining accent), or with invisible characters inside words (a soft hyphen or
a zero-width space in "Ma\u00adcron", common in scraped pages), is rebuilt in
NFC without them, so that names, cues and matching see the words a reader
sees; ``Normalized.original`` then maps every offset back, and records always
slice the original text.
"""
import re
import unicodedata
from dataclasses import dataclass

_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4\u0060\u201b\uff07"
_SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\u205f\u3000\t\v\f\r"
# Dropped from the copy: they sit inside words ("Ma\u00adcron") or mark a direction, and mean nothing to a reader.
_INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u061c" + "".join(map(chr, range(0x202A, 0x202F))) \
    + "".join(map(chr, range(0x2066, 0x206A)))
_DASHES = "\u2010\u2011"  # hyphens that break "porte\u2011parole" or "a\u2011t\u2011il"

_TABLE = {ord(c): "'" for c in _APOSTROPHES}
_TABLE.update({ord(c): " " for c in _SPACES + _INVISIBLE})
_TABLE.update({ord(c): "-" for c in _DASHES})
_TABLE.update({ord("\u2028"): "\n", ord("\u2029"): "\n", ord("\u0085"): "\n"})


_CHARS = {chr(code): plain for code, plain in _TABLE.items()}
# What _TABLE maps, and control characters (but the newline, which separates paragraphs) and lone
# surrogates, which become spaces. One regex pass: most texts have few such characters, and
# str.translate looks every character of a non-ASCII text up in the table (ten times slower).
_ODD = re.compile("[" + re.escape("".join(_CHARS)) + "\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_REBUILD = re.compile("[" + re.escape(_INVISIBLE) + "]")


def _plain(match: re.Match) -> str:
    return _CHARS.get(match.group(), " ")


@dataclass(frozen=True)
class Normalized:
    """The copy the extractor reads, and where each of its offsets lies in the original."""

    text: str
    back: tuple[int, ...] | None = None  # original offset of each copy offset (and of its end); None: the same

    def original(self, pos: int) -> int:
        return pos if self.back is None else self.back[pos]


def normalize(text: str) -> str:
    """``text`` with typographic apostrophes, odd spaces and control characters made plain, same length."""
    out = _ODD.sub(_plain, text)
    assert len(out) == len(text)
    return out


def normalized(text: str) -> Normalized:
    """The copy to read: same length when it can be, else NFC without invisible characters, with its way back."""
    if (text.isascii() or unicodedata.is_normalized("NFC", text)) and not _REBUILD.search(text):
        return Normalized(normalize(text))
    pieces, back = [], []
    i, n = 0, len(text)
    while i < n:
        # a base character and the combining marks after it compose as one (NFD "e\u0301" → "é")
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if cluster[0] in _INVISIBLE:
            cluster = cluster[1:]  # a combining mark after an invisible one stays
        if cluster:
            composed = unicodedata.normalize("NFC", cluster)
            pieces.append(composed)
            back.extend([i] * len(composed))
        i = j
    back.append(n)
    copy = normalize("".join(pieces))
    return Normalized(copy, tuple(back))
