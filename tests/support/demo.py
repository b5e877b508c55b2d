"""Deterministic synthetic data: a small agency's feedback over several weeks.

For tests, the sample digest and the charts' visual check. Not real data:
texts are made-up, already "redacted" sentences.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from trust.model import CHANNEL_DEEP_LINK, CHANNEL_DIRECT, FeedbackMessage, OrgChart, Unit
from trust.periods import parse_period, shift_period

DEMO_TZ = "America/Bogota"

DEMO_TOPICS = ("response_time", "respect", "traffic_stops", "noise", "theft", "patrols")

_NEGATIVE = [
    "Waited [TIME] for anyone to come after I called about the break-in.",
    "The officer at [PLACE] shouted at my son and would not listen.",
    "Nobody answered when I reported the noise again.",
    "I was stopped for no reason and treated like a criminal.",
    "They said they would call back and never did.",
    "Patrols never come down our street after dark.",
]
_POSITIVE = [
    "The officer was kind and explained everything.",
    "Quick response, thank you to the team at [PLACE].",
    "I felt listened to when I reported the theft.",
    "Friendly patrol, my neighbours feel safer.",
]


def demo_org() -> OrgChart:
    units = [
        Unit("n-patrol", "North Patrol", "north"),
        Unit("n-traffic", "North Traffic", "north"),
        Unit("n-community", "North Community Desk", "north"),
        Unit("c-patrol", "Central Patrol", "central"),
        Unit("c-investig", "Central Investigations", "central"),
        Unit("s-patrol", "South Patrol", "south"),
        Unit("s-traffic", "South Traffic", "south"),
        Unit("s-k9", "South K-9", "south"),
    ]
    return OrgChart.build(units, {"north": "North", "central": "Central", "south": "South"},
                          agency_name="Riverside Police")


_UNIT_MEAN = {
    "n-patrol": 0.25, "n-traffic": -0.05, "n-community": 0.45, "c-patrol": 0.15,
    "c-investig": 0.3, "s-patrol": 0.1, "s-traffic": -0.15, "s-k9": 0.35,
}
_UNIT_SIZE = {
    "n-patrol": 14, "n-traffic": 9, "n-community": 6, "c-patrol": 16,
    "c-investig": 7, "s-patrol": 12, "s-traffic": 8, "s-k9": 3,
}


def demo_messages(
    last_period: str = "2026-W47",
    weeks: int = 13,
    seed: int = 7,
    drop_unit: str | None = "n-patrol",
    drop: float = 0.6,
) -> list[FeedbackMessage]:
    """``weeks`` weeks of messages ending at ``last_period``; ``drop_unit``
    falls by ``drop`` (value scale) in the last week."""
    rng = random.Random(seed)
    zone = ZoneInfo(DEMO_TZ)
    out: list[FeedbackMessage] = []
    residents = [f"r{i:04d}" for i in range(400)]
    first = shift_period(last_period, -(weeks - 1))
    for w in range(weeks):
        period = shift_period(first, w)
        monday = parse_period(period).monday
        last = period == last_period
        for unit_id, mean in _UNIT_MEAN.items():
            if last and unit_id == drop_unit:
                mean -= drop
            n = max(1, _UNIT_SIZE[unit_id] + rng.randint(-2, 2))
            for resident in rng.sample(residents, n):
                resident_mean = max(-1.0, min(1.0, rng.gauss(mean, 0.35)))
                topics = tuple(sorted(set(rng.sample(DEMO_TOPICS, rng.choice((1, 1, 2))))))
                if last and unit_id == drop_unit and "response_time" not in topics:
                    topics = tuple(sorted(topics + ("response_time",)))
                channel = CHANNEL_DEEP_LINK if rng.random() < 0.6 else CHANNEL_DIRECT
                language = "es" if rng.random() < 0.3 else "en"
                for _ in range(rng.choice((1, 1, 1, 2, 3))):
                    s = max(-1.0, min(1.0, rng.gauss(resident_mean, 0.15)))
                    ratings = {}
                    if rng.random() < 0.4:
                        ratings = {item: max(0, min(10, round(5 * (1 + s) + rng.gauss(0, 1))))
                                   for item in ("respect", "listening", "fairness", "safety")}
                    value = (s + sum(0.25 * (r / 5 - 1) for r in ratings.values())) / (
                        1 + 0.25 * len(ratings))
                    text = rng.choice(_NEGATIVE if value < 0 else _POSITIVE)
                    when = datetime.combine(monday, datetime.min.time(), tzinfo=zone) + timedelta(
                        minutes=rng.randrange(7 * 24 * 60))
                    out.append(FeedbackMessage(
                        resident_key=resident, sent_at=when, sentiment=round(s, 3), ratings=ratings,
                        unit_id=unit_id, topics=topics, channel=channel, language=language,
                        officer_id=f"{unit_id}-o{rng.randint(1, 3)}", redacted_text=text,
                    ))
    return out
