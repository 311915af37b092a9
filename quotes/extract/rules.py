"""The attribution rules: each French construction that ties a quote to its speaker, one named rule each.

A rule says which characters around a quote it reads (``needs``: text ranges,
and whether it wants their dependency parse, so that the planner tags and
parses only those) and ``match``es one quote, returning a frozen
``Attribution``: the cue, the speaker mention as character spans, or a link to
another quote's speaker. Rules know nothing of names: the entity model resolves
the mention afterwards (``resolve.py``), so every rule's answer goes through one
resolution with one kind of evidence.

The rules, in the order the pipeline tries them for a quote:

- ``incise``: «…», a déclaré X / «…», a-t-il dit / «…», selon X / «…» : X annonce
- ``inner-incise``: «Rien n'est joué, a reconnu X. Mais nous y croyons» (the part after an incise in the marks)
- ``cue-before``: X a déclaré : «…» / X a évoqué des «…» (a partial quote complements the verb)
- ``according-to``: selon X, «…»
- ``participle``: …, accusant l'Alliance d'être «…» (the speaker of the main clause)
- ``narrative``: Et de conclure : «…» (the speaker already talking)
- ``speaker-colon``: Sandrine Rousseau : «…»
- ``final-incise``: «…» et «…», estime X. (closing the sentence)
- ``shared-incise``: il «…» et il «…», estime X (the later quote's incise)
- ``continuation``: a quote with no cue after a quote of the same paragraph or a paragraph just before
- ``intertitle``: a paragraph that only repeats a quote attributed near it

After resolution (``resolve.py``), ``main-speaker`` gives a quoted sentence no rule matched to the
person an interview-like article quotes for nearly everything, at a low confidence.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from . import attribution, lexicon
from .attribution import Found, Window, lows
from .segment import Sentence
from .spans import QuotedRanges, Span

LEFT_CONTEXT = 150  # characters of a sentence before a quote that go to the tagger
RIGHT_CONTEXT = 150  # and after it
QUOTE_EDGE = 25  # characters of the quote itself kept on each side (the parser needs to see its edges)
INTERTITLE_REACH = 20  # attributed quotes after an intertitle among which to find the one it repeats
TITLE_LINE = 120  # characters of a title line that may hold a quote repeated from the article
CONTINUATION_GAP = 400  # characters of narration between two quotes beyond which a quote does not continue the first


@dataclass(frozen=True)
class Need:
    """Characters a rule reads, and whether it wants their dependency parse."""

    start: int
    end: int
    parse: bool = False


@dataclass(frozen=True)
class Attribution:
    """What a rule found for one quote; offsets index the normalised text (the original's too)."""

    rule: str
    cue: tuple[int, int] | None = None
    cue_lemma: str | None = None
    mention: tuple[int, int] | None = None  # the speaker as written
    role: tuple[int, int] | None = None  # an apposition after the mention (", porte-parole de…")
    confidence: float = 0.8
    link: int | None = None  # the start of another quote whose speaker this one takes
    anchor: int = 0  # where the construction sits: the nearest to the quote wins among rules before it
    elided: int | None = None  # no subject written: it is the one of the clause ending here ("Mais assure que…")

    @property
    def empty(self) -> bool:
        """A cue found without a speaker: it stops the search for a cue further away, names nobody."""
        return self.mention is None and self.link is None and self.elided is None


@dataclass
class Item:
    """One quote span of a document, its sentence and, once matched, its attribution."""

    span: Span
    kind: str  # "direct" (a quoted sentence) or "partial" (words inside a sentence)
    sentence: int
    attribution: Attribution | None = None
    follows: int | None = None  # the index of the part before it, when an incise inside the marks cut the quote


def _attribution(rule: str, found: Found, confidence: float | None = None, link: int | None = None) -> Attribution:
    return Attribution(rule, found.cue_span(), found.cue_lemma, found.subject_span(), found.role_span(),
                       found.confidence if confidence is None else confidence, link,
                       found.window.char_start(found.cue[0]) if found.cue else found.window.char_start(
                           found.subject[0]))


class Document:
    """What the rules read: the normalised text, its sentences, quotes and tagged windows."""

    def __init__(self, norm: str, sentences: list[Sentence], items: list[Item]):
        self.norm = norm
        self.sentences = sentences
        self.items = items
        self.starts = [s.start for s in sentences]
        self.windows: list[Window] = []
        self._bases: list[int] = []
        self.quoted = [(it.span.open, it.span.after) for it in items]
        self._inside: QuotedRanges | None = None
        self._before_needs: dict[int, list[Need]] = {}
        self.cache: dict = {}  # what several rules look for around one quote, found once

    @property
    def inside(self) -> QuotedRanges:
        """The quotations' ranges, for "is this position inside a quote" questions."""
        if self._inside is None or len(self._inside.ranges) != len(self.quoted):
            self._inside = QuotedRanges(self.quoted)
        return self._inside

    def sentence_of(self, pos: int) -> int:
        return max(0, bisect_right(self.starts, pos) - 1)

    def sentence(self, k: int) -> Sentence:
        return self.sentences[k] if self.sentences else Sentence(0, len(self.norm), 0)

    def window_at(self, pos: int) -> Window | None:
        """The tagged window holding ``pos`` (windows are sorted and do not overlap)."""
        if len(self._bases) != len(self.windows):
            self._bases = [w.base for w in self.windows]
        k = bisect_right(self._bases, pos) - 1 if self.windows else -1
        for win in self.windows[max(0, k - 1):k + 1]:
            if win.base <= pos <= win.end:
                return win
        return None

    def left_start(self, item: Item) -> int:
        """Where the context before a quote starts: its sentence, or the one before for a quote opening its own."""
        span, k = item.span, item.sentence
        sent = self.sentence(k)
        start = max(sent.start, span.open - LEFT_CONTEXT)
        if self.announced(item):
            prev = self.sentences[k - 1]
            start = max(prev.start, span.open - LEFT_CONTEXT)
        return start

    def announced(self, item: Item) -> bool:
        """A quote opening its sentence right after a sentence ending with a colon ("Il a ajouté :")."""
        k = item.sentence
        if k == 0 or not opens_sentence(self.norm, self.sentence(k), item.span):
            return False
        prev = self.sentences[k - 1]
        return self.norm[max(prev.start, prev.end - 20):prev.end].rstrip().endswith(":")

    def right_end(self, item: Item) -> int:
        span = item.span
        k_end = self.sentence_of(max(span.after - 1, span.open))
        return min(max(self.sentence(k_end).end, span.after), span.after + RIGHT_CONTEXT)

    def cue_limit(self, item: Item, win: Window) -> int:
        """How far back before a quote a cue may stand: its sentence (or the one before, for a quote opening one)."""
        k = item.sentence
        limit = max(win.base, self.sentence(k).start)
        if self.announced(item):
            limit = max(win.base, self.sentences[k - 1].start)
        return limit

    def nearby_quotes(self, n: int) -> list[tuple[int, int]]:
        span = self.items[n].span
        return [q for q in self.quoted[max(0, n - 8):n + 8] if q[0] != span.open]


def opens_sentence(norm: str, sentence: Sentence, span: Span) -> bool:
    return span.open - sentence.start < 10 and not norm[sentence.start:span.open].strip()


def cut_at_space(text: str, pos: int, forward: bool) -> int:
    step, limit = (1 if forward else -1), 40
    while 0 < pos < len(text) and limit and not text[pos].isspace():
        pos += step
        limit -= 1
    return pos


_NEW_SENTENCE_AFTER = re.compile(r"\s*[A-ZÀ-ÖØ-Þ]")
_INCISE_WORDS = re.compile(r"-t-\w+|-\w+|[\w']+")
_WORDS_BEFORE = re.compile(r"[\w'-]+")
_INVERTED = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)$")


