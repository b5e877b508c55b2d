"""Incremental Trust Index rollups and the SQL that turns them into sufficient statistics.

Long because the rollup tables' maintenance and the queries that read them must change together.

How a resident's feedback reaches a digest:

1. ``trust_voice`` holds, per (ISO week, resident, unit, channel, language, topic), the sum and
   count of the values of the resident's *distinct* messages - exactly
   :class:`trust.model.ResidentVoice`. It is maintained by recomputing one resident-week at a
   time from that resident's messages of the week (:func:`refresh`), with the same
   :func:`trust.aggregate.voices_from_messages` the raw path uses. Recomputing (rather than
   adding deltas) makes every entry point idempotent: re-scoring a message with another model
   revision, a redelivered rating, or a second call for the same ids leave the same rows.
   Cost per call: that resident's messages of that week.
2. Entry points: :func:`apply_scored` (the scoring worker, in the transaction that commits
   the scores), :func:`apply_ratings` (``storage.feedback.set_rating``), and
   :func:`forget_resident` (``storage.feedback.forget_resident``).
3. :func:`period_stats` runs one ``GROUP BY`` over a week's ``trust_voice`` rows
   (:data:`GROUP_STATS_SQL`) and caches the result per week in ``trust_week_stats``; any change
   to the week drops its cache. A weekly digest therefore reads one week of rollups plus twelve
   cached weeks of a few hundred rows: O(that week's feedback), not O(history).

How messages become values (the database's side of ``trust.message_value``):

* a message counts once it is scored (``score_status`` 'scored': the model's sentiment) or
  given up on ('failed': no sentiment, only ratings); 'pending' messages wait for the scorer;
* a submission's ratings are carried by each of its messages (so with the default weights
  text and ratings count half and half in every message); a submission with ratings but no
  messages counts as one rating-only message at the time of its first rating;
* the week is the ISO week of ``received_at`` in the agency time zone.

Week boundaries and values depend on the time zone and on ``[trust]`` weights; the rollups
remember the ones they were built with (``rollup_meta``) and :func:`ensure_config` rebuilds
them once when the configuration changes.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, insert, literal, select, text, update
from sqlmodel import Session

from storage.models import FeedbackMessage, Rating, Resident, Submission, Unit, utcnow
from storage.models_rollups import DigestRun, RollupMeta, TrustPeriod, TrustVoice, TrustWeekStats
from storage.types import as_utc
from trust.aggregate import voices_from_messages
from trust.model import CHANNEL_DEEP_LINK, CHANNEL_DIRECT, OrgChart, PeriodStats, QuoteCandidate
from trust.model import FeedbackMessage as TrustMessage
from trust.model import Unit as TrustUnit
from trust.periods import format_period, period_bounds, period_of, period_range, trailing_periods
from trust.report import TrustReport, select_quotes
from trust.settings import TrustSettings

CONFIG_KEY = "config"
_VOICE = TrustVoice.__table__  # type: ignore[attr-defined]
_STATS = TrustWeekStats.__table__  # type: ignore[attr-defined]
_MSG = FeedbackMessage.__table__  # type: ignore[attr-defined]
_SUB = Submission.__table__  # type: ignore[attr-defined]
_RATING = Rating.__table__  # type: ignore[attr-defined]
_UNIT = Unit.__table__  # type: ignore[attr-defined]


# --- configuration the rollups depend on ----------------------------------------------------


@dataclass(frozen=True)
class RollupConfig:
    """What week boundaries and message values depend on."""

    timezone: str = "UTC"
    text_weight: float = 1.0
    rating_weights: dict[str, float] = field(
        default_factory=lambda: dict(TrustSettings().rating_weights)
    )

    @classmethod
    def of(cls, timezone: str, trust: TrustSettings) -> RollupConfig:
        return cls(timezone, float(trust.text_weight), {k: float(v) for k, v in sorted(trust.rating_weights.items())})

    def as_json(self) -> dict[str, Any]:
        return {
            "timezone": self.timezone,
            "text_weight": self.text_weight,
            "rating_weights": dict(sorted(self.rating_weights.items())),
        }

    @classmethod
    def from_json(cls, value: Any) -> RollupConfig:
        return cls(str(value["timezone"]), float(value["text_weight"]), dict(value["rating_weights"]))

    @property
    def trust(self) -> TrustSettings:
        return TrustSettings(text_weight=self.text_weight, rating_weights=self.rating_weights)


def _config_row(session: Session, *, lock: str | None) -> RollupMeta | None:
    query = select(RollupMeta).where(RollupMeta.name == CONFIG_KEY)  # type: ignore[arg-type]
    if lock == "share":
        query = query.with_for_update(read=True)
    elif lock == "update":
        query = query.with_for_update()
    return session.execute(query).scalars().first()


def load_config(session: Session, *, lock: str | None = "share") -> RollupConfig:
    """The configuration the stored rollups use (defaults until :func:`ensure_config` ran).

    The shared lock makes writers wait while a rebuild under a new configuration is running."""
    row = _config_row(session, lock=lock)
    return RollupConfig.from_json(row.value) if row is not None and row.value else RollupConfig()


def ensure_config(session: Session, config: RollupConfig) -> bool:
    """Make the rollups match ``config``; rebuild them (once, O(history)) when it changed.

    Returns True when a rebuild happened. Two processes starting together serialise on the
    meta row: the second finds the configuration already current."""
    row = _config_row(session, lock="update")
    if row is not None and row.value and RollupConfig.from_json(row.value) == config:
        return False
    if row is None:
        row = RollupMeta(name=CONFIG_KEY, value=config.as_json())
        session.add(row)
    else:
        row.value, row.updated_at = config.as_json(), utcnow()
    session.flush()
    rebuild(session, config)
    return True


# --- reading messages as the Trust Index sees them ------------------------------------------



def _utc(value: datetime) -> datetime:
    # Compare in UTC: SQLite stores the wall time it is given and compares text.
    return value.astimezone(UTC)


def _channel(value: str | None) -> str:
    return CHANNEL_DEEP_LINK if value in ("deeplink", "deep_link") else CHANNEL_DIRECT


def _sentiment(status: str, score: float | None) -> float | None:
    if status != "scored" or score is None or not math.isfinite(score):
        return None
    return min(1.0, max(-1.0, float(score)))


def _counted() -> Any:
    """Scored or failed. Written as "not pending" on purpose: SQLite would otherwise pick the
    score-status index (nearly every row) over the resident or time index."""
    return _MSG.c.score_status != "pending"


@dataclass
class _Loaded:
    messages: list[TrustMessage]
    unit_ids: dict[str, int]  # unit code -> unit.id, for writing rollup rows


def load_messages(
    session: Session,
    *,
    resident_ids: Sequence[int] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    with_rating_only: bool = True,
) -> _Loaded:
    """Stored feedback as :class:`trust.model.FeedbackMessage` objects.

    ``resident_key`` is the resident id as text; ``unit_id`` the unit *code* (what the org
    chart and digests use). Only counted messages (scored or failed) are returned."""
    conds = [_counted()]
    if resident_ids is not None:
        conds.append(_MSG.c.resident_id.in_(list(resident_ids)))
    if start is not None:
        conds.append(_MSG.c.received_at >= _utc(start))
    if end is not None:
        conds.append(_MSG.c.received_at < _utc(end))
    where = and_(*conds)
    rows = session.execute(
        select(
            _MSG.c.id, _MSG.c.resident_id, _MSG.c.submission_id, _MSG.c.received_at, _MSG.c.score,
            _MSG.c.score_status, _MSG.c.unit_id, _UNIT.c.code, _MSG.c.language, _MSG.c.redacted_text,
            _MSG.c.topics, _SUB.c.channel,
        )
        .select_from(_MSG.join(_SUB, _SUB.c.id == _MSG.c.submission_id).outerjoin(_UNIT, _UNIT.c.id == _MSG.c.unit_id))
        .where(where)
        .order_by(_MSG.c.id)
    ).all()
    ratings: dict[int, dict[str, float]] = defaultdict(dict)
    if rows:
        subs = select(_MSG.c.submission_id).where(where)
        for sub_id, item, value in session.execute(
            select(_RATING.c.submission_id, _RATING.c.item, _RATING.c.value).where(_RATING.c.submission_id.in_(subs))
        ):
            ratings[sub_id][item] = float(value)
    unit_ids: dict[str, int] = {}
    out: list[TrustMessage] = []
    for r in rows:
        if r.code is not None:
            unit_ids[r.code] = r.unit_id
        out.append(
            TrustMessage(
                resident_key=str(r.resident_id),
                sent_at=as_utc(r.received_at),
                sentiment=_sentiment(r.score_status, r.score),
                ratings=ratings.get(r.submission_id, {}),
                unit_id=r.code,
                topics=tuple(r.topics or ()),
                channel=_channel(r.channel),
                language=r.language or "und",
                redacted_text=r.redacted_text or None,
                message_id=str(r.id),
            )
        )
    if with_rating_only:
        out.extend(_rating_only(session, resident_ids, start, end, unit_ids))
    return _Loaded(out, unit_ids)


def _rating_only(
    session: Session,
    resident_ids: Sequence[int] | None,
    start: datetime | None,
    end: datetime | None,
    unit_ids: dict[str, int],
) -> list[TrustMessage]:
    """Submissions with ratings and no message at all: one rating-only message each."""
    no_message = ~exists().where(_MSG.c.submission_id == _SUB.c.id)
    conds = [no_message]
    if resident_ids is not None:
        conds.append(_SUB.c.resident_id.in_(list(resident_ids)))
    rows = session.execute(
        select(
            _SUB.c.id, _SUB.c.resident_id, _SUB.c.unit_id, _UNIT.c.code, _SUB.c.channel, _SUB.c.language,
            _RATING.c.item, _RATING.c.value, _RATING.c.created_at,
        )
        .select_from(_SUB.join(_RATING, _RATING.c.submission_id == _SUB.c.id).outerjoin(_UNIT, _UNIT.c.id == _SUB.c.unit_id))
        .where(and_(*conds))
        .order_by(_SUB.c.id)
    ).all()
    by_sub: dict[int, list[Any]] = defaultdict(list)
    for r in rows:
        by_sub[r.id].append(r)
    out = []
    for sub_id, items in by_sub.items():
        first = items[0]
        when = min(as_utc(r.created_at) for r in items)
        if (start is not None and when < start) or (end is not None and when >= end):
            continue
        if first.code is not None:
            unit_ids[first.code] = first.unit_id
        out.append(
            TrustMessage(
                resident_key=str(first.resident_id),
                sent_at=when,
                sentiment=None,
                ratings={r.item: float(r.value) for r in items},
                unit_id=first.code,
                channel=_channel(first.channel),
                language=first.language or "und",
                # distinct submissions are distinct events even with identical ratings
                content_key=f"ratings-only:{sub_id}",
                message_id=f"s{sub_id}",
            )
        )
    return out


# --- incremental maintenance ----------------------------------------------------------------


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _touch_periods(session: Session, periods: Iterable[str], *, bump: bool) -> None:
    """Write each week's ``trust_period`` row (creating it), in order: the rollup/cache lock."""
    wanted = sorted(set(periods))
    if not wanted:
        return
    if _dialect(session) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    table = TrustPeriod.__table__  # type: ignore[attr-defined]
    session.execute(
        dialect_insert(table).values([{"period": p, "version": 0, "updated_at": utcnow()} for p in wanted])
        .on_conflict_do_nothing(index_elements=["period"])
    )
    for p in wanted:
        values: dict[str, Any] = {"version": table.c.version + 1, "updated_at": utcnow()} if bump else {"period": table.c.period}
        session.execute(update(table).where(table.c.period == p).values(**values))


