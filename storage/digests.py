"""The digest ledger: claim a (kind, period, staff chat) before sending, record the result after.

Exactly-once policy (docs/performance.md and docs/trust-index.md refer here):

* :func:`claim` inserts a ``digest_run`` row in its *own* committed transaction before the first
  message goes out. The unique constraint on (kind, period, staff chat) means a second process,
  a second scheduler tick or a restart gets ``None`` and sends nothing.
* :func:`record_message` stores each Telegram message id as soon as it is sent, and
  :func:`finish` marks the run ``sent`` or ``failed``.
* A crash mid-send leaves a ``claimed`` row. It is never resent blindly (some messages may
  already be in the chat): :func:`expire_stale_claims` marks claims older than
  ``digest.claim_timeout_minutes`` ``failed`` and returns them so the bot tells the admins.
  An admin who checked the chat can run ``trustline digest release`` to allow one resend.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import Staff, StaffChat, utcnow
from storage.models_rollups import DigestRun
from storage.types import as_utc

INTERRUPTED = "interrupted while sending; not resent automatically to avoid a duplicate"


def process_owner() -> str:
    """Who claimed a run: host and pid, for the audit trail and admins' reports."""
    return f"{socket.gethostname()}:{os.getpid()}"[:120]


@dataclass(frozen=True)
class ChatTarget:
    """A registered staff chat as the digest sender needs it."""

    staff_chat_id: int
    chat_id: int
    title: str
    scope_kind: str  # agency | district | unit
    scope_value: str | None
    language: str


@dataclass(frozen=True)
class RunInfo:
    id: int
    kind: str
    period: str
    staff_chat_id: int
    chat_id: int
    status: str
    owner: str
    claimed_at: datetime
    finished_at: datetime | None
    message_ids: list[int]
    error: str | None


def _info(run: DigestRun) -> RunInfo:
    return RunInfo(
        run.id, run.kind, run.period, run.staff_chat_id, run.chat_id, run.status, run.owner,  # type: ignore[arg-type]
        as_utc(run.claimed_at), as_utc(run.finished_at) if run.finished_at else None, list(run.message_ids or []), run.error,  # type: ignore[arg-type]
    )


def active_chats(session: Session) -> list[ChatTarget]:
    rows = session.execute(
        select(StaffChat).where(StaffChat.active.is_(True)).order_by(StaffChat.id)  # type: ignore[arg-type]
    ).scalars()
    return [ChatTarget(c.id, c.chat_id, c.title, c.scope_kind, c.scope_value, c.language) for c in rows]  # type: ignore[arg-type]


def staff_chat(session: Session, chat_id: int) -> ChatTarget | None:
    """The active registered staff chat with this Telegram chat id, if any."""
    c = session.execute(
        select(StaffChat).where(StaffChat.chat_id == chat_id, StaffChat.active.is_(True))  # type: ignore[arg-type]
    ).scalars().first()
    if c is None:
        return None
    return ChatTarget(c.id, c.chat_id, c.title, c.scope_kind, c.scope_value, c.language)  # type: ignore[arg-type]


def existing_runs(session: Session, kind: str, periods: list[str]) -> set[tuple[str, int]]:
    """(period, staff chat id) pairs that already have a run of any status."""
    if not periods:
        return set()
    rows = session.execute(
        select(DigestRun.period, DigestRun.staff_chat_id).where(DigestRun.kind == kind, DigestRun.period.in_(periods))  # type: ignore[attr-defined,arg-type]
    ).all()
    return {(p, c) for p, c in rows}


def pending(session: Session, kind: str, periods: list[str]) -> list[tuple[str, ChatTarget]]:
    """(period, chat) pairs of active chats that have no run of ``kind`` for the period yet."""
    chats = active_chats(session)
    done = existing_runs(session, kind, periods)
    return [(p, c) for p in periods for c in chats if (p, c.staff_chat_id) not in done]