def incise_follows(norm: str, span: Span) -> bool:
    """A reporting verb or an inverted pronoun within the first words after a closing mark."""
    if not span.balanced:
        return False
    if _NEW_SENTENCE_AFTER.match(norm, span.after) and norm[span.start:span.end].rstrip()[-1:] in ".!?…":
        return False  # «Tout a brûlé.» La SNCF a assuré …: the next sentence, not an incise
    words = _INCISE_WORDS.findall(norm[span.after:span.after + 40].lower())[:4]
    forms = lexicon.form_to_lemmas()
    return any(w in forms or (w.startswith("-") and w.lstrip("-t") in ("il", "elle", "ils", "elles", "on"))
               for w in words)


def subject_wanted(norm: str, start: int, end: int, quoted) -> bool:
    """Whether the reporting form nearest before ``end`` (outside quotations) will want a parsed subject.

    Not for an inverted pronoun ("dit-il", "a-t-elle déclaré"), nor when a
    "selon X" stands nearer. A guess read on the text: a wrong one costs time
    only, since a window left unparsed is parsed when a rule asks.
    """
    words = [m for m in _WORDS_BEFORE.finditer(norm[start:end].lower()) if start + m.start() not in quoted]
    forms = lexicon.reporting_forms()
    for n in range(len(words) - 1, -1, -1):
        word = words[n].group()
        if word in ("selon", "d'après"):
            return False
        head = word.split("-")[0]
        if head in forms or word in forms:
            near = [w.group() for w in words[max(0, n - 2):n + 2]]
            return not any(_INVERTED.search(w) for w in near)
    return False


