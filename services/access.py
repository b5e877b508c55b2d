"""Who may see and do what. Every staff command and callback asks here, on the server side.

Scopes follow the unit hierarchy: agency > district > unit. An officer sees their own unit (and
their own figures), a supervisor their unit, a commander their district (or the whole agency when
no district is set), an admin everything. Bootstrap admins come from ``telegram.admin_ids``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from storage import staff as staff_store
from storage import units as unit_store
from storage.cases import Actor
from storage.models_cases import FollowupCase
from storage.staff import ROLE_RANK, Role
from storage.units import unit_districts  # re-exported: the trust views and the CLI scope checks use it


@dataclass(frozen=True)
class Scope:
    kind: Literal["agency", "district", "unit"]
    value: str | None = None  # district name or unit code


@dataclass(frozen=True)
class Member:
    """An active staff member as access checks see them (never a resident)."""

    staff_id: int | None  # None for bootstrap admins from config
    name: str
    role: Role
    unit_id: int | None
    unit_code: str | None
    district: str | None

    @property
    def scope(self) -> Scope:
        if self.role == "admin" or (self.role == "commander" and not self.district):
            return Scope("agency")
        if self.role == "commander":
            return Scope("district", self.district)
        return Scope("unit", self.unit_code)

    def at_least(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


def find_member(session: Any, telegram_user_id: int, admin_ids: list[int]) -> Member | None:
    staff = staff_store.active_staff_by_user(session, telegram_user_id)
    if staff is not None and staff.revoked_at is None:
        unit = staff_store.unit_of(session, staff)
        district = staff.district or (unit.district if unit else None)
        return Member(staff.id, staff.display_name, staff.role, staff.unit_id, unit.code if unit else None, district)  # type: ignore[arg-type]
    if telegram_user_id in admin_ids:
        return Member(None, "admin", "admin", None, None, None)
    return None


def covers(outer: Scope, inner: Scope, unit_district: dict[str, str]) -> bool:
    """Whether ``outer`` includes ``inner``; ``unit_district`` maps unit code -> district."""
    if outer.kind == "agency":
        return True
    if outer.kind == "district":
        if inner.kind == "district":
            return inner.value == outer.value
        if inner.kind == "unit":
            return unit_district.get(inner.value or "") == outer.value
        return False
    return inner.kind == "unit" and inner.value == outer.value


# --- follow-up cases -------------------------------------------------------------------------
# One rule for every case action (view, acknowledge, reply, resolve, reassign, escalate), so the
# buttons, the /case command and the pending-input texts can never disagree.


def case_scope(session: Any, unit_id: int | None) -> Scope | None:
    unit = unit_store.get_unit(session, unit_id)
    return Scope("unit", unit.code) if unit else None


def is_case_subject(member: Member, case: FollowupCase) -> bool:
    """The officer a sensitive case is about: never allowed near it, whatever their role."""
    return case.sensitive and member.staff_id is not None and case.officer_id == member.staff_id


def may_handle_case(session: Any, member: Member | None, case: FollowupCase) -> bool:
    if member is None or is_case_subject(member, case):
        return False
    if member.role == "admin":
        return True
    if member.staff_id is not None and case.assignee_id == member.staff_id:
        return True
    if member.role == "supervisor":
        return case.unit_id is not None and case.unit_id == member.unit_id
    if member.role == "commander":
        scope = case_scope(session, case.unit_id)
        return member.scope.kind == "agency" or (scope is not None and covers(member.scope, scope, unit_districts(session)))
    return False  # an officer who is not the assignee


def may_view_audit(session: Any, member: Member | None, case: FollowupCase) -> bool:
    """Commanders (in their district or agency-wide) and admins."""
    if member is None or not member.at_least("commander") or is_case_subject(member, case):
        return False
    if member.scope.kind == "agency":
        return True
    scope = case_scope(session, case.unit_id)
    return scope is not None and covers(member.scope, scope, unit_districts(session))


def may_register_chats(member: Member | None) -> bool:
    return member is not None and member.at_least("commander")


def registrable_scopes(session: Any, member: Member) -> list[Scope]:
    """Scopes a commander/admin may register a staff chat for: their own scope and below."""
    units = unit_store.list_units(session)
    mapping = {u.code: u.district for u in units}
    options = [Scope("agency")] if member.scope.kind == "agency" else []
    for district in sorted({u.district for u in units}):
        if covers(member.scope, Scope("district", district), mapping):
            options.append(Scope("district", district))
    for unit in units:
        if covers(member.scope, Scope("unit", unit.code), mapping):
            options.append(Scope("unit", unit.code))
    return options


def member_units(session: Any, member: Member) -> list[int] | None:
    """Unit ids within the member's scope (None: all of them)."""
    if member.scope.kind == "agency":
        return None
    units = unit_store.list_units(session, active_only=False)
    mapping = {u.code: u.district for u in units}
    return [u.id for u in units if covers(member.scope, Scope("unit", u.code), mapping)]  # type: ignore[misc]


def actor_of(member: Member) -> Actor:
    return Actor(member.staff_id, "staff" if member.staff_id is not None else "bootstrap admin")
