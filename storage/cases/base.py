"""What every part of the case store shares: the rules it reads, who acts (``Actor``), the audit
write, the case lookup that raises ``CaseActionError`` and the case notes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlmodel import Session, select

from storage.models import FeedbackMessage
from storage.models_cases import CaseNote, FollowupCase, append_audit

# "misconduct": an alert cue; "sensitive": the receive-time rules (nlp.analysis.TextAnalysis.flags);
# the resident's own "about an officer's conduct" button adds "misconduct" too (cases/complaint.py).
SENSITIVE_FLAGS = frozenset({"misconduct", "sensitive"})


class FollowupRules(Protocol):
    """The ``[followup]`` settings this module reads (services.settings.FollowupSettings)."""

    negative_score_threshold: float
    negative_rating_threshold: int
    sensitive_topics: list[str]
    trigger_topics: list[str]
    positive_score_threshold: float


@dataclass(frozen=True)
class Actor:
    """Who does something, as the audit log records it (staff id, or a label like 'system')."""

    staff_id: int | None
    label: str = "staff"

    @classmethod
    def system(cls) -> Actor:
        return cls(None, "system")


def _audit(session: Session, actor: Actor, action: str, case_id: int | None, detail: str | None = None) -> None:
    append_audit(session, action, case_id=case_id, actor_staff_id=actor.staff_id, actor=actor.label, detail=detail)


class CaseActionError(Exception):
    """The action does not apply to the case in its current state; ``code`` names a text."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _case(session: Session, case_id: int) -> FollowupCase:
    case = session.get(FollowupCase, case_id)
    if case is None:
        raise CaseActionError("not_found")
    return case


def get_case(session: Session, case_id: int) -> FollowupCase | None:
    """The case or None, for callers that decide themselves what a missing case means."""
    return session.get(FollowupCase, case_id)


def _note(session: Session, case_id: int, kind: str, author: int | None, text: str | None, delivery: str = "none") -> CaseNote:
    note = CaseNote(case_id=case_id, kind=kind, author_id=author, text=text, delivery=delivery)
    session.add(note)
    session.flush()
    return note


def note_system(session: Session, case_id: int, text: str, action: str | None = None) -> None:
    _note(session, case_id, "system", None, text[:1000])
    if action:
        _audit(session, Actor.system(), action, case_id, text[:300])


def _messages(session: Session, submission_id: int) -> list[FeedbackMessage]:
    return list(
        session.exec(
            select(FeedbackMessage).where(FeedbackMessage.submission_id == submission_id).order_by(FeedbackMessage.id)  # type: ignore[arg-type]
        ).all()
    )
