"""Staff corrections of a case's sentiment or topics, and reading them back as training data.

A correction applies to every message of the case's submission and is recorded per message
(``correction`` rows: field, old value, new value, staff, time), with one audit line per case
(``corrected sentiment negative→neutral``). It never touches what the model wrote on the message
(score, label, topics), what the resident sees, or the Trust Index rollups: it is a label beside
them. The training text is read from the message's stored redacted text at read time and never
copied here, so /forget (which deletes the messages and sets ``message_id`` to NULL here) leaves
labels with no way back to any words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storage.cases.base import Actor, CaseActionError, _audit, _case, _messages
from storage.models import FeedbackMessage
from storage.models_cases import CASE_RESOLVED, Correction

SENTIMENT_LABELS = ("negative", "neutral", "positive")


@dataclass(frozen=True)
class CorrectionOutcome:
    field: str
    old: str  # what the case showed before, e.g. "negative" (or "negative/neutral" when mixed)
    new: str
    messages: int  # messages corrected (those whose value changed)


@dataclass(frozen=True)
class TrainingExample:
    message_id: int
    text: str  # the stored redacted text, read now
    language: str
    sentiment: str | None  # the latest corrected sentiment, or None when only topics were corrected
    topics: list[str] | None  # the latest corrected topics, or None when only sentiment was corrected
    corrected_at: datetime


def _join(topics: Iterable[str]) -> str:
    return ",".join(topics)


def _split(value: str | None) -> list[str]:
    return [t for t in (value or "").split(",") if t]


def latest_corrections(session: Session, message_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """{message id: {field: the latest corrected value}} for the messages that have any."""
    found: dict[int, dict[str, str]] = {}
    if not message_ids:
        return found
    rows = session.exec(
        select(Correction).where(Correction.message_id.in_(list(message_ids))).order_by(Correction.id)  # type: ignore[union-attr,arg-type]
    ).all()
    for row in rows:
        found.setdefault(row.message_id, {})[row.field] = row.new_value  # type: ignore[index]
    return found


def _current(message: FeedbackMessage, latest: dict[str, str], field: str) -> str:
    if field in latest:
        return latest[field]
    if field == "sentiment":
        return message.score_label or "unscored"
    return _join(message.topics)


def _correct(session: Session, case_id: int, actor: Actor, field: str, new: str) -> CorrectionOutcome:
    case = _case(session, case_id)
    if case.status == CASE_RESOLVED:
        raise CaseActionError("already_resolved")
    messages = _messages(session, case.submission_id) if case.submission_id is not None else []
    if not messages:
        raise CaseActionError("nothing_to_correct")  # the resident erased their words
    latest = latest_corrections(session, [m.id for m in messages])  # type: ignore[misc]
    olds: list[str] = []
    changed = 0
    for message in messages:
        old = _current(message, latest.get(message.id, {}), field)  # type: ignore[arg-type]
        if old not in olds:
            olds.append(old)
        if old == new:
            continue
        session.add(Correction(case_id=case_id, message_id=message.id, field=field, old_value=old[:300],
                               new_value=new[:300], staff_id=actor.staff_id))
        changed += 1
    if not changed:
        raise CaseActionError("correction_unchanged")
    shown = "/".join(o or "none" for o in olds)
    _audit(session, actor, "corrected", case_id, f"corrected {field} {shown}→{new or 'none'} on {changed} message(s)")
    session.flush()
    return CorrectionOutcome(field, shown, new, changed)


def correct_sentiment(session: Session, case_id: int, actor: Actor, label: str) -> CorrectionOutcome:
    """Staff say every message of the case reads as ``label`` (negative, neutral or positive)."""
    if label not in SENTIMENT_LABELS:
        raise CaseActionError("bad_correction")
    return _correct(session, case_id, actor, "sentiment", label)


def correct_topics(
    session: Session, case_id: int, actor: Actor, topics: Sequence[str], taxonomy: Sequence[str]
) -> CorrectionOutcome:
    """Staff say every message of the case is about exactly ``topics`` (in taxonomy order)."""
    if any(t not in taxonomy for t in topics):
        raise CaseActionError("bad_correction")
    return _correct(session, case_id, actor, "topics", _join(t for t in taxonomy if t in topics))


def training_examples(
    session: Session, *, since: datetime | None = None, field: str | None = None
) -> list[TrainingExample]:
    """Corrected messages that still exist, with their redacted text read now. ``since``: only
    messages with a correction at or after it; ``field``: only messages with that field corrected."""
    query = select(Correction.message_id).where(Correction.message_id.is_not(None))  # type: ignore[union-attr]
    if since is not None:
        query = query.where(Correction.created_at >= since)
    if field is not None:
        query = query.where(Correction.field == field)
    ids = sorted({i for i in session.exec(query.distinct()).all() if i is not None})
    examples = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        latest = latest_corrections(session, chunk)
        when = {}
        for row in session.exec(select(Correction).where(Correction.message_id.in_(chunk))).all():  # type: ignore[union-attr]
            when[row.message_id] = max(when.get(row.message_id, row.created_at), row.created_at)
        messages = select(FeedbackMessage).where(FeedbackMessage.id.in_(chunk))  # type: ignore[union-attr]
        for message in session.exec(messages.order_by(FeedbackMessage.id)).all():  # type: ignore[arg-type]
            labels = latest.get(message.id, {})  # type: ignore[arg-type]
            if not message.redacted_text.strip():
                continue
            examples.append(TrainingExample(
                message.id, message.redacted_text, message.language,  # type: ignore[arg-type]
                labels.get("sentiment"), _split(labels["topics"]) if "topics" in labels else None, when[message.id],
            ))
    return examples
