"""Indirect speech without guillemets: the clause a reporting verb introduces.

``X a affirmé que …``, ``X a assuré ne pas …``, ``X accuse Y d'avoir …``,
``selon X, …``, ``…, selon X``, ``…, a annoncé X`` (a clause mostly outside
guillemets). The reported clause is the quote text, typed ``indirect``.
"""
import re
from bisect import bisect_left
from functools import lru_cache
from dataclasses import dataclass

from . import attribution, lexicon
from .attribution import Found, Window, cue_at, low, lows
from .segment import Sentence
from .spans import QuotedRanges

_QUE = {"que", "qu'"}
_ACCUSE = {"accuser", "reprocher", "soupçonner", "exhorter", "appeler", "inviter", "implorer", "supplier",
           "remercier", "féliciter", "menacer", "conseiller", "recommander", "demander", "prier"}
# After a reported clause: a comma and one of these starts something else.
_CLAUSE_END_AFTER_COMMA = {"et", "mais", "sans", "avant", "après", "afin", "alors", "tandis", "selon", "d'après", "car",
                           "puisque", "lors", "pour", "ce", "qui", "a", "ont", "estime", "ajoute", "précise"}
_WORDS = re.compile(r"[\w']+")
_TEXT_CLAUSE_END = re.compile(r"[;:!?]|\.(?:\s|$)|,\s+(?:et|mais|sans|avant|après|afin|alors|tandis|selon|car|puisque|lors|"
                              r"a|ont|estime|ajoute|précise)\b")
_INCISE = re.compile(r", (?:(?:nous|lui|leur|me|m'|l') ?)?(?:a |ont |avait |avaient )?([\w']+)(?: ([\w']+))?")
# An incise with its subject clitic inverted: ", a-t-il précisé", ", estime-t-elle", ", avaient-ils dit".
_INVERTED_INCISE = re.compile(r", (?:([\w']+)-t-(?:il|elle|on)|([\w']+)-(?:il|elle|ils|elles|on))\b(?: ([\w']+))?")
_ELIDED = re.compile(r"^(?:d|l|s|n|qu|j|m|t)'")
_INFINITIVE_START = {"ne", "avoir", "être", "vouloir", "pouvoir", "devoir"}
# Characters of a cue sentence the parser gets: after an incise's comma; around "selon";
# before a cue verb (its subject) and after it (the clause's first words).
INCISE_REACH = 150
ACCORDING_REACH = 90
SUBJECT_REACH = 120
CLAUSE_REACH = 70
SHORT_OPENING = 6  # words before ", selon X," that are an adverbial opening, not a clause of their own
ROLE_TAIL = 10  # tokens an apposition after "selon X," may still run before its comma
_INFINITIVES_AFTER_CUE = {"intéressé", "intéressée", "intéressés", "intéressées", "prêt", "prête", "prêts", "prêtes",
                          "favorable", "favorables", "opposé", "opposée", "opposés", "opposées", "convaincu",
                          "convaincue", "convaincus", "inquiet", "inquiète", "inquiets", "satisfait", "satisfaite",
                          "confiant", "confiante", "optimiste", "pessimiste", "certain", "certaine", "sûr", "sûre"}


@dataclass
class Reported:
    """An indirect quotation: clause offsets and the construction that reports it."""

    start: int
    end: int
    found: Found


def cue_ranges(norm: str, sents: list[Sentence], quoted: QuotedRanges) -> tuple[list[Sentence], list[tuple[int, int, bool]]]:
    """Sentences that may report a clause, and the few characters of each that the tagger needs.

    A reporting form followed by que/ne/an infinitive (the subject before it and
    the clause's first words after it), "selon"/"d'après" (the speaker after it),
    an incise ", a annoncé X" (from its comma to the sentence end). Clause ends
    beyond a window are found on the text itself. Cues inside guillemets are
    words of a quotation, not the writer's report: they are not parsed. Each
    range says whether it needs the dependency parse (a subject before its verb
    does; an incise is read on tags).
    """
    forms = lexicon.form_to_lemmas()
    form_set = lexicon.reporting_forms()
    out, ranges = [], []
    for sent in sents:
        text = norm[sent.start:sent.end].lower()
        raw_strings = _WORDS.findall(text)  # findall makes the words in C
        # "d'expliquer", "s'inquiète": the verb after its elided word (the tokenizer splits them too)
        strings = [_ELIDED.sub("", w) for w in raw_strings] if "'" in text else raw_strings
        if form_set.isdisjoint(strings) and "selon" not in text and "d'après" not in text \
                and "dire" not in text and "avis de" not in text:
            continue  # most sentences: nothing that reports (one C-level look instead of a loop over words)
        found = False
        for m in _AS_SAID_BY.finditer(text):  # "comme l'a souligné X, …"
            at = sent.start + m.start()
            if m.group(1) in forms and at not in quoted:
                ranges.append((at, min(sent.end, at + ACCORDING_REACH + CLAUSE_REACH), False))
                found = True
        for m in _ACCORDING_PHRASES.finditer(text):  # "à en croire X, …", "aux dires de X, …"
            at = sent.start + m.start()
            if at not in quoted:
                ranges.append((max(sent.start, at - 2), min(sent.end, at + ACCORDING_REACH), False))
                found = True
        for m in (*_INCISE.finditer(text), *_INVERTED_INCISE.finditer(text)):
            if any(g in forms for g in m.groups() if g):
                at = sent.start + m.start()
                if at in quoted:
                    continue
                ranges.append((at, min(sent.end, at + INCISE_REACH), False))
                found = True
        words = list(_WORDS.finditer(text))
        raw = raw_strings
        for n in [k for k, w in enumerate(strings) if w in form_set or w == "selon" or raw[k].startswith("d'après")]:
            m, w = words[n], strings[n]
            at = sent.start + m.start()
            if at in quoted:
                continue
            if w == "selon" or raw[n].startswith("d'après"):
                ranges.append((max(sent.start, at - 2), min(sent.end, at + ACCORDING_REACH), False))
                found = True
            elif w in forms:
                following = raw[n + 1:n + 6]
                clause = any(f in _QUE or f.startswith("qu'") or f in _INFINITIVE_START or f.startswith("n'")
                             or f.startswith("l'") and f[2:] in _INFINITIVE_START
                             for f in following) or (following and following[0] in _INFINITIVES_AFTER_CUE)
                accusing = any(f.startswith("d'") for f in following)
                if clause or accusing:
                    # Tagged either way; parsed up front only where _clause_after_cue will likely want
                    # the subject (a miss is parsed on demand, the same parse, only later).
                    parse = not forms[w] <= lexicon.FACTIVE and (clause or not forms[w].isdisjoint(_ACCUSE))
                    ranges.append((max(sent.start, at - SUBJECT_REACH), min(sent.end, at + CLAUSE_REACH), parse))
                    found = True
        if found:
            out.append(sent)
    return out, ranges


