"""Sufficient statistics: rollup rows can be split and pooled without changing any figure.

That the production SQL (storage/rollups.py) gives the same report as the raw per-message path is
tested against real SQLite and PostgreSQL databases in tests/test_rollups_maintenance.py."""

import pytest

from tests.support.demo import DEMO_TZ, demo_messages, demo_org
from trust.aggregate import (
    stats_by_period,
    stats_from_voices,
    voices_from_messages,
)
from trust.model import GroupKey, PeriodStats, ResidentVoice
from trust.periods import trailing_periods
from trust.settings import TrustSettings

S = TrustSettings()
WEEK = "2026-W47"


@pytest.fixture(scope="module")
def messages():
    return demo_messages(last_period=WEEK, weeks=13)


def test_rollup_rows_may_be_split_arbitrarily_without_changing_any_figure(messages):
    org = demo_org()
    voices = voices_from_messages(messages, tz=DEMO_TZ, settings=S, period=WEEK)
    split = []
    for v in voices:  # e.g. NULL unit rows that a unique index does not merge
        if v.n_messages >= 2:
            split.append(ResidentVoice(v.period, v.resident_key, v.unit_id, v.channel, v.language,
                                       v.topic, v.value_sum / 2, v.n_messages - 1))
            split.append(ResidentVoice(v.period, v.resident_key, v.unit_id, v.channel, v.language,
                                       v.topic, v.value_sum / 2, 1))
        else:
            split.append(v)
    a = stats_from_voices(voices, org, period=WEEK)
    b = stats_from_voices(split, org, period=WEEK)
    assert a.groups.keys() == b.groups.keys()
    for key in a.groups:
        assert a.get(key).value_sum == pytest.approx(b.get(key).value_sum, abs=1e-12)
        assert a.get(key).n_residents == b.get(key).n_residents


def test_stored_weekly_rows_pool_into_exactly_the_raw_baseline(messages):
    org = demo_org()
    per_week = stats_by_period(messages, tz=DEMO_TZ, org=org, settings=S)
    base = PeriodStats.pooled("base", [per_week[p] for p in trailing_periods(WEEK, 12)])
    agency = base.get(GroupKey.agency())
    assert agency.n_residents == sum(per_week[p].get(GroupKey.agency()).n_residents
                                     for p in trailing_periods(WEEK, 12))


def test_rows_naming_an_officer_dimension_are_refused():
    row = dict(dimension="officer", group_key="o-17", topic=None, n_residents=9, value_sum=0.0,
               value_sum_sq=1.0, n_negative=0, n_messages=9)
    with pytest.raises(ValueError):
        PeriodStats.from_rows(WEEK, [row])
