"""Follow-up cases: opening them from negative feedback, routing, staff actions, the relay outbox,
reminders and escalations, kudos, /forget, and figures for digests.

Every function takes an open session and leaves committing to the caller (``Database.run``).
Authorisation is the caller's job (``services.access``); these functions trust their ``Actor`` and
write every change to the append-only audit log. Nothing here returns or stores a resident's
Telegram id, name or chat id, except ``resident_contact`` which the bot uses to write to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.identity import short_pseudonym
from storage.models import (
    FeedbackMessage,
    Rating,
    Resident,
    ResidentContact,
    Staff,
    Submission,
    Unit,
    utcnow,
)
from storage.models_cases import (
    CASE_ACKNOWLEDGED,
    CASE_OPEN,
    CASE_RESOLVED,
    AuditEntry,
    CaseNote,
    FollowupCase,
    KudosItem,
    PendingInput,
    append_audit,
)
from storage.staff import ROLE_RANK, chats_for_unit, is_reachable
from storage.types import as_utc

SENSITIVE_FLAGS = frozenset({"misconduct"})
DONE_SCORING = ("scored", "failed")  # a message that failed scoring for good must not block its case
MAX_RELAY_ATTEMPTS = 5


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


# --- opening cases ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    case_id: int | None  # the submission's case, new or existing
    created: bool
    waiting: bool = False  # not all messages scored yet, no trigger topic: evaluate again later
    kudos: int = 0


def evaluate_submission(session: Session, submission_id: int, rules: FollowupRules) -> Evaluation:
    """Open the follow-up case a submitted, negative submission about an officer/unit deserves.

    Idempotent (one case per submission, backed by a unique constraint), so both the
    "submitted" hook and the "scored" hook can call it in any order, as often as they like.
    """
    sub = session.get(Submission, submission_id)
    if sub is None or sub.status != "submitted":
        return Evaluation(None, False)
    kudos = queue_kudos(session, submission_id, rules)
    existing = session.exec(select(FollowupCase.id).where(FollowupCase.submission_id == submission_id)).first()
    if existing is not None:
        return Evaluation(existing, False, kudos=kudos)
    unit_id = sub.unit_id
    officer = session.get(Staff, sub.officer_id) if sub.officer_id else None
    if unit_id is None and officer is not None:
        unit_id = officer.unit_id
    if unit_id is None and officer is None:
        return Evaluation(None, False, kudos=kudos)  # not linked to anyone who could follow it up
    messages = _messages(session, submission_id)
    ratings = session.exec(select(Rating).where(Rating.submission_id == submission_id)).all()
    topics = sorted({t for m in messages for t in m.topics})
    flags = {f for m in messages for f in m.flags}
    triggers = sorted((set(topics) & set(rules.trigger_topics)) | (flags & SENSITIVE_FLAGS))
    if not triggers and any(m.score_status not in DONE_SCORING for m in messages):
        return Evaluation(None, False, waiting=True, kudos=kudos)
    scores = [m.score for m in messages if m.score is not None]
    min_score = min(scores) if scores else None
    min_rating = min((r.value for r in ratings), default=None)
    reasons = []
    if min_score is not None and min_score <= rules.negative_score_threshold:
        reasons.append("score")
    if min_rating is not None and min_rating <= rules.negative_rating_threshold:
        reasons.append("rating")
    if triggers:
        reasons.append("topic")
    if not reasons:
        return Evaluation(None, False, kudos=kudos)
    sensitive = bool((set(topics) & set(rules.sensitive_topics)) | (flags & SENSITIVE_FLAGS))
    assignee = route_initial(session, unit_id, officer.id if officer else None, sensitive)
    now = utcnow()
    case = FollowupCase(
        submission_id=submission_id,
        reference=sub.reference,
        unit_id=unit_id,
        officer_id=officer.id if officer else None,
        assignee_id=assignee.id if assignee else None,
        sensitive=sensitive,
        reasons=reasons,
        topics=sorted(set(topics) | set(triggers)),
        min_score=min_score,
        min_rating=min_rating,
        opened_at=now,
        assigned_at=now,
    )
    try:
        with session.begin_nested():
            session.add(case)
    except IntegrityError:
        # The other hook opened it at the same moment: theirs is the one case.
        existing = session.exec(select(FollowupCase.id).where(FollowupCase.submission_id == submission_id)).first()
        return Evaluation(existing, False, kudos=kudos)
    who = f"assigned to staff #{assignee.id} ({assignee.role})" if assignee else "nobody to assign it to"
    _audit(session, Actor.system(), "case_opened", case.id, f"{', '.join(reasons)}{' · sensitive' if sensitive else ''}; {who}")
    return Evaluation(case.id, True, kudos=kudos)


def submissions_of_messages(session: Session, message_ids: Sequence[int]) -> list[int]:
    if not message_ids:
        return []
    rows = session.exec(
        select(FeedbackMessage.submission_id).where(FeedbackMessage.id.in_(list(message_ids))).distinct()  # type: ignore[union-attr]
    ).all()
    return sorted(set(rows))


def _messages(session: Session, submission_id: int) -> list[FeedbackMessage]:
    return list(
        session.exec(
            select(FeedbackMessage).where(FeedbackMessage.submission_id == submission_id).order_by(FeedbackMessage.id)  # type: ignore[arg-type]
        ).all()
    )


# --- routing ---------------------------------------------------------------------------------


def _rank(staff: Staff | None) -> int:
    return ROLE_RANK.get(staff.role, 0) if staff else 0


def _open_load(session: Session, staff_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(FollowupCase).where(
            FollowupCase.assignee_id == staff_id, FollowupCase.status != CASE_RESOLVED
        )
    ).one()


def _level_candidates(session: Session, level: int, unit: Unit | None) -> list[Staff]:
    query = select(Staff).where(
        Staff.active == True, Staff.revoked_at.is_(None), Staff.chat_id.is_not(None)  # type: ignore[union-attr]  # noqa: E712
    )
    if level == 2:
        if unit is None:
            return []
        query = query.where(Staff.role == "supervisor", Staff.unit_id == unit.id)
    elif level == 3:
        if unit is None:
            return []
        query = query.where(Staff.role == "commander", Staff.district == unit.district)
    else:
        query = query.where(
            ((Staff.role == "commander") & Staff.district.is_(None)) | (Staff.role == "admin")  # type: ignore[union-attr]
        )
    return list(session.exec(query.order_by(Staff.id)).all())  # type: ignore[arg-type]


def first_above(session: Session, unit_id: int | None, from_rank: int, exclude: Iterable[int | None]) -> Staff | None:
    """The least loaded reachable person at the lowest level above ``from_rank`` in the unit's line."""
    unit = session.get(Unit, unit_id) if unit_id else None
    skip = {e for e in exclude if e is not None}
    for level in (2, 3, 4):
        if level <= from_rank:
            continue
        people = [s for s in _level_candidates(session, level, unit) if s.id not in skip]
        if people:
            return min(people, key=lambda s: (_open_load(session, s.id), s.id))  # type: ignore[arg-type]
    return None


