"""Build the python-telegram-bot Application: handlers, persistence, rate limiter, jobs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, Defaults

from bot import resident
from bot.ops import counting_requests
from bot.persistence import DatabasePersistence
from bot.runtime import RUNTIME_KEY, Runtime, runtime
from services.health import Metrics
from services.i18n import available_languages, text
from services.settings import Settings
from storage import feedback as store
from storage.db import Database, check_migrated
from storage.identity import stored_secret
from storage.units import UnitSpec, sync_units

log = logging.getLogger(__name__)

# Extra start-up steps other areas contribute (scoring worker, digests, follow-ups). Each gets
# the Application once it is initialised; kept as an explicit list in build_application.
StartupStep = Callable[[Application[Any, Any, Any, Any, Any, Any]], Awaitable[None]]


class MissingToken(Exception):
    pass


def require_token(settings: Settings) -> None:
    if settings.telegram.token is None or not settings.telegram.token.get_secret_value().strip():
        raise MissingToken(
            "No Telegram bot token configured. Talk to @BotFather in Telegram, send /newbot, "
            "and put the token it gives you in TRUSTLINE_TELEGRAM__TOKEN (or [telegram] token)."
        )


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
    metrics = Metrics()
    requests, updates_request = counting_requests(metrics)  # trustline_bot_api_errors_total
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
        .build()
    )
    app.bot_data[RUNTIME_KEY] = Runtime(settings=settings, db=db, metrics=metrics)
    app.bot_data["startup_steps"] = list(extra_startup or [])
    resident.add_handlers(app)
    for add in extra_handlers or []:
        add(app)
    resident.add_catch_alls(app)
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
    await _set_commands(app)
    _schedule_housekeeping(app)
    for step in app.bot_data.get("startup_steps", []):
        await step(app)


async def _post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    rt = runtime(app)
    for stop in rt.hooks.shutdown:
        await stop()


# The menus Telegram shows: residents' commands in private chats; staff groups get the Trust
# Index commands. Staff-only private commands (/enroll, /case, ...) stay out of residents' menu.
COMMAND_MENUS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (BotCommandScopeAllPrivateChats(), ("start", "mydata", "forget", "help", "language", "cancel")),
    (BotCommandScopeAllGroupChats(), ("trust", "digest", "attention", "register", "staffhelp")),
)


async def _set_commands(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    try:
        for scope, names in COMMAND_MENUS:
            for lang in available_languages():
                commands = [BotCommand(n, text(lang, f"general.commands_{n}")) for n in names]
                if lang == "en":
                    await app.bot.set_my_commands(commands, scope=scope)
                await app.bot.set_my_commands(commands, scope=scope, language_code=lang)
    except TelegramError as exc:  # a menu is nice to have; never a reason not to start
        log.warning("could not set the command menu: %s", exc)


def _schedule_housekeeping(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    jq = app.job_queue
    if jq is None:  # pragma: no cover - the job-queue extra is a hard dependency
        return
    jq.run_repeating(_close_idle, interval=600, first=60, name="close-idle-submissions")
    jq.run_repeating(_purge_expired, interval=timedelta(hours=6), first=120, name="purge-expired-text")


async def _close_idle(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    idle = timedelta(minutes=rt.settings.conversation.idle_timeout_minutes)
    closed = await rt.db.run(store.close_idle_submissions, idle)
    if closed:
        log.info("closed %d idle submissions", closed)


async def _purge_expired(context: ContextTypes.DEFAULT_TYPE) -> None:
    rt = runtime(context)
    purged = await rt.db.run(store.purge_expired_text, timedelta(days=rt.settings.privacy.retention_days))
    if purged:
        log.info("purged original text of %d messages past retention", purged)


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    err = context.error
    if isinstance(err, Forbidden):
        log.info("user blocked the bot: %s", err)
        return
    log.error("error while handling an update", exc_info=err)
    if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == "private":
        rt = runtime(context)
        user = update.effective_user
        tx = rt.texts(user.language_code if user else None)
        try:
            await update.effective_chat.send_message(tx("general.error"))
        except TelegramError:
            log.warning("could not tell the user about the error", exc_info=True)


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


def run_bot(settings: Settings, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    tg = settings.telegram
    if tg.mode == "webhook":
        app.run_webhook(**webhook_params(settings))
    else:
        app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=tg.poll_timeout)
