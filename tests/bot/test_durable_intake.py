"""Nothing a resident sends is lost or stored twice, whatever happens to the bot process."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage.db import Database, upgrade
from tests.support.process import TrustlineProcess, write_run_config
from tests.support.residents import reach_feedback_question, until
from tests.support.tiny_models import tiny_model_dir

RESIDENTS = 8
MESSAGES = 20  # each: 160 in all
READY = "polling Telegram"


def stored_texts(db: Database) -> Counter[str]:
    with db.engine.connect() as conn:
        return Counter(r[0] for r in conn.execute(text("SELECT text FROM feedbackmessage")))


async def finish(resident: Any) -> None:
    """/done, skip the ratings: the bot answers with the submission's reference."""
    await resident.send("/done")
    reply = await resident.next_message(timeout=15)
    while "respect" not in reply.text:
        reply = await resident.next_message(timeout=15)
    await resident.press("Skip all", message=reply)
    await until(resident, reply, "TL-", timeout=15)  # the question is edited into the reference


async def test_a_kill_during_a_burst_loses_no_message_and_doubles_none(
    fake_api: Any, db_url: str, tmp_path: Path
) -> None:
    upgrade(db_url)
    db = Database(db_url)
    config = write_run_config(tmp_path / "config.toml", fake_api, db_url, tiny_model_dir("three"))
    bot = await TrustlineProcess(config, tmp_path / "run.log").start()
    try:
        await bot.wait_for_output(READY)
        residents = [fake_api.user(f"R{i}", user_id=10_000 + i) for i in range(RESIDENTS)]
        await asyncio.gather(*(reach_feedback_question(r) for r in residents))
        total = RESIDENTS * MESSAGES

        async def burst() -> None:
            for j in range(MESSAGES):
                for i, r in enumerate(residents):
                    await r.send(f"resident {i} message {j}")
                await asyncio.sleep(0.05)

        sending = asyncio.create_task(burst())
        # kill -9 once about a third of the burst has been stored, mid-stream
        await fake_api.wait_until(lambda: sum(stored_texts(db).values()) >= total // 3, timeout=40)
        bot.kill()
        await bot.stop()
        killed_with = sum(stored_texts(db).values())
        await sending
        assert killed_with < total, "the kill came after everything was stored: the test proves nothing"

        bot = await TrustlineProcess(config, tmp_path / "run2.log").start()
        await bot.wait_for_output(READY)
        expected = {f"resident {i} message {j}" for i in range(RESIDENTS) for j in range(MESSAGES)}
        deadline = asyncio.get_running_loop().time() + 40
        while set(stored_texts(db)) != expected and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.2)
        stored = stored_texts(db)
        assert set(stored) == expected, f"lost: {sorted(expected - set(stored))[:5]}"
        assert max(stored.values()) == 1, f"doubled: {[t for t, n in stored.items() if n > 1][:5]}"

        # the conversations simply continue: finishing gives each resident a reference
        for r in residents:
            r.drain()
        await asyncio.gather(*(finish(r) for r in residents))
        assert "Traceback" not in bot.output()
    finally:
        bot.kill()
        await bot.stop()
        db.dispose()
