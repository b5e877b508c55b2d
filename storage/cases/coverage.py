"""Does every case have somebody to go to? The start-up check (``trustline run`` warns; the
``doctor`` command can print the same lines) and the count of cases nobody holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import Staff, Unit
from storage.models_cases import CASE_RESOLVED, FollowupCase
from storage.staff import is_reachable, list_chats


@dataclass(frozen=True)
class RoutingGaps:
    """What would leave a case with nobody, as plain sentences for logs and the doctor."""

    units_without_staff: list[str] = field(default_factory=list)  # unit codes: every case goes to the fallback
    # Unit codes with officers only: their colleagues take ordinary cases (storage.cases.routing),
    # but a sensitive complaint never goes to an officer and an escalation needs someone above.
    units_without_supervision: list[str] = field(default_factory=list)
    no_duty_chat: bool = False
    no_staff_chat: bool = False
    bootstrap_admins: int = 0

    def fallback(self) -> str:
        return "the bootstrap admins (telegram.admin_ids)" if self.bootstrap_admins else "nobody: set telegram.admin_ids"

    def lines(self) -> list[str]:
        out = [f"unit {code} has nobody enrolled to route follow-ups to; its cases go to {self.fallback()}"
               for code in self.units_without_staff]
        out += [f"unit {code} has officers but no supervisor or commander above them; its sensitive complaints "
                f"and escalations go to {self.fallback()}" for code in self.units_without_supervision]
        if self.no_duty_chat:
            out.append("agency.duty_chat_id is not set: emergency alerts have no duty chat to go to")
        if self.no_staff_chat:
            out.append("no staff chat is registered (/register in a staff group): unowned cases reach only the bootstrap admins")
        return out


def routing_gaps(
    session: Session, *, duty_chat_id: int | None, admin_ids: list[int], config_codes: Sequence[str] = ()
) -> RoutingGaps:
    """Units whose cases would find no enrolled, reachable person in their line (unit staff, the
    district commander, agency commanders or admins), units where only officers would, a missing
    duty chat, and no registered staff chat at all. ``config_codes``: units named in the config
    but not in the database yet (added on the bot's first start) count, with nobody."""
    people = [s for s in session.exec(select(Staff)).all() if is_reachable(s)]
    agency_wide = any(s.role == "admin" or (s.role == "commander" and not s.district) for s in people)
    units = [u for u in session.exec(select(Unit).order_by(Unit.code)).all() if u.active]  # type: ignore[arg-type]
    lonely: list[str] = []
    officers_only: list[str] = []
    if not agency_wide:
        known = {u.code for u in units}
        lonely += sorted(set(config_codes) - known)
        for unit in units:
            above = any((s.unit_id == unit.id and s.role == "supervisor") or (s.role == "commander" and s.district == unit.district)
                        for s in people)
            if above:
                continue
            if any(s.unit_id == unit.id for s in people):
                officers_only.append(unit.code)
            else:
                lonely.append(unit.code)
    return RoutingGaps(sorted(lonely), officers_only, duty_chat_id is None, not list_chats(session), len(admin_ids))


def unit_count(session: Session, config_codes: Sequence[str] = ()) -> int:
    """Active units, counting those named in the config but not in the database yet."""
    return len({u.code for u in session.exec(select(Unit).where(Unit.active == True)).all()} | set(config_codes))  # noqa: E712


def unowned_open_cases(session: Session) -> int:
    """Open cases with no enrolled assignee (held only by bootstrap admins or a staff chat)."""
    return session.exec(
        select(func.count()).select_from(FollowupCase).where(
            FollowupCase.assignee_id.is_(None), FollowupCase.status != CASE_RESOLVED  # type: ignore[union-attr]
        )
    ).one()
