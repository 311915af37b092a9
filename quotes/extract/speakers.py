"""Speaker descriptions: splitting role from name, and resolving mentions to names.

A mention as written ("le porte-parole du Kremlin Dmitri Peskov", "il",
"M. Stoltenberg", "le chef de l'OTAN") becomes a ``Description``; a
``Registry`` of the people named in a document then resolves pronouns,
surnames and role descriptions to the full name introduced in that document.
"""
import re
import unicodedata
from dataclasses import dataclass, field

from . import lexicon

_DEFINITE = {"le", "la", "les", "l'"}
_DE = {"de", "du", "des", "d'"}
_PLURAL_DET = {"les", "des", "ces", "leurs", "nos", "plusieurs", "certains", "certaines"}
_STOP = _DE | {"le", "la", "les", "l'", "un", "une", "à", "au", "aux", "et", "en", "pour", "sur", "chez"}
_HEAD_NOUNS = {"chef", "cheffe", "patron", "patronne", "président", "présidente", "dirigeant", "dirigeante",
               "secrétaire", "directeur", "directrice", "leader", "numéro", "responsable", "général", "générale"}


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _is_cap(word: str) -> bool:
    return bool(word) and (word[0].isupper() or (word[0] in "'’" and len(word) > 1 and word[1].isupper()))


@dataclass
class Description:
    """What a subject noun phrase tells about its speaker."""

    mention: str  # as written, determiner included
    name: str | None = None  # "Dmitri Peskov", "Kremlin"
    role: str | None = None  # "porte-parole du Kremlin"
    pronoun: str | None = None  # "il", "elle"
    gender: str | None = None
    plural: bool = False

    @property
    def is_person_name(self) -> bool:
        return self.name is not None and len(self.name.split()) >= 2

    def label(self) -> str | None:
        """The speaker to report when nothing better resolves."""
        if self.name:
            return self.name
        if self.pronoun:
            return None
        words = self.mention.split()
        if words and words[0].lower() in _DEFINITE:
            words = words[1:]
        elif words and words[0].lower().startswith("l'"):
            words[0] = words[0][2:]
        return " ".join(words) or None


def _split_words(mention: str) -> list[str]:
    # "l'OTAN" → "l'", "OTAN"; hyphenated words stay whole.
    return re.findall(r"[dlDL]'|[^\s,;:()]+", mention.replace("’", "'"))


def describe(mention: str) -> Description:
    """Split a subject noun phrase into determiner, honorific, role and name."""
    mention = mention.strip(" ,;:-—–\n")
    words = _split_words(mention)
    desc = Description(mention=mention)
    if not words:
        return desc
    low = [w.lower() for w in words]
    if len(words) == 1 and low[0].lstrip("-") in lexicon.PRONOUNS:
        pron = low[0].lstrip("-")
        desc.pronoun, desc.gender, desc.plural = pron, lexicon.PRONOUNS[pron], pron.endswith("s")
        return desc
    honorifics, roles, first = lexicon.honorifics(), lexicon.role_words(), lexicon.first_names()
    i = 0
    if low[0] in _DEFINITE | {"un", "une", "des", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur"}:
        desc.plural = low[0] in _PLURAL_DET
        if low[0] in ("la", "une", "cette", "sa"):
            desc.gender = "f"
        elif low[0] in ("le", "un", "ce", "cet", "son"):
            desc.gender = "m"
        i = 1
    if i < len(words) and low[i] in honorifics:
        desc.gender = honorifics[low[i]] or desc.gender
        i += 1
    body = words[i:]
    # The name is the last run of capitalised words (particles allowed inside it).
    end = len(body)
    while end and not _is_cap(body[end - 1]):
        end -= 1
    start = end
    while start > 0 and (_is_cap(body[start - 1]) or (
            body[start - 1].lower() in lexicon.NAME_PARTICLES and start - 2 >= 0 and _is_cap(body[start - 2])
            and start < end)):
        start -= 1
    run = body[start:end]
    if run and end < len(body) and not body[end:] == [] and body[end].lower() not in _DE:
        # trailing lower-case words after the name ("Jean Dupont lui-même") are dropped from the name
        pass
    if run:
        before = body[start - 1].lower() if start else ""
        first_at = next((k for k, w in enumerate(run) if w in first and (k == 0 or run[k - 1].lower()
                                                                             not in lexicon.NAME_PARTICLES)), None)
        if before in _DE | {"l'"} and first_at is None and len(run) >= 3:
            first_at = len(run) - 2  # "du Kremlin Dmitri Peskov": the organisation, then a two-word name
        if before in _DE | {"l'"} and first_at is None:
            run = []  # "le porte-parole du Kremlin": an organisation inside the role, no name
        elif first_at:
            start += first_at
            run = run[first_at:]
    if run:
        desc.name = " ".join(run)
        role_words = body[:start]
        if run[0] in first and first[run[0]]:
            desc.gender = desc.gender or first[run[0]]
    else:
        role_words = body
    role = " ".join(role_words).strip(" ,")
    if role:
        desc.role = role.replace(" '", "'").replace("' ", "'")
        head = role_words[0].lower()
        if head in roles and roles[head]:
            desc.gender = desc.gender or roles[head]
    if not desc.name and len(body) == 1 and _is_cap(body[0]):
        desc.name = body[0]  # "le Kremlin", "Washington"
        desc.role = None
    if desc.role and not desc.name and not desc.plural and role_words:
        desc.plural = role_words[0].lower().endswith(("s", "x")) and low[0] not in ("le", "la", "un", "une")
    return desc


@dataclass
class Person:
    name: str
    gender: str | None = None
    roles: set[str] = field(default_factory=set)
    positions: list[int] = field(default_factory=list)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]


