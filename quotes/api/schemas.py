"""Request and response schemas of the JSON API (the OpenAPI document is generated from them)."""
from datetime import datetime, timezone

from apiflask import Schema
from apiflask.fields import Boolean, DateTime, Float, Integer, List, Nested, String
from apiflask.validators import Length, OneOf, Range
from flask import current_app
from marshmallow import ValidationError, post_load, validates

from .. import dates, search
from ..document_fields import MAX_LENGTHS
from ..extract import QUOTE_TYPES
from ..extract.record import SPEAKER_KINDS
from ..models import MAX_ID
from ..search import QUOTE_SORTS, SPEAKER_SORTS
from ..text import WHITESPACE_CLASS, stored_form
from .pagination import PageArgs, PageMeta, QueryArgs


class Text(String):
    """A string that is valid Unicode: JSON may carry lone surrogates ("\\ud800"), which no
    UTF-8 database or CSV can hold."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValidationError("Not valid Unicode text (it holds a lone surrogate).") from exc
        return text


class Stored(Text):
    """Text to store: without NUL, which no PostgreSQL text can hold (the pattern says so to clients)."""

    def __init__(self, *args, pattern: str = "^[^\\x00]*$", **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("pattern", pattern)
        super().__init__(*args, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ValidationError("Must not contain a NUL character.")
        return text


class PublishedAt(Text):
    """A publication date: ``2022-01-12``, or a date-time whose offset is kept (``2022-01-12T00:30:00+01:00``).

    In the accepted years (quotes.dates, whose exact pattern the spec shows).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("pattern", dates.ISO_PATTERN)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return dates.parse_published(super()._deserialize(value, attr, data, **kwargs))
        except dates.InvalidDate as exc:
            raise ValidationError(str(exc)) from exc


class DateFilter(Text):
    """A year, a month or a day (the publication's own date), or a date-time (the instant): see quotes.dates."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).setdefault("pattern", dates.FILTER_PATTERN)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return dates.parse_filter(super()._deserialize(value, attr, data, **kwargs), attr)
        except dates.InvalidDate as exc:
            raise ValidationError(str(exc)) from exc


class UtcDateTime(DateTime):
    """A datetime written with its offset, as RFC 3339 wants: a stored naive one is UTC (2022-01-12T10:00:00+00:00)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)


# ---- input -----------------------------------------------------------------


class TextIn(Schema):
    text = Text(required=True, validate=Length(min=1), metadata={
        "description": "the article text, not blank", "pattern": f"[^{WHITESPACE_CLASS}]",
    })

    @validates("text")
    def _text_not_blank(self, value, **kwargs):
        if not value.strip():
            raise ValidationError("Must not be blank.")


class DocumentIn(TextIn):
    text = Stored(required=True, validate=Length(min=1), pattern=f"^[^\\x00]*[^{WHITESPACE_CLASS}\\x00][^\\x00]*$",
                  metadata={"description": "the article text, not blank, without NUL"})
    title = Stored(allow_none=True, validate=Length(max=MAX_LENGTHS["title"]))
    url = Stored(allow_none=True, validate=Length(max=MAX_LENGTHS["url"]))
    source = Stored(allow_none=True, validate=Length(max=MAX_LENGTHS["source"]), metadata={"description": "outlet or agency"})
    published_at = PublishedAt(allow_none=True, metadata={
        "description": "ISO 8601 date or date-time, years 1800 to 2200; returned with the offset it was given (none: UTC)"})

    @post_load
    def _text_as_stored(self, data, **kwargs):
        # One article in NFD and in NFC is one document; the offsets returned index the stored text.
        return {**data, "text": stored_form(data["text"])}


class DocumentsIn(DocumentIn):
    """One document object, or a list of them (at most MAX_DOCUMENTS_PER_POST)."""

    def load(self, data, *, many=None, partial=None, unknown=None):
        if not isinstance(data, list):
            return super().load(data, many=False, partial=partial, unknown=unknown)
        maximum = current_app.config["MAX_DOCUMENTS_PER_POST"]
        if not data:
            raise ValidationError(["The list holds no document."])
        if len(data) > maximum:
            raise ValidationError([f"At most {maximum} documents per request, got {len(data)}."])
        return super().load(data, many=True, partial=partial, unknown=unknown)


class ExtractIn(TextIn):
    """Only a text: nothing is stored, so nothing else is asked."""


class QuoteFilterArgs(QueryArgs):
    speaker = Text(validate=Length(min=1, max=200), metadata={
        "description": "name or any part of it; case and accents ignored",
        "pattern": search.NAME_PATTERN,
    })
    speaker_id = Integer(validate=Range(min=1, max=MAX_ID))
    q = Text(validate=Length(min=1, max=500), metadata={
        "description": f"words in the quote (full text), 1 to {search.MAX_QUERY_WORDS}", "pattern": search.WORDS_PATTERN,
    })
    document_id = Integer(validate=Range(min=1, max=MAX_ID))
    source = Text(validate=Length(min=1, max=200), metadata={"description": "the source's name; case and accents ignored"})
    since = DateFilter(metadata={"description": f"published in or after: {dates.FILTER_FORMAT}; years 1800 to 2200"})
    until = DateFilter(metadata={"description": "published in or before (a year, month or day includes all of it)"})
    type = Text(validate=OneOf(QUOTE_TYPES))


