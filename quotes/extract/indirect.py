"""Indirect speech without guillemets: the clause a reporting verb introduces.

``X a affirmé que …``, ``X a assuré ne pas …``, ``X accuse Y d'avoir …``,
``selon X, …``, ``…, selon X``, ``…, a annoncé X`` (a clause mostly outside
guillemets). The reported clause is the quote text, typed ``indirect``.
"""
import re
from bisect import bisect_left
from dataclasses import dataclass

from . import attribution, lexicon
from .attribution import Found, Window, cue_at, low, lows
from .segment import Sentence
from .spans import QuotedRanges

_QUE = {"que", "qu'"}
_ACCUSE = {"accuser", "reprocher", "soupçonner", "exhorter", "appeler", "inviter", "implorer", "supplier",
           "remercier", "féliciter", "menacer", "conseiller", "recommander", "demander", "prier"}
# After a reported clause: a comma and one of these starts something else.
_CLAUSE_END_AFTER_COMMA = {"et", "mais", "sans", "avant", "afin", "alors", "tandis", "selon", "d'après", "car",
                           "puisque", "lors", "pour", "ce", "qui", "a", "ont", "estime", "ajoute", "précise"}
_WORDS = re.compile(r"[\w']+")
_TEXT_CLAUSE_END = re.compile(r"[;:!?]|\.(?:\s|$)|,\s+(?:et|mais|sans|avant|afin|alors|tandis|selon|car|puisque|lors|"
                              r"a|ont|estime|ajoute|précise)\b")
