"""Pseudonyms: the only resident identifier staff-side data ever carries."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlmodel import Session

from storage.models import AppSecret

PSEUDONYM_SECRET = "pseudonym_secret"


def pseudonym(secret: str, telegram_user_id: int) -> str:
    """Keyed HMAC-SHA256 of the Telegram user id; without the secret it cannot be reversed."""
    digest = hmac.new(secret.encode(), str(telegram_user_id).encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def short_pseudonym(full: str) -> str:
    """The form staff see, e.g. 'R-3f9a1c'."""
    return f"R-{full[:6]}"


def stored_secret(session: Session, name: str = PSEUDONYM_SECRET) -> str:
    """A generated secret kept in the database, created on first use."""
    row = session.get(AppSecret, name)
    if row is None:
        row = AppSecret(name=name, value=secrets.token_urlsafe(32))
        session.add(row)
        session.flush()
    return row.value