def route_initial(session: Session, unit_id: int | None, officer_id: int | None, sensitive: bool) -> Staff | None:
    """The officer concerned, or the unit's supervisor when no officer is known, they cannot be
    reached, or the topic is sensitive (then never the officer concerned)."""
    officer = session.get(Staff, officer_id) if officer_id else None
    if not sensitive and is_reachable(officer):
        return officer
    return first_above(session, unit_id, 1, exclude=[officer_id])


def escalation_target(session: Session, case: FollowupCase) -> Staff | None:
    current = session.get(Staff, case.assignee_id) if case.assignee_id else None
    return first_above(session, case.unit_id, max(_rank(current), 1), exclude=[case.officer_id, case.assignee_id])


def reassign_candidates(session: Session, case: FollowupCase, *, exclude: Iterable[int | None] = ()) -> list[Staff]:
    """Colleagues in the case's unit who could take it over (never the officer concerned by a
    sensitive case, never the current assignee)."""
    if case.unit_id is None:
        return []
    skip = {e for e in exclude if e is not None} | {case.assignee_id}
    if case.sensitive:
        skip.add(case.officer_id)
    people = session.exec(
        select(Staff).where(
            Staff.unit_id == case.unit_id,
            Staff.active == True,  # noqa: E712
            Staff.revoked_at.is_(None),  # type: ignore[union-attr]
            Staff.chat_id.is_not(None),  # type: ignore[union-attr]
        ).order_by(Staff.role.desc(), Staff.display_name)  # type: ignore[attr-defined]
    ).all()
    return [s for s in people if s.id not in skip]


def _assign(session: Session, case: FollowupCase, staff: Staff | None) -> None:
    case.assignee_id = staff.id if staff else None
    now = utcnow()
    case.assigned_at, case.notified_at, case.reminded_at = now, None, None
    if case.status == CASE_ACKNOWLEDGED:
        case.status, case.acknowledged_at = CASE_OPEN, None  # the new assignee acknowledges anew
    session.exec(update(PendingInput).where(PendingInput.case_id == case.id).values(expires_at=now))  # type: ignore[call-overload]


def reroute_cases_of(session: Session, staff_id: int, still_allowed: Any = None) -> list[int]:
    """Hand on the open cases of someone revoked or moved (``still_allowed(case) -> bool`` keeps
    the cases they may still handle). The scan job notifies the new assignees."""
    moved = []
    cases = session.exec(
        select(FollowupCase).where(FollowupCase.assignee_id == staff_id, FollowupCase.status != CASE_RESOLVED)
    ).all()
    for case in cases:
        if still_allowed is not None and still_allowed(case):
            continue
        # The next person in line: a peer at the same level or someone above (never the officer
        # concerned by a sensitive case); failing that, the case is routed as if new.
        leaving = session.get(Staff, staff_id)
        target = first_above(session, case.unit_id, max(_rank(leaving) - 1, 1), exclude=[staff_id, case.officer_id if case.sensitive else None])
        if target is None:
            target = route_initial(session, case.unit_id, case.officer_id, case.sensitive)
            target = None if target is not None and target.id == staff_id else target
        _assign(session, case, target)
        _audit(session, Actor(None, "cli"), "rerouted", case.id,
               f"from staff #{staff_id} to {'staff #' + str(target.id) if target else 'nobody'}")
        moved.append(case.id)  # type: ignore[arg-type]
    session.flush()
    return moved


