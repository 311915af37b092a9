"""Speaker descriptions: splitting role from name, and resolving mentions to names.

A mention as written ("le porte-parole du Kremlin Dmitri Peskov", "il",
"M. Stoltenberg", "le chef de l'OTAN") becomes a ``Description``; a
``Registry`` of the people named in a document then resolves pronouns,
surnames and role descriptions to the full name introduced in that document.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import fold
from . import lexicon

_TIME_WORDS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "février", "mars",
               "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre", "hier",
               "aujourd'hui", "demain"}
_PLACE_PREFIXES = {"San", "Santa", "Santo", "Saint", "Sainte", "São", "Sao", "St", "Ste", "Los", "Las", "Port", "Mont",
                   "Val", "New", "Fort", "Cap", "Puerto", "Porto", "Bad", "Baie", "Lac", "Île", "Ile"}
_DEFINITE = {"le", "la", "les", "l'"}
_DE = {"de", "du", "des", "d'"}
_ALL_DETERMINERS = {"le", "la", "les", "un", "une", "des", "du", "ce", "cet", "cette", "ces", "son", "sa", "ses",
                    "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes"}
_PLURAL_DET = {"les", "des", "ces", "leurs", "nos", "plusieurs", "certains", "certaines"}
_STOP = _DE | {"le", "la", "les", "l'", "un", "une", "à", "au", "aux", "et", "en", "pour", "sur", "chez"}
# Speakers these cannot name: the writer ("je", "nous"), the reader ("vous") or anyone ("on").
IMPERSONAL = {"je", "j'", "moi", "nous", "vous", "tu", "toi", "on", "l'on"}
# Words that open a noun phrase without naming anyone ("celui qui…", "quel est…", "tout le monde").
_NOT_A_SPEAKER = {"quel", "quelle", "quels", "quelles", "celui", "celle", "ceux", "celles", "qui", "que", "quoi",
                  "lequel", "laquelle", "chacun", "chacune", "tout", "tous", "toute", "toutes", "rien", "ça", "cela",
                  "ceci", "ce", "c'", "il", "elle", "ils", "elles", "lui", "eux", "y", "en", "dont", "où"}
# What a text cites without anyone speaking ("selon les dernières données", "selon les termes du traité").
_NOT_A_SOURCE = {"données", "chiffres", "termes", "loi", "lois", "statistiques", "estimations", "calculs",
                 "informations", "dernières", "derniers", "premiers", "premières", "résultats", "textes"}
_HEAD_NOUNS = {"chef", "cheffe", "patron", "patronne", "président", "présidente", "dirigeant", "dirigeante",
               "secrétaire", "directeur", "directrice", "leader", "numéro", "responsable", "général", "générale"}


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
    definite: bool = False  # "le/la/l'/son/ce…": takes up someone already in the text

    @property
    def is_person_name(self) -> bool:
        return self.name is not None and len(self.name.split()) >= 2

    def label(self) -> str | None:
        """The speaker to report when nothing better resolves."""
        if self.name:
            return self.name
        if self.pronoun:
            return None
        words = self.mention.replace("’", "'").split()
        if words and words[0].lower() in _ALL_DETERMINERS:
            words = words[1:]
        elif words and words[0].lower().startswith(("l'", "d'")):
            words[0] = words[0][2:]
        if not words or not words[0] or words[0].lower() in _NOT_A_SPEAKER or words[0] in _NOT_A_SOURCE \
                or words[0][0].isdigit() or any(w.lower() in _TIME_WORDS for w in words[:2]) \
                or words[-1].lower() in _STOP or len(words[-1]) == 1 and words[-1].isalpha():
            # "celui qui…", "quel", "le 24 mars", "sa manière de": a parse that took the wrong phrase for a subject
            return None
        return " ".join(words)


_SENTENCE_OPENERS = {"selon", "pour", "pendant", "quant", "pourtant", "mais", "et", "ainsi", "alors", "enfin",
                     "aussi", "ensuite", "puis", "car", "donc", "or", "chez", "avec", "après", "avant", "depuis"}
_DEMONYM_ENDINGS = ("ain", "aine", "ais", "aise", "ois", "oise", "ien", "ienne", "éen", "éenne", "and", "ande")


def _not_a_given_name(word: str) -> bool:
    """ "Selon", "Américain", "Britannique": a capitalised word glued before a name, not part of it."""
    low = word.lower()
    return low in _SENTENCE_OPENERS or low.endswith(_DEMONYM_ENDINGS) or low.endswith("ique")


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
    while len(words) > 1 and low[0] in _SENTENCE_OPENERS:
        words, low = words[1:], low[1:]  # "Selon Jean Dupont" taken whole by the parse: the name only
    if " ".join(low) in IMPERSONAL:
        desc.pronoun = " ".join(low)  # never resolved: the writer, the reader or anyone
        return desc
    if " ".join(low) in ("ce dernier", "cette dernière", "celui-ci", "celle-ci", "dernier", "dernière"):
        low, words = [" ".join(low)], [" ".join(low)]  # "ce dernier": a pronoun for the person just named
    if len(words) == 1 and low[0].lstrip("-") in lexicon.PRONOUNS:
        pron = low[0].lstrip("-")
        desc.pronoun, desc.gender, desc.plural = pron, lexicon.PRONOUNS[pron], pron in ("ils", "elles", "eux")
        return desc
    honorifics, roles, first = lexicon.honorifics(), lexicon.role_words(), lexicon.first_names()
    i = 0
    if low[0] in _DEFINITE | {"un", "une", "des", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur"}:
        desc.plural = low[0] in _PLURAL_DET
        desc.definite = low[0] not in ("un", "une", "des")
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
    while start > 0:
        if _is_cap(body[start - 1]):
            start -= 1
            continue
        # particles inside a name ("Ursula von der Leyen", "Charles de Gaulle") when a capital precedes them
        k = start - 1
        while k >= 0 and body[k].lower() in lexicon.NAME_PARTICLES and start - k <= 2:
            k -= 1
        if start < end and k >= 0 and k < start - 1 and _is_cap(body[k]) and body[k] in lexicon.first_names():
            start = k
            continue
        break
    run = body[start:end]
    if len(run) == 1 and end < len(body) and body[end].lower() not in _DE:
        run = []  # "l'ancien Premier ministre": a capital inside a role, not a name
    if run and (run[0].lower() in _TIME_WORDS or len(run) == 1 and run[0].lower() in _NOT_A_SPEAKER):
        run = []  # "Lundi", "Celui qui…": a capital that opens a sentence, not a name
    if run:
        before = body[start - 1].lower() if start else ""
        if before in ("la", "l'") and start >= 2 and body[start - 2].lower() in _DE:
            before = "de"  # "de la CFDT", "de l'OTAN": an organisation inside the role
        first_at = next((k for k, w in enumerate(run) if w in first and (k == 0 or run[k - 1].lower()
                                                                             not in lexicon.NAME_PARTICLES)), None)
        if first_at and (run[0] in _PLACE_PREFIXES or before not in _DE | _DEFINITE) \
                and not (len(run) - first_at >= 2 and _not_a_given_name(run[0])):
            first_at = None  # "San Luis Potosi": a first name inside a name, not after "du Kremlin", "le Russe"
        if before in _DE | {"l'"} and first_at is None and len(run) >= 3:
            first_at = len(run) - 2  # "du Kremlin Dmitri Peskov": the organisation, then a two-word name
        if before in _DE | {"l'"} and first_at is None:
            run = []  # "le porte-parole du Kremlin": an organisation inside the role, no name
        elif first_at:
            start += first_at
            run = run[first_at:]
    while len(run) > 1 and (run[0].lower() in roles or run[0].lower() in honorifics
                            or run[0].isupper() and len(run[0]) > 1 and run[1] in first):
        # "l'ONG Bloom", "son avocat Me Richard Delgenes", "le député LREM Gilles Le Gendre"
        start, run = start + 1, run[1:]
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
    if not desc.name and len(body) == 1 and _is_cap(body[0]) and body[0].lower() not in _NOT_A_SPEAKER:
        desc.name = body[0]  # "le Kremlin", "Washington"
        desc.role = None
    if desc.role and not desc.name and not desc.plural and role_words:
        desc.plural = role_words[0].lower().endswith(("s", "x")) and low[0] not in ("le", "la", "un", "une")
    return desc


@lru_cache(maxsize=1)
def _synonym_groups() -> list[list[str]]:
    return [[w.strip() for w in line.split("=")] for line in lexicon.read_data_lines("role_synonyms.txt")]


_SPECIFIC_GROUPS = 3  # the first groups of role_synonyms.txt name one position; the others a kind of role


@lru_cache(maxsize=4096)
def role_words_of(role: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(named, descriptive, head) words of a role, folded; synonyms become group tokens.

    Named words were capitalised ("OTAN", "Kremlin"): they tell positions apart.
    Descriptive words ("américain", "auvergnat") only narrow them down.
    """
    named = {fold(w) for w in re.findall(r"[\w-]+", role.replace("’", "'")) if w[:1].isupper()}
    text = " " + re.sub(r"[^\w' -]", " ", fold(role)).replace("'", "' ") + " "
    descriptive, heads = set(), set()
    for n, group in enumerate(_synonym_groups()):
        for phrase in group:
            padded = " " + phrase.replace("'", "' ") + " "
            if padded in text:
                (descriptive if n < _SPECIFIC_GROUPS else heads).add(f"#{n}")
                text = text.replace(padded, " ")
    for w in re.findall(r"[\w-]+", text):
        if w in _STOP or len(w) < 2 or w in named:
            continue
        (heads if w in _folded_roles() else descriptive).add(w)
    return frozenset(named), frozenset(descriptive), frozenset(heads)


