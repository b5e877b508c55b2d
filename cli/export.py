"""`trustline export`: anonymised, redacted records and rollups as CSV or Parquet files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from cli.common import ConfigOption, fail, open_db, settings_from
from cli.digest import ensure_current_rollups
from services.export import FORMATS, export_feedback


def _day(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--{name} must be a date like 2026-11-16") from None


def export_command(
    ctx: typer.Context,
    since: Annotated[str, typer.Option(help="First day (agency time), e.g. 2026-09-01.")],
    until: Annotated[str, typer.Option(help="Last day, inclusive.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet.")] = "csv",
    out: Annotated[Path, typer.Option(help="Directory for the files.")] = Path("export"),
    redacted_text: Annotated[bool, typer.Option(help="Include the redacted message text.")] = True,
    config: ConfigOption = None,
) -> None:
    """Export anonymised, redacted feedback records, rollups and weekly group statistics."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise fail("--format must be csv or parquet")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            raise fail("Parquet needs pyarrow: pip install 'trustline[export]'") from None
    settings = settings_from(ctx, config)
    first, last = _day(since, "since"), _day(until, "until")
    if last < first:
        raise fail("--until is before --since")
    db = open_db(settings)
    ensure_current_rollups(db, settings)
    for sink in export_feedback(db, settings, first, last, out, fmt, redacted_text=redacted_text):
        typer.echo(f"{sink.path} ({sink.count} rows)")
