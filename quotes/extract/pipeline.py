"""The extraction pipeline: plan what to parse, parse it in batches, attribute, resolve.

Only small windows of text go to spaCy: the sentence context on each side of a
quote (not the quote's inner sentences) and the sentences holding a reporting
cue; names elsewhere in the document are found by a cheap scan.
"""
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import attribution, indirect, names
from .attribution import Found, Window
from .normalize import normalize
from .record import Quote
from .segment import Sentence, paragraphs, sentences
from .spans import Span, find_spans, is_not_a_quote
from .speakers import Registry, describe, fold

LEFT_CONTEXT = 300  # characters of a sentence before a quote that go to the parser
RIGHT_CONTEXT = 300  # and after it
QUOTE_EDGE = 160  # characters of the quote itself kept on each side
MAX_WINDOW = 2500  # windows are merged while smaller than this
MAX_PARSE_CHARS = 150_000  # per document: past this, quotes are still found but not attributed
UNUSED_PIPES = ("lemmatizer",)


@dataclass
class Item:
    """One quote span of a document and what is found about it."""

    span: Span
    kind: str = "direct"
    found: Found | None = None
    speaker: str | None = None
    mention: str | None = None
    role: str | None = None
    confidence: float = 0.5


@dataclass
class Plan:
    text: str
    norm: str
    items: list[Item]
    sentences: list[Sentence]
    ranges: list[tuple[int, int]]  # windows to parse
    cue_sentences: list[Sentence] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)

    def window_at(self, pos: int) -> Window | None:
        for win in self.windows:
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


def _quote_kind(norm: str, span: Span, sentence: Sentence) -> str:
    """ "partial" for a quote embedded in running text, "direct" for a quoted sentence."""
    before = norm[sentence.start:span.open].rstrip()
    content = norm[span.start:span.end]
    if not before or before[-1] in ":.!?—–-(»\"”" or (before[-1] == "," and content[:1].isupper()):
        return "direct"
    if before[-1] == "," and len(content.split()) > 8:
        return "direct"
    if not (before[-1].isalnum() or before[-1] in "',"):
        return "direct"
    return "partial"


def make_plan(text: str) -> Plan:
    norm = normalize(text)
    spans = [s for s in find_spans(norm) if not is_not_a_quote(norm, s)]
    sents = sentences(norm, spans)
    starts = [s.start for s in sents]
    paras = paragraphs(norm)
    items, ranges = [], []
    for span in spans:
        k = max(0, bisect_right(starts, span.open) - 1)
        sent = sents[k] if sents else Sentence(0, len(norm), 0)
        k_end = max(0, bisect_right(starts, max(span.after - 1, span.open)) - 1)
        sent_end = sents[k_end] if sents else sent
        items.append(Item(span, _quote_kind(norm, span, sent)))
        left_start = max(sent.start, span.open - LEFT_CONTEXT)
        if not norm[sent.start:span.open].strip() and k > 0:
            # A quote opening its sentence: the sentence before may announce it ("X a déclaré :").
            prev = sents[k - 1]
            if norm[prev.start:prev.end].rstrip().endswith(":") or prev.paragraph == sent.paragraph:
                left_start = max(prev.start, span.open - LEFT_CONTEXT)
        right_end = min(max(sent_end.end, span.after), span.after + RIGHT_CONTEXT)
        if span.end - span.start <= 2 * QUOTE_EDGE:
            ranges.append((_cut_at_space(norm, left_start, False), right_end))
        else:
            ranges.append((left_start, _cut_at_space(norm, span.start + QUOTE_EDGE, True)))
            ranges.append((_cut_at_space(norm, span.end - QUOTE_EDGE, False), right_end))
    quoted = [(s.open, s.after) for s in spans]
    cue_sents = indirect.cue_sentences(norm, sents, quoted)
    for sent in cue_sents:
        ranges.append((sent.start, min(sent.end, sent.start + 1200)))
    del paras
    return Plan(text, norm, items, sents, _merge(ranges), cue_sents)


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1] and max(end, merged[-1][1]) - merged[-1][0] <= MAX_WINDOW:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        elif merged and start < merged[-1][1]:
            merged.append((merged[-1][1], end)) if end > merged[-1][1] else None
        else:
            merged.append((start, end))
    total, kept = 0, []
    for start, end in merged:
        total += end - start
        if total > MAX_PARSE_CHARS:
            break
        kept.append((start, end))
    return kept


def _pipe(nlp, plans: list[Plan], batch_size: int) -> None:
    pieces = [(plan, start, end) for plan in plans for start, end in plan.ranges]
    disabled = [p for p in UNUSED_PIPES if p in nlp.pipe_names]
    with nlp.select_pipes(disable=disabled):
        docs = nlp.pipe((plan.norm[start:end] for plan, start, end in pieces), batch_size=batch_size)
        for (plan, start, _), doc in zip(pieces, docs):
            plan.windows.append(Window(start, doc))