# --- lookups for staff-facing views ----------------------------------------------------------


def find_case(session: Session, ref: str) -> FollowupCase | None:
    """By reference ('TL-ABCD', any case) or number ('#12' / '12')."""
    ref = ref.strip()
    number = ref.lstrip("#")
    if number.isdigit():
        return session.get(FollowupCase, int(number))
    return session.exec(select(FollowupCase).where(func.upper(FollowupCase.reference) == ref.upper())).first()


@dataclass(frozen=True)
class MessageView:
    received_at: datetime
    redacted_text: str
    score: float | None
    score_status: str
    topics: list[str]


@dataclass(frozen=True)
class NoteView:
    kind: str
    author: str | None
    text: str | None
    created_at: datetime
    delivery: str
    erased: bool


@dataclass
class CaseView:
    """Everything a prompt shows, and nothing that identifies the resident."""

    id: int
    reference: str
    status: str
    sensitive: bool
    reasons: list[str]
    topics: list[str]
    min_score: float | None
    min_rating: int | None
    unit_id: int | None
    unit_code: str | None
    unit_name: str | None
    unit_district: str | None
    officer_id: int | None
    officer_name: str | None
    assignee_id: int | None
    assignee_name: str | None
    assignee_role: str | None
    received_at: datetime
    resident: str | None  # short pseudonym, e.g. R-3f9a1c
    contact_requested: bool
    can_reply: bool
    resident_erased: bool
    escalations: int
    helpful: bool | None
    messages: list[MessageView] = field(default_factory=list)
    ratings: dict[str, int] = field(default_factory=dict)
    notes: list[NoteView] = field(default_factory=list)


def case_view(session: Session, case_id: int) -> CaseView | None:
    case = session.get(FollowupCase, case_id)
    if case is None:
        return None
    sub = session.get(Submission, case.submission_id) if case.submission_id else None
    unit = session.get(Unit, case.unit_id) if case.unit_id else None
    officer = session.get(Staff, case.officer_id) if case.officer_id else None
    assignee = session.get(Staff, case.assignee_id) if case.assignee_id else None
    resident = session.get(Resident, sub.resident_id) if sub else None
    view = CaseView(
        id=case.id,  # type: ignore[arg-type]
        reference=case.reference,
        status=case.status,
        sensitive=case.sensitive,
        reasons=list(case.reasons),
        topics=list(case.topics),
        min_score=case.min_score,
        min_rating=case.min_rating,
        unit_id=case.unit_id,
        unit_code=unit.code if unit else None,
        unit_name=unit.name if unit else None,
        unit_district=unit.district if unit else None,
        officer_id=case.officer_id,
        officer_name=officer.display_name if officer else None,
        assignee_id=case.assignee_id,
        assignee_name=assignee.display_name if assignee else None,
        assignee_role=assignee.role if assignee else None,
        received_at=as_utc(sub.submitted_at or sub.created_at) if sub else as_utc(case.opened_at),
        resident=short_pseudonym(resident.pseudonym) if resident else None,
        contact_requested=bool(sub and sub.contact_requested),
        can_reply=resident_contact(session, case.id) is not None,  # type: ignore[arg-type]
        resident_erased=case.resident_erased_at is not None,
        escalations=case.escalations,
        helpful=case.helpful,
    )
    if sub is not None:
        view.messages = [
            MessageView(as_utc(m.received_at), m.redacted_text, m.score, m.score_status, list(m.topics))
            for m in _messages(session, sub.id)  # type: ignore[arg-type]
        ]
        view.ratings = {r.item: r.value for r in session.exec(select(Rating).where(Rating.submission_id == sub.id)).all()}
    names: dict[int | None, str] = {}
    for note in session.exec(select(CaseNote).where(CaseNote.case_id == case_id).order_by(CaseNote.id)).all():  # type: ignore[arg-type]
        if note.author_id not in names and note.author_id is not None:
            author = session.get(Staff, note.author_id)
            names[note.author_id] = author.display_name if author else "?"
        view.notes.append(
            NoteView(note.kind, names.get(note.author_id), note.text, as_utc(note.created_at), note.delivery, note.erased_at is not None)
        )
    return view


def open_cases(session: Session, *, assignee_id: int | None = None, unit_ids: Iterable[int] | None = None, limit: int = 30) -> list[FollowupCase]:
    query = select(FollowupCase).where(FollowupCase.status != CASE_RESOLVED)
    if assignee_id is not None:
        query = query.where(FollowupCase.assignee_id == assignee_id)
    if unit_ids is not None:
        query = query.where(FollowupCase.unit_id.in_(list(unit_ids)))  # type: ignore[union-attr]
    return list(session.exec(query.order_by(FollowupCase.id).limit(limit)).all())  # type: ignore[arg-type]


