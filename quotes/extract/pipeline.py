"""The extraction pipeline: plan what to parse, parse it in batches, attribute, resolve.

Only small windows of text go to spaCy: the sentence context on each side of a
quote (not the quote's inner sentences) and the sentences holding a reporting
cue; names elsewhere in the document are found by a cheap scan.
"""
import logging
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from . import attribution, indirect, lexicon, names
from .attribution import Found, Window
from .normalize import normalize
from .record import QuoteRecord
from .segment import Sentence, paragraphs, sentences
from .spans import QuotedRanges, Span, find_spans, is_not_a_quote
from . import speakers
from ..text import fold
from .speakers import Registry, Said, describe

LEFT_CONTEXT = 150  # characters of a sentence before a quote that go to the parser
RIGHT_CONTEXT = 150  # and after it
QUOTE_EDGE = 25  # characters of the quote itself kept on each side (the parser needs to see its edges)
INTERTITLE_REACH = 20  # attributed quotes after an intertitle among which to find the one it repeats
WINDOWS_PER_BATCH = 128  # windows are short: bigger batches than of whole documents (measured ~10 % faster than 32)
MAX_WINDOW = 2500  # windows are merged while smaller than this
MAX_PARSE_CHARS = 150_000  # per document: past this, quotes are still found but not attributed
# Attribution uses tokens, POS, morphology and the dependency parse; names come from
# cheap scans (names.py), so the entity recogniser and the lemmatiser (over half the cost) stay
# off; so does the attribute ruler, which only copies POS to TAG and relabels whitespace tokens
# (no record of the 887-article corpus changes without it, and it cost 8 % of the extraction).
UNUSED_PIPES = ("lemmatizer", "ner", "attribute_ruler")
# Off in the test suite (tests/conftest.py), so that a bug there fails loudly.
FALLBACK_ON_ERROR = True
log = logging.getLogger(__name__)


@dataclass
class Item:
    """One quote span of a document and the construction found for it."""

    span: Span
    kind: str = "direct"
    found: Found | None = None


@dataclass
class Plan:
    text: str
    norm: str
    items: list[Item]
    sentences: list[Sentence]
    ranges: list[tuple[int, int]]  # windows to tag
    needs_parse: list[bool]  # per window: whether attribution will want its dependency parse
    cue_sentences: list[Sentence] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)
    _bases: list[int] = field(default_factory=list)

    def window_at(self, pos: int) -> Window | None:
        """The parsed window holding ``pos`` (windows are sorted and do not overlap)."""
        if len(self._bases) != len(self.windows):
            self._bases = [w.base for w in self.windows]
        k = bisect_right(self._bases, pos) - 1 if self.windows else -1
        for win in self.windows[max(0, k - 1):k + 1]:
            if win.base <= pos <= win.end:
                return win
        return None


def _cut_at_space(text: str, pos: int, forward: bool) -> int:
    step = 1 if forward else -1
    limit = 40
    while 0 < pos < len(text) and limit and not text[pos].isspace():
        pos += step
        limit -= 1
    return pos


def _opens_sentence(norm: str, sentence: Sentence, span: Span) -> bool:
    return span.open - sentence.start < 10 and not norm[sentence.start:span.open].strip()


def _quote_kind(norm: str, span: Span, sentence: Sentence) -> str:
    """ "partial" for a quote embedded in running text, "direct" for a quoted sentence."""
    before = norm[max(sentence.start, span.open - 50):span.open].rstrip()
    content = norm[span.start:span.end]
    if not before or before[-1] in ":.!?—–-(»\"”,":
        return "direct"  # a quoted sentence, or the second half of a split quote ("», a-t-il dit, «…»")
    if not (before[-1].isalnum() or before[-1] in "',"):
        return "direct"
    return "partial"


