"""The API under schemathesis, in-process against the WSGI app: no 5xx, every answer as the OpenAPI document says."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from quotes import create_app, dates, store
from quotes.extract import QuoteRecord

TOKEN = "fuzz-token"
SEED = "«Nous restons unis», a déclaré Jens Stoltenberg. «Le dialogue continue», a déclaré Dmitri Peskov."


@pytest.fixture(scope="module")
def fuzzed_app(module_db_url):
    """The app on a database holding one document, so that ids 1 find something (once per backend)."""
    from conftest import TestConfig

    app = create_app(type("FuzzConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": module_db_url,
        "PROPAGATE_EXCEPTIONS": False,  # a crash must show as the 500 a client would get
        "MAX_DOCUMENTS_PER_POST": 3,
        "API_TOKEN": TOKEN,  # writes need it: schemathesis checks that a missing or wrong token gets 401
    }))
    with app.extensions["db"].session_scope(write=True) as session:
        quotes = []
        for quote, speaker in (("Nous restons unis", "Jens Stoltenberg"), ("Le dialogue continue", "Dmitri Peskov")):
            start = SEED.index(quote)
            quotes.append(QuoteRecord(quote, start, start + len(quote), speaker, speaker, None, "a déclaré", "déclarer",
                                "direct", 0.9))
        store.save_document(session, store.DocumentInput(SEED, source="ATS"), quotes)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", fuzzed_app)


OPERATIONS = [
    ("GET", "/api/health"),
    ("GET", "/api/quotes"),
    ("GET", "/api/quotes.csv"),
    ("GET", "/api/speakers"),
    ("GET", "/api/speakers/{speaker_id}"),
    ("GET", "/api/documents/{document_id}"),
    ("POST", "/api/extract"),
    ("POST", "/api/documents"),
    ("DELETE", "/api/documents/{document_id}"),
]
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
ANSWERED_WITH_SUCCESS = {("GET", "/api/health"), ("GET", "/api/quotes"), ("GET", "/api/quotes.csv"),
                         ("GET", "/api/speakers"), ("POST", "/api/extract"), ("POST", "/api/documents")}
NO_PARAMETERS = {("GET", "/api/health")}  # nothing to make invalid


def whole_numbers_as_integers(values: dict | None) -> dict | None:
    """JSON Schema counts 4.0 as an integer; a query string "4.0" for a page or an id is refused (400), rightly."""
    if not values:
        return values
    return {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in values.items()}


def reversed_range(query: dict | None) -> bool:
    """A since after its until: each schema-valid, the pair refused (400), as no JSON Schema can say."""
    if not query or not query.get("since") or not query.get("until"):
        return False
    try:
        bounds = [dates.parse_filter(query[name]) for name in ("since", "until")]
        dates.check_range(*bounds)
    except dates.InvalidDate:
        return True
    return False


def test_every_operation_is_fuzzed(api_schema):
    found = {(result.ok().method.upper(), result.ok().path) for result in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


# The pytest plugin's lazy loader does not run under this pytest; each operation's strategy is driven here instead.
@pytest.mark.parametrize("mode", MODES, ids=lambda mode: mode.value)
@pytest.mark.parametrize("method, path", OPERATIONS)
def test_answers_match_the_openapi_document(api_schema, method, path, mode):
    if mode is GenerationMode.NEGATIVE and (method, path) in NO_PARAMETERS:
        pytest.skip("no parameter or body to make invalid")
    operation = api_schema[path][method]
    statuses = []

    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        case.query = whole_numbers_as_integers(case.query)
        case.path_parameters = whole_numbers_as_integers(case.path_parameters)
        # Every check, "schema-valid requests are accepted" included: the document's patterns say
        # exactly what the server takes (dates in 1800-2200, a q with words, a text not blank).
        excluded = [positive_data_acceptance] if reversed_range(case.query) else []
        response = case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, excluded_checks=excluded)
        if excluded:
            assert response.status_code == 400, response.text
        statuses.append(response.status_code)

    check()
    if mode is GenerationMode.POSITIVE and (method, path) in ANSWERED_WITH_SUCCESS:
        # The fuzzing reached the real work (storing, extracting, searching), not only the validation.
        assert any(200 <= status < 300 for status in statuses), statuses
