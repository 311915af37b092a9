"""Speaker mentions as written, split into determiner, honorific, role and name.

A mention ("le porte-parole du Kremlin Dmitri Peskov", "il", "M. Stoltenberg",
"le chef de l'OTAN") becomes a ``Description``; the document's entity model
(``entities.py``) then resolves it to a person or an organisation. No spaCy here.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..text import fold
from . import lexicon

_TIME_WORDS = lexicon.TIME_WORDS
_PLACE_PREFIXES = {"San", "Santa", "Santo", "Saint", "Sainte", "São", "Sao", "St", "Ste", "Los", "Las", "Port", "Mont",
                   "Val", "New", "Fort", "Cap", "Puerto", "Porto", "Bad", "Baie", "Lac", "Île", "Ile"}
_DEFINITE = {"le", "la", "les", "l'"}
_DE = {"de", "du", "des", "d'"}
_ALL_DETERMINERS = {"le", "la", "les", "un", "une", "des", "du", "ce", "cet", "cette", "ces", "son", "sa", "ses",
                    "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes"}
_PLURAL_DET = {"les", "des", "ces", "leurs", "nos", "plusieurs", "certains", "certaines"}
_STOP = _DE | {"le", "la", "les", "l'", "un", "une", "à", "au", "aux", "et", "en", "pour", "sur", "chez"}
# Words that open a noun phrase without naming anyone ("celui qui…", "quel est…", "tout le monde").
_NOT_A_SPEAKER = {"certains", "certaines", "plusieurs", "beaucoup", "aucun", "aucune", "personne", "autres",
                  "quel", "quelle", "quels", "quelles", "celui", "celle", "ceux", "celles", "qui", "que", "quoi",
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
        while len(words) > 1 and words[-1].lower() in _STOP:
            words = words[:-1]  # "le propriétaire de" (the parse cut the phrase): "propriétaire"
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


def _media_title(words: list[str]) -> str | None:
    """The words as a known media name with its article ("Le Monde"), or None."""
    wanted = lexicon.media_words(" ".join(words))
    if not wanted or wanted[0] not in ("le", "la", "les", "l"):
        return None
    if tuple(wanted) in lexicon.media_names().get(wanted[0], ()):
        return " ".join(words).replace("' ", "'")
    return None


def _name_then_affiliation(body: list[str], first) -> str | None:
    """ "Erik Meyer de SUD-Rail", "Lucie Marin, de la CGT": a full name, then what the person belongs to."""
    if len(body) < 4 or not _is_cap(body[0]) or not _is_cap(body[1]) or body[1].lower() in lexicon.NAME_PARTICLES:
        return None
    if body[0] not in first and (fold(body[0]) in lexicon.ORG_WORDS or body[0] in _PLACE_PREFIXES
                                 or body[0].lower() in lexicon.role_words()):
        return None
    k = 2
    while k < len(body) and _is_cap(body[k]):
        k += 1
    rest = [w.lower() for w in body[k:]]
    if k < len(body) and rest[0] in _DE and any(_is_cap(w) for w in body[k + 1:k + 3]):
        return " ".join(body[:k])
    return None


def _organisation_name(body: list[str]) -> str | None:
    """ "le Conseil européen", "la Cour des comptes": a capitalised body's name, lower-case words and all."""
    if len(body) < 2 or not _is_cap(body[0]) or fold(body[0]) not in lexicon.ORG_WORDS or len(body) > 6:
        return None
    if any(w.lower() in lexicon.role_words() for w in body[1:]):
        return None  # "Conseil régional président": not a name
    return " ".join(body).replace("' ", "'")


