"""Which stored speaker a name is: one speaker per folded name across the archive, except one-word people.

A full name ("Josep Borrell", "josep borrell", "Jósep Borrell") is one speaker across
every document, and so is an organisation, even of one word ("SNCF", "Kremlin"). A
person the text names by one word only (a first name, "Frédéric", or a surname it
never expands, "Le Pen") could be anyone of that name: that speaker is scoped to
its document and never merged with another article's.
"""
from .models import ARCHIVE
from .text import fold

# Particles that belong to a surname without making it a full name ("Le Pen", "de Gaulle", "d'Estaing").
PARTICLES = frozenset({"de", "du", "des", "d'", "la", "le", "les", "von", "van", "der", "den", "di", "da", "del",
                       "della", "dos", "das", "ben", "ibn", "el", "al"})


def tidy(name: str) -> str:
    """The name with its spacing tidied: how it is stored and shown."""
    return " ".join(name.split())


def is_one_word(name: str) -> bool:
    """True for a name with one word besides particles; a hyphenated name ("Jean-Pierre") is one word."""
    words = [word for word in fold(name).split() if word not in PARTICLES]
    words = [word[2:] if word.startswith(("d'", "l'")) else word for word in words]
    return len([word for word in words if word]) <= 1


def scope_of(name: str, kind: str | None, document_id: int) -> int:
    """``document_id`` for a person known by one word, else ``ARCHIVE``; an unknown kind counts as a person."""
    if kind != "organisation" and is_one_word(name):
        return document_id
    return ARCHIVE
