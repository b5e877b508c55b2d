"""Safety nets for the bot's scan jobs: submissions a missed hook left without a case, and
cases nobody could be assigned to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storage.models import Submission, Unit, utcnow
from storage.models_cases import CASE_RESOLVED, FollowupCase
from storage.staff import chats_for_unit


def recent_submissions_without_case(session: Session, since: datetime, limit: int = 500) -> list[int]:
    """Submitted, linked submissions with no case yet: re-evaluated periodically, so a missed hook
    (a crash between submit and evaluation, a message that failed scoring) never loses a case."""
    rows = session.exec(
        select(Submission.id)
        .outerjoin(FollowupCase, FollowupCase.submission_id == Submission.id)  # type: ignore[arg-type]
        .where(
            Submission.status == "submitted",
            Submission.submitted_at >= since,  # type: ignore[operator]
            (Submission.unit_id.is_not(None)) | (Submission.officer_id.is_not(None)),  # type: ignore[union-attr]
            FollowupCase.id.is_(None),  # type: ignore[union-attr]
        )
        .order_by(Submission.id)  # type: ignore[arg-type]
        .limit(limit)
    ).all()
    return list(rows)


@dataclass(frozen=True)
class UnassignedNotice:
    case_id: int
    reference: str
    unit: str
    chat_ids: list[int]


def claim_unassigned(session: Session) -> list[UnassignedNotice]:
    """Open cases nobody could be assigned to, claimed once: registered staff chats are told (the
    unit's own chat only when the case is not sensitive, since the officer concerned may be in it)."""
    notices = []
    now = utcnow()
    cases = session.exec(
        select(FollowupCase).where(
            FollowupCase.assignee_id.is_(None), FollowupCase.notified_at.is_(None), FollowupCase.status != CASE_RESOLVED  # type: ignore[union-attr]
        )
    ).all()
    for case in cases:
        case.notified_at = now
        unit = session.get(Unit, case.unit_id) if case.unit_id else None
        chats = chats_for_unit(session, case.unit_id, include_unit_chats=not case.sensitive)
        notices.append(UnassignedNotice(case.id, case.reference, unit.name if unit else "-", [c.chat_id for c in chats]))  # type: ignore[arg-type]
    session.flush()
    return notices
