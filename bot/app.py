"""Build the python-telegram-bot Application: handlers, persistence, rate limiter, jobs."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import urlparse

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import AIORateLimiter, Application, ContextTypes, Defaults

from bot import alerts, handlers
from bot.guards import is_expected, tell_once
from bot.intake import WEBHOOK_SECRET_MESSAGE, ChatOrderedProcessor, InboxUpdater
from bot.jobs import StartupStep, schedule_housekeeping
from bot.menus import set_command_menus
from bot.ops import counting_requests
from bot.persistence import DatabasePersistence
from bot.runtime import RUNTIME_KEY, Runtime, runtime
from services.health import Metrics
from services.settings import Settings
from storage.db import Database, check_migrated, is_unavailable
from storage.identity import stored_secret
from storage.units import UnitSpec, sync_units

log = logging.getLogger(__name__)

class MissingToken(Exception):
    """A Telegram credential is missing: the bot token, or the webhook secret in webhook mode."""


def require_token(settings: Settings) -> None:
    tg = settings.telegram
    if tg.token is None or not tg.token.get_secret_value().strip():
        raise MissingToken(
            "No Telegram bot token configured. Talk to @BotFather in Telegram, send /newbot, "
            "and put the token it gives you in TRUSTLINE_TELEGRAM__TOKEN (or [telegram] token)."
        )
    if tg.mode == "webhook" and (tg.webhook_secret is None or not tg.webhook_secret.get_secret_value()):
        raise MissingToken(WEBHOOK_SECRET_MESSAGE)


def build_application(
    settings: Settings,
    db: Database,
    *,
    extra_startup: list[StartupStep] | None = None,
    extra_handlers: list[Callable[[Application[Any, Any, Any, Any, Any, Any]], None]] | None = None,
    persistence_interval: float = 2,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The full bot, not yet started. ``db`` must already be migrated (see check_migrated)."""
    require_token(settings)
    tg = settings.telegram
    rt = Runtime(settings=settings, db=db, metrics=Metrics())
    processor = ChatOrderedProcessor()
    requests, updates_request = counting_requests(rt.metrics)  # trustline_bot_api_errors_total
    app = (
        Application.builder()
        .token(tg.token.get_secret_value())  # type: ignore[union-attr]
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .request(requests)
        .get_updates_request(updates_request)
        .defaults(Defaults(tzinfo=settings.agency.tz, parse_mode=ParseMode.HTML))
        .persistence(DatabasePersistence(db, update_interval=persistence_interval))
        .rate_limiter(AIORateLimiter(max_retries=5))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .concurrent_updates(processor)
        .updater(None)  # replaced below: the builder has no hook for an Updater subclass that keeps its bot
        .build()
    )
    rt.startup_steps = list(extra_startup or [])
    rt.hooks.recheck_alerts = partial(alerts.recheck_alerts, app)
    # Updates are recorded in the inbox before Telegram is told they arrived (bot/intake.py).
    updater = InboxUpdater(app.bot, app.update_queue, rt)
    updater.bind(app, processor)
    app.updater = updater
    app.bot_data[RUNTIME_KEY] = rt
    # Every handler, with its group, is listed in bot/handlers.py; guards first, catch-alls last.
    handlers.add_counters(app)
    handlers.add_guards(app)
    handlers.add_resident_handlers(app)
    for add in extra_handlers or []:
        add(app)
    handlers.add_catch_alls(app)
    app.add_error_handler(_on_error)
    return app


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    rt = runtime(app)
    settings = rt.settings
    configured = settings.privacy.pseudonym_secret
    rt.pseudonym_secret = (
        configured.get_secret_value() if configured is not None else await rt.db.run(stored_secret)
    )
    specs = [UnitSpec(u.code, u.name, u.district) for u in settings.units]
    await rt.db.run(sync_units, specs)
    rt.bot_username = app.bot.username
    await set_command_menus(app.bot)
    schedule_housekeeping(app)
    for step in rt.startup_steps:
        await step(app)


