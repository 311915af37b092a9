"""Touches to the generated OpenAPI document for what marshmallow cannot say by itself."""
from types import SimpleNamespace

from apiflask import APIFlask

from .schemas import PostedDocuments


def init_app(app: APIFlask) -> None:
    app.config["SPEC_PROCESSOR_PASS_OBJECT"] = True
    app.config["INFO"] = {
        "description": (
            "Quotations found in French news text, attributed to their speakers. "
            'Every error has the shape {"error": {"code", "message", "details"}}. '
            "Writes need 'Authorization: Bearer <token>' when the server sets QUOTES_API_TOKEN."
        )
    }

    @app.spec_processor
    def document_lists(spec):
        # POST /api/documents takes one object or a list of them (DocumentsIn.load
        # accepts both) and answers PostedDocument or PostedDocuments accordingly.
        if "PostedDocuments" not in spec.components.schemas:
            spec.components.schema("PostedDocuments", schema=PostedDocuments)
        document = spec.to_dict()
        post = document["paths"].get("/api/documents", {}).get("post")
        if post is not None:
            body = post["requestBody"]["content"]["application/json"]
            one = body["schema"]
            body["schema"] = {
                "oneOf": [
                    one,
                    {"type": "array", "items": one, "minItems": 1, "maxItems": app.config["MAX_DOCUMENTS_PER_POST"]},
                ]
            }
        return SimpleNamespace(to_dict=lambda: document)
