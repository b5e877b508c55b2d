"""Cheap, database-wide figures for the operators' gauges (``trustline_cases_*``, scoring lag).

Read by a periodic job (``bot/ops.py``), never by a scrape, so ``/metrics`` stays fast even when
the database is slow. Each function is one or two aggregate queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_
from sqlmodel import Session, col, select

from storage.models import FeedbackMessage, Staff, Unit
from storage.models_cases import CASE_OPEN, CASE_RESOLVED, FollowupCase
from storage.scoring import PENDING
from storage.types import as_utc


@dataclass(frozen=True)
class CaseCounts:
    open: int  # not resolved (open or acknowledged)
    overdue: int  # still unacknowledged escalate_after after being opened
    unowned: int  # not resolved and nobody reachable holds it


def case_counts(session: Session, now: datetime, escalate_after: timedelta) -> CaseCounts:
    unresolved = col(FollowupCase.status) != CASE_RESOLVED
    open_ = session.exec(select(func.count()).select_from(FollowupCase).where(unresolved)).one()
    overdue = session.exec(
        select(func.count()).select_from(FollowupCase).where(
            col(FollowupCase.status) == CASE_OPEN, col(FollowupCase.opened_at) <= now - escalate_after
        )
    ).one()
    # An assignee who was revoked, deactivated or never enrolled cannot act on the case either.
    reachable = and_(
        col(Staff.active) == True,  # noqa: E712
        col(Staff.revoked_at).is_(None),
        col(Staff.chat_id).is_not(None),
    )
    unowned = session.exec(
        select(func.count())
        .select_from(FollowupCase)
        .outerjoin(Staff, col(Staff.id) == col(FollowupCase.assignee_id))
        .where(unresolved, or_(col(FollowupCase.assignee_id).is_(None), ~reachable))
    ).one()
    return CaseCounts(int(open_), int(overdue), int(unowned))


def oldest_pending_at(session: Session) -> datetime | None:
    """When the oldest message still waiting for its first score arrived (None when none wait)."""
    oldest = session.exec(
        select(func.min(FeedbackMessage.received_at)).where(col(FeedbackMessage.score_status) == PENDING)
    ).one()
    return as_utc(oldest) if oldest is not None else None


def active_unit_count(session: Session) -> int:
    return int(session.exec(select(func.count()).select_from(Unit).where(col(Unit.active) == True)).one())  # noqa: E712


def ping(session: Session) -> bool:
    """``SELECT 1``: the database answers (the readiness check)."""
    return bool(session.exec(select(1)).one() == 1)
