"""Staff: invitations and one-time enrolment codes, listing, revocation, moves, and the staff
groups/channels registered to receive digests and alerts.

Enrolment codes are shown once (printed by ``trustline staff invite``) and stored only as a
SHA-256 hash: they are 60 random bits, so a plain hash is enough and a database dump reveals none.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import EnrollmentCode, EnrolmentAttempt, Staff, StaffChat, Unit, utcnow
from storage.models_cases import append_audit
from storage.types import as_utc
from storage.units import find_unit

#: Staff roles, lowest to highest. The one definition: access rules, enrolment and cases read it.
Role = Literal["officer", "supervisor", "commander", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
ROLE_RANK: dict[str, int] = {role: rank for rank, role in enumerate(ROLES, start=1)}
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud or typed from paper
CODE_LENGTH = 12
SCOPE_KINDS = ("agency", "district", "unit")


class StaffError(ValueError):
    """A user-facing problem with a staff operation (unknown unit, bad role, ...)."""


# --- codes -----------------------------------------------------------------------------------


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


@dataclass(frozen=True)
class Invitation:
    staff_id: int
    role: str
    display_name: str
    unit_code: str | None
    district: str | None
    code: str
    expires_at: datetime


def _validate_role_scope(session: Session, role: str, unit_code: str | None, district: str | None) -> tuple[Unit | None, str | None]:
    if role not in ROLES:
        raise StaffError(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    unit = None
    if unit_code:
        unit = find_unit(session, unit_code)
        if unit is None:
            raise StaffError(f"unknown unit {unit_code!r} (see `trustline units list`)")
        if not unit.active:
            raise StaffError(
                f"unit {unit.code} ({unit.name}) was removed, so staff can no longer be placed in it. "
                "See the active units with `trustline units list` (`trustline units add` brings a removed unit back)."
            )
    if role in ("officer", "supervisor") and unit is None:
        raise StaffError(f"a {role} needs --unit")
    if role in ("commander", "admin") and unit is not None:
        raise StaffError(f"a {role} is not tied to one unit: use --district for a district commander")
    if district is not None:
        known = {u.district for u in session.exec(select(Unit)).all()}
        match = next((d for d in known if d.lower() == district.lower()), None)
        if match is None:
            raise StaffError(f"unknown district {district!r}; known: {', '.join(sorted(known)) or 'none'}")
        if role != "commander":
            raise StaffError("only commanders have a district (officers and supervisors get it from their unit)")
        district = match
    return unit, district


def invite(
    session: Session,
    *,
    role: str,
    hours: float,
    unit_code: str | None = None,
    district: str | None = None,
    name: str | None = None,
    now: datetime | None = None,
) -> Invitation:
    """Create a staff record and a one-time enrolment code (returned once, stored hashed)."""
    unit, district = _validate_role_scope(session, role, unit_code, district)
    staff = Staff(display_name=(name or "").strip()[:200], role=role, unit_id=unit.id if unit else None, district=district)
    session.add(staff)
    session.flush()
    code, expires = issue_code(session, staff.id, hours, now=now)  # type: ignore[arg-type]
    append_audit(session, "staff_invited", actor="cli", detail=f"staff #{staff.id} {role} {unit.code if unit else district or 'agency'}")
    return Invitation(staff.id, role, staff.display_name, unit.code if unit else None, district, code, expires)  # type: ignore[arg-type]


def _unrevoked_staff(session: Session, staff_id: int, *, if_revoked: str) -> Staff:
    """The staff record, refused with a StaffError when missing or revoked.

    Reissuing a code and revoking both need a live record; only the wording for a revoked one
    differs (``if_revoked`` follows "staff member #N").
    """
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise StaffError(f"no staff member #{staff_id}")
    if not staff.active or staff.revoked_at is not None:
        raise StaffError(f"staff member #{staff_id} {if_revoked}")
    return staff


def _expire_unused_codes(session: Session, staff_id: int, now: datetime) -> None:
    """Make every unused enrolment code of this staff member stop working at ``now``.

    One rule for a fresh code (earlier ones die) and for revocation (no code may enrol them).
    """
    unused = select(EnrollmentCode).where(EnrollmentCode.staff_id == staff_id, EnrollmentCode.used_at.is_(None))  # type: ignore[union-attr]
    for code in session.exec(unused).all():
        code.expires_at = min(as_utc(code.expires_at), now)


def issue_code(session: Session, staff_id: int, hours: float, *, now: datetime | None = None) -> tuple[str, datetime]:
    """A fresh code for an existing staff member; earlier unused codes stop working."""
    now = now or utcnow()
    _unrevoked_staff(session, staff_id, if_revoked="is revoked; invite them again instead")
    _expire_unused_codes(session, staff_id, now)
    code = new_code()
    expires = now + timedelta(hours=hours)
    session.add(EnrollmentCode(code_hash=hash_code(code), staff_id=staff_id, expires_at=expires))
    session.flush()
    return code, expires


@dataclass(frozen=True)
class EnrollOutcome:
    status: str  # ok | invalid | expired | used | revoked | linked_elsewhere
    staff_id: int | None = None
    role: str | None = None
    display_name: str | None = None


def redeem_code(
    session: Session, code: str, telegram_user_id: int, chat_id: int, name_hint: str, *, now: datetime | None = None
) -> EnrollOutcome:
    """Link the Telegram account that sent ``/enroll CODE`` to the invited staff record."""
    now = now or utcnow()
    if len(normalise_code(code)) != CODE_LENGTH:
        return EnrollOutcome("invalid")
    row = session.exec(select(EnrollmentCode).where(EnrollmentCode.code_hash == hash_code(code))).first()
    if row is None:
        return EnrollOutcome("invalid")
    if row.used_at is not None:
        return EnrollOutcome("used")
    staff = session.get(Staff, row.staff_id)
    if staff is None or not staff.active or staff.revoked_at is not None:
        return EnrollOutcome("revoked")
    if as_utc(row.expires_at) <= now:
        return EnrollOutcome("expired")
    other = session.exec(select(Staff).where(Staff.telegram_user_id == telegram_user_id, Staff.id != staff.id)).first()
    if other is not None:
        if other.active and other.revoked_at is None:
            return EnrollOutcome("linked_elsewhere")
        other.telegram_user_id = None  # an old, revoked record of the same person
        session.flush()
    row.used_at = now
    staff.telegram_user_id, staff.chat_id, staff.enrolled_at = telegram_user_id, chat_id, now
    if not staff.display_name:
        staff.display_name = name_hint.strip()[:200] or f"{staff.role} #{staff.id}"
    append_audit(session, "staff_enrolled", actor_staff_id=staff.id, detail=f"staff #{staff.id} {staff.role}")
    session.flush()
    return EnrollOutcome("ok", staff.id, staff.role, staff.display_name)


def burn_code(session: Session, code: str, *, now: datetime | None = None) -> bool:
    """Invalidate a code that was posted where others could read it (e.g. in a group)."""
    if len(normalise_code(code)) != CODE_LENGTH:
        return False
    row = session.exec(select(EnrollmentCode).where(EnrollmentCode.code_hash == hash_code(code))).first()
    if row is None or row.used_at is not None:
        return False
    row.expires_at = min(as_utc(row.expires_at), now or utcnow())
    append_audit(session, "code_burned", actor="system", detail=f"code of staff #{row.staff_id} posted in a group")
    return True


# --- enrolment lockout -----------------------------------------------------------------------
# ``who`` is the keyed hash of the Telegram account (storage.identity.pseudonym).


def enrolment_locked(session: Session, who: str, *, now: datetime | None = None) -> bool:
    row = session.get(EnrolmentAttempt, who)
    return bool(row and row.locked_until and as_utc(row.locked_until) > (now or utcnow()))


def record_enrolment_failure(
    session: Session, who: str, *, limit: int, window: timedelta, now: datetime | None = None
) -> bool:
    """Count a wrong code; ``limit`` failures within ``window`` lock /enroll until the window
    ends. Returns whether the account is now locked."""
    now = now or utcnow()
    row = session.get(EnrolmentAttempt, who)
    if row is None:
        row = EnrolmentAttempt(who=who, window_started_at=now)
        session.add(row)
    elif now - as_utc(row.window_started_at) >= window:
        row.failures, row.window_started_at, row.locked_until = 0, now, None
    row.failures += 1
    if row.failures >= limit:
        row.locked_until = as_utc(row.window_started_at) + window
    session.flush()
    return row.locked_until is not None


def clear_enrolment_failures(session: Session, who: str) -> None:
    row = session.get(EnrolmentAttempt, who)
    if row is not None:
        session.delete(row)


# --- staff records ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    id: int
    display_name: str
    role: str
    unit_code: str | None
    district: str | None
    enrolled: bool
    active: bool
    pending_code_expires: datetime | None


def is_reachable(staff: Staff | None) -> bool:
    """Active, not revoked, and enrolled (so the bot can write to them)."""
    return bool(staff and staff.active and staff.revoked_at is None and staff.chat_id is not None)


def unit_of(session: Session, staff: Staff) -> Unit | None:
    return session.get(Unit, staff.unit_id) if staff.unit_id else None


def district_of(session: Session, staff: Staff) -> str | None:
    unit = unit_of(session, staff)
    return staff.district or (unit.district if unit else None)


def active_staff_by_user(session: Session, telegram_user_id: int) -> Staff | None:
    """The active staff record enrolled with this Telegram account (revoked or not: the caller decides)."""
    return session.exec(
        select(Staff).where(Staff.telegram_user_id == telegram_user_id, Staff.active == True)  # noqa: E712
    ).first()


def enrol_bootstrap_admin(session: Session, telegram_user_id: int, chat_id: int, name: str) -> int | None:
    """A bootstrap admin (``telegram.admin_ids``) who acts on a case gets a staff record (role
    admin, agency-wide), so a reply or a resolution note has someone to wait on and the audit
    names them. Returns the staff id; None when this account has a revoked record (not restored)."""
    staff = active_staff_by_user(session, telegram_user_id)
    if staff is not None:
        return None if staff.revoked_at is not None else staff.id
    staff = Staff(display_name=(name.strip() or "Admin")[:200], role="admin", telegram_user_id=telegram_user_id,
                  chat_id=chat_id, enrolled_at=utcnow())
    session.add(staff)
    session.flush()
    append_audit(session, "staff_enrolled", actor="bootstrap admin",
                 detail=f"staff #{staff.id} admin, from telegram.admin_ids, on first case action")
    return staff.id


def list_staff(session: Session, *, unit_code: str | None = None, include_revoked: bool = False) -> list[StaffRow]:
    query = select(Staff).order_by(Staff.id)  # type: ignore[arg-type]
    if unit_code:
        unit = find_unit(session, unit_code)
        if unit is None:
            raise StaffError(f"unknown unit {unit_code!r}")
        query = query.where(Staff.unit_id == unit.id)
    if not include_revoked:
        query = query.where(Staff.active == True, Staff.revoked_at.is_(None))  # type: ignore[union-attr]  # noqa: E712
    rows = []
    units = {u.id: u for u in session.exec(select(Unit)).all()}
    for staff in session.exec(query).all():
        pending = session.exec(
            select(func.max(EnrollmentCode.expires_at)).where(
                EnrollmentCode.staff_id == staff.id, EnrollmentCode.used_at.is_(None)  # type: ignore[union-attr]
            )
        ).one()
        unit = units.get(staff.unit_id)
        rows.append(
            StaffRow(
                id=staff.id,  # type: ignore[arg-type]
                display_name=staff.display_name,
                role=staff.role,
                unit_code=unit.code if unit else None,
                district=staff.district or (unit.district if unit else None),
                enrolled=staff.telegram_user_id is not None,
                active=staff.active and staff.revoked_at is None,
                pending_code_expires=as_utc(pending) if pending else None,
            )
        )
    return rows


def revoke_staff(session: Session, staff_id: int, *, now: datetime | None = None) -> Staff:
    """Take access away at once: every command and button re-checks ``active`` on the server.

    The Telegram link is cut too, so the same person can be invited again later; their open
    cases are handed on by ``storage.cases.reroute_cases_of`` (call it in the same transaction).
    """
    now = now or utcnow()
    staff = _unrevoked_staff(session, staff_id, if_revoked="is already revoked")
    staff.active, staff.revoked_at = False, now
    staff.telegram_user_id = None
    _expire_unused_codes(session, staff_id, now)
    append_audit(session, "staff_revoked", actor="cli", detail=f"staff #{staff_id} {staff.role}")
    session.flush()
    return staff


def move_staff(
    session: Session, staff_id: int, *, unit_code: str | None = None, role: str | None = None, district: str | None = None
) -> Staff:
    """Change someone's unit, role or district; cases they may no longer handle are rerouted by
    ``storage.cases.reroute_cases_of`` (call it in the same transaction)."""
    staff = session.get(Staff, staff_id)
    if staff is None or not staff.active or staff.revoked_at is not None:
        raise StaffError(f"no active staff member #{staff_id}")
    new_role = role or staff.role
    current_unit = unit_of(session, staff)
    if unit_code is None and new_role in ("officer", "supervisor"):
        unit_code = current_unit.code if current_unit else None
    new_district = district if district is not None else (staff.district if new_role == "commander" else None)
    unit, new_district = _validate_role_scope(session, new_role, unit_code if new_role in ("officer", "supervisor") else None, new_district)
    before = f"{staff.role} {current_unit.code if current_unit else staff.district or 'agency'}"
    staff.role, staff.unit_id, staff.district = new_role, unit.id if unit else None, new_district
    where = unit.code if unit else new_district or "agency"
    append_audit(session, "staff_moved", actor="cli", detail=f"staff #{staff_id}: {before} -> {new_role} {where}")
    session.flush()
    return staff


# --- staff chats (groups and channels) -------------------------------------------------------


def parse_scope(session: Session, text: str) -> tuple[str, str | None]:
    """'agency', 'district:North' or 'unit:D1-Patrol' -> (kind, value) with canonical spelling."""
    kind, _, value = text.partition(":")
    kind = kind.strip().lower()
    if kind == "agency" and not value:
        return "agency", None
    if kind == "district":
        known = sorted({u.district for u in session.exec(select(Unit)).all()})
        match = next((d for d in known if d.lower() == value.strip().lower()), None)
        if match is None:
            raise StaffError(f"unknown district {value!r}; known: {', '.join(known) or 'none'}")
        return "district", match
    if kind == "unit":
        unit = find_unit(session, value.strip())
        if unit is None:
            raise StaffError(f"unknown unit {value!r}")
        return "unit", unit.code
    raise StaffError("scope must be 'agency', 'district:<name>' or 'unit:<code>'")


def register_chat(
    session: Session,
    chat_id: int,
    *,
    title: str,
    scope_kind: str,
    scope_value: str | None,
    registered_by: int | None,
    language: str = "en",
    actor: str = "staff",
) -> StaffChat:
    if scope_kind not in SCOPE_KINDS:
        raise StaffError(f"unknown scope kind {scope_kind!r}")
    row = session.exec(select(StaffChat).where(StaffChat.chat_id == chat_id)).first()
    if row is None:
        row = StaffChat(chat_id=chat_id)
        session.add(row)
    row.title, row.scope_kind, row.scope_value = title[:255], scope_kind, scope_value
    row.language, row.active, row.registered_by, row.registered_at, row.last_error = (
        language,
        True,
        registered_by,
        utcnow(),
        None,
    )
    append_audit(
        session,
        "chat_registered",
        actor=actor,
        actor_staff_id=registered_by,
        detail=f"chat {title[:80]!r} for {scope_kind}{':' + scope_value if scope_value else ''}",
    )
    session.flush()
    return row


def unregister_chat(
    session: Session, chat_id: int, *, by: int | None = None, actor: str = "staff", reason: str = "unregistered"
) -> bool:
    row = session.exec(select(StaffChat).where(StaffChat.chat_id == chat_id, StaffChat.active == True)).first()  # noqa: E712
    if row is None:
        return False
    row.active = False
    row.last_error = None if reason == "unregistered" else reason[:500]
    append_audit(
        session, "chat_unregistered", actor=actor, actor_staff_id=by, detail=f"chat {row.title[:80]!r}: {reason}"
    )
    return True


def list_chats(session: Session, *, active_only: bool = True) -> list[StaffChat]:
    query = select(StaffChat).order_by(StaffChat.id)  # type: ignore[arg-type]
    if active_only:
        query = query.where(StaffChat.active == True)  # noqa: E712
    return list(session.exec(query).all())


def chats_for_unit(session: Session, unit_id: int | None, *, include_unit_chats: bool = True) -> list[StaffChat]:
    """Registered chats whose scope covers the unit (agency chats cover everything)."""
    unit = session.get(Unit, unit_id) if unit_id else None
    result = []
    for chat in list_chats(session):
        if chat.scope_kind == "agency":
            result.append(chat)
        elif unit is not None and chat.scope_kind == "district" and chat.scope_value == unit.district:
            result.append(chat)
        elif include_unit_chats and unit is not None and chat.scope_kind == "unit" and chat.scope_value == unit.code:
            result.append(chat)
    return result


def migrate_chat(session: Session, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: Telegram gave it a new id."""
    row = session.exec(select(StaffChat).where(StaffChat.chat_id == old_chat_id)).first()
    if row is not None and session.exec(select(StaffChat).where(StaffChat.chat_id == new_chat_id)).first() is None:
        row.chat_id = new_chat_id
