"""Who a case goes to: the officer concerned or the first reachable person above them, and
handing cases on (reassignment candidates, rerouting the cases of someone revoked or moved)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, select

from storage.cases.base import Actor, _audit
from storage.models import Staff, Unit, utcnow
from storage.models_cases import CASE_ACKNOWLEDGED, CASE_OPEN, CASE_RESOLVED, FollowupCase, PendingInput
from storage.staff import ROLE_RANK, is_reachable


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


def _least_loaded(session: Session, people: list[Staff]) -> Staff | None:
    return min(people, key=lambda s: (_open_load(session, s.id), s.id)) if people else None  # type: ignore[arg-type]


def _unit_officers(session: Session, unit_id: int | None, exclude: Iterable[int | None]) -> list[Staff]:
    if unit_id is None:
        return []
    skip = {e for e in exclude if e is not None}
    people = session.exec(
        select(Staff).where(
            Staff.unit_id == unit_id, Staff.role == "officer", Staff.active == True,  # noqa: E712
            Staff.revoked_at.is_(None), Staff.chat_id.is_not(None),  # type: ignore[union-attr]
        ).order_by(Staff.id)  # type: ignore[arg-type]
    ).all()
    return [s for s in people if s.id not in skip]


def route_initial(session: Session, unit_id: int | None, officer_id: int | None, sensitive: bool) -> Staff | None:
    """Who owns a new case, first reachable of: the officer concerned (never for a sensitive
    case) → the unit's supervisor → the unit's other officers when the unit has no supervisor
    and the case is not sensitive → the district commander → agency commanders and admins.

    None means nobody enrolled can take it: the bot then hands it to the bootstrap admins and
    the agency staff chat (``claim_unassigned``), so routing never ends in a log line."""
    officer = session.get(Staff, officer_id) if officer_id else None
    if not sensitive and is_reachable(officer):
        return officer
    unit = session.get(Unit, unit_id) if unit_id else None
    supervisors = [s for s in _level_candidates(session, 2, unit) if s.id != officer_id]
    if supervisors:
        return _least_loaded(session, supervisors)
    if not sensitive:
        # No supervisor enrolled: a colleague on the ground is better than nobody.
        colleague = _least_loaded(session, _unit_officers(session, unit_id, exclude=[officer_id]))
        if colleague is not None:
            return colleague
    return first_above(session, unit_id, 2, exclude=[officer_id])


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
