"""Dates the service accepts, parsed in one place for every door (API, pages, command line).

A publication date or a date filter is an ISO 8601 date (``2024-05-01``) or date-time
(``2024-05-01T12:00:00+02:00``) in the years FIRST_YEAR to LAST_YEAR. The range is
far wider than any press archive, and it keeps every computation on a date (a
time-zone shift, "the whole day" of a bare ``until``, the month before or after on a
speaker's timeline) inside the years 1 to 9999 that Python's datetime can hold:
a date in year 1 or 9999 used to crash them.

``ISO_PATTERN`` is exact: a value matches it if and only if ``parse`` accepts it. The
OpenAPI document publishes it, so a client (or a fuzzer) can know beforehand what
the server will take, and the server checks the same expression before parsing.
"""
import re
from datetime import date, datetime, time, timezone

FIRST_YEAR, LAST_YEAR = 1800, 2200

_YEAR = r"(1[89][0-9]{2}|2[01][0-9]{2}|2200)"
_MONTH_DAY = (
    r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
    r"|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
    r"|02-(0[1-9]|1[0-9]|2[0-8]))"
)
# 29 February: years divisible by 4 in the range, less 1800, 1900, 2100 and 2200.
_LEAP_DAY = r"((1[89]|2[01])(0[48]|[2468][048]|[13579][26])|2000)-02-29"
_TIME = r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-]([01][0-9]|2[0-3]):?[0-5][0-9])?)?"
# Read alike by Python's re and by ECMAScript engines (as JSON Schema validators read it): no \d, \s.
ISO_PATTERN = rf"^({_YEAR}-{_MONTH_DAY}|{_LEAP_DAY}){_TIME}$"
_ISO = re.compile(ISO_PATTERN)


class InvalidDate(ValueError):
    """A value that is not an accepted date; ``out_of_range`` when it is a real date outside the years."""

    def __init__(self, message: str, out_of_range: bool = False):
        super().__init__(message)
        self.out_of_range = out_of_range


def parse(value: str) -> date | datetime:
    """A bare date as a ``date`` (filters treat it as a whole day), a date-time as a naive UTC ``datetime``."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise _refusal(value)
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment


def parse_day(value: str) -> date:
    """A bare date (``YYYY-MM-DD``) in the accepted years."""
    day = parse(value)
    if isinstance(day, datetime):
        raise InvalidDate("Not a date (YYYY-MM-DD).")
    return day


def as_datetime(value: date | datetime | None) -> datetime | None:
    """A bare date as midnight of that day; a date-time unchanged."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min)


def _refusal(value) -> InvalidDate:
    """Why ``value`` is refused: out of the range if Python reads it as a date of another year, else its form."""
    try:
        year = datetime.fromisoformat(value).year
    except (TypeError, ValueError, AttributeError):
        year = None
    if year is not None and not FIRST_YEAR <= year <= LAST_YEAR:
        return InvalidDate(f"Dates must be between {FIRST_YEAR} and {LAST_YEAR}.", out_of_range=True)
    return InvalidDate("Not a valid ISO 8601 date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][±HH:MM]).")
