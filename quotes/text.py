"""Text helpers shared by storage and search: folding for matching, hashing for identity."""
import hashlib
import unicodedata

# Typographic apostrophes and look-alikes that French press text mixes freely.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u00b4": "'"})


def fold(s: str) -> str:
    """Lower case, accents removed, apostrophes made straight, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", s)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.translate(_APOSTROPHES).lower().split())


def content_hash(text: str) -> str:
    """SHA-256 hex digest of ``text`` exactly as given (the document's identity)."""
    # surrogatepass: JSON may carry lone surrogates; they must hash, not crash.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def name_words(s: str) -> list[str]:
    """The folded words of a name: hyphens and apostrophes split words ("Jean-Yves", "d'Estaing")."""
    return fold(s).replace("-", " ").replace("'", " ").split()
