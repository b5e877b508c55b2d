"""The resident's side of a case: how to write to them, their answers and "did this help?"."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from storage.cases.base import Actor, _audit, _case, _note
from storage.models import Resident, ResidentContact, Submission, utcnow
from storage.models_cases import CASE_RESOLVED, CaseNote, FollowupCase
from storage.types import as_utc


@dataclass(frozen=True)
class ResidentContactInfo:
    chat_id: int
    language: str
    resident_id: int


def resident_contact(session: Session, case_id: int) -> ResidentContactInfo | None:
    """How to write to the resident of a case, only if they asked to be contacted and have not
    blocked the bot or erased their data. For the bot's sending code only, never for display."""
    case = session.get(FollowupCase, case_id)
    if case is None or case.submission_id is None:
        return None
    sub = session.get(Submission, case.submission_id)
    if sub is None or not sub.contact_requested:
        return None
    contact = session.get(ResidentContact, sub.resident_id)
    if contact is None or contact.blocked_at is not None:
        return None
    resident = session.get(Resident, sub.resident_id)
    return ResidentContactInfo(contact.chat_id, resident.language if resident else sub.language, sub.resident_id)


def case_of_resident_reply(session: Session, resident_pseudonym: str, replied_message_id: int) -> int | None:
    """The case whose relayed message (id in the resident's chat) this resident replied to."""
    resident = session.exec(select(Resident).where(Resident.pseudonym == resident_pseudonym)).first()
    if resident is None:
        return None
    row = session.exec(
        select(CaseNote.case_id)
        .join(FollowupCase, FollowupCase.id == CaseNote.case_id)  # type: ignore[arg-type]
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(
            Submission.resident_id == resident.id,
            CaseNote.kind.in_(("to_resident", "status", "notice")),  # type: ignore[attr-defined]
            CaseNote.telegram_message_id == replied_message_id,
        )
    ).first()
    return row


def add_resident_answer(session: Session, case_id: int, redacted_text: str) -> int:
    """The resident's answer (already redacted), queued for the assignee."""
    _case(session, case_id)
    # After resolution it still reaches the last assignee (who may answer); the case stays closed.
    note = _note(session, case_id, "from_resident", None, redacted_text[:3000], delivery="pending")
    _audit(session, Actor(None, "resident"), "resident_answered", case_id, f"note #{note.id}")
    return note.id  # type: ignore[return-value]


def _asked_again(case: FollowupCase) -> bool:
    """Closed again after an earlier answer (a reopened case): the new question counts."""
    return case.helpful_at is not None and case.resolved_at is not None and as_utc(case.resolved_at) > as_utc(case.helpful_at)


def record_helpful(session: Session, case_id: int, resident_pseudonym: str, helpful: bool) -> str:
    """'ok', 'already' or 'not_yours' (someone else's or a forged button)."""
    case = session.get(FollowupCase, case_id)
    resident = session.exec(select(Resident).where(Resident.pseudonym == resident_pseudonym)).first()
    sub = session.get(Submission, case.submission_id) if case and case.submission_id else None
    if case is None or resident is None or sub is None or sub.resident_id != resident.id or case.status != CASE_RESOLVED:
        return "not_yours"
    if case.helpful is not None and not _asked_again(case):
        return "already"
    case.helpful, case.helpful_at = helpful, utcnow()
    _audit(session, Actor(None, "resident"), "helpful_answered", case_id, "yes" if helpful else "no")
    return "ok"
