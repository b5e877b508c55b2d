"""The bot's background work, started once the Application is initialised.

Each start-up step (``StartupStep``) runs in ``post_init`` after the pseudonym secret and units are
ready and before polling starts. The scoring worker itself is Telegram-free
(`services/scoring.py`, also run by benchmarks and the CLI); what lives here is how the bot starts
it and what happens after a batch is scored: the seams in ``Runtime.hooks``, in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.runtime import runtime
from services.scoring import (
    SCORED_CHANNEL,
    Scorer,
    ScoringOptions,
    ScoringWorker,
    bot_nlp_settings,
    listen,
    load_scorer,
    parse_ids,
)
from services.settings import Settings
from storage import feedback as feedback_store
from storage import scoring as queue

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
StartupStep = Callable[[AnyApp], Awaitable[None]]


# --- housekeeping ----------------------------------------------------------------------------


def schedule_housekeeping(app: AnyApp) -> None:
    jq = app.job_queue
    if jq is None:  # pragma: no cover - the job-queue extra is a hard dependency
        return
    jq.run_repeating(close_idle, interval=600, first=60, name="close-idle-submissions")
    jq.run_repeating(purge_expired, interval=timedelta(hours=6), first=120, name="purge-expired-text")


async def close_idle(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    idle = timedelta(minutes=rt.settings.conversation.idle_timeout_minutes)
    closed = await rt.db.run(feedback_store.close_idle_submissions, idle)
    if closed:
        log.info("closed %d idle submissions", closed)


async def purge_expired(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    purged = await rt.db.run(feedback_store.purge_expired_text, timedelta(days=rt.settings.privacy.retention_days))
    if purged:
        log.info("purged original text of %d messages past retention", purged)


# --- scoring ---------------------------------------------------------------------------------


def scoring_startup(
    settings: Settings,
    *,
    scorer: Scorer | None = None,
    options: ScoringOptions | None = None,
) -> StartupStep:
    """Load the model now and return the start-up step that starts the worker.

    Loading happens here, while ``trustline run`` builds the Application and before anything
    polls Telegram, so a model that cannot be loaded stops start-up with one clear message
    (``ModelLoadError``) instead of a bot that accepts messages it can never score.
    """
    if scorer is None:
        scorer = load_scorer(bot_nlp_settings(settings.nlp))
    opts = options or ScoringOptions.from_settings(settings.nlp)
    ready: Scorer = scorer

    async def start_scoring(app: AnyApp) -> None:
        rt = runtime(app)
        requeued = await rt.db.run(queue.requeue_failed)
        if requeued:
            log.info("re-queued %d messages whose scoring had failed", requeued)
        hook = after_scoring(app)
        worker = ScoringWorker(rt.db, ready, opts, on_scored=lambda: hook, metrics=rt.metrics)
        rt.scoring = worker
        rt.hooks.shutdown.append(worker.stop)
        worker.start()  # finds whatever a crash or outage left pending straight away

    return start_scoring


def after_scoring(app: AnyApp) -> Callable[[list[int]], Awaitable[None]]:
    """What runs once a batch is scored, through the seams in ``Runtime.hooks``."""
    hooks = runtime(app).hooks

    async def run(message_ids: list[int]) -> None:
        # Alerts first: a borderline emergency confirmed by a very negative score is urgent.
        if hooks.recheck_alerts is not None:
            await hooks.recheck_alerts(message_ids)
        if hooks.on_scored is not None:
            await hooks.on_scored(message_ids)

    return run


async def scored_elsewhere_startup(app: AnyApp) -> None:
    """`trustline run --no-scoring`: no model here; ``trustline worker`` processes score.

    They announce what they scored on PostgreSQL (NOTIFY), and this process runs the after-scoring
    steps (alerts, follow-ups) for it; the follow-ups sweep catches anything missed meanwhile.
    """
    rt = runtime(app)
    if not rt.db.is_postgres:
        log.warning(
            "scoring is off in this process and SQLite has no `trustline worker`: messages stay "
            "pending until `trustline run` runs with scoring again"
        )
        return
    run_after = after_scoring(app)
    stop = asyncio.Event()

    def on_scored(payload: str) -> None:
        ids = parse_ids(payload)
        if ids:
            app.create_task(run_after(ids), name="trustline-after-scoring")

    task = asyncio.get_running_loop().create_task(listen(rt.db, {SCORED_CHANNEL: on_scored}, stop))

    async def stop_listening() -> None:
        stop.set()
        await task

    rt.hooks.shutdown.append(stop_listening)