async def _post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    rt = runtime(app)
    for stop in rt.hooks.shutdown:
        await stop()


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    err = context.error
    if is_expected(err):  # a double tap, a blocked bot: one line, no traceback, no apology
        log.info("Telegram refused a call: %s: %s", type(err).__name__, err)
        return
    if is_unavailable(err):
        # A database outage, not a bug: one log line for the whole outage (bot/outage.py), the
        # update is handled again once the database is back, and its sender hears so once.
        rt = runtime(context)
        rt.outage.begin(err)  # type: ignore[arg-type]
        if isinstance(update, Update):
            rt.outage.failed_updates.add(update.update_id)
            await rt.outage.tell(context.bot, update, rt.texts)
        return
    log.error("error while handling an update", exc_info=err)
    user = update.effective_user if isinstance(update, Update) else None
    await tell_once(update, context, runtime(context).texts(user.language_code if user else None)("general.error"))


def open_database(settings: Settings) -> Database:
    """Open and verify the database; raises DatabaseNotReady with the fix in the message."""
    db = Database(settings.storage.url, echo=settings.storage.echo_sql)
    check_migrated(db.engine)
    return db


def webhook_params(settings: Settings) -> dict[str, Any]:
    """Arguments for PTB's webhook server: listen locally on the public URL's path."""
    tg = settings.telegram
    return {
        "listen": tg.webhook_listen,
        "port": tg.webhook_port,
        "url_path": urlparse(tg.webhook_url or "").path.lstrip("/"),
        "webhook_url": tg.webhook_url,
        "secret_token": tg.webhook_secret.get_secret_value() if tg.webhook_secret else None,
        "allowed_updates": Update.ALL_TYPES,
    }


class SteppedDown(Exception):
    """Another `trustline run` took over the Telegram connection after this one lost its lock."""

    def __init__(self, holder: str) -> None:
        super().__init__(
            f"Another trustline run took over the Telegram connection ({holder}) after this process "
            "lost its lock connection to the database. Exiting so that it is restarted as the standby."
        )


def run_bot(settings: Settings, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Wait as a standby while another process talks to Telegram for this bot, then run.

    While running, the lock is watched (bot/leadership.py): raises :class:`SteppedDown` once this
    process lost it to another one and has shut down.
    """
    from storage.leader import telegram_connection

    tg = settings.telegram
    with telegram_connection(settings.storage.url, tg.token.get_secret_value()) as lease:  # type: ignore[union-attr]
        lost_to: list[str] = []
        if lease is not None:
            runtime(app).startup_steps.append(partial(watch_lease, lease=lease, settings=settings, lost_to=lost_to))
        if tg.mode == "webhook":
            app.run_webhook(**webhook_params(settings))
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=tg.poll_timeout)
    if lost_to:
        raise SteppedDown(lost_to[0])


async def watch_lease(
    app: Application[Any, Any, Any, Any, Any, Any],
    *,
    lease: Any,
    settings: Settings,
    lost_to: list[str],
    interval: float | None = None,
) -> None:
    """Start-up step: watch the Telegram connection lock until shutdown (bot/leadership.py).
    Stepping down appends the new holder's name to ``lost_to`` and stops the Application."""
    import asyncio

    from bot.leadership import WATCH_SECONDS, LeaseWatch

    updater = app.updater
    assert updater is not None

    async def pause() -> None:
        if updater.running:
            await updater.stop()

    def step_down(holder: str) -> None:
        lost_to.append(holder)
        app.stop_running()

    watch = LeaseWatch(lease, pause, step_down, interval=interval or WATCH_SECONDS)
    task = asyncio.get_running_loop().create_task(watch.run(), name="trustline-lease-watch")

    async def stop_watching() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    runtime(app).hooks.shutdown.insert(0, stop_watching)
