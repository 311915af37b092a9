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
# At least this many months are drawn (earlier empty ones added), so a few bars do not fill the width.
MIN_MONTHS = 12
TOP = 18  # room above the tallest bar for its count
BOTTOM = 24  # room under the bars for the month labels
LABEL_WIDTH = 72  # px a month label needs: labels are thinned out below that spacing


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

    def label_anchor(self, first: bool, last: bool) -> tuple[float, str]:
        """Where the month label goes and how it is anchored: the first and last inside the chart, not cut at its edges."""
        if first:
            return self.x, "start"
        if last:
            return round(self.x + self.width, 2), "end"
        return round(self.x + self.width / 2, 2), "middle"


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

    @property
    def baseline(self) -> int:
        return self.height - BOTTOM

    @property
    def label_every(self) -> int:
        """Label one month in this many, so that labels never overlap."""
        if not self.bars:
            return 1
        slot = self.width / len(self.bars)
        return max(1, -(-LABEL_WIDTH // int(slot)) if slot >= 1 else len(self.bars))


def month_counts(session: Session, speaker_id: int) -> tuple[Counter, int]:
    """Quotes per first-of-month date of their document, and how many have no date."""
    rows = session.execute(
        # The publication's own date: an article of 00:30+01:00 on 1 February is in February.
        select(Document.published_on).join(Quote.document).where(Quote.speaker_id == speaker_id)
    ).scalars()
    months: Counter = Counter()
    undated = 0
    for published in rows:
        if published is None:
            undated += 1
        else:
            months[date(published.year, published.month, 1)] += 1
    return months, undated


def _month_number(d: date) -> int:
    return d.year * 12 + d.month - 1


def _month(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def layout(months: Counter, undated: int, width: int = 880, height: int = 180) -> Timeline:
    """Bars for every month from the first to the last quoted one, empty months included, at least MIN_MONTHS."""
    if not months:
        return Timeline([], undated, 0, width, height, 0)
    # Months as numbers, and only the ones drawn turned into dates: a document dated in
    # year 1 or 9999 (stored before dates were checked) has no month before or after it.
    first, last = _month_number(min(months)), _month_number(max(months))
    first = max(min(first, last - MIN_MONTHS + 1), _month_number(date.min))
    dropped = max(0, last - first + 1 - MAX_MONTHS)
    series = [(month, months.get(month, 0)) for month in map(_month, range(first + dropped, last + 1))]
    peak = max(count for _, count in series)
    slot = width / len(series)
    gap = min(4.0, slot * 0.2)
    plot_height = height - TOP - BOTTOM
    bars = []
    for i, (month, count) in enumerate(series):
        h = plot_height * count / peak if peak else 0
        bars.append(Bar(month, count, round(i * slot + gap / 2, 2), round(TOP + plot_height - h, 2), round(slot - gap, 2), round(h, 2)))
    return Timeline(bars, undated, peak, width, height, dropped)
