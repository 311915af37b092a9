"""The people and organisations of one document, every mention of them, and how a speaker mention resolves.

Built before any attribution rule runs, from cheap scans of the normalised text
(no spaCy: its entity recogniser would cost more than the rest of the
extraction): names introduced by a known first name, an honorific or a role
apposition (``le ministre de la Santé Olivier Véran``, ``Olivier Véran,
ministre de la Santé``), ``M./Mme X`` and bare surnames of people already
named, acronym definitions, organisations named after an organisation noun
(``l'ONG Bloom``). The rules' speaker mentions join it as they are resolved
(a name first seen as a speaker: ``a raconté Mistah``).

Resolution is precision first: a pronoun, a surname or a role description
resolves to one entity when agreement (gender), roles and prominence (being
the subject of a clause, or a speaker) point at it, or stays unresolved; every
answer carries the steps that led to it.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import fold
from . import lexicon, roles
from .mentions import Description, describe

_CAP = r"[A-ZÀ-ÖØ-Þ][\w'-]*"
_PARTICLE = r"(?:de|du|des|d'|da|di|del|della|dos|von|van|der|den|ter|el|al|ben|bin|ibn|le|la|y)"
_NAME_WORD = rf"{_CAP}(?:/{_CAP})*"
# A run of capitalised words ("Jean-Yves Le Drian", "Awa Sanou/Cissé", "Emily S."), particles inside.
# (?=[A-Z…]) first, here and below: one class test per character before the look-behind (same matches, a third faster)
_NAME_RUN = re.compile(
    rf"(?=[A-ZÀ-ÖØ-Þ])(?<![\w'-]){_NAME_WORD}(?:[ ](?:{_PARTICLE}[ ])?(?:{_NAME_WORD}|[A-Z]\.(?![\w])))+")
_WORD = re.compile(r"[^\W\d_][\w'-]*")
_CAPITALISED = re.compile(r"(?=[A-ZÀ-ÖØ-Þ])(?<![\w'-])[A-ZÀ-ÖØ-Þ][\w'-]*")
_ACRONYM_AFTER = re.compile(rf"({_CAP}(?: [\w'-]+){{1,8}}?) ?\(([A-Z][A-Za-z0-9&-]{{1,9}})\)")
_ACRONYM_BEFORE = re.compile(r"\b([A-Z][A-Za-z0-9&-]{1,9}) ?\(([A-ZÀ-Þ][^()\n]{4,90})\)")
_ACRONYM = re.compile(r"(?<![\w'-])[A-Z][A-Z0-9&-]{1,9}(?![\w'-])")
# What a match of each of the two above must hold (a quick test before trying them)
_PARENTHESISED_ACRONYM = re.compile(r"\([A-Z][A-Za-z0-9&-]{1,9}\)")
_PARENTHESIS_CAPITAL = re.compile(r"\([A-ZÀ-Þ][^()\n]{4,90}\)")
_ROLE_AFTER = re.compile(r"\s*,\s*((?:l[ae] |l'|un |une |son |sa |leur )?[^,.;:!?«»()\n]{2,90}?)\s*(?=[,.;)]|$)")
_ORG_BEFORE = re.compile(r"(?:^|[\s(])(?i:l'|la |le |les |du |de la |de l'|au |à la |à l')"
                         r"(?i:(ong|association|syndicat|parti|groupe|société|entreprise|compagnie|fédération|collectif|"
                         r"mouvement|organisation|agence|institut|fondation|banque|club|laboratoire|constructeur|"
                         r"opérateur|cabinet|chaîne|journal|quotidien|hebdomadaire|magazine|radio|site|réseau|"
                         r"think tank|cercle|comité|coalition|alliance|union|confédération|ordre|conseil|"
                         r"mutuelle|assureur|géant|groupement|firme|start-up|plateforme))"
                         r" ((?:{cap})(?:[ -](?:(?:de|du|des|d'|la|le|et|&|pour) )?(?:{cap}))*)".format(cap=_CAP))
# Words that make a capitalised run an organisation ("Amnesty International", "Institut Jacques Delors").
_ORG_WORDS = lexicon.ORG_WORDS
_OBLIQUE = frozenset("de d' du des à au aux avec par pour contre sur chez entre envers vers sans selon dans en "
                     "devant derrière après avant pendant depuis auprès face malgré parmi sous via".split())
_FUNCTION_AFTER = frozenset("de d' du des à au aux et ou en le la les l' un une dans sur pour par avec qui que qu' "
                            "dont où comme ni mais car".split())
_DEFINITE_NOUN = re.compile(r"(?<![\w'])([Ll]e|[Ll]a|[Ll]')\s*([\w-]+)")
_WORD_END = re.compile(r"\s+[^\s,.;:!?«»()]+")
_PRONOUNS = frozenset(lexicon.PRONOUNS) | lexicon.IMPERSONAL
_LONE_NEIGHBOUR_BEFORE = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'-]*[ ]$")
_LONE_NEIGHBOUR_AFTER = re.compile(r"[ ](?:(?:de|du|von|van|le|la)[ ])?[A-ZÀ-ÖØ-Þ]")
# Words after which a main clause (and its subject) starts. Not "que", "quand"…: the subject of a
# subordinate clause ("ce que Pavlenski comptait faire") is not what the next pronoun takes up.
_CLAUSE_OPENERS = frozenset("et mais puis ou or donc alors ensuite enfin aussi car".split())
_OPENS_CLAUSE = re.compile(rf"(?:^|[.!?…\n,;:(»—–-]|\b(?:{'|'.join(sorted(_CLAUSE_OPENERS))}))\s*$", re.I)
_SENTENCE_END = ".!?…\n"
ELIDED_REACH = 500  # characters back to the subject a verb with none written shares
PRONOUN_REACH = 2500  # characters back to a pronoun's antecedent
ROLE_REACH = 6000  # characters back to the person a bare role takes up ("le ministre")
ANNOUNCE_OPENING = 400  # characters from the top of a text within which a role may announce a person named after it
ANNOUNCE_REACH = 600  # characters after a role opening a text within which the person it announces is named
NEAR = 200  # characters around a mention within which a word is "near" it


@dataclass
class Mention:
    """One place the text names (or designates) an entity."""

    start: int
    end: int
    text: str
    how: str  # "name", "surname", "honorific", "acronym", "alias", "role", "speaker"
    subject: bool = False  # the subject of its clause: what pronouns take up


@dataclass
class Entity:
    """A person or an organisation of the document."""

    kind: str  # "person", "organisation", or "description" (someone the text describes but never names)
    forms: Counter = field(default_factory=Counter)  # full names as written → times seen
    gender: str | None = None
    roles: list[tuple[int, str]] = field(default_factory=list)  # (position, role) the text ties to it
    mentions: list[Mention] = field(default_factory=list)
    org_nouns: set[str] = field(default_factory=set)  # "ong", "syndicat": what an organisation is called
    first_seen: dict[str, int] = field(default_factory=dict)
    index: int = -1  # its place in the model's list
    plural: bool = False  # a group the text describes ("les associations")
    definite: bool = False  # a description first met as "le …", which may stand for someone named elsewhere
    _starts: list[int] = field(default_factory=list)
    _prominent: list[int] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The most complete form the text supports: most words, then seen most, then a known first name."""
        first = lexicon.first_names()

        def rank(form: str):
            words = form.split()
            return (min(len(words), 3), self.forms[form], words[0] in first, -self.first_seen.get(form, 0))
        return max(self.forms, key=rank)

    @property
    def words(self) -> list[str]:
        return self.name.split()

    def surname_keys(self) -> set[str]:
        """Folded tails of the name a text may use alone: "le drian", "drian"; "sanou/cisse", "sanou", "cisse"."""
        keys = set()
        for form in self.forms:
            words = form.split()
            if len(words) < 2 or self.kind != "person":
                continue
            for i in range(1, len(words)):
                tail = " ".join(words[i:])
                if i > 1 and words[i - 1].lower() not in lexicon.NAME_PARTICLES and words[i][:1].islower():
                    continue
                keys.add(fold(tail))
            for part in words[-1].split("/"):
                keys.add(fold(part))
        return keys

    def add_mention(self, mention: Mention) -> None:
        # kept sorted by start (scans add mentions out of order), with the starts of the prominent ones apart
        insort(self.mentions, mention, key=lambda m: m.start)
        if mention.subject or mention.how == "speaker":
            insort(self._prominent, mention.start)
        insort(self._starts, mention.start)

    def last_before(self, position: int, prominent: bool = False) -> int:
        """Start of the last mention before ``position`` (a subject or speaker one if ``prominent``), or -1."""
        starts = self._prominent if prominent else self._starts
        k = bisect_left(starts, position)
        return starts[k - 1] if k else -1

    def role_at(self, position: int) -> str | None:
        """The role the text last gave it before ``position`` (else its first one)."""
        before = [r for p, r in self.roles if p <= position]
        return before[-1] if before else (self.roles[0][1] if self.roles else None)