def make_plan(text: str) -> Plan:
    norm = normalize(text)
    spans = [s for s in find_spans(norm) if not is_not_a_quote(norm, s)]
    sents = sentences(norm, spans)
    starts = [s.start for s in sents]
    quoted = QuotedRanges([(s.open, s.after) for s in spans])
    items, ranges = [], []
    for span in spans:
        k = max(0, bisect_right(starts, span.open) - 1)
        sent = sents[k] if sents else Sentence(0, len(norm), 0)
        k_end = max(0, bisect_right(starts, max(span.after - 1, span.open)) - 1)
        sent_end = sents[k_end] if sents else sent
        items.append(Item(span, _quote_kind(norm, span, sent)))
        left_start = max(sent.start, span.open - LEFT_CONTEXT)
        if _opens_sentence(norm, sent, span) and k > 0:
            # A quote opening its sentence: the sentence before may announce it ("X a déclaré :").
            prev = sents[k - 1]
            if norm[max(prev.start, prev.end - 20):prev.end].rstrip().endswith(":") or prev.paragraph == sent.paragraph:
                left_start = max(prev.start, span.open - LEFT_CONTEXT)
        right_end = min(max(sent_end.end, span.after), span.after + RIGHT_CONTEXT)
        incise = _incise_follows(norm, span)
        if items[-1].kind == "direct" and incise:
            # «…», a-t-il dit: the incise is all attribution needs.
            ranges.append((_cut_at_space(norm, max(span.start, span.end - QUOTE_EDGE), False), right_end, False))
            continue
        # the subject of a cue verb before the quote needs the parse; an incise after it does not
        parse = not incise and _subject_wanted(norm, left_start, span.open, quoted)
        if span.end - span.start <= 2 * QUOTE_EDGE:
            ranges.append((_cut_at_space(norm, left_start, False), right_end, parse))
        else:
            ranges.append((left_start, _cut_at_space(norm, span.start + QUOTE_EDGE, True), parse))
            ranges.append((_cut_at_space(norm, span.end - QUOTE_EDGE, False), right_end, False))
    cue_sents, cue_ranges = indirect.cue_ranges(norm, sents, quoted)
    windows = _merge(ranges + cue_ranges)
    return Plan(text, norm, items, sents, [(a, b) for a, b, _ in windows], [p for _, _, p in windows], cue_sents)


_INCISE_WORDS = re.compile(r"-t-\w+|-\w+|[\w']+")
_WORDS_BEFORE = re.compile(r"[\w'-]+")
_INVERTED = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)$")


def _subject_wanted(norm: str, start: int, end: int, quoted: QuotedRanges) -> bool:
    """Whether ``cue_before`` will likely want the parse for a quote at ``end``: a guess, read on the text.

    It looks for the reporting form nearest the quote (outside quotations); its
    subject comes from the parse unless it is an inverted pronoun ("dit-il",
    "a-t-elle déclaré"), and a "selon X" nearer the quote is taken first. A
    wrong guess costs time only: an unparsed window is parsed when asked.
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


def _incise_follows(norm: str, span: Span) -> bool:
    """A reporting verb or an inverted pronoun within the first words after a closing mark."""
    if not span.balanced:
        return False
    words = _INCISE_WORDS.findall(norm[span.after:span.after + 40].lower())[:4]
    forms = lexicon.form_to_lemmas()
    return any(w in forms or (w.startswith("-") and w.lstrip("-t") in ("il", "elle", "ils", "elles", "on"))
               for w in words)


def _merge(ranges: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Overlapping ranges as one window (up to MAX_WINDOW), which needs the parse if one of them does."""
    merged: list[tuple[int, int, bool]] = []
    for start, end, parse in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1] and max(end, merged[-1][1]) - merged[-1][0] <= MAX_WINDOW:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2] or parse)
        elif merged and start < merged[-1][1]:
            merged.append((merged[-1][1], end, parse)) if end > merged[-1][1] else None
        else:
            merged.append((start, end, parse))
    total, kept = 0, []
    for window in merged:
        total += window[1] - window[0]
        if total > MAX_PARSE_CHARS:
            break
        kept.append(window)
    return kept


def _pipe(nlp, plans: list[Plan]) -> None:
    """Tag every window, then parse in batches the windows that will need it.

    The parser costs about as much as the tagging; incises are read on tags
    alone, so the windows that hold only incises are parsed later only if
    attribution asks for it (``Window.parsed``).
    """
    pieces = [(plan, start, end, parse) for plan in plans for (start, end), parse in zip(plan.ranges, plan.needs_parse)]
    parser = nlp.get_pipe("parser") if "parser" in nlp.pipe_names else None
    disabled = [p for p in (*UNUSED_PIPES, "parser") if p in nlp.pipe_names]
    # pipe(disable=…), not select_pipes: the pipeline is shared by a server's threads, and
    # select_pipes switches components off and on for all of them.
    docs = list(nlp.pipe((plan.norm[start:end] for plan, start, end, _ in pieces), batch_size=WINDOWS_PER_BATCH,
                         disable=disabled))
    if parser is not None:
        for _ in parser.pipe((doc for doc, piece in zip(docs, pieces) if piece[3]), batch_size=WINDOWS_PER_BATCH):
            pass
    for (plan, start, end, parse), doc in zip(pieces, docs):
        doc.user_data["text"] = plan.norm[start:end]  # what doc.text gives, without rebuilding it
        plan.windows.append(Window(start, doc, None if parse else parser))


