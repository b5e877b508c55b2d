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
        select(Staff).where(Staff.unit_id == unit.id, Staff.active == True, Staff.revoked_at.is_(None))  # type: ignore[union-attr]
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
        if rotate:
            for tok in existing:
                revoke_token(session, tok.token)
                append_audit(session, "token_revoked", actor="cli", detail=f"card of staff #{person.id} replaced")
            existing = []
        if existing:
            token = existing[0].token
        else:
            token = create_token(session, unit_id=unit.id, officer_id=person.id, label="card").token
            append_audit(session, "token_created", actor="cli", detail=f"card of staff #{person.id}")
        entries.append((person.display_name or f"#{person.id}", unit.name, token))
    return entries
