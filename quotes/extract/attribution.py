"""Who says a quote: reporting constructions around a span, on a parsed window.

Token rules handle what the statistical parse gets wrong around guillemets
(incises with an inverted subject, possibly after complements; clitic
inversion "a-t-il dit"); the dependency parse finds the subject of a cue
standing before the quote, including participle clauses that take the
subject of their main clause.
"""
from bisect import bisect_left
from dataclasses import dataclass

from spacy.attrs import IDX, LENGTH

from . import lexicon

PUNCT_BEFORE_INCISE = {",", "-", "—", "–", "(", "»", "”", '"', "“"}
STOP_PUNCT = {",", ".", ";", ":", "!", "?", "«", "»", "(", ")", "—", "–", "…", '"', "“", "”", "[", "]"}
CLITIC_SUBJECTS = {"il", "elle", "ils", "elles", "on"}
OBJECT_CLITICS = {"lui", "leur", "nous", "vous", "me", "m'", "te", "t'", "l'", "la", "le", "les", "y", "en",
                  "se", "s'"}
SUBJECT_BREAK = {"qui", "que", "qu'", "dont", "lors", "selon", "devant", "dans", "depuis", "pendant", "après",
                 "avant", "auprès", "par", "avec", "sur", "sans", "pour", "lorsque", "quand", "car", "mais",
                 "où", "ce", "afin", "alors", "tandis", "puis", "et", "ou", "en", "comme", "face", "vers", "contre",
                 "malgré", "via", "chez", "entre", "parmi", "sous", "lui", "leur", "sur", "à", "au", "aux", "y"}
ROLE_PREPOSITION_HOSTS = {"délégué", "déléguée", "chargé", "chargée", "adjoint", "adjointe", "attaché", "attachée",
                          "conseiller", "conseillère", "ambassadeur", "ambassadrice", "envoyé", "envoyée"}
NAME_PREPOSITIONS = {"de", "du", "des", "d'"}
MAX_CUE_DISTANCE = 60  # tokens between a quote and a cue (or a final incise) that may still be its own


@dataclass
class Window:
    """A tagged slice of the normalised text: ``doc`` covers ``text[base:base+len(doc.text)]``.

    ``parse`` is set when the dependency parse was left out for speed (most
    incises need only tags): ``parsed()`` then runs it on first need.
    """

    base: int
    doc: object
    parse: object = None

    def __post_init__(self):
        # from the doc's arrays: making a Token object per token costs more than the rules that read them
        self.starts = [self.base + idx for idx in self.doc.to_array(IDX).tolist()]
        self.end = self.base + len(doc_text(self.doc))

    def parsed(self):
        """The doc, with its dependency parse."""
        if self.parse is not None:
            parse, self.parse = self.parse, None
            parse(self.doc)
        return self.doc

    def index_at(self, pos: int) -> int:
        """Index of the first token starting at or after ``pos``."""
        return bisect_left(self.starts, pos)

    def char_start(self, i: int) -> int:
        return self.starts[i]

    def char_end(self, i: int) -> int:
        t = self.doc[i]
        return self.base + t.idx + len(t.text)


@dataclass
class Found:
    """A reporting construction: cue and subject as token ranges of one window."""

    window: Window
    cue: tuple[int, int] | None  # token range [start, end)
    cue_lemma: str | None
    subject: tuple[int, int] | None  # token range of the subject noun phrase
    role: tuple[int, int] | None = None  # an apposition after the subject (", porte-parole de…")
    how: str = ""
    confidence: float = 0.8

    def subject_span(self) -> tuple[int, int] | None:
        if not self.subject:
            return None
        start = self.window.char_start(self.subject[0])
        if self.window.doc[self.subject[0]].text.startswith("-"):  # "-il" of "a-t-il": the pronoun alone
            start += len(self.window.doc[self.subject[0]].text) - len(self.window.doc[self.subject[0]].text.lstrip("-t"))
        return start, self.window.char_end(self.subject[1] - 1)

    def cue_span(self) -> tuple[int, int] | None:
        if not self.cue:
            return None
        return self.window.char_start(self.cue[0]), self.window.char_end(self.cue[1] - 1)

    def role_span(self) -> tuple[int, int] | None:
        if not self.role:
            return None
        return self.window.char_start(self.role[0]), self.window.char_end(self.role[1] - 1)


def low(token) -> str:
    return token.text.lower()


def doc_text(doc) -> str:
    """``doc.text``, kept once known: spaCy rebuilds it from a Token object per token at each call."""
    text = doc.user_data.get("text")
    if text is None:
        text = doc.user_data["text"] = doc.text
    return text


def lows(doc) -> list[str]:
    """The lower-cased words of a doc, computed once: the rules below read them many times over."""
    words = doc.user_data.get("lows")
    if words is None:
        text = doc_text(doc).lower()
        if len(text) != len(doc_text(doc)):  # a letter that lower-cases to two ("İ"): offsets shift
            words = [t.text.lower() for t in doc]
        else:
            words = [text[start:start + size] for start, size in doc.to_array([IDX, LENGTH]).tolist()]
        doc.user_data["lows"] = words
    return words


