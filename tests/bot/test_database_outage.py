"""The database goes away for a while: nothing is lost, nobody resends, one notice each."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text

from bot.app import build_application
from bot.runtime import runtime
from storage.db import Database, upgrade
from tests.conftest import create_postgres_database, drop_postgres_database
from tests.support.app import make_settings, point_at, start_bot, stop_bot
from tests.support.residents import reach_feedback_question
from tests.support.tcp_proxy import TcpProxy

pytestmark = pytest.mark.postgres

NOTICE = "trouble saving messages"


@pytest.fixture
async def proxied_postgres(postgres_admin: str) -> AsyncIterator[tuple[str, TcpProxy]]:
    """A fresh migrated database, and a URL to it through a proxy the test can cut."""
    name, url = create_postgres_database(postgres_admin)
    upgrade(url)
    proxy = await TcpProxy("127.0.0.1", 5432).start()
    try:
        yield url, proxy
    finally:
        await proxy.close()
        drop_postgres_database(postgres_admin, name)


async def test_messages_sent_during_an_outage_are_stored_when_it_ends(
    fake_api: Any, proxied_postgres: tuple[str, TcpProxy], caplog: pytest.LogCaptureFixture
) -> None:
    direct_url, proxy = proxied_postgres
    proxied_url = direct_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    settings = point_at(make_settings(proxied_url), fake_api)
    db = Database(proxied_url)
    direct = Database(direct_url)
    app = build_application(settings, db, persistence_interval=0.2)
    await start_bot(app)
    health = runtime(app).health
    try:
        residents = [fake_api.user(f"R{i}") for i in range(6)]
        await asyncio.gather(*(reach_feedback_question(r) for r in residents))
        caplog.set_level(logging.INFO)
        caplog.clear()

        proxy.cut()
        cut_at = asyncio.get_running_loop().time()
        for j in range(3):
            for i, r in enumerate(residents):
                await r.send(f"resident {i} says {j}")
            await asyncio.sleep(1)
        await fake_api.wait_until(lambda: all(told(fake_api, r) == 1 for r in residents[1:]), timeout=10)
        assert not health.database_ok and not health.ready
        # The outage lasts 20 s in all, as in the issue; residents keep waiting, nobody resends.
        await asyncio.sleep(max(0.0, cut_at + 20 - asyncio.get_running_loop().time()))
        proxy.restore()

        expected = {f"resident {i} says {j}" for i in range(6) for j in range(3)}
        await fake_api.wait_until(lambda: stored(direct) == expected, timeout=30)
        await fake_api.wait_until(lambda: health.database_ok, timeout=10)
    finally:
        await stop_bot(app)
        db.dispose()
        direct.dispose()
    assert all(told(fake_api, r) == 1 for r in residents), "one notice per resident per outage"
    lines = [r.getMessage() for r in caplog.records if r.name.startswith(("bot", "services", "storage"))]
    assert sum("database unreachable" in line for line in lines) == 1, lines
    assert sum("database reachable again" in line for line in lines) == 1, lines
    assert not [r for r in caplog.records if r.exc_info], "no tracebacks for an outage"


def told(fake_api: Any, resident: Any) -> int:
    return sum(NOTICE in m.text for m in fake_api.messages_to(resident))


def stored(db: Database) -> set[str]:
    with db.engine.connect() as conn:
        return {r[0] for r in conn.execute(text("SELECT text FROM feedbackmessage"))}
