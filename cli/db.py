"""`trustline db ...`: the database schema."""

from __future__ import annotations

from pathlib import Path

import typer
from sqlalchemy import make_url

from cli.common import ConfigOption, fail, settings_from
from storage.db import current_revision, head_revision, is_known_revision, make_engine, normalise_url, upgrade

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


@db_app.command("current")
def db_current(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Print the database's schema revision and the one this version needs (head); exit 1 unless
    they are the same."""
    settings = settings_from(ctx, config)
    url = make_url(normalise_url(settings.storage.url))
    head = head_revision()
    is_file = url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:")
    if is_file and not Path(str(url.database)).exists():
        current = None  # not created by looking at it
    else:
        engine = make_engine(url.render_as_string(hide_password=False))
        try:
            current = current_revision(engine)
        except Exception as exc:  # noqa: BLE001 - report any driver error as one line
            raise fail(f"Cannot read the database's revision: {exc}") from None
        finally:
            engine.dispose()
    typer.echo(f"current: {current or '(none: empty database)'}")
    typer.echo(f"head:    {head}")
    if current == head:
        typer.echo("Up to date.")
        return
    if current is None or is_known_revision(current):
        raise fail("Behind: run `trustline db upgrade`.")
    raise fail(f"Revision {current} is unknown to this version of Trustline (migrated by a newer one?).")