def cue_at(doc, i: int) -> tuple[int, str] | None:
    """(end index, lemma) when a reporting cue (single or multiword) starts at token ``i``.

    Cues are known by their forms (the lexicon conjugates every lemma): the
    lemmatiser stays off.
    """
    words = lows(doc)
    word = words[i]
    lemmas = lexicon.form_to_lemmas().get(word)
    if not lemmas:
        return None
    best = None
    reflexive = any(words[j] in _REFLEXIVES for j in range(max(0, i - 3), i))
    # the lemma itself last in the key: two spellings of one verb ("assener", "asséner") must not be chosen
    # by the process's hash seed
    for lemma in sorted(lemmas, key=lambda s: (-len(s.split()), s.startswith(("se ", "s'")) != reflexive, s)):
        rest = lemma.split()[1:]
        if lemma.startswith(("se ", "s'")):
            if not reflexive and len(lemmas) > 1:
                continue
            rest = []
        j = i + 1
        for w in rest:
            if j < len(doc) and (words[j] == w or (w.endswith("'") and words[j].startswith(w))):
                j += 1
            else:
                break
        else:
            best = (j, lemma)
            break
    if best is None:
        return None
    end, lemma = best
    if lemma.split()[0] in ("faire", "mettre", "tenir", "prendre", "rendre", "dresser") and end == i + 1:
        return None
    if i and words[i - 1] in _DETERMINERS_BEFORE_NOUN and doc[i - 1].pos_ == "DET":
        return None  # "la note", "le juge": a noun, not the verb
    if i and (word in ("dite", "dits", "dites") or word == "dit" and (
            i + 1 < len(doc) and words[i + 1] in ("de", "d'", "du", "des", "«", '"', "“"))) \
            and doc[i - 1].pos_ in ("NOUN", "ADJ"):
        # "une diplomatie dite d'«…»", "le mariage dit «…»": so-called, nobody speaks ("X dit que" still does)
        return None
    if any(words[k:k + 4] == ["pour", "ne", "pas", "dire"] for k in range(max(0, i - 3), i + 1)):
        return None  # "pour ne pas dire «…»": the writer's turn of phrase
    if not reflexive and passive(doc, i) and lemma.split()[0] not in _ETRE_VERBS:
        return None  # "sera jugé pour «…»", "a été reçue", "seraient menacées de «…»": nobody says anything
    return best


_REFLEXIVES = frozenset(("se", "s'", "me", "m'", "nous", "vous", "te", "t'"))
_DETERMINERS_BEFORE_NOUN = frozenset(("le", "la", "les", "un", "une", "des", "du", "sa", "son", "ses", "cette", "ce",
                                      "leur", "leurs", "l'"))


_ETRE_FORMS = frozenset("""être été étant suis es est sommes êtes sont étais était étions étiez étaient serai seras
    sera serons serez seront serais serait serions seriez seraient sois soit soyons soyez soient fus fut furent fût
    fussent""".split())
_ETRE_VERBS = {"revenir", "intervenir", "venir", "convenir", "sortir", "partir", "rester", "tomber", "passer",
               "entrer", "monter", "descendre", "aller", "arriver",  # "est revenu sur": active, with être
               "persuader", "convaincre"}  # "sont persuadés que": a stance the subject holds


def passive(doc, i: int) -> bool:
    """Whether the verb at ``i`` is a past participle after a form of "être" (adverbs and negation between)."""
    lw = lows(doc)
    if lw[i].endswith("ant"):
        return False
    j = i - 1
    while j >= 0 and i - j <= 4 and (lw[j] in lexicon.ADVERBS or lw[j] in _NEGATION):
        j -= 1
    # the words first: reading the morphology makes a Token and a MorphAnalysis
    if j < 0 or lw[j] not in _ETRE_FORMS:
        return False
    k = j - 1
    while k >= 0 and (lw[k] in _NEGATION or lw[k] in OBJECT_CLITICS and lw[k] not in ("se", "s'")):
        k -= 1
    if k >= 0 and lw[k] in ("se", "s'", "me", "m'", "te", "t'"):
        return False  # "s'est adressé", "se sont dits": a pronominal verb, not a passive
    morph = doc[i].morph
    return "Part" in morph.get("VerbForm") and "Pres" not in morph.get("Tense")


_NEGATION = frozenset(("ne", "n'", "pas", "plus", "jamais", "guère"))


def _is_aux_or_adverb(word: str) -> bool:
    return word in lexicon.AUXILIARIES or word in lexicon.ADVERBS or word in OBJECT_CLITICS


def _clitic(word: str) -> str | None:
    word = word.lstrip("-")
    if word.startswith("t-"):
        word = word[2:]
    return word if word in CLITIC_SUBJECTS else None


