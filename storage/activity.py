"""Reads of residents' feedback for the daily summary and officer-level figures.

Only counts and the fields the Trust Index needs leave here: never text, never Telegram ids.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlmodel import Session

from storage.models import FeedbackMessage, Rating, Staff, Submission, Unit
from storage.types import as_utc
from trust.model import CHANNEL_DEEP_LINK, CHANNEL_DIRECT
from trust.model import FeedbackMessage as TrustMessage


@dataclass(frozen=True)
class DayCounts:
    messages: int
    residents: int


def day_counts(session: Session, start: datetime, end: datetime, *, district: str | None = None,
               unit_code: str | None = None) -> DayCounts:
    """Messages and distinct residents received in [start, end), within one district or unit
    when given (else agency-wide)."""
    query = select(func.count(), func.count(func.distinct(FeedbackMessage.resident_id))).where(
        FeedbackMessage.received_at >= start.astimezone(UTC), FeedbackMessage.received_at < end.astimezone(UTC)  # type: ignore[arg-type]
    )
    if district is not None or unit_code is not None:
        unit_ids = select(Unit.id).where(
            (Unit.district == district) if district is not None else (Unit.code == unit_code)  # type: ignore[arg-type]
        )
        query = query.where(FeedbackMessage.unit_id.in_(unit_ids))  # type: ignore[union-attr]
    messages, residents = session.execute(query).one()
    return DayCounts(int(messages), int(residents))


@dataclass(frozen=True)
class OfficerRow:
    staff_id: int
    name: str
    unit_code: str | None


def active_officers(session: Session, unit_ids: list[int] | None) -> list[OfficerRow]:
    """Active, unrevoked officers with a unit, by name; only those of ``unit_ids`` unless None."""
    codes = {u.id: u.code for u in session.execute(select(Unit)).scalars()}
    query = select(Staff).where(Staff.role == "officer", Staff.active.is_(True), Staff.revoked_at.is_(None))  # type: ignore[arg-type]
    if unit_ids is not None:
        query = query.where(Staff.unit_id.in_(unit_ids))  # type: ignore[union-attr]
    rows = session.execute(query.order_by(Staff.display_name, Staff.id)).scalars()  # type: ignore[arg-type]
    return [OfficerRow(s.id, s.display_name, codes.get(s.unit_id)) for s in rows if s.unit_id is not None]  # type: ignore[arg-type]


def officer_messages(session: Session, officer_ids: list[int], start: datetime, end: datetime) -> list[TrustMessage]:
    """One query for the counted (scored or failed) messages about these officers in [start, end),
    plus one for their submissions' ratings. Resident key = resident id; never any text."""
    if not officer_ids:
        return []
    rows = session.execute(
        select(FeedbackMessage.id, FeedbackMessage.resident_id, FeedbackMessage.submission_id, FeedbackMessage.officer_id,
               FeedbackMessage.received_at, FeedbackMessage.score, FeedbackMessage.score_status, FeedbackMessage.language,
               FeedbackMessage.topics, Unit.code, Submission.channel)
        .join(Submission, Submission.id == FeedbackMessage.submission_id)  # type: ignore[arg-type]
        .outerjoin(Unit, Unit.id == FeedbackMessage.unit_id)  # type: ignore[arg-type]
        .where(FeedbackMessage.officer_id.in_(officer_ids),  # type: ignore[union-attr]
               FeedbackMessage.score_status != "pending",
               FeedbackMessage.received_at >= start.astimezone(UTC),  # type: ignore[operator]
               FeedbackMessage.received_at < end.astimezone(UTC))  # type: ignore[operator]
        .order_by(FeedbackMessage.id)  # type: ignore[arg-type]
    ).all()
    ratings: dict[int, dict[str, float]] = defaultdict(dict)
    sub_ids = sorted({r[2] for r in rows})
    if sub_ids:
        for sub_id, item, value in session.execute(
            select(Rating.submission_id, Rating.item, Rating.value).where(Rating.submission_id.in_(sub_ids))  # type: ignore[attr-defined]
        ).all():
            ratings[sub_id][item] = float(value)
    out = []
    for mid, resident_id, sub_id, officer_id, received_at, score, status, language, topics, code, channel in rows:
        sentiment = None
        if status == "scored" and score is not None and math.isfinite(score):
            sentiment = min(1.0, max(-1.0, float(score)))
        out.append(TrustMessage(
            resident_key=str(resident_id), sent_at=as_utc(received_at), sentiment=sentiment,
            ratings=ratings.get(sub_id, {}), unit_id=code, topics=tuple(topics or ()),
            channel=CHANNEL_DEEP_LINK if channel in ("deeplink", "deep_link") else CHANNEL_DIRECT,
            language=language or "und", officer_id=str(officer_id), message_id=str(mid),
        ))
    return out