def _name_with_particles(body: list[str], determiners: int) -> str | None:
    """ "Wallerand de Saint Just": capitalised words around particles, with no determiner, are one name."""
    if determiners or len(body) < 3 or not _is_cap(body[0]) or body[0].lower() in lexicon.role_words():
        return None
    if body[1].lower() not in lexicon.NAME_PARTICLES or not _is_cap(body[-1]):
        return None  # the particle follows the given name ("Wallerand de …"); "Yanis Ferrer de FO" is not one name
    if not all(_is_cap(w) or w.lower() in lexicon.NAME_PARTICLES for w in body):
        return None
    if fold(body[0]) in lexicon.ORG_WORDS or body[0] in _PLACE_PREFIXES:
        return None
    return " ".join(body).replace("' ", "'")


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
    title = _media_title(words)
    if title:
        desc.name = title  # "Le Parisien", "L'Express": a title keeps its article
        return desc
    if " ".join(low) in lexicon.IMPERSONAL:
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
    if i and low[i - 1] in honorifics and len(body) >= 2 and body[0].lower() in ("de", "d'") \
            and all(_is_cap(w) for w in body[1:]):
        desc.name = " ".join(body).replace("' ", "'")  # "madame de Rochefide", "M. d'Arcy": the particle opens the name
        return desc
    named = _name_then_affiliation(body, first) or _organisation_name(body) or _name_with_particles(body, i)
    if named:
        desc.name = named
        if named.split()[0] in first and first[named.split()[0]]:
            desc.gender = desc.gender or first[named.split()[0]]
        return desc
    # The name is the last run of capitalised words (particles allowed inside it).
    end = len(body)
    while end and not _is_cap(body[end - 1]) and not (body[end - 1].isdigit() and end >= 2 and _is_cap(body[end - 2])):
        end -= 1  # a number after a capital belongs to the name ("France 2", "Europe 1")
    start = end - 1 if end and body[end - 1].isdigit() else end
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
        if before in _DE and run[0] in ("La", "Le", "Les", "L'"):
            run = []  # "le leader de La France insoumise": the organisation's own article, no person
        first_at = next((k for k, w in enumerate(run) if w in first and (k == 0 or run[k - 1].lower()
                                                                             not in lexicon.NAME_PARTICLES)), None)
        if first_at and (run[0] in _PLACE_PREFIXES or before not in _DE | _DEFINITE) \
                and not (len(run) - first_at >= 2 and _not_a_given_name(run[0])):
            first_at = None  # "San Luis Potosi", "Abdou Karim Sawadogo": a first name inside a name
        if before in _DE | {"l'"} and first_at is None and len(run) >= 3:
            first_at = len(run) - 2  # "du Kremlin Dmitri Peskov": the organisation, then a two-word name
        if before in _DE | {"l'"} and first_at is None:
            run = []  # "le porte-parole du Kremlin": an organisation inside the role, no name
        elif first_at:
            start += first_at
            run = run[first_at:]
        elif first_at == 0 and before in _DE and start >= 2 and not _is_cap(body[start - 2]):
            run = []  # "l'avocat de Nicolas R.", "l'entourage d'Édouard Philippe": a complement, not the speaker
    while len(run) > 1 and (run[0].lower() in roles or run[0].lower() in honorifics
                            or run[0].isupper() and len(run[0]) > 1 and run[1] in first):
        # "l'ONG Bloom", "son avocat Me Richard Delgenes", "le député LREM Gilles Le Gendre"
        start, run = start + 1, run[1:]
    if run:
        desc.name = " ".join(run)
        role_words = body[:start]
        if len(role_words) == 1 and _is_cap(role_words[0]) and role_words[0].lower() not in roles:
            role_words = []  # "Presse François Pérain": a scrap of the phrase before, not a role
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
    if not desc.name and len(body) == 1 and _is_cap(body[0]) and body[0].lower() not in _NOT_A_SPEAKER \
            and body[0].lower() not in _TIME_WORDS:
        desc.name = body[0]  # "le Kremlin", "Washington"
        desc.role = None
    if desc.role and not desc.name and not desc.plural and role_words:
        desc.plural = role_words[0].lower().endswith(("s", "x")) and low[0] not in ("le", "la", "un", "une")
    return desc


def speaker_label(desc: Description) -> str | None:
    """The description to keep when nobody was resolved: a role or a kind of source, never a guess."""
    if desc.pronoun or desc.name:
        return None
    label = desc.label()
    if not label:
        return None
    partitive = _PARTITIVE.match(desc.mention.replace("’", "'"))
    if partitive:
        # "un de ses proches" is a "proche"; "deux de ses membres" are "membres"
        label = partitive.group(2)
        if partitive.group(1).lower() in ("un", "une", "l'un", "l'une") and label[-1:] in ("s", "x") \
                and " " not in label:
            label = label[:-1]
    words = label.replace("'", " ").lower().split()
    while len(words) > 1 and words[0] in _MODIFIERS:
        words = words[1:]  # "l'ancien ministre": the head is "ministre"; "le premier geste": "geste"
    head = words[0]
    if desc.plural and head[-1:] in ("s", "x"):
        head = head[:-1]  # "les associations", "des manifestants"
    if head not in lexicon.role_words() and head not in lexicon.source_words():
        return None  # "témoignages d'habitants", "débat": a thing, not who speaks
    if head in _DOCUMENTS and desc.mention.split()[0].lower() in _POSSESSIVES:
        return None  # "son rapport": the report of someone the text names
    return label


_DOCUMENTS = frozenset("rapport pétition étude lettre tribune journal".split())
_POSSESSIVES = frozenset("son sa ses leur leurs notre nos votre vos".split())
_PARTITIVE = re.compile(r"((?:l')?une?|deux|trois|quatre|plusieurs|certaine?s|nombre)\s+(?:d'entre\s+|de\s+|des\s+|d')"
                        r"(?:ses|ces|leurs|nos|vos|mes|les|eux|elles)?\s*(.+)$", re.I)
_MODIFIERS = frozenset("ancien ancienne anciens anciennes premier première premiers premières nouveau nouvel nouvelle "
                       "futur future actuel actuelle jeune vieux vieil vieille simple autre seul seule".split())