def incise_after(win: Window, pos: int, any_adverb: bool = False) -> Found | None:
    """An incise right after a closing mark: «…», a souligné à Moscou le porte-parole X / a-t-il dit.

    ``any_adverb``: any adverb in -ment may stand before the subject too ("dit timidement Louisa"), as in a
    novel's dialogue; news keeps its list of adverbs."""
    doc = win.doc
    lw = lows(doc)
    i = win.index_at(pos)
    skipped = 0
    while i < len(doc) and lw[i] in PUNCT_BEFORE_INCISE and skipped < 3:
        i += 1
        skipped += 1
    if i >= len(doc):
        return None
    according = according_at(win, i)
    if according:
        return according
    j, pronoun_at, found = i, None, None
    while j < len(doc) and j - i < 7:
        word = lw[j]
        if _clitic(word) and word.startswith("-"):
            pronoun_at = j
            j += 1
        elif word in ("-t", "-t-"):
            j += 1
        elif (found := cue_at(doc, j)) or _inverting_verb(doc, j):
            break
        elif _is_aux_or_adverb(word):
            j += 1
        else:
            return None
    else:
        found = cue_at(doc, j) if j < len(doc) else None
    if j >= len(doc):
        return None
    if lw[j].endswith("ant") and "Part" in doc[j].morph.get("VerbForm"):
        return None  # ", accusant l'Alliance…": a participle clause, not an incise
    confidence = 0.9
    if not found:
        if not _inverting_verb(doc, j):
            return None
        # Any verb followed by its inverted subject right after a quote is an incise ("l'a guidé l'élu").
        found, confidence = (j + 1, None), 0.7  # a verb outside the lexicon: its lemma is unknown (lemmatiser off)
    end, lemma = found
    k = end
    while k < len(doc) and lw[k] in ("-t", "-t-"):
        k += 1
    if k < len(doc) and _clitic(lw[k]) and lw[k].startswith("-"):
        pronoun_at = k
    if pronoun_at is not None:
        if impersonal(doc, pronoun_at):
            return Found(win, (i, end), lemma, None, how="incise-clitic", confidence=0.3)  # "est-il écrit"
        return Found(win, (i, end), lemma, (pronoun_at, pronoun_at + 1), how="incise-clitic",
                     confidence=confidence - 0.05)
    k = skip_complements(doc, k, any_adverb)
    subject = subject_np(doc, k)
    if not subject:
        return None
    return Found(win, (i, end), lemma, subject, apposition(doc, subject[1]), how="incise", confidence=confidence)


def speaker_after_colon(win: Window, pos: int) -> Found | None:
    """ "«…» : Olivier Véran annonce la ligne du gouvernement": a colon after the quote, then its speaker and a cue."""
    doc = win.doc
    lw = lows(doc)
    i = win.index_at(pos)
    if i >= len(doc) or lw[i] != ":":
        return None
    subject = subject_np(doc, i + 1)
    if subject is None or subject[1] >= len(doc):
        return None
    k = subject[1]
    while k < len(doc) and k - subject[1] < 3 and (lw[k] in lexicon.ADVERBS or lw[k] in lexicon.AUXILIARIES
                                                   or lw[k] in OBJECT_CLITICS):
        k += 1
    cue = cue_at(doc, k) if k < len(doc) else None
    if cue is None:
        return None
    return Found(win, (subject[1], cue[0]), cue[1], subject, how="colon-after", confidence=0.8)


def _inverting_verb(doc, j: int) -> bool:
    """A finite verb (or participle after its auxiliary) followed by an inverted subject."""
    lw = lows(doc)
    t = doc[j]
    if t.pos_ != "VERB" or t.text[:1].isupper() or j + 1 >= len(doc):
        return False
    form = t.morph.get("VerbForm")
    k = j - 1
    while k > 0 and lw[k] in lexicon.ADVERBS:
        k -= 1  # "a toutefois pointé"
    if "Fin" not in form and not ("Part" in form and k >= 0 and lw[k] in lexicon.AUXILIARIES):
        return False
    nxt = lw[j + 1]
    if _clitic(nxt) and nxt.startswith("-") or nxt in ("-t", "-t-"):
        return True
    return nxt in ("le", "la", "l'", "les", "son", "sa", "ses", "leur", "un", "une") or (
        doc[j + 1].text[:1].isupper() and doc[j + 1].pos_ in ("PROPN", "NOUN"))


# "selon X" phrases as the tokenizer splits them ("d'après" is "d'" "après")
_ACCORDING_WORDS = tuple((phrase, tuple(phrase.replace("'", "' ").split())) for phrase in lexicon.ACCORDING_TO)
_ACCORDING_FIRST = frozenset(words[0] for _, words in _ACCORDING_WORDS)


def according_at(win: Window, i: int) -> Found | None:
    """selon X / d'après X / pour X / aux yeux de X, starting at token ``i``."""
    doc = win.doc
    lw = lows(doc)
    if i >= len(lw) or lw[i] not in _ACCORDING_FIRST:
        return None
    for phrase, words in _ACCORDING_WORDS:
        j = i
        for w in words:
            if j < len(doc) and lw[j] == w:
                j += 1
            else:
                break
        else:
            if phrase == "pour" and not _pour_is_opinion(doc, j):
                return None
            subject = subject_np(doc, j)
            if phrase == "pour" and subject and not _names_a_holder(doc, subject):
                return None  # "pour l'Allemagne", "pour l'exécutif": what is at stake, not who thinks
            subject = subject_np(doc, j)
            if subject:
                return Found(win, (i, j), phrase, subject, apposition(doc, subject[1]), how="according",
                             confidence=0.85)
    return None


def _names_a_holder(doc, subject: tuple[int, int]) -> bool:
    """Whether a phrase after "pour" can hold an opinion: a person's name, a role, a pronoun, an acronym."""
    lw = lows(doc)
    words = [doc[x].text for x in range(*subject)]
    low_words = lw[subject[0]:subject[1]]
    if low_words[0] in ("lui", "elle", "eux", "elles"):
        return True
    if any(w in lexicon.first_names() or w.lower() in lexicon.honorifics() for w in words):
        return True
    if any(w.isupper() and len(w) > 1 for w in words):
        return True  # "pour la CGT"
    return any(w in lexicon.role_words() or w in lexicon.source_words() for w in low_words)


def _pour_is_opinion(doc, j: int) -> bool:
    """ "pour X, …" gives an opinion only when a short noun phrase is followed by a comma."""
    lw = lows(doc)
    k = j
    while k < len(doc) and k - j < 8 and lw[k] not in STOP_PUNCT:
        k += 1
    return k < len(doc) and lw[k] == "," and k > j and (doc[j].text[0].isupper() or lw[j] in {
        "le", "la", "les", "l'", "lui", "elle", "eux", "elles", "un", "une"})


