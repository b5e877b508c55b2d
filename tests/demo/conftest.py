"""A running demo (fake Telegram + the real bot + the page's web app) with a fake scorer, so
nothing loads a model and each test starts in about a second."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from demo.session import DemoSession
from services.settings import Settings
from storage.db import Database, upgrade
from tests.support.scoring import FakeScorer


def demo_settings(db_url: str) -> Settings:
    # No scheduled catch-up digest: tests see exactly what their own commands produce.
    return Settings(
        telegram={"token": "1:placeholder"},
        storage={"url": db_url},
        privacy={"pseudonym_secret": "demo-test-secret"},
        agency={"name": "Riverside Police", "emergency_number": "112", "timezone": "Europe/Madrid"},
        digest={"catch_up_weeks": 0},
    )


@pytest.fixture
def demo_db(tmp_path: Path) -> tuple[Settings, Database]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    upgrade(url)
    settings = demo_settings(url)
    return settings, Database(url)


@pytest.fixture
async def demo_session(demo_db: tuple[Settings, Database], monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[DemoSession]:
    """The demo as `trustline demo` starts it (bot.wiring.build_full_application), minus the model."""
    monkeypatch.setattr("bot.jobs.load_scorer", lambda *args, **kwargs: FakeScorer())
    settings, database = demo_db
    session = DemoSession(settings, database)
    await session.start()
    try:
        yield session
    finally:
        await session.stop()
        database.engine.dispose()


def pane(snapshot: dict[str, Any], key: str) -> dict[str, Any]:
    return next(p for p in snapshot["panes"] if p["key"] == key)


def texts(snapshot: dict[str, Any], key: str) -> list[str]:
    return [m["html"] for m in pane(snapshot, key)["messages"]]
