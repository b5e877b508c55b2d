"""The `trustline` command line, as an operator uses it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app

runner = CliRunner()


def write_config(tmp_path: Path, db_url: str, token: str | None = None) -> Path:
    cfg = tmp_path / "config.toml"
    lines = [f'[storage]\nurl = "{db_url}"\n', '[[units]]\ncode = "D1"\nname = "District One"\ndistrict = "North"\n']
    if token:
        lines.insert(0, f'[telegram]\ntoken = "{token}"\n')
    cfg.write_text("".join(lines))
    return cfg


def test_version_prints_the_package_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0 and result.output.startswith("trustline ")


def test_run_without_token_says_how_to_get_one(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, db_url)
    assert runner.invoke(app, ["db", "upgrade", "--config", str(cfg)]).exit_code == 0
    result = runner.invoke(app, ["run", "--config", str(cfg)])
    assert result.exit_code == 1
    assert "@BotFather" in result.output and "TRUSTLINE_TELEGRAM__TOKEN" in result.output


def test_run_refuses_an_unmigrated_database(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, db_url, token="1:abc")
    result = runner.invoke(app, ["run", "--config", str(cfg)])
    assert result.exit_code == 1
    assert "trustline db upgrade" in result.output and "Traceback" not in result.output


def test_db_upgrade_then_units_add_and_list(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, db_url)
    result = runner.invoke(app, ["db", "upgrade", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["units", "add", "T-9", "--name", "Traffic Nine", "--district", "South", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    listing = runner.invoke(app, ["units", "list", "--config", str(cfg)])
    assert "T-9" in listing.output and "Traffic Nine" in listing.output
    assert "D1" in listing.output, "config units are listed too"
    again = runner.invoke(app, ["units", "add", "T-9", "--name", "x", "--district", "y", "--config", str(cfg)])
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.mark.parametrize("code", ["has space", "", "x" * 41])
def test_units_add_rejects_bad_codes(tmp_path: Path, code: str) -> None:
    cfg = write_config(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    runner.invoke(app, ["db", "upgrade", "--config", str(cfg)])
    result = runner.invoke(app, ["units", "add", code, "--name", "n", "--district", "d", "--config", str(cfg)])
    assert result.exit_code == 1 and "Invalid unit" in result.output


def test_bad_config_is_one_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.toml"
    cfg.write_text('[agency]\ntimezone = "Nowhere/Land"\n')
    result = runner.invoke(app, ["units", "list", "--config", str(cfg)])
    assert result.exit_code == 1
    assert "agency.timezone" in result.output and "Traceback" not in result.output
