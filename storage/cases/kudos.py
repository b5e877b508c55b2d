"""Kudos: positive messages about an officer, queued per message and sent once a day."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.cases.base import SENSITIVE_FLAGS, FollowupRules, _messages
from storage.models import FeedbackMessage, Staff, Submission, utcnow
from storage.models_cases import KudosItem
from storage.staff import is_reachable


def queue_kudos(session: Session, submission_id: int, rules: FollowupRules) -> int:
    """Queue positive messages about an officer for the daily kudos (idempotent per message)."""
    sub = session.get(Submission, submission_id)
    if sub is None or sub.status != "submitted" or sub.officer_id is None:
        return 0
    sensitive = set(rules.sensitive_topics)
    queued = 0
    for msg in _messages(session, submission_id):
        if msg.score is None or msg.score < rules.positive_score_threshold:
            continue
        if sensitive & set(msg.topics) or SENSITIVE_FLAGS & set(msg.flags) or {"emergency", "self_harm"} & set(msg.flags):
            continue
        if session.exec(select(KudosItem.id).where(KudosItem.message_id == msg.id)).first() is not None:
            continue
        try:
            with session.begin_nested():
                session.add(KudosItem(officer_id=sub.officer_id, message_id=msg.id))  # type: ignore[arg-type]
            queued += 1
        except IntegrityError:
            pass  # queued concurrently by the other hook
    return queued


@dataclass(frozen=True)
class KudosBatch:
    officer_id: int
    chat_id: int
    language_hint: str | None
    item_ids: list[int]
    quotes: list[str]


def due_kudos(session: Session) -> list[KudosBatch]:
    items = session.exec(select(KudosItem).where(KudosItem.sent_at.is_(None)).order_by(KudosItem.id)).all()  # type: ignore[union-attr,arg-type]
    by_officer: dict[int, list[KudosItem]] = {}
    for item in items:
        by_officer.setdefault(item.officer_id, []).append(item)
    batches = []
    for officer_id, rows in by_officer.items():
        officer = session.get(Staff, officer_id)
        if not is_reachable(officer):
            # Revoked or never enrolled: drop their queue rather than let it grow forever.
            for row in rows:
                row.sent_at = utcnow()
            continue
        quotes = []
        for row in rows:
            msg = session.get(FeedbackMessage, row.message_id)
            if msg is not None and msg.redacted_text.strip():
                quotes.append(msg.redacted_text.strip())
        batches.append(KudosBatch(officer_id, officer.chat_id, None, [r.id for r in rows], quotes))  # type: ignore[union-attr,misc]
    return batches


def mark_kudos_sent(session: Session, item_ids: Sequence[int]) -> None:
    if item_ids:
        session.exec(update(KudosItem).where(KudosItem.id.in_(list(item_ids))).values(sent_at=utcnow()))  # type: ignore[call-overload,union-attr]
