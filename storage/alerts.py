"""Alerts to the duty chat: the record of each one sent (or not), and the messages whose
emergency flags the sentiment score may still confirm. Redacted text only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storage.identity import short_pseudonym
from storage.models import Alert, FeedbackMessage, Resident, Unit, utcnow
from storage.types import as_utc


@dataclass(frozen=True)
class AlertSource:
    """What the duty chat is shown about the message behind an alert (never who wrote it)."""

    resident: str  # short pseudonym, or "?" when the resident is gone
    unit: str | None
    received: datetime
    text: str  # redacted


def open_alert(session: Session, kind: str, message_id: int, cue: str | None) -> tuple[int, AlertSource | None]:
    """Record an alert about to be sent; returns its id and the message it is about (None when
    the message is gone: the alert is still recorded and sent without details)."""
    msg = session.get(FeedbackMessage, message_id)
    alert = Alert(message_id=message_id, kind=kind, cue=(cue or "")[:200] or None)
    session.add(alert)
    session.flush()
    if msg is None:
        return alert.id, None  # type: ignore[return-value]
    resident = session.get(Resident, msg.resident_id)
    unit = session.get(Unit, msg.unit_id) if msg.unit_id else None
    source = AlertSource(
        short_pseudonym(resident.pseudonym) if resident else "?",
        unit.name if unit else None,
        as_utc(msg.received_at),
        msg.redacted_text,
    )
    return alert.id, source  # type: ignore[return-value]


def finish_alert(session: Session, alert_id: int, error: str | None) -> None:
    alert = session.get(Alert, alert_id)
    if alert is not None:
        alert.sent_at = None if error else utcnow()
        alert.error = error


@dataclass(frozen=True)
class ScoredText:
    """A scored message whose original text is still kept, for a second emergency check."""

    message_id: int
    text: str
    language: str
    score: float
    flags: list[str]


def scored_text(session: Session, message_id: int) -> ScoredText | None:
    """None when the message is gone, its original text is purged or it has no score yet."""
    msg = session.get(FeedbackMessage, message_id)
    if msg is None or msg.text is None or msg.score is None:
        return None
    return ScoredText(message_id, msg.text, msg.language, msg.score, list(msg.flags))


def add_flags(session: Session, message_id: int, kinds: list[str]) -> None:
    msg = session.get(FeedbackMessage, message_id)
    if msg is not None:
        msg.flags = [*msg.flags, *kinds]


def alerted_kinds(session: Session, message_id: int) -> set[str]:
    """Kinds already alerted (or attempted) for a message, whatever its flags say now (an edit resets them)."""
    return set(session.exec(select(Alert.kind).where(Alert.message_id == message_id)).all())