def skip_complements(doc, k: int, any_adverb: bool = False) -> int:
    """Skip adverbs, dates and prepositional phrases between an incise verb and its inverted subject."""
    lw = lows(doc)
    skipped = False
    while k < len(doc):
        word = lw[k]
        nxt = lw[k + 1] if k + 1 < len(doc) else ""
        if word in lexicon.ADVERBS or any_adverb and word.endswith("ment") and doc[k].pos_ == "ADV":
            k += 1  # "a répondu mardi X"; in dialogue "dit timidement Louisa"
        elif word in lexicon.COMPLEMENT_PREPOSITIONS:
            k = _skip_phrase(doc, k + 1)
        elif word == "," and (nxt in lexicon.ADVERBS or nxt in lexicon.COMPLEMENT_PREPOSITIONS):
            k += 1
        elif word == "," and skipped and nxt and (nxt in ("le", "la", "l'", "les") or doc[k + 1].text[:1].isupper()):
            k += 1  # "a regretté sur la chaîne X, Anaelda Garcia"
            break
        else:
            break
        skipped = True
    return k


def _starts_person(doc, k: int) -> bool:
    t = doc[k]
    if t.text in lexicon.first_names() or low(t) in lexicon.honorifics():
        return True
    return t.ent_iob_ == "B" and t.ent_type_ == "PER" and k + 1 < len(doc) and doc[k + 1].text[:1].isupper()


def media_end(doc, k: int) -> int:
    """The token after a media name starting at token ``k`` ("l'Agence France-Presse", "BFM TV"), else ``k``."""
    lw = lows(doc)
    names = lexicon.media_names()
    first = lexicon.media_words(lw[k]) if k < len(doc) else []
    if not first or first[0] not in names:
        return k
    for name in names[first[0]]:
        words, j = list(name), k
        while words and j < len(doc):
            got = lexicon.media_words(lw[j])
            if not got:
                j += 1  # "-" inside "France-Presse"
                continue
            if got != words[:len(got)]:
                break
            words, j = words[len(got):], j + 1
        if not words:
            return j
    return k


def _skip_phrase(doc, k: int) -> int:
    """End of a prepositional complement starting after its preposition."""
    lw = lows(doc)
    media = media_end(doc, k)
    if media > k:
        return media  # "au Parisien", "à l'Agence France-Presse": where it was said
    while k < len(doc) and lw[k] in lexicon.DETERMINERS:
        k += 1
    media = media_end(doc, k)
    if media > k:
        return media
    if k >= len(doc) or lw[k] in STOP_PUNCT:
        return k
    k += 1  # the head of the complement
    while k < len(doc):
        t, word, prev = doc[k], lw[k], lw[k - 1]
        if word in NAME_PREPOSITIONS:
            k += 1
            while k < len(doc) and lw[k] in ("la", "l'", "les", "le"):
                k += 1
        elif word in STOP_PUNCT or word in lexicon.honorifics():
            break
        elif word in lexicon.DETERMINERS:
            if prev in NAME_PREPOSITIONS or prev in ("à", "au", "aux"):
                k += 1
            else:
                break
        elif t.text[:1].isupper():
            if _starts_person(doc, k) or (k + 2 < len(doc) and lw[k + 1] == ","
                                          and (lw[k + 2] in lexicon.role_words()
                                               or lw[k + 2] in ("le", "la", "l'") and k + 3 < len(doc)
                                               and lw[k + 3] in lexicon.role_words())):
                break  # "explique à l'AFP Alex, organisateur du mouvement"
            k += 1  # "à Moscou", "sur la chaîne TV Azteca", "à New York"
        elif t.pos_ in ("ADJ", "NOUN", "NUM") and not (word in lexicon.role_words()):
            k += 1
        else:
            break
    return k


def subject_np(doc, k: int) -> tuple[int, int] | None:
    """Token range of the noun phrase starting at ``k`` (a speaker description)."""
    lw = lows(doc)
    if k >= len(doc):
        return None
    first = lw[k]
    if first in lexicon.PRONOUNS and first not in ("lui", "eux"):
        return (k, k + 1)
    if first in ("lui", "eux", "elle", "elles") or first in STOP_PUNCT or first in SUBJECT_BREAK:
        if first in ("lui", "eux", "elle", "elles"):
            return (k, k + 1)
        return None
    if doc[k].pos_ in ("VERB", "AUX", "ADP", "ADJ", "ADV", "SCONJ", "CCONJ") and not doc[k].text[:1].isupper() \
            and first not in lexicon.DETERMINERS and first not in lexicon.role_words():
        return None  # "indique dans une vidéo postée sur…": no subject here
    e, has_name = k, False
    while e < len(doc) and e - k < 16:
        t, word = doc[e], lw[e]
        if word in STOP_PUNCT and not (word == "-" and has_name):
            break
        if e > k and (word in SUBJECT_BREAK or word in lexicon.ADVERBS or word in lexicon.PRONOUNS):
            break
        if e > k and word in ("à", "au", "aux") and lw[e - 1] in ROLE_PREPOSITION_HOSTS:
            e += 1
            continue
        if e > k and t.pos_ in ("VERB", "AUX") and not t.text[:1].isupper() and not t.text.endswith(
                ("é", "ée", "és", "ées")) and lw[e - 1] not in lexicon.DETERMINERS:
            break  # (but "un manifestant" is a noun, whatever the tagger says)
        if t.text[:1].isupper() and word not in lexicon.DETERMINERS:
            has_name = True
        e += 1
    while e > k and (lw[e - 1] in lexicon.DETERMINERS or lw[e - 1] in ("à", "au", "aux")):
        e -= 1
    if e == k:
        return None
    return (k, e)


