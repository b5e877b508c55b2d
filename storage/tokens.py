"""Deep-link tokens as the CLI lists them and as officer cards carry them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from storage.models import DeepLinkToken, Staff, Unit
from storage.models_cases import append_audit
from storage.units import create_token, find_unit, revoke_token


@dataclass(frozen=True)
class TokenRow:
    token: str
    unit_code: str  # "-" when the token names no unit
    officer_name: str  # "-" when it names no officer
    label: str
    revoked_at: datetime | None


def list_tokens(session: Session, *, include_revoked: bool = False) -> list[TokenRow]:
    """Every token, oldest first; revoked ones only when asked."""
    rows = []
    for tok in session.exec(select(DeepLinkToken).order_by(DeepLinkToken.created_at)).all():  # type: ignore[arg-type]
        if tok.revoked_at is not None and not include_revoked:
            continue
        unit = session.get(Unit, tok.unit_id) if tok.unit_id else None
        staff = session.get(Staff, tok.officer_id) if tok.officer_id else None
        rows.append(TokenRow(tok.token, unit.code if unit else "-", staff.display_name if staff else "-",
                             tok.label or "", tok.revoked_at))
    return rows


def card_tokens(session: Session, unit_code: str, rotate: bool) -> list[tuple[str, str, str]]:
    """(officer name, unit name, token) per active officer/supervisor of the unit; one card token
    each, reused unless ``rotate`` (then the old ones are revoked)."""
    unit = find_unit(session, unit_code)
    assert unit is not None, "callers check the unit first"
    staff = session.exec(
        select(Staff).where(Staff.unit_id == unit.id, Staff.active.is_(True), Staff.revoked_at.is_(None))  # type: ignore[union-attr]
        .order_by(Staff.display_name)
    ).all()
    entries = []
    for person in staff:
        if person.role not in ("officer", "supervisor"):
            continue
        existing = session.exec(
            select(DeepLinkToken).where(
                DeepLinkToken.officer_id == person.id, DeepLinkToken.revoked_at.is_(None), DeepLinkToken.label == "card"  # type: ignore[union-attr]
            )
        ).all()
        what = f"card of staff #{person.id}"
        token = _printed_token(session, list(existing), rotate, unit.id, person.id, "card", what)
        entries.append((person.display_name or f"#{person.id}", unit.name, token))
    return entries


def poster_token(session: Session, unit_code: str, rotate: bool) -> tuple[str, str]:
    """(unit name, token) of the unit's poster: its one active "poster" token, reused unless
    ``rotate`` (then the old one is revoked), else a new one."""
    unit = find_unit(session, unit_code)
    assert unit is not None, "callers check the unit first"
    existing = session.exec(
        select(DeepLinkToken).where(
            DeepLinkToken.unit_id == unit.id, DeepLinkToken.officer_id.is_(None),  # type: ignore[union-attr]
            DeepLinkToken.revoked_at.is_(None), DeepLinkToken.label == "poster",  # type: ignore[union-attr]
        ).order_by(DeepLinkToken.created_at)  # type: ignore[arg-type]
    ).all()
    what = f"poster of unit {unit.code}"
    return unit.name, _printed_token(session, list(existing), rotate, unit.id, None, "poster", what)


def _printed_token(
    session: Session, existing: list[DeepLinkToken], rotate: bool, unit_id: int | None, officer_id: int | None,
    label: str, what: str,
) -> str:
    """The token printed on one card or poster: the first of its ``existing`` active tokens, else
    a new one; ``rotate`` revokes the existing ones first. Audited as ``what``."""
    if rotate:
        for tok in existing:
            revoke_token(session, tok.token)
            append_audit(session, "token_revoked", actor="cli", detail=f"{what} replaced")
        existing = []
    if existing:
        return existing[0].token
    token = create_token(session, unit_id=unit_id, officer_id=officer_id, label=label).token
    append_audit(session, "token_created", actor="cli", detail=what)
    return token
