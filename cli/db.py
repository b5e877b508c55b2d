"""`trustline db ...`: the database schema."""

from __future__ import annotations

import typer

from cli.common import ConfigOption, fail, settings_from
from storage.db import upgrade

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, config: ConfigOption = None, revision: str = "head") -> None:
    """Create or migrate the database schema."""
    settings = settings_from(ctx, config)
    try:
        upgrade(settings.storage.url, revision)
    except Exception as exc:  # noqa: BLE001 - report any driver error as one line
        raise fail(f"Database upgrade failed: {exc}") from None
    typer.echo(f"Database is at the latest schema ({settings.storage.url.split('@')[-1]}).")
