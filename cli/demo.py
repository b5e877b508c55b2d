"""`trustline demo`: look around without a Telegram token.

Starts the real bot (the Application `trustline run` starts) against the built-in fake Telegram
on 127.0.0.1, seeds a made-up agency into a temporary SQLite database (or ``--db``), and serves a
page with three chats side by side: a resident, an officer and the commanders' staff group.

Registered on the main app by :func:`register` (cli/main.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import tempfile
import webbrowser
from pathlib import Path
from typing import Annotated, Optional

import typer

from cli.common import ConfigOption, fail, settings_from
from services.settings import Settings


def demo(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port of the demo page on 127.0.0.1.")] = 8080,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Don't open a browser; just print the address.")
    ] = False,
    db: Annotated[
        Optional[str],  # noqa: UP045 - typer needs Optional here
        typer.Option(
            "--db",
            help="Database URL to use instead of a throw-away SQLite file. It gets demo data: never point it at a real agency's database.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Try Trustline in your browser: the real bot, a fake Telegram, made-up people. No token needed."""
    settings = settings_from(ctx, config).model_copy(deep=True)
    with tempfile.TemporaryDirectory(prefix="trustline-demo-") as folder:
        url = db or f"sqlite:///{Path(folder) / 'demo.db'}"
        try:
            asyncio.run(_run(_demo_settings(settings, url), port=port, open_browser=not no_browser))
        except KeyboardInterrupt:
            pass


def _demo_settings(settings: Settings, url: str) -> Settings:
    settings.storage.url = url
    settings.units = []  # the demo brings its own units (demo.seed.DEMO_UNITS)
    settings.telegram.admin_ids = []
    return settings


async def _run(settings: Settings, *, port: int, open_browser: bool) -> None:
    from bot.app import open_database
    from demo.seed import DEMO_UNITS
    from demo.server import DemoServer
    from demo.session import DemoSession
    from nlp.model import ModelLoadError
    from storage.db import DatabaseNotReady, upgrade

    try:
        await asyncio.to_thread(upgrade, settings.storage.url)
        database = open_database(settings)
    except DatabaseNotReady as exc:
        raise fail(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - any driver error, as one line (like `db upgrade`)
        raise fail(f"Could not prepare the demo database: {exc}") from None
    session = DemoSession(settings, database)
    typer.echo(f"Loading the sentiment model ({settings.nlp.model}); the first run downloads it...")
    try:
        await session.start()  # the same ModelLoadError, with the same fix, as `trustline run`
    except ModelLoadError as exc:
        await session.stop()
        raise fail(str(exc)) from None
    server = DemoServer(session, port=port)
    try:
        address = await server.start()
    except OSError as exc:
        await session.stop()
        raise fail(
            f"Could not serve the demo page on 127.0.0.1:{port} ({exc.strerror or exc}). Try --port {port + 1}."
        ) from None
    seeded = session.seeded
    typer.echo(
        f"\nTrustline demo: open {address}\n"
        f"  {len(DEMO_UNITS)} units in two districts, an officer, a supervisor and a commander enrolled,\n"
        f"  {seeded.messages if seeded else 0} pieces of made-up feedback"
        f"{f', follow-up case {seeded.case_reference} waiting for the officer' if seeded and seeded.case_reference else ''}.\n"
        "  Try /start as the resident and /digest in the commanders' group. Ctrl+C stops the demo."
    )
    if open_browser:
        webbrowser.open(address)
    try:
        await _until_stopped()
    finally:
        await server.stop()
        await session.stop()
        database.engine.dispose()


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # Windows has no signal handlers here
            loop.add_signal_handler(sig, stop.set)
    await stop.wait()
