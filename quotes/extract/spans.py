"""Finding quotation spans: a character scanner over guillemets and quote marks.

A scanner rather than a regex because French press quotes nest inner quotes,
run over several paragraphs (each reopened with « or »), and real text holds
unbalanced marks that must never crash nor swallow the rest of a document.
"""
import re
from bisect import bisect_right
from dataclasses import dataclass

from ..text import fold
from . import lexicon

OPEN, CLOSE = "«", "»"
_SPACE = " \t\n\u00a0\u202f"
_WORD = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Span:
    """A quotation's content (``start``/``end``) and its marks (``open``/``close``)."""

    start: int
    end: int
    open: int
    close: int | None  # None when the quote was never closed (ended at its paragraph end)
    marks: str = "«»"
    paragraphs: int = 1

    @property
    def balanced(self) -> bool:
        return self.close is not None

    @property
    def after(self) -> int:
        """First offset after the quote and its closing mark."""
        return self.close + 1 if self.close is not None else self.end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _next_paragraph_start(text: str, newline: int) -> int:
    j = newline
    while j < len(text) and text[j] in _SPACE:
        j += 1
    return j


_GUILLEMET_EVENTS = re.compile("[" + re.escape(OPEN + CLOSE) + "\n]")


def _guillemet_spans(text: str) -> list[Span]:
    spans: list[Span] = []
    depth, opened, paragraphs = 0, -1, 1
    i, n = 0, len(text)
    while i < n:
        m = _GUILLEMET_EVENTS.search(text, i)  # straight to the next mark or line end
        if m is None:
            break
        i = m.start()
        c = text[i]
        if c == OPEN:
            if depth == 0:
                opened, paragraphs = i, 1
            depth += 1
        elif c == CLOSE and depth:
            depth -= 1
            if depth == 0:
                spans.append(_make(text, opened + 1, i, opened, i, "«»", paragraphs))
        elif c == "\n" and depth:
            j = _next_paragraph_start(text, i)
            if j < n and text[j] in (OPEN, CLOSE):
                # French convention: a quote running over paragraphs reopens each one with « (or »).
                depth, paragraphs, i = 1, paragraphs + 1, j + 1
                continue
            spans.append(_make(text, opened + 1, i, opened, None, "«»", paragraphs))
            depth = 0
        i += 1
    if depth:
        spans.append(_make(text, opened + 1, n, opened, None, "«»", paragraphs))
    return [s for s in spans if s.end > s.start]


def _make(text, start, end, opened, closed, marks, paragraphs) -> Span:
    start, end = _trimmed(text, start, end)
    return Span(start, end, opened, closed, marks, paragraphs)


# Straight and curly double quotes used as the main marks (web text without guillemets).
_CURLY = re.compile(r"“([^“”\n]+)”")
_STRAIGHT = re.compile(r'(?:(?<=^)|(?<=[\s(\[—–:-]))"([^"\n]+)"(?=$|[\s.,;:!?)\]…—–-])', re.M)


def _secondary_spans(text: str) -> list[Span]:
    spans = []
    for pattern, marks in ((_CURLY, "“”"), (_STRAIGHT, '""')):
        for m in pattern.finditer(text):
            start, end = _trimmed(text, m.start(1), m.end(1))
            if end > start:
                spans.append(Span(start, end, m.start(), m.end() - 1, marks))
    spans.sort(key=lambda s: s.open)
    kept: list[Span] = []
    for span in spans:  # a curly pair inside a straight one (or the reverse) stays inside it
        if kept and span.open < kept[-1].after:
            continue
        kept.append(span)
    return kept


def find_spans(text: str) -> list[Span]:
    """Every quotation-like span of ``text`` (normalised), in order, titles and names included."""
    spans = _guillemet_spans(text)
    if not spans:
        spans = _secondary_spans(text)
    return spans


def _words_before(text: str, pos: int, count: int, limit: int = 80) -> list[str]:
    # "l'appellation", "d'intitulé": the noun without its elided article
    return [re.sub(r"^[ld]['’]", "", w.lower()) for w in _WORD.findall(text[max(0, pos - limit):pos])[-count:]]


def looks_like_name(content: str) -> bool:
    """A short run of capitalised words ("Le Monde", "Barkhane"): a name or title, not speech."""
    words = _WORD.findall(content)
    if not words or len(words) > 6 or re.search(r"[.!?…,;:]\s*$", content.strip()):
        return False
    capitalised = [w for w in words if w[0].isupper() or w[0].isdigit()]
    rest = [w for w in words if w not in capitalised and w.lower() not in lexicon.NAME_PARTICLES]
    return bool(capitalised) and not rest


_NICKNAME_AFTER = re.compile(r"\s*[,)]?\s*(?:comme|ainsi qu)e?\s*(?:l[ae]s?\s*|l')?(?:surnomm|appell|baptis|nomm|dénomm)",
                             re.I)


_NAMED_GROUPS = frozenset(("alliance", "coalition"))  # "l'alliance «de circonstance»" is a quote, not a name
_TITLE_GAP = re.compile(r"\w\s*:?\s*$")
_SENTENCE_INSIDE = re.compile(r"[.!?…;]\s+\S")


