"""From attributions to speakers: each mention resolved through the document's entity model, with its evidence.

Records are taken in text order, so a pronoun sees the speakers before it;
a record that takes the speaker of a later quote (a shared incise, an
intertitle) waits for it. Every speaker is a person or an organisation of the
entity model; a mention that resolves to nobody keeps its description as a
label (``un porte-parole de la mairie``) only when the text names nobody who
could hold it, since a wrong description counts as much against the reader as
a wrong name.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from . import lexicon
from .entities import Entity, EntityModel, Resolution
from .mentions import describe, speaker_label
from .record import Evidence, QuoteRecord
from .rules import Attribution

WEAK_FACTOR = 0.75  # a speaker found by prominence alone (no name, no role the text gave them)
LABEL_FACTOR = 0.8  # a description kept as the speaker's label
UNBALANCED_FACTOR = 0.5  # a quote closed only by its paragraph's end: the span itself is a guess
DEFAULT_CONFIDENCE = 0.4  # a quote no rule attributed
MAIN_SPEAKER_QUOTES = 3  # quotes a person must have for their article's unattributed sentences to go to them
MAIN_SPEAKER_SHARE = 0.75  # and the share of the attributed quotes they hold
MAIN_SPEAKER_CONFIDENCE = 0.35


@dataclass
class Pending:
    """A quote or an indirect clause on its way to a ``QuoteRecord``."""

    start: int
    end: int
    kind: str
    attribution: Attribution | None
    balanced: bool = True
    entity: Entity | None = None
    label: str | None = None
    mention: str | None = None
    role: str | None = None
    steps: tuple[str, ...] = ()
    confidence: float = DEFAULT_CONFIDENCE
    done: bool = False
    described: Entity | None = None  # the description entity behind ``label``


def resolve_all(text: str, norm: str, pendings: list[Pending], model: EntityModel,
                original=lambda pos: pos) -> list[QuoteRecord]:
    """Speakers for every pending record; records in text order, with offsets into ``text``."""
    pendings.sort(key=lambda p: (p.start, p.end))
    by_start = {}
    for p in pendings:
        by_start.setdefault(p.start, p)
    deferred = []
    for p in pendings:
        a = p.attribution
        if a is not None and a.link is not None and a.link > p.start:
            deferred.append(p)  # takes the speaker of a later quote: after it
            continue
        _resolve(p, norm, model, by_start)
    for p in deferred:
        _resolve(p, norm, model, by_start)
    _name_descriptions(pendings, model)
    _main_speaker(norm, pendings, model)
    return [_record(text, norm, p, original) for p in pendings]


def _a_sentence_alone(norm: str, p: Pending) -> bool:
    """A quote of a few words at least that opens its sentence (not a name in a list: «Greenpeace», «Oxfam»)."""
    before = norm[max(0, p.start - 200):p.start].rstrip(" «\"“\u00a0\u202f")
    if re.search(r"\b(?:lire|voir)(?: aussi| également)?\s*:$", before[-30:], re.I):
        return False  # "Lire aussi : «…»": a link to another article
    if norm[p.start:p.end].rstrip(" .»\"”").endswith("?"):
        return False  # a question is as often the interviewer's
    return len(norm[p.start:p.end].split()) >= 5 and (not before or before[-1] in ".!?…:\n»")


def _someone_else_between(model: EntityModel, entity, start: int, end: int) -> bool:
    return any(e is not entity and e.kind != "organisation" and any(start <= m.start < end for m in e.mentions)
               for e in model.entities)


def _main_speaker(norm: str, pendings: list[Pending], model: EntityModel) -> None:
    """A quoted sentence no construction attributes, in an article that quotes one person for nearly everything
    (an interview written up): that person's, with a low confidence."""
    attributed = [p for p in pendings if p.kind != "indirect" and (p.entity is not None or p.label)]
    counts = Counter(p.entity.index for p in attributed if p.entity is not None and p.entity.kind == "person")
    if not counts:
        return
    index, count = counts.most_common(1)[0]
    if count < MAIN_SPEAKER_QUOTES or count < MAIN_SPEAKER_SHARE * len(attributed):
        return
    entity = model.entities[index]
    last = None  # the last quote attributed so far
    for p in pendings:
        if p.kind == "indirect":
            continue
        if p.entity is not None or p.label:
            last = p
            continue
        if last is None or last.entity is not entity or _someone_else_between(model, entity, last.end, p.start):
            continue  # the quote before is someone else's, or the narration turned to someone else
        if p.kind == "direct" and p.attribution is None and p.balanced and _a_sentence_alone(norm, p):
            p.attribution = Attribution("main-speaker", confidence=MAIN_SPEAKER_CONFIDENCE)
            p.entity, p.confidence = entity, MAIN_SPEAKER_CONFIDENCE
            p.role = entity.role_at(p.start)
            p.steps = (f"the article quotes {entity.name} for {count} of its {len(attributed)} attributed quotes",)


