"""Two `trustline run` with one token: one talks to Telegram, the other takes over when it dies."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.leadership import STEPPED_DOWN_EXIT
from storage.db import Database, upgrade
from tests.support.process import TrustlineProcess, terminate_lock_connection, write_run_config
from tests.support.residents import reach_feedback_question
from tests.support.tiny_models import tiny_model_dir

READY = "polling Telegram"
STANDING_BY = "standby: another trustline run holds the Telegram connection"
LOST = "lost the Telegram connection lock"


def stored_texts(db: Database) -> Counter[str]:
    with db.engine.connect() as conn:
        return Counter(r[0] for r in conn.execute(text("SELECT text FROM feedbackmessage")))


def polls_by(fake_api: Any, client: str) -> list[float]:
    return [c.time for c in fake_api.calls_to("getUpdates") if c.client == client]


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


@pytest.mark.postgres
async def test_standby_takes_over_when_the_leaders_lock_connection_dies(
    fake_api: Any, postgres_url: str, tmp_path: Path
) -> None:
    upgrade(postgres_url)
    db = Database(postgres_url)
    model = tiny_model_dir("three")
    first = TrustlineProcess(
        write_run_config(tmp_path / "first.toml", fake_api, postgres_url, model, base_url=fake_api.client_base_url("first")),
        tmp_path / "first.log",
    )
    second = TrustlineProcess(
        write_run_config(tmp_path / "second.toml", fake_api, postgres_url, model, base_url=fake_api.client_base_url("second")),
        tmp_path / "second.log",
    )
    sending: asyncio.Task[None] | None = None
    try:
        await first.start()
        await first.wait_for_output(READY)
        await second.start()
        await second.wait_for_output(STANDING_BY)
        residents = [fake_api.user(f"R{i}", user_id=20_000 + i) for i in range(3)]
        await asyncio.gather(*(reach_feedback_question(r) for r in residents))
        rounds = 30

        async def burst() -> None:  # about 9 s of messages, across the whole handover
            for j in range(rounds):
                for i, r in enumerate(residents):
                    await r.send(f"resident {i} message {j}")
                await asyncio.sleep(0.3)

        sending = asyncio.create_task(burst())
        await asyncio.sleep(1)
        # The leader's lock connection dies while the leader cannot take the lock straight back
        # (frozen here; on a server: a network blip, a stalled VM). Awake, the leader would get it
        # back within milliseconds, long before the standby's next try (that case is the next test).
        os.kill(first.pid, signal.SIGSTOP)
        try:
            assert terminate_lock_connection(postgres_url, first.pid) == 1
            await second.wait_for_output("took over the Telegram connection", timeout=15)
        finally:
            os.kill(first.pid, signal.SIGCONT)
        await first.wait_for_output(LOST)
        await second.wait_for_output(READY)

        # The old leader steps down and exits for its supervisor to restart it as the standby.
        assert await asyncio.wait_for(first.proc.wait(), 30) == STEPPED_DOWN_EXIT  # type: ignore[union-attr]
        stepped_down = time.time()
        assert "took over the Telegram connection" in first.output()
        assert polls_by(fake_api, "first"), "the first never polled: the test proves nothing"
        assert max(polls_by(fake_api, "first")) < stepped_down

        await sending
        # Exactly one process polls from now on.
        now = time.time()
        await fake_api.wait_until(lambda: fake_api.pollers(since=now) == {"second"}, timeout=15)
        assert fake_api.pollers(since=stepped_down) == {"second"}

        expected = {f"resident {i} message {j}" for i in range(3) for j in range(rounds)}
        deadline = time.monotonic() + 30
        while set(stored_texts(db)) != expected and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        stored = stored_texts(db)
        assert set(stored) == expected, f"lost: {sorted(expected - set(stored))[:5]}"
        assert max(stored.values()) == 1, f"doubled: {[t for t, n in stored.items() if n > 1][:5]}"
        for proc in (first, second):
            assert "Traceback" not in proc.output(), proc.output()
    finally:
        if sending is not None:
            sending.cancel()
        first.kill()
        second.kill()
        await first.stop()
        await second.stop()
        db.dispose()


@pytest.mark.postgres
async def test_a_leader_whose_lock_connection_dies_takes_the_lock_back_when_nobody_else_has_it(
    fake_api: Any, postgres_url: str, tmp_path: Path
) -> None:
    upgrade(postgres_url)
    db = Database(postgres_url)
    config = write_run_config(
        tmp_path / "config.toml", fake_api, postgres_url, tiny_model_dir("three"), base_url=fake_api.client_base_url("only")
    )
    bot = TrustlineProcess(config, tmp_path / "run.log")
    try:
        await bot.start()
        await bot.wait_for_output(READY)
        ana = fake_api.user("Ana", user_id=30_001)
        await reach_feedback_question(ana)
        assert terminate_lock_connection(postgres_url, bot.pid) == 1
        await bot.wait_for_output(LOST)
        await bot.wait_for_output("got the Telegram connection lock back")
        await ana.send("still here after the blip")
        await fake_api.wait_until(lambda: stored_texts(db)["still here after the blip"] == 1, timeout=15)
        assert bot.proc is not None and bot.proc.returncode is None
        assert bot.output().count(READY) == 1  # the lock came straight back: polling never stopped
    finally:
        bot.kill()
        await bot.stop()
        db.dispose()


@pytest.mark.postgres
async def test_a_leader_cut_off_from_the_database_keeps_polling_tells_each_resident_once_and_stores_it_all_after(
    fake_api: Any, postgres_url: str, tmp_path: Path
) -> None:
    from tests.support.tcp_proxy import TcpProxy

    upgrade(postgres_url)
    db = Database(postgres_url)
    proxy = await TcpProxy("127.0.0.1", 5432).start()
    proxied = postgres_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    config = write_run_config(
        tmp_path / "config.toml", fake_api, proxied, tiny_model_dir("three"), base_url=fake_api.client_base_url("only")
    )
    bot = TrustlineProcess(config, tmp_path / "run.log")
    try:
        await bot.start()
        await bot.wait_for_output(READY)
        ana = fake_api.user("Ana", user_id=30_002)
        await reach_feedback_question(ana)
        ana.drain()

        proxy.cut()  # a PostgreSQL restart, or the network to it gone: the lock's session ends too
        await bot.wait_for_output(LOST, timeout=20)
        cut = time.time()
        await bot.wait_for_output("cannot reach the database to take the lock back", timeout=20)
        for j in range(3):
            await ana.send(f"while the database was away {j}")
        # Nobody can take the lock while the database is down: intake goes on, nothing unrecorded
        # is confirmed, and the resident hears once that their words are safe.
        notice = await ana.next_message(timeout=20)
        assert "trouble saving messages" in notice.text
        await ana.expect_no_message(within=1.5)
        assert [t for t in polls_by(fake_api, "only") if t > cut], "it stopped polling: no notice could be sent"

        proxy.restore()
        await bot.wait_for_output("got the Telegram connection lock back", timeout=30)
        expected = {f"while the database was away {j}" for j in range(3)}
        await fake_api.wait_until(lambda: expected <= set(stored_texts(db)), timeout=30)
        assert all(stored_texts(db)[t] == 1 for t in expected)
        assert bot.proc is not None and bot.proc.returncode is None
    finally:
        bot.kill()
        await bot.stop()
        await proxy.close()
        db.dispose()