class Rule:
    """A construction: its name, the characters it reads, and how it matches a quote."""

    name = ""
    linked = False  # reads the attributions of other quotes (runs after the local rules)
    before = False  # stands before the quote: among such rules the nearest construction wins

    def needs(self, doc: Document, n: int) -> list[Need]:
        return []

    def match(self, doc: Document, n: int) -> Attribution | None:
        raise NotImplementedError


class Incise(Rule):
    """«…», a déclaré X / «…», a-t-il dit / «…», a souligné à Moscou le porte-parole X / «…», selon X."""

    name = "incise"

    def needs(self, doc, n):
        item = doc.items[n]
        span = item.span
        right = doc.right_end(item)
        if item.kind == "direct" and incise_follows(doc.norm, span):
            return [Need(cut_at_space(doc.norm, max(span.start, span.end - QUOTE_EDGE), False), right)]
        if span.end - span.start <= 2 * QUOTE_EDGE:
            return [Need(cut_at_space(doc.norm, doc.left_start(item), False), right)]
        return [Need(cut_at_space(doc.norm, span.end - QUOTE_EDGE, False), right)]

    def match(self, doc, n):
        span = doc.items[n].span
        if not span.balanced:
            return None
        win = doc.window_at(span.after)
        if win is None:
            return None
        found = attribution.incise_after(win, span.after) or attribution.speaker_after_colon(win, span.after)
        if found is None:
            return None
        rule = "according-to" if found.how == "according" else self.name
        return _attribution(rule, found)