@dataclass(frozen=True)
class Resolution:
    """What a speaker mention resolved to, and how."""

    entity: Entity | None
    steps: tuple[str, ...] = ()
    weak: bool = False  # resolved by prominence alone (no name, no matching role): less sure


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha() or bool(re.fullmatch(r"[A-Z][A-Z0-9&-]{1,9}", word))


def _first_name_at(words: list[str]) -> int | None:
    first = lexicon.first_names()
    return next((k for k, w in enumerate(words) if w in first or w.split("-")[0] in first and "-" in w), None)


def similar_first_names(a: str, b: str) -> bool:
    """ "Olivier"/"Oliver", "J."/"Jean": one person's first name written two ways ("Marine"/"Marie": two)."""
    curated = lexicon.first_names().curated
    if a != b and a in curated and b in curated and fold(a) != fold(b):
        return False
    a, b = fold(a).rstrip("."), fold(b).rstrip(".")
    if a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b)):
        return True
    if a[:1] != b[:1] or min(len(a), len(b)) < 4 or abs(len(a) - len(b)) > 2:
        return False
    return _edit_distance(a, b) <= (1 if min(len(a), len(b)) < 6 else 2)


def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class EntityModel:
    """The entities of one document; ``resolve`` turns a speaker mention into one of them (or none)."""

    def __init__(self, text: str, quoted=None):
        self.text = text
        self.quoted = quoted  # a container of positions inside quotations (their words are not mentions)
        self.entities: list[Entity] = []
        self.aliases: dict[str, Entity] = {}  # folded acronym or short form → entity
        # indexes, so that a long text with many names stays linear
        self._by_form: dict[str, Entity] = {}  # folded full form → entity
        self._by_surname: dict[str, list[Entity]] = {}  # folded surname (or tail of a name) → people
        self._by_last_word: dict[str, list[Entity]] = {}  # folded last word of a multiword name → people
        self._events: list[tuple[int, int]] = []  # (start, entity index) of subject and speaker mentions, sorted
        self._lower: set[str] | None = None  # the words the text writes in lower case

    # building ------------------------------------------------------------------------------------

    def inside_quote(self, pos: int) -> bool:
        return self.quoted is not None and pos in self.quoted

    def _new(self, kind: str, form: str, start: int) -> Entity:
        entity = Entity(kind)
        entity.index = len(self.entities)
        self.entities.append(entity)
        self._add_form(entity, form, start)
        return entity

    def _add_form(self, entity: Entity, form: str, start: int) -> None:
        entity.forms[form] += 1
        if form in entity.first_seen:
            return
        entity.first_seen[form] = start
        self._by_form.setdefault(fold(form), entity)
        words = form.split()
        if entity.kind == "person" and len(words) >= 2:
            for key in entity.surname_keys():
                bucket = self._by_surname.setdefault(key, [])
                if entity not in bucket:
                    bucket.append(entity)
            bucket = self._by_last_word.setdefault(fold(words[-1]), [])
            if entity not in bucket:
                bucket.append(entity)

    def add_person(self, name: str, start: int, end: int, role: str | None = None, gender: str | None = None,
                   how: str = "name", subject: bool | None = None) -> Entity:
        """A full name seen at [start, end): the entity it names, found or created."""
        name = " ".join(name.split())
        entity = self._matching_person(name)
        if entity is None:
            entity = self._new("person", name, start)
        else:
            self._add_form(entity, name, start)
        self._note(entity, start, end, how, role, gender, subject)
        return entity

    def add_organisation(self, name: str, start: int, end: int, how: str = "name", org_noun: str | None = None,
                         gender: str | None = None, subject: bool | None = None) -> Entity:
        key = fold(name)
        entity = self.aliases.get(key)
        if entity is None:
            known = self._by_form.get(key)
            entity = known if known is not None and known.kind == "organisation" else None
        if entity is None:
            entity = self._new("organisation", name, start)
        elif name in entity.forms:
            entity.forms[name] += 1
        if org_noun:
            entity.org_nouns.add(fold(org_noun))
        self._note(entity, start, end, how, None, gender, subject)
        return entity

    def add_description(self, label: str, start: int, end: int, gender: str | None, definite: bool,
                        plural: bool = False) -> Entity:
        """Someone the text only describes ("un élu de l'opposition"); a later "l'élu" or "il" may take them up."""
        entity = None
        if definite:
            matches = [(e.last_before(start), e) for e in self.entities if e.kind == "description"
                       and (not gender or not e.gender or e.gender == gender) and e.plural == plural
                       and roles.agreement(label, e.name) > 0]
            entity = max(matches, key=lambda t: t[0])[1] if matches else None
        if entity is None:
            entity = self._new("description", label, start)
            entity.plural = plural
            entity.definite = definite
        self._note(entity, start, end, "speaker", None, gender, True)
        return entity

    def named_later(self, described: Entity) -> Resolution:
        """The person the text names with the role a description used ("le ministre de la Défense" … "Jean-Yves
        Le Drian, ministre de la Défense"), wherever in the text: one person, or none."""
        if described.kind != "description" or described.plural or not described.definite:
            return Resolution(None)
        scored = []
        for e in self.entities:
            if e.kind != "person" or described.gender and e.gender and e.gender != described.gender:
                continue
            best = max((roles.agreement(described.name, known) for _, known in e.roles
                        if _same_named_words(described.name, known)), default=0.0)
            if best > 0:
                scored.append((best, e))
        scored.sort(key=lambda t: -t[0])
        if not scored or len(scored) > 1 and scored[1][0] == scored[0][0]:
            return Resolution(None)
        entity = scored[0][1]
        return Resolution(entity, (f"the text names the «{described.name}»: {entity.name} "
                                   f"(«{entity.role_at(len(self.text))}»)",))

    def add_alias(self, short: str, full: str, position: int) -> None:
        """ "Fédération nationale des syndicats d'exploitants agricoles (FNSEA)": both name one organisation."""
        # "de l'association France Palestine Solidarité (AFPS)", "le Conseil …": the name without its lead
        cut = _lead_words(full)
        if 0 < cut < len(full):
            position, full = position + cut, full[cut:]
        entity = self.add_organisation(full, position, position + len(full), how="alias", subject=False)
        self.aliases[fold(short)] = entity

    def note_speaker(self, entity: Entity, start: int, end: int) -> None:
        """A speaker event: what a later pronoun may take up."""
        self._note(entity, start, end, "speaker", None, None, True)

    def _note(self, entity: Entity, start: int, end: int, how: str, role: str | None, gender: str | None,
              subject: bool | None) -> None:
        if subject is None:
            subject = self.subject_like(start, end)
        mention = Mention(start, end, self.text[start:end] if how != "speaker" or role else "", how, subject)
        entity.add_mention(mention)
        if subject or how == "speaker":
            insort(self._events, (start, entity.index))
        if role and (start, role) not in entity.roles:
            entity.roles.append((start, role))
            entity.roles.sort()
        if gender and not entity.gender:
            entity.gender = gender

    def _matching_person(self, name: str) -> Entity | None:
        """The person a full name belongs to: the same name, or the same surname with a like first name."""
        words = name.split()
        known = self._by_form.get(fold(name))
        if known is not None and known.kind == "person":
            return known
        if len(words) < 2:
            return None
        for e in self._by_last_word.get(fold(words[-1]), ()):
            for form in e.forms:
                other = form.split()
                if len(other) == len(words) and fold(" ".join(other[1:])) == fold(" ".join(words[1:])) \
                        and similar_first_names(other[0], words[0]):
                    return e  # "Oliver Véran" once among "Olivier Véran": a typo, one person
        single = self._by_form.get(fold(words[-1]))
        if single is not None and single.kind == "person" and all(len(f.split()) == 1 for f in single.forms):
            return single  # "M. Macron" seen first, then "Emmanuel Macron"
        return None

    def _spelt_out(self, acronym: str) -> str | None:
        """The one phrase of the text an acronym stands for ("UE" and "l'Union européenne"), if it writes it."""
        letters = [c for c in acronym if c.isalpha()]
        if not 2 <= len(letters) <= 6 or not acronym.isupper():
            return None
        particles = r"(?:(?:de|du|des|la|le|les|et|pour|sur)\s+|[dl]['’])*"
        pattern = rf"(?<![\w-]){letters[0]}[\w-]+" + "".join(
            rf"\s+{particles}[{c}{c.lower()}][\w-]+" for c in letters[1:]) + r"(?![\w-])"
        found = {m.group() for m in re.finditer(pattern, self.text)}
        # (not the acronym itself before a word starting with the next letter: "UE estime")
        found = {f for f in found if _initials_match(acronym, f) and not self.inside_quote(self.text.find(f))
                 and not f.split()[0].isupper() and _an_institution(f)}
        return found.pop() if len(found) == 1 else None

    def by_surname(self, word: str, position: int) -> Entity | None:
        """The person a surname alone (or after M./Mme) stands for: the only one, or the one named last."""
        matches = self._by_surname.get(fold(word), [])
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            recent = sorted(((e.last_before(position), n) for n, e in enumerate(matches)), reverse=True)
            if recent[0][0] >= 0 and recent[0][0] > recent[1][0]:
                return matches[recent[0][1]]
        return None

    def by_head_word(self, word: str, position: int) -> Entity | None:
        """ "la Fédération" for "la Fédération des industries d'aliments conservés", named before."""
        key = fold(word)
        matches = [(e.last_before(position), e) for e in self.entities if e.kind == "organisation"
                   and any(fold(f.split()[0]) == key and len(f.split()) > 1 for f in e.forms)]
        matches = [(last, e) for last, e in matches if last >= 0]
        return max(matches, key=lambda t: t[0])[1] if matches else None

    def by_form(self, name: str) -> Entity | None:
        key = fold(name)
        return self.aliases.get(key) or self._by_form.get(key)

    def build(self) -> "EntityModel":
        """Scan the text for names, roles, acronyms and honorific mentions."""
        text = self.text
        self._scan_acronyms()
        for m in _ORG_BEFORE.finditer(text):
            if not self.inside_quote(m.start(2)):
                name = _trim_org(m.group(2))
                words = name.split()
                person_at = _first_name_at(words)
                if person_at:
                    name = " ".join(words[:person_at])  # "l'ONG Bloom Jean Dupont": the name after is a person
                if name and person_at != 0 and not _is_media(name):
                    self.add_organisation(name, m.start(2), m.start(2) + len(name), org_noun=m.group(1),
                                          gender=lexicon.role_words().get(m.group(1).lower()) or _org_gender(m.group(0)))
        for m in _NAME_RUN.finditer(text):
            if not self.inside_quote(m.start()):
                self._scan_run(m.group(), m.start())
        self._scan_honorifics()
        self._scan_known_forms()
        self._scan_first_names()
        self._scan_role_subjects()
        return self

    def _scan_role_subjects(self) -> None:
        """A definite role that is a clause's subject ("le haut-commissaire aux retraites s'est montré ferme")
        stands for the person the text gave that role: what a pronoun after it takes up."""
        text, role_words = self.text, lexicon.role_words()
        if not any(e.roles for e in self.entities if e.kind == "person"):
            return  # nobody the text gives a role: no role subject can stand for anyone
        for m in _DEFINITE_NOUN.finditer(text):
            if m.group(2).lower() not in role_words or self.inside_quote(m.start()):
                continue
            start = m.start()
            if not _OPENS_CLAUSE.search(text, max(0, start - 12), start):
                continue  # most "le ministre" are objects: only a phrase opening a clause is looked at further
            ends = [m.end()] + [m.end() + k.end() for k in _WORD_END.finditer(text[m.end():m.end() + 60])][:6]
            end = next((e for e in ends if _role_ends_at(text, e) and _verb_follows(text, e)), None)
            if end is None or not self.subject_like(start, end):
                continue
            desc = describe(text[start:end])
            if desc.name or desc.plural or not desc.role:
                continue
            found = self._role(desc, start, (start, end))
            if found.entity is not None and found.entity.kind == "person" and not found.weak:
                self._note(found.entity, start, end, "role", None, None, True)

    def _lower_words(self) -> set[str]:
        if self._lower is None:
            self._lower = set(re.findall(r"(?<![\w'])[a-zà-öø-ÿ]\w*", self.text))
        return self._lower

    def _scan_first_names(self) -> None:
        """People the text calls by a first name alone ("Routier, Frédéric a vu sa semaine annulée").

        Only a known first name that is once the subject of a clause, on its own
        (no capitalised word beside it), and that is neither a surname nor the first
        name of someone the text names in full: "Martin" after "Philippe Martin" is
        him, "Marine" after "Marine Le Pen" may be her; neither is a new person.
        """
        first = lexicon.first_names()
        taken = set()
        for e in self.entities:
            if e.kind == "person":
                taken |= e.surname_keys()
                taken |= {fold(f.split()[0]) for f in e.forms}
        covered = sorted((m.start, m.end) for e in self.entities for m in e.mentions)
        starts = [a for a, _ in covered]
        found: dict[str, list[tuple[int, int]]] = {}
        for m in _CAPITALISED.finditer(self.text):
            word = m.group()
            if word not in first or fold(word) in taken or self.inside_quote(m.start()):
                continue
            if word.lower() in self._lower_words() or word.lower() in _PRONOUNS:
                continue  # "Elle", "Rose", "Olive": a word the text also writes in lower case
            k = bisect_right(starts, m.start()) - 1
            if k >= 0 and covered[k][0] <= m.start() < covered[k][1]:
                continue
            if _LONE_NEIGHBOUR_BEFORE.search(self.text, max(0, m.start() - 40), m.start()) \
                    or _LONE_NEIGHBOUR_AFTER.match(self.text, m.end()):
                continue  # part of a longer name or a place ("Saint Martin", "Nancy Metz")
            found.setdefault(word, []).append((m.start(), m.end()))
        for word, places in found.items():
            subjects = [self.subject_like(s, e) for s, e in places]
            if not any(subjects):
                continue
            for (s, e), subject in zip(places, subjects):
                self.add_person(word, s, e, gender=first[word], subject=subject)

    def _scan_acronyms(self) -> None:
        text = self.text
        if "(" not in text:
            return
        for pattern, long_group, short_group, needed in ((_ACRONYM_AFTER, 1, 2, _PARENTHESISED_ACRONYM),
                                                         (_ACRONYM_BEFORE, 2, 1, _PARENTHESIS_CAPITAL)):
            if not needed.search(text):
                continue  # the parenthesis every match ends with is not there: no need to try each word
            for m in pattern.finditer(text):
                full, short = m.group(long_group).strip(), m.group(short_group)
                words = full.split()
                while words and not _initials_match(short, " ".join(words)) and len(words) > 1:
                    words = words[1:]
                if words and _initials_match(short, " ".join(words)) and not self.inside_quote(m.start()):
                    full = " ".join(words)
                    if _first_name_at(words) == 0 and len(words) <= 4:
                        continue  # "Jean Dupont (JD)": a person's initials
                    self.add_alias(short, full, m.start(long_group) + m.group(long_group).find(full))

    def _scan_run(self, run: str, start: int) -> None:
        parts = run.split()
        text = self.text
        honorifics = lexicon.honorifics()
        while parts and (parts[0].lower() in honorifics or parts[0].lower() in lexicon.DETERMINERS
                         or parts[0].lower() in _NOT_NAME_OPENERS):
            start += len(parts[0]) + 1
            parts = parts[1:]
        while len(parts) > 1 and re.match(r"[LD]['’][a-zà-öø-ÿ]", parts[0]):
            start += len(parts[0]) + 1  # "L'humoriste Jean Ferrier" opening a sentence: a role, then the name
            parts = parts[1:]
        while parts and (_is_acronym(parts[0]) and len(parts) > 2):
            start += len(parts[0]) + 1  # "le député LREM Gilles Le Gendre"
            parts = parts[1:]
        if not parts or parts[0][:1].islower():
            return  # "CHU de Laval" less its acronym is not a name
        if any(fold(w) in _ORG_WORDS for w in parts[1:]) and not _role_before(text, start):
            self._maybe_organisation(parts, start)  # "Amnesty International", "Institut Jacques Delors"
            return
        k = _first_name_at(parts)
        if k:  # "du Kremlin Dmitri Peskov": an organisation, then the name ("San Luis Potosi" is a place)
            if parts[0] in _PLACE_PREFIXES or not re.search(r"(?:\b(?:de|du|des|la|le|les)|\bl'|\bd')\s*$",
                                                           text[max(0, start - 6):start], re.I):
                # "à l'Agence France-Presse François Pérain": a medium's name, then the person's
                before = text[max(0, start - 12):start].split()
                media_before = bool(before) and _is_media(re.sub(r"^[lLdD]'", "", before[-1]) + " "
                                                          + " ".join(parts[:k]))
                k = None if not (_role_before(text, start) or media_before or _is_media(" ".join(parts[:k]))) else k
                if k is None:
                    self._maybe_organisation(parts, start)
                    return
            start += len(" ".join(parts[:k])) + 1
            parts = parts[k:]
        if len(parts) < 2:
            return
        name = " ".join(parts)
        end = start + len(name)
        role = _role_near(text, start, end)
        if k is None and not role:
            if not self._maybe_organisation(parts, start) and self._matching_person(name) is None:
                return  # not a name the scans can tell (but "Oliver Véran" among "Olivier Véran" is)
        if k is None and role and _is_org_role(role):
            self.add_organisation(name, start, end)
            return
        first = lexicon.first_names()
        self.add_person(name, start, end, role, first.get(parts[0]) if k == 0 else _role_gender(role))

    def _maybe_organisation(self, parts: list[str], start: int) -> bool:
        if len(parts) >= 2 and any(fold(w) in _ORG_WORDS for w in parts):
            name = " ".join(parts)
            self.add_organisation(name, start, start + len(name))
            return True
        return False

    def _scan_honorifics(self) -> None:
        text = self.text
        honorifics = lexicon.honorifics()
        first = lexicon.first_names()
        for m in _honorific_words().finditer(text):
            if self.inside_quote(m.start()):
                continue
            nxt = _NAME_AFTER_HONORIFIC.match(text, m.end())
            if not nxt:
                continue
            words = nxt.group(1).split()
            lawyer = m.group().lower().rstrip(".") in ("me", "maître")
            if words[0] in first and len(words) >= 2:
                known = self.by_form(nxt.group(1)) if lawyer else None
                if known is not None and not any(r == "avocat" for _, r in known.roles):
                    known.roles.append((m.start(), "avocat"))  # "Me Laurence Jégouzo": a lawyer
                continue  # "M. Jacques Morel": the name scan has it
            name = " ".join(words)
            gender = honorifics[m.group().lower()]
            s, e = nxt.start(1), nxt.end(1)
            entity = self.by_surname(name, m.start()) if len(words) <= 2 else None
            if entity is not None:
                self._note(entity, m.start(), e, "honorific", None, gender, None)
            else:
                self.add_person(name, s, e, gender=gender, how="honorific", subject=self.subject_like(m.start(), e))
                if m.group().lower().rstrip(".") in ("me", "maître"):
                    self.entities[-1].roles.append((m.start(), "avocat"))

    def _scan_known_forms(self) -> None:
        """Bare surnames and single names of known entities elsewhere in the text ("Macron a dit")."""
        keys: dict[str, Entity] = {}
        for e in self.entities:
            if e.kind == "person":
                for key in e.surname_keys():
                    keys[key] = e if key not in keys or keys[key] is e else None
        for e in self.entities:
            for form in e.forms:
                if len(form.split()) == 1:
                    keys.setdefault(fold(form), e)
        keys = {k: e for k, e in keys.items() if e is not None and len(k) > 2}
        if not keys:
            return
        seen = {(m.start, m.end) for e in self.entities for m in e.mentions}
        covered = sorted((m.start, m.end) for e in self.entities for m in e.mentions)
        starts = [a for a, _ in covered]
        for m in _CAPITALISED.finditer(self.text):
            word = m.group()
            if fold(word) not in keys or self.inside_quote(m.start()):
                continue
            k = bisect_right(starts, m.start()) - 1
            if k >= 0 and covered[k][0] <= m.start() < covered[k][1]:
                continue
            if (m.start(), m.end()) in seen:
                continue
            entity = keys[fold(word)]
            role = _role_before(self.text, m.start()) if entity.kind == "person" else None
            # "le président Macron": the role the text gives a surname is the person's too
            self._note(entity, m.start(), m.end(), "surname", role if role and not _is_org_role(role) else None,
                       None, None)

    # prominence ----------------------------------------------------------------------------------

    def subject_like(self, start: int, end: int) -> bool:
        """Whether a mention at [start, end) looks like the subject of its clause, read on the text alone.

        It opens its sentence or a clause (after a comma, a colon or "et"/"mais"),
        possibly behind its role ("le ministre de la Santé Olivier Véran") and an
        introductory phrase ("Lundi, …"), and a verb follows it (possibly after an
        apposition between commas). A name after a preposition or a verb is not.
        """
        text = self.text
        role = _role_before(text, start)
        if role:
            at = text.rfind(role.split()[0], max(0, start - 110), start)
            if at >= 0:
                det = re.search(r"(?:l'|\b(?:le|la|les|un|une|son|sa|leur|ses)\s+)$", text[max(0, at - 8):at], re.I)
                start = at - (len(det.group()) if det else 0)
        if _title_line(text, start, end):
            return True  # "Fabien Roussel, un drôle de coco": an intertitle about someone puts them in focus
        if re.match(r"\s*(?:\([^()]{0,60}\)\s*)?:\s*[«“\"]", text[end:end + 70]):
            return True  # "le député PS Luc Carvounas : «…»": the one who speaks next
        before = text[max(0, start - 40):start]
        stripped = before.rstrip()
        if not stripped or stripped[-1] in _SENTENCE_END or stripped.endswith(("»", "”", '"')) and (
                len(stripped) < 2 or stripped[-2] in _SENTENCE_END):
            opens = True
        elif stripped[-1] in ",;:(—–-":
            opens = True
        else:
            last = re.search(r"([\w']+)$", stripped)
            opens = bool(last) and last.group(1).lower() in _CLAUSE_OPENERS
            if opens and last.group(1).lower() in ("et", "ou"):
                # "entre Gabriel Arto et Sylvain Dumas": the second of two names is what the first one is
                first = re.search(rf"({_NAME_WORD}(?: {_NAME_WORD})*)\s+(?:et|ou)\s*$", stripped)
                if first:
                    at = max(0, start - 40) + first.start(1)
                    return self.subject_like(at, at + len(first.group(1)))
        return opens and _verb_follows(text, end)

    def main_person(self) -> Entity | None:
        """The person the text is about: named clearly more often than anyone else (twice, and two more times)."""
        counts = sorted(((len(e.mentions), e.index) for e in self.entities if e.kind == "person"), reverse=True)
        if not counts or counts[0][0] < 3 or len(counts) > 1 and counts[0][0] < max(2 * counts[1][0], counts[1][0] + 2):
            return None
        return self.entities[counts[0][1]]

    def subject_before(self, position: int) -> Resolution:
        """The person last a clause's subject (or speaker) before ``position``, for a verb whose subject is
        left out ("Il propose un débat. Mais assure que …"); nobody if an organisation or no one is."""
        k = bisect_left(self._events, (position, -1))
        if k == 0 or position - self._events[k - 1][0] > ELIDED_REACH:
            return Resolution(None, ("no subject written, and no subject just before",))
        entity = self.entities[self._events[k - 1][1]]
        if entity.kind != "person":
            return Resolution(None, (f"no subject written; the one before is {entity.name}, not a person",))
        return Resolution(entity, (f"no subject written: the subject before it, {entity.name} "
                                   f"(at {self._events[k - 1][0]})",))

    def has_spoken(self, entity: Entity, position: int) -> bool:
        """Whether a quote before ``position`` was given to ``entity``."""
        return any(m.how == "speaker" and m.start < position for m in entity.mentions)

    def prominent_between(self, start: int, end: int, exclude: Entity) -> Entity | None:
        """Another person who is the subject of a clause (or speaks) in [start, end), if any."""
        k = bisect_left(self._events, (start, -1))
        while k < len(self._events) and self._events[k][0] < end:
            e = self.entities[self._events[k][1]]
            if e is not exclude and e.kind == "person":
                return e
            k += 1
        return None

    # resolution ----------------------------------------------------------------------------------

    def resolve(self, desc: Description, position: int, extent: tuple[int, int] | None = None) -> Resolution:
        """The entity a speaker mention stands for, with the steps that led there; None when unsure."""
        if desc.pronoun:
            if desc.pronoun in lexicon.IMPERSONAL:
                return Resolution(None, (f"«{desc.pronoun}» names nobody in particular",))
            if desc.pronoun in ("ce dernier", "cette dernière", "celui-ci", "celle-ci", "dernier", "dernière"):
                return self._last_named(desc, position)
            return self._pronoun(desc, position)
        if desc.name:
            return self._name(desc, position, extent)
        if desc.role:
            return self._role(desc, position, extent or (position, position))
        return Resolution(None, ("nothing to resolve",))

    def _name(self, desc: Description, position: int, extent) -> Resolution:
        name = desc.name
        words = name.split()
        start, end = extent or (position, position + len(name))
        key = fold(name)
        if key not in self.aliases and _is_acronym(name) and len(words) == 1:
            full = self._spelt_out(name)
            if full:
                self.add_alias(name, full, self.text.find(full))
        if key in self.aliases:
            entity = self.aliases[key]
            return Resolution(entity, (f"«{name}» → {entity.name} (acronym defined in the text)",))
        known = self.by_form(name)
        if known is not None and (len(words) >= 2 or known.kind == "organisation" or len(known.forms) == 1
                                  and len(known.words) == 1):
            step = "name as written" if known.name == name else f"«{name}» → {known.name} (the fullest form)"
            self._note(known, start, end, "speaker", desc.role, desc.gender, True)
            return Resolution(known, (step,))
        if len(words) == 1 and fold(name) in _ORG_NOUNS:
            entity = self.by_head_word(name, position)
            if entity is not None:
                self._note(entity, start, end, "speaker", None, desc.gender, True)
                return Resolution(entity, (f"«{name}» → {entity.name}, the organisation of that name",))
            if desc.definite:  # "l'ONG", "la Fédération": a kind of body, not its name
                return self._org_noun(Description(desc.mention, role=name, gender=desc.gender, definite=True),
                                      position, fold(name))
        if len(words) == 1 or (len(words) == 2 and words[0] in lexicon.NAME_PARTICLES_CAPITALISED):
            entity = self.by_surname(name, position)
            if entity is not None:
                self._note(entity, start, end, "speaker", desc.role, desc.gender, True)
                return Resolution(entity, (f"surname «{name}» → {entity.name}",))
            if name in lexicon.first_names() or _is_acronym(name) or desc.role or _honorific_in(desc.mention):
                entity = self._single(name, start, end, desc)
                return Resolution(entity, ("name as written (not expanded in the text)",))
            entity = self._single(name, start, end, desc)
            return Resolution(entity, ("name as written (not expanded in the text)",))
        if _first_name_at(words) == 0 or _honorific_in(desc.mention) or desc.role and not _is_org_role(desc.role):
            entity = self.add_person(name, start, end, desc.role, desc.gender or lexicon.first_names().get(words[0]),
                                     how="speaker", subject=True)
        elif any(fold(w) in _ORG_WORDS for w in words) or (desc.role and _is_org_role(desc.role)):
            entity = self.add_organisation(name, start, end, how="speaker", subject=True)
        else:
            entity = self.add_person(name, start, end, desc.role, desc.gender, how="speaker", subject=True)
        return Resolution(entity, ("name as written",))

    def _single(self, name: str, start: int, end: int, desc: Description) -> Entity:
        """A one-word speaker name the text does not expand ("Mistah", "Kremlin", "SNCF")."""
        first = lexicon.first_names()
        person = name in first or _honorific_in(desc.mention) or bool(desc.role and not _is_org_role(desc.role))
        known = self.by_form(name)
        if known is not None:
            self._note(known, start, end, "speaker", desc.role, desc.gender, True)
            return known
        if person:
            return self.add_person(name, start, end, desc.role, desc.gender or first.get(name), how="speaker",
                                   subject=True)
        return self.add_organisation(name, start, end, how="speaker", gender=desc.gender, subject=True)

    def _candidates(self, gender: str | None, position: int, reach: int, organisations: bool = False,
                    plural: bool = False):
        """(last prominent position, entity) of the entities that agree, most recent first.

        Organisations only when asked, and only those whose gender the text told
        ("l'ONG Bloom … Elle recommande").
        """
        out, seen = [], set()
        k = bisect_left(self._events, (position, -1))
        while k > 0:
            k -= 1
            start, index = self._events[k]
            if position - start > reach:
                break
            if index in seen:
                continue
            seen.add(index)
            e = self.entities[index]
            if gender and e.gender and e.gender != gender or e.plural != plural:
                continue
            if e.kind == "organisation" and not (organisations and gender and e.gender == gender):
                continue
            out.append((start, e))
        return out

    def _pronoun(self, desc: Description, position: int) -> Resolution:
        # people first: an organisation is taken up by "elle" or "il" only when no person could be; "ils"
        # and "elles" by a group the text described ("les associations … elles")
        candidates = self._candidates(desc.gender, position, PRONOUN_REACH, plural=desc.plural)
        if not candidates and not desc.plural:
            candidates = self._candidates(desc.gender, position, PRONOUN_REACH, organisations=True)
        if not candidates:
            return Resolution(None, (f"pronoun «{desc.pronoun}»: no subject or speaker before it agrees",))
        last, entity = candidates[0]
        return Resolution(entity, (f"pronoun «{desc.pronoun}» → {entity.name}, the last subject or speaker "
                                   f"that agrees (at {last})",))

    def _last_named(self, desc: Description, position: int) -> Resolution:
        best = None
        for e in self.entities:
            if e.kind != "person" or (desc.gender and e.gender and e.gender != desc.gender):
                continue
            last = e.last_before(position)
            if last >= 0 and (best is None or last > best[0]):
                best = (last, e)
        if best is None:
            return Resolution(None, (f"«{desc.pronoun}»: nobody named before it",))
        return Resolution(best[1], (f"«{desc.pronoun}» → {best[1].name}, the last person named (at {best[0]})",))

    def _role(self, desc: Description, position: int, extent: tuple[int, int]) -> Resolution:
        """A role description ("le ministre de la Santé", "l'ONG") → the entity the text gave that role, if one."""
        role = desc.role
        if desc.plural or not roles.role_words(role):
            return Resolution(None, (f"«{role}»: not one person's role",))
        head = role.replace("'", " ").split()[0].lower()
        if fold(head) in _ORG_NOUNS:
            return self._org_noun(desc, position, fold(head))
        if head not in lexicon.role_words() and fold(head) not in _folded_role_words():
            return Resolution(None, (f"«{role}»: not a role",))
        if not desc.definite:
            return Resolution(None, (f"«{role}»: an indefinite description introduces someone new",))
        people, described = [], []
        for e in self.entities:
            if e.kind == "organisation" or (desc.gender and e.gender and e.gender != desc.gender):
                continue
            known_roles = [known for _, known in e.roles] + ([e.name] if e.kind == "description" else [])
            best = max((roles.agreement(role, known) for known in known_roles), default=0.0)
            if best > 0:
                (people if e.kind == "person" else described).append((best, e.last_before(position), e))
        if people:
            people.sort(key=lambda t: (t[0], t[1]), reverse=True)
            score, _, entity = people[0]
            if len(people) > 1 and people[1][0] == score and people[1][1] == people[0][1]:
                return Resolution(None, (f"«{role}»: several people hold it",))
            return Resolution(entity, (f"role «{role}» → {entity.name}, «{entity.role_at(position)}» in the text",))
        focus = self._in_focus(desc, position, extent)
        if described:
            described.sort(key=lambda t: (t[1], t[0]), reverse=True)
            _, last, entity = described[0]
            if focus.entity is None or last > focus.entity.last_before(position, prominent=True):
                return Resolution(entity, (f"role «{role}» takes up «{entity.name}» (at {last})",))
        if focus.entity is not None or focus.steps:
            return focus
        return self._announced(desc, position)

    def _in_focus(self, desc: Description, position: int, extent: tuple[int, int]) -> Resolution:
        """A definite role nobody was given: the person in focus, when nothing speaks against it."""
        role = desc.role
        office = _office(role)
        candidates = [(last, e) for last, e in self._candidates(desc.gender, position, ROLE_REACH)
                      if e.kind == "person" and not any(office and _office(known) and roles.agreement(role, known) < 0
                                                        for _, known in e.roles)]
        if not candidates:
            return Resolution(None)
        named = roles.role_words(role).named - lexicon.institution_words()
        if named:
            # "le patron de Spotify": only someone the text puts near Spotify
            candidates = [(last, e) for last, e in candidates if self._near_words(e, named, extent)]
            if not candidates:
                return Resolution(None, (f"«{role}»: nobody the text puts near {', '.join(sorted(named))}",))
        # who has spoken comes before who was only a subject ("Cahuzac & Mélenchon" in a title line)
        candidates.sort(key=lambda t: (self.has_spoken(t[1], position), t[0]), reverse=True)
        last, entity = candidates[0]
        spoke = self.has_spoken(entity, position)
        rivals = [e for l, e in candidates[1:] if abs(last - l) < 400 and not e.roles
                  and self.has_spoken(e, position) == spoke]
        if rivals:
            return Resolution(None, (f"«{role}»: {entity.name} or {rivals[0].name}",))
        return Resolution(entity, (f"role «{role}» → {entity.name}, the last subject or speaker (at {last}), "
                                   f"whom no other role contradicts",), weak=True)

    def _announced(self, desc: Description, position: int) -> Resolution:
        """ "Le chef de l'État a salué … Emmanuel Macron appelle …": a role opening the text, named just after."""
        people = [e for e in self.entities if e.kind == "person" and e._starts]
        if position > ANNOUNCE_OPENING or any(e._starts[0] < position for e in people):
            return Resolution(None, (f"«{desc.role}»: nobody in the text holds it",))
        after = sorted(((e._starts[0], e) for e in people if not (desc.gender and e.gender and e.gender != desc.gender)
                        and not any(roles.agreement(desc.role, known) < 0 for _, known in e.roles)
                        and not self._after_preposition(e._starts[0])),
                       key=lambda t: t[0])  # not "le gendarme Arnaud Beltrame" for "le chef de l'État"
        if not after or after[0][0] - position > ANNOUNCE_REACH:
            return Resolution(None, (f"«{desc.role}»: nobody in the text holds it",))
        at, entity = after[0]
        if len(after) > 1 and after[1][0] - at < 200 or any(roles.agreement(desc.role, k) < 0 for _, k in entity.roles):
            return Resolution(None, (f"«{desc.role}»: nobody in the text holds it",))
        return Resolution(entity, (f"role «{desc.role}» → {entity.name}, the first person named after it (at {at})",),
                          weak=True)

    def _after_preposition(self, start: int) -> bool:
        """Whether a mention follows a preposition ("une réunion avec Alexandre Grouchko"): a complement."""
        last = re.search(r"([\w']+)\s*$", self.text[max(0, start - 20):start])
        return bool(last) and last.group(1).lower() in _OBLIQUE

    def _near_words(self, entity: Entity, words: frozenset[str], skip: tuple[int, int]) -> bool:
        """Whether one of ``words`` (folded) stands within a sentence or so of a mention of ``entity``
        (the characters ``skip``, the description being resolved, aside)."""
        for m in entity.mentions:
            if m.how == "speaker" and not m.text:
                continue
            lo, hi = max(0, m.start - NEAR), m.end + NEAR
            around = fold(self.text[lo:max(lo, min(hi, skip[0]))] + " " + self.text[max(lo, skip[1]):hi])
            if any(re.search(rf"\b{re.escape(w)}\b", around) for w in words):
                return True
        return False

    def _org_noun(self, desc: Description, position: int, noun: str) -> Resolution:
        orgs = [(e.last_before(position), e) for e in self.entities if e.kind == "organisation"]
        named = [(last, e) for last, e in orgs if noun in e.org_nouns and last >= 0]
        if named:
            last, entity = max(named, key=lambda t: t[0])
            return Resolution(entity, (f"«{desc.role}» → {entity.name}, named «{noun}» in the text",))
        if desc.definite and noun not in ("gouvernement", "ministere", "mairie", "prefecture", "parquet",
                                          "tribunal", "direction"):
            # "l'ONG" after "Amnesty International": the one body of the text it can be (not a country, a medium)
            bodies = [(last, e) for last, e in orgs if 0 <= last and position - last <= ROLE_REACH
                      and not e.org_nouns - {noun} and _a_body(e)]
            if len(bodies) == 1:
                last, entity = bodies[0]
                return Resolution(entity, (f"«{desc.role}» → {entity.name}, the one organisation named before "
                                           f"(at {last})",), weak=True)
        return Resolution(None, (f"«{desc.role}»: no organisation of that kind named",))


