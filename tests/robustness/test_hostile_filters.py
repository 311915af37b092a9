"""SQL-looking, wildcard and full-text syntax in every filter of the API and the search pages: results or 400, never 5xx."""
import csv
import io
import urllib.parse
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quotes import create_app, store
from quotes.extract import QuoteRecord

# (text, source, [(quote, speaker)])
ARCHIVE = [
    ("«Nous restons unis», a déclaré Jens Stoltenberg. «Le dialogue continue», a déclaré Dmitri Peskov.", "ATS",
     [("Nous restons unis", "Jens Stoltenberg"), ("Le dialogue continue", "Dmitri Peskov")]),
    ("«Rien n'est décidé à 100 %», a déclaré Jean-Yves Le Drian.", "100% Radio",
     [("Rien n'est décidé à 100 %", "Jean-Yves Le Drian")]),
    ("«Il faut agir vite», a déclaré Annalena Baerbock.", "AFP", [("Il faut agir vite", "Annalena Baerbock")]),
]
QUOTE_COUNT = 4

HOSTILE = [
    "%", "_", "%%", "%_%", "\\", "\\%", "'", "''", "\"", "\"unbalanced", "--", "'; DROP TABLE quotes; --",
    "' OR '1'='1", "\" OR 1=1 --", "NEAR(", "NEAR(a b", "NEAR(nous, unis)", "a OR b", "AND", "OR", "NOT", "*", "nous*",
    "^nous", "quote:nous", "text : x", "(", ")", "{", "}", "[", "]", "+", "-", "nous -unis", "*)", "\x00", "\x1f",
    "\u202e", "\u200f\u200e", "\ufeff", "«", "»", "’", "ǅ", "ﬁ", "İ", "ß", "\U0001f600", "日本", " ", "\t\n",
    "a" * 199, "mot " * 40,
]
STRING_FILTERS = {
    "/api/quotes": ["speaker", "q", "source", "type", "since", "until", "speaker_id", "document_id", "page", "per_page"],
    "/api/quotes.csv": ["speaker", "q", "source", "type", "since", "until", "speaker_id", "document_id", "bom"],
    "/api/speakers": ["q", "page", "per_page"],
    "/api/speakers/1": ["page", "per_page"],
    # The HTML search page takes the same filters from its form.
    "/": ["speaker", "q", "source", "type", "since", "until", "speaker_id", "document_id", "page", "per_page"],
    "/speakers/1": ["page", "per_page"],
}
CASES = [(path, name) for path, names in STRING_FILTERS.items() for name in names]


@pytest.fixture(scope="module")
def hostile_app(module_db_url):
    """One app and archive for the whole module, per backend (read-only tests; hypothesis calls it many times)."""
    from conftest import TestConfig

    app = create_app(type("HostileConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": module_db_url}))
    with app.extensions["db"].session_scope(write=True) as session:
        for n, (text, source, quotes) in enumerate(ARCHIVE):
            records = []
            for quote, speaker in quotes:
                start = text.index(quote)
                records.append(QuoteRecord(quote, start, start + len(quote), speaker, speaker, None, "a déclaré", "déclarer",
                                     "direct", 0.9))
            store.save_document(session, store.DocumentInput(text, source=source, published_at=datetime(2024, 1, n + 1)),
                                records)
    yield app
    app.extensions["db"].dispose()


@pytest.fixture(scope="module")
def hostile_client(hostile_app):
    return hostile_app.test_client()


def check_answer(response, path: str) -> None:
    """200 with a well-formed body, or the one JSON error shape with 400; nothing else."""
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 400), (response.status_code, body[:500])
    if not path.startswith("/api/"):
        assert response.mimetype == "text/html"
        assert "Traceback" not in body
    elif response.status_code == 400:
        error = response.get_json()["error"]
        assert error["code"] == 400 and error["message"]
        assert "Traceback" not in body and "sqlite" not in body.lower() and "psycopg" not in body.lower()
    elif path.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
        assert rows[0][0] == "quote_id"
        assert len(rows) - 1 <= QUOTE_COUNT
    else:
        data = response.get_json()
        page = data["quotes"] if "quotes" in data else data
        assert isinstance(page["items"], list) and page["total"] >= len(page["items"])


