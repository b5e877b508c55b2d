"""What /forget does to follow-up cases (called by ``storage.feedback.forget_resident``)."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import Session, select

from storage.cases.base import Actor, _audit
from storage.models import FeedbackMessage, Submission, utcnow
from storage.models_cases import CaseNote, Correction, FollowupCase, KudosItem, PendingInput


def forget_resident_cases(session: Session, resident_id: int) -> int:
    """Called by ``storage.feedback.forget_resident`` before the resident's rows go.

    Cuts each case's link to the submission (and so to the contact link), blanks the resident's
    relayed answers, drops their queued kudos and unlinks staff corrections from their messages
    (the labels stay, without text); the case record stays for accountability:
    reference, unit, officer, scores summary, staff notes and replies, and the audit trail.
    """
    message_ids = select(FeedbackMessage.id).where(FeedbackMessage.resident_id == resident_id)
    session.exec(delete(KudosItem).where(KudosItem.message_id.in_(message_ids)))  # type: ignore[call-overload,union-attr]
    # Staff corrections keep their labels (and their case) but lose the link to the words.
    unlink = update(Correction).where(Correction.message_id.in_(message_ids)).values(message_id=None)  # type: ignore[union-attr]
    session.exec(unlink)  # type: ignore[call-overload]
    cases = session.exec(
        select(FollowupCase)
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(Submission.resident_id == resident_id)
    ).all()
    now = utcnow()
    for case in cases:
        for note in session.exec(select(CaseNote).where(CaseNote.case_id == case.id, CaseNote.kind == "from_resident")).all():
            note.text, note.erased_at = None, now
        session.exec(update(PendingInput).where(PendingInput.case_id == case.id, PendingInput.kind == "reply").values(expires_at=now))  # type: ignore[call-overload]
        case.submission_id, case.resident_erased_at = None, now
        _audit(session, Actor(None, "resident"), "resident_erased", case.id, "resident used /forget: contact link and their words removed")
    session.flush()
    return len(cases)