def _attribute(plan: Plan) -> None:
    norm = plan.norm
    quoted = [(it.span.open, it.span.after) for it in plan.items]
    starts = [s.start for s in plan.sentences]
    for item in plan.items:
        span = item.span
        k = max(0, bisect_right(starts, span.open) - 1)
        sent = plan.sentences[k] if plan.sentences else Sentence(0, len(norm), 0)
        found = None
        if span.balanced:
            win = plan.window_at(span.after)
            if win is not None:
                found = attribution.incise_after(win, span.after)
        if found is None:
            win = plan.window_at(span.open)
            if win is not None:
                limit = max(win.base, sent.start)
                if not norm[sent.start:span.open].strip() and k > 0:
                    limit = max(win.base, plan.sentences[k - 1].start)
                found = attribution.cue_before(win, span.open, limit, [q for q in quoted if q[0] != span.open])
        item.found = found


def _resolve(plan: Plan) -> list[Quote]:
    text, norm = plan.text, plan.norm
    registry = Registry()
    names.harvest(norm, registry)
    for win in plan.windows:
        names.harvest_entities(win, registry)
    described = []
    for item in plan.items:
        desc = None
        if item.found and item.found.subject:
            start, end = item.found.subject_span()
            desc = describe(norm[start:end])
            role_span = item.found.role_span()
            if role_span and not desc.role:
                desc.role = norm[role_span[0]:role_span[1]]
            if desc.name and len(desc.name.split()) >= 2:
                registry.add(desc.name, start, desc.gender, desc.role)
        described.append(desc)
    paras = paragraphs(norm)
    para_starts = [p[0] for p in paras]
    recent: list[tuple[int, str]] = []
    quotes: list[Quote] = []
    previous: dict[int, Item] = {}
    for item, desc in zip(plan.items, described):
        span = item.span
        para = max(0, bisect_right(para_starts, span.open) - 1)
        found = item.found
        confidence = found.confidence if found else 0.4
        speaker = mention = role = None
        if desc is not None:
            start, end = found.subject_span()
            mention = text[start:end]
            role = desc.role
            speaker = _resolve_one(desc, registry, span.open, recent)
            if speaker is None and not desc.pronoun:
                speaker = desc.label()
                confidence *= 0.8
        elif para in previous and previous[para].speaker:
            prev = previous[para]
            speaker, mention, role = prev.speaker, prev.mention, prev.role
            confidence = 0.6
        if not span.balanced:
            confidence *= 0.6
        item.speaker, item.mention, item.role, item.confidence = speaker, mention, role, confidence
        if speaker:
            recent.append((span.open, speaker))
            previous[para] = item
    _intertitles(plan, paras)
    for item in plan.items:
        found, span = item.found, item.span
        cue = cue_lemma = None
        if found and found.cue:
            cs, ce = found.cue_span()
            cue, cue_lemma = text[cs:ce], found.cue_lemma
        quotes.append(Quote(text[span.start:span.end], span.start, span.end, item.speaker, item.mention,
                            item.role, cue, cue_lemma, item.kind, round(min(1.0, max(0.0, item.confidence)), 3)))
    quotes.extend(indirect.find(plan, registry, recent))
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _resolve_one(desc, registry: Registry, position: int, recent: list[tuple[int, str]]) -> str | None:
    if desc.pronoun:
        if desc.plural:
            return None
        return registry.by_pronoun(desc.gender, position, recent)
    if desc.name:
        full = registry.full_name(desc.name)
        if desc.role and len(full.split()) >= 2:
            registry.add(full, position, desc.gender, desc.role)
        return full
    if desc.role and not desc.plural:
        return registry.by_role(desc.role, position)
    return None


def _intertitles(plan: Plan, paras: list[tuple[int, int]]) -> None:
    """A paragraph that is only a short quote repeats a quote attributed later: give it that speaker."""
    norm = plan.norm
    for item in plan.items:
        if item.speaker:
            continue
        span = item.span
        para = next((p for p in paras if p[0] <= span.open < p[1]), None)
        if para is None or norm[para[0]:para[1]].strip(" «»\"“”.!?") != norm[span.start:span.end].strip(" .!?"):
            continue
        words = fold(norm[span.start:span.end]).strip(" .!?")
        if len(words.split()) > 25:
            continue
        for other in plan.items:
            if other is item or not other.speaker:
                continue
            if words and words in fold(norm[other.span.start:other.span.end]):
                item.speaker, item.mention, item.role = other.speaker, other.mention, other.role
                item.confidence = 0.55
                break


def run(texts: Iterable[str], nlp, batch_size: int = 32) -> Iterator[list[Quote]]:
    """One list of quotes per input text, in input order."""
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= batch_size:
            yield from _run_batch(batch, nlp, batch_size)
            batch = []
    if batch:
        yield from _run_batch(batch, nlp, batch_size)


def _run_batch(texts: list[str], nlp, batch_size: int) -> Iterator[list[Quote]]:
    plans = [make_plan(text or "") for text in texts]
    _pipe(nlp, plans, batch_size)
    for plan in plans:
        _attribute(plan)
        yield _resolve(plan)