# --- staff actions ---------------------------------------------------------------------------


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


def _not_resolved(case: FollowupCase) -> None:
    if case.status == CASE_RESOLVED:
        raise CaseActionError("already_resolved")


def acknowledge(session: Session, case_id: int, actor: Actor) -> FollowupCase:
    case = _case(session, case_id)
    _not_resolved(case)
    if case.status == CASE_ACKNOWLEDGED:
        raise CaseActionError("already_acknowledged")
    case.status, case.acknowledged_at = CASE_ACKNOWLEDGED, utcnow()
    _audit(session, actor, "acknowledged", case_id)
    session.flush()
    return case


def _note(session: Session, case_id: int, kind: str, author: int | None, text: str | None, delivery: str = "none") -> CaseNote:
    note = CaseNote(case_id=case_id, kind=kind, author_id=author, text=text, delivery=delivery)
    session.add(note)
    session.flush()
    return note


def add_reply(session: Session, case_id: int, actor: Actor, text: str) -> int:
    """Queue a staff reply for the resident (relayed by the bot); returns the note id."""
    case = _case(session, case_id)  # replies stay possible after resolution (the resident may answer the status)
    if resident_contact(session, case_id) is None:
        raise CaseActionError("no_contact")
    note = _note(session, case_id, "to_resident", actor.staff_id, text.strip()[:3000], delivery="pending")
    if case.status == CASE_OPEN:
        case.status, case.acknowledged_at = CASE_ACKNOWLEDGED, utcnow()  # replying is acknowledging
    _audit(session, actor, "reply_queued", case_id, f"note #{note.id}, {len(note.text or '')} characters")
    return note.id  # type: ignore[return-value]


def resolve(session: Session, case_id: int, actor: Actor, note: str) -> FollowupCase:
    case = _case(session, case_id)
    _not_resolved(case)
    now = utcnow()
    _note(session, case_id, "note", actor.staff_id, note.strip()[:1000])
    case.status, case.resolved_at = CASE_RESOLVED, now
    case.acknowledged_at = case.acknowledged_at or now
    session.exec(update(PendingInput).where(PendingInput.case_id == case_id).values(expires_at=now))  # type: ignore[call-overload]
    _audit(session, actor, "resolved", case_id, note.strip()[:300])
    session.flush()
    return case


def reassign(session: Session, case_id: int, actor: Actor, target_id: int, note: str) -> Staff:
    case = _case(session, case_id)
    _not_resolved(case)
    allowed = {s.id for s in reassign_candidates(session, case, exclude=[actor.staff_id])}
    target = session.get(Staff, target_id)
    if target is None or target_id not in allowed:
        raise CaseActionError("bad_target")
    previous = case.assignee_id
    _note(session, case_id, "handover", actor.staff_id, note.strip()[:1000])
    _assign(session, case, target)
    _audit(session, actor, "reassigned", case_id, f"from staff #{previous} to staff #{target_id}: {note.strip()[:250]}")
    session.flush()
    return target


def escalate(session: Session, case_id: int, actor: Actor, *, reason: str = "manual") -> Staff:
    case = _case(session, case_id)
    _not_resolved(case)
    target = escalation_target(session, case)
    if target is None:
        raise CaseActionError("nobody_above")
    previous = case.assignee_id
    _assign(session, case, target)
    case.escalations += 1
    _audit(session, actor, "escalated", case_id, f"{reason}: from staff #{previous} to staff #{target.id} ({target.role})")
    session.flush()
    return target


# --- pending staff inputs --------------------------------------------------------------------


def set_pending(session: Session, staff_id: int, case_id: int, kind: str, ttl: timedelta, target_staff_id: int | None = None) -> None:
    row = session.get(PendingInput, staff_id)
    now = utcnow()
    if row is None:
        row = PendingInput(staff_id=staff_id, case_id=case_id, kind=kind, expires_at=now + ttl)
        session.add(row)
    row.case_id, row.kind, row.target_staff_id, row.created_at, row.expires_at = case_id, kind, target_staff_id, now, now + ttl
    session.flush()


def take_pending(session: Session, staff_id: int) -> PendingInput | None:
    """The staff member's open question, consumed; None when there is none or it expired."""
    row = session.get(PendingInput, staff_id)
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row if as_utc(row.expires_at) > utcnow() else None


def has_pending(session: Session, staff_id: int) -> bool:
    row = session.get(PendingInput, staff_id)
    return row is not None and as_utc(row.expires_at) > utcnow()


def clear_pending(session: Session, staff_id: int) -> bool:
    row = session.get(PendingInput, staff_id)
    if row is None:
        return False
    live = as_utc(row.expires_at) > utcnow()
    session.delete(row)
    return live


# --- the resident side -----------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentContactInfo:
    chat_id: int
    language: str
    resident_id: int


