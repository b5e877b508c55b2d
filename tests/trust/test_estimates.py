import math
from datetime import UTC, datetime, timedelta, timezone

import pytest

from trust.model import FeedbackMessage, GroupKey, GroupStats, OrgChart, PeriodStats, Unit
from trust.report import compute_report, report_from_messages
from trust.settings import TrustSettings
from trust.stats import Estimate, estimate_all, estimate_group, t_quantile, to_index, z_quantile

S = TrustSettings()
ORG = OrgChart.build([Unit("u1", "Unit One", "d1"), Unit("u2", "Unit Two", "d1")], {"d1": "North"})


@pytest.mark.parametrize("df, q", [(1, 6.313752), (4, 2.131847), (5, 2.015048), (15, 1.753050),
                                   (30, 1.697261), (4.5, 2.065576)])
def test_t_quantile_matches_published_tables_at_90_percent(df, q):
    assert t_quantile(0.90, df) == pytest.approx(q, abs=1e-5)


def test_normal_critical_value_at_90_percent_is_1_645():
    assert z_quantile(0.90) == pytest.approx(1.644854, abs=1e-6)


def test_index_is_fifty_times_one_plus_value_clipped_to_0_100():
    assert to_index(0.0) == 50 and to_index(1.0) == 100 and to_index(-1.0) == 0
    assert to_index(0.3) == pytest.approx(65.0)
    assert to_index(1.2) == 100 and to_index(-3) == 0


def test_agency_interval_is_the_textbook_t_interval():
    values = [0.5, 0.1, -0.2, 0.4, 0.2]
    est = estimate_group(GroupStats.from_values(values), None, S)
    mean = sum(values) / 5
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / 4)
    half = 2.131847 * sd / math.sqrt(5)  # t(0.95, df=4)
    assert est.mean == pytest.approx(mean)
    assert (est.low, est.high) == (pytest.approx(mean - half, abs=1e-6), pytest.approx(mean + half, abs=1e-6))
    assert est.df == 4


def test_small_unit_is_shrunk_toward_its_district_as_in_the_worked_example():
    # docs/trust-index.md, "Worked example"
    unit = GroupStats.from_values([-0.6, -0.2, 0.1, -0.4, 0.3, -0.5])
    district = Estimate(40, 0.20, None, 0.20, 0.16, 0.06, 39.0, None, None)
    est = estimate_group(unit, district, TrustSettings(prior_strength=10))
    assert unit.mean == pytest.approx(-0.216667, abs=1e-6)
    assert est.mean == pytest.approx((6 * -1.3 / 6 + 10 * 0.20) / 16)  # 0.04375
    assert est.variance == pytest.approx((5 * 0.125667 + 10 * 0.16) / 15, abs=1e-6)  # 0.148556
    assert est.df == 15
    assert est.se == pytest.approx(math.sqrt(0.1485556 / 16), abs=1e-6)  # 0.096357
    assert est.index == pytest.approx(52.19, abs=0.01)
    assert (est.index_low, est.index_high) == (pytest.approx(43.74, abs=0.01), pytest.approx(60.63, abs=0.01))


def test_without_shrinkage_a_unit_gets_its_raw_mean_and_t_interval():
    unit = GroupStats.from_values([-0.6, -0.2, 0.1, -0.4, 0.3, -0.5])
    district = Estimate(40, 0.2, None, 0.2, 0.16, 0.06, 39.0, None, None)
    est = estimate_group(unit, district, TrustSettings(prior_strength=0))
    half = t_quantile(0.9, 5) * math.sqrt(unit.variance / 6)
    assert est.mean == pytest.approx(unit.mean)
    assert est.low == pytest.approx(unit.mean - half)


def test_shrinkage_chains_unit_to_district_to_agency():
    ps = PeriodStats("2026-W47", {
        GroupKey.agency(): GroupStats.from_values([0.5] * 20 + [-0.5] * 20),
        GroupKey.district("d1"): GroupStats.from_values([-0.5] * 10),
        GroupKey.unit("u1"): GroupStats.from_values([-0.5] * 10),
    })
    est = estimate_all(ps, ORG, S, (GroupKey.unit("u2"),))
    district = est[GroupKey.district("d1")]
    assert district.prior_mean == pytest.approx(0.0)
    assert district.mean == pytest.approx((10 * -0.5 + 10 * 0.0) / 20)
    assert est[GroupKey.unit("u1")].prior_mean == pytest.approx(district.mean)
    # a unit nobody wrote about just inherits its district's estimate
    assert est[GroupKey.unit("u2")].mean == pytest.approx(district.mean)
    assert est[GroupKey.unit("u2")].n_residents == 0


def _messages(unit, n, value, week_monday):
    return [FeedbackMessage(f"{unit}-r{i}", week_monday + timedelta(hours=i), value + 0.01 * (i % 3),
                            unit_id=unit, redacted_text=f"{unit} text {i}") for i in range(n)]


def test_unit_with_fewer_than_min_residents_shows_not_enough_feedback_never_a_number():
    monday = datetime(2026, 11, 16, 8, tzinfo=UTC)
    msgs = _messages("u1", 12, 0.3, monday) + _messages("u2", 4, -0.9, monday)
    report = report_from_messages(msgs, "2026-W47", tz="UTC", org=ORG, settings=S)
    small = next(f for f in report.units if f.key == GroupKey.unit("u2"))
    big = next(f for f in report.units if f.key == GroupKey.unit("u1"))
    assert small.n_residents == 4 and not small.enough
    assert (small.index, small.index_low, small.index_high, small.vs_previous) == (None, None, None, None)
    assert big.enough and big.index is not None
    assert all(item.figure.key != small.key for item in report.attention)


def test_quotes_appear_only_for_groups_at_or_above_min_residents():
    monday = datetime(2026, 11, 16, 8, tzinfo=UTC)
    msgs = _messages("u1", 12, 0.6, monday) + _messages("u2", 5, -0.9, monday)
    at_min = report_from_messages(msgs, "2026-W47", tz="UTC", org=ORG, settings=S)
    item = next(i for i in at_min.attention if i.figure.key == GroupKey.unit("u2"))
    assert item.quotes
    stricter = report_from_messages(msgs, "2026-W47", tz="UTC", org=ORG,
                                    settings=TrustSettings(min_residents=6))
    assert all(i.figure.key != GroupKey.unit("u2") for i in stricter.attention)


def test_empty_week_reports_not_enough_feedback_everywhere():
    report = compute_report("2026-W47", PeriodStats("2026-W47", {}), org=ORG, settings=S)
    assert report.agency.n_residents == 0 and not report.agency.enough
    assert all(not f.enough for f in report.units + report.districts)
    assert report.attention == ()
