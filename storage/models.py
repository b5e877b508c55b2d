"""Trustline's tables.

Privacy shape: a resident is a pseudonym (keyed HMAC of the Telegram user id); the only Telegram
identifier kept is the chat id needed to write back, in ``resident_contact``, which ``/forget``
drops. Staff-facing code reads ``redacted_text`` and pseudonyms, never ``text`` or contacts.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def utcnow() -> datetime:
    return datetime.now(UTC)


def _ts(**kw: Any) -> Any:
    """A timezone-aware UTC timestamp column (see storage.types.UTCDateTime)."""
    return Field(sa_type=UTCDateTime, **kw)


# --- organisation ---------------------------------------------------------------------------


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    district: str = Field(max_length=100, index=True)
    active: bool = True


class Staff(SQLModel, table=True):
    """Officers, supervisors, commanders and admins. Telegram ids are staff's own, never residents'."""

    id: int | None = Field(default=None, primary_key=True)
    display_name: str = Field(max_length=200)
    role: str = Field(max_length=20)  # officer | supervisor | commander | admin
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    district: str | None = Field(default=None, max_length=100)
    telegram_user_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    chat_id: int | None = Field(default=None, sa_type=BigInteger)
    active: bool = True
    created_at: datetime = _ts(default_factory=utcnow)
    enrolled_at: datetime | None = _ts(default=None)
    revoked_at: datetime | None = _ts(default=None)


class EnrollmentCode(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code_hash: str = Field(max_length=128, unique=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    expires_at: datetime = _ts()
    used_at: datetime | None = _ts(default=None)
    created_at: datetime = _ts(default_factory=utcnow)


class EnrolmentAttempt(SQLModel, table=True):
    """Wrong /enroll codes per Telegram account, so guessing stays slow across restarts.

    Keyed by the same keyed hash as residents' pseudonyms: whoever guesses may be a resident."""

    __tablename__ = "enrolment_attempt"

    who: str = Field(primary_key=True, max_length=64)
    failures: int = 0
    window_started_at: datetime = _ts(default_factory=utcnow)
    locked_until: datetime | None = _ts(default=None)


class DeepLinkToken(SQLModel, table=True):
    """Opaque token printed on officer cards and posters: /start <token>."""

    token: str = Field(primary_key=True, max_length=64)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    officer_id: int | None = Field(default=None, foreign_key="staff.id")
    label: str | None = Field(default=None, max_length=200)
    created_at: datetime = _ts(default_factory=utcnow)
    revoked_at: datetime | None = _ts(default=None)


class StaffChat(SQLModel, table=True):
    """A group or channel registered to receive digests and alerts for a scope."""

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger, unique=True)
    title: str = Field(default="", max_length=255)
    scope_kind: str = Field(default="agency", max_length=20)  # agency | district | unit
    scope_value: str | None = Field(default=None, max_length=100)
    language: str = Field(default="en", max_length=8)
    active: bool = True
    registered_by: int | None = Field(default=None, foreign_key="staff.id")
    registered_at: datetime = _ts(default_factory=utcnow)
    last_error: str | None = Field(default=None, max_length=500)


# --- residents and their feedback -------------------------------------------------------------


class Resident(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    pseudonym: str = Field(max_length=64, unique=True)
    language: str = Field(default="en", max_length=8)
    consented_at: datetime | None = _ts(default=None)
    created_at: datetime = _ts(default_factory=utcnow)
    last_seen_at: datetime = _ts(default_factory=utcnow)


class ResidentContact(SQLModel, table=True):
    """The only link from a pseudonym back to Telegram; dropped by /forget."""

    resident_id: int = Field(foreign_key="resident.id", primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    created_at: datetime = _ts(default_factory=utcnow)
    blocked_at: datetime | None = _ts(default=None)


class Submission(SQLModel, table=True):
    __table_args__ = (Index("ix_submission_resident_status", "resident_id", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16, unique=True)
    resident_id: int = Field(foreign_key="resident.id")
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    officer_id: int | None = Field(default=None, foreign_key="staff.id")
    token: str | None = Field(default=None, max_length=64)
    incident_ref: str | None = Field(default=None, max_length=64)
    channel: str = Field(default="direct", max_length=16)  # direct | deeplink
    language: str = Field(default="en", max_length=8)
    status: str = Field(default="open", max_length=16)  # open | submitted
    contact_requested: bool = False
    created_at: datetime = _ts(default_factory=utcnow)
    submitted_at: datetime | None = _ts(default=None)


class FeedbackMessage(SQLModel, table=True):
    __table_args__ = (
        # A redelivered Telegram update must never become a second row. Message ids are per chat
        # and a private chat is one resident, so (resident, message id) identifies the update.
        UniqueConstraint("resident_id", "telegram_message_id", name="uq_feedback_resident_message"),
        Index("ix_feedback_score_status", "score_status", "id"),
        Index("ix_feedback_received", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    telegram_message_id: int = Field(sa_type=BigInteger)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    officer_id: int | None = Field(default=None, foreign_key="staff.id")
    language: str = Field(default="en", max_length=8)
    # Original text, kept for privacy.retention_days then purged; redacted text stays for staff.
    text: str | None = None
    redacted_text: str = ""
    received_at: datetime = _ts(default_factory=utcnow)
    edited_at: datetime | None = _ts(default=None)
    text_purged_at: datetime | None = _ts(default=None)
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Sentiment of the active model revision; history per revision lives in message_score.
    score_status: str = Field(default="pending", max_length=16)  # pending | scored | failed
    score: float | None = None
    score_label: str | None = Field(default=None, max_length=16)
    scored_revision: str | None = Field(default=None, max_length=80)
    score_attempts: int = 0


class MessageScore(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("message_id", "model_name", "model_revision", name="uq_score_once"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="feedbackmessage.id", index=True)
    model_name: str = Field(max_length=200)
    model_revision: str = Field(max_length=80)
    score: float
    label: str = Field(max_length=16)
    probabilities: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    scored_at: datetime = _ts(default_factory=utcnow)


class Rating(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("submission_id", "item", name="uq_rating_item"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    item: str = Field(max_length=20)  # respect | listening | fairness | safety
    value: int = Field(ge=0, le=10)
    created_at: datetime = _ts(default_factory=utcnow)


# --- operations -------------------------------------------------------------------------------


class AppSecret(SQLModel, table=True):
    """Generated secrets that must outlive restarts (e.g. the pseudonym key when not configured)."""

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=256)
    created_at: datetime = _ts(default_factory=utcnow)


class ConversationState(SQLModel, table=True):
    """PTB persistence rows: conversation states (and nothing else) keyed by handler name and key."""

    __table_args__ = (UniqueConstraint("handler", "key", name="uq_conversation_key"),)

    id: int | None = Field(default=None, primary_key=True)
    handler: str = Field(max_length=64)
    key: str = Field(max_length=128)
    state: Any = Field(default=None, sa_column=Column(JSON))
    updated_at: datetime = _ts(default_factory=utcnow)


class Alert(SQLModel, table=True):
    """Emergency or misconduct detections sent to the duty chat (redacted text only)."""

    id: int | None = Field(default=None, primary_key=True)
    message_id: int | None = Field(default=None, foreign_key="feedbackmessage.id")
    kind: str = Field(max_length=32)
    cue: str | None = Field(default=None, max_length=200)
    created_at: datetime = _ts(default_factory=utcnow)
    sent_at: datetime | None = _ts(default=None)
    error: str | None = Field(default=None, max_length=500)
