"""`trustline tokens ...`: deep-link tokens printed on cards and posters."""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer

from cli.common import BotUsernameOption, ConfigOption, DashArguments, fail, open_db_with_units, settings_from
from cli.common import bot_username as ask_bot_username
from services.cards import deep_link
from storage.models import Staff
from storage.models_cases import append_audit
from storage.tokens import list_tokens
from storage.units import create_token, find_unit, revoke_token

tokens_app = typer.Typer(help="Deep-link tokens printed on cards and posters.", no_args_is_help=True)


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    unit: Annotated[Optional[str], typer.Option(help="Unit code")] = None,  # noqa: UP045
    officer: Annotated[Optional[int], typer.Option(help="Staff number of the officer")] = None,  # noqa: UP045
    label: Annotated[Optional[str], typer.Option(help="What it is printed on, e.g. 'station poster'")] = None,  # noqa: UP045
    bot_username: BotUsernameOption = None,
    config: ConfigOption = None,
) -> None:
    """Create a deep-link token for a unit or an officer and print its link."""
    settings = settings_from(ctx, config)
    if unit is None and officer is None:
        raise fail("Give --unit and/or --officer.")

    def run(session: Any) -> str:
        unit_id = None
        if unit is not None:
            row = find_unit(session, unit)
            if row is None:
                raise fail(f"unknown unit {unit!r}")
            unit_id = row.id
        if officer is not None:
            staff = session.get(Staff, officer)
            if staff is None or not staff.active:
                raise fail(f"no active staff member #{officer}")
        token = create_token(session, unit_id=unit_id, officer_id=officer, label=label)
        append_audit(session, "token_created", actor="cli", detail=f"unit {unit or '-'} officer #{officer or '-'} {label or ''}".strip())
        return token.token

    token = open_db_with_units(settings).call(run)
    username = ask_bot_username(settings, bot_username)
    typer.echo(f"Token: {token}\nLink:  {deep_link(username, token)}")


@tokens_app.command("list")
def tokens_list(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include revoked tokens")] = False,
    config: ConfigOption = None,
) -> None:
    """List deep-link tokens."""
    settings = settings_from(ctx, config)
    for row in open_db_with_units(settings).call(list_tokens, include_revoked=all_):
        token, unit, officer, label, revoked = row.token, row.unit_code, row.officer_name, row.label, row.revoked_at
        typer.echo(f"{token:<18} {unit:<14} {officer[:24]:<24} {label[:30]:<30} {'revoked' if revoked else ''}")


@tokens_app.command("revoke", cls=DashArguments)
def tokens_revoke(
    ctx: typer.Context,
    token: Annotated[str, typer.Argument(help="As `tokens list` shows it (one starting with '-' works too).")],
    config: ConfigOption = None,
) -> None:
    """Revoke a token: its cards and posters stop pointing at the unit/officer."""
    settings = settings_from(ctx, config)

    def run(session: Any) -> bool:
        done = revoke_token(session, token)
        if done:
            append_audit(session, "token_revoked", actor="cli", detail=token[:64])
        return done

    if not open_db_with_units(settings).call(run):
        raise fail(f"No active token {token!r}.")
    typer.echo(f"Revoked {token}.")
