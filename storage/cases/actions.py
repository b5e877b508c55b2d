"""Staff actions on a case (acknowledge, reply, resolve, reassign, escalate) and the pending
inputs that wait for a staff member's typed reply or note."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from storage.cases.base import Actor, CaseActionError, _audit, _case, _note
from storage.cases.resident import resident_contact
from storage.cases.routing import _assign, escalation_target, reassign_candidates
from storage.models import Staff, utcnow
from storage.models_cases import CASE_ACKNOWLEDGED, CASE_OPEN, CASE_RESOLVED, FollowupCase, PendingInput
from storage.types import as_utc


def _not_resolved(case: FollowupCase) -> None:
    if case.status == CASE_RESOLVED:
        raise CaseActionError("already_resolved")


def acknowledge(session: Session, case_id: int, actor: Actor) -> FollowupCase:
    case = _case(session, case_id)
    _not_resolved(case)
    if case.status == CASE_ACKNOWLEDGED:
        raise CaseActionError("already_acknowledged")
    case.status, case.acknowledged_at = CASE_ACKNOWLEDGED, utcnow()
    _audit(session, actor, "acknowledged", case_id)
    session.flush()
    return case


def add_reply(session: Session, case_id: int, actor: Actor, text: str) -> int:
    """Queue a staff reply for the resident (relayed by the bot); returns the note id."""
    case = _case(session, case_id)  # replies stay possible after resolution (the resident may answer the status)
    if resident_contact(session, case_id) is None:
        raise CaseActionError("no_contact")
    note = _note(session, case_id, "to_resident", actor.staff_id, text.strip()[:3000], delivery="pending")
    if case.status == CASE_OPEN:
        case.status, case.acknowledged_at = CASE_ACKNOWLEDGED, utcnow()  # replying is acknowledging
    _audit(session, actor, "reply_queued", case_id, f"note #{note.id}, {len(note.text or '')} characters")
    return note.id  # type: ignore[return-value]


def resolve(session: Session, case_id: int, actor: Actor, note: str) -> FollowupCase:
    case = _case(session, case_id)
    _not_resolved(case)
    now = utcnow()
    _note(session, case_id, "note", actor.staff_id, note.strip()[:1000])
    case.status, case.resolved_at = CASE_RESOLVED, now
    case.acknowledged_at = case.acknowledged_at or now
    session.exec(update(PendingInput).where(PendingInput.case_id == case_id).values(expires_at=now))  # type: ignore[call-overload]
    _audit(session, actor, "resolved", case_id, note.strip()[:300])
    session.flush()
    return case


def reassign(session: Session, case_id: int, actor: Actor, target_id: int, note: str) -> Staff:
    case = _case(session, case_id)
    _not_resolved(case)
    allowed = {s.id for s in reassign_candidates(session, case, exclude=[actor.staff_id])}
    target = session.get(Staff, target_id)
    if target is None or target_id not in allowed:
        raise CaseActionError("bad_target")
    previous = case.assignee_id
    _note(session, case_id, "handover", actor.staff_id, note.strip()[:1000])
    _assign(session, case, target)
    _audit(session, actor, "reassigned", case_id, f"from staff #{previous} to staff #{target_id}: {note.strip()[:250]}")
    session.flush()
    return target


def escalate(session: Session, case_id: int, actor: Actor, *, reason: str = "manual") -> Staff:
    case = _case(session, case_id)
    _not_resolved(case)
    target = escalation_target(session, case)
    if target is None:
        raise CaseActionError("nobody_above")
    previous = case.assignee_id
    _assign(session, case, target)
    case.escalations += 1
    _audit(session, actor, "escalated", case_id, f"{reason}: from staff #{previous} to staff #{target.id} ({target.role})")
    session.flush()
    return target


# --- pending staff inputs --------------------------------------------------------------------


def set_pending(session: Session, staff_id: int, case_id: int, kind: str, ttl: timedelta, target_staff_id: int | None = None) -> None:
    row = session.get(PendingInput, staff_id)
    now = utcnow()
    if row is None:
        row = PendingInput(staff_id=staff_id, case_id=case_id, kind=kind, expires_at=now + ttl)
        session.add(row)
    row.case_id, row.kind, row.target_staff_id, row.created_at, row.expires_at = case_id, kind, target_staff_id, now, now + ttl
    session.flush()


def take_pending(session: Session, staff_id: int) -> PendingInput | None:
    """The staff member's open question, consumed; None when there is none or it expired."""
    row = session.get(PendingInput, staff_id)
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row if as_utc(row.expires_at) > utcnow() else None


def clear_pending(session: Session, staff_id: int) -> bool:
    row = session.get(PendingInput, staff_id)
    if row is None:
        return False
    live = as_utc(row.expires_at) > utcnow()
    session.delete(row)
    return live


def live_pending_of_user(session: Session, telegram_user_id: int) -> PendingInput | None:
    """The open question of an active staff member, by their Telegram id (None for residents)."""
    row = session.exec(
        select(PendingInput)
        .join(Staff, Staff.id == PendingInput.staff_id)  # type: ignore[arg-type]
        .where(Staff.telegram_user_id == telegram_user_id, Staff.active == True, Staff.revoked_at.is_(None))  # type: ignore[union-attr]  # noqa: E712
    ).first()
    if row is None:
        return None
    if as_utc(row.expires_at) <= utcnow():
        session.delete(row)
        return None
    return row
