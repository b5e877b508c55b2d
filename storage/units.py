"""Units (from config) and the deep-link tokens printed on cards and posters."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session, select

from storage.models import DeepLinkToken, Staff, Unit, utcnow

TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    district: str


@dataclass(frozen=True)
class TokenTarget:
    token: str
    unit_id: int | None
    officer_id: int | None


def sync_units(session: Session, specs: Iterable[UnitSpec]) -> list[Unit]:
    """Make the unit table match config: add new, update names, never delete (history refers to them)."""
    existing = {u.code.lower(): u for u in session.exec(select(Unit)).all()}
    result = []
    for spec in specs:
        unit = existing.get(spec.code.lower())
        if unit is None:
            unit = Unit(code=spec.code, name=spec.name, district=spec.district)
            session.add(unit)
        else:
            unit.name, unit.district, unit.active = spec.name, spec.district, True
        result.append(unit)
    session.flush()
    return result


def add_unit(session: Session, spec: UnitSpec) -> Unit:
    """A new unit, or a removed one back under its code (with this name and district)."""
    unit = find_unit(session, spec.code)
    if unit is not None and unit.active:
        raise ValueError(f"unit {spec.code!r} already exists")
    if unit is None:
        unit = Unit(code=spec.code, name=spec.name, district=spec.district)
        session.add(unit)
    else:
        unit.name, unit.district, unit.active = spec.name, spec.district, True
    session.flush()
    return unit


@dataclass(frozen=True)
class RemovedUnit:
    code: str
    staff: int  # active staff still assigned to it


def remove_unit(session: Session, code: str) -> RemovedUnit:
    """Take a unit out of service, keeping its history: residents can no longer choose it and its
    cards' and posters' links stop pointing at it, while its feedback, cases and figures stay.
    ``add_unit`` with the same code brings it back. Raises ``ValueError`` for an unknown or
    already removed unit."""
    unit = find_unit(session, code)
    if unit is None:
        raise ValueError(f"unknown unit {code!r}")
    if not unit.active:
        raise ValueError(f"unit {unit.code!r} was already removed")
    unit.active = False
    staff = session.exec(
        select(Staff).where(Staff.unit_id == unit.id, Staff.active == True, Staff.revoked_at.is_(None))  # type: ignore[union-attr]  # noqa: E712
    ).all()
    session.flush()
    return RemovedUnit(unit.code, len(staff))


def list_units(session: Session, *, active_only: bool = True) -> list[Unit]:
    query = select(Unit).order_by(Unit.district, Unit.code)
    if active_only:
        query = query.where(Unit.active == True)  # noqa: E712
    return list(session.exec(query).all())


def get_unit(session: Session, unit_id: int | None) -> Unit | None:
    return session.get(Unit, unit_id) if unit_id else None


def unit_districts(session: Session) -> dict[str, str]:
    """Unit code -> district, for every unit (inactive ones too: old cases still point at them)."""
    return {u.code: u.district for u in session.exec(select(Unit)).all()}


def target_names(session: Session, unit_id: int | None, officer_id: int | None) -> tuple[str | None, str | None]:
    """The unit's name and the officer's display name a deep link points at (None where unknown)."""
    unit = get_unit(session, unit_id)
    officer = session.get(Staff, officer_id) if officer_id else None
    return (unit.name if unit else None, officer.display_name if officer else None)


def find_unit(session: Session, code: str) -> Unit | None:
    for unit in session.exec(select(Unit)).all():
        if unit.code.lower() == code.lower():
            return unit
    return None


def create_token(
    session: Session, *, unit_id: int | None = None, officer_id: int | None = None, label: str | None = None
) -> DeepLinkToken:
    if unit_id is None and officer_id is None:
        raise ValueError("a token must point at a unit or an officer")
    if officer_id is not None and unit_id is None:
        officer = session.get(Staff, officer_id)
        unit_id = officer.unit_id if officer else None
    token = new_token()
    while session.get(DeepLinkToken, token) is not None:
        token = new_token()
    row = DeepLinkToken(token=token, unit_id=unit_id, officer_id=officer_id, label=label)
    session.add(row)
    session.flush()
    return row


# Printed on cards for residents to type: no 0/O, 1/I/L look-alikes, upper case only.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_token() -> str:
    """Like ``K7QH-M3XP``: 8 characters of :data:`CODE_ALPHABET` (39 random bits) in two groups.
    Never starts with "-", so no command line reads it as an option; readable aloud and typed
    in any case (:func:`resolve_token` accepts lower case)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"


def revoke_token(session: Session, token: str) -> bool:
    row = session.get(DeepLinkToken, token)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    return True


def resolve_token(session: Session, token: str) -> TokenTarget | None:
    """The unit/officer behind a /start payload, or None for unknown, malformed or revoked tokens."""
    if not TOKEN_SHAPE.match(token):
        return None
    # A card code may be typed in lower case.
    row = session.get(DeepLinkToken, token) or session.get(DeepLinkToken, token.upper())
    if row is None or row.revoked_at is not None:
        return None
    unit = get_unit(session, row.unit_id)
    if unit is not None and not unit.active:
        return None  # a removed unit's cards and posters: the resident chooses a unit
    if row.officer_id is not None:
        officer = session.get(Staff, row.officer_id)
        if officer is None or not officer.active:
            # A card of an officer who left still identifies the unit.
            return TokenTarget(row.token, row.unit_id, None) if row.unit_id else None
    return TokenTarget(row.token, row.unit_id, row.officer_id)
