"""When digests are due, in the agency time zone (pure schedule arithmetic)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.digest_schedule import (
    daily_is_redundant,
    due_weeks,
    last_complete_week,
    latest_due_day,
    latest_due_week,
    weekly_due_at,
)
from services.settings import DigestSettings, parse_hhmm

CHICAGO = ZoneInfo("America/Chicago")
MONDAY_8 = DigestSettings()


def test_the_weekly_digest_is_due_at_the_configured_local_time_after_the_week() -> None:
    monday = datetime(2026, 11, 23, 8, 0, tzinfo=CHICAGO)
    assert latest_due_week(monday - timedelta(seconds=1), MONDAY_8, CHICAGO) == "2026-W46"
    assert latest_due_week(monday, MONDAY_8, CHICAGO) == "2026-W47"
    assert latest_due_week(monday.astimezone(UTC), MONDAY_8, CHICAGO) == "2026-W47", "any clock zone"
    friday = DigestSettings(weekly_day="fri", weekly_time="17:30")
    assert weekly_due_at("2026-W47", friday, CHICAGO) == datetime(2026, 11, 27, 17, 30, tzinfo=CHICAGO)


def test_the_schedule_follows_daylight_saving_and_iso_years() -> None:
    # DST ended on Sunday 1 Nov 2026: 08:00 CST on Monday 2 Nov is 14:00 UTC, not 13:00.
    assert weekly_due_at("2026-W44", MONDAY_8, CHICAGO).astimezone(UTC) == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    assert latest_due_week(datetime(2027, 1, 4, 9, 0, tzinfo=CHICAGO), MONDAY_8, CHICAGO) == "2026-W53"


def test_catch_up_posts_the_latest_missed_weeks_only() -> None:
    later = datetime(2026, 12, 9, 12, 0, tzinfo=CHICAGO)  # a Wednesday, after three missed Mondays
    assert due_weeks(later, MONDAY_8, CHICAGO) == ["2026-W49"]
    assert due_weeks(later, DigestSettings(catch_up_weeks=3), CHICAGO) == ["2026-W47", "2026-W48", "2026-W49"]
    assert due_weeks(later, DigestSettings(catch_up_weeks=0), CHICAGO) == []
    assert due_weeks(later, DigestSettings(catch_up_weeks=0), CHICAGO, scheduled=True) == ["2026-W49"]


def test_the_daily_summary_is_due_the_next_morning_and_skipped_on_digest_mornings() -> None:
    daily = DigestSettings(daily_enabled=True, daily_time="07:30")
    assert latest_due_day(datetime(2026, 11, 25, 7, 29, tzinfo=CHICAGO), daily, CHICAGO) == date(2026, 11, 23)
    assert latest_due_day(datetime(2026, 11, 25, 7, 30, tzinfo=CHICAGO), daily, CHICAGO) == date(2026, 11, 24)
    assert daily_is_redundant(date(2026, 11, 22), daily, CHICAGO), "Sunday's summary would land on digest Monday"
    assert not daily_is_redundant(date(2026, 11, 24), daily, CHICAGO)


def test_staff_commands_show_the_last_complete_week() -> None:
    assert last_complete_week(datetime(2026, 11, 23, 0, 1, tzinfo=CHICAGO), CHICAGO) == "2026-W47"
    assert last_complete_week(datetime(2026, 11, 23, 5, 59, tzinfo=UTC), CHICAGO) == "2026-W46", "still Sunday in Chicago"


@pytest.mark.parametrize("value", ["7:30", "24:00", "12:60", "noon", "12:00 "])
def test_times_of_day_are_strict_hh_mm(value: str) -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        parse_hhmm(value)
    with pytest.raises(ValueError, match="HH:MM"):
        DigestSettings(weekly_time=value)


def test_a_valid_time_of_day_parses() -> None:
    assert parse_hhmm("07:30").hour == 7 and parse_hhmm("23:59").minute == 59
