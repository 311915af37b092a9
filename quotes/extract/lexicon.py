"""French word lists the extractor matches against, read once from ``data/``.

The lists are data (reporting verbs, irregular forms, roles, honorifics); this
module only loads them and conjugates the regular verbs so that a surface form
("martèle", "a souligné", "estimait") maps back to its lemma without relying on
the statistical lemmatiser.
"""
import re
from functools import lru_cache
from pathlib import Path

from ..text import fold as _fold

DATA = Path(__file__).resolve().parent / "data"

# Words that introduce a speaker before a comma: "selon X, «…»", "«…», d'après X".
ACCORDING_TO = ("selon", "d'après", "pour", "aux yeux de", "de l'avis de", "à en croire", "au dire de", "aux dires de")

# Determiners and contractions that may open a speaker description.
DETERMINERS = frozenset("le la les l' un une des du de d' ce cet cette ces son sa ses leur leurs notre nos".split())

# Prepositions that open a complement standing between an incise verb and its
# inverted subject ("a souligné à Moscou le porte-parole…").
COMPLEMENT_PREPOSITIONS = frozenset(
    "à au aux dans devant lors sur en depuis pendant auprès après avant durant face vers chez par avec sans"
    " pour lundi mardi mercredi jeudi vendredi samedi dimanche".split()
)

# Adverbs and short time words that can sit inside a verb group or before the subject.
ADVERBS = frozenset(
    """aussi encore également ensuite alors déjà enfin notamment pourtant cependant toutefois néanmoins
    ainsi même donc d'ailleurs simplement clairement publiquement récemment hier aujourd'hui demain
    lundi mardi mercredi jeudi vendredi samedi dimanche matin soir midi tard tôt souvent toujours
    jamais volontiers sobrement fermement sèchement calmement immédiatement rapidement longuement
    brièvement tout bien ne n' pas plus point guère vite finalement là ici très dernièrement
    seulement surtout plutôt également""".split()
)

# Adverbial phrases that sit between a subject and its verb ("Les États-Unis ont en revanche démenti").
ADVERBIAL_PHRASES = tuple(
    p.replace("'", "' ").replace("' ", "'") for p in (
        "en revanche", "par ailleurs", "de son côté", "de leur côté", "pour sa part", "pour leur part",
        "quant à lui", "quant à elle", "quant à eux", "à son tour", "en outre", "lui aussi", "elle aussi",
        "de nouveau", "à nouveau", "en effet", "pour autant", "en fait", "au contraire", "de fait",
        "en tout cas", "lui-même", "elle-même", "quant à lui", "pour l'instant", "pour le moment",
        "à plusieurs reprises", "une nouvelle fois", "une fois de plus", "à l'époque", "d'ores et déjà",
        "de plus", "par la suite", "dans la foulée", "à cette occasion", "de son côté aussi")
)
# Verbs that presuppose their clause (an attitude, not a claim): no indirect quote from them.
FACTIVE = frozenset({"regretter", "déplorer", "se réjouir", "se féliciter", "souhaiter", "espérer", "s'étonner",
                     "s'indigner", "s'inquiéter", "s'alarmer", "se désoler", "saluer", "se plaindre", "apprécier",
                     "applaudir", "condamner", "critiquer", "dénoncer", "regretter"})

# Auxiliaries and modal-like verbs of a verb group ("a", "avait", "aurait", "vient de", "tient à").
AUXILIARIES = frozenset(
    """a ont avait avaient aura auront aurait auraient eut eurent ait aient avoir ayant
    est sont était étaient sera seront serait seraient fut furent soit être étant été s' se
    va vont allait allaient vient viennent venait venaient de d'
    doit doivent devait devaient devrait pourra pourrait peut peuvent pouvait veut veulent voulait
    voudrait tient tiennent tenait tenu tenue""".split()
)

PRONOUNS = {
    "il": "m", "elle": "f", "ils": "m", "elles": "f", "on": None,
    "lui": "m", "eux": "m", "celui-ci": "m", "celle-ci": "f", "ce dernier": "m", "cette dernière": "f",
    "dernier": "m", "dernière": "f",
}

