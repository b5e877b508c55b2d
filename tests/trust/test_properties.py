from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trust.aggregate import stats_from_messages
from trust.model import FeedbackMessage, GroupKey, GroupStats, OrgChart, Unit
from trust.report import report_from_messages
from trust.settings import TrustSettings
from trust.stats import Estimate, estimate_group

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ORG = OrgChart.build([Unit("u1", "One", "d1"), Unit("u2", "Two", "d1"), Unit("u3", "Three", "d2")],
                     {"d1": "North", "d2": "South"})
MONDAY = datetime(2026, 11, 16, tzinfo=UTC)
WEEK = "2026-W47"

values = st.floats(min_value=-1.0, max_value=1.0, allow_nan=False)
value_lists = st.lists(values, min_size=0, max_size=30)


def _message(i_resident, hours, sentiment, ratings, unit, topics, channel, language, text):
    return FeedbackMessage(
        resident_key=f"r{i_resident}", sent_at=MONDAY + timedelta(hours=hours), sentiment=sentiment,
        ratings=ratings, unit_id=unit, topics=tuple(sorted(topics)), channel=channel,
        language=language, redacted_text=f"message {text}",
    )


def messages(max_size=30):
    one = st.builds(
        _message,
        st.integers(0, 12),
        st.integers(0, 24 * 14 - 1),  # W47 and W48
        st.one_of(st.none(), values),
        st.dictionaries(st.sampled_from(["respect", "safety"]), st.integers(0, 10), max_size=1),
        st.sampled_from(["u1", "u2", "u3", None]),
        st.frozensets(st.sampled_from(["noise", "theft", "respect"]), max_size=2),
        st.sampled_from(["deep_link", "direct"]),
        st.sampled_from(["en", "es"]),
        st.integers(0, 1000),
    )
    return st.lists(one, max_size=max_size)


@FAST
@given(value_lists, st.floats(0, 50), st.floats(-1, 1), st.floats(0, 1),
       st.sampled_from([0.8, 0.9, 0.95]))
def test_index_and_its_interval_always_lie_within_0_100(vals, k, parent_mean, parent_var, level):
    cfg = TrustSettings(prior_strength=k, confidence_level=level)
    parent = Estimate(50, parent_mean, None, parent_mean, parent_var, 0.1, 49.0, None, None)
    for est in (estimate_group(GroupStats.from_values(vals), parent, cfg),
                estimate_group(GroupStats.from_values(vals), None, cfg)):
        assert 0.0 <= est.index <= 100.0
        if est.low is not None:
            assert 0.0 <= est.index_low <= est.index <= est.index_high <= 100.0


@FAST
@given(st.lists(values, min_size=1, max_size=30), st.floats(0.1, 100), st.floats(-1, 1))
def test_shrunk_estimate_lies_between_unit_mean_and_parent_mean(vals, k, parent_mean):
    stats = GroupStats.from_values(vals)
    parent = Estimate(99, parent_mean, None, parent_mean, 0.2, 0.05, 98.0, None, None)
    est = estimate_group(stats, parent, TrustSettings(prior_strength=k))
    lo, hi = sorted((stats.mean, parent_mean))
    assert lo - 1e-12 <= est.mean <= hi + 1e-12
    # and more residents pull it closer to the unit's own mean
    more = estimate_group(GroupStats.from_values(vals * 3), parent, TrustSettings(prior_strength=k))
    assert abs(more.mean - stats.mean) <= abs(est.mean - stats.mean) + 1e-12


@FAST
@given(messages(), st.data())
def test_report_is_invariant_to_a_resident_repeating_a_message(msgs, data):
    cfg = TrustSettings(min_residents=2)
    before = report_from_messages(msgs, WEEK, tz="UTC", org=ORG, settings=cfg)
    if msgs:
        repeated = data.draw(st.sampled_from(msgs))
        copies = data.draw(st.integers(1, 5))
        msgs = msgs + [repeated] * copies
    after = report_from_messages(msgs, WEEK, tz="UTC", org=ORG, settings=cfg)
    assert after == before


@FAST
@given(messages(), st.randoms(use_true_random=False))
def test_report_does_not_depend_on_message_order(msgs, rnd):
    cfg = TrustSettings(min_residents=2)
    shuffled = list(msgs)
    rnd.shuffle(shuffled)
    assert report_from_messages(shuffled, WEEK, tz="UTC", org=ORG, settings=cfg) == \
        report_from_messages(msgs, WEEK, tz="UTC", org=ORG, settings=cfg)


@FAST
@given(messages())
def test_every_resident_counts_once_in_the_agency_figure(msgs):
    stats = stats_from_messages(msgs, period=WEEK, tz="UTC", org=ORG, settings=TrustSettings())
    residents = {m.resident_key for m in msgs
                 if m.sent_at < MONDAY + timedelta(days=7)
                 and (m.sentiment is not None or m.ratings)}
    assert stats.get(GroupKey.agency()).n_residents == len(residents)


@FAST
@given(messages())
def test_figures_below_min_residents_never_carry_a_number(msgs):
    cfg = TrustSettings(min_residents=3)
    report = report_from_messages(msgs, WEEK, tz="UTC", org=ORG, settings=cfg)
    for fig in (report.agency, *report.districts, *report.units, *report.topics,
                *report.channels, *report.languages):
        if fig.n_residents < 3:
            assert fig.index is None and fig.index_low is None and fig.vs_previous is None
        else:
            assert fig.index is not None and 0 <= fig.index <= 100
    for item in report.attention:
        assert item.figure.n_residents >= 3
