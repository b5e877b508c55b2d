"""Residents' side of the store: consent, submissions, messages, ratings, /mydata and /forget.

Every function takes an open session and leaves committing to the caller (``Database.run``), so
one handler step is one transaction: a message is committed before the bot acknowledges it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage import cases, rollups
from storage.models import (
    Alert,
    ConversationState,
    FeedbackMessage,
    MessageScore,
    Rating,
    Resident,
    ResidentContact,
    Staff,
    Submission,
    Unit,
    utcnow,
)
from storage.models_cases import CaseNote, FollowupCase
from storage.types import as_utc
from trust.model import RATING_ITEMS

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud over the phone

KEEP_ON_EDIT = frozenset({"advised_late"})  # nlp.safety.LATE_ADVICE: the late emergency number went out


@dataclass(frozen=True)
class StoredMessage:
    message_id: int
    created: bool  # False when Telegram redelivered an update we already have


@dataclass
class ResidentData:
    """Everything stored about one resident, for /mydata."""

    pseudonym: str
    language: str
    consented_at: datetime | None
    has_contact: bool
    submissions: list[SubmissionData] = field(default_factory=list)
    contact_blocked: bool = False  # the link is kept but the bot was blocked: nobody can write


@dataclass(frozen=True)
class MessageData:
    received_at: datetime
    text: str | None
    score: float | None  # None while the model has not read it yet
    topics: list[str]


@dataclass(frozen=True)
class RelayData:
    """A message relayed through the case: ``to_resident`` from staff, ``from_resident`` back."""

    created_at: datetime
    direction: str
    text: str | None
    delivery: str


@dataclass
class SubmissionData:
    reference: str
    status: str
    unit: str | None
    incident_ref: str | None
    created_at: datetime
    contact_requested: bool
    messages: list[MessageData]
    ratings: dict[str, int]
    officer: str | None = None
    case_status: str | None = None  # open | acknowledged | resolved; None: no follow-up case
    sensitive: bool = False
    relays: list[RelayData] = field(default_factory=list)


@dataclass(frozen=True)
class Outlook:
    """What the bot may truthfully tell a resident right after they submit."""

    unit: str | None
    officer: str | None
    negative: bool  # low rating, a trigger topic or a misconduct cue (the model scores later)
    sensitive: bool  # routed to a supervisor, never the officer concerned


# --- residents -------------------------------------------------------------------------------


def find_resident(session: Session, pseudonym: str) -> Resident | None:
    return session.exec(select(Resident).where(Resident.pseudonym == pseudonym)).first()


def record_consent(session: Session, pseudonym: str, language: str) -> Resident:
    resident = find_resident(session, pseudonym)
    now = utcnow()
    if resident is None:
        resident = Resident(pseudonym=pseudonym, language=language, consented_at=now)
        session.add(resident)
    else:
        resident.consented_at = resident.consented_at or now
        resident.last_seen_at = now
    session.flush()
    return resident


def set_language(session: Session, pseudonym: str, language: str) -> None:
    resident = find_resident(session, pseudonym)
    if resident is not None:
        resident.language = language


def set_contact(session: Session, resident_id: int, chat_id: int) -> None:
    contact = session.get(ResidentContact, resident_id)
    if contact is None:
        session.add(ResidentContact(resident_id=resident_id, chat_id=chat_id))
    else:
        contact.chat_id, contact.blocked_at = chat_id, None


def set_contact_choice(session: Session, resident_id: int, reference: str, wants: bool, chat_id: int) -> bool:
    """The resident's answer to "may we contact you?" about one of their submissions."""
    sub = session.exec(select(Submission).where(Submission.reference == reference)).first()
    if sub is None or sub.resident_id != resident_id:
        return False  # another resident's (or a forged) button: never act on it
    sub.contact_requested = wants
    if wants:
        set_contact(session, resident_id, chat_id)
    return True


# --- submissions -----------------------------------------------------------------------------


def new_reference(session: Session) -> str:
    for length in (4, 4, 4, 5, 5, 6):
        ref = "TL-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))
        if session.exec(select(Submission.id).where(Submission.reference == ref)).first() is None:
            return ref
    raise RuntimeError("could not find a free reference")  # pragma: no cover - 32^6 space


