"""What every `trustline` command group shares: the --config, --bot-username and --language
options, the one-line failure, settings from the Typer context and the migrated database, and
two fixes to how Typer reads and shows options (flags without ``<bool>``, arguments that start
with "-")."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperCommand, TyperOption

from services.settings import ConfigError, Settings, load_settings
from storage.db import Database, DatabaseNotReady
from storage.types import local_time
from storage.units import UnitSpec, sync_units

ConfigOption = Annotated[
    Optional[Path],  # noqa: UP045 - typer needs Optional here
    typer.Option("--config", "-c", help="Config file (default: $TRUSTLINE_CONFIG, ./config.toml, ./config.example.toml)."),
]
BotUsernameOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--bot-username", help="The bot's @username for t.me links (default: asked from Telegram with the token)."),
]

LanguageOption = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--language", "-l", help="Language: en, es or fr (default: agency.default_language)."),
]
# --lang, the name `digest` and `model eval` used before, still works; not shown.
LangAlias = Annotated[Optional[str], typer.Option("--lang", hidden=True)]  # noqa: UP045


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` in red on stderr; raise the returned Exit to stop with ``code``."""
    typer.secho(message, fg=typer.colors.RED, err=True)
    return typer.Exit(code)


def settings_from(ctx: typer.Context, config: Path | None) -> Settings:
    """A command's own --config, else what the main callback put in ``ctx.obj``."""
    if config is None and isinstance(ctx.obj, Settings):
        return ctx.obj
    if config is None and callable(ctx.obj):
        return ctx.obj()  # type: ignore[no-any-return]
    try:
        return load_settings(config)
    except ConfigError as exc:
        raise fail(str(exc)) from None


def lazy_settings() -> Callable[[], Settings]:
    """Settings loaded on first use, once, so commands like `version` work with a broken config."""
    loaded: list[Settings] = []

    def get() -> Settings:
        if not loaded:
            try:
                loaded.append(load_settings(None))
            except ConfigError as exc:
                raise fail(str(exc)) from None
        return loaded[0]

    return get


def open_db(settings: Settings) -> Database:
    """The database, refused with one line when it is not at the current schema."""
    # The bot's own check, imported late: it pulls in python-telegram-bot.
    from bot.app import open_database

    try:
        return open_database(settings)
    except DatabaseNotReady as exc:
        raise fail(str(exc)) from None


def open_db_with_units(settings: Settings) -> Database:
    """The migrated database, with config units synced (staff and tokens refer to them)."""
    db = open_db(settings)
    db.call(sync_units, [UnitSpec(u.code, u.name, u.district) for u in settings.units])
    return db


def since_date(value: str | None, settings: Settings) -> datetime | None:
    """``--since YYYY-MM-DD`` as the start of that day in the agency's time zone (None when absent)."""
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=settings.agency.tz)
    except ValueError:
        raise fail("--since must be a date like 2025-01-31") from None


def when(value: datetime | None, settings: Settings) -> str:
    """A stored time in the agency's time zone, ``-`` when unset."""
    if value is None:
        return "-"
    return local_time(value, settings.agency.tz)


def bot_username(settings: Settings, given: str | None) -> str:
    """--bot-username without its @, else asked from Telegram with the configured token."""
    if given:
        return given.lstrip("@")
    token = settings.telegram.token.get_secret_value() if settings.telegram.token else ""
    if not token:
        raise fail("Pass --bot-username (or configure the bot token so it can be asked from Telegram).")
    from telegram import Bot
    from telegram.error import TelegramError

    async def ask() -> str:
        async with Bot(token, base_url=settings.telegram.base_url, base_file_url=settings.telegram.base_file_url) as bot:
            return (await bot.get_me()).username

    try:
        return asyncio.run(ask())
    except (TelegramError, OSError) as exc:
        raise fail(f"Could not ask Telegram for the bot's username ({exc}); pass --bot-username.") from None


def hide_flag_placeholders() -> None:
    """Typer's rich help prints ``<bool>`` after every flag (--help included), which reads as if
    the flag wanted a value. Flags take none: show no type for them. Idempotent; a no-op on Typer
    versions without the hook."""
    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "trustline_flags", False):
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else original(self, ctx)  # type: ignore[no-any-return]

    display_type_rich.trustline_flags = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


class DashArguments(TyperCommand):
    """A command whose arguments may start with "-" (deep-link tokens can): whatever is not one of
    the command's own option names is an argument. Click on its own would read ``-J2cab`` as
    unknown options ``-J2`` then ``-c ab`` (--config), or refuse it; ``--`` before the argument
    works too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        takes_value: dict[str, bool] = {}
        for param in self.get_params(ctx):
            if getattr(param, "param_type_name", "") == "option":
                for name in (*param.opts, *param.secondary_opts):
                    takes_value[name] = not (param.is_flag or param.count)  # type: ignore[attr-defined]
        options: list[str] = []
        arguments: list[str] = []
        index = 0
        while index < len(args):
            arg = args[index]
            index += 1
            if arg == "--":
                arguments += args[index:]
                break
            name = arg.split("=", 1)[0]
            if name not in takes_value:
                arguments.append(arg)
                continue
            options.append(arg)
            if takes_value[name] and "=" not in arg and index < len(args):
                options.append(args[index])
                index += 1
        return super().parse_args(ctx, [*options, "--", *arguments])