def resident_contact(session: Session, case_id: int) -> ResidentContactInfo | None:
    """How to write to the resident of a case, only if they asked to be contacted and have not
    blocked the bot or erased their data. For the bot's sending code only, never for display."""
    case = session.get(FollowupCase, case_id)
    if case is None or case.submission_id is None:
        return None
    sub = session.get(Submission, case.submission_id)
    if sub is None or not sub.contact_requested:
        return None
    contact = session.get(ResidentContact, sub.resident_id)
    if contact is None or contact.blocked_at is not None:
        return None
    resident = session.get(Resident, sub.resident_id)
    return ResidentContactInfo(contact.chat_id, resident.language if resident else sub.language, sub.resident_id)


def case_of_resident_reply(session: Session, resident_pseudonym: str, replied_message_id: int) -> int | None:
    """The case whose relayed message (id in the resident's chat) this resident replied to."""
    resident = session.exec(select(Resident).where(Resident.pseudonym == resident_pseudonym)).first()
    if resident is None:
        return None
    row = session.exec(
        select(CaseNote.case_id)
        .join(FollowupCase, FollowupCase.id == CaseNote.case_id)  # type: ignore[arg-type]
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(
            Submission.resident_id == resident.id,
            CaseNote.kind.in_(("to_resident", "status")),  # type: ignore[attr-defined]
            CaseNote.telegram_message_id == replied_message_id,
        )
    ).first()
    return row


def add_resident_answer(session: Session, case_id: int, redacted_text: str) -> int:
    """The resident's answer (already redacted), queued for the assignee."""
    _case(session, case_id)
    # After resolution it still reaches the last assignee (who may answer); the case stays closed.
    note = _note(session, case_id, "from_resident", None, redacted_text[:3000], delivery="pending")
    _audit(session, Actor(None, "resident"), "resident_answered", case_id, f"note #{note.id}")
    return note.id  # type: ignore[return-value]


def record_helpful(session: Session, case_id: int, resident_pseudonym: str, helpful: bool) -> str:
    """'ok', 'already' or 'not_yours' (someone else's or a forged button)."""
    case = session.get(FollowupCase, case_id)
    resident = session.exec(select(Resident).where(Resident.pseudonym == resident_pseudonym)).first()
    sub = session.get(Submission, case.submission_id) if case and case.submission_id else None
    if case is None or resident is None or sub is None or sub.resident_id != resident.id or case.status != CASE_RESOLVED:
        return "not_yours"
    if case.helpful is not None:
        return "already"
    case.helpful, case.helpful_at = helpful, utcnow()
    _audit(session, Actor(None, "resident"), "helpful_answered", case_id, "yes" if helpful else "no")
    return "ok"


# --- outbox: prompts to assignees, relayed messages, status messages --------------------------


def claim_unnotified(session: Session, case_ids: Iterable[int] | None = None) -> list[int]:
    """Cases whose current assignee has not been sent the prompt yet, claimed (so two senders
    never both send): the claim sets notified_at; ``release_notification`` undoes it on failure."""
    query = select(FollowupCase.id).where(
        FollowupCase.notified_at.is_(None), FollowupCase.assignee_id.is_not(None), FollowupCase.status != CASE_RESOLVED  # type: ignore[union-attr]
    )
    if case_ids is not None:
        query = query.where(FollowupCase.id.in_(list(case_ids)))  # type: ignore[union-attr]
    claimed = []
    now = utcnow()
    for case_id in session.exec(query.order_by(FollowupCase.id)).all():  # type: ignore[arg-type]
        result = session.exec(  # type: ignore[call-overload]
            update(FollowupCase).where(FollowupCase.id == case_id, FollowupCase.notified_at.is_(None)).values(notified_at=now)  # type: ignore[union-attr]
        )
        if result.rowcount:
            claimed.append(case_id)
    return claimed


def release_notification(session: Session, case_id: int) -> None:
    session.exec(update(FollowupCase).where(FollowupCase.id == case_id).values(notified_at=None))  # type: ignore[call-overload]


@dataclass(frozen=True)
class StaffTarget:
    staff_id: int
    chat_id: int
    name: str


def assignee_target(session: Session, case_id: int) -> StaffTarget | None:
    case = session.get(FollowupCase, case_id)
    staff = session.get(Staff, case.assignee_id) if case and case.assignee_id else None
    if staff is None or not is_reachable(staff):
        return None
    return StaffTarget(staff.id, staff.chat_id, staff.display_name)  # type: ignore[arg-type]


def note_system(session: Session, case_id: int, text: str, action: str | None = None) -> None:
    _note(session, case_id, "system", None, text[:1000])
    if action:
        _audit(session, Actor.system(), action, case_id, text[:300])


def claim_relays(session: Session, note_ids: Iterable[int] | None = None) -> list[int]:
    query = select(CaseNote.id).where(CaseNote.delivery == "pending")
    if note_ids is not None:
        query = query.where(CaseNote.id.in_(list(note_ids)))  # type: ignore[union-attr]
    claimed = []
    for note_id in session.exec(query.order_by(CaseNote.id)).all():  # type: ignore[arg-type]
        result = session.exec(  # type: ignore[call-overload]
            update(CaseNote).where(CaseNote.id == note_id, CaseNote.delivery == "pending").values(delivery="sending")
        )
        if result.rowcount:
            claimed.append(note_id)
    return claimed


