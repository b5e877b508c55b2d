from datetime import UTC, datetime, timedelta, timezone

import pytest

from trust.aggregate import (
    content_key,
    message_value,
    rating_to_value,
    stats_from_messages,
    stats_from_voices,
    voices_from_messages,
)
from trust.model import FeedbackMessage, GroupKey, GroupStats, OrgChart, PeriodStats, Unit, pool_stats
from trust.settings import TrustSettings

S = TrustSettings()
TZ = "UTC"
WEEK = "2026-W47"
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
ORG = OrgChart.build([Unit("u1", "Unit One", "d1"), Unit("u2", "Unit Two", "d1")], {"d1": "District"})


def msg(resident, sentiment, unit="u1", text=None, day=0, **kw):
    return FeedbackMessage(
        resident_key=resident, sent_at=MONDAY + timedelta(days=day), sentiment=sentiment,
        unit_id=unit, redacted_text=text if text is not None else f"{resident} says {sentiment} on {day}",
        **kw,
    )


def stats(messages, org=ORG, settings=S):
    return stats_from_messages(messages, period=WEEK, tz=TZ, org=org, settings=settings)


def test_text_only_message_value_is_its_sentiment():
    assert message_value(0.3, None, S) == pytest.approx(0.3)
    assert message_value(None, None, S) is None


@pytest.mark.parametrize("rating, value", [(0, -1.0), (5, 0.0), (10, 1.0), (8, 0.6)])
def test_ratings_map_to_r_over_5_minus_1(rating, value):
    assert rating_to_value(rating) == pytest.approx(value)


def test_message_value_is_weighted_mean_of_text_and_given_ratings():
    # text 0.4 (w 1.0), respect 8 -> 0.6 (w 0.25), safety 2 -> -0.6 (w 0.25); others missing
    value = message_value(0.4, {"respect": 8, "safety": 2}, S)
    assert value == pytest.approx((0.4 + 0.25 * 0.6 + 0.25 * -0.6) / 1.5)
    # all four ratings: text and ratings weigh half and half with the defaults
    all_ten = {"respect": 10, "listening": 10, "fairness": 10, "safety": 10}
    assert message_value(-1.0, all_ten, S) == pytest.approx(0.0)
    # ratings only
    assert message_value(None, {"respect": 10}, S) == pytest.approx(1.0)


def test_unweighted_rating_items_are_ignored_but_still_validated():
    assert message_value(0.2, {"mood": 9}, S) == pytest.approx(0.2)
    with pytest.raises(ValueError):
        message_value(0.2, {"mood": 11}, S)


@pytest.mark.parametrize("sentiment", [1.5, -2.0, float("nan")])
def test_sentiment_outside_minus_one_to_one_is_rejected(sentiment):
    with pytest.raises(ValueError):
        message_value(sentiment, None, S)


def test_resident_who_writes_ten_messages_counts_once():
    loud = [msg("loud", -1.0, day=i % 7, text=f"complaint number {i}") for i in range(10)]
    quiet = [msg(f"q{i}", 0.5) for i in range(4)]
    agency = stats(loud + quiet).get(GroupKey.agency())
    assert agency.n_residents == 5
    assert agency.mean == pytest.approx((-1.0 + 4 * 0.5) / 5)
    assert agency.n_messages == 14


def test_residents_messages_are_averaged_before_the_mean_over_residents():
    ps = stats([msg("a", -1.0, text="x"), msg("a", 0.0, text="y"), msg("b", 1.0)])
    assert ps.get(GroupKey.unit("u1")).mean == pytest.approx((-0.5 + 1.0) / 2)


def test_repeating_the_same_message_changes_nothing():
    once = stats([msg("a", -0.8, text="Nobody came!"), msg("b", 0.4)])
    again = stats([msg("a", -0.8, text="Nobody came!"), msg("a", -0.8, text="nobody   CAME!", day=2),
                   msg("b", 0.4), msg("b", 0.4)])
    assert again == once


def test_same_text_with_different_ratings_is_a_different_message():
    assert content_key("ok", {"respect": 3}) != content_key("ok", {"respect": 4})
    assert content_key("Ok  ", None) == content_key("ok", {})


def test_resident_counts_once_per_unit_and_once_in_the_district_above():
    ps = stats([msg("a", -1.0, unit="u1"), msg("a", 0.5, unit="u2")])
    assert ps.get(GroupKey.unit("u1")).n_residents == 1
    assert ps.get(GroupKey.unit("u2")).n_residents == 1
    district = ps.get(GroupKey.district("d1"))
    assert district.n_residents == 1
    assert district.mean == pytest.approx(-0.25)  # mean of their messages in the district


def test_topic_voice_uses_only_the_residents_messages_on_that_topic():
    ps = stats([msg("a", -0.9, topics=("response_time",), text="slow"),
                msg("a", 0.7, topics=("respect",), text="kind")])
    assert ps.get(GroupKey.topic_of("response_time")).mean == pytest.approx(-0.9)
    assert ps.get(GroupKey.topic_of("respect")).mean == pytest.approx(0.7)
    assert ps.get(GroupKey.unit("u1", "response_time")).n_residents == 1
    assert ps.get(GroupKey.agency()).mean == pytest.approx(-0.1)


def test_channel_and_language_breakdowns_count_each_resident_once():
    ps = stats([msg("a", 0.2, channel="deep_link", language="es"),
                msg("b", -0.2, channel="direct", language="es")])
    assert ps.get(GroupKey.channel("deep_link")).n_residents == 1
    assert ps.get(GroupKey.language("es")).n_residents == 2


def test_messages_outside_the_period_in_agency_time_zone_are_left_out():
    sunday_night_bogota = datetime(2026, 11, 16, 3, 0, tzinfo=UTC)  # Sun 22:00 W47-1
    m = FeedbackMessage("a", sunday_night_bogota, 0.5, unit_id="u1")
    assert stats_from_messages([m], period=WEEK, tz="America/Bogota", org=ORG,
                               settings=S).get(GroupKey.agency()).n_residents == 0
    assert stats_from_messages([m], period=WEEK, tz="UTC", org=ORG,
                               settings=S).get(GroupKey.agency()).n_residents == 1


def test_units_missing_from_the_org_chart_count_under_the_agency_only():
    ps = stats([msg("a", 0.5, unit="ghost")])
    assert ps.get(GroupKey.unit("ghost")).n_residents == 1
    assert ps.get(GroupKey.district("d1")).n_residents == 0
    assert ps.get(GroupKey.agency()).n_residents == 1


def test_weekly_stats_pool_into_the_baseline_by_plain_addition():
    a = GroupStats.from_values([0.1, -0.3])
    b = GroupStats.from_values([0.5])
    assert pool_stats([a, b]) == GroupStats.from_values([0.1, -0.3, 0.5])
    pooled = PeriodStats.pooled("base", [PeriodStats("w1", {GroupKey.agency(): a}),
                                         PeriodStats("w2", {GroupKey.agency(): b})])
    assert pooled.get(GroupKey.agency()).n_residents == 3


def test_group_stats_refuse_impossible_sums():
    with pytest.raises(ValueError):
        GroupStats(n_residents=2, value_sum=3.0, value_sum_sq=2.0)
    with pytest.raises(ValueError):
        GroupStats(n_residents=1, value_sum=0.0, value_sum_sq=0.0, n_negative=2)


def test_voices_of_another_period_are_refused():
    voices = voices_from_messages([msg("a", 0.1)], tz=TZ, settings=S)
    with pytest.raises(ValueError):
        stats_from_voices(voices, ORG, period="2026-W48")
