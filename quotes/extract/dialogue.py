"""Dialogue in fiction: a line opening with a dash is one turn of speech.

French novels print dialogue as paragraphs opening with a dash (—, – or a
hyphen followed by a space), the speaker named by an incise inside the line
(``— Tiens, dit-il, nous avons…``), at its end (``— Elle ! dit Pécuchet.``)
or not at all, when two characters take turns. This module finds those
lines (``dash_lines``), gives the rules the incise of each line
(``DialogueIncise``) and, once speakers are resolved, gives a turn with no
cue to the other speaker of the exchange (``take_turns``).

A dash span has ``marks == DASH`` whatever dash the text used, so that the
rules can tell a dialogue line from a quote in guillemets without importing
this module. News text prints lists with dashes too: a block of dash lines
with no mark of speech (an incise, a question or exclamation, a first or
second person) is a list, not dialogue.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import lru_cache

from . import attribution, lexicon
from .record import Evidence, QuoteRecord
from .rules import Attribution, Document, Need, Rule, _attribution, cut_at_space
from .spans import Span

DASH = "—"  # the marks of every dialogue span
FORM = "dialogue"  # the record's form for a dash line
TURN_CONFIDENCE = 0.6  # a turn given to the other speaker of the exchange
TURN_DECAY = 0.9  # each further turn without a cue is a little less sure
MAX_TURN_CHAIN = 6  # turns without any cue after which nobody is sure who speaks any more

# A paragraph opening with a dash; a hyphen only when a space follows it (not "-20 %", not "-il").
_DASH_LINE = re.compile(r"(?m)^[ \t\u00a0]*(?:[—–]|-(?=[ \u00a0]))[ \t\u00a0]*(?=\S)")
# Words a character says of themselves or to the other: a list item in a news text has none.
_PERSONAL = re.compile(r"(?<![\w'-])(?:je|j'|tu|vous|nous|moi|toi|me|m'|te|t'|mon|ma|mes|ton|ta|tes|votre|notre)"
                       r"(?![\w-])", re.I)
# The incise: after a comma or an end of speech, a verb with its inverted pronoun ("dit-il", "a-t-elle
# répondu", "me dit-elle") or a verb and then its subject ("dit Bouvard", "reprit le garçon").
_OBJECT = r"(?:(?:me|m'|lui|leur|nous|vous|te|t'|se|s'|l'|le|la|les)\s*)?"
_INVERTED = re.compile(r"[,!?…]\s+" + _OBJECT +
                       r"([a-zà-ÿ]+)(?:-t)?-(?:il|elle|ils|elles|on|je|tu|nous|vous)\b(\s+[a-zà-ÿ]+)?")
# An adverb may stand between the verb and its subject ("dit timidement Louisa", "dit enfin Laurence").
_ADVERB = r"(?:(?:[a-zà-ÿ]+ment|" + "|".join(sorted((re.escape(w) for w in lexicon.ADVERBS if "'" not in w),
                                                   key=len, reverse=True)) + r")\s+)?"
_SUBJECT = re.compile(r"[,!?…]\s+" + _OBJECT + r"([a-zà-ÿ]+)\s+" + _ADVERB +
                      r"(?=(?:[A-ZÀ-Þ]|(?:le|la|l'|les|un|une|mon|ma|son|sa|ce|cette|cet|leur|madame|monsieur)\b"
                      r"|(?:mère|père|oncle|tante|maître|frère|sœur|grand-père|grand-mère)\s+[A-ZÀ-Þ]))")
# ("dit mère Clarisse", "répondit oncle Jules": a title of the country or the family before the name)
_INCISE_END = re.compile(r"[,.;!?…:]|$", re.M)
# A tail after the incise that goes on narrating ("…, qui redoutait les courants d'air"; "…, en souriant").
# A tail after the incise that goes on narrating: for sure ("…, qui redoutait les courants d'air", "…, en souriant")
# or unless it speaks to someone ("…, d'une voix étranglée" but "…, l'air vous fera du bien !").
_NARRATION_TAIL = re.compile(r"\s*(?:qui|que|dont|en\s+\w+ant|tout en|quand|lorsqu|pendant|tandis|puis|"
                             r"et\s+(?:il|elle|ils|elles))\b", re.I)
_NARRATION_TAIL_WEAK = re.compile(r"\s*(?:d'une?|avec|sans|les yeux|la voix|le regard|l'air|comme|après|avant|"
                                  r"pareille?s?|sur|vers|dans|à|au|aux|enfin|alors)\b", re.I)
_SPEECH_END = re.compile(r"[!?…]")
# A verb of narration in the third person past ("il s'approcha", "elle regardait"): the narrator's words.
_NARRATED = re.compile(r"\b(?:il|elle|ils|elles|qui)\s+(?:[a-zà-ÿ']+\s+)?[a-zà-ÿ]+(?:ait|aient|a|èrent|it|irent)\b")


@dataclass(frozen=True)
class DashLine:
    """One dialogue turn: the dash, the words spoken and, when the line has one, its incise."""

    dash: int
    start: int  # first character spoken
    end: int  # last character spoken (+1): the line's end, or where an incise closes the speech
    line_end: int
    incise: int | None = None  # just past the mark before the incise verb (where ``incise_after`` reads)
    incise_end: int | None = None  # the mark that closes the incise

    def span(self) -> Span:
        return Span(self.start, self.end, self.dash, None, DASH)

    def quoted(self) -> list[tuple[int, int]]:
        """The ranges of spoken words: the incise inside the line is the narrator's, its names are mentions."""
        if self.incise is None or self.incise_end is None or self.incise_end >= self.end:
            return [(self.dash, self.end)]
        return [(self.dash, self.incise), (self.incise_end, self.end)]