@dataclass(frozen=True)
class Relay:
    note_id: int
    case_id: int
    reference: str
    kind: str  # to_resident | from_resident
    text: str
    chat_id: int | None  # None: nobody to deliver to (resident gone, case unassigned)
    language: str | None
    staff_id: int | None  # recipient, for from_resident


def relay(session: Session, note_id: int) -> Relay | None:
    note = session.get(CaseNote, note_id)
    if note is None:
        return None
    case = _case(session, note.case_id)
    if note.kind == "to_resident":
        contact = resident_contact(session, case.id)  # type: ignore[arg-type]
        return Relay(note.id, case.id, case.reference, note.kind, note.text or "",  # type: ignore[arg-type]
                     contact.chat_id if contact else None, contact.language if contact else None, None)
    target = assignee_target(session, case.id)  # type: ignore[arg-type]
    return Relay(note.id, case.id, case.reference, note.kind, note.text or "",  # type: ignore[arg-type]
                 target.chat_id if target else None, None, target.staff_id if target else None)


def finish_relay(session: Session, note_id: int, outcome: str, *, telegram_message_id: int | None = None, error: str | None = None) -> None:
    """outcome: sent | blocked | retry | failed. A resident who blocked the bot is remembered so
    nobody keeps writing to them; the message itself stays on the case."""
    note = session.get(CaseNote, note_id)
    if note is None:
        return
    note.attempts += 1
    if outcome == "sent":
        note.delivery, note.delivered_at, note.telegram_message_id, note.error = "sent", utcnow(), telegram_message_id, None
        case = session.get(FollowupCase, note.case_id)
        if case is not None and note.kind == "to_resident":
            case.responded_at = case.responded_at or utcnow()
            _audit(session, Actor(note.author_id, "staff" if note.author_id else "system"), "reply_delivered", case.id, f"note #{note.id}")
        return
    note.error = (error or outcome)[:300]
    if outcome == "retry" and note.attempts < MAX_RELAY_ATTEMPTS:
        note.delivery = "pending"
        return
    note.delivery = "blocked" if outcome == "blocked" else "failed"
    who = "the resident" if note.kind == "to_resident" else "the assignee"
    if outcome == "blocked" and note.kind == "to_resident":
        case = session.get(FollowupCase, note.case_id)
        sub = session.get(Submission, case.submission_id) if case and case.submission_id else None
        contact = session.get(ResidentContact, sub.resident_id) if sub else None
        if contact is not None:
            contact.blocked_at = utcnow()
    note_system(session, note.case_id, f"message #{note.id} not delivered: {who} {'blocked the bot' if outcome == 'blocked' else 'unreachable'}",
                action="delivery_failed")


def mark_contact_blocked_for_case(session: Session, case_id: int) -> None:
    contact = resident_contact(session, case_id)
    if contact is not None:
        row = session.get(ResidentContact, contact.resident_id)
        if row is not None:
            row.blocked_at = utcnow()


def set_relay_message_id(session: Session, note_id: int, telegram_message_id: int) -> None:
    note = session.get(CaseNote, note_id)
    if note is not None:
        note.telegram_message_id = telegram_message_id


def claim_status_messages(session: Session) -> list[int]:
    """Resolved cases whose resident asked to be contacted and has not had the status message."""
    ids = session.exec(
        select(FollowupCase.id)
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(
            FollowupCase.status == CASE_RESOLVED,
            FollowupCase.resident_notified_at.is_(None),  # type: ignore[union-attr]
            Submission.contact_requested == True,  # noqa: E712
        )
    ).all()
    claimed = []
    now = utcnow()
    for case_id in ids:
        result = session.exec(  # type: ignore[call-overload]
            update(FollowupCase).where(FollowupCase.id == case_id, FollowupCase.resident_notified_at.is_(None)).values(resident_notified_at=now)  # type: ignore[union-attr]
        )
        if result.rowcount:
            claimed.append(case_id)
    return claimed


def finish_status_message(session: Session, case_id: int, outcome: str, telegram_message_id: int | None = None) -> None:
    """outcome: sent | blocked | gone (nobody to write to) | retry."""
    case = session.get(FollowupCase, case_id)
    if case is None:
        return
    if outcome == "retry":
        case.resident_notified_at = None
        return
    if outcome == "sent":
        note = _note(session, case_id, "status", None, None, delivery="sent")
        note.telegram_message_id, note.delivered_at = telegram_message_id, utcnow()
        case.responded_at = case.responded_at or utcnow()  # hearing back counts as a response
        _audit(session, Actor.system(), "resident_told_resolved", case_id)
        return
    if outcome == "blocked":
        mark_contact_blocked_for_case(session, case_id)
    note_system(session, case_id, "status message not delivered: the resident " + ("blocked the bot" if outcome == "blocked" else "cannot be reached"),
                action="delivery_failed")


# --- reminders and escalations ---------------------------------------------------------------