def _attribute(plan: Plan) -> None:
    """Find the construction of every quote: incise after, a later incise of its sentence, a cue before."""
    norm = plan.norm
    quoted = [(it.span.open, it.span.after) for it in plan.items]
    inside = QuotedRanges(quoted)
    starts = [s.start for s in plan.sentences]

    def sentence_of(pos: int) -> int:
        return max(0, bisect_right(starts, pos) - 1)

    for item in plan.items:
        span = item.span
        if span.balanced:
            win = plan.window_at(span.after)
            if win is not None:
                item.found = attribution.incise_after(win, span.after)
    for n, item in enumerate(plan.items):
        if item.found:
            continue
        span = item.span
        k = sentence_of(span.open)
        # "il «…» et il «…», estime X": the incise after the last quote of the sentence speaks for all.
        for later in plan.items[n + 1:n + 6]:
            if sentence_of(later.span.open) != k:
                break
            if later.found and later.found.how.startswith("incise"):
                item.found = _borrowed(later.found)
                break
        if item.found:
            continue
        win = plan.window_at(span.open)
        if win is None:
            continue
        sent = plan.sentences[k] if plan.sentences else Sentence(0, len(norm), 0)
        limit = max(win.base, sent.start)
        if _opens_sentence(norm, sent, span) and k > 0:
            limit = max(win.base, plan.sentences[k - 1].start)
        nearby = [q for q in quoted[max(0, n - 8):n + 8] if q[0] != span.open]
        item.found = attribution.cue_before(win, span.open, limit, nearby)
        if item.found and item.kind == "partial" and len(norm[span.start:span.end].split()) <= 3 \
                and item.found.cue and not _complement_of_cue(win, item.found, span):
            # A scare quote ("répondre à la «polémique»") is not what the verb reports.
            item.found = None
            continue
        if item.found is None:
            end_win = plan.window_at(min(sent.end, len(norm)) - 1) or win
            item.found = attribution.final_incise(end_win, sent.start, sent.end, inside)


_SCARE_BREAKS = {"à", "au", "aux", "avec", "contre", "sur", "pour", "par", "chez", "vers", "entre", "dans", "en",
                 "sans", "lors", "depuis", "devant", "après", "avant", "face", "malgré", "parmi"}


def _complement_of_cue(win: Window, found: Found, span: Span) -> bool:
    """Whether a short quote is what its cue verb says ("a évoqué des «…»", "juge la situation «…»")."""
    doc, end = win.doc, win.index_at(span.open)
    between = [doc[x] for x in range(found.cue[1], end)]
    if len(between) > 4:
        return False
    for n, t in enumerate(between):
        word = t.text.lower()
        if word in _SCARE_BREAKS or word in ("que", "qu'") or t.pos_ in ("VERB", "AUX"):
            return False  # "demandait que les «gilets jaunes» soient reçus", "répondre à la «polémique»"
        if word in ("de", "d'") and n and between[n - 1].pos_ == "NOUN":
            return False  # "soutenaient l'hypothèse d'une «identité»": a noun's complement
    return True


def _borrowed(found: Found) -> Found:
    return Found(found.window, found.cue, found.cue_lemma, found.subject, found.role, "incise-shared",
                 found.confidence - 0.1)


@dataclass
class Record:
    """A quote or an indirect clause on its way to a ``QuoteRecord``."""

    start: int
    end: int
    kind: str
    found: Found | None
    balanced: bool = True
    span: Span | None = None
    speaker: str | None = None
    mention: str | None = None
    role: str | None = None
    confidence: float = 0.4


