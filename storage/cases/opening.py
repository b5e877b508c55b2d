"""Opening a follow-up case from a negative submission (idempotent, safe to call from both hooks)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.cases.actions import mark_sensitive
from storage.cases.base import SENSITIVE_FLAGS, Actor, FollowupRules, _audit, _messages
from storage.cases.kudos import queue_kudos
from storage.cases.routing import route_initial
from storage.models import FeedbackMessage, Rating, Staff, Submission, utcnow
from storage.models_cases import FollowupCase

DONE_SCORING = ("scored", "failed")  # a message that failed scoring for good must not block its case


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


def sensitive_from_flags(session: Session, submission_ids: Sequence[int]) -> list[tuple[int, bool]]:
    """Cases opened before a message of theirs was found sensitive (the scoring worker's classifier
    adds the ``sensitive`` flag seconds after the rules): marked sensitive now, and moved away from
    the officer concerned if they hold it. Returns (case id, moved) for each case marked."""
    marked = []
    for submission_id in submission_ids:
        case = session.exec(select(FollowupCase).where(FollowupCase.submission_id == submission_id)).first()
        if case is None or case.sensitive or case.id is None:
            continue
        if not any(set(m.flags) & SENSITIVE_FLAGS for m in _messages(session, submission_id)):
            continue
        moved = mark_sensitive(session, case.id, Actor.system())
        marked.append((case.id, moved is not None))
    return marked