def _lock_period(session: Session, period: str) -> bool:
    """Take the week's rollup lock for a cache fill; False when the week has no rollups at all."""
    table = TrustPeriod.__table__  # type: ignore[attr-defined]
    result = session.execute(update(table).where(table.c.period == period).values(period=table.c.period))
    return bool(result.rowcount)


def _lock_residents(session: Session, resident_ids: Iterable[int]) -> None:
    ids = sorted(set(resident_ids))
    if ids and _dialect(session) == "postgresql":
        # Serialise recomputes of one resident (scorer and rating hook at once); sorted: no deadlock.
        session.execute(select(Resident.id).where(Resident.id.in_(ids)).order_by(Resident.id).with_for_update())  # type: ignore[union-attr,attr-defined]


def _voice_rows(loaded: _Loaded, config: RollupConfig, voter: int, period: str | None) -> list[dict[str, Any]]:
    voices = voices_from_messages(loaded.messages, tz=config.timezone, settings=config.trust, period=period)
    return [
        {
            "period": v.period,
            "voter": voter,
            "unit_id": loaded.unit_ids.get(v.unit_id) if v.unit_id is not None else None,
            "channel": v.channel,
            "language": v.language[:8],
            "topic": (v.topic or "")[:64],
            "value_sum": float(v.value_sum),
            "n_messages": int(v.n_messages),
        }
        for v in voices
    ]


