"""ORM rows turned into the plain dicts the response schemas describe."""
from ..extract.record import Evidence
from ..models import Document, Quote, Speaker


def speaker_ref(speaker: Speaker | None, role: str | None = None) -> dict | None:
    """The speaker with the role its text gives alongside one quote (none when it gives none)."""
    if speaker is None:
        return None
    return {"id": speaker.id, "name": speaker.name, "kind": speaker.kind, "role": role}


def evidence(stored: dict | None) -> dict | None:
    """A quote's stored evidence, with the line that explains it."""
    if not stored:
        return None
    steps = tuple(stored.get("steps") or ())
    fields = {name: stored.get(name) for name in ("rule", "cue", "mention", "mention_start")}
    return {**fields, "steps": list(steps), "explanation": Evidence(**fields, steps=steps).explain()}


def extracted(record: dict) -> dict:
    """An extractor's record (``QuoteRecord.to_dict``) with its evidence explained."""
    return {**record, "evidence": evidence(record["evidence"])}


def document_ref(document: Document) -> dict:
    return {
        "id": document.id,
        "title": document.title,
        "url": document.url,
        "source": document.source,
        "published_at": document.published,
    }


def quote_fields(quote: Quote) -> dict:
    return {
        "id": quote.id,
        "quote": quote.quote,
        "speaker": speaker_ref(quote.speaker, quote.role),
        "speaker_label": quote.speaker_label,
        "mention": quote.mention,
        "cue": quote.cue,
        "cue_lemma": quote.cue_lemma,
        "type": quote.type,
        "start": quote.start,
        "end": quote.end,
        "confidence": quote.confidence,
        "evidence": evidence(quote.evidence),
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


def speaker_item(row, roles: list[tuple[str, int]]) -> dict:
    """A ``(Speaker, quote_count)`` row of ``search.speaker_select`` with its roles (``search.speaker_roles``)."""
    speaker, quote_count = row
    return {
        "id": speaker.id,
        "name": speaker.name,
        "kind": speaker.kind,
        "document_id": speaker.document_id,
        "roles": [{"role": role, "quote_count": n} for role, n in roles],
        "quote_count": quote_count,
    }
