"""The Telegram-facing process stops fetching updates the moment it loses its lock (bot/leadership.py)."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from typing import Any

import pytest

from bot.leadership import LeaseWatch


class ScriptedLease:
    """Answers ``still_held`` and ``reacquire`` from scripts (the last answer repeats)."""

    def __init__(self, held: list[bool], reacquire: list[bool | Exception] | None = None, hang: float = 0.0) -> None:
        self.held, self.reacquired, self.hang = held, reacquire or [True], hang
        self.reacquire_calls = 0

    @staticmethod
    def _next(script: list) -> object:  # type: ignore[type-arg]
        return script.pop(0) if len(script) > 1 else script[0]

    def still_held(self) -> bool:
        if self.hang:
            time.sleep(self.hang)
        return bool(self._next(self.held))

    def reacquire(self) -> bool:
        self.reacquire_calls += 1
        answer = self._next(self.reacquired)
        if isinstance(answer, Exception):
            raise answer
        return bool(answer)

    def holder(self) -> str:
        return "trustline run pid=4242 host=other"

    def fileno(self) -> int | None:
        return None


class Intake:
    def __init__(self) -> None:
        self.events: list[str] = []
        self.stepped_down = asyncio.Event()
        self.holder = ""

    async def pause(self) -> None:
        self.events.append("pause")

    def step_down(self, holder: str) -> None:
        self.events.append("step down")
        self.holder = holder
        self.stepped_down.set()


def watch(lease: ScriptedLease, intake: Intake, **kw: float) -> LeaseWatch:
    return LeaseWatch(lease, intake.pause, intake.step_down, interval=0.01, **kw)


@pytest.fixture
def running() -> Iterator[list[asyncio.Task[None]]]:
    tasks: list[asyncio.Task[None]] = []
    yield tasks
    for task in tasks:
        task.cancel()


async def until(predicate, timeout: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met"
        await asyncio.sleep(0.01)


async def test_a_held_lock_leaves_intake_alone(running: list[asyncio.Task[None]]) -> None:
    intake = Intake()
    running.append(asyncio.create_task(watch(ScriptedLease([True]), intake).run()))
    await asyncio.sleep(0.2)
    assert intake.events == []


async def test_a_leader_that_gets_its_lock_straight_back_never_stops_intake(
    running: list[asyncio.Task[None]], caplog: pytest.LogCaptureFixture
) -> None:
    intake = Intake()
    lease = ScriptedLease([True, False, True], reacquire=[True])
    running.append(asyncio.create_task(watch(lease, intake).run()))
    with caplog.at_level(logging.WARNING):
        await until(lambda: lease.reacquire_calls == 1)
        await asyncio.sleep(0.1)
    assert intake.events == []
    assert "lost the Telegram connection lock" in caplog.text
    assert "got the Telegram connection lock back" in caplog.text


async def test_the_leader_steps_down_when_another_process_took_its_lock(caplog: pytest.LogCaptureFixture) -> None:
    intake = Intake()
    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(watch(ScriptedLease([True, False], reacquire=[False]), intake).run(), 5)
    assert intake.events == ["pause", "step down"]  # intake off before anything else
    assert intake.holder == "trustline run pid=4242 host=other"
    assert "took over the Telegram connection (trustline run pid=4242 host=other)" in caplog.text


async def test_intake_goes_on_while_the_database_cannot_be_reached(
    running: list[asyncio.Task[None]], caplog: pytest.LogCaptureFixture
) -> None:
    """Nobody can take the lock while the database is down, and the inbox confirms nothing it
    could not record: residents keep getting the outage notice instead of silence."""
    intake = Intake()
    down = ConnectionError("connection refused")
    lease = ScriptedLease([False, True], reacquire=[down, down, down, True])
    running.append(asyncio.create_task(watch(lease, intake).run()))
    with caplog.at_level(logging.WARNING):
        await until(lambda: "got the Telegram connection lock back" in caplog.text)
    assert lease.reacquire_calls == 4
    assert intake.events == []
    assert caplog.text.count("cannot reach the database to take the lock back") == 1  # one line per outage


async def test_a_lock_check_that_hangs_counts_as_a_lost_lock(caplog: pytest.LogCaptureFixture) -> None:
    intake = Intake()
    lease = ScriptedLease([True], reacquire=[False], hang=0.5)
    with caplog.at_level(logging.ERROR):
        await asyncio.wait_for(watch(lease, intake, check_timeout=0.05).run(), 5)
    assert intake.events == ["pause", "step down"]
    assert "did not answer within" in caplog.text


async def test_the_lock_is_checked_at_once_when_the_server_writes_to_its_connection() -> None:
    import socket

    intake = Intake()
    ours, servers = socket.socketpair()
    lease = ScriptedLease([False], reacquire=[False])
    lease.fileno = ours.fileno  # type: ignore[method-assign]
    slow = LeaseWatch(lease, intake.pause, intake.step_down, interval=60)
    try:
        task = asyncio.create_task(slow.run())
        await asyncio.sleep(0.2)
        assert intake.events == []  # a minute to the next periodic check
        began = time.monotonic()
        servers.sendall(b"E FATAL: terminating connection due to administrator command")
        await asyncio.wait_for(task, 5)
        assert time.monotonic() - began < 2
        assert intake.events == ["pause", "step down"]
    finally:
        ours.close()
        servers.close()


async def test_a_webhook_leader_whose_lock_was_taken_closes_its_webhook_and_stops(
    fake_api: Any, database: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The glue in bot/app.py: losing the lock to another process closes the real InboxUpdater's
    webhook server before the Application is asked to stop; a lock regained changes nothing."""
    import socket

    from pydantic import SecretStr

    from bot.app import build_application, watch_lease, webhook_params
    from bot.runtime import runtime
    from tests.support.app import point_at, stop_bot

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    point_at(settings, fake_api)
    tg = settings.telegram
    tg.mode, tg.webhook_listen, tg.webhook_port = "webhook", "127.0.0.1", port
    tg.webhook_url, tg.webhook_secret = f"http://127.0.0.1:{port}/tg", SecretStr("s3cret")
    app = build_application(settings, database, persistence_interval=0.2)
    stop_requests: list[bool] = []
    monkeypatch.setattr(app, "stop_running", lambda: stop_requests.append(app.updater.running))  # type: ignore[union-attr]

    lost_to: list[str] = []
    await app.initialize()
    assert app.post_init is not None and app.updater is not None
    lease = ScriptedLease([True, False, True, False], reacquire=[True, False])
    runtime(app).startup_steps.append(
        lambda a: watch_lease(a, lease=lease, settings=settings, lost_to=lost_to, interval=0.05)
    )
    await app.post_init(app)
    await app.start()
    await app.updater.start_webhook(**webhook_params(settings))
    try:
        await until(lambda: lost_to != [])
        assert lease.reacquire_calls == 2  # the first loss was regained without a pause
        assert lost_to == ["trustline run pid=4242 host=other"]
        assert stop_requests == [False], "the webhook server was still open when the app was told to stop"
        assert not app.updater.running and not runtime(app).health.intake_running
        with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            pass
    finally:
        await stop_bot(app)