_NOT_NAME_OPENERS = frozenset("au aux selon pour pendant quant pourtant mais et ainsi alors enfin aussi ensuite puis car donc "
                              "or chez avec après avant depuis lundi mardi mercredi jeudi vendredi samedi dimanche "
                              "hier aujourd'hui comme si quand lorsque dans sur face outre".split())
_PLACE_PREFIXES = frozenset("San Santa Santo Saint Sainte São Sao St Ste Los Las Port Mont Val New Fort Cap Puerto "
                            "Porto Bad Baie Lac Île Ile".split())
_NAME_AFTER_HONORIFIC = re.compile(rf"\s{{0,2}}(?:\[[^\]]{{1,30}}\]\s*)?({_NAME_WORD}(?: (?:{_PARTICLE} )?{_NAME_WORD})?)")
_ORG_NOUNS = frozenset(fold(w) for w in """ong association syndicat parti groupe société entreprise compagnie
    fédération collectif mouvement organisation agence institut fondation banque club laboratoire constructeur
    opérateur cabinet gouvernement ministère mairie préfecture parquet tribunal direction""".split())
_ORG_ROLE_WORDS = _ORG_NOUNS


def _office(role: str) -> bool:
    """Whether a role names a post ("ministre de la Santé"), not a description ("l'expert européen")."""
    words = role.lower().replace("'", " ").split()
    while len(words) > 1 and words[0] in ("ancien", "ancienne", "ex", "futur", "future", "nouveau", "nouvelle"):
        words = words[1:]
    return bool(words) and words[0] in lexicon.office_words()