def mapped(line: DashLine, at) -> DashLine:
    """The line with its offsets mapped by ``at`` (the normalised copy's offsets → the original text's)."""
    return DashLine(*(None if v is None else at(v) for v in (line.dash, line.start, line.end, line.line_end,
                                                             line.incise, line.incise_end)))


def _lemma_form(word: str) -> bool:
    return word.lower() in lexicon.form_to_lemmas() or word.lower() in _extra_verbs()


@lru_cache(maxsize=1)
def _extra_verbs() -> frozenset[str]:
    """Forms of verbs of fiction's incises the news lexicon does not hold ("interrompit", "balbutia")."""
    return frozenset(w.lower() for w in lexicon.read_data_lines("dialogue_verbs.txt"))


def _find_incise(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """(mark, incise start, incise end) of the first incise of a line, or None."""
    best = None
    for pattern in (_INVERTED, _SUBJECT):
        m = pattern.search(text, start, end)
        while m is not None:
            if _lemma_form(m.group(1)) or pattern is _INVERTED and m.group(2) and _lemma_form(m.group(2).strip()):
                break
            m = pattern.search(text, m.start() + 1, end)
        if m is not None and m.start() - start >= 1 and (best is None or m.start() < best.start()):
            best = m
    if best is None:
        return None
    verb_at = best.start() + 1
    while verb_at < end and text[verb_at].isspace():
        verb_at += 1
    close = _INCISE_END.search(text, best.end(1), end)
    incise_end = close.start() if close and close.start() < end else end
    return best.start(), verb_at, incise_end


def _tail_is_speech(text: str, mark: int, end: int) -> bool:
    """Whether the words after an incise are spoken (the gold keeps them in the quote) or narrated."""
    tail = text[mark + 1:end]
    if not tail.strip(" .,;"):
        return False
    if text[mark] in ".!?…" and tail.strip()[:1].isupper():
        return True  # a new sentence after the incise: the character goes on
    if _NARRATION_TAIL.match(tail):
        return False
    return bool(_PERSONAL.search(tail) or _SPEECH_END.search(tail)) or (
        text[mark] in ",;" and len(tail.split()) >= 4 and not _NARRATION_TAIL_WEAK.match(tail)
        and not _NARRATED.search(tail))


def _speech(text: str, line: tuple[int, int, int]) -> DashLine:
    dash, start, line_end = line
    end = line_end
    while end > start and text[end - 1].isspace():
        end -= 1
    found = _find_incise(text, start, end)
    if found is None:
        return DashLine(dash, start, end, line_end)
    mark, verb_at, incise_end = found
    if incise_end < end and _tail_is_speech(text, incise_end, end):
        return DashLine(dash, start, end, line_end, mark + 1, incise_end)
    # the line ends with its incise (and perhaps narration): the speech stops at the incise's mark
    speech_end = mark + 1 if text[mark] in "!?…" else mark
    return DashLine(dash, start, speech_end, line_end, mark + 1, incise_end)


def _is_dialogue_block(text: str, block: list[DashLine]) -> bool:
    """A run of dash lines is dialogue when one of them has a mark of speech; otherwise it is a list."""
    for line in block:
        words = text[line.start:line.line_end]
        if line.incise is not None or _SPEECH_END.search(words) or _PERSONAL.search(words):
            return True
    return False


def dash_lines(text: str) -> list[DashLine]:
    """Every dialogue line of ``text`` (normalised), in order; dash lines of a list are left out."""
    raw = []
    for m in _DASH_LINE.finditer(text):
        start = m.end()
        if text[start] in "«\"“":
            continue  # "— «…»": the guillemets are the quote's marks
        if not (text[start].isupper() or text[start] in "…¡¿0123456789"):
            continue  # "- la réforme ;": an item of a list
        line_end = text.find("\n", start)
        raw.append((m.start(), start, len(text) if line_end < 0 else line_end))
    lines = [_speech(text, r) for r in raw]
    blocks, block = [], []
    for line in lines:
        if block and text[block[-1].line_end:line.dash].strip():
            blocks.append(block)
            block = []
        block.append(line)
    if block:
        blocks.append(block)
    speech = [_is_dialogue_block(text, b) for b in blocks]
    out = []
    for b, spoken in zip(blocks, speech):
        if spoken or any(speech) and (len(b) == 1 or _announced(text, b[0].dash)):
            out += b
    return [line for line in out if line.end > line.start]


def _announced(text: str, dash: int) -> bool:
    """ "Elle lui tendit les bras, et dit :\n— Donnez-le-moi.": narration closed by a colon announces a turn with no
    mark of speech. Asked only in a text whose other dash lines are dialogue (where a lone dash line between two
    paragraphs of narration is a turn too): a news list after a colon stays a list."""
    return text[max(0, dash - 200):dash].rstrip().endswith(":")


def merge_spans(spans: list[Span], lines: list[DashLine]) -> list[Span]:
    """Guillemet spans outside the dialogue lines, and a span per line: «…» inside a turn is part of it."""
    if not lines:
        return spans
    dashes = [line.dash for line in lines]

    def in_a_line(pos: int) -> bool:
        k = bisect_right(dashes, pos) - 1
        return k >= 0 and pos < lines[k].line_end

    kept = [s for s in spans if not in_a_line(s.open)]
    return sorted(kept + [line.span() for line in lines], key=lambda s: s.open)


def is_dialogue(span: Span) -> bool:
    return span.marks == DASH


class DialogueIncise(Rule):
    """— Tiens, dit-il, nous avons… / — Elle ! dit Pécuchet.: the incise inside a dash line."""

    name = "dialogue-incise"

    def needs(self, doc: Document, n: int) -> list[Need]:
        line = _line_of(doc, n)
        if line is None or line.incise is None:
            return []
        return [Need(cut_at_space(doc.norm, max(line.start, line.incise - 40), False),
                     min(line.line_end, line.incise_end + 120))]

    def match(self, doc: Document, n: int) -> Attribution | None:
        line = _line_of(doc, n)
        if line is None or line.incise is None:
            return None
        win = doc.window_at(line.incise)
        if win is None:
            return None
        found = attribution.incise_after(win, line.incise, any_adverb=True)
        if found is None:
            return None
        return _trim_name(doc.norm, _attribution(self.name, found))


def _trim_name(norm: str, a: Attribution) -> Attribution:
    """ "répliqua Bouvard négligemment", "dit Laurence bas à Pauline": the name without the words after it."""
    if a.mention is None:
        return a
    start, end = a.mention
    m = _NAME_RUN.match(norm, start, end)
    if m is None or m.end() >= end:
        return a
    return replace(a, mention=(start, m.end()))


def trim_mentions(norm: str, pendings) -> None:
    """The incises of a novel's «…» turns name their speaker before an adverb ("répondit Paul gravement"):
    the name alone, as for a dash line (the news incise reader keeps the words after the name)."""
    for p in pendings:
        a = p.attribution
        if a is not None and a.mention and a.rule == "incise":
            p.attribution = _trim_name(norm, a)


# A name as written, an abbreviated honorific before it ("M. Casoni", "Mme Vidal") included.
_NAME_RUN = re.compile(r"(?:(?:M|Mme|Mlle|Dr|Me)\.?\s+)?[A-ZÀ-Þ][\w'-]*(?:\s+(?:(?:de|du|d'|la|le)\s*)?[A-ZÀ-Þ][\w'-]*)*")


class AnnouncedTurn(Rule):
    """Pécuchet ne put s'empêcher de dire :\n— On le prendrait…: the subject of the narration closed by a colon.

    Read on the text: the sentence just before the turn ends with a colon and
    opens (after "Et", "Puis", "Enfin"…) with a name, a pronoun or a
    definite description, which is who speaks.
    """

    name = "announced-turn"

    def match(self, doc: Document, n: int) -> Attribution | None:
        item = doc.items[n]
        if not is_dialogue(item.span) and not doc.norm[max(0, item.span.open - 3):item.span.open].strip() in DASHES:
            return None
        k = item.sentence
        if k == 0 or not doc.sentences:
            return None
        prev = doc.sentences[k - 1]
        lead = doc.norm[prev.start:prev.end].rstrip()
        if not lead.endswith(":") or prev.paragraph != doc.sentence(k).paragraph - 1:
            return None
        m = _ANNOUNCER.match(lead)
        if m is None:
            return None
        who = m.group("who")
        if who[:1].isupper() and who.split()[0] not in _proper_nouns(doc):
            return None  # "Dès lors", "Notre père", "Quand il": a capital opening the sentence, not a name
        start = prev.start + m.start("who")
        return Attribution(self.name, None, None, (start, start + len(m.group("who"))), confidence=0.7,
                           anchor=start)


DASHES = ("—", "–", "-", "— ", "– ", "- ")
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-zà-ÿ,] )([A-ZÀ-Þ][\w'-]+)")


def _proper_nouns(doc: Document) -> set[str]:
    """Capitalised words the text also writes inside a sentence: names, not words opening a sentence."""
    found = getattr(doc, "_proper_nouns", None)
    if found is None:
        found = {m.group(1) for m in _MID_SENTENCE_CAPITAL.finditer(doc.norm)} - _not_characters()
        doc._proper_nouns = found
    return found
_ANNOUNCER = re.compile(r"\s*(?:(?:Et|Puis|Alors|Enfin|Mais|Cependant|Aussitôt|Soudain|Bientôt|Tout à coup|Ensuite)"
                        r"\s*,?\s+)?(?P<who>[A-ZÀ-Þ][\w'-]+(?:\s+[A-ZÀ-Þ][\w'-]+)?|[Ii]l|[Ee]lle|"
                        r"(?:[Ll]e|[Ll]a|[Ll]')\s*(?:jeune\s+|vieux\s+|vieille\s+|petit\s+|petite\s+)?[a-zà-ÿ]+)"
                        r"(?=\s+(?:lui\s+|leur\s+|ne\s+|n'|se\s+|s'|l'|les\s+|en\s+|y\s+)*[a-zà-ÿ])")


def _line_of(doc: Document, n: int) -> DashLine | None:
    span = doc.items[n].span
    return getattr(doc, "dash_lines", {}).get(span.open) if is_dialogue(span) else None


def with_dialogue(stages):
    """The rule stages with the dialogue incise tried first (it reads only dash lines), and the turn a colon
    announces after every construction of the quote's own (before continuation, turn-taking comes last)."""
    return ((DialogueIncise(), *stages[0]), *stages[1:-2], (AnnouncedTurn(),), *stages[-2:])


def turn_paragraphs(text: str, lines: list[DashLine]) -> list[tuple[int, int]]:
    """(dash, line end) of every turn of dialogue: the dash lines, and «…» after a dash ("— « Entrez »")."""
    dashes = {line.dash for line in lines}
    out = []
    for m in _DASH_LINE.finditer(text):
        if m.start() in dashes or text[m.end()] in "«\"“":
            end = text.find("\n", m.end())
            out.append((m.start(), len(text) if end < 0 else end))
    return out


def take_turns(text: str, records: list[QuoteRecord], lines: list[DashLine],
               paragraphs: list[tuple[int, int]], model=None) -> list[QuoteRecord]:
    """Dialogue records get their form; a turn with no cue goes to the other speaker of the exchange.

    A turn is the first quote of a paragraph opening with a dash (a dash line,
    or «…» after a dash); an exchange is a run of turns with no narration
    between them (narration may bring someone else in). When the cued turns of
    an exchange name two speakers, each on turns of its own parity, every turn
    without a cue is the one whose parity it has. Otherwise a turn without a
    cue after two turns of two different speakers is the first one's
    (A, B, → A). Such turns are less sure the further from a cue they are.
    """
    dash_starts = {line.start for line in lines}
    if not paragraphs:
        return records
    starts = [p[0] for p in paragraphs]
    out = list(records)
    exchanges: list[list[int]] = []  # indexes into ``out`` of the turns of each exchange
    last_para: tuple[int, int] | None = None
    for n, record in enumerate(out):
        k = bisect_right(starts, record.start) - 1
        para = paragraphs[k] if k >= 0 and record.start < paragraphs[k][1] else None
        if record.type == "indirect" or para is None or para == last_para:
            continue
        if record.start in dash_starts:
            out[n] = replace(record, form=FORM)
        if last_para is None or text[last_para[1]:para[0]].strip():
            exchanges.append([])
        last_para = para
        exchanges[-1].append(n)
    stop = _not_characters()
    for n, record in enumerate(out):
        if record.type != "indirect" and not record.speaker and not record.speaker_label:
            label = _character_label(record)
            if label:
                out[n] = replace(record, speaker_label=label, mention=record.evidence.mention,
                                 confidence=round(record.confidence * 0.8, 3))
                continue
        if record.speaker and (record.speaker in stop or record.speaker.lower() in _KIN):
            # "Oncle", "mère": how a character is addressed or called, not who they are
            out[n] = replace(record, speaker=None, speaker_kind=None, mention=None, role=None, speaker_label=None)
        elif record.speaker and (label := _kin_in_focus(record)):
            # "dit la mère aveugle" given to the last subject as if "mère" were a post: it names a relation,
            # the description is what the text tells
            e = record.evidence
            out[n] = replace(record, speaker=None, speaker_kind=None, role=None, speaker_label=label,
                             mention=e.mention, confidence=round(record.confidence * 0.8, 3),
                             evidence=replace(e, steps=(f"«{label}» names a relation, not a post: kept as a "
                                                        f"description, not given to the last subject",)))
    if model is not None:
        for n, record in enumerate(out):
            if _ambiguous_pronoun(record, model):
                out[n] = replace(record, speaker=None, speaker_kind=None, mention=None, role=None,
                                 speaker_label=None)
            else:
                out[n] = _only_character(record, model) or record
    for turns in exchanges:
        _alternate(out, turns)
    for n, record in enumerate(out):
        if record.type != "indirect":
            out[n] = _self_named(record, model) or record
    if model is not None:
        for turns in _bridged(text, out, exchanges, model):
            _alternate_across(out, turns)
    return out


# A turn in which the speaker gives their own name: "Je me nomme Florent", "je m'appelle Odile", "mon nom est
# Duflot"; "je suis" only before a title ("je suis le docteur Desmarais", "je suis M. Vidal"), since "je suis
# Français" is no name.
_TITLE = r"(?:M\.|Mme|Mlle|monsieur|madame|mademoiselle|le\s+docteur|docteur|l'abbé|le\s+père|la\s+mère)"
_SELF_NAMED = re.compile(r"\b(?:(?:je\s+me\s+nomme|je\s+m'appelle|mon\s+nom\s+est)\s+(?:" + _TITLE + r"\s+)?"
                         r"|je\s+suis\s+" + _TITLE + r"\s+)"
                         r"(?P<name>[A-ZÀ-Þ][\w'-]+(?:\s+(?:(?:de|du)\s+|d')?[A-ZÀ-Þ][\w'-]+)*)", re.I)
SELF_NAMED_CONFIDENCE = 0.75


def _self_named(record: QuoteRecord, model) -> QuoteRecord | None:
    """ "— Je me nomme Florent, je viens de loin.": the character says who speaks.

    For a turn with no speaker, or one whose speaker is a guess (turn-taking,
    a pronoun's antecedent: "Je suis le docteur Desmarais, continua-t-il" is
    the doctor's whoever was the last subject); a cue that names someone or
    describes them is read first. The name as the model knows it, if it does.
    """
    e = record.evidence
    guessed = e is not None and (e.rule in ("turn-taking", "continuation") or e.steps and e.steps[0].startswith("pronoun"))
    if record.speaker and not guessed or record.speaker_label:
        return None  # a name or a description in the turn's cue is read first
    m = _SELF_NAMED.search(record.quote.replace("’", "'"))
    if m is None or not m.group("name")[:1].isupper():
        return None
    name = m.group("name")
    known = model.by_form(name) if model is not None else None
    speaker = known.name if known is not None and known.kind == "person" else name
    return replace(record, speaker=speaker, speaker_kind="person", mention=name, role=None, speaker_label=None,
                   confidence=SELF_NAMED_CONFIDENCE,
                   evidence=Evidence("self-named", None, name, record.start + m.start("name"),
                                     (f"the turn names its speaker: «{m.group(0)}»",)))


BRIDGE_REACH = 300  # characters of narration an exchange goes on across


def _bridged(text: str, out: list[QuoteRecord], exchanges: list[list[int]], model) -> list[list[int]]:
    """Exchanges joined across a short narration that names nobody but their speakers.

    "— Qu'ai-je fait au bon Dieu ? dit Jean-Michel. / Louisa pleurait plus
    fort. / — Ne me grondez pas…": the narration between two turns tells what
    the two characters do, and they go on taking turns. Narration that names
    someone else (or is long) ends the exchange.
    """
    merged: list[list[int]] = []
    for turns in exchanges:
        if merged and merged[-1] and turns:
            before, after = out[merged[-1][-1]], out[turns[0]]
            gap = (before.end, after.start)
            speakers = {out[n].speaker for n in merged[-1] + turns if _strong(out[n])}
            if gap[1] - gap[0] <= BRIDGE_REACH and len(speakers) == 2 \
                    and _names_only(text, model, gap, speakers):
                merged[-1] = merged[-1] + turns
                continue
        merged.append(list(turns))
    return merged


def _alternate_across(out: list[QuoteRecord], turns: list[int]) -> None:
    """Turn-taking over exchanges joined across narration (``_bridged``): less sure than within one exchange.

    Only turns with no cue at all get a speaker; the turns whose cue names
    someone must alternate between the two speakers, each on turns of one
    parity, for the others to be read.
    """
    strong = [(k, out[n]) for k, n in enumerate(turns) if _strong(out[n])]
    speakers = _parities(strong)
    if len(speakers) != 2 or any(len(p) != 1 for p in speakers.values()) \
            or len({next(iter(p)) for p in speakers.values()}) != 2:
        return
    by_parity = {next(iter(parities)): next(r for _, r in strong if r.speaker == name)
                 for name, parities in speakers.items()}
    cued_at = [k for k, _ in strong]
    for k, n in enumerate(turns):
        if out[n].speaker or out[n].speaker_label or out[n].evidence is not None:
            continue
        distance = min(abs(k - c) for c in cued_at)
        out[n] = _given(out[n], by_parity[k % 2], distance + 1)


def _names_only(text: str, model, gap: tuple[int, int], speakers: set[str]) -> bool:
    """Whether the people the narration in ``gap`` names are all among ``speakers``: the model's people, and
    any capitalised word inside a sentence (a name the model did not take for a character)."""
    for e in model.entities:
        if e.name in speakers:
            continue
        if any(gap[0] <= m.start < gap[1] for m in e.mentions):
            return False
    words = {w for name in speakers for w in name.split()}
    return all(m.group(1) in words for m in _MID_SENTENCE_CAPITAL.finditer(text, *gap))


def _cued(record: QuoteRecord) -> bool:
    rule = record.evidence.rule if record.evidence is not None else None
    return rule not in (None, "continuation", "turn-taking") and bool(record.speaker)


def _strong(record: QuoteRecord) -> bool:
    """A turn whose cue names its speaker (not a pronoun or a role taken up by guess): the exchange's anchor."""
    if not _cued(record):
        return False
    step = record.evidence.steps[0] if record.evidence.steps else ""
    return not step.startswith(("pronoun", "role"))


def _parities(cued: list[tuple[int, QuoteRecord]]) -> dict[str, set[int]]:
    speakers: dict[str, set[int]] = {}
    for k, record in cued:
        speakers.setdefault(record.speaker, set()).add(k % 2)
    return speakers


def _alternate(out: list[QuoteRecord], turns: list[int]) -> None:
    """Speakers for the turns of one exchange (indexes into ``out``)."""
    strong = [(k, out[n]) for k, n in enumerate(turns) if _strong(out[n])]
    speakers = _parities(strong)
    if len(speakers) == 1 and len(next(iter(speakers.values()))) == 1:
        a = next(iter(speakers))
        parity = next(iter(speakers[a]))
        # the other speaker: the one a pronoun cue names on the turns of the other parity
        weak = [(k, out[n]) for k, n in enumerate(turns) if _cued(out[n]) and not _strong(out[n])
                and k % 2 != parity and out[n].speaker != a]
        others = {r.speaker for _, r in weak}
        if len(others) == 1:
            strong.append(weak[0])
        speakers = _parities(strong)
    if len(speakers) == 2 and all(len(parities) == 1 for parities in speakers.values()) \
            and len({next(iter(p)) for p in speakers.values()}) == 2:
        by_parity = {next(iter(parities)): next(r for _, r in strong if r.speaker == name)
                     for name, parities in speakers.items()}
        cued_at = [k for k, _ in strong]
        for k, n in enumerate(turns):
            if _strong(out[n]) or out[n].speaker == by_parity[k % 2].speaker:
                continue
            distance = min(abs(k - c) for c in cued_at)
            out[n] = _given(out[n], by_parity[k % 2], distance)
        return
    chain = 0
    for k, n in enumerate(turns):  # more than two speakers: only A, B → A, while it lasts
        if _cued(out[n]):
            chain = 0
            continue
        chain += 1
        other = _other_speaker([out[m] for m in turns[max(0, k - 2):k]])
        if other is not None:
            out[n] = _given(out[n], other, chain)
        elif out[n].evidence is not None and out[n].evidence.rule == "continuation":
            out[n] = replace(out[n], speaker=None, speaker_kind=None, mention=None, role=None,
                             speaker_label=None)  # a dialogue turn does not continue the turn before


_DESCRIBED = re.compile(r"(?:le|la|l'|l’|cette|ce|cet)\s*((?:(?:jeune|vieux|vieil|vieille|petit|petite|pauvre|bon|bonne|"
                        r"grand|grande|gros|grosse|brave|belle|beau)\s+)?([a-zà-ÿ-]+))", re.I)


@lru_cache(maxsize=1)
def _character_nouns() -> frozenset[str]:
    return frozenset(w.replace("-", " ") for line in lexicon.read_data_lines("characters.txt") for w in line.split())


# "une voix", "une voix forte", "une voix douce et vibrante" closing the mention ("Soudain une voix forte").
_UNNAMED = re.compile(r"(?<![\w'])(?:un|une)\s+([a-zà-ÿ]+)(?:\s+[a-zà-ÿ]+(?:\s+et\s+[a-zà-ÿ]+)?)?$", re.I)


@lru_cache(maxsize=1)
def _unnamed_nouns() -> frozenset[str]:
    return frozenset(w for line in lexicon.read_data_lines("unnamed_speakers.txt") for w in line.split())


def _character_label(record: QuoteRecord) -> str | None:
    """ "la servante ébahie" in the incise of a turn nobody named: "servante" (a noun of characters.txt)."""
    e = record.evidence
    if e is None or not e.mention or e.rule in ("continuation", "turn-taking"):
        return None
    m = _UNNAMED.search(e.mention)
    if m is not None and m.group(1).lower() in _unnamed_nouns():
        return " ".join(m.group(0).split()[1:]).lower()  # "une voix forte": "voix forte"
    m = _DESCRIBED.match(e.mention)
    if m is None:
        return None
    nouns = _character_nouns()
    words = m.group(1).lower()
    if words in nouns:
        return words  # "jeune fille", "vieille femme"
    if m.group(2).lower() in nouns:
        return m.group(1).lower() if m.group(1) != m.group(2) else m.group(2).lower()
    return None


_IN_FOCUS = re.compile(r"role «([^»]+)» → .*, the last subject or speaker")


def _kin_in_focus(record: QuoteRecord) -> str | None:
    """The description ("mère aveugle") of a speaker the entity model took for the person in focus because
    a word of kin ("la mère", "l'oncle") read as a role, as "le ministre" is in news."""
    e = record.evidence
    m = _IN_FOCUS.match(e.steps[0]) if e is not None and e.steps else None
    if m is None or m.group(1).split()[0].lower() not in _KIN:
        return None
    return m.group(1).lower()


_KIN = frozenset("oncle tante mère père grand-père grand-mère frère sœur cousin cousine fils fille papa maman "
                  "homme femme".split())
# Characters before a pronoun where a second character of its gender makes it ambiguous: about the sentence
# before (a man named in the paragraph before is no longer in the way of "dit-il").
PRONOUN_RIVALS_REACH = 150


def _ambiguous_pronoun(record: QuoteRecord, model) -> bool:
    """ "dit-il" with two men just named: a novel's pronoun then needs more than the last subject to be read."""
    e = record.evidence
    if e is None or not (record.speaker or record.speaker_label) or not e.steps \
            or not e.steps[0].startswith("pronoun") or e.mention_start is None or e.rule in ("turn-taking",):
        return False
    if not record.speaker:
        return True  # a pronoun taken as a description met before: in a novel, often someone named
    if "the only person named just before" in e.steps[0]:
        return True  # nobody was the subject of the narration: in a novel, the pronoun's antecedent is not read
    gender = {"il": "m", "elle": "f"}.get((e.mention or "").lower())
    if gender is None:
        return False
    if any(x.name == record.speaker and x.kind == "person" and x.gender is None for x in model.entities):
        return True  # a character whose gender the text did not tell: "elle" may as well be someone else
    rivals = {x.name for x in model.entities if x.kind == "person" and x.gender in (gender, None)
              and 0 <= e.mention_start - x.last_before(e.mention_start) <= PRONOUN_RIVALS_REACH}
    return len(rivals - {record.speaker}) > 0


ONLY_CHARACTER_REACH = 1500  # characters back to the character a pronoun with no subject before it takes up
ONLY_CHARACTER_CONFIDENCE = 0.6
_PRONOUN_GENDER = {"il": "m", "elle": "f"}


def _only_character(record: QuoteRecord, model) -> QuoteRecord | None:
    """ "— Assez ! dit-elle." where the narration named one woman but never as a subject: she speaks.

    The entity model takes up a pronoun only from a subject or a speaker, as
    news needs; a novel names its characters as objects too ("Il regarda
    Louisa"). When exactly one character of the pronoun's gender, and nobody
    whose gender is unknown, was named in the text just before, the pronoun
    is that character (less sure than a subject).
    """
    e = record.evidence
    if record.speaker or record.speaker_label or e is None or not e.steps or e.mention_start is None \
            or not e.steps[0].endswith("no subject or speaker before it agrees"):
        return None
    gender = _PRONOUN_GENDER.get((e.mention or "").lower())
    if gender is None:
        return None
    near = [(x.last_before(e.mention_start), x) for x in model.entities
            if x.kind in ("person", "description") and x.gender in (gender, None) and not x.plural]
    near = [(at, x) for at, x in near if at >= 0 and e.mention_start - at <= ONLY_CHARACTER_REACH]
    if len(near) != 1 or near[0][1].gender != gender or near[0][1].kind != "person":
        return None  # someone else could be meant: a second character, one of unknown gender, one described
    at, person = near[0]
    if sum(m.start < e.mention_start for m in person.mentions) < 2:
        return None  # a capital met once ("la Haie", "Bambino") is not yet a character the pronoun follows
    return replace(record, speaker=person.name, speaker_kind="person", mention=e.mention, role=None,
                   speaker_label=None, confidence=ONLY_CHARACTER_CONFIDENCE,
                   evidence=replace(e, steps=(f"pronoun «{e.mention.lower()}» → {person.name}, the only character "
                                              f"of its gender named before it (at {at})",)))


def _given(record: QuoteRecord, other: QuoteRecord, distance: int) -> QuoteRecord:
    if distance > MAX_TURN_CHAIN:
        return record
    confidence = round(TURN_CONFIDENCE * TURN_DECAY ** (distance - 1), 3)
    return replace(record, speaker=other.speaker, speaker_kind=other.speaker_kind, mention=None, role=other.role,
                   speaker_label=None, confidence=confidence,
                   evidence=Evidence("turn-taking", None, None, None,
                                     (f"the other speaker of the exchange: the turn at {other.start} "
                                      f"({other.speaker})",)))


def _other_speaker(turns: list[QuoteRecord]) -> QuoteRecord | None:
    """The speaker of the turn before last, when the last two turns have two different speakers."""
    if len(turns) < 2:
        return None
    a, b = turns[-2], turns[-1]
    if not a.speaker or not b.speaker or a.speaker == b.speaker:
        return None
    return a


# Characters ------------------------------------------------------------------------------------------------
# Novels name their characters by one word ("Bouvard", "Laurence"), which the news scans (a first name
# and a surname) do not take for people; a pronoun in an incise then finds nobody. In a text with
# dialogue, a capitalised word the text uses as a character becomes a person of the entity model.

_CAPITALISED = re.compile(r"(?<![\w'’-])([A-ZÀ-Þ][a-zà-ÿ]+(?:-[A-ZÀ-Þ][a-zà-ÿ]+)?)(?![\w'’-])")
_HONORIFIC_BEFORE = re.compile(r"(?:\b(?:M\.|Mme|Mlle|monsieur|madame|mademoiselle|Monsieur|Madame|Mademoiselle|"
                               r"[Tt]ante|[Oo]ncle)"
                               r"|\b(?:[lL]e|[lL]a)\s+(?:père|mère|docteur|curé|comte|comtesse|baron|baronne|"
                               r"marquis|marquise|capitaine|oncle|tante|abbé)|\b[lL]'(?:abbé|oncle))\s+$")
_PLACE_BEFORE = re.compile(r"(?:\b(?:à|en|vers|dans|sur|au|aux|rue|place|boulevard|quai|avenue|pont|faubourg)|"
                           r"(?<![\w'])(?:de|du|des|d'))\s+$", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;«»—–\"]\s*|\n\s*)$")
_FEMININE_HONORIFIC = re.compile(r"(?:Mme|Mlle|madame|mademoiselle|la\s+\w+|comtesse|baronne|marquise|tante|mère)\s+$",
                                 re.I)


@lru_cache(maxsize=1)
def _not_characters() -> frozenset[str]:
    """Capitalised words that are not characters: interjections, God, days, places a novel keeps naming."""
    return frozenset(w for line in lexicon.read_data_lines("not_characters.txt") for w in line.split())


def _gender(name: str, before: str) -> str | None:
    if _FEMININE_HONORIFIC.search(before):
        return "f"
    if re.search(r"(?:M\.|monsieur|le\s+\w+|oncle|père)\s+$", before, re.I):
        return "m"
    first = lexicon.first_names()
    head = name.split("-")[0]
    if head in first:
        return first[head]
    return None


def add_characters(norm: str, quoted, model, lines: list[DashLine]) -> None:
    """One-word characters of a text with dialogue, as people of ``model`` with every mention outside quotes.

    A word is a character when the text puts it after an honorific or title
    ("M. Bouvard", "la mère Manine"), names it in an incise ("dit Pécuchet"),
    knows it as a first name, or uses it twice inside sentences, not after a
    preposition of place ("à Nantes"). Kept linear: one pass to collect, one
    to add the mentions.
    """
    first = lexicon.first_names()
    stop = _not_characters()
    seen: dict[str, list[tuple[int, int, str]]] = {}
    score: dict[str, int] = {}
    gender: dict[str, str | None] = {}
    incise_at = sorted(line.incise for line in lines if line.incise is not None)
    for m in _CAPITALISED.finditer(norm):
        word, start = m.group(1), m.start(1)
        if word in stop or word.lower() in lexicon.DETERMINERS or word.lower() in _COMMON_OPENERS:
            continue
        if start in quoted:
            continue
        before = norm[max(0, start - 30):start]
        occurrences = seen.setdefault(word, [])
        occurrences.append((start, m.end(1), before))
        if _HONORIFIC_BEFORE.search(before):
            score[word] = score.get(word, 0) + 3
            gender.setdefault(word, _gender(word, before))
        elif _SENTENCE_START.search(before):
            continue  # any word opens a sentence with a capital
        elif _PLACE_BEFORE.search(before):
            score[word] = score.get(word, 0) - 1
        else:
            score[word] = score.get(word, 0) + 1
        k = bisect_right(incise_at, start) - 1
        if k >= 0 and start - incise_at[k] < 40:  # named in an incise ("dit Pécuchet")
            score[word] = score.get(word, 0) + 2
    for m in _TWO_NAMES.finditer(norm):  # "Noël Barray" once, "Noël" everywhere else: one character
        w1, w2 = m.group(1), m.group(2)
        if w1 in seen and w2 not in stop and w1 not in stop and not m.start() in quoted \
                and model.by_form(f"{w1} {w2}") is None and not _SENTENCE_START.search(norm[max(0, m.start() - 3):m.start()]):
            model.add_person(f"{w1} {w2}", m.start(), m.end(), gender=gender.get(w1), how="name")
    full = _full_names(model)
    for word, occurrences in seen.items():
        head = word.split("-")[0]
        if score.get(word, 0) < 2 and not (head in first and score.get(word, 0) >= 1):
            continue
        known = model.by_form(word)
        if known is not None and known.kind != "person":
            continue  # an organisation the scans found
        # not guessed from the name's ending: "Sarrasine" is a man; a pronoun must not take up a wrong guess
        g = gender.get(word) or (first.get(head) if head in first else None) or _gender_in_text(norm, occurrences)
        person = known or full.get(word)
        for start, end, _ in occurrences:
            if person is None:
                person = model.add_person(word, start, end, gender=g, how="name")
                continue
            # "Paul" for "Paul Lamontagne", named in full elsewhere: the same character
            model._add_form(person, word, start)
            model._note(person, start, end, "name", None, g, None)


_TWO_NAMES = re.compile(r"(?<![\w'’-])([A-ZÀ-Þ][a-zà-ÿ]+) ([A-ZÀ-Þ][a-zà-ÿ]{2,})(?![\w'’-])")


def _full_names(model) -> dict[str, object]:
    """One word of a person's full name → that person, when no other person has the word."""
    out: dict[str, object] = {}
    clash = set()
    for e in model.entities:
        if e.kind != "person":
            continue
        for form in e.forms:
            for word in form.split():
                if word[:1].isupper():
                    if out.get(word, e) is not e:
                        clash.add(word)
                    out[word] = e
    return {w: e for w, e in out.items() if w not in clash}


_NEXT_PRONOUN = re.compile(r"[^.!?\n]{0,60}?\b(il|elle)\b|[^\n]{0,3}[.!?]\s+(Il|Elle)\b")
_AGREEING = re.compile(r"\s+(?:était|fut|est|semblait|restait|demeura|devint)\s+(?:\w+\s+)?[a-zà-ÿ]+(e|é)s?\b")


def _gender_in_text(norm: str, occurrences: list[tuple[int, int, str]]) -> str | None:
    """A character's gender from the text: the pronoun that follows the name, an adjective that agrees with it.

    "Sarrasine se leva. Il…", "Zambinella était assise": counted over the
    first occurrences; a clear majority only.
    """
    votes = {"m": 0, "f": 0}
    for start, end, _ in occurrences[:30]:
        m = _NEXT_PRONOUN.match(norm, end, min(len(norm), end + 90))
        if m:
            votes["f" if (m.group(1) or m.group(2)).lower() == "elle" else "m"] += 1
        a = _AGREEING.match(norm, end, min(len(norm), end + 60))
        if a:
            votes["f" if a.group(1) == "e" else "m"] += 1
    if votes["m"] >= 2 * votes["f"] + 1:
        return "m"
    if votes["f"] >= 2 * votes["m"] + 1:
        return "f"
    return None


_COMMON_OPENERS = frozenset("oh ah eh hé hein ô bah bon ma mon mes ta ton tes sa son ses notre votre nos vos leur leurs "
                            "oui non si mais et ou donc or ni car puis alors enfin quand comme voilà voici tiens "
                            "allons dieu seigneur monsieur madame mademoiselle messieurs mesdames".split())


def join_fragments(text: str, records: list[QuoteRecord], parts: list[tuple[int, int, int | None]]) -> list[QuoteRecord]:
    """The parts of a «…» quote cut by its incise made one record again, as fiction's dialogue counts them.

    ``parts`` are (start, end, index of the part before) of the quotes, in
    the rules' order. In news the parts stay apart (each is a sentence a
    speaker said); in a novel's dialogue the turn is one quote, its incise
    inside, and the speaker is the one its incise names.
    """
    root: dict[int, int] = {}
    for k, (_, _, previous) in enumerate(parts):
        if previous is not None:
            root[k] = root.get(previous, previous)
    if not root:
        return records
    groups: dict[int, list[int]] = {}
    for k, r in root.items():
        groups.setdefault(r, [r]).append(k)
    by_start = {record.start: record for record in records if record.type != "indirect"}
    dropped, joined = set(), {}
    for r, members in groups.items():
        first = by_start.get(parts[r][0])
        found = [by_start.get(parts[k][0]) for k in members]
        if first is None or any(f is None for f in found):
            continue
        end = max(parts[k][1] for k in members)
        speaker = next((f for f in found if f.speaker), first)
        joined[first.start] = replace(speaker, quote=text[first.start:end], start=first.start, end=end)
        dropped.update(f.start for f in found if f.start != first.start)
    return [joined.get(rec.start, rec) for rec in records
            if not (rec.type != "indirect" and rec.start in dropped)]
