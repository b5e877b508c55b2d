"""pytest fixtures for tests that run a bot against :class:`FakeBotApi`.

Use them from a test module by importing them (pytest discovers imported
fixtures)::

    from fakeapi.pytest_plugin import fake_api, fake_user, start_app  # noqa: F401

or project-wide with ``pytest_plugins = ["fakeapi.pytest_plugin"]`` in
the root ``conftest.py``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import pytest_asyncio

from fakeapi.ptb import (
    AnyApplication,
    AnyApplicationBuilder,
    application_builder,
    start_application,
    stop_application,
)
from fakeapi.server import FakeBotApi
from fakeapi.user import FakeUser

StartApp = Callable[..., Awaitable[AnyApplication]]


@pytest_asyncio.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    """A started fake Bot API on an ephemeral 127.0.0.1 port.

    At teardown it fails the test if the fake itself crashed (a bug in the
    fake, reported as a 500 to the bot), so such bugs never hide.
    """
    async with FakeBotApi() as api:
        yield api
    if api.internal_errors:
        pytest.fail(f"fake Bot API crashed:\n{api.internal_errors[0]}")


@pytest.fixture
def fake_user(fake_api: FakeBotApi) -> FakeUser:
    """A Spanish-speaking resident, Ana, who has not opened the bot yet."""
    return fake_api.user("Ana", "Rojas", username="ana_r", language_code="es")


@pytest.fixture
def fake_app_builder(fake_api: FakeBotApi) -> AnyApplicationBuilder:
    """An ``ApplicationBuilder`` wired to ``fake_api`` (token and URLs set)."""
    return application_builder(fake_api)


@pytest_asyncio.fixture
async def start_app(fake_api: FakeBotApi) -> AsyncIterator[StartApp]:
    """``await start_app(app)`` starts polling; stopped at teardown, before
    the fake server closes (this fixture depends on ``fake_api``)."""
    started: list[AnyApplication] = []

    async def start(app: AnyApplication, **kwargs: Any) -> AnyApplication:
        started.append(app)
        await start_application(app, **kwargs)
        return app

    yield start
    for app in reversed(started):
        await stop_application(app)
