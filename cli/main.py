"""The `trustline` command line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Optional

import typer

from services.logs import configure_logging
from services.settings import ConfigError, Settings, load_settings
from storage.db import Database, DatabaseNotReady, upgrade

app = typer.Typer(help="Trustline: hear your residents, act on what they say.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
units_app = typer.Typer(help="Units residents can give feedback about.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(units_app, name="units")

ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--config", "-c", help="Config file (default: $TRUSTLINE_CONFIG, ./config.toml, ./config.example.toml)."),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def settings_from(ctx: typer.Context, config: Path | None) -> Settings:
    if config is None and isinstance(ctx.obj, Settings):
        return ctx.obj
    if config is None and callable(ctx.obj):
        return ctx.obj()  # type: ignore[no-any-return]
    try:
        return load_settings(config)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def _lazy_settings() -> Callable[[], Settings]:
    loaded: list[Settings] = []

    def get() -> Settings:
        if not loaded:
            try:
                loaded.append(load_settings(None))
            except ConfigError as exc:
                raise fail(str(exc)) from None
        return loaded[0]

    return get


@app.callback()
def main(
    ctx: typer.Context,
    config: ConfigOption = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Debug logging, libraries included (shows residents' words).")
    ] = False,
) -> None:
    configure_logging(verbose)
    if config is not None:
        ctx.obj = settings_from(ctx, config)
    else:
        # Loaded on first use, so commands like `version` work even with a broken config file,
        # and every command (sub-apps included) sees the same ./config.toml and TRUSTLINE_* values.
        ctx.obj = _lazy_settings()


@app.command()
def version() -> None:
    """Print Trustline's version."""
    from importlib.metadata import version as pkg_version

    typer.echo(f"trustline {pkg_version('trustline')}")


@app.command()
def run(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Run the bot (long polling, or webhook when telegram.mode = 'webhook')."""
    from telegram.error import InvalidToken, NetworkError

    from bot.app import MissingToken, open_database, require_token, run_bot
    from bot.ops import OpsPortUnavailable
    from bot.wiring import build_full_application
    from nlp.model import ModelLoadError
    from services.doctor import TelegramUnavailable, verify_telegram

    settings = settings_from(ctx, config)
    try:
        # Cheapest checks first: no point loading a model (a minute) for a bot that cannot start.
        require_token(settings)
        db = open_database(settings)
        verify_telegram(settings)  # token shape, then getMe
        application = build_full_application(settings, db)
    except (MissingToken, DatabaseNotReady, TelegramUnavailable, ModelLoadError) as exc:
        raise fail(str(exc)) from None
    try:
        run_bot(settings, application)
    except OpsPortUnavailable as exc:
        raise fail(str(exc)) from None
    except InvalidToken:  # revoked between the check and the start
        raise fail("Telegram rejected the token (getMe: Unauthorized). Check TRUSTLINE_TELEGRAM__TOKEN.") from None
    except NetworkError as exc:
        raise fail(
            f"Cannot reach Telegram at {settings.telegram.base_url}: {exc.message.rstrip('.')}. "
            "Check the network or telegram.base_url."
        ) from None


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, config: ConfigOption = None, revision: str = "head") -> None:
    """Create or migrate the database schema."""
    settings = settings_from(ctx, config)
    try:
        upgrade(settings.storage.url, revision)
    except Exception as exc:  # noqa: BLE001 - report any driver error as one line
        raise fail(f"Database upgrade failed: {exc}") from None
    typer.echo(f"Database is at the latest schema ({settings.storage.url.split('@')[-1]}).")


def _db(settings: Settings) -> Database:
    from bot.app import open_database

    try:
        return open_database(settings)
    except DatabaseNotReady as exc:
        raise fail(str(exc)) from None


@units_app.command("list")
def units_list(ctx: typer.Context, config: ConfigOption = None) -> None:
    """List units (config units are added on start-up and by `units add`)."""
    from storage.units import UnitSpec, list_units, sync_units

    settings = settings_from(ctx, config)
    db = _db(settings)
    db.call(sync_units, [UnitSpec(u.code, u.name, u.district) for u in settings.units])
    rows = db.call(list_units)
    if not rows:
        typer.echo("No units yet. Add [[units]] to the config or run `trustline units add`.")
    for unit in rows:
        typer.echo(f"{unit.code:<20} {unit.district:<20} {unit.name}")


@units_app.command("add")
def units_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short unique code, e.g. D3-Patrol")],
    name: Annotated[str, typer.Option(help="Name residents see")],
    district: Annotated[str, typer.Option(help="District the unit belongs to")],
    config: ConfigOption = None,
) -> None:
    """Add a unit to the database."""
    from services.settings import UnitSettings
    from storage.units import UnitSpec, add_unit

    settings = settings_from(ctx, config)
    try:
        spec = UnitSettings(code=code, name=name, district=district)
    except ValueError as exc:
        raise fail(f"Invalid unit: {exc}") from None
    try:
        _db(settings).call(add_unit, UnitSpec(spec.code, spec.name, spec.district))
    except ValueError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Added unit {code}.")


from cli.scoring import register as register_scoring  # noqa: E402 - score, rescore, model

register_scoring(app)

from cli.digest import register as register_digest  # noqa: E402 - digest, export

register_digest(app)

from cli.staff import register as register_staff  # noqa: E402 - staff, tokens, cards, audit

register_staff(app)

from cli.doctor import register as register_doctor  # noqa: E402 - doctor

register_doctor(app)

if __name__ == "__main__":  # pragma: no cover
    app()