def _clause_end_in_text(norm: str, pos: int, end: int) -> int:
    """Where a reported clause cut by its window ends, read on the text."""
    m = _TEXT_CLAUSE_END.search(norm, pos, end)
    return m.start() if m else end


def find(windows: list[Window], sents: list[Sentence], quoted: QuotedRanges, norm: str) -> list[Reported]:
    """Every indirect quotation in the parsed windows, in text order, not overlapping guillemet quotes' insides."""
    found: list[Reported] = []
    seen: set[tuple[int, int]] = set()
    bases = [w.base for w in windows]
    for sent in sents:
        # the windows overlapping the sentence (sorted, not overlapping each other)
        k = max(0, bisect_left(bases, sent.start) - 1)
        overlapping = []
        while k < len(windows) and windows[k].base < sent.end:
            if windows[k].end > sent.start:
                overlapping.append(windows[k])
            k += 1
        last = next((w for w in overlapping if w.base < sent.end <= w.end), None)
        reps = []
        for win in overlapping:
            reps += _in_sentence(win, sent, quoted, norm)
        final = _final_incise(last, sent, quoted, norm) if last is not None else None
        if final and not any(r.start < final.end and final.start < r.end for r in reps):
            reps.append(final)
        for rep in reps:
            key = (rep.start, rep.end)
            if key not in seen and rep.end - rep.start >= 3:
                seen.add(key)
                found.append(rep)
    found.sort(key=lambda r: r.start)
    return found


def _in_sentence(win: Window, sent: Sentence, quoted, norm: str) -> list[Reported]:
    doc = win.doc
    lo, hi = win.index_at(max(sent.start, win.base)), win.index_at(min(sent.end, win.end))
    out = []
    words = lows(doc)
    forms = lexicon.form_to_lemmas()
    # only the words that can open a report: a reporting form, "selon", "d'après"
    for i in [k for k in range(lo, hi) if words[k] in forms or words[k] in _ACCORDING_OPENERS
              or words[k] in _PHRASE_OPENERS and _according_phrase(words, k)]:
        if win.char_start(i) in quoted:
            continue
        word = words[i]
        if word in _PHRASE_OPENERS:
            rep = _according(win, i, lo, hi, quoted, norm, sent)
            if rep:
                out.append(rep)
            continue
        if word in _ACCORDING_OPENERS:
            if word != "d'" or (i + 1 < hi and words[i + 1] == "après"):
                rep = _according(win, i, lo, hi, quoted, norm, sent)
                if rep:
                    out.append(rep)
            continue
        cue = cue_at(doc, i)
        if cue:
            rep = _clause_after_cue(win, i, cue, lo, hi, quoted, norm, sent) or _as_said_by(win, i, cue, lo, hi,
                                                                                            quoted, norm, sent)
            if rep:
                out.append(rep)
    return out


def _as_said_by(win: Window, i: int, cue: tuple[int, str], lo: int, hi: int, quoted, norm: str, sent: Sentence):
    """The rule ``indirect-comme``: "Comme l'a souligné X(, ministre…), clause": the clause after X is X's."""
    doc = win.doc
    lw = lows(doc)
    end, lemma = cue
    group = attribution._verb_group_start(doc, i, lo) - 1  # back over the "l'" the verb group leaves out
    if group - 1 < lo or lw[group - 1] != "comme" or lw[group] not in ("l'", "le") or lemma in lexicon.FACTIVE:
        return None
    if group - 2 >= lo and lw[group - 2] not in ("et", "mais", "or", ".", "!", "?", "\n") \
            or win.char_start(group - 1) > sent.start + 4:
        return None  # "Comme l'a dit X, …" opens its sentence; "…, comme l'a noté X" reports what came before
    subject = attribution.subject_np(doc, attribution.skip_complements(doc, end))
    if not subject or not _speaker_like(doc, subject):
        return None
    role = attribution.apposition(doc, subject[1])
    k = (role or subject)[1]
    while k < hi and k - subject[1] < ROLE_TAIL and lw[k] != "," and lw[k] not in attribution.STOP_PUNCT \
            and doc[k].pos_ not in ("VERB", "AUX"):
        k += 1  # "…, ministre en charge de la Femme," runs to its comma
    if k >= hi or lw[k] != ",":
        return None
    start = k + 1
    if start >= hi or lw[start] in _NOT_A_CLAUSE_START or doc[start].pos_ in ("VERB", "AUX"):
        return None
    stop = _clause_end(doc, start, hi)
    if stop - start < 3 and not (stop == hi and win.end < sent.end):
        return None
    c_start, c_end = win.char_start(start), win.char_end(max(start, stop - 1))
    if stop == hi and win.end < sent.end:
        c_end = _trim_end(norm, _clause_end_in_text(norm, win.end, sent.end), c_start)
    if c_end <= c_start or _quotation_only(quoted, c_start, c_end, norm):
        return None
    return Reported(c_start, c_end, Found(win, (group - 1, end), lemma, subject, role, how="comme", confidence=0.7))


