"""Follow-up cases: the case itself, its notes and relayed messages, staff's pending inputs, kudos,
and the append-only audit log.

Privacy shape: a case points at its submission (to read the redacted text live and to find the
resident's contact link when they asked to be contacted); it never stores a Telegram id, name or
chat id of a resident. When a resident uses /forget, ``storage.cases.forget_resident_cases``
cuts that link and blanks the resident's relayed words, and the case record stays for
accountability (reference, unit, officer, scores summary, staff notes, audit trail).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, Text, event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Field, SQLModel

from storage.models import _ts, utcnow

CASE_OPEN, CASE_ACKNOWLEDGED, CASE_RESOLVED = "open", "acknowledged", "resolved"


class FollowupCase(SQLModel, table=True):
    __table_args__ = (Index("ix_followupcase_status_assignee", "status", "assignee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # One case per submission at most (evaluation is idempotent); NULL once the resident /forgets.
    submission_id: int | None = Field(default=None, foreign_key="submission.id", unique=True)
    reference: str = Field(max_length=16, index=True)  # the submission's reference, kept after /forget
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    officer_id: int | None = Field(default=None, foreign_key="staff.id")  # whom the feedback is about
    assignee_id: int | None = Field(default=None, foreign_key="staff.id")
    # Sensitive cases (misconduct, use of force) never reach the officer concerned.
    sensitive: bool = False
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    min_score: float | None = None
    min_rating: int | None = None
    status: str = Field(default=CASE_OPEN, max_length=16)  # open | acknowledged | resolved
    escalations: int = 0
    opened_at: datetime = _ts(default_factory=utcnow)
    # Timers of the current assignment: reminders and escalations count from assigned_at.
    assigned_at: datetime = _ts(default_factory=utcnow)
    notified_at: datetime | None = _ts(default=None)  # prompt delivered to the current assignee
    reminded_at: datetime | None = _ts(default=None)
    acknowledged_at: datetime | None = _ts(default=None)
    responded_at: datetime | None = _ts(default=None)  # first reply relayed to the resident
    resolved_at: datetime | None = _ts(default=None)
    # The resident's "your case was closed" message and their one-tap "did this help?".
    resident_notified_at: datetime | None = _ts(default=None)
    helpful: bool | None = None
    helpful_at: datetime | None = _ts(default=None)
    resident_erased_at: datetime | None = _ts(default=None)
    # Why the case came back to someone: "unhelpful" (the resident said the follow-up did not
    # help) or "no_reply" (they asked to hear back and nobody replied in time); shown on the prompt.
    reopen_reason: str | None = Field(default=None, max_length=16)
    # Whether the resident may read the resolution note in their closing message (asked on resolve).
    note_shared: bool = False


class CaseNote(SQLModel, table=True):
    """What happened on a case, in order: staff notes, hand-overs, and messages relayed both ways.

    ``kind``: note (resolution/escalation note), handover (reassign note that travels with the
    case), to_resident (a staff reply relayed by the bot), from_resident (the resident's answer,
    redacted), system (delivery problems and the like). Relayed messages are an outbox:
    ``delivery`` is pending until sent, so a crash or a network error loses nothing.
    """

    __table_args__ = (Index("ix_casenote_delivery", "delivery", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="followupcase.id", index=True)
    kind: str = Field(max_length=16)
    author_id: int | None = Field(default=None, foreign_key="staff.id")
    text: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _ts(default_factory=utcnow)
    # Outbox state for relayed messages: none | pending | sent | blocked | failed
    delivery: str = Field(default="none", max_length=16)
    attempts: int = 0
    delivered_at: datetime | None = _ts(default=None)
    error: str | None = Field(default=None, max_length=300)
    # Id of the relayed message in the recipient's chat (message ids are per chat), so a
    # resident's Telegram "reply" to it finds its way back to the case. Never a chat id.
    telegram_message_id: int | None = Field(default=None, sa_type=BigInteger)
    erased_at: datetime | None = _ts(default=None)


class PendingInput(SQLModel, table=True):
    """A staff member was asked to type something (reply, resolution note, hand-over note).

    Kept in the database, not in memory, so a restart between the button and the text loses
    nothing; one per staff member (a new button replaces the old question).
    """

    staff_id: int = Field(foreign_key="staff.id", primary_key=True)
    case_id: int = Field(foreign_key="followupcase.id")
    kind: str = Field(max_length=16)  # reply | resolve | reassign
    target_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    created_at: datetime = _ts(default_factory=utcnow)
    expires_at: datetime = _ts()


class CasePrompt(SQLModel, table=True):
    """The one prompt message a person has for a case, edited in place as the case changes.

    Keyed by chat, not staff, so a bootstrap admin (no staff record) has one too. ``live`` is
    true while the prompt carries buttons; when the case leaves that person it is cut to a
    one-line status and ``live`` turns false.
    """

    __table_args__ = (Index("ux_caseprompt_case_chat", "case_id", "chat_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="followupcase.id", index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")
    chat_id: int = Field(sa_type=BigInteger)
    message_id: int = Field(sa_type=BigInteger)
    live: bool = True
    updated_at: datetime = _ts(default_factory=utcnow)


class KudosItem(SQLModel, table=True):
    """A positive message about an officer, waiting for the daily kudos batch."""

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="staff.id", index=True)
    message_id: int = Field(foreign_key="feedbackmessage.id", unique=True)
    created_at: datetime = _ts(default_factory=utcnow)
    sent_at: datetime | None = _ts(default=None)


CORRECTION_FIELDS = ("sentiment", "topics")


class Correction(SQLModel, table=True):
    """A staff correction of one message's sentiment or topics: training data, not a rewrite.

    Labels only, never text: training reads the message's stored redacted text at train time
    through ``message_id``. The model's own output (``feedbackmessage.score``/``topics``), the
    resident's view and the Trust Index rollups stay as they were. /forget sets ``message_id``
    to NULL: the labels stay on the case's record, with no way back to any text.
    """

    __table_args__ = (Index("ix_correction_message_field", "message_id", "field", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="followupcase.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="feedbackmessage.id")
    field: str = Field(max_length=16)  # sentiment | topics
    old_value: str | None = Field(default=None, max_length=300)  # a label, or topics joined by ","
    new_value: str = Field(max_length=300)
    staff_id: int | None = Field(default=None, foreign_key="staff.id")  # None: a bootstrap admin
    created_at: datetime = _ts(default_factory=utcnow, index=True)


class AuditEntry(SQLModel, table=True):
    """Append-only: who did what, when, on which case. Never holds resident identifiers or text.

    Rows are only ever inserted; an ORM guard below refuses updates and deletes, so no code path
    in Trustline can rewrite history.
    """

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="followupcase.id", index=True)
    actor_staff_id: int | None = Field(default=None, foreign_key="staff.id")
    actor: str = Field(max_length=40)  # staff | system | cli | bootstrap admin | non-staff
    action: str = Field(max_length=40)
    detail: str | None = Field(default=None, max_length=500)
    created_at: datetime = _ts(default_factory=utcnow, index=True)


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(OrmSession, "before_flush")
def _refuse_audit_rewrites(session: OrmSession, _context: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("the audit log is append-only")


@event.listens_for(OrmSession, "do_orm_execute")
def _refuse_bulk_audit_rewrites(state: Any) -> None:
    if state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None) == AuditEntry.__tablename__:
            raise AuditLogIsAppendOnly("the audit log is append-only")


def append_audit(
    session: Any,
    action: str,
    *,
    case_id: int | None = None,
    actor_staff_id: int | None = None,
    actor: str = "staff",
    detail: str | None = None,
) -> AuditEntry:
    """The one way to write the audit log (insert only)."""
    entry = AuditEntry(
        case_id=case_id,
        actor_staff_id=actor_staff_id,
        actor=actor[:40],
        action=action[:40],
        detail=(detail or None) and detail[:500],
    )
    session.add(entry)
    return entry
