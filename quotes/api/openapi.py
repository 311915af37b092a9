"""Touches to the generated OpenAPI document for what marshmallow cannot say by itself."""
from pathlib import Path
from types import SimpleNamespace

import flask_swagger_ui
from apiflask import APIFlask
from flask import Blueprint

from .schemas import PostedDocuments

# Swagger UI's files as the flask-swagger-ui package ships them: /api/docs works offline.
SWAGGER_UI_FILES = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
SWAGGER_UI_URL = "/api/docs/assets"


def init_app(app: APIFlask) -> None:
    app.register_blueprint(Blueprint("swagger_ui", __name__, static_folder=SWAGGER_UI_FILES, static_url_path=SWAGGER_UI_URL))
    app.config.update(
        SWAGGER_UI_CSS=f"{SWAGGER_UI_URL}/swagger-ui.css",
        SWAGGER_UI_BUNDLE_JS=f"{SWAGGER_UI_URL}/swagger-ui-bundle.js",
        SWAGGER_UI_STANDALONE_PRESET_JS=f"{SWAGGER_UI_URL}/swagger-ui-standalone-preset.js",
        DOCS_FAVICON=f"{SWAGGER_UI_URL}/favicon-32x32.png",
    )
    app.config["SPEC_PROCESSOR_PASS_OBJECT"] = True
    app.config["INFO"] = {
        "description": (
            "Quotations found in French news text, attributed to their speakers. "
            'Every error has the shape {"error": {"code", "message", "details"}}. '
            "Writes need 'Authorization: Bearer <token>' when the server sets QUOTES_API_TOKEN."
        )
    }

    @app.spec_processor
    def complete(spec):
        if "PostedDocuments" not in spec.components.schemas:
            spec.components.schema("PostedDocuments", schema=PostedDocuments)
        document = spec.to_dict()
        for operations in document["paths"].values():
            for method, operation in operations.items():
                _describe_query(operation, app.config["MAX_PER_PAGE"])
                if "requestBody" in operation:
                    operation["requestBody"]["required"] = True
                    operation["responses"].setdefault("413", _error("The body is larger than MAX_CONTENT_LENGTH"))
                if method in ("post", "delete"):  # writes and /api/extract are rate limited
                    operation["responses"].setdefault("429", _error("Rate limit exceeded; see Retry-After"))
        # POST /api/documents takes one object or a list of them (DocumentsIn.load
        # accepts both) and answers PostedDocument or PostedDocuments accordingly.
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


def _describe_query(operation: dict, max_per_page: int) -> None:
    """What schemas cannot hold: the configured page-size maximum, and that an empty value means "not given"."""
    for parameter in operation.get("parameters", []):
        if parameter.get("in") != "query":
            continue
        parameter["allowEmptyValue"] = True
        if parameter["name"] == "per_page":
            parameter["schema"]["maximum"] = max_per_page


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPError"}}},
    }