_ACCORDING_OPENERS = frozenset(("selon", "d'après", "d'"))
# "à en croire X", "aux dires de X", "de l'avis de X": "selon X" in other words (lexicon.ACCORDING_TO), as
# the tokenizer splits them; "a en croire" is how a capital without its accent reads.
_ACCORDING_PHRASE_WORDS = (("à", "en", "croire"), ("a", "en", "croire"), ("aux", "dires", "de"),
                           ("au", "dire", "de"), ("de", "l'", "avis", "de"))
_PHRASE_OPENERS = frozenset(words[0] for words in _ACCORDING_PHRASE_WORDS)
_AS_SAID_BY = re.compile(r"(?<![\w'])comme l'(?:a|avait|ont|avaient) (?:(?:\w+ment|déjà|bien|encore) )?([\w']+)")
_ACCORDING_PHRASES = re.compile(r"(?<![\w'])(?:[àa] en croire|aux dires de|au dire de|de l'avis de)\b")


def _according_phrase(words: list[str], k: int) -> int:
    """The number of words of an "à en croire"-like phrase starting at ``k`` (0 when there is none)."""
    for phrase in _ACCORDING_PHRASE_WORDS:
        if tuple(words[k:k + len(phrase)]) == phrase:
            return len(phrase)
    return 0
# Between a reporting verb and its clause: "annonce d'ailleurs vouloir", "dément dans un premier temps avoir",
# "nient farouchement l'avoir" (besides lexicon.ADVERBS and lexicon.ADVERBIAL_PHRASES).
# beside lexicon.ADVERBIAL_PHRASES (read first, by attribution._adverbial_after): those only a clause skips
_CLAUSE_ADVERBIALS = tuple(p.split() for p in (
    "d' ailleurs", "dans un premier temps", "dans un second temps", "une fois encore", "encore une fois",
    "avant tout", "eux aussi", "elles aussi"))
_CLITICS_BEFORE_INFINITIVE = frozenset(("l'", "le", "la", "les", "lui", "leur", "y", "en", "se", "s'"))


def _infinitive(doc, j: int) -> bool:
    return doc[j].pos_ in ("VERB", "AUX") and "Inf" in doc[j].morph.get("VerbForm")


def _skip_adverbials(doc, j: int, hi: int) -> int:
    """The token after the adverbs and adverbial phrases at ``j`` (", en effet," included)."""
    lw = lows(doc)
    while j < hi:
        n = attribution._adverbial_after(doc, j, hi) or next(
            (len(p) for p in _CLAUSE_ADVERBIALS if lw[j:j + len(p)] == p), 0)
        if n:
            j += n
        elif lw[j] in lexicon.ADVERBS and lw[j] not in ("ne", "n'", "pas", "plus", "jamais", "tout", "bien") \
                or lw[j].endswith("ment") and lw[j] != "comment" and doc[j].pos_ == "ADV":
            j += 1
        elif lw[j] == "," and j + 1 < hi:
            k = _skip_adverbials(doc, j + 1, hi)
            if k > j + 1 and k < hi and lw[k] == ",":
                j = k + 1  # ", en effet,"
            else:
                break
        else:
            break
    return j


def _coordinated(doc, subject: tuple[int, int], lo: int) -> bool:
    """A subject that is the second of two ("X et Marc Roux"): the parse gave only half of it."""
    s = subject[0]
    return s - 2 >= lo and low(doc[s - 1]) in ("et", "ou") and doc[s - 2].text[:1].isupper() \
        and doc[s].text[:1].isupper()  # two names; "…pour diffamation et sa femme affirme" is two clauses


# Reporting verbs that mean something else with a reflexive pronoun.
_REFLEXIVE_OTHER_VERB = frozenset(("assurer", "rappeler"))
# Verbs before "de/d'" and an infinitive cue that keep it from being said: "a omis de signaler que",
# "refuse de dire que", "lui a demandé de préciser que" (what they do say is another matter).
_WITHHOLDING = ("oublier", "refuser", "éviter", "renoncer", "hésiter", "interdire", "empêcher", "conseiller",
                "demander", "prier", "menacer", "permettre", "promettre", "proposer", "suggérer", "ordonner")
_WITHHOLDING_FORMS = frozenset(form for verb in _WITHHOLDING if verb.endswith("er") for form in lexicon._conjugate_er(verb)) \
    | frozenset("omis omet omettent omettait omettaient permis permet permettent promis promet".split())


def _says_after_de(doc, k: int, lo: int) -> bool:
    """Whether the word at ``k``, before "de/d'" and an infinitive cue, lets its subject say it.

    A verb ("tente d'expliquer", "n'a cessé de répéter", "avant d'annoncer") or the narrative
    "et de conclure" does, unless it withholds the saying; a noun or an adjective ("l'occasion de
    soutenir", "inexact d'affirmer") makes the infinitive nobody's words.
    """
    while k > lo and (low(doc[k]) in lexicon.ADVERBS or low(doc[k]) == "non"):
        k -= 1  # "n'a pas manqué non plus de rappeler"
    if k < lo:
        return False
    word = low(doc[k])
    if word in ("et", "avant", "après") or doc[k].pos_ == "PROPN":
        return True  # "Et de conclure", "Adja Traoré de renchérir que": the narrative infinitive
    return doc[k].pos_ in ("VERB", "AUX") and word not in _WITHHOLDING_FORMS


def _auxiliary_before_commas(lw: list[str], i: int, lo: int) -> bool:
    """ "Elle a, en effet, relevé": the auxiliary before a phrase between commas."""
    if i - 1 < lo or lw[i - 1] != ",":
        return False
    k = i - 2
    while k > lo and i - k < 8 and lw[k] != ",":
        k -= 1
    return k > lo and lw[k] == "," and lw[k - 1] in lexicon.AUXILIARIES


