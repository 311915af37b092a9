"""ORM rows turned into the plain dicts the response schemas describe."""
from ..models import Document, Quote, Speaker


def speaker_ref(speaker: Speaker | None, role: str | None = None) -> dict | None:
    """The speaker with the role given alongside one quote (else the first role seen)."""
    if speaker is None:
        return None
    roles = speaker.roles or []
    return {"id": speaker.id, "name": speaker.name, "role": role or (roles[0] if roles else None)}


def document_ref(document: Document) -> dict:
    return {
        "id": document.id,
        "title": document.title,
        "url": document.url,
        "source": document.source,
        "published_at": document.published_at,
    }


def quote_fields(quote: Quote) -> dict:
    return {
        "id": quote.id,
        "quote": quote.quote,
        "speaker": speaker_ref(quote.speaker, quote.role),
        "mention": quote.mention,
        "cue": quote.cue,
        "cue_lemma": quote.cue_lemma,
        "type": quote.type,
        "start": quote.start,
        "end": quote.end,
        "confidence": quote.confidence,
        "document_id": quote.document_id,
    }


def quote_item(quote: Quote) -> dict:
    return {**quote_fields(quote), "document": document_ref(quote.document)}


def document_full(document: Document) -> dict:
    return {
        **document_ref(document),
        "created_at": document.created_at,
        "content_hash": document.content_hash,
        "text": document.text,
        "quotes": [quote_fields(q) for q in sorted(document.quotes, key=lambda q: (q.start, q.id))],
    }


def speaker_item(row) -> dict:
    """A ``(Speaker, quote_count)`` row of ``search.speaker_select``."""
    speaker, quote_count = row
    return {"id": speaker.id, "name": speaker.name, "roles": list(speaker.roles or []), "quote_count": quote_count}
