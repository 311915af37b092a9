import hashlib
import re

import pytest

from quotes.text import WHITESPACE_CLASS, content_hash, fold, name_words


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Jens Stoltenberg", "jens stoltenberg"),
        ("STOLTENBERG", "stoltenberg"),
        ("Élisabeth Borne", "elisabeth borne"),
        ("François  Hollande\u00a0", "francois hollande"),
        ("l’OTAN", "l'otan"),
        ("Jean-Yves Le Drian", "jean-yves le drian"),
        ("  sécurité\n\teuropéenne ", "securite europeenne"),
        ("Ça, c’est ﬁni", "ca, c'est fini"),  # the ligature is a compatibility character
        ("", ""),
    ],
)
def test_fold(raw, folded):
    assert fold(raw) == folded


def test_content_hash_is_sha256_of_the_exact_text():
    assert content_hash("Bonjour") == hashlib.sha256("Bonjour".encode()).hexdigest()
    assert content_hash("Bonjour") != content_hash("Bonjour ")
    assert content_hash("Bonjour") != content_hash("bonjour")


def test_content_hash_accepts_lone_surrogates():
    assert len(content_hash("a\ud800b")) == 64


@pytest.mark.parametrize(
    "name, words",
    [
        ("Jean-Yves Le Drian", ["jean", "yves", "le", "drian"]),
        ("Valéry Giscard d’Estaing", ["valery", "giscard", "d", "estaing"]),
        ("  STOLTENBERG ", ["stoltenberg"]),
        ("--", []),
    ],
)
def test_name_words(name, words):
    assert name_words(name) == words


def test_the_whitespace_class_is_what_isspace_calls_blank():
    # The OpenAPI patterns spell whitespace out; it must be exactly what strip() and split() remove.
    blank = re.compile(f"[{WHITESPACE_CLASS}]")
    differ = [hex(n) for n in range(0x110000) if bool(blank.match(chr(n))) != chr(n).isspace()]
    assert differ == []