def refresh(session: Session, keys: Iterable[tuple[int, str]], config: RollupConfig | None = None) -> int:
    """Recompute the rollup rows of the given (resident id, ISO week) pairs; returns rows written."""
    keys = sorted(set(keys))
    if not keys:
        return 0
    config = config or load_config(session)
    _lock_residents(session, (rid for rid, _ in keys))
    periods = {p for _, p in keys}
    _touch_periods(session, periods, bump=True)
    by_period: dict[str, list[int]] = defaultdict(list)
    for resident_id, period in keys:
        by_period[period].append(resident_id)
    written = 0
    for period, resident_ids in sorted(by_period.items()):
        # One read, one delete, one insert per week, however many residents the batch touches.
        start, end = period_bounds(period, config.timezone)
        loaded = load_messages(session, resident_ids=resident_ids, start=start, end=end)
        per_resident: dict[str, list[TrustMessage]] = defaultdict(list)
        for msg in loaded.messages:
            per_resident[msg.resident_key].append(msg)
        rows = []
        for key, msgs in per_resident.items():
            rows.extend(_voice_rows(_Loaded(msgs, loaded.unit_ids), config, int(key), period))
        session.execute(delete(_VOICE).where(_VOICE.c.voter.in_(resident_ids), _VOICE.c.period == period))
        if rows:
            session.execute(insert(_VOICE), rows)
        written += len(rows)
    session.execute(delete(_STATS).where(_STATS.c.period.in_(sorted(periods))))
    return written


