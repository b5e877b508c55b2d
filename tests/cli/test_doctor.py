"""`trustline doctor`: a checklist an operator can act on, and `run`'s cheap checks before the model.

The CLI runs in a worker thread (it has its own event loop) while the fake Bot API serves on the
test's loop, exactly as a real Bot API server would answer a separate process.
"""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from cli.main import app
from storage.db import Database, upgrade
from storage.models import Staff, utcnow
from storage.staff import register_chat
from storage.units import UnitSpec, sync_units

UNITS = [("D1-Patrol", "District 1 Patrol", "North"), ("D2-Patrol", "District 2 Patrol", "South")]


def write_config(
    path: Path, fake_api: Any, db_url: str, *, token: str | None = None, **sections: dict[str, str]
) -> Path:
    """A config aimed at the fake Bot API; ``sections`` add or replace TOML lines per section."""
    duty = fake_api.duty_chat.id if hasattr(fake_api, "duty_chat") else None
    body: dict[str, dict[str, str]] = {
        "telegram": {
            "token": f'"{token or fake_api.token}"',
            "base_url": f'"{fake_api.base_url}"',
            "base_file_url": f'"{fake_api.base_file_url}"',
        },
        "storage": {"url": f'"{db_url}"'},
        "privacy": {"pseudonym_secret": '"a-real-secret-0123456789abcdef"'},
        "agency": {"duty_chat_id": str(duty)} if duty is not None else {},
        "nlp": {"model": f'"{path.parent / "no-such-model"}"', "offline": "true"},
    }
    for section, values in sections.items():
        body.setdefault(section, {}).update(values)
    lines = []
    for section, values in body.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {value}" for key, value in values.items() if value is not None]
    for code, name, district in UNITS:
        lines += ["[[units]]", f'code = "{code}"', f'name = "{name}"', f'district = "{district}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def staff_up(db: Database, *, supervised: tuple[str, ...] = ("D1-Patrol", "D2-Patrol"), chat: bool = True) -> None:
    """Units in the database, an enrolled supervisor for each unit in ``supervised``, a staff chat."""
    with db.session() as session:
        sync_units(session, [UnitSpec(*u) for u in UNITS])
    from sqlmodel import select

    from storage.models import Unit

    with db.session() as session:
        for n, code in enumerate(supervised):
            unit = session.exec(select(Unit).where(Unit.code == code)).one()
            session.add(
                Staff(
                    display_name=f"Sgt {n}",
                    role="supervisor",
                    unit_id=unit.id,
                    telegram_user_id=9000 + n,
                    chat_id=9000 + n,
                    enrolled_at=utcnow(),
                )
            )
        if chat:
            register_chat(
                session, -100777, title="Commanders", scope_kind="agency", scope_value=None, registered_by=None
            )


@pytest.fixture
def fake(fake_api: Any) -> Any:
    fake_api.duty_chat = fake_api.group("Duty desk")
    return fake_api


async def doctor(config: Path, *args: str) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, app, ["doctor", "--config", str(config), "--skip-model", *args])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again when the with-block ends: nothing listens


async def test_a_ready_installation_is_all_ticks_and_exit_0(
    fake: Any, database: Database, db_url: str, tmp_path: Path
) -> None:
    staff_up(database)
    result = await doctor(write_config(tmp_path / "config.toml", fake, db_url))
    assert result.exit_code == 0, result.output
    assert "✗" not in result.output
    assert "✓ Configuration is valid" in result.output
    assert f"✓ Telegram accepts the token: the bot is @{fake.bot_username}" in result.output
    assert f"✓ Duty chat {fake.duty_chat.id} is reachable" in result.output
    assert "reachable and at the current schema" in result.output
    assert "✓ Every one of the 2 units has a supervisor or commander" in result.output
    assert "⚠ Sentiment model not checked (--skip-model)" in result.output


async def test_a_unit_nobody_can_take_cases_for_is_named(
    fake: Any, database: Database, db_url: str, tmp_path: Path
) -> None:
    staff_up(database, supervised=("D1-Patrol",), chat=False)
    result = await doctor(write_config(tmp_path / "config.toml", fake, db_url))
    assert result.exit_code == 1
    assert "✗ Nobody to route follow-up cases to for 1 of 2 units: D2-Patrol;" in result.output
    assert "trustline staff invite --role supervisor" in result.output
    assert "⚠ No staff chat registered" in result.output and "/register" in result.output


async def test_a_unit_with_officers_only_is_a_warning_naming_what_goes_to_the_admins(
    fake: Any, database: Database, db_url: str, tmp_path: Path
) -> None:
    staff_up(database, supervised=("D1-Patrol",))
    with database.session() as session:
        from sqlmodel import select

        from storage.models import Unit

        unit = session.exec(select(Unit).where(Unit.code == "D2-Patrol")).one()
        session.add(Staff(display_name="PC Olga", role="officer", unit_id=unit.id, telegram_user_id=9100,
                          chat_id=9100, enrolled_at=utcnow()))
    result = await doctor(write_config(tmp_path / "config.toml", fake, db_url))
    assert result.exit_code == 0, result.output  # ordinary cases have somebody: a warning, not a failure
    assert "⚠ Officers only, nobody above them, in 1 of 2 units: D2-Patrol." in result.output
    assert "sensitive complaints and escalations go to" in result.output
    assert "Every one of the 2 units" not in result.output


