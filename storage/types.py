"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


def as_utc(value: datetime) -> datetime:
    """``value`` as an aware datetime; naive values are UTC (what SQLite and raw SQL hand back)."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def local_time(value: datetime, tz: tzinfo) -> str:
    """A timestamp as people read it: minutes, in the agency's time zone."""
    return as_utc(value).astimezone(tz).strftime("%Y-%m-%d %H:%M")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend.

    PostgreSQL stores ``timestamptz``; SQLite has no time zones, so values are stored as naive
    UTC there and handed back aware. Without this, SQLite comparisons between aware parameters
    and naive stored strings silently go wrong.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        aware = as_utc(value).astimezone(UTC)
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return as_utc(value)