def _a_body(entity: Entity) -> bool:
    """An organisation by its name ("Amnesty International", "FNSEA"), not a place or a medium."""
    name = entity.name
    words = name.split()
    return not _is_media(name) and (any(fold(w) in _ORG_WORDS for w in words) or _is_acronym(name)
                                     or bool(entity.org_nouns) or len(words) >= 2 and entity.mentions[0].how == "alias")


def _same_named_words(wanted: str, known: str) -> bool:
    """ "député du Nord" is no "député du Puy-de-Dôme": a role's named words must be the other's too."""
    a = roles.role_words(wanted).named
    return not a or bool(a & roles.role_words(known).named)


def _is_media(name: str) -> bool:
    words = tuple(lexicon.media_words(name))
    return bool(words) and words in lexicon.media_names().get(words[0], ())


def _org_gender(phrase: str) -> str | None:
    low = phrase.lower().strip()
    if low.startswith(("la ", "de la ", "à la ")):
        return "f"
    if low.startswith(("le ", "du ", "au ")):
        return "m"
    return None


def _is_org_role(role: str) -> bool:
    head = fold(role.replace("'", " ").split()[0]) if role.split() else ""
    return head in _ORG_ROLE_WORDS


@lru_cache(maxsize=1)
def _folded_role_words() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon.role_words())