def apply_scored(session: Session, message_ids: Iterable[int]) -> int:
    """Bring the rollups up to date after these messages' scores were committed (or their
    scoring failed for good). Idempotent; call it in the transaction that writes the scores."""
    ids = sorted(set(message_ids))
    if not ids:
        return 0
    config = load_config(session)
    rows = session.execute(select(_MSG.c.resident_id, _MSG.c.received_at).where(_MSG.c.id.in_(ids))).all()
    return refresh(session, {(r.resident_id, period_of(as_utc(r.received_at), config.timezone)) for r in rows}, config)


def apply_ratings(session: Session, submission_id: int) -> int:
    """Bring the rollups up to date after a submission's ratings changed (idempotent)."""
    config = load_config(session)
    sub = session.get(Submission, submission_id)
    if sub is None:
        return 0
    times = [r[0] for r in session.execute(select(_MSG.c.received_at).where(_MSG.c.submission_id == submission_id))]
    if not times:
        times = [r[0] for r in session.execute(select(func.min(_RATING.c.created_at)).where(_RATING.c.submission_id == submission_id))]
        times = [t if isinstance(t, datetime) else datetime.fromisoformat(str(t)) for t in times if t is not None]
    return refresh(session, {(sub.resident_id, period_of(as_utc(t), config.timezone)) for t in times}, config)


def published_periods(session: Session, periods: Iterable[str] | None = None) -> set[str]:
    """Weeks whose weekly digest was claimed or sent to at least one chat."""
    query = select(DigestRun.period).where(DigestRun.kind == "weekly", DigestRun.status.in_(("claimed", "sent")))  # type: ignore[attr-defined]
    if periods is not None:
        query = query.where(DigestRun.period.in_(sorted(set(periods))))  # type: ignore[attr-defined]
    return set(session.execute(query.distinct()).scalars())


def forget_resident(session: Session, resident_id: int) -> int:
    """/forget: delete the resident's rollup rows in weeks not yet published; in published weeks
    detach them (a random negative voter no one can trace), so sent digests stay reproducible.
    Returns the number of rows deleted."""
    periods = set(session.execute(select(_VOICE.c.period).where(_VOICE.c.voter == resident_id).distinct()).scalars())
    if not periods:
        return 0
    published = published_periods(session, periods)
    unpublished = sorted(periods - published)
    _touch_periods(session, periods, bump=True)
    deleted = 0
    if unpublished:
        result = session.execute(delete(_VOICE).where(_VOICE.c.voter == resident_id, _VOICE.c.period.in_(unpublished)))
        deleted = int(result.rowcount or 0)
        session.execute(delete(_STATS).where(_STATS.c.period.in_(unpublished)))
    if published:
        anonymous = -(secrets.randbits(62) + 1)
        session.execute(update(_VOICE).where(_VOICE.c.voter == resident_id).values(voter=anonymous))
    return deleted


