"""`trustline cards`: a printable PDF of officer cards with QR deep links."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.common import BotUsernameOption, ConfigOption, LanguageOption, fail, open_db_with_units, settings_from
from cli.common import bot_username as ask_bot_username
from services.cards import render_cards
from storage.tokens import card_tokens
from storage.units import find_unit


def cards_command(
    ctx: typer.Context,
    unit: Annotated[str, typer.Option(help="Unit code")],
    out: Annotated[Path, typer.Option(help="PDF file to write")] = Path("cards.pdf"),
    new_tokens: Annotated[bool, typer.Option("--new-tokens", help="Revoke the unit's card tokens and print fresh ones")] = False,
    language: LanguageOption = None,
    bot_username: BotUsernameOption = None,
    config: ConfigOption = None,
) -> None:
    """A printable sheet of officer cards, each with a QR code deep link to the bot."""
    settings = settings_from(ctx, config)
    db = open_db_with_units(settings)
    if db.call(find_unit, unit) is None:
        raise fail(f"unknown unit {unit!r} (see `trustline units list`)")
    username = ask_bot_username(settings, bot_username)
    entries = db.call(card_tokens, unit, new_tokens)
    if not entries:
        raise fail(f"No active officers in {unit}. Invite them first with `trustline staff invite`.")
    lang = language or settings.agency.default_language
    pdf = render_cards(entries, username, settings.agency.name, settings.agency.emergency_number, lang)
    out.write_bytes(pdf)
    typer.echo(f"Wrote {len(entries)} card(s) for {unit} to {out}.")
