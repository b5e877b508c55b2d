"""`trustline units ...`: the units residents can give feedback about."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli.common import ConfigOption, fail, open_db, open_db_with_units, settings_from
from services.settings import UnitSettings
from storage.models_cases import append_audit
from storage.units import RemovedUnit, UnitSpec, add_unit, list_units, remove_unit

units_app = typer.Typer(help="Units residents can give feedback about.", no_args_is_help=True)


@units_app.command("list")
def units_list(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include removed units.")] = False,
    config: ConfigOption = None,
) -> None:
    """List units (config units are added on start-up and by `units add`)."""
    settings = settings_from(ctx, config)
    rows = open_db_with_units(settings).call(list_units, active_only=not all_)
    if not rows:
        typer.echo("No units yet. Add [[units]] to the config or run `trustline units add`.")
    for unit in rows:
        typer.echo(f"{unit.code:<20} {unit.district:<20} {unit.name}{'' if unit.active else '  (removed)'}")


@units_app.command("add")
def units_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Short unique code, e.g. D3-Patrol")],
    name: Annotated[str, typer.Option(help="Name residents see")],
    district: Annotated[str, typer.Option(help="District the unit belongs to")],
    config: ConfigOption = None,
) -> None:
    """Add a unit to the database (or bring back a removed one under its code)."""
    settings = settings_from(ctx, config)
    try:
        spec = UnitSettings(code=code, name=name, district=district)
    except ValueError as exc:
        raise fail(f"Invalid unit: {exc}") from None
    try:
        open_db(settings).call(add_unit, UnitSpec(spec.code, spec.name, spec.district))
    except ValueError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Added unit {code}.")


@units_app.command("remove")
def units_remove(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The unit's code, as `units list` shows it.")],
    config: ConfigOption = None,
) -> None:
    """Take a unit out of service: residents can no longer choose it and links on its cards and
    posters stop pointing at it. Its feedback, cases and past figures are kept; nothing is deleted.
    `units add CODE` brings it back."""
    settings = settings_from(ctx, config)
    if any(u.code.lower() == code.lower() for u in settings.units):
        raise fail(f"{code} is in the config's [[units]] and would come back at the next start: "
                   "remove it there first, then run this again.")

    def run(session: Any) -> RemovedUnit:
        removed = remove_unit(session, code)
        append_audit(session, "unit_removed", actor="cli", detail=removed.code)
        return removed

    try:
        removed = open_db_with_units(settings).call(run)
    except ValueError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"Removed unit {removed.code}: residents can no longer choose it; its history is kept.")
    if removed.staff:
        typer.echo(f"{removed.staff} staff member(s) still belong to it: move them with `trustline staff move`.")