def rebuild(session: Session, config: RollupConfig | None = None) -> int:
    """Recompute every rollup row from the stored feedback (O(history); after a config change,
    an upgrade, or by hand with ``trustline digest rebuild``), one week at a time: memory stays
    at one week of messages and each week's rows land together, as incremental writes leave
    them. Detached rows of forgotten residents in published weeks cannot be recomputed and are
    kept. Returns rows written."""
    config = config or load_config(session, lock="update")
    session.execute(delete(_VOICE).where(_VOICE.c.voter > 0))
    session.execute(delete(_STATS))
    first, last = session.execute(select(func.min(_MSG.c.received_at), func.max(_MSG.c.received_at))).one()
    rating_only: dict[str, list[TrustMessage]] = defaultdict(list)
    unit_ids: dict[str, int] = {}
    for msg in _rating_only(session, None, None, None, unit_ids):
        rating_only[period_of(msg.sent_at, config.timezone)].append(msg)
    periods = set(rating_only)
    if first is not None:
        periods.update(period_range(period_of(as_utc(first), config.timezone), period_of(as_utc(last), config.timezone)))
    written = 0
    for period in sorted(periods):
        start, end = period_bounds(period, config.timezone)
        loaded = load_messages(session, start=start, end=end, with_rating_only=False)
        loaded.messages.extend(rating_only.get(period, []))
        loaded.unit_ids.update(unit_ids)
        per_resident: dict[str, list[TrustMessage]] = defaultdict(list)
        for msg in loaded.messages:
            per_resident[msg.resident_key].append(msg)
        rows: list[dict[str, Any]] = []
        for key, msgs in sorted(per_resident.items(), key=lambda kv: int(kv[0])):
            rows.extend(_voice_rows(_Loaded(msgs, loaded.unit_ids), config, int(key), period))
        if rows:
            session.execute(insert(_VOICE), rows)
        written += len(rows)
    _touch_periods(session, periods, bump=True)
    return written


# --- from rollups to the Trust Index's inputs -----------------------------------------------

#: One week's :class:`trust.model.GroupStats` rows (columns of ``PeriodStats.from_rows``).
#: Cost: that week's ``trust_voice`` rows (index on period). Runs on PostgreSQL and SQLite.
GROUP_STATS_SQL = """
WITH r AS (
    SELECT t.voter, t.channel, t.language, t.topic, t.value_sum, t.n_messages,
           u.code AS unit, u.district AS district
    FROM trust_voice AS t LEFT JOIN unit AS u ON u.id = t.unit_id
    WHERE t.period = :period
),
voices AS (
    SELECT 'agency' AS dimension, 'all' AS group_key, '' AS topic, voter,
           SUM(value_sum) AS s, SUM(n_messages) AS c
      FROM r WHERE topic = '' GROUP BY voter
    UNION ALL
    SELECT 'district', district, '', voter, SUM(value_sum), SUM(n_messages)
      FROM r WHERE topic = '' AND district IS NOT NULL GROUP BY district, voter
    UNION ALL
    SELECT 'unit', unit, '', voter, SUM(value_sum), SUM(n_messages)
      FROM r WHERE topic = '' AND unit IS NOT NULL GROUP BY unit, voter
    UNION ALL
    SELECT 'channel', channel, '', voter, SUM(value_sum), SUM(n_messages)
      FROM r WHERE topic = '' GROUP BY channel, voter
    UNION ALL
    SELECT 'language', language, '', voter, SUM(value_sum), SUM(n_messages)
      FROM r WHERE topic = '' GROUP BY language, voter
    UNION ALL
    SELECT 'agency', 'all', topic, voter, SUM(value_sum), SUM(n_messages)
      FROM r WHERE topic <> '' GROUP BY topic, voter
    UNION ALL
    SELECT 'district', district, topic, voter, SUM(value_sum), SUM(n_messages)
      FROM r WHERE topic <> '' AND district IS NOT NULL GROUP BY district, topic, voter
    UNION ALL
    SELECT 'unit', unit, topic, voter, SUM(value_sum), SUM(n_messages)
      FROM r WHERE topic <> '' AND unit IS NOT NULL GROUP BY unit, topic, voter
),
v AS (
    SELECT dimension, group_key, topic, c,
           CASE WHEN s / c > 1.0 THEN 1.0 WHEN s / c < -1.0 THEN -1.0
                ELSE CAST(s AS DOUBLE PRECISION) / c END AS v
    FROM voices
)
SELECT dimension, group_key, topic,
       COUNT(*)                               AS n_residents,
       SUM(v)                                 AS value_sum,
       SUM(v * v)                             AS value_sum_sq,
       SUM(CASE WHEN v < 0 THEN 1 ELSE 0 END) AS n_negative,
       SUM(c)                                 AS n_messages
FROM v
GROUP BY dimension, group_key, topic
"""


