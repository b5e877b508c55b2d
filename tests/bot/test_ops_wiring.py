"""Operators' view of a running bot: /metrics counts real traffic, /readyz follows the database."""

from __future__ import annotations

import logging
import socket
from typing import Any

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot import ops
from bot.app import build_application
from bot.jobs import scoring_startup
from bot.runtime import runtime
from services.settings import Settings
from storage.db import Database
from tests.support.app import point_at, start_bot, stop_bot
from tests.support.residents import reach_feedback_question, send_feedback
from tests.support.scoring import FakeScorer, wait_until


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a /metrics page, keyed by (name, sorted labels)."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


async def get(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
        async with http.get(url) as resp:
            body = await resp.json() if resp.content_type == "application/json" else await resp.text()
            return resp.status, body


def ops_bot(settings: Settings, database: Database, fake_api: Any) -> Any:
    """The resident bot with scoring (a keyword scorer) and the ops wiring, as `trustline run` builds it."""
    point_at(settings, fake_api)
    settings.ops.port = free_port()
    return build_application(
        settings, database, persistence_interval=0.2,
        extra_startup=[scoring_startup(settings, scorer=FakeScorer()), ops.startup],
    )


async def test_a_resident_message_shows_in_metrics_and_readiness_follows_the_database(
    fake_api: Any, database: Database, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.ops")
    app = ops_bot(settings, database, fake_api)
    await start_bot(app)
    rt = runtime(app)
    try:
        assert rt.ops_server is not None and rt.ops_server.port == settings.ops.port
        base = rt.ops_server.url
        ana = fake_api.user("Ana")
        await reach_feedback_question(ana)
        await send_feedback(ana, "The officer was good and kind")
        await wait_until(lambda: rt.scoring is not None and rt.scoring.scored_total >= 1)
        await ops.refresh_gauges(app)

        status, text = await get(f"{base}/metrics")
        assert status == 200
        seen = samples(text)
        assert seen[("trustline_updates_received_total", (("kind", "message"),))] >= 1
        assert seen[("trustline_updates_received_total", (("kind", "callback_query"),))] >= 1
        assert seen[("trustline_messages_stored_total", ())] >= 1
        assert seen[("trustline_messages_scored_total", (("outcome", "scored"),))] >= 1
        assert seen[("trustline_scoring_batch_seconds_count", ())] >= 1
        assert seen[("trustline_scoring_queue_depth", ())] == 0
        assert seen[("trustline_cases_open", ())] == 0

        status, body = await get(f"{base}/readyz")
        assert (status, body["checks"]) == (200, {"database": True, "updates": True, "model": True})
        assert (await get(f"{base}/healthz"))[0] == 200

        healthy = rt.db
        rt.db = Database("sqlite:////nonexistent-dir/trustline.sqlite3")  # the database went away
        try:
            status, body = await get(f"{base}/readyz")
        finally:
            rt.db.dispose()
            rt.db = healthy
        assert status == 503 and body["checks"]["database"] is False
    finally:
        await stop_bot(app)

    ready = [r.getMessage() for r in caplog.records if r.getMessage().startswith("running as @")]
    assert len(ready) == 1, "exactly one 'running' line"
    assert f"@{app.bot.username}: 3 units, model fake-model (rev-1), polling, database " in ready[0]


async def test_bot_api_errors_are_counted_by_kind(fake_api: Any, database: Database, settings: Settings) -> None:
    from telegram.error import BadRequest

    app = ops_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        with pytest.raises(BadRequest):
            await app.bot.send_message(424242, "nobody has opened this chat")  # 400 chat not found
        with pytest.raises(BadRequest):
            await app.bot.send_message(424242, "again")
        errors = runtime(app).metrics.bot_api_errors
        assert errors.labels("bad_request")._value.get() == 2
    finally:
        await stop_bot(app)


def test_error_kinds_are_a_small_fixed_set() -> None:
    from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

    assert ops.error_kind(Forbidden("blocked")) == "forbidden"
    assert ops.error_kind(BadRequest("chat not found")) == "bad_request"
    assert ops.error_kind(TimedOut()) == "timeout"
    assert ops.error_kind(NetworkError("connection refused")) == "network"
    assert ops.error_kind(RetryAfter(3)) == "retry_after"


async def test_an_occupied_ops_port_is_one_clear_error(fake_api: Any, database: Database, settings: Settings) -> None:
    app = ops_bot(settings, database, fake_api)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        settings.ops.port = taken.getsockname()[1]
        with pytest.raises(ops.OpsPortUnavailable, match="Change ops.port"):
            await start_bot(app)
    await app.shutdown()