def _quote_sort() -> Text:
    return Text(load_default="-date", validate=OneOf(QUOTE_SORTS), metadata={
        "description": "-date: newest first (default), date: oldest first; undated last, then in stored order"})


class QuoteArgs(QuoteFilterArgs, PageArgs):
    sort = _quote_sort()


class SpeakerQuoteArgs(PageArgs):
    sort = _quote_sort()


class CsvArgs(QuoteFilterArgs):
    bom = Boolean(load_default=False, metadata={"description": "start with a UTF-8 BOM (for Excel)"})


class SpeakerArgs(PageArgs):
    q = Text(validate=Length(min=1, max=200), metadata={
        "description": "name or any part of it", "pattern": search.NAME_PATTERN,
    })
    kind = Text(validate=OneOf(SPEAKER_KINDS), metadata={"description": "person or organisation"})
    sort = Text(load_default="quotes", validate=OneOf(SPEAKER_SORTS), metadata={
        "description": "quotes: the most quoted first (default), name: by name"})


# ---- output ----------------------------------------------------------------


class SpeakerRef(Schema):
    id = Integer(required=True)
    name = String(required=True)
    kind = String(required=True, metadata={"description": "person or organisation"})
    role = String(allow_none=True, metadata={"description": "the role the text gives the speaker at this quote"})


class EvidenceOut(Schema):
    """Why the quote has its speaker (or none): the construction, its cue, the mention, the path to the name."""

    rule = String(required=True)
    cue = String(allow_none=True)
    mention = String(allow_none=True, metadata={"description": "the speaker as written at the cue"})
    mention_start = Integer(allow_none=True)
    steps = List(String(), required=True, metadata={"description": "from the mention to the name, in order"})
    explanation = String(required=True, metadata={"description": "all of it in one readable line"})


class DocumentRef(Schema):
    id = Integer(required=True)
    title = String(allow_none=True)
    url = String(allow_none=True)
    source = String(allow_none=True)
    published_at = UtcDateTime(allow_none=True)


class QuoteFields(Schema):
    id = Integer(required=True)
    quote = String(required=True)
    speaker = Nested(SpeakerRef, allow_none=True, metadata={"description": "a person or organisation the text names"})
    speaker_label = String(allow_none=True, metadata={
        "description": "who speaks when the text names nobody (\"porte-parole de la préfecture\")"})
    mention = String(allow_none=True)
    cue = String(allow_none=True)
    cue_lemma = String(allow_none=True)
    type = String(required=True)
    start = Integer(required=True)
    end = Integer(required=True)
    confidence = Float(allow_none=True)
    evidence = Nested(EvidenceOut, allow_none=True)
    document_id = Integer(required=True)


class QuoteOut(QuoteFields):
    document = Nested(DocumentRef, required=True)


class QuotePage(PageMeta):
    items = List(Nested(QuoteOut), required=True)


class DocumentOut(DocumentRef):
    created_at = UtcDateTime()
    content_hash = String()
    text = String(required=True)
    quotes = List(Nested(QuoteFields), required=True)


class PostedDocument(DocumentOut):
    created = Boolean(required=True, metadata={"description": "false when the same text was already stored"})


class PostedDocuments(Schema):
    items = List(Nested(PostedDocument), required=True)
    created = Integer(required=True, metadata={"description": "how many documents are new"})
    existing = Integer(required=True, metadata={"description": "how many were already stored"})


class ExtractedQuote(Schema):
    quote = String(required=True)
    start = Integer(required=True)
    end = Integer(required=True)
    speaker = String(allow_none=True)
    speaker_kind = String(allow_none=True)
    speaker_label = String(allow_none=True)
    mention = String(allow_none=True)
    role = String(allow_none=True)
    cue = String(allow_none=True)
    cue_lemma = String(allow_none=True)
    type = String(required=True)
    confidence = Float(required=True)
    evidence = Nested(EvidenceOut, allow_none=True)


class ExtractOut(Schema):
    quotes = List(Nested(ExtractedQuote), required=True)


class RoleCount(Schema):
    role = String(required=True)
    quote_count = Integer(required=True, metadata={"description": "how many of the speaker's quotes carry it"})


class SpeakerOut(Schema):
    id = Integer(required=True)
    name = String(required=True)
    kind = String(required=True, metadata={"description": "person or organisation"})
    document_id = Integer(allow_none=True, metadata={
        "description": "set for a person the texts name by one word: known in that document only, never merged"})
    roles = List(Nested(RoleCount), required=True, metadata={"description": "the most frequent first"})
    quote_count = Integer(required=True)


class SpeakerPage(PageMeta):
    items = List(Nested(SpeakerOut), required=True)


class SpeakerDetail(SpeakerOut):
    quotes = Nested(QuotePage, required=True)


class HealthOut(Schema):
    status = String(required=True, metadata={"description": "ok, or unavailable when the database cannot be reached"})
    database = String(required=True)
    model = String(required=True, metadata={"description": "the spaCy pipeline the extractor uses"})
    model_loaded = Boolean(required=True, metadata={"description": "whether this process has loaded it yet"})
    version = String(required=True)
