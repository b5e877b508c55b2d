"""`trustline units ...`: the units residents can give feedback about."""

from __future__ import annotations

from typing import Annotated

import typer

from cli.common import ConfigOption, fail, open_db, open_db_with_units, settings_from
from services.settings import UnitSettings
from storage.units import UnitSpec, add_unit, list_units

units_app = typer.Typer(help="Units residents can give feedback about.", no_args_is_help=True)


@units_app.command("list")
def units_list(ctx: typer.Context, config: ConfigOption = None) -> None:
    """List units (config units are added on start-up and by `units add`)."""
    settings = settings_from(ctx, config)
    rows = open_db_with_units(settings).call(list_units)
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