# A word right before guillemets that makes them name a work, a nickname or a
# label rather than quote someone ("le film «…»", "surnommé «…»").
TITLE_CUES = frozenset(
    """surnommé surnommée surnommés surnommées baptisé baptisée baptisés baptisées intitulé intitulée
    intitulés intitulées nommé nommée dénommé dénommée alias sobriquet pseudonyme pseudo titré titrée
    livre livres roman romans film films série séries feuilleton documentaire émission émissions magazine
    journal quotidien hebdomadaire mensuel revue album chanson chansons disque single spectacle pièce
    opéra exposition festival tableau opération hashtag mot-dièse logiciel application podcast blog
    rubrique chronique éditorial ouvrage essai bd manga appellation thème thèmes alliance coalition""".split()
)
# Weaker label nouns: they name something only when the guillemets hold a capitalised name
# ("le plan «Marshall»" is a name, "un plan «irréaliste»" a partial quote).
LABEL_NOUNS = frozenset(
    """plan projet dispositif mission slogan label marque jeu site collection cahier manifeste rapport
    étude enquête campagne mouvement collectif association parti groupe loi texte amendement décret
    article tribune pétition programme prix trophée navire bateau appelé appelée appelés appelées
    mot expression formule devise""".split()
)
# Words that make a capitalised name an organisation's ("Amnesty International", "Conseil européen"), folded.
ORG_WORDS = frozenset(_fold(w) for w in """international internationale institut fondation association union conseil
    comité parti ministère agence banque organisation fédération confédération syndicat commission parlement
    assemblée sénat cour tribunal parquet gouvernement observatoire office caisse centre collectif mouvement groupe
    société compagnie université école académie ligue front rassemblement alliance coalition federation
    département région mairie préfecture ambassade armée police gendarmerie église""".split())
# Days, months and "hier": a capital that opens a sentence ("Mercredi, …"), never a speaker's name.
TIME_WORDS = frozenset("""lundi mardi mercredi jeudi vendredi samedi dimanche janvier février mars avril mai juin
    juillet août septembre octobre novembre décembre hier aujourd'hui demain""".split())
# Speakers these cannot name: the writer ("je", "nous"), the reader ("vous") or anyone ("on").
IMPERSONAL = frozenset({"je", "j'", "moi", "nous", "vous", "tu", "toi", "on", "l'on"})
# Name particles written with a capital at the start of a surname used alone ("Le Drian", "De Gaulle").
NAME_PARTICLES_CAPITALISED = frozenset("Le La De Du Des Van Von Di Da Del Della El Al Ben Ter".split())
# A guillemet run that only holds these (and capitalised words) is a name, not a quote.
NAME_PARTICLES = frozenset("de du des la le les l' d' et von van der den di da del y & -".split())


def read_data_lines(name: str) -> list[str]:
    """Non-blank, non-comment lines of a file of ``data/``."""
    return _read_lines(name)


