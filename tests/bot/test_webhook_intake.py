"""Webhook mode: a secret is required, forged updates are refused, real ones recorded before 200."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import aiohttp
from typer.testing import CliRunner

from bot.app import build_application
from cli.main import app as cli
from services.settings import Settings
from storage import inbox
from storage.db import Database
from tests.support.app import point_at, stop_bot

SECRET = "s3cret-token_for-tests"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_mode_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[telegram]\ntoken = "1:abc"\nmode = "webhook"\nwebhook_url = "https://bot.example.org/tg"\n'
        f'[storage]\nurl = "sqlite:///{tmp_path / "db.sqlite3"}"\n'
    )
    result = CliRunner().invoke(cli, ["run", "--config", str(cfg)])
    assert result.exit_code == 1
    assert "telegram.webhook_secret" in result.output and "TRUSTLINE_TELEGRAM__WEBHOOK_SECRET" in result.output
    assert "Traceback" not in result.output


async def test_a_forged_update_gets_403_and_a_real_one_is_recorded_then_answered(
    fake_api: Any, database: Database, settings: Settings
) -> None:
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    port = free_port()
    url = f"http://127.0.0.1:{port}/tg"
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="tg", webhook_url=url, secret_token=SECRET)
    try:
        forged = {"update_id": 999, "message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
                                                 "from": {"id": 5, "is_bot": False, "first_name": "X"}, "text": "/forget"}}
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}):
                async with http.post(url, data=json.dumps(forged), headers=headers) as response:
                    assert response.status == 403
        assert database.call(inbox.counts) == {}

        ana = fake_api.user("Ana")
        await ana.send("/help")
        assert "Trustline" in (await ana.next_message(timeout=10)).text
        await fake_api.wait_until(lambda: database.call(inbox.counts) == {inbox.HANDLED: 1}, timeout=5)
    finally:
        await stop_bot(app)


async def test_an_update_recorded_by_a_process_that_stopped_before_handling_it_is_handled_by_the_sweep(
    fake_api: Any, database: Database, settings: Settings, monkeypatch: Any
) -> None:
    """A leader that stepped down (or died) between recording an update and handling it leaves a
    pending row that Telegram will not deliver again: the running leader adopts it."""
    from datetime import timedelta

    from bot import intake
    from tests.support.app import start_bot

    monkeypatch.setattr(intake, "ORPHAN_SWEEP", 0.2)
    monkeypatch.setattr(intake, "ORPHAN_AGE", timedelta(0))
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    await start_bot(app)
    try:
        ana = fake_api.user("Ana", started=True)
        orphan = {"update_id": 424242, "message": {"message_id": 77, "date": 0, "chat": {"id": ana.id, "type": "private"},
                                                   "from": ana.to_json(), "text": "/help",
                                                   "entities": [{"type": "bot_command", "offset": 0, "length": 5}]}}
        database.call(inbox.record, [orphan])  # recorded by the process that is gone; never confirmed again
        assert "Trustline" in (await ana.next_message(timeout=10)).text
        await fake_api.wait_until(lambda: database.call(inbox.counts).get("pending", 0) == 0, timeout=10)
    finally:
        await stop_bot(app)