# Before an active past participle ("a affirmé", "l'a dit", "a ensuite déclaré").
_BEFORE_PARTICIPLE = lexicon.AUXILIARIES | attribution.OBJECT_CLITICS | lexicon.ADVERBS


def _clause_after_cue(win: Window, i: int, cue: tuple[int, str], lo: int, hi: int, quoted, norm: str,
                      sent: Sentence):
    doc = win.doc
    lw = lows(doc)
    end, lemma = cue
    if lemma in lexicon.FACTIVE:
        return None
    form = doc[i].morph.get("VerbForm")
    if lemma in _REFLEXIVE_OTHER_VERB and i - 1 >= lo and lw[i - 1] in ("s'", "se", "m'", "me", "nous", "vous"):
        return None  # "doit s'assurer que" (make sure), "se rappelle que" (remembers): no one is told anything
    if "Inf" in form and i - 1 >= lo and lw[i - 1] in ("de", "d'") and not _says_after_de(doc, i - 2, lo):
        return None  # "avant d'accuser", "l'occasion de soutenir", "inexact d'affirmer": nobody says it here
    if "Part" in form and not lw[i].endswith("ant") and not (
            i > lo and lw[i - 1] in _BEFORE_PARTICIPLE or _auxiliary_before_commas(lw, i, lo)):
        return None  # "Accusé d'avoir…": a passive participle, the clause is not its subject's speech
    j = end
    while j < hi and (lw[j] in ("-t", "-t-") or attribution._clitic(lw[j])):
        j += 1
    j = direct = _skip_adverbials(doc, j, hi)
    if j < hi and lw[j] not in {"ne", "n'"} | _QUE:
        j = _skip_adverbials(doc, attribution.skip_complements(doc, j), hi)
    if j >= hi:
        return None
    word = lw[j]
    if word in _QUE:
        start = j + 1
    elif word in ("ne", "n'") or _infinitive(doc, j):
        start = j
    elif word in _CLITICS_BEFORE_INFINITIVE and j == direct and j + 1 < hi and _infinitive(doc, j + 1):
        start = j  # "nient l'avoir frappé", "assure s'être trompé"
    elif lemma == "se dire" and (doc[j].pos_ == "ADJ" or "Part" in doc[j].morph.get("VerbForm")):
        start = j
    elif lemma in _ACCUSE:
        # "accuse la Russie d'avoir…", "a accusé le groupe de Tim Cook de « supprimer… »"
        k, start = j, None
        while k + 1 < hi and k - j < 12 and lw[k] not in attribution.STOP_PUNCT:
            nxt = doc[k + 1]
            if lw[k] in ("de", "d'") and (nxt.pos_ in ("VERB", "AUX") or low(nxt) in ("«", "ne", "n'")):
                start = k
                break
            k += 1
        if start is None:
            return None
    else:
        return None
    if start >= hi:
        return None
    stop = _clause_end(doc, start, hi, first_comma=i == lo and doc[i].text.endswith("ant"))
    if word not in _QUE:
        stop = _infinitive_clause_end(doc, start, stop)
    if stop <= start:
        return None
    c_start, c_end = win.char_start(start), win.char_end(stop - 1)
    if stop == hi and win.end < sent.end:
        c_end = _trim_end(norm, _clause_end_in_text(norm, win.end, sent.end), c_start)
    if _quotation_only(quoted, c_start, c_end, norm):
        return None  # "a déclaré que «…»", "d'être «…»": a quotation found as such
    group = attribution._verb_group_start(doc, i, lo)
    if _auxiliary_before_commas(lw, i, lo):
        # "Elle a, en effet, relevé que": the subject before the auxiliary (the parse often takes the phrase)
        aux = next(k for k in range(i - 2, lo - 1, -1) if lw[k] == ",") - 1
        group = attribution._verb_group_start(doc, aux, lo)
        subject = attribution._np_before(doc, group, lo)
    else:
        subject = attribution.subject_of(win, i, lo)
    if subject and _coordinated(doc, subject, lo):
        subject = None  # "Paul Leroy et Marc Roux affirment": both speak, not the second alone
    if not subject and not lw[i].endswith("ant"):
        return None
    subject = subject or (i, i + 1)
    # ", ajoutant que …": the participle speaks for the main clause's speaker (see pipeline)
    how = "participle" if lw[i].endswith("ant") and i > lo and lw[i - 1] == "," else "indirect"
    return Reported(c_start, c_end, Found(win, (group, end), lemma, subject, attribution.apposition(doc, subject[1]),
                                          how=how, confidence=0.7))


def _clause_end(doc, start: int, hi: int, first_comma: bool = False) -> int:
    """End of a reported clause; ``first_comma`` for a participle opening its sentence ("Rappelant que …, X a")."""
    lw = lows(doc)
    k = start
    depth = 0
    while k < hi:
        word = lw[k]
        if word in ("«", "“"):
            depth += 1
        elif word in ("»", "”"):
            depth = max(0, depth - 1)
        elif depth == 0 and word in (";", ".", "!", "?", ":", "—", "–", "(") and k > start:
            break
        elif depth == 0 and word == "," and k + 1 < hi and (
                first_comma or lw[k + 1] in _CLAUSE_END_AFTER_COMMA or cue_at(doc, k + 1)
                or doc[k + 1].pos_ in ("VERB",) and "Part" in doc[k + 1].morph.get("VerbForm")):
            break
        k += 1
    while k > start and lw[k - 1] in (",", "et", "mais"):
        k -= 1
    return k


# Words after which a finite verb belongs to a clause inside the reported one ("dit vouloir ce qui…").
_SUBORDINATORS = frozenset(("que", "qu'", "qui", "dont", "où", "si", "s'", "quand", "lorsque", "lorsqu'", "comme",
                            "car", "parce", "puisque", "puisqu'", "quoi", "«", "“", '"'))
