"""The inbox: every Telegram update, recorded before Telegram is told it was received.

Polling confirms an update by asking for the next offset, and a webhook by answering 200; both
happen only after :func:`record` committed the batch. Handling then works from these rows and marks
each one handled when done, so a crash at any moment leaves either a row to handle again at the
next start (:func:`unhandled`) or an update Telegram still holds and sends again (``update_id`` is
unique, so a second copy is ignored).

Every function takes an open session and leaves committing to the caller (``Database``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, delete, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, col, select

from storage.models import utcnow
from storage.types import UTCDateTime

PENDING, HANDLED = "pending", "handled"


class InboxUpdate(SQLModel, table=True):
    __tablename__ = "inbox"

    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    payload: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    received_at: datetime = Field(sa_type=UTCDateTime, default_factory=utcnow)
    state: str = Field(default=PENDING, max_length=16, index=True)
    handled_at: datetime | None = Field(sa_type=UTCDateTime, default=None)


def record(session: Session, updates: Sequence[dict[str, Any]]) -> list[int]:
    """Insert a batch of raw updates; returns the ids still to handle: the new ones, and any
    redelivered one still pending (its first recorder may have died before handling it; the
    caller skips those it is handling itself). A redelivery of a handled update is ignored."""
    if not updates:
        return []
    now = utcnow()
    rows = [{"update_id": u["update_id"], "payload": u, "received_at": now, "state": PENDING} for u in updates]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = (
        insert(InboxUpdate)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(col(InboxUpdate.update_id))
    )
    new = {int(i) for i in session.execute(stmt).scalars().all()}
    seen = [u["update_id"] for u in updates if u["update_id"] not in new]
    if seen:
        pending = session.exec(
            select(InboxUpdate.update_id).where(col(InboxUpdate.update_id).in_(seen), InboxUpdate.state == PENDING)
        ).all()
        new.update(int(i) for i in pending)
    return sorted(new)


def mark_handled(session: Session, update_ids: Sequence[int]) -> None:
    if update_ids:
        session.execute(
            update(InboxUpdate)
            .where(col(InboxUpdate.update_id).in_(list(update_ids)))
            .values(state=HANDLED, handled_at=utcnow())
        )


def unhandled(
    session: Session, exclude: Sequence[int] = (), received_before: datetime | None = None
) -> list[dict[str, Any]]:
    """Raw updates recorded but not yet handled, oldest first (arrival order is update_id order);
    ``received_before``: only those recorded before then (orphans, not a batch being dispatched)."""
    query = select(InboxUpdate).where(InboxUpdate.state == PENDING).order_by(col(InboxUpdate.update_id))
    if exclude:
        query = query.where(col(InboxUpdate.update_id).not_in(list(exclude)))
    if received_before is not None:
        query = query.where(col(InboxUpdate.received_at) < received_before)
    return [row.payload for row in session.exec(query).all()]


def prune(session: Session, older_than: timedelta = timedelta(days=1)) -> int:
    """Forget handled updates after a day: Telegram never redelivers anything older than 24 h."""
    cutoff = utcnow() - older_than
    result = session.execute(
        delete(InboxUpdate).where(InboxUpdate.state == HANDLED, col(InboxUpdate.handled_at) < cutoff)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def counts(session: Session) -> dict[str, int]:
    """Rows per state, for tests and health checks."""
    rows = session.exec(select(InboxUpdate.state, func.count()).group_by(InboxUpdate.state)).all()
    return {state: int(n) for state, n in rows}
