"""Does every case have somebody to go to? The start-up check (``trustline run`` warns; the
``doctor`` command can print the same lines) and the count of cases nobody holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import Staff, Unit
from storage.models_cases import CASE_RESOLVED, FollowupCase
from storage.staff import is_reachable, list_chats


@dataclass(frozen=True)
class RoutingGaps:
    """What would leave a case with nobody, as plain sentences for logs and the doctor."""

    units_without_staff: list[str] = field(default_factory=list)  # unit codes
    no_duty_chat: bool = False
    no_staff_chat: bool = False
    bootstrap_admins: int = 0

    def lines(self) -> list[str]:
        fallback = "the bootstrap admins (telegram.admin_ids)" if self.bootstrap_admins else "nobody: set telegram.admin_ids"
        out = [f"unit {code} has nobody enrolled to route follow-ups to; its cases go to {fallback}"
               for code in self.units_without_staff]
        if self.no_duty_chat:
            out.append("agency.duty_chat_id is not set: emergency alerts have no duty chat to go to")
        if self.no_staff_chat:
            out.append("no staff chat is registered (/register in a staff group): unowned cases reach only the bootstrap admins")
        return out


def routing_gaps(session: Session, *, duty_chat_id: int | None, admin_ids: list[int]) -> RoutingGaps:
    """Units whose cases would find no enrolled, reachable person anywhere in their line (unit
    staff, the district commander, agency commanders or admins), a missing duty chat, and no
    registered staff chat at all."""
    people = [s for s in session.exec(select(Staff)).all() if is_reachable(s)]
    agency_wide = any(s.role == "admin" or (s.role == "commander" and not s.district) for s in people)
    units = session.exec(select(Unit).order_by(Unit.code)).all()  # type: ignore[arg-type]
    lonely = []
    if not agency_wide:
        for unit in units:
            if not unit.active:
                continue
            covered = any(s.unit_id == unit.id or (s.role == "commander" and s.district == unit.district) for s in people)
            if not covered:
                lonely.append(unit.code)
    return RoutingGaps(lonely, duty_chat_id is None, not list_chats(session), len(admin_ids))


def unowned_open_cases(session: Session) -> int:
    """Open cases with no enrolled assignee (held only by bootstrap admins or a staff chat)."""
    return session.exec(
        select(func.count()).select_from(FollowupCase).where(
            FollowupCase.assignee_id.is_(None), FollowupCase.status != CASE_RESOLVED  # type: ignore[union-attr]
        )
    ).one()