# Words before a finite verb that belong to its clause, not to the reported one ("…, elle n'a", "et l'a").
_BEFORE_FINITE = frozenset(("ne", "n'", ",", "et", "mais", "il", "elle", "ils", "elles", "on")) | attribution.OBJECT_CLITICS


def _infinitive_clause_end(doc, start: int, stop: int) -> int:
    """An infinitive clause ends before a finite verb that no subordinating word brought in.

    "le président qui a dit vouloir transformer la France n'avait jamais plié": "n'avait" is
    the main clause's verb again, not what he said.
    """
    lw = lows(doc)
    for k in range(start + 1, stop):
        if lw[k] in _SUBORDINATORS:
            return stop
        if doc[k].pos_ in ("VERB", "AUX") and "Fin" in doc[k].morph.get("VerbForm") and not doc[k].text[:1].isupper() \
                and not (lw[k - 1] in lexicon.AUXILIARIES or lw[k - 1] in lexicon.DETERMINERS or doc[k - 1].pos_ == "DET"):
            # (a tag the tagger got wrong: "avoir interdit", "de l'auteur" are no finite verbs)
            while k > start and lw[k - 1] in _BEFORE_FINITE:
                k -= 1
            return k if k - start >= 2 else stop
    return stop


def _quotation_only(quoted, start: int, end: int, norm: str) -> bool:
    """A clause that is a guillemet quote with at most one word around it ("que «…»", "d'être «…»").

    Such a clause is already a direct or partial quote; a clause with words of
    its own around the guillemets ("qu'elle comptait «…»") is indirect speech.
    """
    outside = norm[start:end]
    for a, b in sorted(quoted.overlapping(start, end), reverse=True):
        if a < end and b > start:
            outside = outside[:max(0, a - start)] + " " + outside[max(0, b - start):]
    return len(_WORDS.findall(outside)) < 2


@lru_cache(maxsize=1)
def _source_documents() -> frozenset[str]:
    return frozenset(lexicon.read_data_lines("source_documents.txt"))


def _according_found(win: Window, i: int) -> Found | None:
    """The speaker after "selon" (``attribution.according_at``), with two readings of its own.

    "selon leur porte-parole": a possessive the shared reader takes for a pronoun;
    "selon les informations de BFMTV": the one named after the source's document.
    """
    doc = win.doc
    lw = lows(doc)
    found = attribution.according_at(win, i)
    n = _according_phrase(lw, i) if lw[i] in _PHRASE_OPENERS else 0
    if found is None and n:  # "A en croire X": the shared reader knows the phrase with its accent only
        subject = attribution.subject_np(doc, i + n)
        if subject:
            found = Found(win, (i, i + n), "à en croire", subject, attribution.apposition(doc, subject[1]),
                          how="according", confidence=0.85)
    elif lw[i] in _PHRASE_OPENERS and not n:
        return None
    if found is None and lw[i] == "selon" and i + 2 < len(doc) and lw[i + 1] in ("leur", "leurs"):
        noun = attribution.subject_np(doc, i + 2)
        if noun:
            found = Found(win, (i, i + 1), "selon", (i + 1, noun[1]), attribution.apposition(doc, noun[1]),
                          how="according", confidence=0.85)
    if found is None or not found.subject:
        return found
    a, b = found.subject
    head = a + 1 if lw[a] in lexicon.DETERMINERS and a + 1 < b else a
    if lw[head] in _source_documents() and head + 2 < b and lw[head + 1] in ("de", "du", "des", "d'"):
        # "des chiffres de la préfecture" → "la préfecture"; "les informations du Parisien" → "Parisien"
        found.subject = (head + 2, b)
    return found


# After "selon X," these open no reported clause: a relative, the rest of a sentence that X interrupts.
_NOT_A_CLAUSE_START = frozenset(("dont", "qui", "que", "qu'", "où", "lequel", "laquelle", "lesquels", "lesquelles",
                                 "et", "mais", "ou", "puis", "se", "s'"))


def _describes(doc, span: tuple[int, int]) -> bool:
    """A description of someone (a role or source noun, no capitalised word): "le président de l'association"."""
    roles, sources = lexicon.role_words(), lexicon.source_words()
    words = [doc[x] for x in range(*span)]
    return not any(t.text[:1].isupper() for t in words) and any(low(t) in roles or low(t) in sources for t in words)


def _names_person(doc, start: int, end: int) -> bool:
    """Whether tokens [start, end) are a person's name (they open on a known first name or an honorific)."""
    first = doc[start].text
    return first in lexicon.first_names() or first.lower() in lexicon.honorifics()