def _honorific_in(mention: str) -> bool:
    words = mention.lower().replace("'", " ").split()
    return any(w in lexicon.honorifics() for w in words[:3])


def _trim_org(name: str) -> str:
    words = name.split()
    while words and (words[-1].lower() in lexicon.NAME_PARTICLES or words[-1].lower() in ("pour", "et", "&")):
        words.pop()
    return " ".join(words)


def _lead_words(phrase: str) -> int:
    """Length of the lower-case words (and elided articles) before the first capitalised one."""
    at = 0
    for m in re.finditer(r"\S+\s*", phrase):
        word = re.sub(r"^[lLdD]['’]", "", m.group().strip())
        if word[:1].isupper():
            return at + (len(m.group().strip()) - len(word))
        at = m.end()
    return 0


def _an_institution(phrase: str) -> bool:
    """A body's name ("Union européenne", "Parti socialiste"), not a person's ("Pierre Sanchez") or a place."""
    words = phrase.split()
    if words[0] in lexicon.first_names():
        return False
    return any(fold(w) in _ORG_WORDS for w in words) or all(w[:1].islower() for w in words[1:])


def _initials_match(acronym: str, expansion: str) -> bool:
    words = [w for w in re.findall(r"[\w]+", expansion) if w.lower() not in lexicon.NAME_PARTICLES
             and len(w) > 2 or w[:1].isupper()]
    letters = fold("".join(w[0] for w in words))
    return acronym.lower() == letters or (len(acronym) >= 3 and letters.startswith(acronym.lower()[:3])
                                          and acronym.lower() in letters)