def apposition(doc, e: int) -> tuple[int, int] | None:
    """ ", porte-parole du Kremlin," after a subject: its role."""
    lw = lows(doc)
    if e >= len(doc) or lw[e] != ",":
        return None
    k = e + 1
    if k < len(doc) and lw[k] in ("le", "la", "l'", "un", "une"):
        k += 1
    if k >= len(doc) or lw[k] not in lexicon.role_words() and not (
            doc[k].pos_ in ("NOUN", "ADJ") and not doc[k].text[:1].isupper()):
        return None
    j = k
    while j < len(doc) and j - k < 12 and lw[j] not in STOP_PUNCT and lw[j] not in SUBJECT_BREAK:
        if doc[j].pos_ in ("VERB", "AUX") and j > k:
            return None
        j += 1
    return (e + 1, j) if j > k else None


def _quoted_tokens(win: Window, lo: int, i: int, skip: list[tuple[int, int]]) -> set[int]:
    """Token indices in [lo, i] inside the nearby quotes (words of a quotation are never a cue)."""
    quoted = set()
    if 0 <= lo <= i < len(win.starts):
        # only the quotes that reach into [lo, i]: for the others the two look-ups below give an empty range
        first, last = win.starts[lo], win.starts[i]
        skip = [(a, b) for a, b in skip if b > first and a <= last]
    for a, b in skip:
        quoted.update(range(max(lo, win.index_at(a)), min(i + 1, win.index_at(b))))
    return quoted


def nearest_cue(win: Window, first: int, lo: int, skip: list[tuple[int, int]]) -> tuple[int, tuple[int, str]] | None:
    """(token index, (end, lemma)) of the reporting cue nearest before token ``first``, down to ``lo``."""
    doc = win.doc
    lw = lows(doc)
    lo = max(lo, first - 1 - MAX_CUE_DISTANCE)  # a cue further back is not this quote's
    quoted = _quoted_tokens(win, lo, first - 1, skip)
    forms = lexicon.form_to_lemmas()
    for i in range(first - 1, lo - 1, -1):
        if i in quoted or lw[i] not in forms:
            continue
        if doc[i].text[:1].isupper() and i > 0 and lw[i - 1] not in _SENTENCE_OPENING:
            continue  # "sur Twitter": a name, not the verb
        found = cue_at(doc, i)
        if found:
            return i, found
    return None


_SENTENCE_OPENING = frozenset((".", "!", "?", "«", ":", "—", "–", "\n", '"', "“"))


def is_narrative(win: Window, i: int, lo: int) -> bool:
    """ "Et de conclure": a narrative infinitive at token ``i``."""
    lw = lows(win.doc)
    return i - 2 >= lo and lw[i - 1] in ("de", "d'") and lw[i - 2] == "et"


def is_participle(win: Window, i: int, lo: int) -> bool:
    """ ", accusant …" or "en évoquant …": a present participle that takes the subject of its main clause."""
    lw = lows(win.doc)
    # "Disant comprendre la «colère», le président a …": opening its sentence, it takes the subject after it
    opens = i == lo or lw[i - 1] in _SENTENCE_OPENING and lw[i - 1] not in ("«", '"', "“")
    if not lw[i].endswith("ant"):
        return False
    if opens:
        return True  # the tagger reads a capitalised participle as a name: its place says enough
    return i - 1 >= lo and (lw[i - 1] == "," or lw[i - 1] == "en" and i - 2 >= lo) \
        and "Part" in win.doc[i].morph.get("VerbForm")


_COORDINATORS = frozenset(("mais", "et", "puis", "ensuite", "enfin", "pourtant", "cependant", "toutefois"))


def opens_without_subject(win: Window, i: int, lo: int) -> bool:
    """ "Mais assure que …" / "Et ajoute : …": a verb group that opens its sentence after a coordinator, no subject."""
    doc = win.doc
    lw = lows(doc)
    start = _verb_group_start(doc, i, lo)
    words = [w for w in lw[lo:start] if w not in (",", "\n")]
    return bool(words) and words[0] in _COORDINATORS and all(w in _COORDINATORS or w in lexicon.ADVERBS
                                                             for w in words)


def verb_before(win: Window, cue: tuple[int, tuple[int, str]], lo: int) -> Found | None:
    """The subject of the cue verb at ``cue``: an inverted clitic or the parse's subject."""
    doc = win.doc
    i, (end, lemma) = cue
    lo = max(lo, i - MAX_CUE_DISTANCE)
    start_cue = _verb_group_start(doc, i, lo)
    subject = _inverted_clitic(doc, start_cue, end)
    lw = lows(doc)
    if not subject and start_cue >= 2 and lw[start_cue - 1] == "," and lw[start_cue - 2] in ("»", "”", '"'):
        subject = subject_np(doc, skip_complements(doc, end))  # "«…», a raconté Yanis, …, qui «…»": inverted
    subject = subject or subject_of(win, i, lo)
    if not subject:
        # "a raconté Yanis, un étudiant, qui «…»": the quote's own clause opens on "qui"
        qui = next((x for x in range(end, min(len(doc), end + 12)) if lw[x] == "qui"), None)
        if qui is not None and qui > end and not any(lw[x] in ("que", "qu'") for x in range(end, qui)):
            # (not "a demandé que les employeurs qui …": the subordinate clause's subject)
            subject = _np_before(doc, qui - 1 if lw[qui - 1] == "," else qui, end)
    if not subject:
        return None
    return Found(win, (start_cue, end), lemma, subject, apposition(doc, subject[1]), how="before", confidence=0.85)


