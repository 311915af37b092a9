"""Text helpers shared by storage and search: folding for matching, hashing for identity."""
import hashlib
import unicodedata
from functools import lru_cache

# Typographic apostrophes and look-alikes that French press text mixes freely.
_APOSTROPHE_LOOKALIKES = "\u2019\u2018\u02bc\u2032`\u00b4"
_APOSTROPHES = str.maketrans(dict.fromkeys(_APOSTROPHE_LOOKALIKES, "'"))

# For regular-expression classes (the OpenAPI document's patterns, read by Python and by
# ECMAScript engines alike): what split() and strip() treat as blank, spelt out because \s
# differs between the two (\x1c-\x1f and \x85 in Python, \ufeff in ECMAScript); and what
# fold() and name_words() read as separators between the words of a name.
WHITESPACE_CLASS = r"\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
NAME_SEPARATOR_CLASS = WHITESPACE_CLASS + r"\-'" + _APOSTROPHE_LOOKALIKES


@lru_cache(maxsize=16384)
def fold(s: str) -> str:
    """Lower case, accents removed, apostrophes made straight, whitespace collapsed."""
    # cached: the extractor folds the same names and roles over and over
    if s.isascii():
        return " ".join(s.replace("`", "'").lower().split())
    decomposed = unicodedata.normalize("NFKD", s)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_APOSTROPHES).lower().split())


def stored_form(text: str) -> str:
    """The form a document's text is stored, identified and extracted in: NFC.

    The same article arrives with accents composed (é) or decomposed (e + ◌́), depending on
    the system that wrote it; stored as given, it would be two documents.
    """
    return unicodedata.normalize("NFC", text)


def content_hash(text: str) -> str:
    """SHA-256 hex digest of ``text`` exactly as given (the document's identity)."""
    # surrogatepass: JSON may carry lone surrogates; they must hash, not crash.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def name_words(s: str) -> list[str]:
    """The folded words of a name: hyphens and apostrophes split words ("Jean-Yves", "d'Estaing")."""
    return fold(s).replace("-", " ").replace("'", " ").split()
