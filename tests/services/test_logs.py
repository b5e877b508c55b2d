"""Quiet logs: libraries' routine INFO lines stay out at the default level and come back with -v."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from typer.testing import CliRunner

from bot.app import build_application
from bot.digest_jobs import digest_startup
from bot.runtime import runtime
from cli.main import app as cli
from services.logs import OWN_HANDLERS, QUIET, configure_logging
from services.settings import Settings
from storage.db import Database
from tests.support.app import point_at, start_bot, stop_bot


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    names = ["", *QUIET, *OWN_HANDLERS]
    saved = {n: (logging.getLogger(n).level, logging.getLogger(n).propagate) for n in names}
    yield
    for name, (level, propagate) in saved.items():
        logging.getLogger(name).setLevel(level)
        logging.getLogger(name).propagate = propagate


async def run_digest_job_once(fake_api: Any, database: Database, settings: Settings) -> None:
    """Start the bot with the digest jobs and wait until APScheduler has run the catch-up job."""
    point_at(settings, fake_api)
    app = build_application(settings, database, extra_startup=[digest_startup])
    runtime(app).hooks.digest_catch_up_delay = 0.1
    loop = asyncio.get_running_loop()
    ran = asyncio.Event()

    def executed(event: JobExecutionEvent) -> None:
        if event.job_id and app.job_queue is not None:
            loop.call_soon_threadsafe(ran.set)

    assert app.job_queue is not None
    app.job_queue.scheduler.add_listener(executed, EVENT_JOB_EXECUTED)
    await start_bot(app)
    try:
        await asyncio.wait_for(ran.wait(), 10)
        await asyncio.sleep(0.1)  # APScheduler logs "executed successfully" around the event
    finally:
        await stop_bot(app)


def apscheduler_info(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith("apscheduler") and r.levelno == logging.INFO]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("verbose", [False, True], ids=["default", "verbose"])
async def test_a_digest_job_run_by_apscheduler_logs_its_info_lines_only_with_verbose(
    fake_api: Any, database: Database, settings: Settings, caplog: pytest.LogCaptureFixture, verbose: bool
) -> None:
    configure_logging(verbose=verbose)
    caplog.set_level(logging.DEBUG if verbose else logging.INFO)
    await run_digest_job_once(fake_api, database, settings)
    if verbose:  # the lines exist, so their absence by default is the level's doing
        assert any("executed successfully" in line for line in apscheduler_info(caplog))
    else:
        assert apscheduler_info(caplog) == []


def test_alembic_says_nothing_on_a_cli_command_at_the_default_level(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\nurl = "sqlite:///{tmp_path / "t.sqlite3"}"\n', encoding="utf-8")
    caplog.set_level(logging.INFO)
    result = CliRunner().invoke(cli, ["db", "upgrade", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert [r.getMessage() for r in caplog.records if r.name.startswith("alembic")] == []


def test_library_chatter_is_held_back_by_default_and_returns_with_verbose() -> None:
    configure_logging(verbose=False)
    for name in ("apscheduler", "alembic", "fontTools", "httpx"):
        assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
    assert logging.getLogger("bot.digest_jobs").isEnabledFor(logging.INFO)
    assert logging.getLogger("apscheduler").isEnabledFor(logging.WARNING)
    assert logging.getLogger("huggingface_hub").propagate is False  # printed once, by its own handler

    configure_logging(verbose=True)
    for name in ("apscheduler", "alembic", "fontTools", "httpx", "bot.digest_jobs"):
        assert logging.getLogger(name).isEnabledFor(logging.DEBUG), name
