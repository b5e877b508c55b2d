"""Two `trustline run` with one token: one talks to Telegram, the other takes over when it dies."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from storage.db import upgrade
from tests.support.process import TrustlineProcess, write_run_config
from tests.support.tiny_models import tiny_model_dir

READY = "polling Telegram"


async def test_a_second_run_stands_by_and_takes_over_after_a_kill(fake_api: Any, db_url: str, tmp_path: Path) -> None:
    upgrade(db_url)
    config = write_run_config(tmp_path / "config.toml", fake_api, db_url, tiny_model_dir("three"))
    first = await TrustlineProcess(config, tmp_path / "first.log").start()
    second = TrustlineProcess(config, tmp_path / "second.log")
    try:
        await first.wait_for_output(READY)
        await second.start()
        await second.wait_for_output("standby: another trustline run holds the Telegram connection")
        assert f"pid={first.pid}" in second.output()
        await asyncio.sleep(1)
        assert READY not in second.output()

        first.kill()
        await first.stop()
        await second.wait_for_output("took over the Telegram connection")
        await second.wait_for_output(READY)
        ana = fake_api.user("Ana")
        await ana.send("/help")
        assert "Trustline" in (await ana.next_message(timeout=15)).text
        for proc in (first, second):
            assert "Traceback" not in proc.output() and "Conflict" not in proc.output()
    finally:
        first.kill()
        second.kill()
        await first.stop()
        await second.stop()