def claim(session: Session, kind: str, period: str, target: ChatTarget, owner: str, now: datetime | None = None) -> int | None:
    """Claim one digest; None when someone (this or another process) already has. Call it in its
    own transaction (``Database.run``) so the claim is committed before anything is sent."""
    run = DigestRun(
        kind=kind, period=period, staff_chat_id=target.staff_chat_id, chat_id=target.chat_id,
        owner=owner, claimed_at=now or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(run)
    except IntegrityError:
        return None
    return run.id


def record_message(session: Session, run_id: int, message_id: int) -> None:
    run = session.get(DigestRun, run_id)
    if run is not None:
        run.message_ids = [*(run.message_ids or []), int(message_id)]


def finish(session: Session, run_id: int, *, error: str | None = None, now: datetime | None = None) -> None:
    run = session.get(DigestRun, run_id)
    if run is not None:
        run.status = "failed" if error else "sent"
        run.error = error[:500] if error else None
        run.finished_at = now or utcnow()


def mark_chat_unreachable(session: Session, staff_chat_id: int, error: str) -> None:
    """The bot was removed from the chat (403) or it is gone (400): stop sending there."""
    chat = session.get(StaffChat, staff_chat_id)
    if chat is not None:
        chat.active = False
        chat.last_error = error[:500]


def follow_migration(session: Session, run_id: int, staff_chat_id: int, new_chat_id: int) -> None:
    """The group became a supergroup before anything was sent: point the chat at its new id and
    drop the claim, so the next check posts the digest there (once)."""
    chat = session.get(StaffChat, staff_chat_id)
    taken = session.execute(select(StaffChat.id).where(StaffChat.chat_id == new_chat_id)).first()  # type: ignore[arg-type]
    if chat is not None and taken is None:
        chat.chat_id = new_chat_id
    run = session.get(DigestRun, run_id)
    if run is not None:
        session.delete(run)


def expire_stale_claims(session: Session, older_than: timedelta, now: datetime | None = None) -> list[RunInfo]:
    """Mark claims left unfinished longer than ``older_than`` failed (a crash mid-send) and
    return them, with any earlier failure admins were not told about yet, for reporting."""
    now = now or utcnow()
    cutoff = now - older_than
    out = []
    stale = session.execute(select(DigestRun).where(DigestRun.status == "claimed")).scalars().all()  # type: ignore[arg-type]
    for run in stale:
        if as_utc(run.claimed_at) <= cutoff:  # type: ignore[operator]
            run.status, run.error, run.finished_at = "failed", INTERRUPTED, now
    session.flush()
    untold = session.execute(
        select(DigestRun).where(DigestRun.status == "failed", DigestRun.admins_told_at.is_(None))  # type: ignore[arg-type]
    ).scalars().all()
    for run in untold:
        out.append(_info(run))
    return out


def mark_admins_told(session: Session, run_ids: list[int], now: datetime | None = None) -> None:
    for run_id in run_ids:
        run = session.get(DigestRun, run_id)
        if run is not None:
            run.admins_told_at = now or utcnow()


def list_runs(session: Session, *, kind: str | None = None, period: str | None = None, limit: int = 50) -> list[RunInfo]:
    query = select(DigestRun).order_by(DigestRun.id.desc()).limit(limit)  # type: ignore[union-attr]
    if kind:
        query = query.where(DigestRun.kind == kind)  # type: ignore[arg-type]
    if period:
        query = query.where(DigestRun.period == period)  # type: ignore[arg-type]
    return [_info(r) for r in session.execute(query).scalars()]


def release(session: Session, kind: str, period: str, chat_id: int) -> bool:
    """Admin override after checking the chat: forget a *failed* run so it is posted once more."""
    run = session.execute(
        select(DigestRun).where(DigestRun.kind == kind, DigestRun.period == period, DigestRun.chat_id == chat_id)  # type: ignore[arg-type]
    ).scalars().first()
    if run is None or run.status != "failed":
        return False
    session.delete(run)
    return True


def chat_title(session: Session, staff_chat_id: int) -> str:
    """A staff chat's title for admins' reports (``"?"`` once the row is gone)."""
    chat = session.get(StaffChat, staff_chat_id)
    return chat.title if chat is not None else "?"


def admin_chat_ids(session: Session, bootstrap_admin_ids: list[int]) -> list[int]:
    """Where digest problems are reported: the bootstrap admins plus every active enrolled admin."""
    rows = session.execute(
        select(Staff.chat_id).where(Staff.role == "admin", Staff.active.is_(True), Staff.chat_id.is_not(None))  # type: ignore[arg-type]
    ).scalars()
    return sorted({*bootstrap_admin_ids, *(int(c) for c in rows if c is not None)})
