"""`trustline doctor`: the installation checklist (services/doctor.py does the checking)."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import ConfigOption
from services.doctor import DEFAULT_TIMEOUT, diagnose
from services.settings import Settings, load_settings


def doctor(
    ctx: typer.Context,
    config: ConfigOption = None,
    skip_model: Annotated[bool, typer.Option("--skip-model", help="Do not load the sentiment model (slow).")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each Telegram request.")] = DEFAULT_TIMEOUT,
) -> None:
    """Check the configuration, Telegram, the database, staff and secrets; print the fix for each problem."""

    def load() -> Settings:
        # Not settings_from: a broken config is the first line of the checklist, not an abort.
        if config is None and isinstance(ctx.obj, Settings):
            return ctx.obj
        return load_settings(config)

    failed = 0
    for check in diagnose(load, skip_model=skip_model, timeout=timeout):
        for line in check.lines():
            typer.echo(line)
        failed += check.status == "fail"
    if failed:
        typer.echo(f"\n{failed} problem(s) to fix before Trustline can serve residents.", err=True)
        raise typer.Exit(1)
    typer.echo("\nReady: `trustline run` has what it needs.")
