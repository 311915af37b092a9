"""Text helpers shared by storage and search: folding for matching, hashing for identity."""
import hashlib
import unicodedata
from functools import lru_cache

# Typographic apostrophes and look-alikes that French press text mixes freely.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'"})


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