class _BeforeRule(Rule):
    """A construction standing before the quote, in its sentence (or the one before, for a quote opening its own)."""

    before = True

    def needs(self, doc, n):
        # the same characters for every rule before the quote: worked out once
        if n not in doc._before_needs:
            doc._before_needs[n] = self._needs(doc, n)
        return doc._before_needs[n]

    @staticmethod
    def _needs(doc: Document, n: int) -> list[Need]:
        item = doc.items[n]
        span = item.span
        if item.kind == "direct" and incise_follows(doc.norm, span):
            return []
        left = doc.left_start(item)
        parse = subject_wanted(doc.norm, left, span.open, doc.inside)
        if span.end - span.start <= 2 * QUOTE_EDGE:
            return [Need(cut_at_space(doc.norm, left, False), doc.right_end(item), parse)]
        return [Need(left, cut_at_space(doc.norm, span.start + QUOTE_EDGE, True), parse)]

    def match(self, doc, n):
        scanned = self.scan(doc, n)
        return None if scanned is None else self.read(doc, n, scanned)

    def read(self, doc: Document, n: int, scanned) -> Attribution | None:
        """The construction for quote ``n``, given its window, first token and lowest cue token (``scanned``)."""
        raise NotImplementedError

    def scan(self, doc: Document, n: int):
        """The window, the quote's first token index and the lowest index a cue may have, or None."""
        key = ("scan", n)  # the same for every rule before the quote: worked out once
        if key not in doc.cache:
            doc.cache[key] = self._scan(doc, n)
        return doc.cache[key]

    @staticmethod
    def _scan(doc: Document, n: int):
        span = doc.items[n].span
        win = doc.window_at(span.open)
        if win is None:
            return None
        return win, win.index_at(span.open), win.index_at(doc.cue_limit(doc.items[n], win))

    @staticmethod
    def nearest_cue(doc: Document, n: int, scanned):
        """The cue nearest before quote ``n`` (looked for once, whichever rule asks first)."""
        key = ("cue", n)
        if key not in doc.cache:
            win, i, lo = scanned
            doc.cache[key] = attribution.nearest_cue(win, i, lo, doc.nearby_quotes(n))
        return doc.cache[key]

    @staticmethod
    def according_before(doc: Document, n: int, scanned):
        """The "selon X" nearest before quote ``n`` (looked for once)."""
        key = ("according", n)
        if key not in doc.cache:
            win, i, lo = scanned
            doc.cache[key] = attribution.according_before(win, i, lo, doc.nearby_quotes(n), doc.items[n].span.open)
        return doc.cache[key]


class CueBefore(_BeforeRule):
    """X a déclaré : «…» / X a évoqué des «…» / Il juge la situation «…»: the subject of a reporting verb."""

    name = "cue-before"

    def read(self, doc, n, scanned):
        win, i, lo = scanned
        cue = self.nearest_cue(doc, n, scanned)
        if cue is None or attribution.is_narrative(win, cue[0], lo) or attribution.is_participle(win, cue[0], lo):
            return None
        found = attribution.verb_before(win, cue, lo)
        if found is None:
            at = win.char_start(cue[0])
            sentence_start = doc.sentence(doc.items[n].sentence).start
            # "Il propose un débat. Mais assure qu'il n'y aura «…»": the subject before (the window must hold
            # the sentence's start, or "Roger sourit, et répondit" would look like "et répondit")
            elided = sentence_start if sentence_start >= win.base and attribution.opens_without_subject(
                win, cue[0], win.index_at(sentence_start)) else None
            return Attribution(self.name, (at, win.char_end(cue[1][0] - 1)), cue[1][1],
                               confidence=0.6 if elided is not None else 0.3, anchor=at, elided=elided)
        item = doc.items[n]
        if item.kind == "partial" and len(doc.norm[item.span.start:item.span.end].split()) <= 3 \
                and not attribution.complement_of_cue(win, found, item.span.open):
            return None  # a scare quote ("répondre à la «polémique»") is not what the verb reports
        return _attribution(self.name, found)


class AccordingTo(_BeforeRule):
    """selon X, «…» / d'après X, «…» / pour X, «…»."""

    name = "according-to"

    def read(self, doc, n, scanned):
        found = self.according_before(doc, n, scanned)
        return _attribution(self.name, found) if found else None