def org_chart(session: Session, agency_name: str = "") -> OrgChart:
    """Units (active or not: history refers to them; removed ones say so) and districts, keyed by
    unit code."""
    units = session.execute(select(Unit.code, Unit.name, Unit.district, Unit.active)).all()  # type: ignore[call-overload]
    return OrgChart.build(
        [TrustUnit(code, name, district, bool(active)) for code, name, district, active in units],
        {d: d for _, _, d, _ in units if d},
        agency_name=agency_name,
    )


def org_version(org: OrgChart) -> str:
    """Fingerprint of the unit -> district map that group statistics depend on."""
    pairs = sorted((u.unit_id, u.district_id or "") for u in org.units.values())
    return hashlib.sha256(json.dumps(pairs).encode()).hexdigest()[:16]


def compute_period_stats(session: Session, period: str) -> list[dict[str, Any]]:
    """Uncached: run :data:`GROUP_STATS_SQL` for one week."""
    return [dict(r._mapping) for r in session.execute(text(GROUP_STATS_SQL), {"period": format_period(period)})]


def period_stats(session: Session, period: str, org: OrgChart, *, use_cache: bool = True) -> PeriodStats:
    """One week's :class:`trust.model.PeriodStats`, from the cache or from the week's rollups."""
    period = format_period(period)
    version = org_version(org)
    if use_cache:
        cached = _cached(session, period, version)
        if cached is not None:
            return PeriodStats.from_rows(period, cached)
        load_config(session)  # wait for a running rebuild
        if not _lock_period(session, period):
            return PeriodStats(period, {})  # no rollup was ever written for this week
        cached = _cached(session, period, version)
        if cached is not None:
            return PeriodStats.from_rows(period, cached)
    rows = compute_period_stats(session, period)
    if use_cache and rows:
        now = utcnow()
        session.execute(
            insert(_STATS),
            [
                {
                    "period": period, "org_version": version, "dimension": r["dimension"], "key": r["group_key"],
                    "topic": r["topic"] or "", "n_residents": r["n_residents"], "value_sum": r["value_sum"],
                    "value_sum_sq": r["value_sum_sq"], "n_negative": r["n_negative"] or 0,
                    "n_messages": r["n_messages"] or 0, "computed_at": now,
                }
                for r in rows
            ],
        )
    return PeriodStats.from_rows(period, rows)


def _cached(session: Session, period: str, version: str) -> list[dict[str, Any]] | None:
    rows = session.execute(
        select(
            _STATS.c.dimension, _STATS.c.key.label("group_key"), _STATS.c.topic, _STATS.c.n_residents,
            _STATS.c.value_sum, _STATS.c.value_sum_sq, _STATS.c.n_negative, _STATS.c.n_messages,
        ).where(_STATS.c.period == period, _STATS.c.org_version == version)
    ).all()
    return [dict(r._mapping) for r in rows] or None


@dataclass(frozen=True)
class ReportInputs:
    """Everything :func:`trust.report.compute_report` needs for one week, except the quotes,
    which :func:`attach_quotes` fetches for the attention items only."""

    period: str
    current: PeriodStats
    history: dict[str, PeriodStats]
    org: OrgChart