def open_submission(
    session: Session,
    resident_id: int,
    *,
    unit_id: int | None,
    officer_id: int | None = None,
    token: str | None = None,
    language: str = "en",
) -> Submission:
    """Start a submission, closing any earlier unfinished one of the same resident."""
    close_open_submissions(session, resident_id)
    sub = Submission(
        reference=new_reference(session),
        resident_id=resident_id,
        unit_id=unit_id,
        officer_id=officer_id,
        token=token,
        channel="deeplink" if token else "direct",
        language=language,
    )
    session.add(sub)
    session.flush()
    return sub


def current_submission(session: Session, resident_id: int) -> Submission | None:
    return session.exec(
        select(Submission)
        .where(Submission.resident_id == resident_id, Submission.status == "open")
        .order_by(Submission.id.desc())  # type: ignore[union-attr]
    ).first()


def get_submission(session: Session, submission_id: int) -> Submission | None:
    return session.get(Submission, submission_id)


def latest_submitted(session: Session, resident_id: int, within: timedelta) -> Submission | None:
    """The resident's most recent report if it was submitted within ``within`` (ratings after a restart)."""
    return session.exec(
        select(Submission)
        .where(
            Submission.resident_id == resident_id,
            Submission.status == "submitted",
            Submission.submitted_at >= utcnow() - within,  # type: ignore[operator]
        )
        .order_by(Submission.id.desc())  # type: ignore[union-attr]
    ).first()


def submission_id_of(session: Session, reference: str) -> int | None:
    return session.exec(select(Submission.id).where(Submission.reference == reference)).first()


def update_submission(session: Session, submission_id: int, **values: object) -> Submission:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise LookupError(f"submission {submission_id} not found")
    for key, value in values.items():
        setattr(sub, key, value)
    session.flush()
    return sub


def submit(session: Session, submission_id: int) -> Submission:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise LookupError(f"submission {submission_id} not found")
    if sub.status != "submitted":
        sub.status, sub.submitted_at = "submitted", utcnow()
    session.flush()
    return sub


def close_open_submissions(session: Session, resident_id: int) -> None:
    """Unfinished submissions with messages are kept and submitted; empty ones are dropped."""
    for sub in session.exec(
        select(Submission).where(Submission.resident_id == resident_id, Submission.status == "open")
    ).all():
        if message_count(session, sub.id) or _rating_count(session, sub.id):  # type: ignore[arg-type]
            sub.status, sub.submitted_at = "submitted", utcnow()
        else:
            session.delete(sub)
    session.flush()


def close_idle_submissions(session: Session, idle: timedelta) -> int:
    """Submit open submissions nobody touched for ``idle`` (the resident walked away)."""
    cutoff = utcnow() - idle
    closed = 0
    for sub in session.exec(select(Submission).where(Submission.status == "open")).all():
        last = session.exec(
            select(func.max(FeedbackMessage.received_at)).where(FeedbackMessage.submission_id == sub.id)
        ).one()
        if as_utc(last or sub.created_at) < cutoff:
            close_open_submissions(session, sub.resident_id)
            closed += 1
    return closed



def message_count(session: Session, submission_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(FeedbackMessage).where(FeedbackMessage.submission_id == submission_id)
    ).one()


def _rating_count(session: Session, submission_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Rating).where(Rating.submission_id == submission_id)
    ).one()


def messages_in_window(session: Session, resident_id: int, since: datetime) -> int:
    return session.exec(
        select(func.count())
        .select_from(FeedbackMessage)
        .where(FeedbackMessage.resident_id == resident_id, FeedbackMessage.received_at >= since)
    ).one()


# --- messages and ratings --------------------------------------------------------------------