def _known_term(content: str) -> bool:
    """A movement's name, alone or with a word or two naming one of its groups, and no punctuation."""
    if len(content) > 60 or re.search(r"[,;:!?]", content):
        return False  # (before folding: most quotes are long)
    words = fold(content.strip(" .")).split()
    if not words or len(words) > 4:
        return False
    terms = lexicon.known_terms()
    if " ".join(words) in terms:
        return True
    # a two-word name and a word or two after it ("gilets jaunes libres"), never a lone word's
    return any(" ".join(words[:n]) in terms for n in (2, 3) if n < len(words) <= n + 2)


_PUBLISHED = frozenset("paru parue parus parues publié publiée publiés publiées diffusé diffusée cité citée".split())
_TITLE_BEFORE = re.compile(r"(?:\b(?:le|la|les|du|des|de|au|aux)|\bl['’]|\bd['’])\s*$", re.I)
_SPEECH_OPENERS = frozenset("je j' nous on vous tu il elle ils elles c' ce ça oui non moi".split())


def _capitalised_title(text: str, span: Span, content: str) -> bool:
    """ "le «Défenseur des droits» français", "le patron de «La compagnie des tanneurs»": a short phrase with a
    capital and no punctuation, right after an article or "de", is something's name, not words said."""
    words = content.split()
    if not words or len(words) > 5 or not content[:1].isupper() or re.search(r"[.,;:!?…]", content):
        return False
    if re.sub(r"['’].*", "'", words[0].lower()) in _SPEECH_OPENERS:
        return False  # «Je reviendrai», «Nous savons»: someone speaking
    return bool(_TITLE_BEFORE.search(text, max(0, span.open - 8), span.open))


def is_not_a_quote(text: str, span: Span) -> bool:
    """Guillemets around a title, a nickname, a label or a lone name, judged from the words around."""
    content = text[span.start:span.end]
    before = _words_before(text, span.open, 3)
    if len(before) >= 2 and before[-1] in ("dans", "par") and before[-2] in _PUBLISHED and len(content.split()) <= 12:
        return True  # "paru dans «Le Pays»", "publié par «Sciences et Avenir»": where it was printed
    if _known_term(content):
        return True  # "une manifestation de «gilets jaunes»", "le collectif «gilets jaunes libres»": a name
    if before and before[-1] in lexicon.TITLE_CUES and _TITLE_GAP.search(text, max(0, span.open - 4), span.open) \
            and (content[:1].isupper() or before[-1] not in _NAMED_GROUPS) \
            and (len(content.split()) <= 12 or len(content.split()) <= 25 and not _SENTENCE_INSIDE.search(content)):
        # right after the noun (not across a sentence: "selon le quotidien. «…»" is a quote);
        # "sur le thème «Contribution de la femme … à la paix»": a long title, still no sentence
        return True
    if any(w in ("surnommé", "surnommée", "baptisé", "baptisée", "intitulé", "intitulée", "alias")
           for w in before):
        return True
    if _NICKNAME_AFTER.match(text, span.after):
        return True  # "la «taxe Apple», comme la surnomment ses détracteurs"
    if _capitalised_title(text, span, content):
        return True
    if not looks_like_name(content):
        return False
    if before and before[-1] in lexicon.LABEL_NOUNS:
        return True
    embedded = bool(before) and _ends_with_word(text, span.open)
    followed_by_word = re.match(r"\s*[\w]", text[span.after:span.after + 3]) is not None
    return embedded or followed_by_word


def _ends_with_word(text: str, pos: int) -> bool:
    j = pos - 1
    while j >= 0 and text[j] in _SPACE and text[j] != "\n":
        j -= 1
    return j >= 0 and (text[j].isalnum() or text[j] in "'’")


_TERM_WORDS = 4  # a quoted term ("gilets jaunes", "foulards rouges") is short
_TERM_BEFORE = re.compile(r"(?:\b(?:les|des|aux|du|de la|de l'|le|la|l'|un|une|ces|ses|leurs|nos)\s*|\bd')$", re.I)


def quoted_terms(text: str, spans: list[Span]) -> set[int]:
    """Opening offsets of spans that quote a term the text keeps using, not anyone's words.

    A short span after a determiner ("les «gilets jaunes»") whose very words
    stand in guillemets again, or outside any quotation, elsewhere in the text:
    a name for something (a movement, a slogan used as a label), which nobody is
    presented as saying. A quote a title repeats stands alone in its paragraph,
    not after a determiner, so it is not taken for one.
    """
    def key(s: str) -> str:
        return " ".join(re.findall(r"\w+", s.lower()))

    candidates = {}
    for span in spans:
        content = text[span.start:span.end]
        words = content.split()
        if 0 < len(words) <= _TERM_WORDS and not re.search(r"[.!?…]\s*$", content) \
                and _TERM_BEFORE.search(text[max(0, span.open - 12):span.open]):
            candidates.setdefault(key(content), []).append(span)
    if not candidates:
        return set()
    seen = {k: set() for k in candidates}  # the words before each time in guillemets
    for span in spans:
        k = key(text[span.start:span.end])
        if k in seen:
            # the same words before it twice: the same sentence printed twice, not a second use
            seen[k].add(key(text[max(0, span.open - 40):span.open]))
    counts = {k: len(v) for k, v in seen.items()}
    # outside quotations: the text between spans
    pos, outside = 0, []
    for span in spans:
        outside.append(text[pos:span.open])
        pos = span.after
    outside.append(text[pos:])
    plain = " " + key(" ".join(outside)) + " "
    # Quoted twice in different sentences, or once with its words outside guillemets too (a single
    # word also stands outside guillemets by chance).
    terms = {k for k in counts if counts[k] >= 2
             or counts[k] >= 1 and len(k.split()) >= 2 and plain.count(" " + k + " ") >= 1}
    return {span.open for k in terms for span in candidates[k]}


