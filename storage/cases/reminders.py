"""Reminders and escalations for cases nobody acknowledged in time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from storage.cases.actions import escalate
from storage.cases.base import Actor, CaseActionError, _audit, note_system
from storage.cases.resident import resident_contact
from storage.models import Staff, Submission, utcnow
from storage.models_cases import CASE_ACKNOWLEDGED, CASE_OPEN, CASE_RESOLVED, FollowupCase
from storage.types import as_utc


@dataclass(frozen=True)
class DueAction:
    case_id: int
    action: str  # remind | escalate | no_reply


def due_actions(session: Session, now: datetime, remind_after: timedelta, escalate_after: timedelta) -> list[DueAction]:
    """Unacknowledged cases past their reminder or escalation time (counted per assignment), and
    acknowledged ones whose resident asked to hear back and still has no reply after
    ``escalate_after``: acknowledging is not answering."""
    due = []
    waiting = session.exec(
        select(FollowupCase)
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(
            FollowupCase.status == CASE_ACKNOWLEDGED, FollowupCase.assignee_id.is_not(None),  # type: ignore[union-attr]
            FollowupCase.responded_at.is_(None), Submission.contact_requested == True,  # type: ignore[union-attr]  # noqa: E712
        )
    ).all()
    for case in waiting:
        if now - as_utc(case.assigned_at) >= escalate_after and resident_contact(session, case.id) is not None:  # type: ignore[arg-type]
            due.append(DueAction(case.id, "no_reply"))  # type: ignore[arg-type]
    cases = session.exec(
        select(FollowupCase).where(FollowupCase.status == CASE_OPEN, FollowupCase.assignee_id.is_not(None))  # type: ignore[union-attr]
    ).all()
    for case in cases:
        age = now - as_utc(case.assigned_at)
        if age >= escalate_after:
            due.append(DueAction(case.id, "escalate"))  # type: ignore[arg-type]
        elif age >= remind_after and case.reminded_at is None:
            due.append(DueAction(case.id, "remind"))  # type: ignore[arg-type]
    return due


def claim_reminder(session: Session, case_id: int) -> bool:
    result = session.exec(  # type: ignore[call-overload]
        update(FollowupCase)
        .where(FollowupCase.id == case_id, FollowupCase.reminded_at.is_(None), FollowupCase.status == CASE_OPEN)  # type: ignore[union-attr]
        .values(reminded_at=utcnow())
    )
    if result.rowcount:
        _audit(session, Actor.system(), "reminded", case_id)
    return bool(result.rowcount)


def auto_escalate(session: Session, case_id: int, reason: str, why: str | None = None) -> Staff | None:
    """Escalate an ignored (or undeliverable) case; when nobody is above, restart the clock so the
    same case is not retried every minute, and say so on the case."""
    case = session.get(FollowupCase, case_id)
    if case is None or case.status == CASE_RESOLVED:
        return None
    try:
        return escalate(session, case_id, Actor.system(), reason=reason, why=why)
    except CaseActionError:
        case.assigned_at, case.reminded_at = utcnow(), utcnow()
        note_system(session, case_id, f"could not escalate ({reason}): nobody enrolled above the assignee", action="escalation_failed")
        return None