@pytest.mark.parametrize("path, name", CASES)
def test_every_hostile_value_in_every_filter_gives_results_or_400(hostile_client, path, name):
    for value in HOSTILE:
        response = hostile_client.get(path, query_string={name: value})
        check_answer(response, path)


def total(client, path: str, **filters) -> int:
    response = client.get(path, query_string=filters)
    assert response.status_code == 200, response.get_data(as_text=True)
    if path.endswith(".csv"):
        return len(list(csv.reader(io.StringIO(response.get_data(as_text=True))))) - 1
    return response.get_json()["total"]


@pytest.mark.parametrize("path", ["/api/quotes", "/api/quotes.csv"])
@pytest.mark.parametrize("filters, expected", [
    ({"speaker": "%"}, 0),
    ({"speaker": "%%"}, 0),
    ({"speaker": "_"}, 0),
    ({"speaker": "J_ns"}, 0),  # "_" would match the "e" of Jens as a LIKE wildcard
    ({"speaker": "Stolten%"}, 0),
    ({"speaker": "%berg"}, 0),
    ({"speaker": "%Stoltenberg%"}, 0),  # a literal "%stoltenberg%", which nobody is called
    ({"speaker": "le drian"}, 1),
    ({"source": "%"}, 0),
    ({"source": "A_S"}, 0),
    ({"source": "AT%"}, 0),
    ({"source": "100% Radio"}, 1),  # a literal % in a value still matches itself
    ({"source": "100_ Radio"}, 0),
    ({"speaker": "' OR '1'='1"}, 0),
    ({"source": "' OR '1'='1"}, 0),
])
def test_wildcards_and_sql_are_searched_as_text(hostile_client, path, filters, expected):
    assert total(hostile_client, path, **filters) == expected


@pytest.mark.parametrize("q, expected", [("%", None), ("100 %", 1), ("unis", 1), ("unis OR vite", 0),  # OR, NEAR, - are words, not operators ("NEAR(nous unis)", 0),
                                         ("nous -unis", 1), ("\"nous restons\"", 1), ("\"restons nous\"", 0)])
def test_full_text_syntax_is_not_interpreted(hostile_client, q, expected):
    response = hostile_client.get("/api/quotes", query_string={"q": q})
    if expected is None:
        assert response.status_code == 400
    else:
        assert response.get_json()["total"] == expected, q


@pytest.mark.parametrize("q, expected", [("%", 0), ("_", 0), ("St%", 0), ("stolt", 1), ("J%", 0), ("'--", None)])
def test_speaker_list_wildcards(hostile_client, q, expected):
    response = hostile_client.get("/api/speakers", query_string={"q": q})
    if expected is None:  # no letter at all: refused or ignored
        assert response.status_code in (200, 400)
        return
    assert response.status_code == 200
    names = [item["name"] for item in response.get_json()["items"]]
    assert len(names) == expected, names


hostile_pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=6))
hostile_values = st.lists(hostile_pieces, max_size=5).map("".join)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(CASES), value=hostile_values, other=st.sampled_from([None, *CASES]), value2=hostile_values)
def test_random_text_in_filters_never_gives_5xx(hostile_client, case, value, other, value2):
    path, name = case
    query = {name: value}
    if other is not None and other[0] == path:
        query[other[1]] = value2
    try:
        query_string = urllib.parse.urlencode(query)
    except UnicodeEncodeError:  # a lone surrogate: no client can send it; send its bytes as-is
        query_string = urllib.parse.urlencode({k: v.encode("utf-8", "surrogatepass") for k, v in query.items()})
    check_answer(hostile_client.get(path + "?" + query_string), path)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=st.sampled_from(CASES), raw=st.binary(max_size=30))
def test_undecodable_bytes_in_filters_never_give_5xx(hostile_client, case, raw):
    path, name = case
    check_answer(hostile_client.get(f"{path}?{name}={urllib.parse.quote_from_bytes(raw)}"), path)
