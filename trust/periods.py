"""ISO-week periods (``2026-W47``) in the agency's time zone.

A period is written ``YYYY-Www`` (ISO 8601 week date, weeks start on Monday).
Its bounds are local midnights in the agency's time zone, half-open:
``start <= t < end``.  End of one week == start of the next, so no message
falls in a gap or in two weeks, DST changes included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

_PERIOD_RE = re.compile(r"^(\d{4})-?W(\d{2})$")


@dataclass(frozen=True, order=True, slots=True)
class IsoWeek:
    """One ISO week. Orders chronologically."""

    year: int
    week: int

    def __post_init__(self) -> None:
        try:
            date.fromisocalendar(self.year, self.week, 1)
        except ValueError as exc:
            raise ValueError(f"no ISO week {self.year}-W{self.week:02d}") from exc

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 7)


def _tz(tz: tzinfo | str) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def parse_period(text: str | IsoWeek) -> IsoWeek:
    """``"2026-W47"`` (or ``"2026W47"``) -> ``IsoWeek(2026, 47)``; raises ValueError."""
    if isinstance(text, IsoWeek):
        return text
    match = _PERIOD_RE.match(text.strip())
    if not match:
        raise ValueError(f"not an ISO week like 2026-W47: {text!r}")
    return IsoWeek(int(match.group(1)), int(match.group(2)))


def format_period(period: IsoWeek | str) -> str:
    """Canonical text form ``YYYY-Www``."""
    return str(parse_period(period))


def period_of_date(day: date) -> str:
    year, week, _ = day.isocalendar()
    return str(IsoWeek(year, week))


def period_of(moment: datetime, tz: tzinfo | str) -> str:
    """The period holding an aware datetime, judged on the agency's local calendar."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("period_of needs an aware datetime (naive times are ambiguous)")
    return period_of_date(moment.astimezone(_tz(tz)).date())


def period_bounds(period: IsoWeek | str, tz: tzinfo | str) -> tuple[datetime, datetime]:
    """``(start, end)``: local Monday 00:00 of the week and of the next week."""
    week = parse_period(period)
    zone = _tz(tz)
    start = datetime.combine(week.monday, time(0), tzinfo=zone)
    end = datetime.combine(week.monday + timedelta(days=7), time(0), tzinfo=zone)
    return start, end


def shift_period(period: IsoWeek | str, weeks: int) -> str:
    """The period ``weeks`` weeks later (negative: earlier)."""
    return period_of_date(parse_period(period).monday + timedelta(weeks=weeks))


def previous_period(period: IsoWeek | str) -> str:
    return shift_period(period, -1)


def next_period(period: IsoWeek | str) -> str:
    return shift_period(period, 1)


def trailing_periods(period: IsoWeek | str, n: int) -> list[str]:
    """The ``n`` periods before ``period`` (not including it), oldest first."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return [shift_period(period, -k) for k in range(n, 0, -1)]


def period_range(first: IsoWeek | str, last: IsoWeek | str) -> list[str]:
    """Every period from ``first`` to ``last`` inclusive."""
    a, b = parse_period(first), parse_period(last)
    if b < a:
        return []
    weeks = (b.monday - a.monday).days // 7
    return [shift_period(a, k) for k in range(weeks + 1)]