_PREPOSITIONS = frozenset("à au aux de d' du des avec pour par sur chez contre selon entre vers dans en devant après "
                          "avant".split())
_ROLE_DETERMINERS = frozenset("le la l' les un une au aux son sa leur du".split())


def _role_before(text: str, start: int) -> str | None:
    """ "le porte-parole du Kremlin " before a name: back to the determiner that opens a role noun."""
    before = text[max(0, start - 100):start].rstrip()
    apposed = before.endswith(",")
    words = re.findall(r"[dlDL]'|[^\s']+'?", before.rstrip(","))
    role_words = lexicon.role_words()
    if words and words[-1].lower() in _PREPOSITIONS:
        return None  # "a indiqué son père à TV Azteca": the name is not the role's
    found = None
    for n in range(len(words) - 1, 0, -1):
        word = words[n - 1]
        if re.search(r"[,.;:!?«»()]", words[n]) or len(words) - n > 10 or _outside_a_role(words[n].lower()):
            break  # a role does not reach past a verb or a preposition ("a accusé le ministre", "face au")
        if word.lower() in _ROLE_DETERMINERS and words[n].lower() in role_words:
            if n >= 2 and words[n - 2].lower() in _PREPOSITIONS | {"auprès", "sur"} and not apposed:
                # "a indiqué à l'Agence France-Presse François Pérain": a complement, not a role (but
                # "selon leur porte-parole, Awa Sanou": the name set beside the role holds it)
                continue
            # the outermost role: "la porte-parole du gouvernement", not "gouvernement"
            found = " ".join(words[n:]).replace("' ", "'").strip(" ,") or None
    return found


