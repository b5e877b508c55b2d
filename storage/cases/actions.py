"""Staff actions on a case (acknowledge, reply, resolve, reassign, escalate) and the pending
inputs that wait for a staff member's typed reply or note."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from storage.cases.base import Actor, CaseActionError, _audit, _case, _note
from storage.cases.resident import resident_contact
from storage.cases.routing import _assign, escalation_target, reassign_candidates, route_initial
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


def awaiting_reply(session: Session, case: FollowupCase) -> bool:
    """The resident asked to hear back, can still be reached, and no reply has reached them."""
    return case.responded_at is None and resident_contact(session, case.id) is not None  # type: ignore[arg-type]


def resolve(session: Session, case_id: int, actor: Actor, note: str, *, share: bool = False) -> FollowupCase:
    """Close the case. ``share``: the resident's closing message quotes the note (the staff
    member chose so); otherwise they get a neutral status. Closing while the resident still waits
    for a reply is allowed (after a confirmation in the bot) and audited as such."""
    case = _case(session, case_id)
    _not_resolved(case)
    now = utcnow()
    without_reply = awaiting_reply(session, case)
    _note(session, case_id, "note", actor.staff_id, note.strip()[:1000])
    case.status, case.resolved_at = CASE_RESOLVED, now
    case.acknowledged_at = case.acknowledged_at or now
    case.note_shared = share and bool(note.strip())
    case.reopen_reason = None
    session.exec(update(PendingInput).where(PendingInput.case_id == case_id).values(expires_at=now))  # type: ignore[call-overload]
    detail = ("note shared with the resident: " if case.note_shared else "") + note.strip()[:250]
    _audit(session, actor, "resolved_without_reply" if without_reply else "resolved", case_id, detail)
    session.flush()
    return case


def reopen_unhelpful(session: Session, case_id: int) -> tuple[Staff | None, int | None]:
    """The resident said the follow-up did not help: reopen the case one level up (supervisor →
    commander → agency commanders/admins). Returns (new assignee, previous assignee id); a None
    assignee means nobody enrolled is above, so the bootstrap admins get it (claim_unassigned)."""
    case = _case(session, case_id)
    previous = case.assignee_id
    target = escalation_target(session, case)
    case.status, case.resolved_at, case.note_shared = CASE_OPEN, None, False
    case.reopen_reason = "unhelpful"
    case.resident_notified_at = None  # they hear from us again when it is closed again
    _assign(session, case, target)
    case.escalations += 1
    who = f"staff #{target.id} ({target.role})" if target else "nobody enrolled above: bootstrap admins"
    _note(session, case_id, "system", None, "Reopened: the resident says the follow-up didn't help")
    _audit(session, Actor(None, "resident"), "reopened", case_id, f"the resident says the follow-up didn't help; from staff #{previous} to {who}")
    session.flush()
    return target, previous


def mark_sensitive(session: Session, case_id: int, actor: Actor) -> Staff | None:
    """Any staff member on the case may mark it sensitive; it then leaves the officer concerned
    at once. Returns the new assignee when it had to move (None when it stayed)."""
    case = _case(session, case_id)
    if case.sensitive:
        raise CaseActionError("already_sensitive")
    case.sensitive = True
    _audit(session, actor, "marked_sensitive", case_id)
    if case.status == CASE_RESOLVED or case.officer_id is None or case.assignee_id != case.officer_id:
        session.flush()
        return None
    target = route_initial(session, case.unit_id, case.officer_id, True)
    _assign(session, case, target)
    _audit(session, Actor.system(), "rerouted", case_id,
           f"sensitive: away from the officer concerned to {'staff #' + str(target.id) if target else 'nobody enrolled: bootstrap admins'}")
    session.flush()
    return target


def unmark_sensitive(session: Session, case_id: int, actor: Actor) -> None:
    """Commanders and admins only (checked by the caller): the case stays with its assignee."""
    case = _case(session, case_id)
    if not case.sensitive:
        raise CaseActionError("not_sensitive")
    case.sensitive = False
    _audit(session, actor, "unmarked_sensitive", case_id)
    session.flush()


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


def escalate(session: Session, case_id: int, actor: Actor, *, reason: str = "manual", why: str | None = None) -> Staff:
    """One level up. ``why`` ("no_reply") is shown on the new assignee's prompt."""
    case = _case(session, case_id)
    _not_resolved(case)
    target = escalation_target(session, case)
    if target is None:
        raise CaseActionError("nobody_above")
    previous = case.assignee_id
    _assign(session, case, target)
    case.escalations += 1
    case.reopen_reason = why
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
