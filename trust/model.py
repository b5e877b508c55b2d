"""Input data types of the Trust Index.

Two ways in, with identical results:

* **raw**: :class:`FeedbackMessage` per message (tests, small deployments),
  turned into :class:`ResidentVoice` rows by :func:`trust.aggregate.voices_from_messages`;
* **sufficient statistics**: the database keeps the same :class:`ResidentVoice`
  rows as an incremental rollup table, and hands over one :class:`GroupStats`
  per group and week (a ``GROUP BY``; see ``storage.rollups.GROUP_STATS_SQL``).

Every figure of the index is computed from :class:`GroupStats` alone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

#: Breakdowns a :class:`GroupKey` may name. There is deliberately no "officer"
#: dimension: officer figures live in :mod:`trust.officers`, away from digests.
Dimension = Literal["agency", "district", "unit", "channel", "language"]
DIMENSIONS: tuple[str, ...] = ("agency", "district", "unit", "channel", "language")
#: Dimensions that can be crossed with a topic.
TOPIC_CROSS_DIMENSIONS: tuple[str, ...] = ("agency", "district", "unit")
AGENCY_KEY = "all"

CHANNEL_DEEP_LINK = "deep_link"
CHANNEL_DIRECT = "direct"

#: The 0-10 rating items the bot asks residents about, in the order it asks. The one definition:
#: storage, the bot, the CLI and the ``[trust]`` weights all read it from here.
RATING_ITEMS: tuple[str, ...] = ("respect", "listening", "fairness", "safety")

_EPS = 1e-9


@dataclass(frozen=True, slots=True)
class GroupKey:
    """Names one group of residents.

    ``topic`` narrows an agency/district/unit group to the residents who raised
    that topic, their voice being the mean of their messages on it. The topic
    breakdown itself is ``GroupKey.topic_of("traffic")`` ==
    ``GroupKey("agency", "all", "traffic")``.
    """

    dimension: str
    key: str
    topic: str | None = None

    def __post_init__(self) -> None:
        if self.dimension not in DIMENSIONS:
            raise ValueError(
                f"unknown dimension {self.dimension!r} (officer figures are not GroupKeys; "
                "use trust.officers)"
            )
        if self.topic is not None and self.dimension not in TOPIC_CROSS_DIMENSIONS:
            raise ValueError(f"a {self.dimension} group cannot be crossed with a topic")
        if self.dimension == "agency" and self.key != AGENCY_KEY:
            raise ValueError(f"the agency group's key is {AGENCY_KEY!r}")

    # constructors --------------------------------------------------------
    @classmethod
    def agency(cls) -> GroupKey:
        return cls("agency", AGENCY_KEY)

    @classmethod
    def district(cls, district_id: str, topic: str | None = None) -> GroupKey:
        return cls("district", district_id, topic)

    @classmethod
    def unit(cls, unit_id: str, topic: str | None = None) -> GroupKey:
        return cls("unit", unit_id, topic)

    @classmethod
    def topic_of(cls, topic: str) -> GroupKey:
        return cls("agency", AGENCY_KEY, topic)

    @classmethod
    def channel(cls, channel: str) -> GroupKey:
        return cls("channel", channel)

    @classmethod
    def language(cls, language: str) -> GroupKey:
        return cls("language", language)

    @property
    def breakdown(self) -> str:
        """What the group is a row of: agency, district, unit, topic, channel,
        language, district_topic or unit_topic."""
        if self.topic is None:
            return self.dimension
        return "topic" if self.dimension == "agency" else f"{self.dimension}_topic"

    def sort_key(self) -> tuple[str, str, str]:
        return (self.dimension, self.key, self.topic or "")

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key}" + (f"/{self.topic}" if self.topic else "")


@dataclass(frozen=True, slots=True)
class GroupStats:
    """Sufficient statistics of one group in one period (or pooled periods).

    Over the group's residents r, with v_r the mean of resident r's (distinct)
    messages in the group:

    * ``n_residents`` = number of residents,
    * ``value_sum``   = sum of v_r,
    * ``value_sum_sq``= sum of v_r ** 2,
    * ``n_negative``  = residents with v_r < 0,
    * ``n_messages``  = distinct messages behind them (informative only).

    All five add up across periods, which is what makes the 12-week baseline a
    sum of 12 stored rows.
    """

    n_residents: int = 0
    value_sum: float = 0.0
    value_sum_sq: float = 0.0
    n_negative: int = 0
    n_messages: int = 0

    def __post_init__(self) -> None:
        n = self.n_residents
        if n < 0 or self.n_negative < 0 or self.n_messages < 0:
            raise ValueError("counts must be >= 0")
        if self.n_negative > n:
            raise ValueError("n_negative > n_residents")
        if not (math.isfinite(self.value_sum) and math.isfinite(self.value_sum_sq)):
            raise ValueError("sums must be finite")
        tol = _EPS * max(1, n)
        if abs(self.value_sum) > n + tol or self.value_sum_sq < -tol or self.value_sum_sq > n + tol:
            raise ValueError(
                f"impossible sums for {n} residents with values in [-1, 1]: "
                f"sum={self.value_sum!r}, sum_sq={self.value_sum_sq!r}"
            )

    @classmethod
    def from_values(cls, values: Iterable[float], n_messages: int | None = None) -> GroupStats:
        vals = list(values)
        return cls(
            n_residents=len(vals),
            value_sum=math.fsum(vals),
            value_sum_sq=math.fsum(v * v for v in vals),
            n_negative=sum(1 for v in vals if v < 0),
            n_messages=len(vals) if n_messages is None else n_messages,
        )

    def __add__(self, other: GroupStats) -> GroupStats:
        if not isinstance(other, GroupStats):
            return NotImplemented
        return GroupStats(
            self.n_residents + other.n_residents,
            self.value_sum + other.value_sum,
            self.value_sum_sq + other.value_sum_sq,
            self.n_negative + other.n_negative,
            self.n_messages + other.n_messages,
        )

    @property
    def mean(self) -> float | None:
        return self.value_sum / self.n_residents if self.n_residents else None

    @property
    def variance(self) -> float | None:
        """Sample variance between residents (n - 1 denominator); None below 2."""
        n = self.n_residents
        if n < 2:
            return None
        return max(0.0, (self.value_sum_sq - self.value_sum * self.value_sum / n) / (n - 1))


EMPTY_STATS = GroupStats()


def pool_stats(stats: Iterable[GroupStats]) -> GroupStats:
    """Sum of several periods' stats, with exactly rounded sums."""
    items = list(stats)
    return GroupStats(
        sum(s.n_residents for s in items),
        math.fsum(s.value_sum for s in items),
        math.fsum(s.value_sum_sq for s in items),
        sum(s.n_negative for s in items),
        sum(s.n_messages for s in items),
    )