_NOT_IN_A_ROLE = frozenset("à au aux avec contre pour par sur face chez entre vers dans selon qui que qu' dont "
                           "lors après avant depuis pendant".split())


_VERB_AUXILIARIES = lexicon.AUXILIARIES - {"de", "d'"}  # made once: the tests below run for every word near a name


def _outside_a_role(word: str) -> bool:
    return word in _NOT_IN_A_ROLE or word in _VERB_AUXILIARIES or word in lexicon.reporting_forms()


def _role_near(text: str, start: int, end: int) -> str | None:
    """A role written right before ("le chef de l'OTAN Jens Stoltenberg") or after (", chef de l'OTAN,")."""
    role = _role_before(text, start)
    if role and not _is_org_role(role):
        return role
    m = _ROLE_AFTER.match(text, end, min(len(text), end + 110))
    if m and not any(w in _VERB_AUXILIARIES or w in lexicon.reporting_forms() or w in ("qui", "que")
                     for w in m.group(1).lower().split()[1:]):  # "procureur à Nancy", not "… a pris la parole"
        desc = describe(m.group(1))
        words = (desc.role or "").split()
        if words and words[0].lower() in lexicon.role_words() and not desc.name:
            return desc.role
        if words and words[0].lower() in lexicon.role_words() and desc.name and len(desc.name.split()) == 1 \
                and words[-1].lower() in ("à", "au", "en", "de", "du", "d'"):
            return f"{desc.role} {desc.name}"  # "procureur à Nancy": a place, not a second person
    return None


