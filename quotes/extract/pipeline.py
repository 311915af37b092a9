"""The extraction pipeline: plan what to tag, tag it in batches, match the rules, resolve the speakers.

Only small windows of text go to spaCy: the characters each attribution rule
says it reads around each quote (``rules.Rule.needs``) and the sentences
holding a reporting cue for indirect speech; the people and organisations of
the whole document come from cheap scans (``entities.py``).
"""
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from . import dialogue, indirect
from .attribution import Window
from .entities import EntityModel
from .normalize import normalized
from .record import QuoteRecord
from .resolve import Pending, resolve_all
from .rules import STAGES, Attribution, Document, Item, Need, Rule, _attribution
from .segment import Sentence, sentences
from .spans import QuotedRanges, Span, find_spans, is_not_a_quote, quoted_terms, split_at_incises

WINDOWS_PER_BATCH = 128  # windows are short: bigger batches than of whole documents (measured ~10 % faster than 32)
MAX_WINDOW = 2500  # windows are merged while smaller than this
MAX_PARSE_CHARS = 150_000  # per document: past this, quotes are still found but not attributed
# Attribution uses tokens, POS, morphology and the dependency parse; names come from
# cheap scans (entities.py), so the entity recogniser and the lemmatiser (over half the cost) stay
# off; so does the attribute ruler, which only copies POS to TAG and relabels whitespace tokens.
UNUSED_PIPES = ("lemmatizer", "ner", "attribute_ruler")

# Indirect speech: the construction the clause scanner found → the rule name in the evidence.
_INDIRECT_RULES = {"indirect": "indirect-clause", "participle": "indirect-participle", "according": "according-to",
                   "indirect-incise": "indirect-incise", "incise-final": "indirect-incise", "comme": "indirect-comme"}


_STAGES = dialogue.with_dialogue(STAGES)  # the dialogue incise reads only dash lines: news is untouched


@dataclass
class Plan:
    text: str
    norm: str
    doc: Document
    ranges: list[tuple[int, int]]  # windows to tag
    needs_parse: list[bool]  # per window: whether attribution will want its dependency parse
    cue_sentences: list[Sentence] = field(default_factory=list)
    original: Callable[[int], int] = lambda pos: pos  # a copy offset → the text's offset
    turns: list[tuple[int, int]] = field(default_factory=list)  # paragraphs opening with a dash (dialogue.py)

    @property
    def items(self) -> list[Item]:
        return self.doc.items

    @property
    def windows(self) -> list[Window]:
        return self.doc.windows


def _quote_kind(norm: str, span: Span, sentence: Sentence) -> str:
    """ "partial" for a quote embedded in running text, "direct" for a quoted sentence."""
    before = norm[max(sentence.start, span.open - 50):span.open].rstrip()
    if not before or before[-1] in ":.!?—–-(»\"”,":
        return "direct"  # a quoted sentence, or the second half of a split quote ("», a-t-il dit, «…»")
    if not (before[-1].isalnum() or before[-1] in "',"):
        return "direct"
    return "partial"


def make_plan(text: str) -> Plan:
    normed = normalized(text)
    norm = normed.text
    spans = [s for s in find_spans(norm) if not is_not_a_quote(norm, s)]
    terms = quoted_terms(norm, spans)
    # --- dialogue (dialogue.py): dash lines are quotes too; guillemets inside a turn are part of it
    lines = dialogue.dash_lines(norm)
    turns = dialogue.turn_paragraphs(norm, lines)
    parts = split_at_incises(norm, [s for s in spans if s.open not in terms], past_commas=bool(turns))
    if lines:
        kept = {s.open for s in dialogue.merge_spans([span for span, _ in parts], lines)}
        before = [(span, parts[previous][0] if previous is not None else None) for span, previous in parts
                  if span.open in kept]
        ordered = sorted(before + [(line.span(), None) for line in lines], key=lambda p: p[0].open)
        at = {id(span): k for k, (span, _) in enumerate(ordered)}
        parts = [(span, at.get(id(prev)) if prev is not None else None) for span, prev in ordered]
    # --- end dialogue
    sents = sentences(norm, [span for span, _ in parts])
    doc = Document(norm, sents, [])
    for span, previous in parts:
        k = doc.sentence_of(span.open)
        kind = "direct" if dialogue.is_dialogue(span) else _quote_kind(norm, span, doc.sentence(k))
        doc.items.append(Item(span, kind, k, follows=previous))
    doc.quoted = [(it.span.open, it.span.after) for it in doc.items]
    if lines:  # dialogue: the incise inside a turn is narration, the rules read it
        doc.dash_lines = {line.dash: line for line in lines}
        doc.quoted = sorted(r for it in doc.items for r in (
            doc.dash_lines[it.span.open].quoted() if dialogue.is_dialogue(it.span) else [(it.span.open, it.span.after)]))
    needs: list[Need] = []
    for n in range(len(doc.items)):
        for rule in _READING_RULES:
            needs += rule.needs(doc, n)
    cue_sents, cue_ranges = indirect.cue_ranges(norm, sents, doc.inside)
    windows = _merge([(need.start, need.end, need.parse) for need in needs] + cue_ranges)
    return Plan(text, norm, doc, [(a, b) for a, b, _ in windows], [p for _, _, p in windows], cue_sents,
                normed.original, turns)