# An incise inside the marks: ", dit-il.", ", a-t-elle ajouté,", ", affirme le ministre de la Défense,".
_INNER_INCISE = re.compile(
    r",\s+((?:(?:a|ont|avait|avaient|aurait)(?:-t)?-(?:il|elle|ils|elles|on)\s+)?([a-zà-ÿ]+)"
    r"(?:-t)?(?:-(?:il|elle|ils|elles|on))?(?:\s+[^\s,.;:!?«»]+){0,7}?)\s*([,.;!?])\s+(?=\S)")
_INCISE_AUXILIARIES = frozenset("a ont avait avaient aurait auraient".split())
_CLITIC = re.compile(r"-(?:t-)?(?:il|elle|ils|elles|on)\b")


def split_at_incises(text: str, spans: list[Span], past_commas: bool = False) -> list[tuple[Span, int | None]]:
    """Spans with each quote cut by an incise inside its marks made two: «Rien n'est joué, a reconnu X. Mais…».

    Each part comes with the index (in the returned list) of the part before
    it, whose incise speaks for it too; the incise itself is in neither. A part
    "closes" on the comma before the incise, so that the incise reads as one
    after a closing mark, and the next part "opens" on the incise's last mark.
    With ``past_commas`` (a novel's dialogue, where incises are many and short)
    the search starts again at each rejected comma; news keeps the scan that
    skips a rejected stretch ("Ces données, qui font réfléchir, soulignent…"
    is no incise).
    """
    forms = lexicon.form_to_lemmas()
    out: list[tuple[Span, int | None]] = []
    for span in spans:
        cuts = []  # (comma, the incise's last mark, where the words start again)
        start = span.start
        if span.balanced and span.marks == "«»":
            # in dialogue, searched again from each rejected comma, not past it: in «Ni une baleine, ni un
            # requin, dit Paul, …» the words after the first comma are not an incise, and its comma ends them
            m = _INNER_INCISE.search(text, span.start, span.end)
            while m is not None:
                body = m.group(1)
                words = body.lower().replace("-t-", " ").replace("-", " ").split()
                if not (words[0] in forms or words[0] in _INCISE_AUXILIARIES and any(w in forms for w in words[1:3])):
                    pass  # ", a reconnu X", ", dit-il", ", affirme le ministre": a reporting verb first
                elif not _CLITIC.search(body) and not re.search(r"\s(?:l[ea]\s|l'|les\s|[A-ZÀ-Þ])", body):
                    pass  # a verb with no subject after it: the quote's own words
                elif m.start() - start < 3 or span.end - m.end() < 3 \
                        or text.count("«", start, m.start()) != text.count("»", start, m.start()):
                    pass  # nothing on one side, or inside an inner quotation
                else:
                    cuts.append((m.start(), m.start(3), m.end()))
                    start = m.end()
                    m = _INNER_INCISE.search(text, m.end(), span.end)
                    continue
                m = _INNER_INCISE.search(text, m.start() + 1 if past_commas else m.end(), span.end)
        if not cuts:
            out.append((span, None))
            continue
        bounds = [(span.start, span.open)] + [(resume, mark) for _, mark, resume in cuts]
        closes = [comma for comma, _, _ in cuts] + [span.close]
        ends = [comma for comma, _, _ in cuts] + [span.end]
        for n, ((begin, opened), close, end) in enumerate(zip(bounds, closes, ends)):
            begin, end = _trimmed(text, begin, end)
            out.append((Span(begin, end, opened, close, span.marks, span.paragraphs), len(out) - 1 if n else None))
    return out


class QuotedRanges:
    """(open, after) ranges of the quotes of a text, for fast "is this inside a quote" questions."""

    def __init__(self, ranges):
        self.ranges = sorted(ranges)
        self.starts = [a for a, _ in self.ranges]

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and self.ranges[k][0] <= pos < self.ranges[k][1]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The ranges that overlap [start, end)."""
        k = max(0, bisect_right(self.starts, start) - 1)
        out = []
        while k < len(self.ranges) and self.ranges[k][0] < end:
            if self.ranges[k][1] > start:
                out.append(self.ranges[k])
            k += 1
        return out