def report_inputs(
    session: Session,
    period: str,
    *,
    trust: TrustSettings,
    agency_name: str = "",
    use_cache: bool = True,
) -> ReportInputs:
    """The week's stats and the trailing weeks' stats (baseline and chart)."""
    period = format_period(period)
    org = org_chart(session, agency_name)
    weeks = trailing_periods(period, max(trust.baseline_weeks, trust.chart_weeks - 1))
    table = TrustPeriod.__table__  # type: ignore[attr-defined]
    known = set(session.execute(select(table.c.period).where(table.c.period.in_(weeks))).scalars())
    # Oldest first, the digest week last: cache fills take week locks in the same (ascending)
    # order as rollup writes, so the two can never deadlock.
    history = {p: period_stats(session, p, org, use_cache=use_cache) for p in weeks if p in known}
    current = period_stats(session, period, org, use_cache=use_cache)
    return ReportInputs(period, current, {p: s for p, s in history.items() if s.groups}, org)


def _correlated(column: Any, key: Any, match: Any) -> Any:
    """A per-row lookup ``(SELECT column FROM table WHERE key = match)``. Written this way on
    purpose: joined, PostgreSQL hashes the whole submission and rating tables (O(history)) to
    serve one week of messages; correlated, each row is one index lookup."""
    return select(column).where(key == match).correlate(_MSG).scalar_subquery()


def quote_candidates(
    session: Session, period: str, *, config: RollupConfig | None = None, max_value: float = 0.0,
) -> list[QuoteCandidate]:
    """The week's quotable messages - redacted text, value at or below ``max_value`` - as
    :class:`trust.model.QuoteCandidate`, values computed in SQL by ``trust.message_value``'s
    formula. One query over the week's messages (time index, then index lookups per message);
    :func:`trust.report.select_quotes` then picks each attention item's quotes from this pool
    exactly as from every message of the week."""
    config = config or load_config(session, lock=None)
    start, end = period_bounds(period, config.timezone)
    weights = {k: float(w) for k, w in config.rating_weights.items() if w > 0}
    r = _RATING.alias("r")
    w_item = case(*[(r.c.item == item, w) for item, w in weights.items()], else_=0.0) if weights else literal(0.0)
    rating_num = _correlated(func.coalesce(func.sum(w_item * (r.c.value / 5.0 - 1.0)), 0.0), r.c.submission_id, _MSG.c.submission_id)
    rating_den = _correlated(func.coalesce(func.sum(w_item), 0.0), r.c.submission_id, _MSG.c.submission_id)
    scored = _MSG.c.score_status == "scored"
    tw = float(config.text_weight)
    inner = (
        select(
            _MSG.c.id, _MSG.c.resident_id, _MSG.c.redacted_text, _MSG.c.topics, _MSG.c.language,
            _correlated(_UNIT.c.code, _UNIT.c.id, _MSG.c.unit_id).label("code"),
            _correlated(_SUB.c.channel, _SUB.c.id, _MSG.c.submission_id).label("channel"),
            (case((scored, tw * _MSG.c.score), else_=0.0) + rating_num).label("num"),
            (case((scored, tw), else_=0.0) + rating_den).label("den"),
        )
        .where(
            _MSG.c.received_at >= _utc(start), _MSG.c.received_at < _utc(end),
            _counted(), _MSG.c.redacted_text != "",
        )
        .offset(0)  # a fence: PostgreSQL would otherwise run the lookups once per reference
        .subquery("m")
    )
    if _dialect(session) == "postgresql":
        # Per-row index lookups look expensive to the planner, which then JIT-compiles a 50 ms
        # query for 30 ms; the digest is not worth it.
        session.execute(text("SET LOCAL jit = off"))
    rows = session.execute(select(inner).where(inner.c.den > 0, inner.c.num / inner.c.den <= max_value)).all()
    return [
        QuoteCandidate(
            resident_key=str(row.resident_id), value=max(-1.0, min(1.0, float(row.num) / float(row.den))),
            redacted_text=row.redacted_text, unit_id=row.code, topics=tuple(row.topics or ()),
            channel=_channel(row.channel), language=row.language or "und", period=period,
        )
        for row in rows
    ]