@lru_cache(maxsize=1)
def _folded_roles() -> frozenset[str]:
    return frozenset({fold(w) for w in lexicon.role_words()} | {fold(w) for w in _HEAD_NOUNS})


@dataclass
class Person:
    name: str
    gender: str | None = None
    roles: set[str] = field(default_factory=set)
    mentions: list[tuple[int, bool]] = field(default_factory=list)  # (position, as a subject-like mention)

    @property
    def surname(self) -> str:
        return self.name.split()[-1]

    @property
    def is_person(self) -> bool:
        return len(self.name.split()) >= 2 and not self.name.split()[0][:1].islower()


@dataclass
class Said:
    """A speaker already given to a quote, for pronouns and continuations."""

    position: int
    speaker: str
    gender: str | None
    plural: bool
    person: bool


class Registry:
    """The people (and organisations) named in one document, with their roles and positions."""

    def __init__(self):
        self.people: dict[str, Person] = {}
        self.aliases: dict[str, str] = {}  # folded acronym → expansion
        self.orgs: dict[str, str] = {}  # folded head word of an expanded organisation name → that name

    def add(self, name: str, position: int, gender: str | None = None, role: str | None = None,
            subject: bool = True) -> Person:
        name = name.strip()
        words = name.split()
        while len(words) > 1 and words[0].lower() in _SENTENCE_OPENERS:
            words = words[1:]  # "Selon le Journal du Dimanche" found by a scan: the name only
        name = " ".join(words)
        person = self._match_name(name) if len(name.split()) == 1 else None
        if person is None:
            key = fold(name)
            person = self.people.get(key)
            if person is None:
                person = self.people[key] = Person(name)
        if gender and not person.gender:
            person.gender = gender
        if role:
            person.roles.add(role)
        person.mentions.append((position, subject))
        return person

    def add_alias(self, short: str, full: str) -> None:
        self.aliases[fold(short)] = full
        self.orgs.setdefault(fold(full.split()[0]), full)

    def _match_name(self, word: str) -> Person | None:
        key = fold(word)
        matches = [p for p in self.people.values() if p.is_person and fold(p.surname) == key]
        return matches[0] if len(matches) == 1 else None

    def canonical(self, name: str) -> str:
        """ "Stoltenberg" → "Jens Stoltenberg", "Fiac" → its expansion, when the document says so."""
        key = fold(name)
        if key in self.aliases:
            return self.aliases[key]
        if len(name.split()) == 1:
            person = self._match_name(name)
            if person:
                return person.name
            if key in self.orgs:
                return self.orgs[key]
        return name

    def gender_of(self, name: str) -> str | None:
        person = self.people.get(fold(name))
        return person.gender if person else None

    def by_pronoun(self, gender: str | None, plural: bool, position: int, said: list[Said]) -> str | None:
        """The most recent speaker (else subject-like person) before ``position`` that agrees."""
        recent = None
        for s in reversed(said):
            if s.position > position:
                continue
            if s.plural == plural and (not gender or not s.gender or s.gender == gender):
                recent = s
                break
        if recent is not None and (recent.person or plural or recent.speaker[:1].isupper()):
            return recent.speaker
        if plural:
            return None
        # A speaker known only by a description ("le ministre", or a misparse) yields to a person named as a
        # subject since.
        best, best_pos = None, recent.position if recent is not None else -1
        for person in self.people.values():
            if not person.is_person or (gender and person.gender and person.gender != gender):
                continue
            before = [p for p, subject in person.mentions if p <= position and subject]
            if before and before[-1] > best_pos:
                best, best_pos = person.name, before[-1]
        if best:
            return best
        if recent is not None:
            return recent.speaker
        # A pronoun before any name ("Selon lui, …" opening an article) announces the next person named.
        after = [(min(p for p, s in person.mentions if p > position), person.name) for person in self.people.values()
                 if person.is_person and any(p > position for p, _ in person.mentions)
                 and not (gender and person.gender and person.gender != gender)]
        after = [(p, name) for p, name in after if p - position < 1500]
        return min(after)[1] if after else None

    def by_role(self, role: str, position: int, definite: bool, gender: str | None, said: list[Said]) -> str | None:
        """The named person a role description stands for, or None when it is not clear.

        First a person whose roles in the document match it; then, for a definite
        description ("le chef de l'OTAN"), a person of unknown role (a recent
        speaker, else the nearest named); then one of a comparable role.
        """
        named, descriptive, heads = role_words_of(role)
        if not (named or descriptive or heads):
            return None
        matches, comparable, neutral = [], [], []
        for person in self.people.values():
            if not person.is_person or (gender and person.gender and person.gender != gender):
                continue
            if not person.roles:
                neutral.append(person)
                continue
            best, similar = 0.0, False
            for seen in person.roles:
                s_named, s_desc, s_heads = role_words_of(seen)
                if named and s_named and not named & s_named:
                    continue  # "chef de l'OTAN" is not "porte-parole du Kremlin"
                score = 2 * len(named & s_named) + len(descriptive & s_desc)
                if score and (heads & s_heads or not heads or not s_heads):
                    best = max(best, score + 0.5 * len(heads & s_heads))
                elif heads & s_heads and not named and not descriptive:
                    best = max(best, 0.5 * len(heads & s_heads))  # "son père", "l'avocate"
                elif heads & s_heads and not named:
                    similar = True
            recency = self._last_before(person, position)
            if best:
                matches.append((best, recency, person.name))
            elif similar:
                comparable.append((recency, person.name))
        if matches:
            matches.sort(reverse=True)
            return matches[0][2]
        if not definite:
            return None
        names = {p.name for p in neutral}
        for s in reversed(said):
            if s.position <= position and s.speaker in names:
                return s.speaker
        neutral = [p for p in neutral if any(subject for _, subject in p.mentions)]
        before = sorted(((self._last_before(p, position), p.name) for p in neutral), reverse=True)
        if before and before[0][0] >= 0:
            return before[0][1]
        after = sorted((min(pos for pos, _ in p.mentions), p.name) for p in neutral if p.mentions)
        if after:
            return after[0][1]
        comparable.sort(reverse=True)
        return comparable[0][1] if comparable and comparable[0][0] >= 0 else None

    @staticmethod
    def _last_before(person: Person, position: int) -> int:
        return max((p for p, _ in person.mentions if p <= position), default=-1)