def _role_gender(role: str | None) -> str | None:
    if not role:
        return None
    return lexicon.role_words().get(role.split()[0].lower())


def _title_line(text: str, start: int, end: int) -> bool:
    """A short line without a full stop that opens with the mention (a title or an intertitle)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    line = text[line_start:line_end].strip()
    return text[line_start:start].strip() == "" and 0 < len(line) <= 90 and not line.endswith((".", "»", "”")) \
        and not re.search(r"&|\bet\b|\bvs\b|\bcontre\b", line)  # "Cahuzac & Mélenchon": about two people


def _verb_follows(text: str, end: int) -> bool:
    """A verb (or a clitic or adverb before one) after the mention, past an apposition between commas."""
    rest = text[end:end + 160]
    both = _COORDINATED.match(rest)
    if both:
        rest = rest[both.end():]  # "Marie Dubois et Paul Henry ont débattu": both are subjects
    m = re.match(r"\s*(?:\([^()]{0,80}\)\s*)?(,?)\s*([\w'-]+)", rest)
    if not m:
        return False
    comma, word = m.group(1), m.group(2).lower()
    if comma:
        if _surely_verbal(word):
            return True  # "Jacques Toubon, a en effet demandé"
        close = re.match(r"\s*,[^,.;:!?«»]{1,100},\s*([\w'-]+)", rest)
        return bool(close) and _looks_verbal(close.group(1).lower())
    return _looks_verbal(word) and not word[:1].isupper()


def _role_ends_at(text: str, end: int) -> bool:
    """Whether a role phrase may end at ``end``: not on "de", "la", nor before a capitalised word of its own."""
    last = re.search(r"([\w'-]+)\s*$", text[max(0, end - 30):end])
    after = re.match(r"\s*([\w'-]+)", text[end:end + 30])
    return bool(last) and last.group(1).lower() not in _FUNCTION_AFTER and not last.group(1).endswith("'") \
        and not (after and after.group(1)[:1].isupper())


def _surely_verbal(word: str) -> bool:
    """After a comma, a word that can only be a verb (or a clitic, an adverb before one); "membres" is not."""
    return word in lexicon.AUXILIARIES or word in lexicon.reporting_forms() or word in lexicon.ADVERBS \
        or word.startswith(("s'", "n'", "l'", "y")) or word in ("se", "ne", "lui", "leur", "nous", "vous", "en")


_COORDINATED = re.compile(rf"\s+(?:et|ou)\s+(?:(?:M\.|Mme|Me)\s+)?{_NAME_WORD}(?:[ ](?:{_PARTICLE}[ ])?{_NAME_WORD})*")


def _looks_verbal(word: str) -> bool:
    if not word or word[:1].isdigit() or word in _FUNCTION_AFTER:
        return False
    if word in lexicon.AUXILIARIES or word in lexicon.reporting_forms() or word in lexicon.ADVERBS:
        return True
    if word.startswith(("s'", "n'", "l'", "y")) or word in ("se", "ne", "lui", "leur", "nous", "vous", "en"):
        return True
    # anything else lower-case but a plural noun or adjective ("membres", "importants")
    return not word[:1].isupper() and len(word) > 2 and word not in lexicon.DETERMINERS and (
        not word.endswith(("s", "x")) or word in ("est", "fait", "dit"))


@lru_cache(maxsize=1)
def _honorific_words() -> re.Pattern:
    """An honorific as a whole word (M., Mme, Dr…), found by one regex."""
    words = sorted((w for w in lexicon.honorifics() if re.fullmatch(r"[^\W\d_][\w.'-]*", w) and w[0].isalpha()),
                   key=len, reverse=True)
    # the initials tested first: half the time of trying every word at every character
    initials = "".join(sorted({w[0] for w in words}))
    return re.compile(rf"(?=[{initials}])(?<![\w'-])(?:" + "|".join(map(re.escape, words)) + r")(?![\w'-])(?=\s)",
                      re.IGNORECASE)