def _according(win: Window, i: int, lo: int, hi: int, quoted, norm: str, sent: Sentence):
    """ "selon X, clause" (clause after) or "clause, selon X" (clause before)."""
    doc = win.doc
    lw = lows(doc)
    found = _according_found(win, i)
    if not found or not found.subject:
        return None
    # "selon X, ministre de…, clause": the clause starts after the apposition, not inside it
    subj_end = found.role[1] if found.role else found.subject[1]
    if found.role and subj_end < hi and lw[subj_end] != ",":
        # "selon X, médecin en chef à l'hôpital de Lyon, clause": the apposition goes on to its comma
        k = subj_end
        while k < hi and k - subj_end < ROLE_TAIL and lw[k] not in attribution.STOP_PUNCT \
                and doc[k].pos_ not in ("VERB", "AUX"):
            k += 1
        if k < hi and lw[k] == ",":
            subj_end = k
    elif not found.role and subj_end + 1 < hi and lw[subj_end] == "," and doc[subj_end + 1].text[:1].isupper() \
            and _describes(doc, found.subject):
        # "selon leur porte-parole, Jean Dumas, clause": the name beside the description, then the clause
        k = subj_end + 1
        while k < hi and k - subj_end <= 4 and doc[k].text[:1].isupper() or k < hi and lw[k] in ("-", "/"):
            k += 1
        if k < hi and lw[k] == "," and k - subj_end > 1 and _names_person(doc, subj_end + 1, k):
            found.subject, found.role = (subj_end + 1, k), found.subject  # the name speaks; the description is its role
            subj_end = k
    at = win.char_start(i)
    comma = norm.rfind(",", sent.start, at)
    # "clause, selon X." closes its sentence (or goes on with a complement: ", selon X, dans l'usage de…");
    # "…, de l'avis de X, il y a…" is read the other way: X's clause comes after
    closes = subj_end + 1 >= hi or lw[subj_end] in (".", "!", "?", ";", ":", "»", ")") \
        or doc[subj_end].pos_ in ("ADP", "NUM") or lw[subj_end] in lexicon.ADVERBS \
        or lw[subj_end] == "," and (doc[subj_end + 1].pos_ in ("ADP", "ADV") or lw[subj_end + 1] in _AFTER_INCISE_COMMA
                                    or lw[subj_end + 1].endswith("ant"))
    # "La semaine dernière, selon X, 31 personnes…": a short opening is no clause of its own, X's comes after
    opening = comma >= 0 and len(_WORDS.findall(norm[sent.start:comma])) < SHORT_OPENING
    if comma >= 0 and not norm[comma + 1:at].strip() and (closes or not opening):
        m = re.match(r"\s*(?:(?:mais|et|or|donc)\b\s*)?", norm[sent.start:comma], re.I)
        c_start, c_end = sent.start + m.end(), _trim_end(norm, comma, sent.start)
        if len(_WORDS.findall(norm[c_start:c_end])) < 4 or _share_quoted(quoted, c_start, c_end, norm) >= 0.6:
            return None
        return Reported(c_start, c_end, found)
    if (comma < 0 or norm[comma + 1:at].strip()) and lw[i] == "selon" and at > sent.start \
            and (subj_end >= hi or lw[subj_end] in (".", "!", "?")) and _speaker_like(doc, found.subject):
        # "…, les relations se crisperaient davantage selon les indiscrétions de BFMTV.": the sentence before it
        m = re.match(r"\s*(?:(?:mais|et|or|donc)\b\s*)?", norm[sent.start:at], re.I)
        c_start, c_end = sent.start + m.end(), _trim_end(norm, at, sent.start)
        if len(_WORDS.findall(norm[c_start:c_end])) < 4 or _share_quoted(quoted, c_start, c_end, norm) >= 0.6:
            return None
        return Reported(c_start, c_end, found)
    if subj_end < hi and lw[subj_end] == ",":
        start = subj_end + 1
        if start < hi and (lw[start] in _NOT_A_CLAUSE_START or doc[start].pos_ in ("VERB", "AUX")):
            return None  # "selon X, dont…", "…, selon X, a tempéré Y": no clause of X's after the comma
        stop = _clause_end(doc, start, hi)
        if stop - start < 3 and not (stop == hi and win.end < sent.end):
            return None
        if start < len(doc):
            c_start, c_end = win.char_start(start), win.char_end(max(start, stop - 1))
        else:
            # the window ends on the comma: the whole clause lies past it, in the text
            c_start = c_end = win.char_end(subj_end)
            while c_start < sent.end and norm[c_start].isspace():
                c_start += 1
        if stop == hi and win.end < sent.end:
            c_end = _trim_end(norm, _clause_end_in_text(norm, win.end, sent.end), c_start)
        if c_end > c_start and not _quotation_only(quoted, c_start, c_end, norm):
            return Reported(c_start, c_end, found)
    return None


def _trim_end(norm: str, end: int, start: int) -> int:
    while end > start and (norm[end - 1].isspace() or norm[end - 1] in ",;"):
        end -= 1
    return end


# After an incise's speaker, what may still close the sentence ("…, a dit X dans un communiqué", "…, a-t-il dit.").
_AFTER_INCISE_SPEAKER = frozenset((",", ".", "!", "?", ";", ":", "(", "—", "–", "»")) | attribution.SUBJECT_BREAK
# After "…, a dit X," the words that start something said of the speaker or of the saying, not the rest of the
# reported sentence: ", sans donner de chiffre", ", tout en…", ", compte tenu de…", ", qui…", ", avant de…".
_AFTER_INCISE_COMMA = frozenset("""sans tout en avant après compte selon lors alors mais car puis non dans au aux sur
    qui dont lorsque quand depuis""".split())
FINAL_INCISE_COMMAS = 6  # commas looked at from the sentence end: the incise, then appositions and clauses after it
# A clause ending on one of these goes on after the incise ("…car, disent-ils, …"): it is not reported whole.
_OPEN_ENDED = frozenset(("car", "que", "qu", "mais", "et", "ou", "donc", "parce", "puisque", "si", "quand", "lorsque"))


