"""Where each person's prompt for a case is, so the bot edits that one message as the case
changes instead of sending another (one prompt per case and person)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from storage.models import utcnow
from storage.models_cases import CasePrompt


@dataclass(frozen=True)
class PromptRef:
    id: int
    case_id: int
    staff_id: int | None
    chat_id: int
    message_id: int


def _ref(row: CasePrompt) -> PromptRef:
    return PromptRef(row.id, row.case_id, row.staff_id, row.chat_id, row.message_id)  # type: ignore[arg-type]


def record_prompt(session: Session, case_id: int, staff_id: int | None, chat_id: int, message_id: int) -> int | None:
    """Remember the prompt just sent; returns the message id of the one it replaces in that chat
    (whose buttons the caller removes), or None."""
    row = session.exec(select(CasePrompt).where(CasePrompt.case_id == case_id, CasePrompt.chat_id == chat_id)).first()
    if row is None:
        session.add(CasePrompt(case_id=case_id, staff_id=staff_id, chat_id=chat_id, message_id=message_id))
        session.flush()
        return None
    previous = row.message_id if row.live and row.message_id != message_id else None
    row.staff_id, row.message_id, row.live, row.updated_at = staff_id, message_id, True, utcnow()
    session.flush()
    return previous


def live_prompts(session: Session, case_id: int) -> list[PromptRef]:
    rows = session.exec(select(CasePrompt).where(CasePrompt.case_id == case_id, CasePrompt.live == True).order_by(CasePrompt.id)).all()  # type: ignore[arg-type]  # noqa: E712
    return [_ref(r) for r in rows]


def retire_prompt(session: Session, prompt_id: int) -> None:
    row = session.get(CasePrompt, prompt_id)
    if row is not None:
        row.live, row.updated_at = False, utcnow()


def had_prompt(session: Session, case_id: int, staff_id: int | None, chat_id: int | None = None) -> bool:
    """Whether this person was ever shown the case (so a refused button may say where it went)."""
    query = select(CasePrompt.id).where(CasePrompt.case_id == case_id)
    query = query.where(CasePrompt.staff_id == staff_id) if staff_id is not None else query.where(CasePrompt.chat_id == chat_id)
    return session.exec(query).first() is not None
