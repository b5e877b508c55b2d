"""`trustline cards` and `trustline poster`: printable PDFs with QR deep links to the bot."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import BotUsernameOption, ConfigOption, LanguageOption, fail, open_db_with_units, settings_from
from cli.common import bot_username as ask_bot_username
from services.cards import render_cards, render_poster
from services.settings import Settings
from storage.db import Database
from storage.tokens import card_tokens, poster_token
from storage.units import find_unit

UnitOption = Annotated[str, typer.Option(help="Unit code (see `trustline units list`).")]
NewTokensOption = Annotated[
    bool, typer.Option("--new-tokens", help="Revoke the tokens printed before and print fresh ones.")
]


def _open(
    ctx: typer.Context, config: Path | None, unit: str, bot_username: str | None
) -> tuple[Settings, Database, str]:
    """Settings, the database holding the active ``unit``, and the bot's username."""
    settings = settings_from(ctx, config)
    db = open_db_with_units(settings)
    row = db.call(find_unit, unit)
    if row is None:
        raise fail(f"unknown unit {unit!r} (see `trustline units list`)")
    if not row.active:
        raise fail(f"unit {row.code} was removed; `trustline units add {row.code} ...` brings it back")
    return settings, db, ask_bot_username(settings, bot_username)


def cards_command(
    ctx: typer.Context,
    unit: UnitOption,
    out: Annotated[Path, typer.Option(help="PDF file to write.")] = Path("cards.pdf"),
    new_tokens: NewTokensOption = False,
    language: LanguageOption = None,
    bot_username: BotUsernameOption = None,
    config: ConfigOption = None,
) -> None:
    """A printable A4 sheet of officer cards, each with a QR code deep link to the bot."""
    settings, db, username = _open(ctx, config, unit, bot_username)
    entries = db.call(card_tokens, unit, new_tokens)
    if not entries:
        raise fail(f"No active officers in {unit}. Invite them first with `trustline staff invite`.")
    lang = language or settings.agency.default_language
    out.write_bytes(render_cards(entries, username, settings.agency.name, settings.agency.emergency_number, lang))
    typer.echo(f"Wrote {len(entries)} card(s) for {unit} to {out}.")


def poster_command(
    ctx: typer.Context,
    unit: UnitOption,
    out: Annotated[Path, typer.Option(help="PDF file to write.")] = Path("poster.pdf"),
    new_tokens: NewTokensOption = False,
    language: LanguageOption = None,
    bot_username: BotUsernameOption = None,
    config: ConfigOption = None,
) -> None:
    """A printable A4 poster for a unit: a call to give feedback and a large QR code deep link."""
    settings, db, username = _open(ctx, config, unit, bot_username)
    unit_name, token = db.call(poster_token, unit, new_tokens)
    lang = language or settings.agency.default_language
    agency = settings.agency
    out.write_bytes(render_poster(unit_name, token, username, agency.name, agency.emergency_number, lang))
    typer.echo(f"Wrote the poster of {unit} to {out}.")