@dataclass(frozen=True)
class DueAction:
    case_id: int
    action: str  # remind | escalate


def due_actions(session: Session, now: datetime, remind_after: timedelta, escalate_after: timedelta) -> list[DueAction]:
    """Unacknowledged cases past their reminder or escalation time (counted per assignment)."""
    due = []
    cases = session.exec(
        select(FollowupCase).where(FollowupCase.status == CASE_OPEN, FollowupCase.assignee_id.is_not(None))  # type: ignore[union-attr]
    ).all()
    for case in cases:
        age = now - as_utc(case.assigned_at)
        if age >= escalate_after:
            due.append(DueAction(case.id, "escalate"))  # type: ignore[arg-type]
        elif age >= remind_after and case.reminded_at is None:
            due.append(DueAction(case.id, "remind"))  # type: ignore[arg-type]
    return due


def claim_reminder(session: Session, case_id: int) -> bool:
    result = session.exec(  # type: ignore[call-overload]
        update(FollowupCase)
        .where(FollowupCase.id == case_id, FollowupCase.reminded_at.is_(None), FollowupCase.status == CASE_OPEN)  # type: ignore[union-attr]
        .values(reminded_at=utcnow())
    )
    if result.rowcount:
        _audit(session, Actor.system(), "reminded", case_id)
    return bool(result.rowcount)


def auto_escalate(session: Session, case_id: int, reason: str) -> Staff | None:
    """Escalate an ignored (or undeliverable) case; when nobody is above, restart the clock so the
    same case is not retried every minute, and say so on the case."""
    case = session.get(FollowupCase, case_id)
    if case is None or case.status == CASE_RESOLVED:
        return None
    try:
        return escalate(session, case_id, Actor.system(), reason=reason)
    except CaseActionError:
        case.assigned_at, case.reminded_at = utcnow(), utcnow()
        note_system(session, case_id, f"could not escalate ({reason}): nobody enrolled above the assignee", action="escalation_failed")
        return None


# --- kudos -----------------------------------------------------------------------------------


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


# --- /forget ---------------------------------------------------------------------------------


def forget_resident_cases(session: Session, resident_id: int) -> int:
    """Called by ``storage.feedback.forget_resident`` before the resident's rows go.

    Cuts each case's link to the submission (and so to the contact link), blanks the resident's
    relayed answers and drops their queued kudos; the case record stays for accountability:
    reference, unit, officer, scores summary, staff notes and replies, and the audit trail.
    """
    message_ids = select(FeedbackMessage.id).where(FeedbackMessage.resident_id == resident_id)
    session.exec(delete(KudosItem).where(KudosItem.message_id.in_(message_ids)))  # type: ignore[call-overload,union-attr]
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


# --- audit -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditRow:
    id: int
    created_at: datetime
    case_id: int | None
    case_reference: str | None
    actor: str
    actor_name: str | None
    action: str
    detail: str | None


def audit_rows(session: Session, *, case_id: int | None = None, since: datetime | None = None) -> list[AuditRow]:
    query = select(AuditEntry).order_by(AuditEntry.id)  # type: ignore[arg-type]
    if case_id is not None:
        query = query.where(AuditEntry.case_id == case_id)
    if since is not None:
        query = query.where(AuditEntry.created_at >= since)
    refs: dict[int, str] = {}
    names: dict[int, str] = {}
    rows = []
    for entry in session.exec(query).all():
        if entry.case_id is not None and entry.case_id not in refs:
            case = session.get(FollowupCase, entry.case_id)
            refs[entry.case_id] = case.reference if case else "?"
        if entry.actor_staff_id is not None and entry.actor_staff_id not in names:
            staff = session.get(Staff, entry.actor_staff_id)
            names[entry.actor_staff_id] = staff.display_name if staff else "?"
        rows.append(
            AuditRow(
                entry.id, as_utc(entry.created_at), entry.case_id,  # type: ignore[arg-type]
                refs.get(entry.case_id) if entry.case_id is not None else None,
                entry.actor, names.get(entry.actor_staff_id) if entry.actor_staff_id is not None else None,
                entry.action, entry.detail,
            )
        )
    return rows


def record_action(session: Session, actor: Actor, action: str, case_id: int | None, detail: str | None = None) -> None:
    _audit(session, actor, action, case_id, detail)


def audit_denied(session: Session, case_id: int | None, actor: Actor, action: str) -> None:
    """Refused attempts are recorded too (without any identifier of non-staff)."""
    if case_id is not None and session.get(FollowupCase, case_id) is None:
        case_id = None
    _audit(session, actor, "denied", case_id, action[:60])


# --- figures for digests ---------------------------------------------------------------------


@dataclass
class FollowupCounts:
    """Maps onto trust.model.FollowUpStats (requested, responded, rated, satisfied)."""

    requested: int = 0
    responded: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None


