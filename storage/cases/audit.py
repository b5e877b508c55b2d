"""Reading the append-only audit log, and recording views and refused attempts in it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storage.cases.base import Actor, _audit
from storage.models import Staff
from storage.models_cases import AuditEntry, FollowupCase
from storage.types import as_utc


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