@dataclass(frozen=True)
class PeriodStats:
    """All groups' :class:`GroupStats` for one period (or a pool of periods)."""

    period: str
    groups: Mapping[GroupKey, GroupStats] = field(default_factory=dict)

    def get(self, key: GroupKey) -> GroupStats:
        return self.groups.get(key, EMPTY_STATS)

    def keys(self, breakdown: str | None = None) -> list[GroupKey]:
        keys = sorted(self.groups, key=GroupKey.sort_key)
        return keys if breakdown is None else [k for k in keys if k.breakdown == breakdown]

    @classmethod
    def pooled(cls, label: str, periods: Iterable[PeriodStats]) -> PeriodStats:
        """Pool periods (the baseline): per group, the sum of the periods' stats."""
        by_key: dict[GroupKey, list[GroupStats]] = {}
        for p in periods:
            for key, st in p.groups.items():
                by_key.setdefault(key, []).append(st)
        return cls(label, {k: pool_stats(v) for k, v in by_key.items()})

    @classmethod
    def from_rows(cls, period: str, rows: Iterable[Mapping[str, Any]]) -> PeriodStats:
        """From database rows with the columns of the query ``storage.rollups.GROUP_STATS_SQL``:
        dimension, group_key, topic (NULL or '' = none), n_residents, value_sum,
        value_sum_sq, n_negative, n_messages. Rows are mappings (e.g. SQLAlchemy
        ``row._mapping`` or ``sqlite3.Row``)."""
        groups: dict[GroupKey, GroupStats] = {}
        for row in rows:
            key = GroupKey(str(row["dimension"]), str(row["group_key"]), row["topic"] or None)
            if key in groups:
                raise ValueError(f"duplicate row for {key}")
            groups[key] = GroupStats(
                int(row["n_residents"]),
                float(row["value_sum"]),
                float(row["value_sum_sq"]),
                int(row["n_negative"] or 0),
                int(row["n_messages"] or 0),
            )
        return cls(period, groups)


