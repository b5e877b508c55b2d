"""Which cases a resident is talking to right now, so a plain message finds its case.

A relay is open while the case is not resolved and staff have written to the resident through
the bot (a delivered ``to_resident`` note). Telegram's swipe-reply names the message; a plain
message does not, so the bot asks this module instead.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import Resident, Submission
from storage.models_cases import CASE_RESOLVED, CaseNote, FollowupCase


def open_relays(session: Session, resident_pseudonym: str) -> list[tuple[int, str]]:
    """(case id, reference) of the resident's cases with an open relay, most recent first."""
    resident = session.exec(select(Resident).where(Resident.pseudonym == resident_pseudonym)).first()
    if resident is None:
        return []
    latest = func.max(CaseNote.id)
    rows = session.exec(
        select(FollowupCase.id, FollowupCase.reference, latest)
        .join(CaseNote, CaseNote.case_id == FollowupCase.id)  # type: ignore[arg-type]
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(
            Submission.resident_id == resident.id,
            FollowupCase.status != CASE_RESOLVED,
            CaseNote.kind == "to_resident",
            CaseNote.delivery == "sent",
        )
        .group_by(FollowupCase.id, FollowupCase.reference)
        .order_by(latest.desc())
    ).all()
    return [(int(case_id), str(reference)) for case_id, reference, _ in rows]
