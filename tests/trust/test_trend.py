import math

import pytest

from trust.model import GroupKey, GroupStats, OrgChart, PeriodStats, Unit
from trust.periods import trailing_periods
from trust.report import compute_report
from trust.settings import TrustSettings
from trust.stats import compare, estimate_group

S = TrustSettings()
ORG = OrgChart.build([Unit("u1", "Unit One", "d1")], {"d1": "North"})
WEEK = "2026-W47"


def stats_with(n, mean, variance):
    """GroupStats of n residents with the given mean and sample variance."""
    total = n * mean
    return GroupStats(n, total, variance * (n - 1) + total * total / n, 0, n)


def agency_only(period, n, mean, variance):
    return PeriodStats(period, {GroupKey.agency(): stats_with(n, mean, variance)})


def test_drop_larger_than_combined_noise_is_marked_significant():
    # each week: n=100, sd 0.5 -> se 0.05; diff -0.2 -> z = -0.2 / 0.0707 = -2.83 < -1.645
    report = compute_report(WEEK, agency_only(WEEK, 100, 0.0, 0.25), org=ORG, settings=S,
                            history={"2026-W46": agency_only("2026-W46", 100, 0.2, 0.25)})
    trend = report.agency.vs_previous
    assert trend.delta_index == pytest.approx(-10.0)
    assert trend.z == pytest.approx(-0.2 / math.sqrt(2 * 0.05 ** 2))
    assert trend.significant


def test_drop_within_noise_is_not_marked_significant():
    # diff -0.05 -> z = -0.71
    report = compute_report(WEEK, agency_only(WEEK, 100, 0.15, 0.25), org=ORG, settings=S,
                            history={"2026-W46": agency_only("2026-W46", 100, 0.2, 0.25)})
    trend = report.agency.vs_previous
    assert trend.delta_index == pytest.approx(-2.5)
    assert trend.z == pytest.approx(-0.7071, abs=1e-4)
    assert not trend.significant


def test_same_drop_is_significant_only_with_enough_residents():
    # diff -0.1 (5 points): z = -1.41 with n=100, -2.0 with n=200 per week
    def z_for(n):
        return compute_report(WEEK, agency_only(WEEK, n, 0.1, 0.25), org=ORG, settings=S,
                              history=[agency_only("2026-W46", n, 0.2, 0.25)]).agency.vs_previous
    assert not z_for(100).significant
    assert z_for(200).significant


def test_a_higher_confidence_level_makes_the_test_stricter():
    now = estimate_group(stats_with(200, 0.1, 0.25), None, S)
    before = estimate_group(stats_with(200, 0.2, 0.25), None, S)
    assert compare(now, before, 0.90).significant  # |z| = 2.0 > 1.645
    assert not compare(now, before, 0.99).significant  # 2.0 < 2.576


def test_baseline_pools_the_trailing_weeks_and_excludes_the_digest_week():
    history = {p: agency_only(p, 50, 0.2, 0.25) for p in trailing_periods(WEEK, 12)}
    history["2026-W30"] = agency_only("2026-W30", 50, -0.9, 0.01)  # too old: ignored
    report = compute_report(WEEK, agency_only(WEEK, 50, 0.0, 0.25), org=ORG, settings=S,
                            history=history)
    base = report.agency.vs_baseline
    assert report.baseline_weeks_found == 12
    assert base.reference_label == "2026-W35..2026-W46"
    assert base.reference_index == pytest.approx(60.0)
    # se(now) = 0.5/sqrt(50); se(baseline) = 0.5/sqrt(600) (pooled resident-weeks)
    se = math.sqrt(0.25 / 50 + 0.25 / 600)
    assert base.z == pytest.approx(-0.2 / se, rel=1e-3)
    assert base.significant


def test_no_trend_is_claimed_when_last_week_had_too_few_residents():
    report = compute_report(WEEK, agency_only(WEEK, 100, 0.0, 0.25), org=ORG, settings=S,
                            history={"2026-W46": agency_only("2026-W46", 4, 0.9, 0.01)})
    assert report.agency.vs_previous is None
    assert report.agency.vs_baseline is None  # the baseline has only those 4 resident-weeks


def test_unit_trend_compares_shrunk_estimates_of_both_weeks():
    def week(period, unit_mean):
        return PeriodStats(period, {
            GroupKey.agency(): stats_with(200, 0.2, 0.2),
            GroupKey.district("d1"): stats_with(60, 0.2, 0.2),
            GroupKey.unit("u1"): stats_with(30, unit_mean, 0.2),
        })
    report = compute_report(WEEK, week(WEEK, -0.2), org=ORG, settings=S,
                            history=[week("2026-W46", 0.2)])
    unit = next(f for f in report.units if f.key == GroupKey.unit("u1"))
    raw_drop = 50 * (-0.2 - 0.2)
    assert unit.vs_previous.delta_index > raw_drop  # shrinkage makes it smaller, not larger
    assert unit.vs_previous.significant