def _rules() -> Iterator[Rule]:
    for stage in _STAGES:
        for entry in stage:
            yield from (entry if isinstance(entry, tuple) else (entry,))


# The rules that read characters of their own (most read only other quotes' attributions): the planner asks
# only these, instead of calling every rule's ``needs`` for every quote.
_READING_RULES = tuple(rule for rule in _rules() if type(rule).needs is not Rule.needs)


def _merge(ranges: list[tuple[int, int, bool]]) -> list[tuple[int, int, bool]]:
    """Overlapping ranges as one window (up to MAX_WINDOW), which needs the parse if one of them does."""
    merged: list[tuple[int, int, bool]] = []
    # a set: the rules before a quote share one range, which would only merge into itself
    for start, end, parse in sorted({r for r in ranges if r[1] > r[0]}):
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
    a rule asks for it (``Window.parsed``).
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


def attribute(doc: Document) -> None:
    """Match the rules, stage by stage; within a stage, each quote in text order takes the first rule that matches.

    A tuple of rules in a stage is one choice: of the constructions found
    before the quote, the nearest wins (a cue found without a speaker stops the
    search there, but lets the next entries of the stage try).
    """
    for stage in _STAGES:
        for n, item in enumerate(doc.items):
            if item.attribution is not None and not item.attribution.empty:
                continue
            for entry in stage:
                found = _nearest(doc, n, entry) if isinstance(entry, tuple) else entry.match(doc, n)
                if found is None:
                    continue
                if item.attribution is None or not found.empty:
                    item.attribution = found
                if not found.empty:
                    break


def _nearest(doc: Document, n: int, rules: tuple[Rule, ...]) -> Attribution | None:
    found = [a for a in (rule.match(doc, n) for rule in rules) if a is not None]
    return max(found, key=lambda a: a.anchor) if found else None


def _extract(plan: Plan) -> list[QuoteRecord]:
    doc, norm = plan.doc, plan.norm
    attribute(doc)
    inside = doc.inside
    model = EntityModel(norm, inside).build()
    if plan.turns:  # fiction: characters named by one word are people
        dialogue.add_characters(norm, inside, model, list(getattr(doc, "dash_lines", {}).values()))
    # a dialogue line is closed by its paragraph's end: that is its mark, not a guess (dialogue.py)
    pendings = [Pending(it.span.start, it.span.end, it.kind, it.attribution,
                        it.span.balanced or dialogue.is_dialogue(it.span)) for it in doc.items]
    # a sentence with a cue and a quote is read once (a second reading finds the same clauses, all dropped as seen)
    read = list(dict.fromkeys(plan.cue_sentences + _quote_sentences(plan)))
    for rep in indirect.find(doc.windows, read, inside, norm):
        found = rep.found
        if found.subject and found.subject_span()[0] in inside:
            continue  # a "subject" inside a quotation is words of the quote, not its speaker
        rule = _INDIRECT_RULES.get(found.how, "indirect-clause")
        attribution = _attribution(rule, found)
        link = _speaker_before_in_sentence(doc, rep.start) if rule == "indirect-participle" else None
        if link is not None:
            # ", ajoutant que …": the participle speaks for the main clause's speaker
            attribution = Attribution(rule, attribution.cue, attribution.cue_lemma, confidence=0.75, link=link,
                                      anchor=attribution.anchor)
        pendings.append(Pending(rep.start, rep.end, "indirect", attribution))
    if plan.turns:  # fiction: "répondit Paul gravement" names Paul
        dialogue.trim_mentions(norm, pendings)
    for p in pendings:
        a = p.attribution
        if a is not None and a.mention and a.mention[0] in inside:
            p.attribution = Attribution(a.rule, a.cue, a.cue_lemma, confidence=0.3, anchor=a.anchor)
    records = resolve_all(plan.text, norm, pendings, model, plan.original)
    if plan.turns:  # fiction: a «…» turn cut by its incise is one quote; turns alternate between speakers
        # records slice the original text: the dialogue's offsets (read on the copy) are mapped to it
        at = plan.original
        records = dialogue.join_fragments(plan.text, records, [(at(it.span.start), at(it.span.end), it.follows)
                                                              for it in doc.items])
        lines = [dialogue.mapped(line, at) for line in getattr(doc, "dash_lines", {}).values()]
        records = dialogue.take_turns(plan.text, records, lines, [(at(a), at(b)) for a, b in plan.turns], model)
    return records


def _speaker_before_in_sentence(doc: Document, pos: int) -> int | None:
    """The start of a quote earlier in the sentence of ``pos`` that has a speaker (", ajoutant que …")."""
    k = doc.sentence_of(pos)
    start = doc.sentence(k).start
    for item in reversed(doc.items):
        if start <= item.span.open < pos and item.attribution is not None and not item.attribution.empty:
            return item.span.start
    return None


def _quote_sentences(plan: Plan) -> list[Sentence]:
    """Sentences holding a guillemet quote: they may report a clause too ("X a affirmé qu'il «…»")."""
    out = {}
    for item in plan.items:
        if plan.doc.sentences:
            out[item.sentence] = plan.doc.sentences[item.sentence]
    return list(out.values())


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
    # An error propagates: the caller (quotes.intake) decides what a failed document becomes and logs it once.
    plans = [make_plan(text or "") for text in texts]
    _pipe(nlp, plans)
    for plan in plans:
        yield _extract(plan)