class Participle(_BeforeRule):
    """…, accusant l'Alliance d'être «…»: the participle takes the subject of its main clause."""

    name = "participle"

    def read(self, doc, n, scanned):
        win, i, lo = scanned
        cue = self.nearest_cue(doc, n, scanned)
        if cue is None or not attribution.is_participle(win, cue[0], lo):
            return None
        at = win.char_start(cue[0])
        cue_span = (at, win.char_end(cue[1][0] - 1))
        # the speaker of a quote earlier in the sentence (often the inverted subject of an incise the parse misses)
        sent = doc.sentence(doc.items[n].sentence)
        for m in range(n - 1, -1, -1):
            other = doc.items[m]
            if other.span.open < sent.start:
                break
            if other.attribution and not other.attribution.empty:
                return Attribution(self.name, cue_span, cue[1][1], link=other.span.start, confidence=0.75, anchor=at)
        subject = attribution.subject_of(win, cue[0], lo)
        if subject is None:
            return Attribution(self.name, cue_span, cue[1][1], confidence=0.3, anchor=at)
        return Attribution(self.name, cue_span, cue[1][1], (win.char_start(subject[0]), win.char_end(subject[1] - 1)),
                           confidence=0.75, anchor=at)


class Narrative(_BeforeRule):
    """Et de conclure : «…»: a narrative infinitive, whose speaker is the one already talking."""

    name = "narrative"

    def read(self, doc, n, scanned):
        win, i, lo = scanned
        cue = self.nearest_cue(doc, n, scanned)
        if cue is None or not attribution.is_narrative(win, cue[0], lo):
            return None
        previous = _previous_attributed(doc, n)
        at = win.char_start(cue[0] - 2)
        return Attribution(self.name, (at, win.char_end(cue[1][0] - 1)), cue[1][1], confidence=0.7,
                           link=previous.span.start if previous else None, anchor=at)


class SpeakerColon(_BeforeRule):
    """Sandrine Rousseau : «…»: a speaker alone before a colon, opening the sentence; no verb at all."""

    name = "speaker-colon"

    def read(self, doc, n, scanned):
        win, i, lo = scanned
        skip = doc.nearby_quotes(n)
        if self.nearest_cue(doc, n, scanned) is not None:
            return None
        if self.according_before(doc, n, scanned) is not None:
            return None
        found = attribution.colon_before(win, i, lo, skip)
        return _attribution(self.name, found) if found else None


class FinalIncise(Rule):
    """ "…, regrette l'ONG Bloom." closing the sentence that holds a quote."""

    name = "final-incise"

    def match(self, doc, n):
        item = doc.items[n]
        sent = doc.sentence(item.sentence)
        win = doc.window_at(min(sent.end, len(doc.norm)) - 1) or doc.window_at(item.span.open)
        if win is None:
            return None
        found = attribution.final_incise(win, sent.start, sent.end, doc.inside)
        if found is None:
            return None
        return _attribution("according-to" if found.how == "according" else self.name, found)


class ClauseSubject(_BeforeRule):
    """Jacques Toubon a demandé la suspension des LBD en raison de leur «dangerosité» / Il les appelait «…»:
    words quoted inside a clause (or after its colon) with no reporting verb of their own are its subject's.

    Tried after every construction with a cue; a passive clause gives its agent
    ("estimée par la maire Anne Hidalgo à «…»"), and a subject that names
    nobody ("le texte", "la situation") gives nothing.
    """

    name = "clause-subject"
    before = False

    def needs(self, doc, n):
        # tags find the clause's verb; its subject is parsed on demand (few quotes get this far)
        item = doc.items[n]
        if item.kind == "direct" and not _after_colon(doc, item):
            return []
        return super().needs(doc, n)

    def match(self, doc, n):
        item = doc.items[n]
        if item.kind == "direct" and not _after_colon(doc, item) or item.attribution is not None:
            return None  # a cue found without its speaker: no guess from another clause
        scanned = self.scan(doc, n)
        if scanned is None:
            return None
        win, i, lo = scanned
        lo = max(lo, win.index_at(doc.sentence(item.sentence).start))
        verb = attribution.clause_verb(win, i, lo, doc.nearby_quotes(n))
        if verb is None:
            return None
        if attribution.passive(win.doc, verb):
            subject = attribution.agent_after(win, verb, i)
        else:
            subject = attribution.subject_of(win, verb, lo)
        if subject is None:
            return None
        at = win.char_start(verb)
        return Attribution(self.name, None, None, (win.char_start(subject[0]), win.char_end(subject[1] - 1)),
                           attribution.apposition(win.doc, subject[1]), confidence=0.6, anchor=at)