@dataclass(frozen=True, slots=True)
class Unit:
    unit_id: str
    name: str
    district_id: str | None = None
    active: bool = True  # False: removed; the report lists it only in a week it had feedback


@dataclass(frozen=True)
class OrgChart:
    """Units and districts with their display names. Units missing from it
    still count, directly under the agency, labelled by their id."""

    units: Mapping[str, Unit] = field(default_factory=dict)
    districts: Mapping[str, str] = field(default_factory=dict)
    agency_name: str = ""

    @classmethod
    def build(cls, units: Iterable[Unit], districts: Mapping[str, str] | None = None,
              agency_name: str = "") -> OrgChart:
        return cls({u.unit_id: u for u in units}, dict(districts or {}), agency_name)

    def district_of(self, unit_id: str | None) -> str | None:
        if unit_id is None:
            return None
        unit = self.units.get(unit_id)
        return unit.district_id if unit else None

    def unit_name(self, unit_id: str) -> str:
        unit = self.units.get(unit_id)
        return unit.name if unit else unit_id

    def district_name(self, district_id: str) -> str:
        return self.districts.get(district_id, district_id)


@dataclass(frozen=True)
class FeedbackMessage:
    """One resident message as the raw path sees it.

    ``sentiment`` is the model's text sentiment in [-1, 1] (None: no text);
    ``ratings`` maps rating items to 0-10. ``redacted_text`` must already be
    redacted (the index never sees raw text). ``content_key`` identifies a
    repeat of the same message (see :func:`trust.aggregate.content_key`);
    when None it is derived from the text and ratings.
    """

    resident_key: str
    sent_at: datetime
    sentiment: float | None = None
    ratings: Mapping[str, float] = field(default_factory=dict)
    unit_id: str | None = None
    topics: tuple[str, ...] = ()
    channel: str = CHANNEL_DIRECT
    language: str = "und"
    officer_id: str | None = None
    redacted_text: str | None = None
    content_key: str | None = None
    message_id: str | None = None


@dataclass(frozen=True, order=True, slots=True)
class ResidentVoice:
    """One row of the per-(week, unit, resident) rollup.

    The sum and count of the values of one resident's distinct messages in one
    period, unit, channel and language; ``topic`` None for all messages, or a
    topic for only the messages tagged with it (a second rollup table). A
    resident's voice in any group is sum(value_sum) / sum(n_messages) over
    their rows in the group, and counts once.
    """

    period: str
    resident_key: str
    unit_id: str | None
    channel: str
    language: str
    topic: str | None
    value_sum: float
    n_messages: int

    @property
    def value(self) -> float:
        return self.value_sum / self.n_messages


@dataclass(frozen=True, slots=True)
class QuoteCandidate:
    """A message that may be quoted. ``redacted_text`` is shown as given
    (escaped): pass only text that went through redaction."""

    resident_key: str
    value: float
    redacted_text: str
    unit_id: str | None = None
    topics: tuple[str, ...] = ()
    channel: str | None = None
    language: str | None = None
    period: str | None = None


@dataclass(frozen=True, slots=True)
class FollowUpStats:
    """Follow-ups of one group in the period (optional input).

    ``requested``: residents who asked for a follow-up; ``responded``: those the
    agency answered; ``rated``: answered ones who rated the answer;
    ``satisfied``: those who said they were satisfied."""

    requested: int = 0
    responded: int = 0
    rated: int = 0
    satisfied: int = 0

    def __post_init__(self) -> None:
        if min(self.requested, self.responded, self.rated, self.satisfied) < 0:
            raise ValueError("follow-up counts must be >= 0")
        if self.responded > self.requested or self.satisfied > self.rated:
            raise ValueError("responded <= requested and satisfied <= rated")

    @property
    def response_rate(self) -> float | None:
        return self.responded / self.requested if self.requested else None

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None
