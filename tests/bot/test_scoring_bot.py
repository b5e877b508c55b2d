"""Scoring as residents and operators see it: through the fake Bot API and the `trustline` CLI.

The bot is the real PTB Application built by ``bot.wiring.build_full_application`` (what
``trustline run`` starts) with a tiny random model; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.app import build_application
from bot.jobs import scoring_startup
from bot.wiring import build_full_application
from cli.main import app as cli
from services.scoring import ScoringOptions, score_batch
from services.settings import Settings
from storage.db import Database
from tests.support.app import make_settings, point_at, start_bot, stop_bot
from tests.support.residents import reach_feedback_question, send_feedback
from tests.support.scoring import FakeScorer, add_messages, message, statuses, wait_until
from tests.support.tiny_models import tiny_model_dir


def only_message(db: Database) -> int:
    (mid,) = statuses(db)
    return mid


@pytest.fixture
async def scoring_bot(fake_api: Any, database: Database, db_url: str) -> AsyncIterator[Any]:
    """What `trustline run` starts, with a tiny model, polling the fake Bot API."""
    settings = point_at(make_settings(db_url, nlp={"model": str(tiny_model_dir("three")), "batch_wait_ms": 20}), fake_api)
    app = build_full_application(settings, database)
    await start_bot(app)
    try:
        yield app
    finally:
        await stop_bot(app)


async def test_a_residents_message_is_acknowledged_then_scored_in_the_background(
    scoring_bot: Any, fake_api: Any, database: Database
) -> None:
    ana = fake_api.user(first_name="Ana")
    await reach_feedback_question(ana)
    await send_feedback(ana, "The officer was kind and helpful.")
    mid = only_message(database)
    await wait_until(lambda: statuses(database)[mid] == "scored", timeout=10)
    row = message(database, mid)
    assert row is not None and row.score is not None and row.score_label in {"negative", "neutral", "positive"}
    assert row.scored_revision is not None and row.scored_revision.startswith("local-")


async def test_acknowledgement_does_not_wait_for_a_slow_model(fake_api: Any, database: Database, db_url: str) -> None:
    slow = FakeScorer(delay=3.0)  # a model far slower than any real one on a batch of 1
    settings: Settings = point_at(make_settings(db_url), fake_api)
    options = ScoringOptions(batch_size=8, batch_wait_ms=0, poll_seconds=30)
    app = build_application(settings, database, extra_startup=[scoring_startup(settings, scorer=slow, options=options)])
    await start_bot(app)
    try:
        ana = fake_api.user(first_name="Ana")
        await reach_feedback_question(ana)
        first = await send_feedback(ana, "good first message")
        await wait_until(lambda: len(slow.calls) == 1, timeout=3)  # the model is now busy for 3 s
        second = await send_feedback(ana, "good second message")
        assert first < 1.5 and second < 1.5, (first, second)
        assert sorted(statuses(database).values()) == ["pending", "pending"]
        await wait_until(lambda: set(statuses(database).values()) == {"scored"}, timeout=15)
    finally:
        await stop_bot(app)
    assert [len(call) for call in slow.calls] == [1, 1]


async def test_the_worker_stops_when_the_bot_shuts_down(fake_api: Any, database: Database, db_url: str) -> None:
    settings: Settings = point_at(make_settings(db_url), fake_api)
    app = build_application(settings, database, extra_startup=[scoring_startup(settings, scorer=FakeScorer())])
    await start_bot(app)
    from bot.runtime import runtime

    worker = runtime(app).scoring
    assert worker is not None and worker.running
    await stop_bot(app)  # runs post_shutdown, as run_polling() does after shutdown()
    assert not worker.running


# --- the command line --------------------------------------------------------------------------


def write_config(path: Path, db_url: str, model: str) -> Path:
    path.write_text(
        f'[telegram]\ntoken = "123456:TEST-TOKEN"\n[storage]\nurl = "{db_url}"\n'
        f'[privacy]\npseudonym_secret = "s"\n[nlp]\nmodel = "{model}"\n',
        encoding="utf-8",
    )
    return path


async def test_run_stops_with_one_clear_message_when_the_model_cannot_be_loaded(
    fake_api: Any, database: Database, db_url: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", db_url, str(tmp_path / "no-such-model"))
    # `run` asks Telegram (getMe) before it loads the model: aim it at the fake Bot API.
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            '[telegram]\ntoken = "123456:TEST-TOKEN"\n',
            f'[telegram]\ntoken = "{fake_api.token}"\nbase_url = "{fake_api.base_url}"\n',
        ),
        encoding="utf-8",
    )
    result = await asyncio.to_thread(CliRunner().invoke, cli, ["run", "--config", str(config)])
    assert result.exit_code == 1
    assert "Could not load the sentiment model" in result.output and "no-such-model" in result.output
    assert "Traceback" not in result.output and result.output.count("Could not load") == 1


def test_score_prints_a_label_and_score_for_the_text(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml", f"sqlite:///{tmp_path / 'x.sqlite3'}", str(tiny_model_dir("three")))
    result = CliRunner().invoke(cli, ["--config", str(config), "score", "the officer was kind"])
    assert result.exit_code == 0, result.output
    assert any(label in result.output for label in ("negative", "neutral", "positive"))


def test_rescore_scores_messages_since_the_date_with_the_current_model(database: Database, db_url: str, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    old = add_messages(database, ["last month"], received_at=now - timedelta(days=30))
    recent = add_messages(database, ["yesterday", "today"], received_at=now - timedelta(hours=20))
    while score_batch(database, FakeScorer(revision="old-model"), ScoringOptions()).claimed:
        pass
    config = write_config(tmp_path / "config.toml", db_url, str(tiny_model_dir("three")))
    since = (now - timedelta(days=7)).date().isoformat()

    result = CliRunner().invoke(cli, ["rescore", "--since", since, "--config", str(config)])

    assert result.exit_code == 0, result.output
    assert "Scored 2 messages" in result.output
    revisions = {i: message(database, i).scored_revision for i in old + recent}  # type: ignore[union-attr]
    assert revisions[old[0]] == "old-model"
    assert {revisions[i] for i in recent} != {"old-model"} and len({revisions[i] for i in recent}) == 1
    again = CliRunner().invoke(cli, ["rescore", "--since", since, "--config", str(config)])
    assert "Scored 0 messages" in again.output, "each message is scored once per model revision"


def test_rescore_rejects_a_date_it_cannot_read(tmp_path: Path) -> None:
    config = write_config(tmp_path / "config.toml", f"sqlite:///{tmp_path / 'x.sqlite3'}", str(tiny_model_dir("three")))
    result = CliRunner().invoke(cli, ["rescore", "--since", "last tuesday", "--config", str(config)])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output
