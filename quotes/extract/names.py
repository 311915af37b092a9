"""Cheap discovery of the people and organisations a document names, for coreference.

Runs on the whole normalised text with a first-name list, honorifics, role
words and acronym definitions, without spaCy (whose entity recogniser would
cost more than the rest of the extraction). Names inside quotations are not
mentions of a speaker.
"""
import re
from bisect import bisect_right
from functools import lru_cache

from . import lexicon
from .speakers import _PLACE_PREFIXES, Registry, describe

_WORD = re.compile(r"[^\W\d_][\w'-]*")
_CAP = r"[A-ZÀ-ÖØ-Þ][\w'-]+"
_NAME_RUN = re.compile(rf"{_CAP}(?:[ -](?:(?:de|du|da|di|von|van|der|el|al|ben|bin|le|la) )?{_CAP}){{1,3}}")
_ROLE_AFTER = re.compile(r"^\s*,\s*((?:l[ae] |l'|un |une |son |sa |leur )?[^,.;:!?«»()\n]{2,90}?)\s*(?:[,.;)]|$)")
_ACRONYM_AFTER = re.compile(rf"({_CAP}(?: [\w'-]+){{1,8}}?) ?\(([A-Z][A-Za-z0-9]{{1,9}})\)")
_ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Za-z0-9]{1,9}) ?\(([A-ZÀ-Þ][^()\n]{4,90})\)")
_ACRONYM_AFTER_HINT = re.compile(r"\([A-Z][A-Za-z0-9]{1,9}\)")
_ACRONYM_BEFORE_HINT = re.compile(r"\([A-ZÀ-Þ]")
_OBLIQUE = {"de", "d'", "du", "des", "à", "au", "aux", "avec", "par", "pour", "contre", "sur", "chez", "entre",
            "envers", "vers", "sans", "et"}


_PREPOSITIONS = {"à", "au", "aux", "de", "d'", "du", "des", "avec", "pour", "par", "sur", "chez", "contre", "selon",
                 "entre", "vers", "dans", "en", "devant", "après", "avant"}
_ROLE_DETERMINERS = {"le", "la", "l'", "les", "un", "une", "au", "aux", "son", "sa", "leur", "du"}


def _role_before(text: str, start: int) -> str | None:
    """ "le porte-parole du Kremlin " before a name: back to the determiner that opens a role noun."""
    words = re.findall(r"[dlDL]'|[^\s']+'?", text[max(0, start - 100):start].rstrip().rstrip(","))
    roles = lexicon.role_words()
    if words and words[-1].lower() in _PREPOSITIONS:
        return None  # "a indiqué son père à TV Azteca": the name is not the role's
    for n in range(len(words) - 1, 0, -1):
        word = words[n - 1]
        if re.search(r"[,.;:!?«»()]", words[n]) or len(words) - n > 10:
            return None
        if word.lower() in _ROLE_DETERMINERS and words[n].lower() in roles:
            role = " ".join(words[n:]).replace("' ", "'").strip(" ,")
            return role or None
    return None


def _role_near(text: str, start: int, end: int) -> str | None:
    """A role written right before ("le chef de l'OTAN Jens Stoltenberg") or after (", chef de l'OTAN,")."""
    role = _role_before(text, start)
    if role:
        return role
    m = _ROLE_AFTER.match(text[end:end + 110])
    if m:
        desc = describe(m.group(1))
        words = (desc.role or "").split()
        if words and words[0].lower() in lexicon.role_words() and not desc.name:
            return desc.role
    return None


def _initials_match(acronym: str, expansion: str) -> bool:
    words = [w for w in re.findall(r"[\w]+", expansion) if w.lower() not in lexicon.NAME_PARTICLES
             and len(w) > 2 or w[:1].isupper()]
    letters = "".join(w[0] for w in words).lower()
    return acronym.lower() == letters or (len(acronym) >= 3 and letters.startswith(acronym.lower()[:3])
                                          and acronym.lower() in letters)


class _Quoted:
    def __init__(self, quoted: list[tuple[int, int]]):
        self.quoted = sorted(quoted)
        self.starts = [a for a, _ in self.quoted]

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and self.quoted[k][0] <= pos < self.quoted[k][1]


def _subject_like(text: str, start: int) -> bool:
    before = re.search(r"([\w']+)\s*$", text[max(0, start - 20):start])
    return not (before and before.group(1).lower() in _OBLIQUE)


@lru_cache(maxsize=1)
def _honorific_words() -> re.Pattern:
    """An honorific as a whole word (M, Mme, Dr…): found by one regex instead of a look at every word."""
    words = sorted((w for w in lexicon.honorifics() if _WORD.fullmatch(w)), key=len, reverse=True)
    firsts = sorted({c for w in words for c in (w[0].lower(), w[0].upper())})
    # the lookahead on first letters lets the regex engine skip to candidates (twice as fast)
    return re.compile(r"(?=[" + "".join(firsts) + r"])(?<![\w'-])(?:" + "|".join(map(re.escape, words))
                      + r")(?![\w'-])", re.IGNORECASE)


def harvest(text: str, registry: Registry, quoted: list[tuple[int, int]]) -> None:
    """Register names with their roles and positions, acronym definitions, then "M./Mme Nom" mentions."""
    inside = _Quoted(quoted)
    first, honorifics = lexicon.first_names(), lexicon.honorifics()
    for pattern, hint, long_group, short_group in ((_ACRONYM_AFTER, _ACRONYM_AFTER_HINT, 1, 2),
                                                   (_ACRONYM_BEFORE, _ACRONYM_BEFORE_HINT, 2, 1)):
        if not hint.search(text):
            continue  # most texts define no acronym: a cheap look for the parenthesis spares the long regex
        for m in pattern.finditer(text):
            full, short = m.group(long_group).strip(), m.group(short_group)
            words = full.split()
            while words and not _initials_match(short, " ".join(words)) and len(words) > 1:
                words = words[1:]
            if words and _initials_match(short, " ".join(words)) and m.start() not in inside:
                registry.add_alias(short, " ".join(words))
    for m in _NAME_RUN.finditer(text):
        if m.start() in inside:
            continue
        parts, start = m.group().split(), m.start()
        if parts[0].lower() in lexicon.honorifics() or parts[0].lower() in lexicon.DETERMINERS:
            continue
        k = next((n for n, w in enumerate(parts) if w in first), None)
        if k:  # "du Kremlin Dmitri Peskov": an organisation, then the name ("San Luis Potosi" is a place)
            if parts[0] in _PLACE_PREFIXES or not re.search(r"(?:\b(?:de|du|des|la|le|les)|\bl'|\bd')\s*$", text[max(0, start - 6):start], re.I):
                continue
            start += len(" ".join(parts[:k])) + 1
            parts = parts[k:]
        if len(parts) < 2:
            continue
        role = _role_near(text, start, m.end())
        if k is None and not role:
            continue
        registry.add(" ".join(parts), start, first.get(parts[0]), role, _subject_like(text, start))
    for m in _honorific_words().finditer(text):
        nxt = _WORD.search(text, m.end())
        if nxt and m.start() not in inside:
            if nxt.group()[:1].isupper() and nxt.start() - m.end() <= 2 and nxt.group() not in first:
                registry.add(nxt.group(), m.start(), honorifics[m.group().lower()], None,
                             _subject_like(text, m.start()))
