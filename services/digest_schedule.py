"""When digests are due (pure): config ``[digest]`` in the agency time zone.

The weekly digest of ISO week W is due at ``weekly_day``/``weekly_time`` after W ends (default
Monday 08:00); the optional daily summary of day D at ``daily_time`` on D+1. The bot's jobs
(:mod:`bot.digest_jobs`) ask here what to post; staff commands and the CLI ask for the last
complete week.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from services.settings import DigestSettings, parse_hhmm
from trust.periods import parse_period, period_of, shift_period

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def last_complete_week(now: datetime, tz: Any) -> str:
    """The ISO week before the one ``now`` falls in (agency time): what staff commands show."""
    return shift_period(period_of(now, tz), -1)


def weekly_due_at(period: str, digest: DigestSettings, tz: Any) -> datetime:
    """When the weekly digest of ``period`` is due: the configured weekday and time after it ends."""
    monday_after = parse_period(period).monday + timedelta(days=7)
    day = monday_after + timedelta(days=WEEKDAYS.index(digest.weekly_day))
    return datetime.combine(day, parse_hhmm(digest.weekly_time), tzinfo=tz)


def latest_due_week(now: datetime, digest: DigestSettings, tz: Any) -> str:
    """The most recent week whose weekly digest is due at ``now``."""
    candidate = shift_period(period_of(now, tz), -1)
    while weekly_due_at(candidate, digest, tz) > now:
        candidate = shift_period(candidate, -1)
    return candidate


def due_weeks(now: datetime, digest: DigestSettings, tz: Any, *, scheduled: bool = False) -> list[str]:
    """Weeks to post at ``now``, oldest first: the latest due week and, after downtime, the
    ``catch_up_weeks - 1`` before it. ``catch_up_weeks = 0`` posts only from the cron job itself."""
    latest = latest_due_week(now, digest, tz)
    count = digest.catch_up_weeks if not scheduled else max(1, digest.catch_up_weeks)
    return [shift_period(latest, -k) for k in range(count - 1, -1, -1)]


def daily_due_at(day: date, digest: DigestSettings, tz: Any) -> datetime:
    return datetime.combine(day + timedelta(days=1), parse_hhmm(digest.daily_time), tzinfo=tz)


def latest_due_day(now: datetime, digest: DigestSettings, tz: Any) -> date:
    day = now.astimezone(tz).date() - timedelta(days=1)
    while daily_due_at(day, digest, tz) > now:
        day -= timedelta(days=1)
    return day


def daily_is_redundant(day: date, digest: DigestSettings, tz: Any) -> bool:
    """No daily summary on the morning the weekly digest goes out: the weekly replaces it."""
    return (day + timedelta(days=1)).weekday() == WEEKDAYS.index(digest.weekly_day)
