"""`trustline digest ...`: Trust Index digests without Telegram.

* ``trustline digest --period 2026-W47 [--unit X | --district D] [--language es] --out DIR`` renders
  exactly what the scheduled digest posts (text, Telegram HTML, chart PNGs) to files;
* ``trustline digest rebuild`` recomputes the rollups from stored feedback;
* ``trustline digest runs`` lists the delivery ledger; ``trustline digest release`` allows one
  resend of a failed (e.g. interrupted) digest after an admin checked the chat.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from sqlmodel import Session

from cli.common import ConfigOption, LangAlias, LanguageOption, fail, open_db, settings_from
from services.digest_schedule import last_complete_week
from services.digests import current_rollups, load_report, render_digest, resolve_scope, write_files
from services.settings import Settings
from storage import rollups
from storage.db import Database
from storage.digests import list_runs, release
from trust.periods import format_period

digest_app = typer.Typer(help="Trust Index digests: render to files, rebuild rollups, delivery ledger.")


@digest_app.callback(invoke_without_command=True)
def digest_command(
    ctx: typer.Context,
    period: Annotated[Optional[str], typer.Option(help="ISO week, e.g. 2026-W47 (default: the last complete week).")] = None,  # noqa: UP045
    unit: Annotated[Optional[str], typer.Option(help="Only this unit (code), as its unit chat receives it.")] = None,  # noqa: UP045
    district: Annotated[Optional[str], typer.Option(help="Only this district, as its district chat receives it.")] = None,  # noqa: UP045
    language: LanguageOption = None,
    out: Annotated[Path, typer.Option(help="Directory for the files.")] = Path("digest"),
    charts: Annotated[bool, typer.Option(help="Also render the chart PNGs.")] = True,
    config: ConfigOption = None,
    lang: LangAlias = None,
) -> None:
    """Render a weekly digest to files (text, Telegram HTML, charts), without Telegram."""
    if ctx.invoked_subcommand is not None:
        return
    settings = settings_from(ctx, config)
    if unit and district:
        raise fail("Give --unit or --district, not both.")
    try:
        week = format_period(period) if period else last_complete_week(datetime.now(settings.agency.tz), settings.agency.tz)
    except ValueError as exc:
        raise fail(str(exc)) from None
    db = open_db(settings)
    ensure_current_rollups(db, settings)
    org = db.call(rollups.org_chart, settings.agency.name)
    try:
        scope = resolve_scope(org, unit=unit, district=district)
    except ValueError as exc:
        raise fail(str(exc)) from None
    loaded = db.call(load_report, settings, week, scope)
    digest = render_digest(loaded, settings, language or lang or settings.agency.default_language, charts=charts)
    for path in write_files(digest, out):
        typer.echo(str(path))


def ensure_current_rollups(db: Database, settings: Settings) -> None:
    """Rollups built for this config's time zone and weights (rebuilt once, said on stderr, if not)."""
    if db.call(current_rollups, settings):
        typer.echo("Rebuilt the Trust Index rollups for the current configuration.", err=True)


@digest_app.command("rebuild")
def rebuild_command(ctx: typer.Context, config: ConfigOption = None) -> None:
    """Recompute the Trust Index rollups from all stored feedback (after restoring a backup, say)."""
    settings = settings_from(ctx, config)
    db = open_db(settings)
    cfg = rollups.RollupConfig.of(settings.agency.timezone, settings.trust)

    def run(session: Session) -> int:
        rollups.ensure_config(session, cfg)
        return rollups.rebuild(session, cfg)

    rows = db.call(run)
    typer.echo(f"Rebuilt the rollups: {rows} rows.")


@digest_app.command("runs")
def runs_command(
    ctx: typer.Context,
    period: Annotated[Optional[str], typer.Option(help="Only this period.")] = None,  # noqa: UP045
    limit: Annotated[int, typer.Option(help="Most recent N runs.")] = 30,
    config: ConfigOption = None,
) -> None:
    """The digest delivery ledger: what was posted where, and what failed."""
    settings = settings_from(ctx, config)
    runs = open_db(settings).call(list_runs, period=period, limit=limit)
    if not runs:
        typer.echo("No digest runs yet.")
    for r in runs:
        when = (r.finished_at or r.claimed_at).strftime("%Y-%m-%d %H:%M")
        typer.echo(f"{r.kind:<7} {r.period:<10} chat {r.chat_id:<16} {r.status:<8} {when} "
                   f"{len(r.message_ids)} msgs {r.error or ''}".rstrip())


@digest_app.command("release")
def release_command(
    ctx: typer.Context,
    period: Annotated[str, typer.Option(help="The period of the failed digest, e.g. 2026-W47.")],
    chat: Annotated[int, typer.Option(help="The Telegram chat id it was for.")],
    kind: Annotated[str, typer.Option(help="weekly or daily.")] = "weekly",
    config: ConfigOption = None,
) -> None:
    """Allow one resend of a FAILED digest (check the chat first: an interrupted one may be partly there)."""
    settings = settings_from(ctx, config)
    if not open_db(settings).call(release, kind, period, chat):
        raise fail(f"No failed {kind} digest {period} for chat {chat}.")
    typer.echo(f"Released: the {kind} digest {period} will be posted to chat {chat} at the next check, "
               f"if it is still within digest.catch_up_weeks.")