def _final_incise(win: Window, sent: Sentence, quoted, norm: str):
    """ "clause, a annoncé X." with the clause mostly outside guillemets (else it is a direct quote).

    The rule ``indirect-incise``: the commas of the sentence are read from its
    end (up to ``FINAL_INCISE_COMMAS``, outside guillemets); the last one that
    opens an incise (a reporting verb of the lexicon and its inverted subject,
    or "-t-il") ends the reported clause, which runs from the sentence start.
    The incise must close the sentence: after its speaker come only the
    sentence end, a complement ("dans un communiqué"), or a comma and what is
    said of the speaker ("Paul Martin, ministre…", ", l'un des…", ", sans…").
    """
    doc = win.doc
    lw = lows(doc)
    lo, hi = win.index_at(max(sent.start, win.base)), win.index_at(sent.end)
    lo = max(lo, hi - attribution.MAX_CUE_DISTANCE)
    commas = 0
    for k in range(hi - 1, lo - 1, -1):
        if lw[k] != "," or win.char_start(k) in quoted:
            continue
        commas += 1
        if commas > FINAL_INCISE_COMMAS:
            return None
        found = attribution.incise_after(win, win.char_start(k))
        if found is None or not found.cue or not found.subject or found.how == "according":
            continue  # "…, selon X": read by _according
        if not found.cue_lemma or lw[found.cue[0]] in ("de", "d'", "en") or lw[found.cue[1] - 1].endswith("ant") \
                or _bare_participle(doc, found.cue):
            return None  # ", semait la pagaille" (no reporting verb), "…, constatée par X" (no incise)
        if found.cue_lemma.startswith(("se ", "s'")) and not any(
                lw[x] in attribution.OBJECT_CLITICS for x in range(max(lo, found.cue[0] - 2), found.cue[1])):
            return None  # ", inquiète les salariés": "s'inquiéter" without its "s'" is another verb
        if found.cue_lemma in _ACCUSE and found.subject[1] < hi and lw[found.subject[1]] in ("de", "d'"):
            return None  # "X, le président du parti, a accusé le gouvernement de…": an object, then what of
        clitic = found.how == "incise-clitic"
        if clitic and not _reports_before(norm, sent.start, quoted):
            return None  # "-t-il" with no one reporting in the sentence before: whom it stands for is a guess
        if not clitic and not _speaker_like(doc, found.subject) and not (
                _definite(doc, found.subject) and _verbless(win, sent.start, win.char_start(k)) is False):
            # ", ont maintenu dimanche des barrages": an object, not an inverted subject; "la régie des
            # transports" is a speaker after a clause the tagger read as one (it has its verb)
            return None
        # "a-t-il précisé": the participle comes after "-il"
        tail = max(found.cue[1], found.subject[1]) if clitic else (found.role or found.subject)[1]
        while tail < hi and (lw[tail] in lexicon.ADVERBS or doc[tail].is_space):
            tail += 1
        if not (tail >= hi or lw[tail] in _AFTER_INCISE_SPEAKER or doc[tail].pos_ == "ADP"):
            return None  # "…, estime X est …" is not an incise
        if tail + 1 < hi and lw[tail] == "," and not _said_of_speaker(doc, tail + 1, clitic):
            return None  # "car, disent-ils, «…»", "…servira, a ajouté X, à …": the sentence goes on after the incise
        return _incise_clause(win, found, k, sent, quoted, norm)
    return None


_SENTENCE_BREAK = re.compile(r"(?<!\b[A-Z])[.!?…]\s|\n")  # not the dot of "M. Meyer"
PREVIOUS_REACH = 400  # characters before a sentence read for the one before it


_REPORTED_PAST = re.compile(r"\b(?:a|ont|avait|avaient|aurait)\s+(?:(?:pas|aussi|encore|déjà|également|ensuite|notamment)\s+)?"
                            r"([\w']+)")


def _reports_before(norm: str, start: int, quoted) -> bool:
    """Whether the sentence before ``start`` reports someone's words: an incise or "X a déclaré", outside guillemets.

    An inverted "-t-il" continues the speaker of the sentence before ("…, a dit
    X. Le reste…, a-t-il ajouté."); after a sentence of narration the pronoun
    is only a guess, often wrong (the person the narration is about).
    """
    lo = max(0, start - PREVIOUS_REACH)
    before = norm[lo:start].rstrip()
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(before[:-1])]
    first = lo + (breaks[-1] if breaks else 0)
    sentence = norm[first:start].lower()
    forms = lexicon.form_to_lemmas()
    for pattern in (_INCISE, _INVERTED_INCISE, _REPORTED_PAST):
        for m in pattern.finditer(sentence):
            if first + m.start() not in quoted and any(g in forms for g in m.groups() if g):
                return True
    return False


_DEFINITE = frozenset(("le", "la", "l'", "les", "son", "sa", "ses", "leur", "leurs"))


def _definite(doc, subject: tuple[int, int]) -> bool:
    """A definite noun phrase ("la régie des transports")."""
    return low(doc[subject[0]]) in _DEFINITE and subject[1] - subject[0] > 1 and doc[subject[0] + 1].pos_ == "NOUN"


def _speaker_like(doc, subject: tuple[int, int]) -> bool:
    """A phrase that can name who speaks: a capitalised word, a pronoun, a role or a source noun, a definite noun.

    An indefinite phrase of other nouns (", ont maintenu dimanche des barrages") is the verb's object.
    """
    roles, sources = lexicon.role_words(), lexicon.source_words()
    for x in range(*subject):
        word = low(doc[x])
        if doc[x].text[:1].isupper() or word in lexicon.PRONOUNS:
            return True
        for noun in {word, word[:-1] if word.endswith(("s", "x")) else word}:  # "les associations", "les élus"
            if noun in roles or noun in sources or lexicon._fold(noun) in lexicon.ORG_WORDS:
                return True
    return False


_APPOSITION_DETERMINERS = frozenset(("le", "la", "l'", "les", "un", "une", "son", "sa", "ses", "leur"))