def followup_counts(session: Session, start: datetime, end: datetime) -> dict[str | None, FollowupCounts]:
    """Per unit code (key None: the whole agency), over cases opened in [start, end).

    requested: the resident asked to be contacted; responded: a reply or the closing status
    message was delivered to them; rated: they answered "did this help?"; satisfied: they said yes.
    """
    result: dict[str | None, FollowupCounts] = {None: FollowupCounts()}
    units = {u.id: u.code for u in session.exec(select(Unit)).all()}
    rows = session.exec(
        select(FollowupCase, Submission.contact_requested)
        .join(Submission, Submission.id == FollowupCase.submission_id)  # type: ignore[arg-type]
        .where(FollowupCase.opened_at >= start, FollowupCase.opened_at < end)
    ).all()
    for case, requested in rows:
        if not requested:
            continue
        keys: list[str | None] = [None]
        if case.unit_id in units:
            keys.append(units[case.unit_id])
        for key in keys:
            counts = result.setdefault(key, FollowupCounts())
            counts.requested += 1
            if case.responded_at is not None:
                counts.responded += 1
            if case.helpful is not None:
                counts.rated += 1
                counts.satisfied += int(case.helpful)
    return result


# --- safety nets for the bot's scan jobs -----------------------------------------------------


def recent_submissions_without_case(session: Session, since: datetime, limit: int = 500) -> list[int]:
    """Submitted, linked submissions with no case yet: re-evaluated periodically, so a missed hook
    (a crash between submit and evaluation, a message that failed scoring) never loses a case."""
    rows = session.exec(
        select(Submission.id)
        .outerjoin(FollowupCase, FollowupCase.submission_id == Submission.id)  # type: ignore[arg-type]
        .where(
            Submission.status == "submitted",
            Submission.submitted_at >= since,  # type: ignore[operator]
            (Submission.unit_id.is_not(None)) | (Submission.officer_id.is_not(None)),  # type: ignore[union-attr]
            FollowupCase.id.is_(None),  # type: ignore[union-attr]
        )
        .order_by(Submission.id)  # type: ignore[arg-type]
        .limit(limit)
    ).all()
    return list(rows)


@dataclass(frozen=True)
class UnassignedNotice:
    case_id: int
    reference: str
    unit: str
    chat_ids: list[int]


def claim_unassigned(session: Session) -> list[UnassignedNotice]:
    """Open cases nobody could be assigned to, claimed once: registered staff chats are told (the
    unit's own chat only when the case is not sensitive, since the officer concerned may be in it)."""
    notices = []
    now = utcnow()
    cases = session.exec(
        select(FollowupCase).where(
            FollowupCase.assignee_id.is_(None), FollowupCase.notified_at.is_(None), FollowupCase.status != CASE_RESOLVED  # type: ignore[union-attr]
        )
    ).all()
    for case in cases:
        case.notified_at = now
        unit = session.get(Unit, case.unit_id) if case.unit_id else None
        chats = chats_for_unit(session, case.unit_id, include_unit_chats=not case.sensitive)
        notices.append(UnassignedNotice(case.id, case.reference, unit.name if unit else "-", [c.chat_id for c in chats]))  # type: ignore[arg-type]
    session.flush()
    return notices


def case_reference(session: Session, case_id: int) -> str | None:
    case = session.get(FollowupCase, case_id)
    return case.reference if case else None


def case_by_submission_reference(session: Session, reference: str) -> int | None:
    return session.exec(select(FollowupCase.id).where(FollowupCase.reference == reference)).first()


def live_pending_of_user(session: Session, telegram_user_id: int) -> PendingInput | None:
    """The open question of an active staff member, by their Telegram id (None for residents)."""
    row = session.exec(
        select(PendingInput)
        .join(Staff, Staff.id == PendingInput.staff_id)  # type: ignore[arg-type]
        .where(Staff.telegram_user_id == telegram_user_id, Staff.active == True, Staff.revoked_at.is_(None))  # type: ignore[union-attr]  # noqa: E712
    ).first()
    if row is None:
        return None
    if as_utc(row.expires_at) <= utcnow():
        session.delete(row)
        return None
    return row


def followup_stats(session: Session, start: datetime, end: datetime) -> dict[Any, Any]:
    """``followup_counts`` as the digest wants it: ``{GroupKey: FollowUpStats}`` for the agency,
    each district and each unit (``trust.report.compute_report(follow_ups=...)``)."""
    from trust.model import FollowUpStats, GroupKey

    counts = followup_counts(session, start, end)
    districts = {u.code: u.district for u in session.exec(select(Unit)).all()}
    by_district: dict[str, FollowupCounts] = {}
    result: dict[Any, Any] = {}
    for key, value in counts.items():
        if key is None:
            result[GroupKey.agency()] = value
            continue
        result[GroupKey.unit(key)] = value
        total = by_district.setdefault(districts.get(key, ""), FollowupCounts())
        total.requested += value.requested
        total.responded += value.responded
        total.rated += value.rated
        total.satisfied += value.satisfied
    for district, value in by_district.items():
        if district:
            result[GroupKey.district(district)] = value
    return {
        key: FollowUpStats(requested=v.requested, responded=v.responded, rated=v.rated, satisfied=v.satisfied)
        for key, v in result.items()
    }
