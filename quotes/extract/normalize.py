"""A same-length normalised copy of a text, for spaCy and the scanners.

Every substitution replaces one character by one character, so an offset in
the copy is the same offset in the original: records always slice the
original text.
"""
import re

_APOSTROPHES = "\u2019\u2018\u02bc\u2032\u00b4\u0060\u201b\uff07"
_SPACES = "\u00a0\u202f\u2009\u2007\u2008\u200a\u2002\u2003\u2004\u2005\u2006\u205f\u3000\t\v\f\r"
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


def _plain(match: re.Match) -> str:
    return _CHARS.get(match.group(), " ")


def normalize(text: str) -> str:
    """``text`` with typographic apostrophes, odd spaces and control characters made plain, same length."""
    out = _ODD.sub(_plain, text)
    assert len(out) == len(text)
    return out