_ACCORDING_OPENERS = frozenset(("selon", "d'", "d'après", "pour", "aux", "à", "de", "au"))


def according_before(win: Window, first: int, lo: int, skip: list[tuple[int, int]], pos: int) -> Found | None:
    """The nearest "selon X" (d'après X, pour X…) before token ``first`` whose X ends before the quote."""
    lw = lows(win.doc)
    lo = max(lo, first - 1 - MAX_CUE_DISTANCE)
    quoted = _quoted_tokens(win, lo, first - 1, skip)
    for i in range(first - 1, lo - 1, -1):
        if i in quoted or lw[i] not in _ACCORDING_OPENERS:
            continue
        according = according_at(win, i)
        if according and according.subject and win.char_start(according.subject[1] - 1) < pos:
            return according
    return None


def colon_before(win: Window, first: int, lo: int, skip: list[tuple[int, int]]) -> Found | None:
    """ "Sandrine Rousseau : «…»": a speaker alone before the colon nearest the quote, opening its sentence."""
    doc = win.doc
    lw = lows(doc)
    lo = max(lo, first - 1 - MAX_CUE_DISTANCE)
    quoted = _quoted_tokens(win, lo, first - 1, skip)
    colon_at = next((i for i in range(first - 1, lo - 1, -1) if lw[i] == ":" and i not in quoted), None)
    if colon_at is None:
        return None
    subject = _np_before(doc, colon_at, lo)
    if subject and (subject[0] == lo or low(doc[subject[0] - 1]) in STOP_PUNCT) and any(
            doc[x].text[:1].isupper() and lw[x] not in lexicon.DETERMINERS
            or lw[x] in lexicon.role_words() for x in range(*subject)) \
            and low(doc[subject[0]]) not in ("son", "sa", "ses", "leur", "leurs", "lire", "voir", "écouter") \
            and doc[subject[0]].pos_ not in ("VERB", "AUX"):  # "Lire aussi : …", a link, not a speaker
        return Found(win, None, None, subject, how="colon", confidence=0.75)
    return None


def clause_verb(win: Window, first: int, lo: int, skip: list[tuple[int, int]]) -> int | None:
    """The finite verb (or participle after its auxiliary) nearest before token ``first``, outside quotations.

    A verb that opens a subordinate clause between it and the quote ("le
    gouvernement veut", after "que") still counts: the parse decides whose
    subject it takes.
    """
    doc = win.doc
    lw = lows(doc)
    lo = max(lo, first - 1 - MAX_CUE_DISTANCE)
    quoted = _quoted_tokens(win, lo, first - 1, skip)
    for i in range(first - 1, lo - 1, -1):
        if i in quoted:
            continue
        t = doc[i]
        if t.pos_ not in ("VERB", "AUX") or t.text[:1].isupper() and i > lo:
            continue
        form = t.morph.get("VerbForm")
        if "Fin" in form or "Part" in form and i > lo and lw[i - 1] in lexicon.AUXILIARIES:
            return i
    return None


def agent_after(win: Window, i: int, first: int) -> tuple[int, int] | None:
    """ "a été estimée par la maire Anne Hidalgo à «…»": the agent of a passive verb, before the quote."""
    doc = win.doc
    lw = lows(doc)
    for x in range(i + 1, min(first, i + 6)):
        if lw[x] == "par":
            return subject_np(doc, x + 1)
    return None


_SCARE_BREAKS = frozenset(("à", "au", "aux", "avec", "contre", "sur", "pour", "par", "chez", "vers", "entre", "dans",
                           "en", "sans", "lors", "depuis", "devant", "après", "avant", "face", "malgré", "parmi"))


def complement_of_cue(win: Window, found: Found, pos: int) -> bool:
    """Whether a short quote at ``pos`` is what its cue verb says ("a évoqué des «…»", "juge la situation «…»")."""
    doc, end = win.doc, win.index_at(pos)
    between = [doc[x] for x in range(found.cue[1], end)]
    if len(between) > 4:
        return False
    words = [t.text.lower() for t in between if t.text.lower() not in ("ne", "n'")]
    if len(words) == 2 and words[0] in ("que", "qu'") and words[1] in lexicon.PRONOUNS:
        return True  # "annonce qu'il «rendra compte»": the quote is the clause the verb reports
    for n, t in enumerate(between):
        word = t.text.lower()
        if word in _SCARE_BREAKS or word in ("que", "qu'") or t.pos_ in ("VERB", "AUX"):
            return False  # "demandait que les «gilets jaunes» soient reçus", "répondre à la «polémique»"
        if word in ("de", "d'") and n and between[n - 1].pos_ == "NOUN":
            return False  # "soutenaient l'hypothèse d'une «identité»": a noun's complement
    return True


_VERB_GROUP_WORDS = lexicon.AUXILIARIES | OBJECT_CLITICS | {"-t", "ne", "n'", "pas"} | lexicon.ADVERBS
_BEFORE_SUBJECT_WORDS = lexicon.ADVERBS | {"ne", "n'", "pas", ","}
_ADVERBIAL_WORDS = tuple(phrase.split() for phrase in lexicon.ADVERBIAL_PHRASES)
_ADVERBIAL_LAST = frozenset(words[-1] for words in _ADVERBIAL_WORDS)