def _after_colon(doc: Document, item: Item) -> bool:
    """A quote right after a colon that closes a clause of its sentence ("X met en garde : «…»")."""
    before = doc.norm[doc.sentence(item.sentence).start:item.span.open].rstrip()
    return before.endswith(":") and len(before.split()) >= 3


class InnerIncise(Rule):
    """«Rien n'est joué, a reconnu X. Mais nous y croyons»: the part after an incise inside the marks."""

    name = "inner-incise"
    linked = True

    def match(self, doc, n):
        follows = doc.items[n].follows
        if follows is None:
            return None
        before = doc.items[follows]
        a = before.attribution
        if a is None or a.empty:
            return None
        return Attribution(self.name, a.cue, a.cue_lemma, confidence=a.confidence - 0.05, link=before.span.start)


class SharedIncise(Rule):
    """Il «…» et il «…», estime X: the incise after the last quote of a sentence speaks for all of them."""

    name = "shared-incise"
    linked = True

    def match(self, doc, n):
        item = doc.items[n]
        for later in doc.items[n + 1:n + 6]:
            if later.sentence != item.sentence:
                break
            a = later.attribution
            if a and a.rule in (Incise.name, FinalIncise.name) and not a.empty:
                return Attribution(self.name, a.cue, a.cue_lemma, confidence=a.confidence - 0.1,
                                   link=later.span.start)
        return None


class Continuation(Rule):
    """A quote with no cue of its own goes on with the speaker of the quote just before it.

    A quoted sentence does in its paragraph (after at most a short lead:
    "Par exemple, «…»", "Peu impressionné : «…»") or alone in the next one;
    words quoted inside a sentence only in the same paragraph. Narration that
    puts someone else forward in between stops it (checked on resolution).
    """

    name = "continuation"
    linked = True

    def match(self, doc, n):
        item = doc.items[n]
        if n == 0:
            return None
        if item.span.marks == "—":
            return None  # a dialogue turn (dialogue.py) does not continue the turn before: turns alternate
        previous = doc.items[n - 1]
        if previous.attribution is None or previous.attribution.empty:
            return None  # an unattributed quote just before: nothing to continue
        prev_para = doc.sentence(previous.sentence).paragraph
        para = doc.sentence(item.sentence).paragraph
        between = doc.norm[previous.span.after:item.span.open]
        if item.kind == "direct" and _SPLIT_QUOTE.fullmatch(between):
            return Attribution(self.name, confidence=0.7, link=previous.span.start)  # «…», a-t-il dit, «…»
        if len(between) > CONTINUATION_GAP:
            return None
        if item.kind == "partial":
            if para != prev_para:
                return None
            return Attribution(self.name, confidence=0.5, link=previous.span.start)
        lead = doc.norm[doc.sentence(item.sentence).start:item.span.open].strip()
        if lead and not _short_lead(lead):
            return None  # introduced by its own sentence ("… retrouvé sur un portable : «…»")
        if para == prev_para:
            confidence = 0.55 if lead else 0.65
        elif para == prev_para + 1 and _only_quote_paragraph(doc, item):
            confidence = 0.55
        else:
            return None
        return Attribution(self.name, confidence=confidence, link=previous.span.start)


def _short_lead(lead: str) -> bool:
    """A few words before a quote that introduce nobody: "Par exemple,", "Peu impressionné :"."""
    words = lead.rstrip(",: ").split()
    return lead[-1:] in ",:" and len(words) <= 4 and not any(
        w.lower() in lexicon.reporting_forms() or w[:1].isupper() and k for k, w in enumerate(words))


# Between the halves of a quote cut by its incise: ", a-t-il dit, " (the incise belongs to the first half).
_SPLIT_QUOTE = re.compile(r"\s*[,;]?\s*[^«»\n.!?]{1,80}?,\s*")


