"""From messages to resident voices to group statistics.

One resident, one voice: within a period a resident's distinct messages in a
group are averaged first, and the group's figure is the mean over residents.
Repeating a message changes nothing (repeats are dropped by content key), and
writing ten messages weighs exactly as much as writing one.

All sums use :func:`math.fsum` (exactly rounded), so results do not depend on
input order.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import tzinfo

from .model import (
    FeedbackMessage,
    GroupKey,
    GroupStats,
    OrgChart,
    PeriodStats,
    QuoteCandidate,
    ResidentVoice,
)
from .periods import format_period, period_of
from .settings import TrustSettings

_TOL = 1e-6


def rating_to_value(rating: float) -> float:
    """A 0-10 rating on the [-1, 1] scale: r/5 - 1 (0 -> -1, 5 -> 0, 10 -> 1)."""
    if not (0.0 <= rating <= 10.0):
        raise ValueError(f"rating must be within 0-10, got {rating!r}")
    return rating / 5.0 - 1.0


def _clip(x: float) -> float:
    return -1.0 if x < -1.0 else 1.0 if x > 1.0 else x


def message_value(
    sentiment: float | None,
    ratings: Mapping[str, float] | None,
    settings: TrustSettings,
) -> float | None:
    """Value of one message in [-1, 1]: the weighted mean of the text sentiment
    (weight ``text_weight``) and the ratings it carries (``rating_weights``),
    renormalised over the parts present. None when nothing counts (no text
    sentiment and no weighted rating). The database should store this per
    message at ingest and roll it up."""
    num: list[float] = []
    den = 0.0
    if sentiment is not None and settings.text_weight > 0:
        s = float(sentiment)
        if not math.isfinite(s) or abs(s) > 1.0 + _TOL:
            raise ValueError(f"sentiment must be within [-1, 1], got {sentiment!r}")
        num.append(settings.text_weight * _clip(s))
        den += settings.text_weight
    for item, rating in (ratings or {}).items():
        if rating is None:
            continue
        weight = settings.rating_weights.get(item, 0.0)
        value = rating_to_value(float(rating))  # validate even when unweighted
        if weight > 0:
            num.append(weight * value)
            den += weight
    if den <= 0:
        return None
    return _clip(math.fsum(num) / den)


def _normalise_text(text: str) -> str:
    return " ".join(text.casefold().split())


def content_key(
    text: str | None,
    ratings: Mapping[str, float] | None = None,
    sentiment: float | None = None,
) -> str:
    """Identity of a message for de-duplication: the same (case- and
    whitespace-normalised) text with the same ratings is the same message.
    Without text, the sentiment stands in for it. Returns a hex SHA-256,
    suitable for a unique index in the database."""
    parts = []
    if text and text.strip():
        parts.append("t:" + _normalise_text(text))
    else:
        parts.append("s:" + ("" if sentiment is None else repr(round(float(sentiment), 9))))
    for item in sorted(ratings or {}):
        rating = (ratings or {})[item]
        if rating is not None:
            parts.append(f"r:{item}={float(rating)!r}")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _message_key(msg: FeedbackMessage) -> str:
    if msg.content_key is not None:
        return msg.content_key
    return content_key(msg.redacted_text, msg.ratings, msg.sentiment)


def _distinct_messages(
    messages: Iterable[FeedbackMessage], tz: tzinfo | str, period: str | None
) -> list[tuple[str, FeedbackMessage]]:
    """(period, message) for each distinct message; the earliest copy wins."""
    wanted = format_period(period) if period is not None else None
    seen: dict[tuple[str, str, str | None, str], tuple[str, FeedbackMessage]] = {}
    for msg in messages:
        p = period_of(msg.sent_at, tz)
        if wanted is not None and p != wanted:
            continue
        key = (p, msg.resident_key, msg.unit_id, _message_key(msg))
        old = seen.get(key)
        if old is None or msg.sent_at < old[1].sent_at:
            seen[key] = (p, msg)
    return list(seen.values())


def voices_from_messages(
    messages: Iterable[FeedbackMessage],
    *,
    tz: tzinfo | str,
    settings: TrustSettings,
    period: str | None = None,
) -> list[ResidentVoice]:
    """Roll raw messages up into :class:`ResidentVoice` rows, exactly what the
    database's rollup tables hold: per (period, resident, unit, channel,
    language) the sum and count of message values, plus the same per topic.
    Repeats (same content key, same resident, unit and period) count once;
    messages with no value (no sentiment, no weighted rating) are skipped.
    ``period`` keeps only that period."""
    acc: dict[tuple, list] = defaultdict(lambda: [[], 0])
    for p, msg in _distinct_messages(messages, tz, period):
        value = message_value(msg.sentiment, msg.ratings, settings)
        if value is None:
            continue
        base = (p, msg.resident_key, msg.unit_id, msg.channel, msg.language)
        for topic in (None, *sorted(set(msg.topics))):
            cell = acc[base + (topic,)]
            cell[0].append(value)
            cell[1] += 1
    voices = [
        ResidentVoice(k[0], k[1], k[2], k[3], k[4], k[5], math.fsum(v[0]), v[1])
        for k, v in acc.items()
    ]
    voices.sort(key=lambda v: (v.period, v.resident_key, v.unit_id or "", v.channel,
                               v.language, v.topic or ""))
    return voices


def _voice_groups(voice: ResidentVoice, org: OrgChart) -> list[GroupKey]:
    district = org.district_of(voice.unit_id)
    if voice.topic is None:
        keys = [GroupKey.agency(), GroupKey.channel(voice.channel), GroupKey.language(voice.language)]
        if district is not None:
            keys.append(GroupKey.district(district))
        if voice.unit_id is not None:
            keys.append(GroupKey.unit(voice.unit_id))
    else:
        keys = [GroupKey.topic_of(voice.topic)]
        if district is not None:
            keys.append(GroupKey.district(district, voice.topic))
        if voice.unit_id is not None:
            keys.append(GroupKey.unit(voice.unit_id, voice.topic))
    return keys


def stats_from_voices(
    voices: Iterable[ResidentVoice], org: OrgChart, *, period: str
) -> PeriodStats:
    """Group statistics of one period from rollup rows: per group, each resident's
    voice is sum(value_sum)/sum(n_messages) over their rows in the group, and
    the group's :class:`GroupStats` are over those voices. Rows of other periods
    are an error (pool periods with :meth:`PeriodStats.pooled`)."""
    period = format_period(period)
    per_resident: dict[GroupKey, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [[], 0]))
    for voice in voices:
        if voice.period != period:
            raise ValueError(f"voice of {voice.period} given for period {period}")
        if voice.n_messages <= 0:
            raise ValueError("a voice needs n_messages >= 1")
        for key in _voice_groups(voice, org):
            cell = per_resident[key][voice.resident_key]
            cell[0].append(voice.value_sum)
            cell[1] += voice.n_messages
    groups: dict[GroupKey, GroupStats] = {}
    for key, residents in per_resident.items():
        values = [_clip(math.fsum(s) / c) for s, c in residents.values()]
        groups[key] = GroupStats.from_values(values, n_messages=sum(c for _, c in residents.values()))
    return PeriodStats(period, groups)


def stats_from_messages(
    messages: Iterable[FeedbackMessage],
    *,
    period: str,
    tz: tzinfo | str,
    org: OrgChart,
    settings: TrustSettings,
) -> PeriodStats:
    """One period's :class:`PeriodStats` straight from raw messages."""
    voices = voices_from_messages(messages, tz=tz, settings=settings, period=period)
    return stats_from_voices(voices, org, period=period)