@lru_cache(maxsize=None)
def _read_lines(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@lru_cache(maxsize=1)
def reporting_lemmas() -> frozenset[str]:
    """Every reporting lemma, multiword ones written with spaces ("faire valoir")."""
    return frozenset(_read_lines("reporting_verbs.txt"))


def _conjugate_er(verb: str) -> set[str]:
    stem = verb[:-2]
    # marteler → martèle, répéter → répète: the stressed stem takes a grave accent.
    grave = re.sub(r"[eé]([^aeéèiouy]+)$", r"è\1", stem)
    soft = stem + ("e" if stem.endswith("g") else "")  # juge-a
    soft = soft[:-1] + "ç" if verb.endswith("cer") else soft  # annonç-a
    forms = {stem + end for end in ("e", "es", "ent", "ons", "ez", "é", "ée", "és", "ées", "ai", "èrent",
                                    "era", "erait", "eront", "eraient", "erai")}
    forms |= {soft + end for end in ("a", "ait", "aient", "ant", "ât", "ais", "ons")}
    forms |= {grave + end for end in ("e", "es", "ent", "era", "erait")}
    return forms


def _conjugate_ir(verb: str) -> set[str]:
    stem = verb[:-2]
    return {stem + end for end in ("it", "is", "issent", "i", "ie", "issait", "issaient", "ira", "irait",
                                   "iront", "irent", "issant")}


@lru_cache(maxsize=1)
def _irregular() -> dict[str, set[str]]:
    forms: dict[str, set[str]] = {}
    for line in _read_lines("irregular_forms.txt"):
        lemma, _, rest = line.partition(":")
        forms.setdefault(lemma.strip(), set()).update(rest.split())
    return forms


@lru_cache(maxsize=1)
def reporting_forms() -> frozenset[str]:
    """Every surface form that may open a reporting cue (the keys of ``form_to_lemmas``), for set tests."""
    return frozenset(form_to_lemmas())


@lru_cache(maxsize=1)
def form_to_lemmas() -> dict[str, frozenset[str]]:
    """Surface form (lower case) of the first word of a cue → the lemmas it may belong to.

    Multiword cues are keyed on their verb ("fait" → "faire valoir", "faire savoir"…);
    reflexive ones on the verb without the pronoun.
    """
    table: dict[str, set[str]] = {}
    irregular = _irregular()
    for cue in reporting_lemmas():
        words = cue.split()
        if words[0] in ("se", "s'"):
            words = words[1:]
        elif words[0].startswith("s'"):
            words = [words[0][2:], *words[1:]]
        verb = words[0]
        forms = {verb} | irregular.get(verb, set()) | irregular.get(cue, set())
        if verb.endswith("er") and verb not in irregular:
            forms |= _conjugate_er(verb)
        elif verb.endswith("er"):
            forms |= _conjugate_er(verb)
        elif verb.endswith("ir") and verb not in irregular:
            forms |= _conjugate_ir(verb)
        for form in forms:
            table.setdefault(form, set()).add(cue)
    return {form: frozenset(lemmas) for form, lemmas in table.items()}


@lru_cache(maxsize=1)
def role_words() -> dict[str, str | None]:
    """Role head noun (lower case) → gender it tells ("f", "m") or None."""
    roles: dict[str, str | None] = {}
    for line in _read_lines("roles.txt"):
        for item in line.split():
            word, _, gender = item.partition("=>")
            # Epicene nouns (ministre, porte-parole) take their gender from the determiner.
            roles[word.lower()] = gender or (None if word.endswith("e") else "m")
    return roles


@lru_cache(maxsize=1)
def media_names() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Media names as lower-case word sequences ("agence", "france", "presse"), keyed on their first word."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for line in _read_lines("media.txt"):
        words = tuple(media_words(line))
        table.setdefault(words[0], []).append(words)
    return {first: tuple(sorted(names, key=len, reverse=True)) for first, names in table.items()}


_MEDIA_WORD = re.compile(r"[^\W_]+")


def media_words(text: str) -> list[str]:
    """Lower-case words of a name, hyphens and apostrophes split ("France-Presse", "L'Express")."""
    return _MEDIA_WORD.findall(text.lower())  # compiled once: called for many tokens of every window


@lru_cache(maxsize=1)
def known_terms() -> frozenset[str]:
    """Names of movements and groups a text puts in guillemets (``data/known_terms.txt``), folded."""
    return frozenset(_fold(line) for line in _read_lines("known_terms.txt"))


@lru_cache(maxsize=1)
def institution_words() -> frozenset[str]:
    """Folded words an office's title capitalises without naming an organisation ("defense", "etat")."""
    from ..text import fold
    return frozenset(fold(word) for line in _read_lines("institution_words.txt") for word in line.split())


@lru_cache(maxsize=1)
def office_words() -> frozenset[str]:
    """Role nouns that name a post (``data/office_words.txt``), lower case."""
    return frozenset(w.lower() for line in _read_lines("office_words.txt") for w in line.split())


@lru_cache(maxsize=1)
def source_words() -> frozenset[str]:
    """Head nouns of descriptions that stand for an unnamed speaker ("source", "entourage", "manifestant")."""
    return frozenset(word.lower() for line in _read_lines("source_words.txt") for word in line.split())


@lru_cache(maxsize=1)
def honorifics() -> dict[str, str | None]:
    """Honorific (lower case, with and without its dot) → gender or None."""
    table: dict[str, str | None] = {}
    for line in _read_lines("titles.txt"):
        words, _, gender = line.partition("=>")
        for word in words.split():
            table[word] = None if gender.strip() == "?" else gender.strip()
    return table


class FirstNames:
    """First name → "m", "f" or None (both), as a read-only mapping.

    The curated list (``data/first_names.txt``) first, then the first-name
    dictionary of the ``gender-guesser`` package (some 40,000 names of many
    countries, with the gender they mostly go with), for a capitalised word
    that ``data/not_first_names.txt`` does not set aside ("France", "Justice").
    The dictionary is read on the first look-up a curated name cannot answer.
    """

    _GENDERS = {"male": "m", "mostly_male": "m", "female": "f", "mostly_female": "f", "andy": None}

    def __init__(self, curated: dict[str, str | None], excluded: frozenset[str]):
        self.curated = curated
        self.excluded = excluded
        self._detector = None
        self._cache: dict[str, tuple[bool, str | None]] = {}

    def _look_up(self, word: str) -> tuple[bool, str | None]:
        if word in self.curated:
            return True, self.curated[word]
        found = self._cache.get(word)
        if found is None:
            found = (False, None)
            if len(word) > 2 and word[:1].isupper() and not word.isupper() and word not in self.excluded:
                if self._detector is None:
                    import gender_guesser.detector  # 0.5 s and 10 MB: only when a name is not in the curated list

                    self._detector = gender_guesser.detector.Detector(case_sensitive=False)
                gender = self._detector.get_gender(word)
                if gender in self._GENDERS:
                    found = (True, self._GENDERS[gender])
            if len(self._cache) < 100_000:
                self._cache[word] = found
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._look_up(word)[0]

    def get(self, word: str, default=None):
        known, gender = self._look_up(word)
        return gender if known else default

    def __getitem__(self, word: str) -> str | None:
        known, gender = self._look_up(word)
        if not known:
            raise KeyError(word)
        return gender


@lru_cache(maxsize=1)
def first_names() -> FirstNames:
    """Known first names and the gender each tells (see ``FirstNames``)."""
    names: dict[str, str | None] = {}
    for line in _read_lines("first_names.txt"):
        gender, _, rest = line.partition(":")
        for name in rest.split():
            names[name] = gender if names.get(name, gender) == gender else None
    excluded = frozenset(w for line in _read_lines("not_first_names.txt") for w in line.split())
    return FirstNames(names, excluded | {w.capitalize() for w in DETERMINERS | NAME_PARTICLES})
