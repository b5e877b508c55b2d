"""The background scoring worker: batching, wake-ups, crash recovery, failures, several workers.

Runs on SQLite and PostgreSQL. Most tests use a fake scorer (instant, records its calls); one uses
a tiny randomly initialised model to check the real scorer plugs in.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.jobs import scoring_startup
from bot.runtime import RUNTIME_KEY, Runtime
from services.scoring import ScoringOptions, ScoringWorker
from services.settings import Settings
from storage.db import Database
from storage.models import FeedbackMessage
from tests.support.app import make_settings
from tests.support.scoring import FakeScorer, add_messages, message, scores, statuses, wait_until
from tests.support.tiny_models import tiny_model_dir

FAST = ScoringOptions(batch_size=8, batch_wait_ms=20, poll_seconds=30, max_backoff_seconds=0.05, claim_batches=1)


def all_scored(db: Database) -> bool:
    return all(s == "scored" for s in statuses(db).values())


async def run_worker(db: Database, scorer: Any, options: ScoringOptions = FAST, **kw: Any) -> ScoringWorker:
    worker = ScoringWorker(db, scorer, options, **kw)
    worker.start()
    return worker


async def test_messages_left_unscored_by_a_crash_are_scored_at_start_up(database: Database) -> None:
    ids = add_messages(database, ["good one", "bad one", "plain one"])
    scorer = FakeScorer()
    worker = await run_worker(database, scorer)  # nobody calls wake(): start-up finds them
    try:
        await wait_until(lambda: all_scored(database), timeout=5)
    finally:
        await worker.stop()
    labels = [message(database, i).score_label for i in ids]  # type: ignore[union-attr]
    assert labels == ["positive", "negative", "neutral"]
    assert sorted(s.message_id for s in scores(database)) == ids


async def test_a_woken_worker_scores_a_new_message_without_waiting_for_the_poll(database: Database) -> None:
    worker = await run_worker(database, FakeScorer())  # poll_seconds=30: only wake() can be this quick
    try:
        await asyncio.sleep(0.1)
        add_messages(database, ["good"])
        worker.wake()
        await wait_until(lambda: all_scored(database), timeout=2)
    finally:
        await worker.stop()


async def test_the_worker_polls_for_work_nobody_announced(database: Database) -> None:
    options = ScoringOptions(batch_size=8, batch_wait_ms=0, poll_seconds=0.2)
    worker = await run_worker(database, FakeScorer(), options)
    try:
        await asyncio.sleep(0.1)
        add_messages(database, ["stored by another process"])
        await wait_until(lambda: all_scored(database), timeout=3)
    finally:
        await worker.stop()


async def test_messages_arriving_together_are_scored_in_one_batch(database: Database) -> None:
    scorer = FakeScorer()
    options = ScoringOptions(batch_size=6, batch_wait_ms=2000, poll_seconds=30, claim_batches=1)
    worker = await run_worker(database, scorer, options)
    try:
        await asyncio.sleep(0.1)
        for i in range(6):  # six residents' messages a few ms apart
            add_messages(database, [f"message {i}"], resident=f"r{i}")
            worker.wake()
        await wait_until(lambda: all_scored(database), timeout=1.5)  # full batch: no 2 s wait
    finally:
        await worker.stop()
    assert [len(call) for call in scorer.calls] == [6]


async def test_a_backlog_is_scored_in_full_batches(database: Database) -> None:
    add_messages(database, [f"m{i}" for i in range(20)])
    scorer = FakeScorer()
    worker = await run_worker(database, scorer)
    try:
        await wait_until(lambda: all_scored(database), timeout=5)
    finally:
        await worker.stop()
    assert [len(call) for call in scorer.calls] == [8, 8, 4]


async def test_a_backlog_is_claimed_several_batches_at_a_time_for_length_sorting(database: Database) -> None:
    add_messages(database, [f"m{i}" for i in range(20)])
    scorer = FakeScorer()
    worker = await run_worker(database, scorer, ScoringOptions(batch_size=4, batch_wait_ms=0, claim_batches=3))
    try:
        await wait_until(lambda: all_scored(database), timeout=5)
    finally:
        await worker.stop()
    assert [len(call) for call in scorer.calls] == [12, 8]


async def test_a_message_that_breaks_the_model_does_not_hold_up_the_others(database: Database) -> None:
    good, poison, other = add_messages(database, ["good", "POISON", "fine"])
    options = ScoringOptions(batch_size=8, batch_wait_ms=0, poll_seconds=0.05, max_attempts=3, max_backoff_seconds=0.01)
    worker = await run_worker(database, FakeScorer(), options)
    try:
        await wait_until(lambda: statuses(database)[poison] == "failed", timeout=5)
    finally:
        await worker.stop()
    assert statuses(database) == {good: "scored", poison: "failed", other: "scored"}
    assert message(database, poison).score_attempts == 3  # type: ignore[union-attr]
    assert worker.failed_total == 3 and worker.scored_total == 2


async def test_scoring_resumes_after_a_model_outage(database: Database) -> None:
    (mid,) = add_messages(database, ["good"])
    scorer = FakeScorer()
    scorer.fail_all = True
    options = ScoringOptions(batch_size=8, batch_wait_ms=0, poll_seconds=0.05, max_attempts=1000, max_backoff_seconds=0.01)
    worker = await run_worker(database, scorer, options)
    try:
        await wait_until(lambda: len(scorer.calls) >= 3, timeout=5)
        assert statuses(database)[mid] == "pending"
        scorer.fail_all = False
        await wait_until(lambda: all_scored(database), timeout=5)
    finally:
        await worker.stop()
    assert worker.running is False


async def test_on_scored_hears_of_new_messages_but_not_of_rescores_after_a_model_change(database: Database) -> None:
    old = add_messages(database, ["old"])
    worker = await run_worker(database, FakeScorer(revision="v1"))
    await wait_until(lambda: all_scored(database), timeout=5)
    await worker.stop()

    heard: list[list[int]] = []

    async def on_scored(ids: list[int]) -> None:
        heard.append(ids)

    new = add_messages(database, ["new"])
    worker = await run_worker(database, FakeScorer(revision="v2"), on_scored=lambda: on_scored)
    try:
        await wait_until(lambda: {m.scored_revision for m in [message(database, old[0]), message(database, new[0])]} == {"v2"}, timeout=5)  # type: ignore[union-attr]
    finally:
        await worker.stop()
    assert heard == [new]
    assert sorted((s.message_id, s.model_revision) for s in scores(database)) == [
        (old[0], "v1"), (old[0], "v2"), (new[0], "v2")
    ]


async def test_a_broken_on_scored_hook_does_not_stop_scoring(database: Database) -> None:
    async def broken(ids: list[int]) -> None:
        raise RuntimeError("follow-up bug")

    worker = await run_worker(database, FakeScorer(), on_scored=lambda: broken)
    try:
        add_messages(database, ["one"])
        worker.wake()
        await wait_until(lambda: all_scored(database), timeout=3)
        add_messages(database, ["two"])
        worker.wake()
        await wait_until(lambda: all_scored(database), timeout=3)
        assert worker.running
    finally:
        await worker.stop()


async def test_stopping_lets_the_batch_in_progress_finish(database: Database) -> None:
    add_messages(database, ["a", "b"])
    scorer = FakeScorer(delay=0.5)
    worker = await run_worker(database, scorer)
    await wait_until(lambda: len(scorer.calls) == 1, timeout=3)
    await worker.stop()
    assert all_scored(database)


async def test_two_workers_on_postgres_never_score_a_message_twice(database: Database, db_url: str) -> None:
    if not database.is_postgres:
        pytest.skip("several workers need PostgreSQL (SKIP LOCKED); SQLite is single-process")
    ids = add_messages(database, [f"message {i}" for i in range(240)])
    other_process_db = Database(db_url)  # its own engine and connections, like a second bot process
    a, b = FakeScorer(delay=0.03), FakeScorer(delay=0.03)
    options = ScoringOptions(batch_size=10, batch_wait_ms=0, poll_seconds=0.05, claim_batches=1)
    workers = [await run_worker(database, a, options), await run_worker(other_process_db, b, options)]
    try:
        await wait_until(lambda: all_scored(database), timeout=30)
    finally:
        for worker in workers:
            await worker.stop()
        other_process_db.dispose()
    seen = Counter(a.scored_texts + b.scored_texts)
    assert set(seen.values()) == {1}, "a message reached the model twice"
    assert len(seen) == len(ids)
    assert a.scored_texts and b.scored_texts, "both workers shared the work"
    assert len(scores(database)) == len(ids)


async def test_startup_step_loads_a_model_and_scores_with_it(database: Database, db_url: str) -> None:
    settings: Settings = make_settings(db_url, nlp={"model": str(tiny_model_dir("three")), "batch_wait_ms": 0})
    step = scoring_startup(settings)
    rt = Runtime(settings=settings, db=database)
    app = SimpleNamespace(bot_data={RUNTIME_KEY: rt})
    ids = add_messages(database, ["the officer was kind", "slow response", ""])
    await step(app)
    try:
        assert rt.scoring is not None
        await wait_until(lambda: all_scored(database), timeout=10)
    finally:
        for stop in rt.hooks.shutdown:
            await stop()
    rows = [message(database, i) for i in ids]
    assert all(-1 <= r.score <= 1 and r.score_label in {"negative", "neutral", "positive"} for r in rows)  # type: ignore[union-attr,operator]
    assert rows[2].score == 0.0 and rows[2].score_label == "neutral"  # type: ignore[union-attr]
    (revision,) = {s.model_revision for s in scores(database)}
    assert revision.startswith("local-") and {s.model_name for s in scores(database)} == {str(Path(tiny_model_dir("three")).resolve())}


async def test_messages_that_failed_before_are_retried_after_a_restart(database: Database, db_url: str) -> None:
    (mid,) = add_messages(database, ["good"])
    database.call(lambda s: setattr(s.get(FeedbackMessage, mid), "score_status", "failed"))
    settings = make_settings(db_url)
    rt = Runtime(settings=settings, db=database)
    await scoring_startup(settings, scorer=FakeScorer(), options=FAST)(SimpleNamespace(bot_data={RUNTIME_KEY: rt}))
    try:
        await wait_until(lambda: all_scored(database), timeout=5)
    finally:
        await rt.hooks.shutdown[0]()
