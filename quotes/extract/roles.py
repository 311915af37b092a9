"""Comparing role descriptions: does "le chef de l'OTAN" describe the same person as "secrétaire général de l'OTAN"?

A role is read as three sets of folded words: named words (capitalised in the
text: "OTAN", "Santé") that tell positions apart, descriptive words
("américain", "macroniste") that narrow them down, and head nouns ("ministre",
"avocat"). Synonymous phrases (``data/role_synonyms.txt``) become one token.
No spaCy here.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from ..text import fold
from . import lexicon

_SPECIFIC_GROUPS = 3  # the first groups of role_synonyms.txt name one position; the others a kind of role
_STOP = frozenset("de du des d' le la les l' un une à au aux et en pour sur chez".split())
# Head nouns of roles beyond the role words list: words that head a description of a position.
_EXTRA_HEADS = frozenset("chef cheffe patron patronne président présidente dirigeant dirigeante secrétaire directeur "
                         "directrice leader numéro responsable général générale".split())


@lru_cache(maxsize=1)
def _synonym_groups() -> list[list[str]]:
    return [[w.strip() for w in line.split("=")] for line in lexicon.read_data_lines("role_synonyms.txt")]


@lru_cache(maxsize=1)
def _folded_heads() -> frozenset[str]:
    return frozenset({fold(w) for w in lexicon.role_words()} | {fold(w) for w in _EXTRA_HEADS})


@dataclass(frozen=True)
class RoleWords:
    named: frozenset[str]
    descriptive: frozenset[str]
    heads: frozenset[str]

    def __bool__(self) -> bool:
        return bool(self.named or self.descriptive or self.heads)


@lru_cache(maxsize=4096)
def role_words(role: str) -> RoleWords:
    """The named, descriptive and head words of a role, folded; synonyms become group tokens ("#2")."""
    named = {fold(w) for w in re.findall(r"[\w-]+", role.replace("’", "'")) if w[:1].isupper()}
    text = " " + re.sub(r"[^\w' -]", " ", fold(role)).replace("'", "' ") + " "
    descriptive, heads = set(), set()
    for n, group in enumerate(_synonym_groups()):
        for phrase in group:
            padded = " " + phrase.replace("'", "' ") + " "
            if padded in text:
                # a specific position ("premier ministre") is also what the role is, for telling roles apart
                heads.add(f"#{n}")
                if n < _SPECIFIC_GROUPS:
                    descriptive.add(f"#{n}")
                text = text.replace(padded, " ")
    for w in re.findall(r"[\w-]+", text):
        if w in _STOP or len(w) < 2 or w in named:
            continue
        (heads if w in _folded_heads() else descriptive).add(w)
    return RoleWords(frozenset(named), frozenset(descriptive), frozenset(heads))


def agreement(wanted: str, known: str) -> float:
    """How well a role the text uses now (``wanted``) fits a role it gave a person (``known``).

    Positive: the same position ("chef de l'OTAN" / "secrétaire général de l'OTAN"
    scores on OTAN; "l'avocate" / "avocate de la famille" on the head).
    Negative: another position ("ministre de la Culture" / "ministre de la Santé",
    "procureur" / "avocat"). Zero: nothing to tell.
    """
    a, b = role_words(wanted), role_words(known)
    if a.named and b.named and not a.named & b.named:
        return -1.0  # "chef de l'OTAN" is not "porte-parole du Kremlin"
    score = 2 * len(a.named & b.named) + len(a.descriptive & b.descriptive)
    shared_heads = a.heads & b.heads
    bodies_a, bodies_b = (a.heads | a.descriptive) & lexicon.ORG_WORDS, (b.heads | b.descriptive) & lexicon.ORG_WORDS
    if bodies_a and bodies_b and not bodies_a & bodies_b:
        return -1.0  # "porte-parole du gouvernement" is not "porte-parole du ministère des Affaires étrangères"
    if a.heads and b.heads and not shared_heads:
        return -1.0  # "procureur" is not "avocat", "porte-parole du gouvernement" not "chef du gouvernement"
    if score:
        return score + 0.5 * len(shared_heads)
    if shared_heads and not a.named and not a.descriptive:
        return 0.5 * len(shared_heads)  # "l'avocate" takes up "avocate de la famille"
    if shared_heads:
        return 0.25  # the same kind of position, said differently
    return 0.0
