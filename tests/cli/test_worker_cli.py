"""`trustline worker`: PostgreSQL only, woken by NOTIFY instead of its poll, announces what it scored."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from services.scoring import SCORED_CHANNEL, WORK_CHANNEL, ScoringOptions, ScoringWorker, announce, listen, parse_ids
from storage.db import Database
from tests.support.scoring import FakeScorer, add_messages, statuses, wait_until


def test_worker_on_sqlite_refuses_with_the_reason(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "db.sqlite3"}"\n')
    assert CliRunner().invoke(app, ["db", "upgrade", "--config", str(cfg)]).exit_code == 0
    result = CliRunner().invoke(app, ["worker", "--config", str(cfg)])
    assert result.exit_code == 1
    assert "needs PostgreSQL" in result.output and "`trustline run` scores messages itself" in result.output


@pytest.mark.postgres
async def test_a_worker_elsewhere_is_woken_by_notify_and_announces_what_it_scored(database: Database) -> None:
    if not database.is_postgres:
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    options = ScoringOptions(batch_wait_ms=0, poll_seconds=600, announce_scored=True)  # the poll never fires here
    worker = ScoringWorker(database, FakeScorer(), options)
    stop = asyncio.Event()
    scored: list[int] = []
    listener = asyncio.create_task(
        listen(database, {WORK_CHANNEL: lambda _p: worker.wake(), SCORED_CHANNEL: lambda p: scored.extend(parse_ids(p))}, stop)
    )
    worker.start()
    try:
        await wait_until(lambda: worker.batches == 0 and worker.running, timeout=5)
        await asyncio.sleep(0.5)  # the start-up pass found nothing; now only a NOTIFY can wake it
        ids = add_messages(database, ["the officer was kind", "slow response"])
        await asyncio.to_thread(announce, database, WORK_CHANNEL)  # what the bot does after storing
        await wait_until(lambda: set(statuses(database).values()) == {"scored"}, timeout=5)
        await wait_until(lambda: sorted(scored) == sorted(ids), timeout=5)
    finally:
        stop.set()
        await listener
        await worker.stop()


def test_the_worker_loads_its_model_with_the_configured_device(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`nlp.device = "cuda"` reaches the worker's model loader (the loader's own test shows what it does with it)."""
    import cli.worker
    import services.scoring
    from storage.db import upgrade

    upgrade(postgres_url)
    seen: list[str] = []
    monkeypatch.setattr(services.scoring, "load_scorer", lambda nlp, **_: seen.append(nlp.device) or FakeScorer())
    monkeypatch.setattr(cli.worker, "_work", lambda *_: asyncio.sleep(0))
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[storage]\nurl = "{postgres_url}"\n[nlp]\ndevice = "cuda"\n')
    result = CliRunner().invoke(app, ["worker", "--config", str(cfg)])
    assert result.exit_code == 0, result.output
    assert seen == ["cuda"]
