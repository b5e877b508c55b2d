from datetime import UTC, datetime, timedelta, timezone

import pytest

from trust.model import FeedbackMessage, FollowUpStats, GroupKey, OrgChart, QuoteCandidate, Unit
from trust.report import report_from_messages, select_quotes
from trust.settings import TrustSettings

ORG = OrgChart.build([Unit("u1", "Harbour Patrol", "d1"), Unit("u2", "Hill Patrol", "d1"),
                      Unit("u3", "Market Desk", "d2")], {"d1": "North", "d2": "South"})
W46 = datetime(2026, 11, 9, 8, tzinfo=UTC)
W47 = datetime(2026, 11, 16, 8, tzinfo=UTC)


def residents(unit, monday, mean, n=10, topics=(), text="fine", prefix=None):
    prefix = prefix or unit
    return [FeedbackMessage(f"{prefix}-{i}", monday + timedelta(hours=i), mean + 0.05 * ((i % 3) - 1),
                            unit_id=unit, topics=topics, redacted_text=f"{text} #{i}")
            for i in range(n)]


@pytest.fixture
def falling_harbour():
    return (
        residents("u1", W46, 0.5) + residents("u2", W46, 0.3) + residents("u3", W46, -0.1)
        + residents("u1", W47, -0.4, topics=("response_time",), text="nobody came")
        + residents("u2", W47, 0.3) + residents("u3", W47, -0.1)
    )


def test_unit_that_fell_significantly_comes_first_with_why_topics_and_quotes(falling_harbour):
    cfg = TrustSettings(attention_dimensions=("unit",))
    report = report_from_messages(falling_harbour, "2026-W47", tz="UTC", org=ORG, settings=cfg)
    first = report.attention[0]
    assert first.figure.key == GroupKey.unit("u1")
    assert first.reasons[0].kind == "fell_vs_previous"
    assert first.reasons[0].delta_index < -20
    assert [m.key.topic for m in first.top_topics] == ["response_time"]
    assert first.top_topics[0].n_negative == 10
    assert len(first.quotes) == 3 and all(q.startswith("nobody came") for q in first.quotes)


def test_a_neighbours_fall_does_not_drag_a_steady_unit_into_attention(falling_harbour):
    # Hill Patrol's residents said the same both weeks; only Harbour Patrol, in the
    # same district, fell. Shrinking toward the district's *baseline* keeps Hill steady.
    cfg = TrustSettings(attention_dimensions=("unit",))
    report = report_from_messages(falling_harbour, "2026-W47", tz="UTC", org=ORG, settings=cfg)
    hill = next(f for f in report.units if f.key == GroupKey.unit("u2"))
    assert hill.vs_previous.delta_index == pytest.approx(0.0, abs=1e-9)
    assert not hill.vs_previous.significant
    assert GroupKey.unit("u2") not in [i.figure.key for i in report.attention]


def test_lowest_units_from_the_bottom_half_fill_the_list_after_the_falls():
    msgs = (residents("u1", W47, 0.5) + residents("u2", W47, 0.1)
            + residents("u3", W47, -0.3, n=12, text="rude"))
    cfg = TrustSettings(attention_dimensions=("unit",))
    report = report_from_messages(msgs, "2026-W47", tz="UTC", org=ORG, settings=cfg)
    assert [i.figure.key for i in report.attention] == [GroupKey.unit("u3")]  # 1 of 3 units
    low = report.attention[0]
    assert (low.reasons[0].kind, low.reasons[0].rank, low.reasons[0].out_of) == ("lowest", 1, 3)
    assert low.quotes and all(q.startswith("rude") for q in low.quotes)


def test_a_topic_under_attention_says_where_it_was_raised(falling_harbour):
    cfg = TrustSettings(attention_dimensions=("topic",))
    report = report_from_messages(falling_harbour, "2026-W47", tz="UTC", org=ORG, settings=cfg)
    item = report.attention[0]
    assert item.figure.key == GroupKey.topic_of("response_time")
    assert [m.label for m in item.where] == ["Harbour Patrol"]


def test_attention_list_respects_its_configured_length(falling_harbour):
    report = report_from_messages(falling_harbour, "2026-W47", tz="UTC", org=ORG,
                                  settings=TrustSettings(attention_items=1))
    assert len(report.attention) == 1
    none = report_from_messages(falling_harbour, "2026-W47", tz="UTC", org=ORG,
                                settings=TrustSettings(attention_items=0))
    assert none.attention == ()


def test_follow_up_rates_are_attached_where_given(falling_harbour):
    follow = {GroupKey.unit("u1"): FollowUpStats(requested=8, responded=6, rated=5, satisfied=2),
              GroupKey.agency(): FollowUpStats(requested=20, responded=10)}
    report = report_from_messages(falling_harbour, "2026-W47", tz="UTC", org=ORG,
                                  settings=TrustSettings(), follow_ups=follow)
    item = next(i for i in report.attention if i.figure.key == GroupKey.unit("u1"))
    assert item.follow_up.response_rate == pytest.approx(0.75)
    assert item.follow_up.satisfaction_rate == pytest.approx(0.4)
    assert report.follow_up.satisfaction_rate is None


def test_quotes_are_the_most_negative_from_distinct_residents_verbatim_redacted():
    cands = [
        QuoteCandidate("angry", -1.0, "Worst [NAME] ever", unit_id="u1"),
        QuoteCandidate("angry", -0.99, "Still the worst", unit_id="u1"),
        QuoteCandidate("b", -0.7, "Slow to come to [ADDRESS]", unit_id="u1"),
        QuoteCandidate("c", -0.2, "meh " * 200, unit_id="u1"),
        QuoteCandidate("d", -0.9, "other unit", unit_id="u2"),
        QuoteCandidate("e", 0.8, "Lovely", unit_id="u1"),
    ]
    cfg = TrustSettings(quotes_per_item=3, quote_max_chars=60)
    quotes = select_quotes(GroupKey.unit("u1"), cands, org=ORG, settings=cfg)
    assert quotes[:2] == ("Worst [NAME] ever", "Slow to come to [ADDRESS]")
    assert len(quotes) == 3 and len(quotes[2]) <= 60 and quotes[2].endswith("…")
    assert select_quotes(GroupKey.unit("u1"), cands, org=ORG,
                         settings=TrustSettings(quotes_per_item=0)) == ()


def test_a_quote_is_not_repeated_under_two_attention_items(falling_harbour):
    report = report_from_messages(falling_harbour, "2026-W47", tz="UTC", org=ORG,
                                  settings=TrustSettings(attention_dimensions=("unit", "topic")))
    quoted = [q for item in report.attention for q in item.quotes]
    assert len(quoted) == len(set(quoted))
