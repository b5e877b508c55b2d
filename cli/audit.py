"""`trustline audit ...`: the append-only follow-up audit log."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from cli.common import ConfigOption, fail, open_db_with_units, settings_from, since_date

audit_app = typer.Typer(help="The follow-up audit log.", no_args_is_help=True)


@audit_app.command("export")
def audit_export(
    ctx: typer.Context,
    out: Annotated[Optional[Path], typer.Option(help="File to write (default: standard output)")] = None,  # noqa: UP045
    case: Annotated[Optional[str], typer.Option(help="Only this case (reference or #number)")] = None,  # noqa: UP045
    since: Annotated[Optional[str], typer.Option(help="Only entries from this date (YYYY-MM-DD)")] = None,  # noqa: UP045
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "csv",
    config: ConfigOption = None,
) -> None:
    """Export the append-only audit log (who did what, when, on which case)."""
    from storage.cases import audit_rows, find_case

    settings = settings_from(ctx, config)
    if fmt not in ("csv", "jsonl"):
        raise fail("--format must be csv or jsonl")
    start = since_date(since, settings)

    def run(session: Any) -> list[Any]:
        case_id = None
        if case:
            found = find_case(session, case)
            if found is None:
                raise fail(f"no case {case!r}")
            case_id = found.id
        return audit_rows(session, case_id=case_id, since=start)

    rows = open_db_with_units(settings).call(run)
    fields = ("id", "time", "case", "actor", "staff", "action", "detail")
    records = [
        {"id": r.id, "time": r.created_at.isoformat(), "case": r.case_reference or "", "actor": r.actor,
         "staff": r.actor_name or "", "action": r.action, "detail": r.detail or ""}
        for r in rows
    ]
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.DictWriter(buffer, fieldnames=fields)
        writer.writeheader()
        writer.writerows(records)
    else:
        for record in records:
            buffer.write(json.dumps(record, ensure_ascii=False) + "\n")
    if out is None:
        sys.stdout.write(buffer.getvalue())
    else:
        out.write_text(buffer.getvalue(), encoding="utf-8")
        typer.echo(f"Wrote {len(records)} audit entries to {out}.", err=True)
