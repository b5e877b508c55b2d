"""Trust Index rollups and digest runs.

``trust_voice`` is the per-(ISO week, resident, unit, channel, language, topic) rollup that
:class:`trust.model.ResidentVoice` describes: the sum and count of one resident's distinct message
values. It is maintained incrementally (see :mod:`storage.rollups`), so a weekly digest reads only
that week's rows. ``trust_week_stats`` caches the per-group sufficient statistics of a week
(:class:`trust.model.GroupStats`), so the 12-week baseline and chart cost twelve small reads.

``digest_run`` is the exactly-once ledger: one row per (kind, period, staff chat), inserted - and
committed - *before* anything is sent; the unique constraint is what stops a second process or a
restart from posting the same digest twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import _ts, utcnow


class TrustVoice(SQLModel, table=True):
    """One resident's voice in one week, unit, channel, language and topic ('' = all messages).

    ``voter`` is the resident's id while the resident exists. When a resident uses /forget, their
    rows in weeks not yet published are deleted; in published weeks (whose digests went out and
    must stay reproducible) the rows are detached: ``voter`` becomes a random negative number that
    links to nobody. There is deliberately no foreign key to ``resident``.
    """

    __tablename__ = "trust_voice"
    __table_args__ = (
        Index("ix_trust_voice_period_voter", "period", "voter"),
        Index("ix_trust_voice_voter", "voter"),
    )

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=8)  # ISO week, "2026-W47"
    voter: int = Field(sa_type=BigInteger)
    unit_id: int | None = Field(default=None)
    channel: str = Field(max_length=16)  # direct | deep_link (trust.model's names)
    language: str = Field(max_length=8)
    topic: str = Field(default="", max_length=64)  # "" = every message, else one topic
    value_sum: float
    n_messages: int


class TrustWeekStats(SQLModel, table=True):
    """Cached :class:`trust.model.GroupStats` of one week and group.

    ``org_version`` fingerprints the unit -> district map the rows were computed with; a row is
    used only while it matches. Any change to a week's ``trust_voice`` rows deletes its cache.
    """

    __tablename__ = "trust_week_stats"
    __table_args__ = (Index("ix_trust_week_stats_period", "period", "org_version"),)

    id: int | None = Field(default=None, primary_key=True)
    period: str = Field(max_length=8)
    org_version: str = Field(max_length=16)
    dimension: str = Field(max_length=16)
    key: str = Field(max_length=100)
    topic: str = Field(default="", max_length=64)
    n_residents: int
    value_sum: float
    value_sum_sq: float
    n_negative: int
    n_messages: int
    computed_at: datetime = _ts(default_factory=utcnow)


class TrustPeriod(SQLModel, table=True):
    """One row per week that has rollups: the lock that orders rollup writes against cache fills.

    Every change to a week's ``trust_voice`` rows and every fill of its ``trust_week_stats`` cache
    first writes this row, so the two never interleave (a row lock on PostgreSQL, the database
    write lock on SQLite) and a cache is never filled from rows that are being replaced.
    """

    __tablename__ = "trust_period"

    period: str = Field(primary_key=True, max_length=8)
    version: int = 0  # bumped on every change to the week's rollups
    updated_at: datetime = _ts(default_factory=utcnow)


class RollupMeta(SQLModel, table=True):
    """Settings the rollups were built with (time zone, message-value weights), by name.

    Week boundaries and message values depend on them; when the configuration changes, the bot
    rebuilds the rollups once at start-up instead of mixing two definitions.
    """

    __tablename__ = "rollup_meta"

    name: str = Field(primary_key=True, max_length=64)
    value: Any = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = _ts(default_factory=utcnow)


class DigestRun(SQLModel, table=True):
    """One digest for one staff chat and period: claimed before sending, recorded after."""

    __tablename__ = "digest_run"
    __table_args__ = (
        UniqueConstraint("kind", "period", "staff_chat_id", name="uq_digest_run_once"),
        Index("ix_digest_run_status", "status", "claimed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # weekly | daily
    period: str = Field(max_length=16)  # "2026-W47" (weekly) or "2026-11-24" (daily)
    staff_chat_id: int  # StaffChat.id (no FK: a chat may be unregistered, its history stays)
    chat_id: int = Field(sa_type=BigInteger)  # the Telegram chat, for the audit trail
    status: str = Field(default="claimed", max_length=16)  # claimed | sent | failed
    owner: str = Field(default="", max_length=120)  # host:pid of the process that claimed it
    claimed_at: datetime = _ts(default_factory=utcnow)
    finished_at: datetime | None = _ts(default=None)
    message_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    error: str | None = Field(default=None, max_length=500)
    admins_told_at: datetime | None = _ts(default=None)
