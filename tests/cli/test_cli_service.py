"""The command line as a service operator meets it: help texts, one --language, tokens that start
with "-", `units remove` and `db current`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from sqlmodel import select
from typer.testing import CliRunner

from cli.main import app
from storage.db import Database, head_revision
from storage.models import DeepLinkToken
from storage.models_cases import AuditEntry
from storage.units import CODE_ALPHABET, UnitSpec, create_token, find_unit, new_token, resolve_token, sync_units
from tests.cli.test_cli import write_config

runner = CliRunner()


def commands(command: Any = None, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    command = command or typer.main.get_command(app)
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from commands(sub, (*path, name))


ALL = [path for path, _ in commands()]


@pytest.mark.parametrize("path", ALL, ids=lambda p: " ".join(p) or "trustline")
def test_help_shows_no_type_placeholder_for_flags(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output and "BOOLEAN" not in result.output
    assert "--help" in result.output


def test_every_command_that_reads_settings_takes_config() -> None:
    leaves = {" ".join(path): cmd for path, cmd in commands() if not hasattr(cmd, "commands") and path}
    without = sorted(name for name, cmd in leaves.items() if "--config" not in {o for p in cmd.params for o in p.opts})
    assert without == ["version"]


def test_language_is_one_name_everywhere_and_lang_still_works_unseen() -> None:
    languages = {}
    for path, cmd in commands():
        for param in cmd.params:
            if "lang" in (param.name or ""):
                languages.setdefault(" ".join(path), []).append((tuple(param.opts), param.hidden))
    shown = {cmd for cmd, opts in languages.items() if (("--language", "-l"), False) in opts}
    assert shown == {"cards", "poster", "digest", "model eval"}
    assert all(hidden for opts in languages.values() for names, hidden in opts if names != ("--language", "-l"))
    assert "--lang " not in runner.invoke(app, ["digest", "--help"], env={"COLUMNS": "200"}).output


def test_new_tokens_are_card_codes_that_never_start_with_a_dash() -> None:
    codes = {new_token() for _ in range(300)}
    assert len(codes) == 300
    for code in codes:
        assert len(code) == 9 and code[4] == "-" and set(code.replace("-", "")) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)


@pytest.mark.parametrize("token", ["-J2ln0aZx", "-Jc2abX", "--Jq"])
def test_a_token_starting_with_a_dash_can_be_revoked(tmp_path: Path, db_url: str, token: str) -> None:
    cfg = write_config(tmp_path, db_url)
    assert runner.invoke(app, ["db", "upgrade", "--config", str(cfg)]).exit_code == 0
    db = Database(db_url)
    unit = db.call(sync_units, [UnitSpec("D1", "District One", "North")])[0].id
    db.call(lambda s: s.add(DeepLinkToken(token=token, unit_id=unit, label="old")))
    db.call(lambda s: s.add(DeepLinkToken(token=token + "x", unit_id=unit, label="old")))
    # "-Jc2abX" holds "c": plain click would read "-c 2abX" as --config.
    result = runner.invoke(app, ["tokens", "revoke", token, "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    assert f"Revoked {token}." in result.output
    after_dashes = runner.invoke(app, ["tokens", "revoke", "--config", str(cfg), "--", token + "x"])
    assert after_dashes.exit_code == 0, after_dashes.output
    assert all(db.call(lambda s: [t.revoked_at is not None for t in s.exec(select(DeepLinkToken)).all()]))
    assert db.call(resolve_token, token) is None and db.call(resolve_token, token + "x") is None
    db.dispose()


def test_a_card_code_typed_in_lower_case_still_opens_its_unit(database: Database) -> None:
    database.call(sync_units, [UnitSpec("D1", "District One", "North")])
    unit = database.call(find_unit, "D1")
    code = database.call(lambda s: create_token(s, unit_id=unit.id).token)
    target = database.call(resolve_token, code.lower())
    assert target is not None and target.token == code and target.unit_id == unit.id


def test_units_remove_takes_a_unit_out_of_service_and_keeps_its_history(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, db_url)
    run = lambda *args: runner.invoke(app, [*args, "--config", str(cfg)])  # noqa: E731
    assert run("db", "upgrade").exit_code == 0
    assert run("units", "add", "T-9", "--name", "Traffic Nine", "--district", "South").exit_code == 0
    db = Database(db_url)
    unit_id = db.call(find_unit, "T-9").id
    token = db.call(lambda s: create_token(s, unit_id=unit_id, label="poster").token)

    result = run("units", "remove", "t-9")
    assert result.exit_code == 0, result.output
    assert "Removed unit T-9" in result.output and "history is kept" in result.output
    assert "T-9" not in run("units", "list").output
    assert "Traffic Nine  (removed)" in run("units", "list", "--all").output
    assert db.call(resolve_token, token) is None, "its posters no longer point at it"
    assert db.call(lambda s: s.get(DeepLinkToken, token).revoked_at) is None, "nothing is deleted or revoked"
    audit = db.call(lambda s: [e.detail for e in s.exec(select(AuditEntry)).all() if e.action == "unit_removed"])
    assert audit == ["T-9"]

    again = run("units", "remove", "T-9")
    assert again.exit_code == 1 and "already removed" in again.output
    assert run("units", "remove", "nope").exit_code == 1
    in_config = run("units", "remove", "D1")
    assert in_config.exit_code == 1 and "[[units]]" in in_config.output

    back = run("units", "add", "T-9", "--name", "Traffic 9", "--district", "South")
    assert back.exit_code == 0, back.output
    assert "Traffic 9" in run("units", "list").output
    assert db.call(resolve_token, token) is not None, "brought back, its posters work again"
    db.dispose()


def test_staff_cannot_be_invited_or_moved_to_a_removed_unit(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, db_url)
    run = lambda *args: runner.invoke(app, [*args, "--config", str(cfg)])  # noqa: E731
    assert run("db", "upgrade").exit_code == 0
    assert run("units", "add", "T-9", "--name", "Traffic Nine", "--district", "South").exit_code == 0
    assert run("units", "remove", "T-9").exit_code == 0

    refused = run("staff", "invite", "--role", "officer", "--unit", "t-9", "--name", "Ana")
    assert refused.exit_code == 1, refused.output
    assert isinstance(refused.exception, SystemExit) and "Traceback" not in refused.output
    assert "T-9 (Traffic Nine) was removed" in refused.output and "trustline units list" in refused.output
    assert "Enrolment code" not in refused.output
    assert "No staff yet" in run("staff", "list", "--all").output, "nobody was created"

    invited = run("staff", "invite", "--role", "officer", "--unit", "D1", "--name", "Ana")
    assert invited.exit_code == 0, invited.output
    moved = run("staff", "move", "1", "--unit", "T-9")
    assert moved.exit_code == 1 and "was removed" in moved.output

    assert run("units", "add", "T-9", "--name", "Traffic Nine", "--district", "South").exit_code == 0
    assert run("staff", "invite", "--role", "supervisor", "--unit", "T-9").exit_code == 0, "brought back, it takes staff"


def test_db_current_on_an_up_to_date_and_on_an_empty_database(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, db_url)
    empty = runner.invoke(app, ["db", "current", "--config", str(cfg)])
    assert empty.exit_code == 1
    assert "current: (none: empty database)" in empty.output and f"head:    {head_revision()}" in empty.output
    assert "trustline db upgrade" in empty.output
    if db_url.startswith("sqlite"):
        assert not (tmp_path / "trustline.sqlite3").exists(), "looking does not create the file"
    assert runner.invoke(app, ["db", "upgrade", "--config", str(cfg)]).exit_code == 0
    current = runner.invoke(app, ["db", "current", "--config", str(cfg)])
    assert current.exit_code == 0, current.output
    assert f"current: {head_revision()}" in current.output and "Up to date." in current.output


def test_poster_prints_a_unit_poster_with_one_reused_token(tmp_path: Path, db_url: str) -> None:
    cfg = write_config(tmp_path, db_url)
    run = lambda *args: runner.invoke(app, [*args, "--bot-username", "@spring_bot", "--config", str(cfg)])  # noqa: E731
    assert runner.invoke(app, ["db", "upgrade", "--config", str(cfg)]).exit_code == 0
    out = tmp_path / "poster.pdf"
    first = run("poster", "--unit", "d1", "--out", str(out), "-l", "es")
    assert first.exit_code == 0, first.output
    assert "Wrote the poster of d1" in first.output
    db = Database(db_url)
    tokens = lambda: db.call(lambda s: [(t.token, t.revoked_at is None) for t in s.exec(select(DeepLinkToken)).all()])  # noqa: E731
    [(token, alive)] = tokens()
    assert alive
    assert f"(https://t.me/spring_bot?start={token})".encode() in out.read_bytes()
    assert run("poster", "--unit", "D1", "--out", str(out)).exit_code == 0
    assert tokens() == [(token, True)], "a reprint keeps the poster already on the wall working"
    assert run("poster", "--unit", "D1", "--out", str(out), "--new-tokens").exit_code == 0
    assert sorted(alive for _, alive in tokens()) == [False, True]
    assert run("poster", "--unit", "nope", "--out", str(out)).exit_code == 1
    db.dispose()


def test_the_readme_command_table_lists_every_command() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Command line", 1)[1].split("\n\n", 2)[1]
    missing = []
    for path, _ in commands():
        if len(path) == 1 and f"`trustline {path[0]}" not in table:
            missing.append(path[0])
        if len(path) == 2:
            rows = [row for row in table.splitlines() if f"`trustline {path[0]} " in row]
            if not any(re.search(rf"\b{re.escape(path[1])}\b", row) for row in rows):
                missing.append(" ".join(path))
    assert not missing, f"README's command table lacks {missing}"
