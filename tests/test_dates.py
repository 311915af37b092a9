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
