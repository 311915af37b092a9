"""quotes.dates: the accepted dates, and the published pattern saying exactly the same thing."""
from datetime import date, datetime, timedelta, timezone

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quotes import dates


def matches(value: str) -> bool:
    """Whether the published pattern takes ``value``, as a JSON Schema validator (ECMAScript regex) reads it."""
    return jsonschema_rs.validator_for({"type": "string", "pattern": dates.ISO_PATTERN}).is_valid(value)


@pytest.mark.parametrize("value, expected", [
    ("2024-05-01", date(2024, 5, 1)),
    ("1800-01-01", date(1800, 1, 1)),
    ("2200-12-31", date(2200, 12, 31)),
    ("2000-02-29", date(2000, 2, 29)),
    ("2024-02-29", date(2024, 2, 29)),
    ("2024-05-01T12:00", datetime(2024, 5, 1, 12, 0)),
    ("2024-05-01 12:00:30.25", datetime(2024, 5, 1, 12, 0, 30, 250000)),
    ("2024-05-01T12:00Z", datetime(2024, 5, 1, 12, 0)),
    ("2024-05-01T12:00:00+02:00", datetime(2024, 5, 1, 10, 0)),
    ("2024-05-01T12:00:00-0530", datetime(2024, 5, 1, 17, 30)),
    ("1800-01-01T00:00:00+23:59", datetime(1799, 12, 31, 0, 1)),  # written in range; UTC may step out by a day
    ("2200-12-31T23:59:59-23:59", datetime(2201, 1, 1, 23, 58, 59)),
])
def test_accepted(value, expected):
    assert dates.parse(value) == expected
    assert matches(value)


@pytest.mark.parametrize("value, out_of_range", [
    ("0001-01-01", True),
    ("0001-06-15", True),
    ("9999-12-31", True),
    ("9999-12-31T23:59:59-23:59", True),
    ("0001-01-01T00:00:00+23:59", True),
    ("1799-12-31T23:59:59", True),
    ("2201-01-01", True),
    ("1900-02-29", False),  # not a leap year
    ("2100-02-29", False),
    ("2023-02-29", False),
    ("2024-04-31", False),
    ("2024-13-01", False),
    ("2024-05-01T24:00", False),
    ("2024-05-01T12", False),
    ("20240501", False),
    ("2024-W18", False),
    (" 2024-05-01", False),
    ("2024-05-01\n", False),  # Python's "$" would take it, ECMAScript's (JSON Schema's) does not
    ("2024-05-01 ", False),
    ("٢٠٢٤-٠٥-٠١", False),  # Arabic-Indic digits: \d would take them
    ("hier", False),
    ("", False),
    (None, False),
    (20240501, False),
])
def test_refused(value, out_of_range):
    with pytest.raises(dates.InvalidDate) as refused:
        dates.parse(value)
    assert refused.value.out_of_range is out_of_range
    assert ("between 1800 and 2200" in str(refused.value)) is out_of_range
    if isinstance(value, str):
        assert not matches(value)


def test_parse_day_takes_bare_dates_only():
    assert dates.parse_day("2024-05-01") == date(2024, 5, 1)
    with pytest.raises(dates.InvalidDate):
        dates.parse_day("2024-05-01T12:00")


@settings(max_examples=300, deadline=None)
@given(st.from_regex(dates.ISO_PATTERN, fullmatch=True))
def test_whatever_the_pattern_allows_is_parsed(value):
    dates.parse(value)
    assert matches(value)


@settings(max_examples=300, deadline=None)
@given(day=st.dates(date(1800, 1, 1), date(2200, 12, 31)),
       moment=st.times(), offset=st.integers(-23 * 60 - 59, 23 * 60 + 59))
def test_every_day_in_the_range_is_allowed_by_the_pattern(day, moment, offset):
    assert dates.parse(day.isoformat()) == day
    written = datetime.combine(day, moment, timezone(timedelta(minutes=offset))).isoformat()
    assert dates.parse(written) == datetime.fromisoformat(written).astimezone(timezone.utc).replace(tzinfo=None)


def filter_matches(value: str) -> bool:
    return jsonschema_rs.validator_for({"type": "string", "pattern": dates.FILTER_PATTERN}).is_valid(value)


@pytest.mark.parametrize("value, expected", [
    ("2022", dates.Period(date(2022, 1, 1), date(2022, 12, 31))),
    ("2022-02", dates.Period(date(2022, 2, 1), date(2022, 2, 28))),
    ("2024-02", dates.Period(date(2024, 2, 1), date(2024, 2, 29))),
    ("2022-12", dates.Period(date(2022, 12, 1), date(2022, 12, 31))),
    ("2022-01-31", dates.Period(date(2022, 1, 31), date(2022, 1, 31))),
    ("2022-01-31T08:00:00+01:00", datetime(2022, 1, 31, 7, 0)),
])
def test_a_filter_is_a_year_a_month_a_day_or_an_instant(value, expected):
    assert dates.parse_filter(value) == expected
    assert filter_matches(value)


@pytest.mark.parametrize("value", ["22", "2022-1", "2022-13", "2022-00", "1799", "2201-01", "12/01/2022", "2022-01-32", "hier",
                                   " 2022", "2022\n"])
def test_a_bad_filter_says_the_expected_form_with_an_example(value):
    with pytest.raises(dates.InvalidDate, match=r"since must be YYYY, YYYY-MM or YYYY-MM-DD \(e\.g\. 2022, 2022-01, 2022-01-31\)"):
        dates.parse_filter(value, "since")
    assert not filter_matches(value)


@settings(max_examples=300, deadline=None)
@given(st.from_regex(dates.FILTER_PATTERN, fullmatch=True))
def test_whatever_the_filter_pattern_allows_is_parsed(value):
    dates.parse_filter(value)


@pytest.mark.parametrize("value, kept", [
    ("2022-01-12T00:30:00+01:00", datetime(2022, 1, 12, 0, 30, tzinfo=timezone(timedelta(hours=1)))),
    ("2022-01-12", datetime(2022, 1, 12)),
    ("2022-01-12T10:00Z", datetime(2022, 1, 12, 10, 0, tzinfo=timezone.utc)),
])
def test_a_publication_date_keeps_its_offset_and_its_own_day(value, kept):
    published = dates.parse_published(value)
    assert published == kept and published.utcoffset() == kept.utcoffset()
    assert dates.Published.of(published).on == kept.date()