def stats_by_period(
    messages: Iterable[FeedbackMessage],
    *,
    tz: tzinfo | str,
    org: OrgChart,
    settings: TrustSettings,
) -> dict[str, PeriodStats]:
    """Every period's :class:`PeriodStats` (what the database stores weekly)."""
    by_period: dict[str, list[ResidentVoice]] = defaultdict(list)
    for voice in voices_from_messages(messages, tz=tz, settings=settings):
        by_period[voice.period].append(voice)
    return {p: stats_from_voices(v, org, period=p) for p, v in sorted(by_period.items())}


def quote_candidates_from_messages(
    messages: Iterable[FeedbackMessage],
    *,
    period: str,
    tz: tzinfo | str,
    settings: TrustSettings,
) -> list[QuoteCandidate]:
    """Messages of the period that carry (already redacted) text, as quote candidates."""
    out = []
    for p, msg in _distinct_messages(messages, tz, period):
        if not msg.redacted_text or not msg.redacted_text.strip():
            continue
        value = message_value(msg.sentiment, msg.ratings, settings)
        if value is None:
            continue
        out.append(QuoteCandidate(
            resident_key=msg.resident_key, value=value, redacted_text=msg.redacted_text,
            unit_id=msg.unit_id, topics=tuple(msg.topics), channel=msg.channel,
            language=msg.language, period=p,
        ))
    return out


def officer_voices(
    messages: Sequence[FeedbackMessage],
    *,
    period: str,
    tz: tzinfo | str,
    settings: TrustSettings,
) -> dict[str, GroupStats]:
    """Per officer, one voice per resident (used only by :mod:`trust.officers`)."""
    acc: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(lambda: [[], 0]))
    for _, msg in _distinct_messages(messages, tz, period):
        if msg.officer_id is None:
            continue
        value = message_value(msg.sentiment, msg.ratings, settings)
        if value is None:
            continue
        cell = acc[msg.officer_id][msg.resident_key]
        cell[0].append(value)
        cell[1] += 1
    return {
        officer: GroupStats.from_values(
            [_clip(math.fsum(s) / c) for s, c in residents.values()],
            n_messages=sum(c for _, c in residents.values()),
        )
        for officer, residents in acc.items()
    }
