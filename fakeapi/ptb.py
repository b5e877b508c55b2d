"""python-telegram-bot glue: wiring an Application to a :class:`FakeBotApi`.

Kept apart from the server so the fake itself needs only aiohttp.

PTB quirk worth knowing: ``base_url``/``base_file_url`` must end in ``/bot``
and ``/file/bot`` with no trailing slash, because PTB builds request URLs as
``f"{base_url}{token}/{method}"`` (it appends the token directly unless the
string contains a ``{token}`` placeholder).
"""

from __future__ import annotations

import contextlib
import datetime as dtm
from collections.abc import AsyncIterator, Sequence
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from fakeapi.server import FakeBotApi

AnyApplication = Application[Any, Any, Any, Any, Any, Any]
AnyApplicationBuilder = ApplicationBuilder[Any, Any, Any, Any, Any, Any]


def application_builder(api: FakeBotApi) -> AnyApplicationBuilder:
    """An ``ApplicationBuilder`` already pointing at ``api`` (add more options, then ``build()``)."""
    return (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
    )


async def start_application(
    app: AnyApplication,
    *,
    poll_timeout: float = 1.0,
    allowed_updates: Sequence[str] | None = None,
    drop_pending_updates: bool | None = None,
) -> None:
    """``initialize`` + ``post_init`` + ``start`` + ``start_polling`` with test-friendly timing.

    ``poll_interval=0`` and a short long-poll keep tests fast; the fake
    answers as soon as an update exists, so latency is a few milliseconds.
    """
    await app.initialize()
    if app.post_init is not None:  # as run_polling() does, so start-up hooks run in tests too
        await app.post_init(app)
    await app.start()
    if app.updater is not None:
        await app.updater.start_polling(
            poll_interval=0,
            timeout=dtm.timedelta(seconds=poll_timeout),
            allowed_updates=allowed_updates,
            drop_pending_updates=drop_pending_updates,
        )


async def stop_application(app: AnyApplication) -> None:
    """Stop polling, stop the application and shut it down (each step only if needed), then
    run ``post_shutdown`` as ``run_polling()`` would."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:  # as run_polling() does
        await app.post_shutdown(app)


@contextlib.asynccontextmanager
async def running_application(
    app: AnyApplication,
    *,
    poll_timeout: float = 1.0,
    allowed_updates: Sequence[str] | None = None,
) -> AsyncIterator[AnyApplication]:
    """``async with running_application(app):`` polls the fake for the block's duration."""
    await start_application(app, poll_timeout=poll_timeout, allowed_updates=allowed_updates)
    try:
        yield app
    finally:
        await stop_application(app)