def _verb_group_start(doc, i: int, lo: int) -> int:
    j = i
    words = lows(doc)
    while j - 1 >= lo:
        word = words[j - 1]
        phrase = _adverbial_before(doc, j, lo)
        if phrase:
            j -= phrase
        elif (word in _VERB_GROUP_WORDS
              or word.startswith("-") and _clitic(word)) and word not in ("de", "d'", "la", "le", "les", "l'"):
            j -= 1
        else:
            break
    return j


def _adverbial_after(doc, s: int, e: int) -> int:
    """Length of an adverbial phrase ("de son côté") starting at token ``s``."""
    lw = lows(doc)
    for words in _ADVERBIAL_WORDS:
        if s + len(words) <= e and lw[s:s + len(words)] == words:
            return len(words)
    return 0


def _adverbial_before(doc, j: int, lo: int) -> int:
    """Length of an adverbial phrase ("en revanche", "de son côté") ending right before token ``j``."""
    lw = lows(doc)
    if j - 1 < lo or lw[j - 1] not in _ADVERBIAL_LAST:
        return 0
    for words in _ADVERBIAL_WORDS:
        n = len(words)
        if j - n >= lo and lw[j - n:j] == words:
            return n
    return 0


def _inverted_clitic(doc, start: int, end: int) -> tuple[int, int] | None:
    """The "-il" of "a-t-il dit" / "dit-elle" around a verb group, as its subject."""
    lw = lows(doc)
    for x in range(start, min(len(doc), end + 2)):
        if lw[x].startswith("-") and _clitic(lw[x]):
            return (x, x + 1)
    return None


_TIME_WORDS = lexicon.TIME_WORDS | {"matin", "soir"}
DEMONSTRATIVES = {"c'", "ce", "cela", "ça", "ceci", "il"}


def subject_of(win: Window, i: int, lo: int) -> tuple[int, int] | None:
    """Subject of the cue verb at ``i``: dependency parse first, then the phrase before the verb group."""
    subject = _subject_of(win, i, lo)
    if subject and all(low(win.doc[x]) in _TIME_WORDS or win.doc[x].like_num for x in range(*subject)):
        # "Mercredi, l'humoriste avait annoncé": a date the parse took for the subject; the phrase before the verb
        subject = _np_before(win.doc, _verb_group_start(win.doc, i, lo), lo)
        if subject and all(low(win.doc[x]) in _TIME_WORDS or win.doc[x].like_num for x in range(*subject)):
            return None
    if subject and subject[1] - subject[0] == 1 and low(win.doc[subject[0]]) in DEMONSTRATIVES - {"il"}:
        return None  # "c'est peu dire que…": no speaker
    if subject and subject[1] - subject[0] == 1 and impersonal(win.doc, subject[0]):
        return None  # "qu'il n'y aura pas…", "il faut": nobody
    return subject


_IMPERSONAL_AFTER = frozenset("faut fallait faudra faudrait fallu agit agissait agira semble semblait paraît "
                              "paraissait reste restait suffit suffisait manque manquait importe".split())


def impersonal(doc, k: int) -> bool:
    """ "il y a", "il faut", "il s'agit", "il est … de": an "il" that stands for nobody."""
    lw = lows(doc)
    if lw[k].lstrip("-") != "il":
        return False
    nxt = [w for w in lw[k + 1:k + 4] if w not in ("ne", "n'")]
    if not nxt:
        return False
    if nxt[0] == "y" or nxt[0] in _IMPERSONAL_AFTER or nxt[0] == "s'" and len(nxt) > 1 and nxt[1] in _IMPERSONAL_AFTER:
        return True
    if k and lw[k].startswith("-") and lw[k - 1] in ("est", "était", "sera"):
        # "est-il écrit", "est-il précisé": an impersonal passive, nobody speaks
        return bool(nxt) and (nxt[0].endswith(("é", "it", "is")) or len(nxt) > 1 and nxt[1].endswith(("é", "it", "is")))
    if k and lw[k].startswith("-") and lw[k - 1] in ("a", "avait", "-t") and nxt[0] == "été":
        return len(nxt) > 1 and nxt[1].endswith(("é", "it", "is"))  # "a-t-il été précisé"; "avait-il lancé" is someone
    return nxt[0] in ("est", "était", "sera", "serait") and len(nxt) > 2 and nxt[2] in ("de", "d'", "que", "qu'")