class Registry:
    """The people (and organisations) named in one document, with their roles and positions."""

    def __init__(self):
        self.people: dict[str, Person] = {}

    def add(self, name: str, position: int, gender: str | None = None, role: str | None = None) -> Person:
        name = name.strip()
        person = self._match_name(name) if len(name.split()) == 1 else None
        if person is None:
            # A shorter form already seen ("Stoltenberg") is absorbed by the full name.
            key = fold(name)
            person = self.people.get(key)
            if person is None:
                person = self.people[key] = Person(name)
        if gender and not person.gender:
            person.gender = gender
        if role:
            person.roles.add(role)
        person.positions.append(position)
        return person

    def _match_name(self, word: str) -> Person | None:
        key = fold(word)
        matches = [p for p in self.people.values() if len(p.name.split()) > 1 and fold(p.surname) == key]
        if len(matches) == 1:
            return matches[0]
        return None

    def full_name(self, name: str) -> str:
        """ "Stoltenberg" → "Jens Stoltenberg" when the document introduced that person."""
        if len(name.split()) == 1:
            person = self._match_name(name)
            if person:
                return person.name
        return name

    def by_pronoun(self, gender: str | None, position: int, recent_speakers: list[tuple[int, str]]) -> str | None:
        """The most recent speaker (else person) before ``position`` whose gender agrees."""
        for pos, name in reversed(recent_speakers):
            if pos <= position and self._agrees(name, gender):
                return name
        best, best_pos = None, -1
        for person in self.people.values():
            if len(person.name.split()) < 2 or (gender and person.gender and person.gender != gender):
                continue
            before = [p for p in person.positions if p <= position]
            if before and before[-1] > best_pos:
                best, best_pos = person.name, before[-1]
        return best

    def _agrees(self, name: str, gender: str | None) -> bool:
        person = self.people.get(fold(name))
        if person is None:
            return len(name.split()) >= 2 and gender is None
        if len(person.name.split()) < 2:
            return False
        return not gender or not person.gender or person.gender == gender

    def by_role(self, role: str, position: int) -> str | None:
        """The one named person whose roles in this document match the description ``role``."""
        words = [w for w in re.findall(r"[\w-]+", fold(role)) if w not in _STOP]
        if not words:
            return None
        scored = []
        for person in self.people.values():
            if len(person.name.split()) < 2 or not person.roles:
                continue
            best = 0.0
            for seen in person.roles:
                seen_words = {w for w in re.findall(r"[\w-]+", fold(seen)) if w not in _STOP}
                common = [w for w in words if w in seen_words]
                if not common:
                    continue
                specific = [w for w in common if w not in _HEAD_NOUNS]
                head_ok = words[0] in seen_words or words[0] in _HEAD_NOUNS and seen_words & _HEAD_NOUNS
                score = len(common) / len(words) + (0.5 if head_ok else 0) + (0.5 if specific else 0)
                if specific or len(words) == 1:
                    best = max(best, score)
            if best:
                near = min((abs(p - position) for p in person.positions), default=10 ** 9)
                scored.append((best, -near, person.name))
        if not scored:
            return None
        scored.sort(reverse=True)
        if len(scored) > 1 and scored[0][0] == scored[1][0] and scored[0][1] == scored[1][1]:
            return None
        return scored[0][2]