class Intertitle(Rule):
    """A paragraph that is only a short quote repeats a quote attributed near it: the same speaker."""

    name = "intertitle"
    linked = True

    def match(self, doc, n):
        item = doc.items[n]
        para = _paragraph_of(doc, item)
        norm = doc.norm
        if para is None or para[1] - para[0] > 300:
            return None
        alone = norm[para[0]:para[1]].strip(" «»\"“”.!?") == norm[item.span.start:item.span.end].strip(" .!?")
        # or a title line around the quote ("«Rôle dans l'atteinte de l'intégrité» de l'Ukraine"): short, no full stop
        line = norm[para[0]:para[1]].strip()
        titled = not alone and len(line) <= TITLE_LINE and "\n" not in line and not _SENTENCE_MARK.search(line) \
            and not line.startswith(("—", "–", "-"))  # a phrase, not a sentence nor a line of dialogue
        if not (alone or titled):
            return None
        words = _folded_words(norm[item.span.start:item.span.end])
        if not words or len(words.split()) > 25 or titled and len(words.split()) < 2:
            return None
        def repeated(it: Item) -> bool:
            return it.attribution is not None and not it.attribution.empty and it.attribution.rule != self.name

        # the quote it repeats is attributed a little further on (or, less often, just before)
        later = [it for it in doc.items[n + 1:n + 1 + 3 * INTERTITLE_REACH] if repeated(it)][:INTERTITLE_REACH]
        earlier = [it for it in doc.items[max(0, n - 15):n] if repeated(it)][-5:]
        for other in later + earlier[::-1]:
            repeated_words = _folded_words(norm[other.span.start:other.span.end])
            if words in repeated_words or titled and _mostly_in(words, repeated_words):
                return Attribution(self.name, confidence=0.55 if alone else 0.5, link=other.span.start)
        return None


# The order the pipeline tries the rules in: stage by stage (a stage sees what the stages before it found), each
# quote in text order taking the first rule of the stage that matches; a tuple is one choice among the
# constructions before the quote, the nearest winning.
STAGES: tuple[tuple[Rule | tuple[Rule, ...], ...], ...] = (
    (Incise(),),
    (InnerIncise(), SharedIncise(), (CueBefore(), AccordingTo(), Participle(), Narrative(), SpeakerColon()), FinalIncise(),
     ClauseSubject()),
    (Continuation(),),
    (Intertitle(),),
)


def _previous_attributed(doc: Document, n: int, direct_only: bool = False) -> Item | None:
    for m in range(n - 1, -1, -1):
        other = doc.items[m]
        if direct_only and other.kind != "direct":
            continue
        if other.attribution is not None and not other.attribution.empty:
            return other
        if direct_only:
            return None  # an unattributed quote in between: nothing to continue
    return None


def _only_quote_paragraph(doc: Document, item: Item) -> bool:
    para = _paragraph_of(doc, item)
    return para is not None and doc.norm[para[0]:item.span.open].strip() == ""


def _paragraph_of(doc: Document, item: Item) -> tuple[int, int] | None:
    if not doc.sentences:
        return (0, len(doc.norm))
    bounds = doc.cache.get("paragraphs")
    if bounds is None:
        # worked out once: walking a long paragraph's sentences for each quote in it is quadratic
        bounds = {}
        for sent in doc.sentences:
            start, _ = bounds.get(sent.paragraph, (sent.start, sent.end))
            bounds[sent.paragraph] = (start, sent.end)
        doc.cache["paragraphs"] = bounds
    return bounds[doc.sentences[item.sentence].paragraph]


_SENTENCE_MARK = re.compile(r"[.!?…](?:\s|»|$)")


def _mostly_in(words: str, other: str) -> bool:
    """Whether three quarters of the words a title quotes (trimmed by the editor) are in another quote."""
    wanted, known = words.split(), set(other.split())
    return sum(w in known for w in wanted) >= 0.75 * len(wanted)


def _folded_words(text: str) -> str:
    from ..text import fold
    return fold(text).strip(" .!?")