def store_message(
    session: Session,
    submission: Submission,
    *,
    telegram_message_id: int,
    text: str,
    redacted_text: str,
    topics: list[str],
    flags: list[str],
    received_at: datetime | None = None,
) -> StoredMessage:
    """Insert one feedback message; a redelivered update returns the existing row instead."""
    existing = _find_message(session, submission.resident_id, telegram_message_id)
    if existing is not None:
        return StoredMessage(existing.id, created=False)  # type: ignore[arg-type]
    row = FeedbackMessage(
        submission_id=submission.id,  # type: ignore[arg-type]
        resident_id=submission.resident_id,
        telegram_message_id=telegram_message_id,
        unit_id=submission.unit_id,
        officer_id=submission.officer_id,
        language=submission.language,
        text=text,
        redacted_text=redacted_text,
        topics=topics,
        flags=flags,
        received_at=received_at or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # Two deliveries raced past the lookup; the other one won, which is what we want.
        existing = _find_message(session, submission.resident_id, telegram_message_id)
        assert existing is not None
        return StoredMessage(existing.id, created=False)  # type: ignore[arg-type]
    return StoredMessage(row.id, created=True)  # type: ignore[arg-type]


def _find_message(session: Session, resident_id: int, telegram_message_id: int) -> FeedbackMessage | None:
    return session.exec(
        select(FeedbackMessage).where(
            FeedbackMessage.resident_id == resident_id,
            FeedbackMessage.telegram_message_id == telegram_message_id,
        )
    ).first()


@dataclass(frozen=True)
class Edit:
    """What became of a resident's edit: ``status`` 'edited', 'unknown' (we never stored it) or
    'closed' (already submitted: kept as sent); for a known message, its id and what it said
    before, as flags and as the alerts already raised (so danger is not announced twice)."""

    status: str
    message_id: int | None = None
    known_kinds: frozenset[str] = frozenset()


def edit_message(
    session: Session,
    resident_id: int,
    telegram_message_id: int,
    *,
    text: str,
    redacted_text: str,
    topics: list[str],
    flags: list[str],
) -> Edit:
    """Apply a resident's edit while their submission is still open."""
    row = _find_message(session, resident_id, telegram_message_id)
    if row is None:
        return Edit("unknown")
    alerted = set(session.exec(select(Alert.kind).where(Alert.message_id == row.id)).all())
    known = frozenset({*row.flags, *alerted})
    sub = session.get(Submission, row.submission_id)
    if sub is None or sub.status != "open":
        return Edit("closed", row.id, known)
    # An edit re-decides what the text says, not what the resident was already told.
    kept = [f for f in row.flags if f in KEEP_ON_EDIT and f not in flags]
    row.text, row.redacted_text, row.topics, row.flags = text, redacted_text, topics, [*flags, *kept]
    row.edited_at = utcnow()
    row.score_status, row.score, row.score_label, row.scored_revision = "pending", None, None, None
    session.flush()
    return Edit("edited", row.id, known)


def set_rating(session: Session, submission: Submission, item: str, value: int) -> None:
    if item not in RATING_ITEMS:
        raise ValueError(f"unknown rating item {item!r}")
    if not 0 <= value <= 10:
        raise ValueError("ratings are 0 to 10")
    row = session.exec(
        select(Rating).where(Rating.submission_id == submission.id, Rating.item == item)
    ).first()
    if row is None:
        session.add(
            Rating(submission_id=submission.id, resident_id=submission.resident_id, item=item, value=value)  # type: ignore[arg-type]
        )
    else:
        row.value = value
    session.flush()
    rollups.apply_ratings(session, submission.id)  # type: ignore[arg-type]  # keep the Trust Index current


# --- /mydata and /forget ---------------------------------------------------------------------


def resident_data(session: Session, pseudonym: str) -> ResidentData | None:
    resident = find_resident(session, pseudonym)
    if resident is None:
        return None
    contact = session.get(ResidentContact, resident.id)
    data = ResidentData(
        pseudonym=resident.pseudonym,
        language=resident.language,
        consented_at=resident.consented_at,
        has_contact=contact is not None,
        contact_blocked=contact is not None and contact.blocked_at is not None,
    )
    subs = session.exec(
        select(Submission).where(Submission.resident_id == resident.id).order_by(Submission.id)  # type: ignore[arg-type]
    ).all()
    for sub in subs:
        unit = session.get(Unit, sub.unit_id) if sub.unit_id else None
        officer = session.get(Staff, sub.officer_id) if sub.officer_id else None
        msgs = session.exec(
            select(FeedbackMessage)
            .where(FeedbackMessage.submission_id == sub.id)
            .order_by(FeedbackMessage.id)  # type: ignore[arg-type]
        ).all()
        ratings = session.exec(select(Rating).where(Rating.submission_id == sub.id)).all()
        case = session.exec(select(FollowupCase).where(FollowupCase.submission_id == sub.id)).first()
        data.submissions.append(
            SubmissionData(
                reference=sub.reference,
                status=sub.status,
                unit=unit.name if unit else None,
                incident_ref=sub.incident_ref,
                created_at=sub.created_at,
                contact_requested=sub.contact_requested,
                messages=[
                    MessageData(m.received_at, m.text if m.text is not None else m.redacted_text, m.score, list(m.topics))
                    for m in msgs
                ],
                ratings={r.item: r.value for r in ratings},
                officer=officer.display_name if officer else None,
                case_status=case.status if case else None,
                sensitive=bool(case.sensitive) if case else False,
                relays=_relays(session, case.id) if case and case.id is not None else [],
            )
        )
    return data


def _relays(session: Session, case_id: int) -> list[RelayData]:
    notes = session.exec(
        select(CaseNote)
        .where(CaseNote.case_id == case_id, CaseNote.kind.in_(("to_resident", "from_resident")))  # type: ignore[attr-defined]
        .order_by(CaseNote.id)  # type: ignore[arg-type]
    ).all()
    return [RelayData(n.created_at, n.kind, n.text, n.delivery) for n in notes]


def submission_outlook(session: Session, submission_id: int, rules: cases.FollowupRules) -> Outlook:
    """Read right after submitting, before the model has scored anything: the rules' signals."""
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise LookupError(f"submission {submission_id} not found")
    msgs = session.exec(select(FeedbackMessage).where(FeedbackMessage.submission_id == submission_id)).all()
    topics = {t for m in msgs for t in m.topics}
    flags = {f for m in msgs for f in m.flags}
    low = min((r.value for r in session.exec(select(Rating).where(Rating.submission_id == submission_id)).all()), default=None)
    sensitive = bool(topics & set(rules.sensitive_topics) or flags & cases.SENSITIVE_FLAGS)
    negative = sensitive or bool(topics & set(rules.trigger_topics)) or (low is not None and low <= rules.negative_rating_threshold)
    unit = session.get(Unit, sub.unit_id) if sub.unit_id else None
    officer = session.get(Staff, sub.officer_id) if sub.officer_id else None
    return Outlook(unit.name if unit else None, officer.display_name if officer else None, negative, sensitive)


def forget_resident(session: Session, pseudonym: str, conversation_keys: list[str] | None = None) -> bool:
    """Erase everything tied to a resident: text, ratings, scores, contact link, the pseudonym row."""
    resident = find_resident(session, pseudonym)
    if conversation_keys:
        session.exec(delete(ConversationState).where(ConversationState.key.in_(conversation_keys)))  # type: ignore[call-overload,attr-defined]
    if resident is None:
        return False
    rid = resident.id
    # Lock the resident's messages first (PostgreSQL; a no-op on SQLite) so a scoring worker that
    # is writing one of them finishes before we delete, instead of failing on a foreign key.
    session.exec(select(FeedbackMessage.id).where(FeedbackMessage.resident_id == rid).with_for_update()).all()
    rollups.forget_resident(session, rid)  # type: ignore[arg-type]  # drop them from unpublished weeks
    cases.forget_resident_cases(session, rid)  # type: ignore[arg-type]  # unlink their follow-up cases, keep the redacted record
    message_ids = select(FeedbackMessage.id).where(FeedbackMessage.resident_id == rid)
    session.exec(update(Alert).where(Alert.message_id.in_(message_ids)).values(message_id=None))  # type: ignore[call-overload,union-attr]
    session.exec(delete(MessageScore).where(MessageScore.message_id.in_(message_ids)))  # type: ignore[call-overload,attr-defined]
    session.exec(delete(FeedbackMessage).where(FeedbackMessage.resident_id == rid))  # type: ignore[call-overload]
    session.exec(delete(Rating).where(Rating.resident_id == rid))  # type: ignore[call-overload]
    session.exec(delete(Submission).where(Submission.resident_id == rid))  # type: ignore[call-overload]
    session.exec(delete(ResidentContact).where(ResidentContact.resident_id == rid))  # type: ignore[call-overload]
    session.delete(resident)
    session.flush()
    return True


def purge_expired_text(session: Session, retention: timedelta) -> int:
    """Drop original text past retention; the redacted copy and the scores stay."""
    cutoff = utcnow() - retention
    result = session.exec(  # type: ignore[call-overload]
        update(FeedbackMessage)
        .where(FeedbackMessage.received_at < cutoff, FeedbackMessage.text.is_not(None))  # type: ignore[union-attr]
        .values(text=None, text_purged_at=utcnow())
    )
    return int(result.rowcount or 0)