def _resolve(plan: Plan) -> list[QuoteRecord]:
    text, norm = plan.text, plan.norm
    quoted = [(it.span.open, it.span.after) for it in plan.items]
    inside = QuotedRanges(quoted)
    registry = Registry()
    names.harvest(norm, registry, quoted)
    records = [Record(it.span.start, it.span.end, it.kind, it.found, it.span.balanced, it.span) for it in plan.items]
    reported = indirect.find(plan.windows, plan.cue_sentences + _quote_sentences(plan), inside, norm)
    records += [Record(r.start, r.end, "indirect", r.found) for r in reported]
    records.sort(key=lambda r: (r.start, r.end))
    described = {}
    for rec in records:
        if rec.found and rec.found.subject:
            start, end = rec.found.subject_span()
            if start in inside:
                rec.found = None  # a "subject" inside a quotation is words of the quote, not its speaker
                continue
            desc = describe(norm[start:end])
            role_span = rec.found.role_span()
            if role_span and not desc.role:
                desc.role = norm[role_span[0]:role_span[1]].strip()
            named = _name_after(norm, end)
            if named and not desc.name and not desc.pronoun and desc.role:
                desc.name = named  # "un avocat du cardinal, Me Jean Félix Luciani"
            if desc.name and len(desc.name.split()) >= 2:
                registry.add(desc.name, start, desc.gender, desc.role)
            elif desc.name and desc.role and len(desc.name.split()) == 1:
                registry.add(registry.canonical(desc.name), start, desc.gender, desc.role)
            described[id(rec)] = desc
    paras = paragraphs(norm)
    para_starts = [p[0] for p in paras]
    sent_starts = [s.start for s in plan.sentences]
    said: list[Said] = []
    last_in_para: dict[int, Record] = {}
    for rec in records:
        para = max(0, bisect_right(para_starts, rec.start) - 1)
        found, desc = rec.found, described.get(id(rec))
        rec.confidence = found.confidence if found else 0.4
        k = max(0, bisect_right(sent_starts, rec.start) - 1)
        if found and found.how == "participle" and said and plan.sentences \
                and said[-1].position >= plan.sentences[k].start:
            # ", accusant X d'être «…»": the speaker of the main clause, an incise earlier in the sentence
            rec.speaker, rec.confidence = said[-1].speaker, 0.75
            rec.mention = rec.role = None
        elif desc is not None:
            start, end = found.subject_span()
            rec.mention = text[start:end]
            rec.role = _as_written(text, norm, desc.role, start, found.role_span() or (start, end))
            rec.speaker = _resolve_one(desc, registry, start, said)
            if rec.speaker is None and not desc.pronoun:
                rec.speaker = desc.label()
                rec.confidence *= 0.8
            if rec.speaker and desc.role and not desc.name and rec.speaker != desc.label():
                registry.add(rec.speaker, start, desc.gender, desc.role)
        elif found and found.how == "narrative" and said:
            rec.speaker = said[-1].speaker  # "Et de conclure : «…»" continues the last speaker
            rec.confidence = 0.7

        elif rec.kind == "direct" and para in last_in_para and last_in_para[para].speaker \
                and last_in_para[para].kind == "direct":
            prev = last_in_para[para]
            rec.speaker, rec.mention, rec.role = prev.speaker, prev.mention, prev.role
            rec.confidence = 0.6
        if not rec.balanced:
            rec.confidence *= 0.5  # closed only by the paragraph end: the span itself is a guess
        if rec.speaker:
            gender = desc.gender if desc is not None else None
            person = registry.people.get(fold(rec.speaker))
            said.append(Said(rec.start, rec.speaker, (person.gender if person else None) or gender,
                             bool(desc is not None and desc.plural), bool(person and person.is_person)))
            if rec.kind != "indirect":
                last_in_para[para] = rec
    _intertitles(norm, [r for r in records if r.kind != "indirect"], paras)
    quotes = []
    for rec in records:
        cue = cue_lemma = None
        if rec.found and rec.found.cue:
            cs, ce = rec.found.cue_span()
            cue, cue_lemma = text[cs:ce], rec.found.cue_lemma
        quotes.append(QuoteRecord(text[rec.start:rec.end], rec.start, rec.end, rec.speaker, rec.mention, rec.role, cue,
                            cue_lemma, rec.kind, round(min(1.0, max(0.0, rec.confidence)), 3)))
    return quotes


_NAME_AFTER = re.compile(r",\s+(?:(?:M\.|Mme|Me|Dr|Pr)\s+)?([A-ZÀ-Þ][\w'-]+(?:\s+(?:de |du |von |van |le |la )?[A-ZÀ-Þ][\w'-]+){1,3})"
                         r"\s*(?=[,.;)]|$)")


def _name_after(norm: str, end: int) -> str | None:
    """ "…, Me Jean Félix Luciani." right after a description: the person it describes."""
    m = _NAME_AFTER.match(norm, end, min(len(norm), end + 80))
    if m and m.group(1).split()[0] in lexicon.first_names():
        return m.group(1)
    return None


