"""Documents: post articles (their quotes are extracted and stored), read them, delete them.

A list is all-or-nothing: every item is validated first, then all are stored in
one transaction, so a request either stores every new document or none.
"""
from apiflask import APIBlueprint, abort
from flask import current_app, jsonify

from .. import get_session, store
from ..db import begin_write
from ..intake import add_documents
from . import ID, present
from .auth import token_auth
from ..limits import write_limit
from .schemas import DocumentOut, DocumentsIn, PostedDocument, PostedDocuments

bp = APIBlueprint("documents", __name__)

_POSTED = {
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/PostedDocument"},
                    {"$ref": "#/components/schemas/PostedDocuments"},
                ]
            }
        }
    }
}


@bp.post("/documents")
@write_limit
@bp.auth_required(token_auth)
@bp.input(DocumentsIn, arg_name="body")
@bp.output(PostedDocument, status_code=201, description="At least one document is new")
@bp.doc(
    responses={
        200: {"description": "Every document was already stored (same text)", **_POSTED},
        201: {"description": "At least one document is new", **_POSTED},
    }
)
def post_documents(body):
    """Store an article (an object) or up to MAX_DOCUMENTS_PER_POST articles (a list), with their quotes."""
    items = body if isinstance(body, list) else [body]
    results = add_documents(get_session(), [_to_input(item) for item in items], current_app.config["SPACY_MODEL"])
    status = 201 if any(created for _, created in results) else 200
    posted = [{**present.document_full(doc), "created": created} for doc, created in results]
    if not isinstance(body, list):
        return posted[0], status
    created = sum(1 for _, c in results if c)
    # @bp.output describes the single-object answer; the list answer is dumped here.
    listing = PostedDocuments().dump({"items": posted, "created": created, "existing": len(posted) - created})
    response = jsonify(listing)
    response.status_code = status
    return response


@bp.get(f"/documents/<{ID}:document_id>")
@bp.output(DocumentOut)
def get_document(document_id):
    """One stored document with its text and its quotes."""
    document = store.get_document(get_session(), document_id)
    if document is None:
        abort(404, f"No document with id {document_id}.")
    return present.document_full(document)


@bp.delete(f"/documents/<{ID}:document_id>")
@write_limit
@bp.auth_required(token_auth)
@bp.output({}, status_code=204)
def delete_document(document_id):
    """Delete a document, its quotes, and speakers left with no quote."""
    session = get_session()
    begin_write(session)
    if not store.delete_document(session, document_id):
        abort(404, f"No document with id {document_id}.")
    session.commit()
    return ""


def _to_input(item: dict) -> store.DocumentInput:
    return store.DocumentInput(
        text=item["text"],
        title=item.get("title"),
        url=item.get("url"),
        source=item.get("source"),
        published_at=item.get("published_at"),
    )
