from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trust.periods import (
    IsoWeek,
    format_period,
    next_period,
    parse_period,
    period_bounds,
    period_of,
    period_range,
    previous_period,
    trailing_periods,
)


def test_period_text_round_trips_and_accepts_compact_form():
    assert parse_period("2026-W47") == IsoWeek(2026, 47)
    assert parse_period("2026W47") == IsoWeek(2026, 47)
    assert format_period("2026W07") == "2026-W07"
    assert str(IsoWeek(2026, 1)) == "2026-W01"


@pytest.mark.parametrize("bad", ["2026-47", "2026-W00", "2025-W53", "W47", "2026-W5", ""])
def test_malformed_or_nonexistent_weeks_are_rejected(bad):
    with pytest.raises(ValueError):
        parse_period(bad)


def test_previous_and_next_cross_year_boundaries_including_week_53():
    # 2026 is a 53-week ISO year
    assert previous_period("2027-W01") == "2026-W53"
    assert next_period("2026-W53") == "2027-W01"
    assert previous_period("2026-W01") == "2025-W52"


def test_trailing_periods_are_the_n_weeks_before_oldest_first():
    assert trailing_periods("2026-W02", 3) == ["2025-W51", "2025-W52", "2026-W01"]
    assert trailing_periods("2026-W47", 0) == []
    assert len(trailing_periods("2026-W47", 12)) == 12
    assert period_range("2026-W52", "2027-W02") == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]


def test_bounds_are_local_monday_midnights_half_open_across_dst_change():
    tz = ZoneInfo("Europe/Madrid")  # DST ends Sunday 2026-10-25
    start, end = period_bounds("2026-W43", tz)
    assert (start.isoformat(), end.isoformat()) == (
        "2026-10-19T00:00:00+02:00", "2026-10-26T00:00:00+01:00")
    # the week really is 169 hours long (subtract in UTC: same-tzinfo subtraction is naive)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=7, hours=1)
    assert period_bounds("2026-W44", tz)[0] == end  # no gap, no overlap


def test_sunday_night_local_belongs_to_that_week_even_when_utc_is_already_monday():
    tz = "America/Bogota"  # UTC-5
    sunday_late = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Sun 22:00 in Bogotá
    assert period_of(sunday_late, tz) == "2026-W47"
    assert period_of(sunday_late, "UTC") == "2026-W48"
    start, end = period_bounds("2026-W47", tz)
    assert start <= sunday_late < end


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        period_of(datetime(2026, 11, 20, 12, 0), "UTC")