def _subject_of(win: Window, i: int, lo: int) -> tuple[int, int] | None:
    doc = win.parsed()
    lw = lows(doc)
    t = doc[i]
    if low(t).endswith("ant") and all(lw[x] in lexicon.ADVERBS for x in range(lo, i)):
        # "Rappelant que …, la Fédération a précisé": the subject of the main clause, after the comma.
        comma = next((x for x in range(i, len(doc)) if lw[x] == ","), None)
        if comma is not None:
            for x in range(comma + 1, min(len(doc), comma + 12)):
                if doc[x].dep_.startswith("nsubj"):
                    return _np_around(doc, doc[x], comma + 1)
            return subject_np(doc, comma + 1)
    for _ in range(4):
        subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass") and c.i >= lo]
        if subjects:
            # two subjects on one verb is a parse that hung the main clause's on a subordinate verb
            # ("Les interrogations naissent lorsqu'il affirme …"): the one nearest before the verb
            before = [c for c in subjects if c.i < t.i]
            s = before[-1] if before else subjects[0]
            if low(s) == "qui" and t.dep_.startswith("acl") and t.head.i >= lo:
                return _np_around(doc, t.head, lo)
            if low(s) == "qui" and s.i > lo:
                # "pense Jean-Yves Le Drian qui affirme …": the phrase "qui" stands for, right before it
                return _np_before(doc, s.i, lo) if lows(doc)[s.i - 1] != "," else _np_before(doc, s.i - 1, lo)
            return _np_around(doc, s, lo)
        if t.dep_ in ("xcomp", "advcl", "acl", "conj", "ccomp", "parataxis", "obl:arg", "obl:mod") \
                and t.head.i != t.i and t.head.i >= lo:
            t = t.head
            continue
        break
    start = _verb_group_start(doc, i, lo)
    return _np_before(doc, start, lo)


def _np_around(doc, head, lo: int) -> tuple[int, int] | None:
    lw = lows(doc)
    if low(head).lstrip("-") in lexicon.PRONOUNS or _clitic(low(head)):
        return (head.i, head.i + 1)
    left = head.i
    while left - 1 >= lo and left - 1 >= head.left_edge.i and lw[left - 1] not in STOP_PUNCT:
        left -= 1
    if left - 2 >= lo and lw[left - 1] == "," and doc[left - 2].text[:1].isupper() \
            and lw[left] in ("le", "la", "l'") and doc[left - 2].pos_ in ("PROPN", "NOUN"):
        # "Jean-Baptiste Djebbari, le ministre des Transports, s'est félicité": the name is the speaker.
        name_end, name_start = left - 1, left - 2
        while name_start - 1 >= lo and doc[name_start - 1].text[:1].isupper() and lw[name_start - 1] not in STOP_PUNCT:
            name_start -= 1
        if name_start == lo or lw[name_start - 1] in STOP_PUNCT or lw[name_start - 1] in ("et", "mais"):
            return (name_start, name_end)
    while left < head.i and (doc[left].pos_ == "ADP" or lw[left] in SUBJECT_BREAK):
        left += 1  # "face au président X, qui a dit": the antecedent without its preposition
    right = head.i + 1
    while right <= head.right_edge.i and right < len(doc) and lw[right] not in STOP_PUNCT \
            and lw[right] not in SUBJECT_BREAK and (doc[right].pos_ not in ("VERB", "AUX")
                                                         or doc[right].text[:1].isupper()):
        right += 1
    while right < len(doc) and doc[right - 1].text[:1].isupper() and doc[right].text[:1].isupper() \
            and lw[right] not in STOP_PUNCT:
        right += 1  # "Donald Trump" even when the parse hangs "Trump" elsewhere
    return (left, right)


def _np_before(doc, end: int, lo: int) -> tuple[int, int] | None:
    """The noun phrase ending right before token ``end`` (``X a déclaré``, ``X :``)."""
    lw = lows(doc)
    j = end
    while j - 1 >= lo and lw[j - 1] in _BEFORE_SUBJECT_WORDS:
        j -= 1
    e = j
    if e - 1 >= lo and lw[e - 1] in lexicon.PRONOUNS:
        return (e - 1, e)
    s = e
    while s - 1 >= lo and e - s < 14:
        word = lw[s - 1]
        if word in STOP_PUNCT and word != "-":
            break
        if doc[s - 1].pos_ in ("VERB", "AUX") and not doc[s - 1].text[:1].isupper():
            break
        if word in SUBJECT_BREAK and word not in ("et",):
            break
        s -= 1
    while s < e and lw[s] in NAME_PREPOSITIONS | {"à", "au", "aux", "et"}:
        s += 1
        s += _adverbial_after(doc, s, e)
    if s == e:
        return None
    if not any(doc[x].text[:1].isupper() or lw[x] in lexicon.role_words() or doc[x].pos_ in ("NOUN", "PROPN")
               for x in range(s, e)):
        return None
    return (s, e)


def final_incise(win: Window, start: int, end: int, quoted) -> Found | None:
    """ "…, regrette l'ONG Bloom." closing the sentence that holds a quote."""
    doc = win.doc
    lw = lows(doc)
    lo, hi = win.index_at(start), win.index_at(end)
    lo = max(lo, hi - MAX_CUE_DISTANCE)
    commas = 0
    for k in range(hi - 1, lo - 1, -1):
        if lw[k] != ",":
            continue
        c = win.char_start(k)
        if c in quoted:
            continue
        commas += 1
        found = incise_after(win, c)
        if found is None and commas < 3 and (apposition(doc, k) is not None or k + 1 < hi and (
                lw[k + 1].endswith("ant") and "Part" in doc[k + 1].morph.get("VerbForm")
                or lw[k + 1] in ("mis", "mise", "confirmant", "selon"))):
            # ", observe X, chercheur du Cevipof." / ", a relaté le procureur, confirmant …": the comma of an
            # apposition or of a participle clause comes after the incise
            continue
        if found and found.subject:
            tail = found.subject[1]
            while tail < hi and (lw[tail] in (",", ".", "!", "?") or doc[tail].is_space):
                tail += 1
            if tail >= hi or found.role or doc[tail].pos_ == "ADP" or lw[tail - 1] == "," \
                    or lw[tail] in SUBJECT_BREAK:
                if found.how != "according":
                    found.how = "incise-final"
                found.confidence -= 0.15
                return found
        return None
    return None