def attach_quotes(session: Session, report: TrustReport, *, org: OrgChart, settings: TrustSettings) -> TrustReport:
    """Fill the attention items' quotes exactly as :func:`trust.report.compute_report` would
    with every message of the week as a candidate (one query for the whole digest)."""
    if not report.attention or settings.quotes_per_item == 0:
        return report
    pool = quote_candidates(session, report.period, max_value=settings.quote_max_value)
    items = []
    quoted: set[str] = set()  # a quote appears once per digest, as in compute_report
    for item in report.attention:
        fig = item.figure
        quotes: tuple[str, ...] = ()
        if fig.n_residents >= settings.min_residents:
            quotes = select_quotes(fig.key, pool, org=org, settings=settings, period=report.period, exclude=quoted)
        items.append(dataclasses.replace(item, quotes=quotes))
    return dataclasses.replace(report, attention=tuple(items))


def rollup_counts(session: Session) -> dict[str, int]:
    """Row counts, for `trustline digest status` and the benchmark."""
    return {
        "trust_voice": session.execute(select(func.count()).select_from(_VOICE)).scalar_one(),
        "trust_week_stats": session.execute(select(func.count()).select_from(_STATS)).scalar_one(),
    }


# --- export (anonymised: no original text, no pseudonym, no Telegram id, no officer) ---------


def export_records(session: Session, start: datetime, end: datetime, *, chunk: int = 5000) -> Iterable[list[dict[str, Any]]]:
    """Messages received in [start, end), in chunks, as plain rows: resident *id* (the caller
    replaces it with a per-export key), day, unit, district, channel, language, topics, flags,
    scoring, ratings and redacted text. Never ``text``, pseudonyms, contacts or officer ids."""
    last_id = 0
    while True:
        rows = session.execute(
            select(
                _MSG.c.id, _MSG.c.resident_id, _MSG.c.submission_id, _MSG.c.received_at, _UNIT.c.code, _UNIT.c.district,
                _SUB.c.channel, _MSG.c.language, _MSG.c.topics, _MSG.c.flags, _MSG.c.score_status, _MSG.c.score,
                _MSG.c.score_label, _MSG.c.scored_revision, _MSG.c.redacted_text,
            )
            .select_from(_MSG.join(_SUB, _SUB.c.id == _MSG.c.submission_id).outerjoin(_UNIT, _UNIT.c.id == _MSG.c.unit_id))
            .where(_MSG.c.received_at >= _utc(start), _MSG.c.received_at < _utc(end), _MSG.c.id > last_id)
            .order_by(_MSG.c.id)
            .limit(chunk)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        ratings: dict[int, dict[str, int]] = defaultdict(dict)
        for sub_id, item, value in session.execute(
            select(_RATING.c.submission_id, _RATING.c.item, _RATING.c.value).where(
                _RATING.c.submission_id.in_(sorted({r.submission_id for r in rows}))
            )
        ):
            ratings[sub_id][item] = int(value)
        yield [
            {
                "message_id": r.id,
                "resident_id": r.resident_id,
                "received_at": as_utc(r.received_at),
                "unit": r.code,
                "district": r.district,
                "channel": _channel(r.channel),
                "language": r.language,
                "topics": list(r.topics or ()),
                "flags": list(r.flags or ()),
                "score_status": r.score_status,
                "score": r.score if r.score_status == "scored" else None,
                "score_label": r.score_label if r.score_status == "scored" else None,
                "model_revision": r.scored_revision if r.score_status == "scored" else None,
                "ratings": ratings.get(r.submission_id, {}),
                "redacted_text": r.redacted_text,
            }
            for r in rows
        ]


def export_voices(session: Session, periods: Sequence[str]) -> list[dict[str, Any]]:
    """``trust_voice`` rows of these weeks with unit code and district (voter is an internal id or
    a detached negative number; the caller replaces it with a per-export key)."""
    if not periods:
        return []
    rows = session.execute(
        select(
            _VOICE.c.period, _VOICE.c.voter, _UNIT.c.code, _UNIT.c.district, _VOICE.c.channel, _VOICE.c.language,
            _VOICE.c.topic, _VOICE.c.value_sum, _VOICE.c.n_messages,
        )
        .select_from(_VOICE.outerjoin(_UNIT, _UNIT.c.id == _VOICE.c.unit_id))
        .where(_VOICE.c.period.in_(list(periods)))
        .order_by(_VOICE.c.period, _VOICE.c.id)
    ).all()
    return [dict(r._mapping) for r in rows]