def _name_descriptions(pendings: list[Pending], model: EntityModel) -> None:
    """A description the text ties to a named person anywhere (before or after) becomes that person."""
    named: dict[int, Resolution] = {}
    for p in pendings:
        if p.described is None:
            continue
        if p.described.index not in named:
            named[p.described.index] = model.named_later(p.described)
        found = named[p.described.index]
        if found.entity is not None:
            p.entity, p.label = found.entity, None
            p.steps += found.steps
            p.role = p.role or found.entity.role_at(p.start)


def _resolve(p: Pending, norm: str, model: EntityModel, by_start: dict[int, Pending], depth: int = 0) -> None:
    if p.done:
        return
    p.done = True
    a = p.attribution
    if a is None or a.empty:
        if a is not None:
            p.confidence = a.confidence
        return
    p.confidence = a.confidence
    if a.link is not None:
        target = by_start.get(a.link)
        if target is None:
            return
        if not target.done and depth < 20:
            _resolve(target, norm, model, by_start, depth + 1)
        if a.rule == "continuation" and target.entity is not None:
            other = model.prominent_between(target.end, p.start, exclude=target.entity)
            if other is not None:
                p.steps = (f"the narration since the quote at {target.start} puts {other.name} forward",)
                return
        p.entity, p.label, p.role, p.described = target.entity, target.label, target.role, target.described
        p.mention = target.mention
        who = target.entity.name if target.entity else target.label
        p.steps = (f"takes the speaker of the quote at {target.start}" + (f" ({who})" if who else ""),)
        if p.entity is not None:
            model.note_speaker(p.entity, p.start, p.start + 1)
        return
    if a.mention is None and a.elided is not None:
        resolution = model.subject_before(a.elided)
        p.steps = resolution.steps
        if resolution.entity is not None:
            p.entity = resolution.entity
            p.role = resolution.entity.role_at(p.start)
            model.note_speaker(resolution.entity, p.start, p.start + 1)
        return
    start, end = a.mention
    mention = norm[start:end]
    desc = describe(mention)
    if a.role and not desc.role:
        desc.role = norm[a.role[0]:a.role[1]].strip()
    named = _name_after(norm, end)
    if named and not desc.pronoun and desc.role and (not desc.name or len(desc.name.split()) == 1):
        # "un avocat du cardinal, Me Jean Félix Luciani"; "un responsable du parti MoDem, François Bayrou"
        if desc.name:
            desc.role = f"{desc.role} {desc.name}"
        desc.name = named
    elif not desc.definite and desc.role and not desc.name and not desc.pronoun:
        named = _name_before(norm, start)
        if named and named.split()[0].lower() not in lexicon.DETERMINERS:
            desc.name = named  # "a raconté Mistah, un trentenaire, qui «…»": the description is Mistah's
    p.mention = mention
    resolution = model.resolve(desc, start, (start, end))
    p.steps = resolution.steps
    entity = resolution.entity
    if resolution.weak:
        p.confidence *= WEAK_FACTOR
    if entity is None:
        label = speaker_label(desc)
        if label:
            entity = model.add_description(label, start, end, desc.gender, desc.definite, desc.plural)
            p.steps += (f"kept as a description: «{entity.name}»",)
    if entity is None:
        return
    model.note_speaker(entity, start, end)
    if entity.kind == "description":
        p.label, p.described = entity.name, entity
        p.confidence *= LABEL_FACTOR
        return
    p.entity = entity
    if entity.kind == "person":
        # a role a guess gave someone is not evidence for the next guess
        if desc.role and not desc.pronoun and not resolution.weak and (start, desc.role) not in entity.roles:
            entity.roles.append((start, desc.role))
            entity.roles.sort()
        p.role = desc.role if desc.role and not desc.pronoun else entity.role_at(start)