_INCISE = re.compile(r", (?:a |ont |avait |avaient )?([\w']+)(?: ([\w']+))?")
_INFINITIVE_START = {"ne", "avoir", "être", "vouloir", "pouvoir", "devoir"}
# Characters of a cue sentence the parser gets: after an incise's comma; around "selon";
# before a cue verb (its subject) and after it (the clause's first words).
INCISE_REACH = 150
ACCORDING_REACH = 90
SUBJECT_REACH = 120
CLAUSE_REACH = 70
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
        strings = _WORDS.findall(text)  # the words of ``words`` below: findall makes them in C
        if form_set.isdisjoint(strings) and "selon" not in text and "d'après" not in text:
            continue  # most sentences: nothing that reports (one C-level look instead of a loop over words)
        found = False
        for m in _INCISE.finditer(text):
            if m.group(1) in forms or m.group(2) in forms:
                at = sent.start + m.start()
                if at in quoted:
                    continue
                ranges.append((at, min(sent.end, at + INCISE_REACH), False))
                found = True
        words = list(_WORDS.finditer(text))
        for n in [k for k, w in enumerate(strings) if w in form_set or w == "selon" or w.startswith("d'après")]:
            m, w = words[n], strings[n]
            at = sent.start + m.start()
            if at in quoted:
                continue
            if w in ("selon", "d'après") or w.startswith("d'après"):
                ranges.append((max(sent.start, at - 2), min(sent.end, at + ACCORDING_REACH), False))
                found = True
            elif w in forms:
                following = strings[n + 1:n + 6]
                clause = any(f in _QUE or f.startswith("qu'") or f in _INFINITIVE_START or f.startswith("n'")
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
        if final and not any(r.start <= final.start < r.end for r in reps):
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
    for i in [k for k in range(lo, hi) if words[k] in forms or words[k] in _ACCORDING_OPENERS]:
        if win.char_start(i) in quoted:
            continue
        word = words[i]
        if word in _ACCORDING_OPENERS:
            if word != "d'" or (i + 1 < hi and words[i + 1] == "après"):
                rep = _according(win, i, lo, hi, quoted, norm, sent)
                if rep:
                    out.append(rep)
            continue
        cue = cue_at(doc, i)
        if cue:
            rep = _clause_after_cue(win, i, cue, lo, hi, quoted, norm, sent)
            if rep:
                out.append(rep)
    return out


_ACCORDING_OPENERS = frozenset(("selon", "d'après", "d'"))
# Before an active past participle ("a affirmé", "l'a dit", "a ensuite déclaré").
_BEFORE_PARTICIPLE = lexicon.AUXILIARIES | attribution.OBJECT_CLITICS | lexicon.ADVERBS


def _clause_after_cue(win: Window, i: int, cue: tuple[int, str], lo: int, hi: int, quoted, norm: str,
                      sent: Sentence):
    doc = win.doc
    lw = lows(doc)
    end, lemma = cue
    if lemma in lexicon.FACTIVE:
        return None
    # the words first: reading the morphology makes a Token and a MorphAnalysis (3 µs)
    if not lw[i].endswith("ant") and not (i > lo and lw[i - 1] in _BEFORE_PARTICIPLE) \
            and "Part" in doc[i].morph.get("VerbForm"):
        return None  # "Accusé d'avoir…": a passive participle, the clause is not its subject's speech
    j = end
    while j < hi and (lw[j] in ("-t", "-t-") or attribution._clitic(lw[j])):
        j += 1
    if j < hi and lw[j] not in {"ne", "n'"} | _QUE:
        j = attribution.skip_complements(doc, j)
    if j >= hi:
        return None
    word = lw[j]
    if word in _QUE:
        start = j + 1
    elif word in ("ne", "n'") or (doc[j].pos_ in ("VERB", "AUX") and "Inf" in doc[j].morph.get("VerbForm")):
        start = j
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
    if stop <= start:
        return None
    c_start, c_end = win.char_start(start), win.char_end(stop - 1)
    if stop == hi and win.end < sent.end:
        c_end = _trim_end(norm, _clause_end_in_text(norm, win.end, sent.end), c_start)
    if _quotation_only(quoted, c_start, c_end, norm):
        return None  # "a déclaré que «…»", "d'être «…»": a quotation found as such
    subject = attribution.subject_of(win, i, lo)
    if not subject and not lw[i].endswith("ant"):
        return None
    subject = subject or (i, i + 1)
    group = attribution._verb_group_start(doc, i, lo)
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


def _according(win: Window, i: int, lo: int, hi: int, quoted, norm: str, sent: Sentence):
    """ "selon X, clause" (clause after) or "clause, selon X" (clause before)."""
    doc = win.doc
    lw = lows(doc)
    found = attribution.according_at(win, i)
    if not found or not found.subject:
        return None
    # "selon X, ministre de…, clause": the clause starts after the apposition, not inside it
    subj_end = found.role[1] if found.role else found.subject[1]
    at = win.char_start(i)
    comma = norm.rfind(",", sent.start, at)
    if comma >= 0 and not norm[comma + 1:at].strip():
        m = re.match(r"\s*(?:(?:mais|et|or|donc)\b\s*)?", norm[sent.start:comma], re.I)
        c_start, c_end = sent.start + m.end(), _trim_end(norm, comma, sent.start)
        if len(_WORDS.findall(norm[c_start:c_end])) < 4 or _share_quoted(quoted, c_start, c_end, norm) >= 0.6:
            return None
        return Reported(c_start, c_end, found)
    if subj_end < hi and lw[subj_end] == ",":
        start = subj_end + 1
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


def _final_incise(win: Window, sent: Sentence, quoted, norm: str):
    """ "clause, a annoncé X." with the clause mostly outside guillemets (else it is a direct quote)."""
    found = attribution.final_incise(win, max(sent.start, win.base), sent.end, quoted)
    if not found or not found.cue or found.how == "according":
        return None  # "…, selon X": read by _according
    comma = win.char_start(found.cue[0])
    c_end = norm.rfind(",", sent.start, comma)
    if c_end < 0:
        return None
    while c_end > sent.start and norm[c_end - 1].isspace():
        c_end -= 1
    m = re.match(r"\s*(?:(?:mais|et|or|donc)\b\s*)?", norm[sent.start:c_end], re.I)
    c_start = sent.start + m.end()
    if len(_WORDS.findall(norm[c_start:c_end])) < 4:
        return None
    if _share_quoted(quoted, c_start, c_end, norm) >= 0.6:
        return None  # "«…», a dit X" or "X veut «…», a dit Y": the guillemets carry it
    found.how, found.confidence = "indirect-incise", 0.65
    return Reported(c_start, c_end, found)


def _share_quoted(quoted, start: int, end: int, norm: str) -> float:
    inside = sum(max(0, min(b, end) - max(a, start)) for a, b in quoted.overlapping(start, end))
    return inside / (len(norm[start:end].strip()) or 1)
