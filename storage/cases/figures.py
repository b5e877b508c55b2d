"""Follow-up figures for digests (requested, responded, rated, satisfied)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from storage.models import Submission, Unit
from storage.models_cases import FollowupCase


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
