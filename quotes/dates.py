"""Dates the service accepts, parsed in one place for every door (API, pages, command line).

A publication date is an ISO 8601 date (``2024-05-01``) or date-time
(``2024-05-01T12:00:00+02:00``) in the years FIRST_YEAR to LAST_YEAR; its offset is
kept (``parse_published``), so an article of 00:30+01:00 on the 12th is on the 12th
wherever the server runs. A date filter (``parse_filter``) is a year (``2022``), a
month (``2022-01``) or a day, compared with the publication's own date, or a
date-time, compared with the instant. The range is
far wider than any press archive, and it keeps every computation on a date (a
time-zone shift, "the whole day" of a bare ``until``, the month before or after on a
speaker's timeline) inside the years 1 to 9999 that Python's datetime can hold:
a date in year 1 or 9999 used to crash them.

``ISO_PATTERN`` is exact: a value matches it if and only if ``parse`` accepts it, and
``FILTER_PATTERN`` likewise for ``parse_filter``. The OpenAPI document publishes them,
so a client (or a fuzzer) can know beforehand what the server will take, and the
server checks the same expressions before parsing.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

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
_MONTH = r"(0[1-9]|1[0-2])"
# A year, a month, or what ISO_PATTERN takes.
FILTER_PATTERN = rf"^({_YEAR}|{_YEAR}-{_MONTH}|({_YEAR}-{_MONTH_DAY}|{_LEAP_DAY}){_TIME})$"
_YEAR_OR_MONTH = re.compile(rf"{_YEAR}(-{_MONTH})?")
# What a date filter looks like, in error messages.
FILTER_FORMAT = ("YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2022, 2022-01, 2022-01-31), "
                 "or a date-time such as 2022-01-31T08:00:00+01:00")


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


@dataclass(frozen=True)
class Period:
    """The days from ``first`` to ``last``, both included: what a year, a month or a day filter means."""

    first: date
    last: date


def parse_filter(value: str, name: str = "date") -> Period | datetime:
    """A year, month or day as a ``Period``; a date-time as an instant (naive UTC; no offset means UTC)."""
    if isinstance(value, str) and (found := _YEAR_OR_MONTH.fullmatch(value)):
        year = int(found[1])
        if found[2] is None:
            return Period(date(year, 1, 1), date(year, 12, 31))
        first = date(year, int(found[3]), 1)
        return Period(first, _next_month(first) - timedelta(days=1))
    try:
        moment = parse(value)
    except InvalidDate as exc:
        if exc.out_of_range:
            raise InvalidDate(f"{name}: {exc}", out_of_range=True) from None
        raise InvalidDate(f"{name} must be {FILTER_FORMAT}; got {value!r}") from None
    return moment if isinstance(moment, datetime) else Period(moment, moment)


def check_range(since: Period | datetime | None, until: Period | datetime | None) -> None:
    """Refuse a range that ends before it starts."""
    if since is None or until is None:
        return
    start = since if isinstance(since, datetime) else datetime.combine(since.first, time.min)
    end = until if isinstance(until, datetime) else datetime.combine(until.last, time.max)
    if start > end:
        raise InvalidDate("since must not be after until")


def parse_published(value: str) -> datetime:
    """A publication date: a bare date as midnight, a date-time as given (aware when it has an offset)."""
    moment = parse(value)  # refuses what is not accepted
    if isinstance(moment, datetime):
        return datetime.fromisoformat(value)
    return datetime.combine(moment, time.min)


@dataclass(frozen=True)
class Published:
    """How a publication date is stored: the instant (naive UTC), the offset it was given with, its own date."""

    at: datetime
    offset_minutes: int
    on: date

    @classmethod
    def of(cls, moment: datetime) -> "Published":
        """``moment`` as stored; a naive one is taken as UTC."""
        offset = moment.utcoffset()
        minutes = int(offset.total_seconds() // 60) if offset is not None else 0
        return cls(as_utc(moment), minutes, moment.date())


def with_offset(at: datetime | None, offset_minutes: int | None) -> datetime | None:
    """A stored instant (naive UTC) as an aware datetime in the offset it was published with."""
    if at is None:
        return None
    zone = timezone(timedelta(minutes=offset_minutes or 0))
    return at.replace(tzinfo=timezone.utc).astimezone(zone)


def as_utc(value: datetime | None) -> datetime | None:
    """Naive UTC, the one convention for stored instants (aware values are converted, naive ones kept)."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


def _next_month(first: date) -> date:
    return date(first.year + (first.month == 12), first.month % 12 + 1, 1)


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
