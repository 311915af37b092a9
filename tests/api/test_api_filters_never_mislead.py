"""Filters that never mislead: typos refused, dates as a journalist writes them, sources folded, files named."""
import pytest

from .conftest import assert_error

QUOTE_PARAMETERS = "page, per_page, speaker, speaker_id, q, document_id, source, since, until, type, sort"
CSV_PARAMETERS = "speaker, speaker_id, q, document_id, source, since, until, type, bom"


@pytest.mark.parametrize("path, query, accepted", [
    ("/api/quotes", "speeker=borrell", QUOTE_PARAMETERS),
    ("/api/quotes.csv", "speeker=borrell", CSV_PARAMETERS),
    ("/api/quotes.csv", "sort=date", CSV_PARAMETERS),  # the export is in stored order: no sort to pretend
    ("/api/speakers", "name=borrell", "page, per_page, q, kind, sort"),
    ("/api/speakers/1", "speaker=borrell", "page, per_page, sort"),
])
def test_an_unknown_parameter_is_400_naming_the_accepted_ones(client, seeded, path, query, accepted):
    error = assert_error(client.get(f"{path}?{query}"), 400)
    name = query.split("=")[0]
    assert error["details"] == {"query": {name: [f"Unknown parameter; the accepted ones are: {accepted}."]}}
    assert name in error["message"] and accepted in error["message"]


@pytest.mark.parametrize("since, until, total", [
    ("2022", None, 5),
    ("2022-01", "2022-01", 2),
    ("2022-02", None, 3),
    (None, "2022-01-31", 2),
    ("2022-01-12", "2022-01-12", 2),
    ("2022-02-01T19:30:00%2B01:00", None, 3),  # an instant: 18:30 UTC
    ("2023", None, 0),
])
def test_since_and_until_take_a_year_a_month_or_a_day(client, seeded, since, until, total):
    query = "&".join(f"{name}={value}" for name, value in (("since", since), ("until", until)) if value)
    assert client.get(f"/api/quotes?{query}").get_json()["total"] == total
    assert client.get(f"/api/quotes.csv?{query}").get_data(as_text=True).count("\r\n") == total + 1


@pytest.mark.parametrize("query, field", [("since=2022-13", "since"), ("until=12/01/2022", "until"), ("since=hier", "since")])
def test_a_bad_date_shows_the_expected_format_with_an_example(client, seeded, query, field):
    for path in ("/api/quotes", "/api/quotes.csv"):
        error = assert_error(client.get(f"{path}?{query}"), 400)
        [message] = error["details"]["query"][field]
        assert message.startswith(f"{field} must be YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2022, 2022-01, 2022-01-31)")


@pytest.mark.parametrize("query", ["since=2022-02&until=2022-01", "since=2022-01-13&until=2022-01-12", "since=2023&until=2022"])
def test_since_after_until_is_400(client, seeded, query):
    for path in ("/api/quotes", "/api/quotes.csv"):
        assert assert_error(client.get(f"{path}?{query}"), 400)["message"] == "since must not be after until"


@pytest.mark.parametrize("source", ["ATS", "ats", "Áts", " ats "])
def test_the_source_filter_ignores_case_and_accents(client, seeded, source):
    assert client.get(f"/api/quotes?source={source}").get_json()["total"] == 3


@pytest.mark.parametrize("query, filename", [
    ("speaker=borrell&since=2022-01-01&until=2022-01-31", "quotes-borrell-2022-01-01_2022-01-31.csv"),
    ("speaker=Jósep Borrell", "quotes-josep-borrell.csv"),
    ("since=2022", "quotes-from-2022.csv"),
    ("until=2022-02", "quotes-to-2022-02.csv"),
    ("source=Le Monde&q=sanctions&type=direct", "quotes-source-le-monde-q-sanctions-direct.csv"),
    ("speaker_id=3&document_id=2", "quotes-speaker-3-document-2.csv"),
    ("speaker=../../etc/passwd&bom=1", "quotes-etc-passwd.csv"),
    ("", "quotes.csv"),
])
def test_the_csv_file_name_says_what_it_holds(client, seeded, query, filename):
    response = client.get(f"/api/quotes.csv?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{filename}"'
