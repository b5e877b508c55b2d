"""Lookups for staff-facing views: a case by reference or number, the redacted case view, lists."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, select

from storage.cases.base import _messages
from storage.cases.corrections import latest_corrections
from storage.cases.resident import resident_contact
from storage.identity import short_pseudonym
from storage.models import Rating, Resident, Staff, Submission, Unit
from storage.models_cases import CASE_RESOLVED, CaseNote, FollowupCase
from storage.types import as_utc


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
    # Staff corrections (the latest of each), shown beside the model's output: "corrected by staff".
    corrected_sentiment: str | None = None
    corrected_topics: list[str] | None = None


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
    reopen_reason: str | None = None  # why it came back: unhelpful | no_reply
    messages: list[MessageView] = field(default_factory=list)
    ratings: dict[str, int] = field(default_factory=dict)
    notes: list[NoteView] = field(default_factory=list)

    @property
    def corrected_topics(self) -> list[str] | None:
        """The topics staff gave the case's messages (in order, once each); None if never corrected."""
        lists = [m.corrected_topics for m in self.messages if m.corrected_topics is not None]
        return None if not lists else list(dict.fromkeys(t for topics in lists for t in topics))


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
        reopen_reason=case.reopen_reason,
    )
    if sub is not None:
        messages = _messages(session, sub.id)  # type: ignore[arg-type]
        corrected = latest_corrections(session, [m.id for m in messages])  # type: ignore[misc]
        for m in messages:
            fixed = corrected.get(m.id, {})  # type: ignore[arg-type]
            topics = fixed.get("topics")
            view.messages.append(MessageView(
                as_utc(m.received_at), m.redacted_text, m.score, m.score_status, list(m.topics), fixed.get("sentiment"),
                None if topics is None else [t for t in topics.split(",") if t],
            ))
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


def case_reference(session: Session, case_id: int) -> str | None:
    case = session.get(FollowupCase, case_id)
    return case.reference if case else None


def case_by_submission_reference(session: Session, reference: str) -> int | None:
    return session.exec(select(FollowupCase.id).where(FollowupCase.reference == reference)).first()
