"""`trustline worker` as real processes on PostgreSQL: scored once each, woken by NOTIFY, kill -9 safe.

Each worker gets its own copy of one tiny model: same revision (so they share one queue), but a
different model name (its directory), so every stored score says which worker wrote it.
"""

from __future__ import annotations

import asyncio
import shutil
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from services.scoring import WORK_CHANNEL, announce
from storage.db import Database, upgrade
from storage.models import MessageScore
from tests.support.process import TrustlineProcess, write_run_config
from tests.support.scoring import add_messages, statuses
from tests.support.tiny_models import tiny_model_dir

pytestmark = pytest.mark.postgres

LISTENING = "listening for NOTIFY on trustline_scoring"
# Small claims (batch_size x 8 per transaction) so a backlog takes many transactions.
SMALL_BATCHES = {"batch_size": 2, "batch_wait_ms": 0}

Workers = Callable[..., Any]


@pytest.fixture
async def queue_db(postgres_url: str) -> AsyncIterator[Database]:
    """A migrated PostgreSQL database whose messages the workers score."""
    upgrade(postgres_url)
    db = Database(postgres_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
async def start_worker(fake_api: Any, postgres_url: str, tmp_path: Path) -> AsyncIterator[Workers]:
    """``await start_worker("a", poll_seconds=60)``: a `trustline worker` with its own model copy,
    listening; every one is killed at teardown, whatever the test did."""
    started: list[TrustlineProcess] = []

    async def start(name: str, *, poll_seconds: float = 60) -> TrustlineProcess:
        model = tmp_path / f"model-{name}"
        if not model.exists():
            shutil.copytree(tiny_model_dir("three"), model)
        config = write_run_config(tmp_path / f"{name}.toml", fake_api, postgres_url, model, nlp=SMALL_BATCHES)
        proc = TrustlineProcess(config, tmp_path / f"{name}.log", command="worker", args=("--poll-seconds", str(poll_seconds)))
        started.append(proc)
        await proc.start()
        await proc.wait_for_output(LISTENING, timeout=60)
        return proc

    try:
        yield start
    finally:
        for proc in started:
            proc.kill()
        for proc in started:
            await proc.stop()


def scores_by_message(db: Database) -> dict[int, list[str]]:
    """Message id -> the model names (here: which worker) that stored a score for it."""
    found: dict[int, list[str]] = {}
    for score in db.call(lambda s: list(s.exec(select(MessageScore)).all())):
        found.setdefault(score.message_id, []).append(Path(score.model_name).name)
    return found


async def wait_scored(db: Database, ids: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        states = await asyncio.to_thread(statuses, db)
        if all(states.get(i) == "scored" for i in ids):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not scored within {timeout} s: {Counter(states.get(i) for i in ids)}")
        await asyncio.sleep(0.1)


async def test_two_worker_processes_score_every_message_exactly_once(queue_db: Database, start_worker: Workers) -> None:
    a, b = await asyncio.gather(start_worker("a"), start_worker("b"))
    ids = await asyncio.to_thread(add_messages, queue_db, [f"the officer was kind {i}" for i in range(400)])
    await asyncio.to_thread(announce, queue_db, WORK_CHANNEL)  # what the bot does after storing
    await wait_scored(queue_db, ids)

    scored = scores_by_message(queue_db)
    assert sorted(scored) == sorted(ids)
    doubled = {i: names for i, names in scored.items() if len(names) > 1}
    assert doubled == {}, f"scored twice: {list(doubled.items())[:5]}"
    per_worker = Counter(names[0] for names in scored.values())
    assert set(per_worker) == {"model-a", "model-b"}, f"one worker did everything ({per_worker}): proves nothing"
    for proc in (a, b):
        assert "Traceback" not in proc.output()


async def test_an_idle_worker_is_woken_by_notify_well_before_its_poll(queue_db: Database, start_worker: Workers) -> None:
    worker = await start_worker("a", poll_seconds=60)
    await asyncio.sleep(1)  # its start-up pass found nothing: it now sleeps until NOTIFY (or 60 s)
    began = time.monotonic()
    ids = await asyncio.to_thread(add_messages, queue_db, ["slow response"])
    await asyncio.to_thread(announce, queue_db, WORK_CHANNEL)
    await wait_scored(queue_db, ids, timeout=10)
    assert time.monotonic() - began < 3, "scored, but not woken by the NOTIFY"
    assert scores_by_message(queue_db) == {ids[0]: ["model-a"]}
    assert "Traceback" not in worker.output()


async def test_a_worker_killed_mid_batch_loses_nothing_and_the_other_scores_the_rest(
    queue_db: Database, start_worker: Workers
) -> None:
    doomed, survivor = await asyncio.gather(start_worker("doomed", poll_seconds=5), start_worker("survivor", poll_seconds=5))
    ids = await asyncio.to_thread(add_messages, queue_db, [f"we waited an hour {i}" for i in range(1500)])
    await asyncio.to_thread(announce, queue_db, WORK_CHANNEL)

    # kill -9 while the doomed worker is working through the backlog (a claim is open nearly always)
    deadline = time.monotonic() + 60
    while not any(names == ["model-doomed"] for names in (await asyncio.to_thread(scores_by_message, queue_db)).values()):
        assert time.monotonic() < deadline, "the doomed worker never scored anything"
        await asyncio.sleep(0.05)
    doomed.kill()
    await doomed.stop()
    at_kill = await asyncio.to_thread(scores_by_message, queue_db)
    assert len(at_kill) < len(ids), "the backlog was done before the kill: the test proves nothing"

    await wait_scored(queue_db, ids)
    scored = scores_by_message(queue_db)
    assert sorted(scored) == sorted(ids)
    assert all(len(names) == 1 for names in scored.values()), "a message was scored twice"
    after_kill = {i for i in scored if i not in at_kill}
    assert after_kill and all(scored[i] == ["model-survivor"] for i in after_kill)
    assert "Traceback" not in survivor.output()
