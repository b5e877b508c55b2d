"""The outbox: prompts to assignees, relayed messages both ways and the closing status message,
each claimed before sending so two senders never both send."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import Session, select

from storage.cases.base import Actor, _audit, _case, _note, note_system
from storage.cases.resident import resident_contact
from storage.models import ResidentContact, Staff, Submission, Unit, utcnow
from storage.models_cases import CASE_RESOLVED, CaseNote, FollowupCase
from storage.staff import is_reachable

MAX_RELAY_ATTEMPTS = 5


def claim_unnotified(session: Session, case_ids: Iterable[int] | None = None) -> list[int]:
    """Cases whose current assignee has not been sent the prompt yet, claimed (so two senders
    never both send): the claim sets notified_at; ``release_notification`` undoes it on failure."""
    query = select(FollowupCase.id).where(
        FollowupCase.notified_at.is_(None), FollowupCase.assignee_id.is_not(None), FollowupCase.status != CASE_RESOLVED  # type: ignore[union-attr]
    )
    if case_ids is not None:
        query = query.where(FollowupCase.id.in_(list(case_ids)))  # type: ignore[union-attr]
    claimed = []
    now = utcnow()
    for case_id in session.exec(query.order_by(FollowupCase.id)).all():  # type: ignore[arg-type]
        result = session.exec(  # type: ignore[call-overload]
            update(FollowupCase).where(FollowupCase.id == case_id, FollowupCase.notified_at.is_(None)).values(notified_at=now)  # type: ignore[union-attr]
        )
        if result.rowcount:
            claimed.append(case_id)
    return claimed


def release_notification(session: Session, case_id: int) -> None:
    session.exec(update(FollowupCase).where(FollowupCase.id == case_id).values(notified_at=None))  # type: ignore[call-overload]


@dataclass(frozen=True)
class StaffTarget:
    staff_id: int
    chat_id: int
    name: str


def assignee_target(session: Session, case_id: int) -> StaffTarget | None:
    case = session.get(FollowupCase, case_id)
    staff = session.get(Staff, case.assignee_id) if case and case.assignee_id else None
    if staff is None or not is_reachable(staff):
        return None
    return StaffTarget(staff.id, staff.chat_id, staff.display_name)  # type: ignore[arg-type]


def claim_relays(session: Session, note_ids: Iterable[int] | None = None) -> list[int]:
    query = select(CaseNote.id).where(CaseNote.delivery == "pending")
    if note_ids is not None:
        query = query.where(CaseNote.id.in_(list(note_ids)))  # type: ignore[union-attr]
    claimed = []
    for note_id in session.exec(query.order_by(CaseNote.id)).all():  # type: ignore[arg-type]
        result = session.exec(  # type: ignore[call-overload]
            update(CaseNote).where(CaseNote.id == note_id, CaseNote.delivery == "pending").values(delivery="sending")
        )
        if result.rowcount:
            claimed.append(note_id)
    return claimed


@dataclass(frozen=True)
class Relay:
    note_id: int
    case_id: int
    reference: str
    kind: str  # to_resident | from_resident
    text: str
    chat_id: int | None  # None: nobody to deliver to (resident gone, case unassigned)
    language: str | None
    staff_id: int | None  # recipient, for from_resident


def relay(session: Session, note_id: int) -> Relay | None:
    note = session.get(CaseNote, note_id)
    if note is None:
        return None
    case = _case(session, note.case_id)
    if note.kind == "to_resident":
        contact = resident_contact(session, case.id)  # type: ignore[arg-type]
        return Relay(note.id, case.id, case.reference, note.kind, note.text or "",  # type: ignore[arg-type]
                     contact.chat_id if contact else None, contact.language if contact else None, None)
    target = assignee_target(session, case.id)  # type: ignore[arg-type]
    return Relay(note.id, case.id, case.reference, note.kind, note.text or "",  # type: ignore[arg-type]
                 target.chat_id if target else None, None, target.staff_id if target else None)


def finish_relay(session: Session, note_id: int, outcome: str, *, telegram_message_id: int | None = None, error: str | None = None) -> None:
    """outcome: sent | blocked | retry | failed. A resident who blocked the bot is remembered so
    nobody keeps writing to them; the message itself stays on the case."""
    note = session.get(CaseNote, note_id)
    if note is None:
        return
    note.attempts += 1
    if outcome == "sent":
        note.delivery, note.delivered_at, note.telegram_message_id, note.error = "sent", utcnow(), telegram_message_id, None
        case = session.get(FollowupCase, note.case_id)
        if case is not None and note.kind == "to_resident":
            case.responded_at = case.responded_at or utcnow()
            _audit(session, Actor(note.author_id, "staff" if note.author_id else "system"), "reply_delivered", case.id, f"note #{note.id}")
        return
    note.error = (error or outcome)[:300]
    if outcome == "retry" and note.attempts < MAX_RELAY_ATTEMPTS:
        note.delivery = "pending"
        return
    note.delivery = "blocked" if outcome == "blocked" else "failed"
    who = "the resident" if note.kind == "to_resident" else "the assignee"
    if outcome == "blocked" and note.kind == "to_resident":
        case = session.get(FollowupCase, note.case_id)
        sub = session.get(Submission, case.submission_id) if case and case.submission_id else None
        contact = session.get(ResidentContact, sub.resident_id) if sub else None
        if contact is not None:
            contact.blocked_at = utcnow()
    note_system(session, note.case_id, f"message #{note.id} not delivered: {who} {'blocked the bot' if outcome == 'blocked' else 'unreachable'}",
                action="delivery_failed")


def mark_contact_blocked_for_case(session: Session, case_id: int) -> None:
    contact = resident_contact(session, case_id)
    if contact is not None:
        row = session.get(ResidentContact, contact.resident_id)
        if row is not None:
            row.blocked_at = utcnow()


@dataclass(frozen=True)
class Closing:
    """What the resident's closing message may say: who closed it, and the note if shared."""

    role: str | None  # the resolver's role
    unit: str | None
    note: str | None  # only when the resolver chose to share it


