"""Shared fixtures: databases (SQLite and a real PostgreSQL), settings, and a running bot (the fake
Bot API's fixtures come from its pytest plugin, ``fakeapi.pytest_plugin``).

Every test that touches storage runs on both databases via the ``db_url`` fixture. PostgreSQL
tests create a fresh database per test and drop it afterwards; when the server is unreachable
they are skipped locally and fail in CI (``TRUSTLINE_REQUIRE_POSTGRES=1``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from services.settings import Settings, load_settings
from storage.db import Database, upgrade
from tests.support.app import make_settings, point_at, start_bot, stop_bot
from tests.support.paths import ROOT

POSTGRES_ADMIN_URL = os.environ.get("TRUSTLINE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

def _postgres_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001
        return str(exc)


@pytest.fixture(scope="session")
def postgres_admin() -> str:
    problem = _postgres_available()
    if problem is not None:
        if os.environ.get("TRUSTLINE_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL is required but unreachable: {problem}")
        pytest.skip(f"PostgreSQL unreachable: {problem}")
    return POSTGRES_ADMIN_URL


def create_postgres_database(admin_url: str) -> tuple[str, str]:
    import psycopg

    name = f"trustline_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


def drop_postgres_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'trustline.sqlite3'}"
        return
    admin = request.getfixturevalue("postgres_admin")
    name, url = create_postgres_database(admin)
    try:
        yield url
    finally:
        drop_postgres_database(admin, name)


@pytest.fixture
def postgres_url(postgres_admin: str) -> Iterator[str]:
    """An empty PostgreSQL database, for what only PostgreSQL does (workers, the standby's lock)."""
    name, url = create_postgres_database(postgres_admin)
    try:
        yield url
    finally:
        drop_postgres_database(postgres_admin, name)


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """A migrated database on each backend."""
    upgrade(db_url)
    db = Database(db_url)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def settings(db_url: str) -> Settings:
    return make_settings(db_url)


@pytest.fixture(autouse=True)
def _isolated_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's environment overrides or config file."""
    for key in list(os.environ):
        if key.startswith("TRUSTLINE_") and key not in ("TRUSTLINE_REQUIRE_POSTGRES", "TRUSTLINE_TEST_POSTGRES"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def example_settings() -> Settings:
    return load_settings(ROOT / "config.example.toml")


@pytest.fixture
async def running_bot(fake_api: Any, database: Database, settings: Settings) -> AsyncIterator[Any]:
    """The real Application (resident side, no model) polling the fake Bot API."""
    from bot.app import build_application

    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    await start_bot(app)
    try:
        yield app
    finally:
        await stop_bot(app)
