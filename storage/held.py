"""Words a resident wrote before we may store them: held with the conversation state, not filed.

A resident's first message is often the whole story ("An officer pushed me against a car…"),
sent before /start or after a finished report. Until they accept the privacy notice (or pick the
unit of a new report) it is kept only here, in the same rows as the persisted conversation state
(``ConversationState``), so a restart loses nothing and ``/forget`` (which deletes every row of
the resident's conversation key) erases it. It is filed into a submission once there is one,
dropped when consent is refused, and ignored after ``HOLD_FOR``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session, select

from storage.models import ConversationState, utcnow
from storage.types import as_utc

NEW_REPORT = "held"  # text for the next submission
RELAY = "held-relay"  # an answer waiting for the resident to pick which case it is for
MAX_HELD = 20  # a flood before consent is not a story; the rest is dropped
HOLD_FOR = timedelta(hours=24)


@dataclass(frozen=True)
class HeldText:
    message_id: int
    text: str
    received_at: datetime


def _row(session: Session, key: str, kind: str) -> ConversationState | None:
    return session.exec(
        select(ConversationState).where(ConversationState.handler == kind, ConversationState.key == key)
    ).first()


def hold_text(session: Session, key: str, message_id: int, text: str, received_at: datetime, kind: str = NEW_REPORT) -> int:
    """Hold one message (a redelivered one is held once); returns how many are held now."""
    row = _row(session, key, kind)
    items = list(_fresh(row)) if row is not None else []
    if all(i["id"] != message_id for i in items) and len(items) < MAX_HELD:
        items.append({"id": message_id, "text": text, "at": as_utc(received_at).isoformat()})
    if row is None:
        session.add(ConversationState(handler=kind, key=key, state={"texts": items}))
    else:
        row.state, row.updated_at = {"texts": items}, utcnow()
    session.flush()
    return len(items)


def held_texts(session: Session, key: str, kind: str = NEW_REPORT) -> list[HeldText]:
    row = _row(session, key, kind)
    return [] if row is None else [_held(i) for i in _fresh(row)]


def take_held(session: Session, key: str, kind: str = NEW_REPORT) -> list[HeldText]:
    """The held texts, oldest first, and forget them (the caller files them in this transaction)."""
    row = _row(session, key, kind)
    if row is None:
        return []
    items = [_held(i) for i in _fresh(row)]
    session.delete(row)
    session.flush()
    return items


def drop_held(session: Session, key: str, kind: str = NEW_REPORT) -> int:
    return len(take_held(session, key, kind))


def _fresh(row: ConversationState | None) -> list[dict[str, object]]:
    if row is None or not isinstance(row.state, dict):
        return []
    cutoff = utcnow() - HOLD_FOR
    return [i for i in row.state.get("texts", []) if datetime.fromisoformat(str(i["at"])) >= cutoff]


def _held(item: dict[str, object]) -> HeldText:
    return HeldText(int(item["id"]), str(item["text"]), datetime.fromisoformat(str(item["at"])))  # type: ignore[call-overload]
