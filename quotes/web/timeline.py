"""A speaker's quotes per month, laid out as bars for a small server-rendered SVG chart."""
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Document, Quote

MONTHS_FR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
# Beyond this many months only the latest are drawn, so bars stay wide enough to read.
MAX_MONTHS = 36


@dataclass(frozen=True)
class Bar:
    month: date
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> str:
        return f"{MONTHS_FR[self.month.month - 1]} {self.month.year}"


@dataclass(frozen=True)
class Timeline:
    bars: list[Bar]
    undated: int  # quotes whose document has no publication date
    peak: int
    width: int
    height: int
    dropped: int  # months older than MAX_MONTHS left out of the chart

    @property
    def dated(self) -> int:
        return sum(b.count for b in self.bars)


def month_counts(session: Session, speaker_id: int) -> tuple[Counter, int]:
    """Quotes per first-of-month date of their document, and how many have no date."""
    rows = session.execute(
        select(Document.published_at).join(Quote.document).where(Quote.speaker_id == speaker_id)
    ).scalars()
    months: Counter = Counter()
    undated = 0
    for published in rows:
        if published is None:
            undated += 1
        else:
            months[date(published.year, published.month, 1)] += 1
    return months, undated


def _next_month(d: date) -> date:
    return date(d.year + (d.month == 12), d.month % 12 + 1, 1)


def layout(months: Counter, undated: int, width: int = 640, height: int = 160) -> Timeline:
    """Bars for every month from the first to the last quoted one (empty months included)."""
    if not months:
        return Timeline([], undated, 0, width, height, 0)
    series = []
    month, last = min(months), max(months)
    while month <= last:
        series.append((month, months.get(month, 0)))
        month = _next_month(month)
    dropped = max(0, len(series) - MAX_MONTHS)
    series = series[dropped:]
    peak = max(count for _, count in series)
    slot = width / len(series)
    gap = min(4.0, slot * 0.2)
    plot_height = height - 24  # room under the bars for the month labels
    bars = []
    for i, (month, count) in enumerate(series):
        h = plot_height * count / peak if peak else 0
        bars.append(Bar(month, count, round(i * slot + gap / 2, 2), round(plot_height - h, 2), round(slot - gap, 2), round(h, 2)))
    return Timeline(bars, undated, peak, width, height, dropped)