def _as_written(text: str, norm: str, role: str | None, start: int, role_span: tuple[int, int]) -> str | None:
    """The role as the original text spells it (’ and spaces included), found near the subject."""
    if not role:
        return None
    lo, hi = min(start, role_span[0]), max(start, role_span[1])
    # the role's characters in order, any spacing between them: compare without the spaces
    kept = [k for k in range(lo, hi) if not norm[k].isspace()]
    wanted = "".join(c for c in role if not c.isspace())
    at = "".join(norm[k] for k in kept).find(wanted) if wanted else -1
    return text[kept[at]:kept[at + len(wanted) - 1] + 1] if at >= 0 else None


def _quote_sentences(plan: Plan) -> list[Sentence]:
    """Sentences holding a guillemet quote: they may report a clause too ("X a affirmé qu'il «…»")."""
    starts = [s.start for s in plan.sentences]
    out = {}
    for item in plan.items:
        k = max(0, bisect_right(starts, item.span.open) - 1)
        if plan.sentences:
            out[k] = plan.sentences[k]
    return list(out.values())


def _resolve_one(desc, registry: Registry, position: int, said: list[Said]) -> str | None:
    if desc.pronoun in speakers.IMPERSONAL:
        return None
    if desc.pronoun:
        return registry.by_pronoun(desc.gender, desc.plural, position, said)
    if desc.name:
        return registry.canonical(desc.name)
    if desc.role and not desc.plural and _names_a_role(desc.role):
        return registry.by_role(desc.role, position, desc.definite, desc.gender, said)
    return None


def _names_a_role(role: str) -> bool:
    """ "le chef de l'OTAN", "l'élu": a role; "son entourage", "le journal": not a person's role."""
    head = role.replace("'", " ").split()[0].lower()
    return head in lexicon.role_words() or fold(head) in _folded_role_words()


@lru_cache(maxsize=1)
def _folded_role_words() -> frozenset[str]:
    return frozenset(fold(w) for w in lexicon.role_words())


def _intertitles(norm: str, records: list[Record], paras: list[tuple[int, int]]) -> None:
    """A paragraph that is only a short quote repeats a quote attributed later: give it that speaker."""
    starts = [p[0] for p in paras]
    attributed = [r for r in records if r.speaker]
    attributed_starts = [r.start for r in attributed]
    for rec in records:
        if rec.speaker:
            continue
        k = bisect_right(starts, rec.start) - 1
        para = paras[k] if k >= 0 and rec.start < paras[k][1] else None
        if para is None or para[1] - para[0] > 300 or norm[para[0]:para[1]].strip(" «»\"“”.!?") != norm[rec.start:rec.end].strip(" .!?"):
            continue
        words = fold(norm[rec.start:rec.end]).strip(" .!?")
        if not words or len(words.split()) > 25:
            continue
        # the quote it repeats is attributed a little further on (or, less often, just before)
        k = bisect_right(attributed_starts, rec.start)
        for other in attributed[k:k + INTERTITLE_REACH] + attributed[max(0, k - 5):k]:
            if words in fold(norm[other.start:other.end]):
                rec.speaker, rec.mention, rec.role = other.speaker, other.mention, other.role
                rec.confidence = 0.55
                break


def run(texts: Iterable[str], nlp, batch_size: int = 32) -> Iterator[list[QuoteRecord]]:
    """One list of quotes per input text, in input order."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= batch_size:
            yield from _run_batch(batch, nlp)
            batch = []
    if batch:
        yield from _run_batch(batch, nlp)


def _run_batch(texts: list[str], nlp) -> Iterator[list[QuoteRecord]]:
    plans = [make_plan(text or "") for text in texts]
    _pipe(nlp, plans)
    for plan in plans:
        try:
            _attribute(plan)
            yield _resolve(plan)
        except Exception:
            if not FALLBACK_ON_ERROR:
                raise
            # One odd document must not stop a bulk ingest or fail a request: keep its
            # quotations, unattributed and flagged by a low confidence, and log the bug.
            log.exception("attribution failed on a %d-character text; quotes kept without speakers", len(plan.text))
            yield _unattributed(plan)


def _unattributed(plan: Plan) -> list[QuoteRecord]:
    return [
        QuoteRecord(plan.text[it.span.start:it.span.end], it.span.start, it.span.end, type=it.kind,
              confidence=0.2 if it.span.balanced else 0.1)
        for it in plan.items
    ]
