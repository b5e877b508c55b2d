"""The `trustline` command line: the Typer app, its global options, and every command group in
one place (each group lives in its own module; shared options and helpers in :mod:`cli.common`)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli import audit, cards, corrections, db, demo, digest, doctor, export, scoring, staff, tokens, units, worker
from cli.common import ConfigOption, fail, hide_flag_placeholders, lazy_settings, settings_from
from cli.model import model_app
from services.logs import configure_logging
from storage.db import DatabaseNotReady

hide_flag_placeholders()
app = typer.Typer(help="Trustline: hear your residents, act on what they say.", no_args_is_help=True)


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
        ctx.obj = lazy_settings()


@app.command()
def version() -> None:
    """Print Trustline's version."""
    from importlib.metadata import version as pkg_version

    typer.echo(f"trustline {pkg_version('trustline')}")


@app.command()
def run(
    ctx: typer.Context,
    config: ConfigOption = None,
    scoring: Annotated[bool, typer.Option(help="Score messages here; --no-scoring leaves it to `trustline worker`.")] = True,
) -> None:
    """Run the bot (long polling, or webhook when telegram.mode = 'webhook')."""
    # Imported here: the bot, PTB and the model stack are only needed to run the bot.
    from telegram.error import InvalidToken, NetworkError

    from bot.app import MissingToken, SteppedDown, open_database, require_token, run_bot
    from bot.leadership import STEPPED_DOWN_EXIT
    from bot.ops import OpsPortUnavailable
    from bot.wiring import build_full_application
    from nlp.model import ModelLoadError
    from services.doctor import TelegramUnavailable, verify_telegram

    settings = settings_from(ctx, config)
    try:
        # Cheapest checks first: no point loading a model (a minute) for a bot that cannot start.
        require_token(settings)
        database = open_database(settings)
        verify_telegram(settings)  # token shape, then getMe
        application = build_full_application(settings, database, scoring=scoring)
    except (MissingToken, DatabaseNotReady, TelegramUnavailable, ModelLoadError) as exc:
        raise fail(str(exc)) from None
    try:
        run_bot(settings, application)
    except OpsPortUnavailable as exc:
        raise fail(str(exc)) from None
    except SteppedDown as exc:  # its supervisor restarts it; it then waits as the standby
        raise fail(str(exc), code=STEPPED_DOWN_EXIT) from None
    except InvalidToken:  # revoked between the check and the start
        raise fail("Telegram rejected the token (getMe: Unauthorized). Check TRUSTLINE_TELEGRAM__TOKEN.") from None
    except NetworkError as exc:
        raise fail(
            f"Cannot reach Telegram at {settings.telegram.base_url}: {exc.message.rstrip('.')}. "
            "Check the network or telegram.base_url."
        ) from None


# Commands first, then groups: `trustline --help` lists them in this order.
app.command("score")(scoring.score_command)
app.command("rescore")(scoring.rescore_command)
app.command("export")(export.export_command)
app.command("cards")(cards.cards_command)
app.command("poster")(cards.poster_command)
app.command("worker")(worker.worker)
app.command("demo")(demo.demo)
app.command("doctor")(doctor.doctor)
app.add_typer(db.db_app, name="db")
app.add_typer(units.units_app, name="units")
app.add_typer(model_app, name="model")
app.add_typer(digest.digest_app, name="digest")
app.add_typer(staff.staff_app, name="staff")
app.add_typer(tokens.tokens_app, name="tokens")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(corrections.corrections_app, name="corrections")

if __name__ == "__main__":  # pragma: no cover
    app()
