"""Scheduled Trust Index digests: PTB jobs and exactly-once delivery to staff chats.

What is due comes from :mod:`services.digest_schedule`, what a chat reads from
:mod:`services.digests`; this module schedules, claims, sends and reports. Three triggers call the
same :func:`run_digest_tick`: a JobQueue cron job at the scheduled time, a repeating check every
``check_minutes`` (catch-up after downtime, newly registered chats, stale claims), and one check
right after start-up. What is due is judged from ``Runtime.hooks.clock`` (tests inject one).

Exactly once per (kind, period, chat): see :mod:`storage.digests`. The digest is rendered first,
then claimed in a committed transaction, then sent; message ids are recorded as they go. A
claim that never finished (crash mid-send) is reported to admins after
``claim_timeout_minutes`` and never resent automatically.

Telegram errors: 429 is retried by PTB's AIORateLimiter; 403 (bot removed) and 400 "chat not
found" deactivate the chat and tell the admins; every other chat is still served.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from telegram import InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.runtime import runtime
from bot.text_chunks import split_message
from services.access import Scope
from services.digest_schedule import daily_is_redundant, due_weeks, latest_due_day
from services.digests import (
    Chart,
    RenderedDigest,
    chat_scope,
    current_rollups,
    daily_text,
    load_day_counts,
    load_report,
    render_digest,
)
from services.i18n import normalise_language
from services.settings import parse_hhmm
from storage import digests as ledger
from trust.periods import period_of_date

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
# PTB's run_daily counts days cron-style: 0 = Sunday.
PTB_DAY = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


def clock(app: AnyApp) -> datetime:
    """The current time as the digest scheduler sees it (injectable for tests)."""
    return runtime(app).hooks.clock()


# --- delivery -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    kind: str
    period: str
    chat_id: int
    status: str  # sent | failed | skipped (already claimed elsewhere)
    message_ids: tuple[int, ...] = ()
    error: str | None = None


def _unreachable(exc: TelegramError) -> bool:
    """The bot can no longer post there: removed, kicked, chat gone or no rights."""
    if isinstance(exc, Forbidden):
        return True
    text = str(exc).lower()
    return isinstance(exc, BadRequest) and any(
        s in text for s in ("chat not found", "not enough rights", "need administrator rights", "have no rights",
                            "not a member", "group chat was deactivated", "kicked")
    )


async def _deliver(app: AnyApp, kind: str, period: str, target: ledger.ChatTarget, messages: list[str],
                   charts: list[Chart]) -> Delivery:
    """Claim, send and record one digest for one chat."""
    rt = runtime(app)
    run_id = await rt.db.run(ledger.claim, kind, period, target, ledger.process_owner(), clock(app))
    if run_id is None:
        return Delivery(kind, period, target.chat_id, "skipped")
    sent: list[int] = []
    try:
        for html in messages:
            msg = await app.bot.send_message(target.chat_id, html, parse_mode=ParseMode.HTML,
                                             link_preview_options=LinkPreviewOptions(is_disabled=True))
            sent.append(msg.message_id)
            await rt.db.run(ledger.record_message, run_id, msg.message_id)
        for chart in charts:
            msg = await app.bot.send_photo(target.chat_id, InputFile(chart.png, filename=chart.filename),
                                           caption=chart.caption, parse_mode=ParseMode.HTML)
            sent.append(msg.message_id)
            await rt.db.run(ledger.record_message, run_id, msg.message_id)
    except ChatMigrated as exc:
        if not sent:
            log.warning("chat %s became supergroup %s; the digest follows it", target.chat_id, exc.new_chat_id)
            await rt.db.run(ledger.follow_migration, run_id, target.staff_chat_id, exc.new_chat_id)
            return Delivery(kind, period, target.chat_id, "skipped", (), str(exc))
        return await _failed(app, run_id, kind, period, target, sent, exc)
    except TelegramError as exc:
        return await _failed(app, run_id, kind, period, target, sent, exc)
    await rt.db.run(ledger.finish, run_id)
    rt.metrics.digests_sent.labels(kind).inc()
    log.info("%s digest %s sent to chat %s (%d messages)", kind, period, target.chat_id, len(sent))
    return Delivery(kind, period, target.chat_id, "sent", tuple(sent))


async def _failed(app: AnyApp, run_id: int, kind: str, period: str, target: ledger.ChatTarget, sent: list[int],
                  exc: TelegramError) -> Delivery:
    """Record a failed send, stop using a chat the bot was removed from, tell the admins."""
    rt = runtime(app)
    error = f"{type(exc).__name__}: {exc}"[:500]
    log.error("%s digest %s to chat %s failed after %d messages: %s", kind, period, target.chat_id, len(sent), error)
    await rt.db.run(ledger.finish, run_id, error=error)
    rt.metrics.digests_failed.labels(kind).inc()
    if _unreachable(exc):
        await rt.db.run(ledger.mark_chat_unreachable, target.staff_chat_id, error)
        await _tell_admins(app, "digest.admin_chat_removed", title=target.title, chat=target.chat_id, error=str(exc))
    else:
        await _tell_admins(app, "digest.admin_failed", kind_key=kind, period=period, title=target.title,
                           chat=target.chat_id, error=str(exc))
    await rt.db.run(ledger.mark_admins_told, [run_id])
    return Delivery(kind, period, target.chat_id, "failed", tuple(sent), error)




async def _tell_admins(app: AnyApp, key: str, *, kind_key: str | None = None, **values: Any) -> None:
    rt = runtime(app)
    tx = rt.texts(rt.settings.agency.default_language)
    if kind_key is not None:
        values["kind"] = tx(f"digest.kind_{kind_key}")
    text = tx(key, **values)
    for chat_id in await rt.db.run(ledger.admin_chat_ids, rt.settings.telegram.admin_ids):
        try:
            await app.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.warning("could not tell admin chat %s about a digest problem: %s", chat_id, exc)


async def _report_stale(app: AnyApp, now: datetime) -> None:
    rt = runtime(app)
    timeout = timedelta(minutes=rt.settings.digest.claim_timeout_minutes)
    untold = await rt.db.run(ledger.expire_stale_claims, timeout, now)
    for run in untold:
        title = await rt.db.run(ledger.chat_title, run.staff_chat_id)
        key = "digest.admin_interrupted" if run.error == ledger.INTERRUPTED else "digest.admin_failed"
        log.error("%s digest %s for chat %s: %s", run.kind, run.period, run.chat_id, run.error)
        rt.metrics.digests_failed.labels(run.kind).inc()
        await _tell_admins(app, key, kind_key=run.kind, period=run.period, title=title, chat=run.chat_id,
                           error=run.error or "")
    if untold:
        await rt.db.run(ledger.mark_admins_told, [r.id for r in untold])


async def send_weekly(app: AnyApp, periods: list[str]) -> list[Delivery]:
    rt = runtime(app)
    results: list[Delivery] = []
    pending = await rt.db.run(ledger.pending, "weekly", periods)
    rendered: dict[tuple[str, Scope, str], RenderedDigest | None] = {}
    for period, target in sorted(pending, key=lambda pt: (pt[0], pt[1].staff_chat_id)):
        scope = chat_scope(target)
        key = (period, scope, normalise_language(target.language, rt.settings.agency.default_language))
        if key not in rendered:
            try:  # chats with the same scope and language share one rendering
                loaded = await rt.db.run(load_report, rt.settings, period, scope)
                rendered[key] = await asyncio.to_thread(render_digest, loaded, rt.settings, key[2])
            except Exception:
                log.exception("could not render the weekly digest %s for %s", period, scope)
                rendered[key] = None
        digest = rendered[key]
        if digest is not None:
            results.append(await _deliver(app, "weekly", period, target, digest.messages, digest.charts))
    return results


async def send_daily(app: AnyApp, day: date) -> list[Delivery]:
    rt = runtime(app)
    tz = rt.settings.agency.tz
    label = day.isoformat()
    pending = await rt.db.run(ledger.pending, "daily", [label])
    results = []
    for _, target in pending:
        scope = chat_scope(target)
        try:
            loaded = await rt.db.run(load_report, rt.settings, period_of_date(day), scope)
            counts = await rt.db.run(load_day_counts, day, tz, scope)
            text = await asyncio.to_thread(daily_text, loaded, counts, day, rt.settings, target.language)
            messages = split_message(text, rt.settings.trust.digest_message_limit)
        except Exception:
            log.exception("could not render the daily summary %s for chat %s", label, target.chat_id)
            continue
        results.append(await _deliver(app, "daily", label, target, messages, []))
    return results


async def run_digest_tick(app: AnyApp, *, now: datetime | None = None, scheduled: bool = False) -> list[Delivery]:
    """Post every digest that is due and not yet claimed; report interrupted ones. Safe to call
    any number of times, from any number of processes."""
    rt = runtime(app)
    lock = rt.hooks.digest_lock
    async with lock:
        now = now or clock(app)
        settings = rt.settings
        tz = settings.agency.tz
        await _report_stale(app, now)
        results = await send_weekly(app, due_weeks(now, settings.digest, tz, scheduled=scheduled))
        if settings.digest.daily_enabled and (scheduled or settings.digest.catch_up_weeks > 0):
            day = latest_due_day(now, settings.digest, tz)
            if not daily_is_redundant(day, settings.digest, tz):
                results += await send_daily(app, day)
        return results


# --- JobQueue wiring ------------------------------------------------------------------------


async def _scheduled_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_digest_tick(context.application, scheduled=True)


async def _check_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_digest_tick(context.application)


def schedule_jobs(app: AnyApp) -> None:
    rt = runtime(app)
    jq = app.job_queue
    if jq is None:  # pragma: no cover - the job-queue extra is a hard dependency
        return
    digest = rt.settings.digest
    tz = rt.settings.agency.tz
    # Generous misfire grace: a suspended host still posts late rather than never.
    job_kwargs = {"misfire_grace_time": 6 * 3600, "coalesce": True}
    jq.run_daily(_scheduled_job, time=parse_hhmm(digest.weekly_time).replace(tzinfo=tz),
                 days=(PTB_DAY[digest.weekly_day],), name="digest-weekly", job_kwargs=job_kwargs)
    if digest.daily_enabled:
        jq.run_daily(_scheduled_job, time=parse_hhmm(digest.daily_time).replace(tzinfo=tz), name="digest-daily",
                     job_kwargs=job_kwargs)
    jq.run_repeating(_check_job, interval=timedelta(minutes=digest.check_minutes),
                     first=timedelta(minutes=digest.check_minutes), name="digest-check")
    # Catch-up right after start (tests that drive the jobs by hand push it out of the way).
    jq.run_once(_check_job, when=rt.hooks.digest_catch_up_delay, name="digest-catch-up")


async def digest_startup(app: AnyApp) -> None:
    """Start-up step (bot.wiring): bring the rollups in line with the config, schedule the jobs."""
    rt = runtime(app)
    if await rt.db.run(current_rollups, rt.settings):
        log.info("Trust Index rollups rebuilt for the current time zone and weights")
    schedule_jobs(app)