async def test_an_unmigrated_database_says_to_upgrade(fake: Any, db_url: str, tmp_path: Path) -> None:
    result = await doctor(write_config(tmp_path / "config.toml", fake, db_url))
    assert result.exit_code == 1
    assert "is not initialised" in result.output and "→ Run `trustline db upgrade`." in result.output
    assert "⚠ Units and staff chats not checked" in result.output


@pytest.fixture
def sqlite_ready(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ready.sqlite3'}"
    upgrade(url)
    db = Database(url)
    staff_up(db)
    db.dispose()
    return url


FAILURES = {
    "bad token": (
        {"telegram": {"token": '"999:WRONG-token"'}},
        "✗ Telegram rejected the token (getMe: Unauthorized).",
    ),
    "malformed token": (
        {"telegram": {"token": '"not a token"'}},
        "✗ The Telegram token does not look like one from @BotFather",
    ),
    "no duty chat": (
        {"agency": {"duty_chat_id": None}},
        "✗ No duty chat: emergency alerts from residents would go nowhere.",
    ),
    "duty chat unknown": ({"agency": {"duty_chat_id": "-100424242"}}, "✗ The duty chat -100424242 is not reachable"),
    "webhook without secret": (
        {"telegram": {"mode": '"webhook"', "webhook_url": '"https://trustline.example.gov/tg"'}},
        "✗ Webhook mode without telegram.webhook_secret",
    ),
    "example pseudonym secret": (
        {"privacy": {"pseudonym_secret": '"..."'}},
        "✗ privacy.pseudonym_secret is the example value",
    ),
    "empty pseudonym secret": ({"privacy": {"pseudonym_secret": '"  "'}}, "✗ privacy.pseudonym_secret is empty"),
    "invalid config": ({"agency": {"timezone": '"Mars/Olympus"'}}, "✗ The configuration is not valid"),
}


@pytest.mark.parametrize("case", FAILURES, ids=list(FAILURES))
async def test_each_problem_is_a_cross_with_its_fix_and_exit_1(
    fake: Any, sqlite_ready: str, tmp_path: Path, case: str
) -> None:
    sections, expected = FAILURES[case]
    result = await doctor(write_config(tmp_path / "config.toml", fake, sqlite_ready, **sections))
    assert result.exit_code == 1, result.output
    assert expected in result.output
    crosses = [line for line in result.output.splitlines() if line.startswith("✗")]
    assert len(crosses) == 1, crosses
    assert result.output.splitlines()[result.output.splitlines().index(crosses[0]) + 1].startswith("  → ")
    assert "Traceback" not in result.output and "WRONG-token" not in result.output


async def test_telegram_unreachable_names_the_url(fake: Any, sqlite_ready: str, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    config = write_config(tmp_path / "config.toml", fake, sqlite_ready, telegram={"base_url": f'"{url}"'})
    result = await doctor(config, "--timeout", "3")
    assert result.exit_code == 1
    assert f"✗ Cannot reach Telegram at {url}: " in result.output
    assert "→ Check the network or telegram.base_url." in result.output


async def test_a_model_that_cannot_be_loaded_is_a_cross(fake: Any, sqlite_ready: str, tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml", fake, sqlite_ready)
    result = await asyncio.to_thread(CliRunner().invoke, app, ["doctor", "--config", str(config)])
    assert result.exit_code == 1
    assert "✗ Could not load the sentiment model" in result.output and "no-such-model" in result.output


# --- `trustline run`: Telegram is checked before the model loads --------------------------------


async def run(config: Path) -> Result:
    return await asyncio.to_thread(CliRunner().invoke, app, ["run", "--config", str(config)])


async def test_run_with_a_rejected_token_is_one_line_and_exit_1(fake: Any, sqlite_ready: str, tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml", fake, sqlite_ready, token="999:WRONG-token")
    result = await run(config)
    assert result.exit_code == 1
    assert (
        result.stderr.strip() == "Telegram rejected the token (getMe: Unauthorized). Check TRUSTLINE_TELEGRAM__TOKEN."
    )
    assert "Traceback" not in result.output and "no-such-model" not in result.output  # the model was never tried


async def test_run_with_telegram_unreachable_is_one_line_and_exit_1(
    fake: Any, sqlite_ready: str, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{closed_port()}/bot"
    result = await run(write_config(tmp_path / "config.toml", fake, sqlite_ready, telegram={"base_url": f'"{url}"'}))
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.startswith(f"Cannot reach Telegram at {url}: ") and line.endswith(
        "Check the network or telegram.base_url."
    )
    assert "\n" not in line and "Traceback" not in result.output