def closing_of(session: Session, case_id: int) -> Closing:
    case = _case(session, case_id)
    note = session.exec(
        select(CaseNote).where(CaseNote.case_id == case_id, CaseNote.kind == "note").order_by(CaseNote.id.desc())  # type: ignore[union-attr]
    ).first()
    author = session.get(Staff, note.author_id) if note and note.author_id else None
    unit = session.get(Unit, case.unit_id) if case.unit_id else None
    shared = note.text if note and case.note_shared and note.erased_at is None else None
    return Closing(author.role if author else None, unit.name if unit else None, shared)


def record_resident_notice(session: Session, case_id: int, summary: str, telegram_message_id: int | None) -> None:
    """A message the bot sent the resident about their case (reopened, escalated): kept on the
    case, and their Telegram reply to it finds its way back to whoever holds the case."""
    note = _note(session, case_id, "notice", None, summary[:300], delivery="sent")
    note.telegram_message_id, note.delivered_at = telegram_message_id, utcnow()


def claim_status_messages(session: Session) -> list[int]:
    """Resolved cases whose resident asked to be contacted and has not had the status message."""
    ids = session.exec(
        select(FollowupCase.id)
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(
            FollowupCase.status == CASE_RESOLVED,
            FollowupCase.resident_notified_at.is_(None),  # type: ignore[union-attr]
            Submission.contact_requested == True,  # noqa: E712
        )
    ).all()
    claimed = []
    now = utcnow()
    for case_id in ids:
        result = session.exec(  # type: ignore[call-overload]
            update(FollowupCase).where(FollowupCase.id == case_id, FollowupCase.resident_notified_at.is_(None)).values(resident_notified_at=now)  # type: ignore[union-attr]
        )
        if result.rowcount:
            claimed.append(case_id)
    return claimed


def finish_status_message(session: Session, case_id: int, outcome: str, telegram_message_id: int | None = None) -> None:
    """outcome: sent | blocked | gone (nobody to write to) | retry."""
    case = session.get(FollowupCase, case_id)
    if case is None:
        return
    if outcome == "retry":
        case.resident_notified_at = None
        return
    if outcome == "sent":
        note = _note(session, case_id, "status", None, None, delivery="sent")
        note.telegram_message_id, note.delivered_at = telegram_message_id, utcnow()
        case.responded_at = case.responded_at or utcnow()  # hearing back counts as a response
        _audit(session, Actor.system(), "resident_told_resolved", case_id)
        return
    if outcome == "blocked":
        mark_contact_blocked_for_case(session, case_id)
    note_system(
        session,
        case_id,
        "status message not delivered: the resident "
        + ("blocked the bot" if outcome == "blocked" else "cannot be reached"),
        action="delivery_failed",
    )