def _said_of_speaker(doc, k: int, clitic: bool) -> bool:
    """Whether the words at ``k``, after an incise's speaker and a comma, are said of the speaker or the saying.

    After a name: a participle ("…, ajoutant"), a word of ``_AFTER_INCISE_COMMA``, an
    apposition ("l'un des…", "une des…", "de l'EHESS", a capitalised name). After "-t-il,"
    only the first two: a noun phrase there is the reported sentence going on.
    """
    word = low(doc[k])
    if word in _AFTER_INCISE_COMMA or word.endswith("ant") and "Part" in doc[k].morph.get("VerbForm"):
        return True
    if clitic:
        return False
    nxt = low(doc[k + 1]) if k + 1 < len(doc) else ""
    if word in ("un", "une", "l'un", "l'une", "l'") and nxt in ("des", "de", "d'", "un", "une"):
        return True  # ", l'une des porte-parole", ", une des responsables"
    if word in ("de", "d'", "du") and (nxt[:1].isupper() or doc[k + 1].text[:1].isupper() if nxt else False):
        return True  # ", du CNRS", ", de l'EHESS"
    if word in ("de", "d'", "du", "des") and nxt in ("l'", "la", "le", "les") and k + 2 < len(doc) \
            and doc[k + 2].text[:1].isupper():
        return True
    if doc[k].text[:1].isupper() and word not in lexicon.DETERMINERS:
        return True  # ", Paul Martin": the name after a role
    return word in _APPOSITION_DETERMINERS  # ", la maire de Paris", ", l'agence de…"


def _bare_participle(doc, cue: tuple[int, int]) -> bool:
    """A cue that is a past participle with no auxiliary before it (an adjective or a passive, not an incise)."""
    words = lows(doc)[cue[0]:cue[1]]
    if any(w in lexicon.AUXILIARIES or w.startswith("-") for w in words):
        return False
    verb = doc[cue[0]]
    return "Part" in verb.morph.get("VerbForm") and not low(verb).endswith("ant")


_PAIRED_MARKS = re.compile(r'«[^«»]*»|“[^“”]*”|"[^"]*"')


def _stray_marks(outside: str) -> bool:
    """A quotation mark that nothing closes in a clause's text outside its pairs of marks.

    It is the end or the start of a quotation the clause cuts ('…plus fortes", a-t-il dit').
    """
    return any(mark in _PAIRED_MARKS.sub(" ", outside) for mark in '«»“”"')


def _quoted_share(quoted, start: int, end: int, norm: str) -> float:
    """The share of a clause's words inside guillemets: the quotes found, and pairs of marks the scanner left."""
    total = len(_WORDS.findall(norm[start:end])) or 1
    outside = norm[start:end]
    for a, b in sorted(quoted.overlapping(start, end), reverse=True):
        outside = outside[:max(0, a - start)] + " " + outside[max(0, b - start):]
    return 1 - len(_WORDS.findall(_PAIRED_MARKS.sub(" ", outside))) / total


# A clause ending on a name and its role (", le président du groupe") is the subject of the verb after it.
_APPOSITION_LAST = re.compile(r"[A-ZÀ-Þ][\w'-]+, (?:l'|le |la |les )?(?:" + "|".join(
    re.escape(r) for r in sorted(lexicon.role_words(), key=len, reverse=True) if " " not in r) + r")\b[^,]{0,60}$")


# A clause opening on one of these is subordinate: its main clause is still to come after the incise.
_SUBORDINATE_OPENING = re.compile(r"(?i)(?:(?:lorsqu|puisqu|parce qu|bien qu|alors qu|tandis qu|dès qu|avant qu|après qu)"
                                  r"(?:e\b|')|(?:quand|si|s'il|s'ils|comme|même si|à partir du moment où|"
                                  r"a partir du moment où)\b)")


def _verbless(win: Window, start: int, end: int) -> bool | None:
    """Whether a clause the window tagged has no verb (None, unknown, when the window starts after it)."""
    if win.base > start:
        return None
    doc = win.doc
    return not any(doc[x].pos_ in ("VERB", "AUX") for x in range(win.index_at(start), win.index_at(end)))


def _incise_clause(win: Window, found: Found, comma_token: int, sent: Sentence, quoted, norm: str):
    """The clause before an incise's comma, from the sentence start, when it is mostly outside guillemets."""
    c_end = win.char_start(comma_token)
    while c_end > sent.start and norm[c_end - 1].isspace():
        c_end -= 1
    m = re.match(r"\s*(?:(?:mais|et|or|donc)\b\s*)?", norm[sent.start:c_end], re.I)
    c_start = sent.start + m.end()
    words = _WORDS.findall(norm[c_start:c_end])
    if len(words) < 4 or words[-1].lower() in _OPEN_ENDED:
        return None
    if _SUBORDINATE_OPENING.match(norm, c_start, c_end):
        return None  # "Lorsqu'on évoque…, a estimé X, cela renvoie…": the main clause comes after the incise
    if _share_quoted(quoted, c_start, c_end, norm) >= 0.6 or _quoted_share(quoted, c_start, c_end, norm) >= 0.6:
        return None  # "«…», a dit X" or "X veut «…», a dit Y": the guillemets carry it
    if any(c_start < a < c_end and norm[c_start:a].rstrip()[-1:] in ".!?:" for a, _ in quoted.overlapping(c_start, c_end)):
        return None  # "…. «Quand on voit…», a dit X": a quoted sentence inside the clause is the incise's own
    outside = norm[c_start:c_end]
    for a, b in sorted(quoted.overlapping(c_start, c_end), reverse=True):
        outside = outside[:max(0, a - c_start)] + " " + outside[max(0, b - c_start):]
    if _stray_marks(outside):
        return None  # '…plus fortes", a-t-il dit': the end of a quotation, not a reported clause
    if _INVERTED_INCISE.search(norm, c_start, c_end):
        return None  # "«…», a-t-il expliqué. … , a-t-elle dit": the clause holds another quote's incise
    if _verbless(win, c_start, c_end) or _APPOSITION_LAST.search(norm, c_start, c_end):
        return None  # "Nicolas Martin, le président du parti, a accusé…": the clause is the verb's subject
    found.how, found.confidence = "indirect-incise", 0.65
    return Reported(c_start, c_end, found)


def _share_quoted(quoted, start: int, end: int, norm: str) -> float:
    inside = sum(max(0, min(b, end) - max(a, start)) for a, b in quoted.overlapping(start, end))
    return inside / (len(norm[start:end].strip()) or 1)
