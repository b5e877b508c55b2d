"""The `trustline` command line: the Typer app, its global options, and every command group in
one place (each group lives in its own module; shared options and helpers in :mod:`cli.common`)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from cli import audit, cards, db, demo, digest, export, scoring, staff, tokens, units, worker
from cli.common import ConfigOption, fail, lazy_settings, settings_from
from cli.model import model_app
from storage.db import DatabaseNotReady

app = typer.Typer(help="Trustline: hear your residents, act on what they say.", no_args_is_help=True)


@app.callback()
def main(
    ctx: typer.Context,
    config: ConfigOption = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Debug logging.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
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
    from bot.app import MissingToken, open_database, require_token, run_bot
    from bot.wiring import build_full_application
    from nlp.model import ModelLoadError

    settings = settings_from(ctx, config)
    try:
        require_token(settings)  # cheapest check first: no point loading a model without a token
        database = open_database(settings)
        application = build_full_application(settings, database, scoring=scoring)
    except (MissingToken, DatabaseNotReady, ModelLoadError) as exc:
        raise fail(str(exc)) from None
    run_bot(settings, application)


# Commands first, then groups: `trustline --help` lists them in this order.
app.command("score")(scoring.score_command)
app.command("rescore")(scoring.rescore_command)
app.command("export")(export.export_command)
app.command("cards")(cards.cards_command)
app.command("worker")(worker.worker)
app.command("demo")(demo.demo)
app.add_typer(db.db_app, name="db")
app.add_typer(units.units_app, name="units")
app.add_typer(model_app, name="model")
app.add_typer(digest.digest_app, name="digest")
app.add_typer(staff.staff_app, name="staff")
app.add_typer(tokens.tokens_app, name="tokens")
app.add_typer(audit.audit_app, name="audit")



if __name__ == "__main__":  # pragma: no cover
    app()