_NAME_AFTER = re.compile(r"(?:\s*\([^()]{1,60}\))?(?:\s+(?:à|au|en|de|du)\s+[A-ZÀ-Þ][\w'-]+)?,\s+((?:M\.|Mme|Me|Dr|Pr)\s+)?([A-ZÀ-Þ][\w'-]+(?:\s+(?:de |du |von |van |le |la )?[A-ZÀ-Þ][\w'-]+){0,3})"
                         r"\s*(?=[,.;)]|$)")
_NAME_BEFORE = re.compile(r"(?<![\w'-])([A-ZÀ-Þ][\w'-]+(?:\s+[A-ZÀ-Þ][\w'-]+){0,2}),\s+$")


def _name_after(norm: str, end: int) -> str | None:
    """ "…, Me Jean Félix Luciani." right after a description: the person it describes."""
    m = _NAME_AFTER.match(norm, end, min(len(norm), end + 80))
    if m and (m.group(2).split()[0] in lexicon.first_names() or m.group(1) and len(m.group(2).split()) > 1):
        return m.group(2)  # a first name alone too: "un Gilet jaune à Strasbourg, Jean-Jacques, 59 ans"
    return None


_NOT_NAMES_BEFORE = lexicon.TIME_WORDS | frozenset("ensuite puis enfin mais et or donc alors ainsi pourtant selon".split())


def _name_before(norm: str, start: int) -> str | None:
    """ "Mistah, un trentenaire …": the name an indefinite description is set beside."""
    m = _NAME_BEFORE.search(norm, max(0, start - 60), start)
    if m and m.group(1).split()[0].lower() in _NOT_NAMES_BEFORE:
        return None  # "Mercredi, plus d'un million de personnes …": a day opening the sentence, nobody's name
    return m.group(1) if m else None


def _role_span(norm: str, role: str | None, around: tuple[int, int]) -> tuple[int, int] | None:
    """Where the role is written near the mention (’ and spaces as the text has them), in the copy's offsets."""
    if not role:
        return None
    lo, hi = max(0, around[0] - 150), min(len(norm), around[1] + 150)
    at = norm.find(role, lo, hi)
    if at >= 0:
        return at, at + len(role)  # most roles are written as they are read
    kept = [k for k in range(lo, hi) if not norm[k].isspace()]
    wanted = "".join(c for c in role if not c.isspace())
    at = "".join(norm[k] for k in kept).find(wanted) if wanted else -1
    return (kept[at], kept[at + len(wanted) - 1] + 1) if at >= 0 else None


def _record(text: str, norm: str, p: Pending, original) -> QuoteRecord:
    """The record, its offsets (``original`` maps the copy's to the text's) slicing the text as given."""
    def written(span: tuple[int, int] | None) -> str | None:
        return text[original(span[0]):original(span[1])] if span else None

    a = p.attribution
    cue = written(a.cue) if a is not None else None
    confidence = p.confidence * (1 if p.balanced else UNBALANCED_FACTOR)
    mention = written(a.mention) if a is not None else None
    mention_start = original(a.mention[0]) if a is not None and a.mention else None
    evidence = Evidence(a.rule, cue, mention, mention_start, p.steps) if a is not None else None
    entity = p.entity
    around = a.mention if a is not None and a.mention else (p.start, p.end)
    role = (written(_role_span(norm, p.role, around)) or p.role) if entity and p.role else None
    start, end = original(p.start), original(p.end)
    return QuoteRecord(
        text[start:end], start, end,
        speaker=entity.name if entity else None,
        mention=mention if entity or p.label else None,
        role=role,
        cue=cue, cue_lemma=a.cue_lemma if a is not None and a.cue else None, type=p.kind,
        confidence=round(min(1.0, max(0.0, confidence)), 3),
        speaker_kind=entity.kind if entity else None,
        speaker_label=None if entity else p.label,
        evidence=evidence,
    )
