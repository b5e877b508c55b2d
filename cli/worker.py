"""`trustline worker`: a scoring worker without the Telegram side, as many as PostgreSQL serves.

Each claims pending messages with ``FOR UPDATE SKIP LOCKED`` (see storage/scoring.py), so any
number can run against one database; they are woken by ``LISTEN``/``NOTIFY`` when the bot stores
a message (and still poll every 30 s for anything missed), and announce what they scored so the
Telegram-facing process runs the after-scoring steps. ``nlp.device = "cuda"`` puts the model on
the GPU. SQLite has no cross-process claims, so there `trustline run` scores by itself and this
command refuses to start.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Annotated

import typer

from cli.common import ConfigOption, fail, settings_from

# As in cli/scoring.py: cli.main imports this module, so it is imported lazily below.

log = logging.getLogger(__name__)

SQLITE_REFUSAL = (
    "`trustline worker` needs PostgreSQL (storage.url): SQLite cannot share scoring between "
    "processes safely. With SQLite, `trustline run` scores messages itself; no worker is needed."
)


def worker(
    ctx: typer.Context,
    config: ConfigOption = None,
    poll_seconds: Annotated[float, typer.Option(help="Look for missed work this often (NOTIFY wakes it sooner).")] = 30.0,
) -> None:
    """Score messages in the background (PostgreSQL; run any number beside `trustline run --no-scoring`)."""
    from bot.app import open_database
    from nlp.model import ModelLoadError
    from services.scoring import ScoringOptions, load_scorer
    from storage.db import DatabaseNotReady

    settings = settings_from(ctx, config)
    try:
        db = open_database(settings)
    except DatabaseNotReady as exc:
        raise fail(str(exc)) from None
    if not db.is_postgres:
        raise fail(SQLITE_REFUSAL)
    try:
        scorer = load_scorer(settings.nlp)  # nlp.device honoured: "cuda" puts the model on the GPU
    except ModelLoadError as exc:
        raise fail(str(exc)) from None
    options = ScoringOptions.from_settings(settings.nlp, poll_seconds=poll_seconds, announce_scored=True)
    asyncio.run(_work(db, scorer, options))


async def _work(db: object, scorer: object, options: object) -> None:
    from services.scoring import WORK_CHANNEL, ScoringWorker, listen

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scoring = ScoringWorker(db, scorer, options)  # type: ignore[arg-type]
    scoring.start()
    listener = loop.create_task(listen(db, {WORK_CHANNEL: lambda _payload: scoring.wake()}, stop))  # type: ignore[arg-type]
    log.info("scoring worker waiting for work (LISTEN %s)", WORK_CHANNEL)
    await stop.wait()
    await listener
    await scoring.stop()
