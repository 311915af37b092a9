"""Service-wide behaviour: health, OpenAPI document, error shape, security headers, auth, rate limits."""
import pytest
from sqlalchemy.exc import OperationalError

from quotes import create_app

from .conftest import assert_error

API_PATHS = {
    "/api/documents": {"post"},
    "/api/documents/{document_id}": {"get", "delete"},
    "/api/extract": {"post"},
    "/api/quotes": {"get"},
    "/api/quotes.csv": {"get"},
    "/api/speakers": {"get"},
    "/api/speakers/{speaker_id}": {"get"},
    "/api/health": {"get"},
}


def make_app(test_config, **settings):
    return create_app(type("Config", (test_config,), settings))


def test_health_reports_database_and_model_without_loading_it(client, app):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["model"] == app.config["SPACY_MODEL"]
    assert isinstance(body["model_loaded"], bool)


def test_health_is_503_when_the_database_is_unreachable(test_config, tmp_path):
    app = make_app(test_config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}")  # a directory, not a database
    response = app.test_client().get("/api/health")
    assert response.status_code == 503
    body = response.get_json()
    assert (body["status"], body["database"]) == ("unavailable", "unreachable")


def test_openapi_document_lists_every_path_and_method(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    paths = {path: set(ops) & {"get", "post", "delete"} for path, ops in spec["paths"].items()}
    assert paths == API_PATHS
    post = spec["paths"]["/api/documents"]["post"]
    variants = post["requestBody"]["content"]["application/json"]["schema"]["oneOf"]
    assert variants[1]["type"] == "array" and variants[1]["maxItems"] == 100
    assert {"200", "201", "400", "401"} <= set(post["responses"])
    assert "PostedDocuments" in spec["components"]["schemas"]
    query = {p["name"] for p in spec["paths"]["/api/quotes"]["get"]["parameters"]}
    assert query >= {"speaker", "speaker_id", "q", "document_id", "source", "since", "until", "type", "page", "per_page"}
    error = spec["components"]["schemas"]["HTTPError"]
    assert error["properties"]["error"]["required"] == ["code", "message", "details"]
    assert "text/csv" in spec["paths"]["/api/quotes.csv"]["get"]["responses"]["200"]["content"]
    per_page = next(p for p in spec["paths"]["/api/quotes"]["get"]["parameters"] if p["name"] == "per_page")
    assert per_page["schema"]["maximum"] == 100
    assert post["requestBody"]["required"] is True


def test_docs_page_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"


def test_unknown_path_and_wrong_method_use_the_error_shape(client):
    assert_error(client.get("/api/nothing-here"), 404)
    error = assert_error(client.put("/api/quotes"), 405)
    assert error["message"] == "Method Not Allowed"


def test_security_headers(client, seeded):
    for path in ("/api/quotes", "/api/quotes.csv", "/api/nothing-here"):
        headers = client.get(path).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert headers["X-Frame-Options"] == "DENY"


def test_an_unexpected_error_is_a_500_without_a_stack_trace(test_config):
    app = make_app(test_config, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/api/boom")
    def boom():
        raise RuntimeError("secret internals /etc/passwd")

    response = app.test_client().get("/api/boom")
    error = assert_error(response, 500)
    text = response.get_data(as_text=True)
    assert "secret" not in text and "Traceback" not in text and error["details"] == {}


def test_a_locked_database_is_a_503_asking_to_retry(test_config):
    app = make_app(test_config, TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/api/locked")
    def locked():
        raise OperationalError("INSERT INTO quotes ...", {}, Exception("database is locked"))

    response = app.test_client().get("/api/locked")
    assert_error(response, 503)
    assert response.headers["Retry-After"] == "1"
    assert "INSERT" not in response.get_data(as_text=True)


@pytest.fixture
def guarded(test_config):
    return make_app(test_config, API_TOKEN="s3cret-token").test_client()


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Bearer s3cret-toke", "Basic s3cret-token", "s3cret-token"])
def test_writes_need_the_token_when_it_is_set(guarded, header):
    headers = {"Authorization": header} if header else {}
    for response in (
        guarded.post("/api/documents", json={"text": "Un texte."}, headers=headers),
        guarded.delete("/api/documents/1", headers=headers),
    ):
        error = assert_error(response, 401)
        assert "Bearer" in error["message"]
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert guarded.get("/api/quotes").get_json()["total"] == 0


def test_the_right_token_writes_and_reads_stay_open(guarded):
    auth = {"Authorization": "Bearer s3cret-token"}
    created = guarded.post("/api/documents", json={"text": "Un texte sans citation."}, headers=auth)
    assert created.status_code == 201
    document_id = created.get_json()["id"]
    assert guarded.get(f"/api/documents/{document_id}").status_code == 200
    assert guarded.get("/api/quotes").status_code == 200
    assert guarded.get("/api/speakers").status_code == 200
    assert guarded.post("/api/extract", json={"text": "Rien."}).status_code == 200
    assert guarded.delete(f"/api/documents/{document_id}", headers=auth).status_code == 204


def test_rate_limits_on_writes_and_extract_are_429_json(test_config):
    app = make_app(test_config, RATELIMIT_ENABLED=True, RATELIMIT_WRITE="2 per minute", RATELIMIT_EXTRACT="1 per minute")
    client = app.test_client()
    assert client.post("/api/extract", json={"text": "Rien."}).status_code == 200
    limited = client.post("/api/extract", json={"text": "Rien."})
    error = assert_error(limited, 429)
    assert "1 per 1 minute" in error["message"]
    assert int(limited.headers["Retry-After"]) > 0
    assert client.post("/api/documents", json={"text": "Premier."}).status_code == 201
    assert client.post("/api/documents", json={"text": "Second."}).status_code == 201
    assert_error(client.post("/api/documents", json={"text": "Troisième."}), 429)
    for _ in range(5):  # reads are not limited
        assert client.get("/api/quotes").status_code == 200
    assert client.get("/api/quotes").get_json()["total"] == 0
    assert len(client.get("/api/openapi.json").get_json()["paths"]) == len(API_PATHS)


def test_rate_limits_are_off_in_tests_by_default(client):
    for _ in range(130):
        assert client.post("/api/extract", json={"text": "Rien."}).status_code == 200


def test_html_pages_get_a_strict_content_security_policy(client):
    response = client.get("/")
    assert response.mimetype == "text/html"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_warm_model_loads_the_configured_model_once_at_start(test_config, monkeypatch):
    loaded = []
    monkeypatch.setattr("quotes.nlp.load_nlp", lambda name=None: loaded.append(name))
    make_app(test_config, WARM_MODEL=False)
    assert loaded == []
    make_app(test_config, WARM_MODEL=True, SPACY_MODEL="fr_core_news_md")
    assert loaded == ["fr_core_news_md"]


def test_the_interactive_docs_work_offline(client):
    import re

    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert {"/api/docs/assets/swagger-ui.css", "/api/docs/assets/swagger-ui-bundle.js",
            "/api/docs/assets/swagger-ui-standalone-preset.js"} <= set(assets)
    assert not [url for url in assets if "//" in url]  # nothing from another host
    for url in assets:
        assert client.get(url).status_code == 200, url
    assert "https:" not in page.headers["Content-Security-Policy"]
