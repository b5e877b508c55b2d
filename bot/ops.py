"""Operators' wiring: metrics counted where things happen, gauges refreshed, the ops server, the ready line.

``services/health.py`` owns the endpoints and the metric definitions; this module plugs them into
the running Application:

* every Bot API request goes through :class:`CountingRequest`, which counts failures by kind
  (``trustline_bot_api_errors_total``), whoever made the call (handlers, jobs, alerts, digests);
* a :class:`~telegram.ext.TypeHandler` in group -100 counts each update before any other handler
  sees it (``trustline_updates_received_total``);
* a job refreshes the database-wide gauges (scoring queue and lag, cases) every
  :data:`GAUGE_SECONDS`, so a scrape never waits on the database;
* with ``ops.port`` set, :class:`~services.health.OpsServer` serves ``/healthz``, ``/readyz`` and
  ``/metrics`` on the bot's event loop;
* once polling (or the webhook) runs, one INFO line says what is running.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from telegram import Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application, ContextTypes
from telegram.request import HTTPXRequest

from bot.runtime import Runtime, runtime
from services.health import Metrics, OpsServer
from storage import ops as figures
from storage.scoring import backlog

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]

# Gauges are database-wide and change slowly; every 30 s costs three aggregate queries.
GAUGE_SECONDS = 30


class OpsPortUnavailable(Exception):
    """The health and metrics server could not listen where ``[ops]`` says."""


# --- Bot API errors --------------------------------------------------------------------------


def error_kind(exc: TelegramError) -> str:
    """A bounded label for a Bot API error (subclasses first: BadRequest and TimedOut are NetworkErrors)."""
    for kind, cls in (
        ("forbidden", Forbidden),
        ("invalid_token", InvalidToken),
        ("retry_after", RetryAfter),
        ("chat_migrated", ChatMigrated),
        ("conflict", Conflict),
        ("not_found", EndPointNotFound),
        ("bad_request", BadRequest),
        ("timeout", TimedOut),
        ("network", NetworkError),
    ):
        if isinstance(exc, cls):
            return kind
    return "other"


class CountingRequest(HTTPXRequest):
    """PTB's HTTP transport, counting each failed Bot API call by :func:`error_kind`.

    Counting here rather than in the error handler also catches the failures the code handles
    itself (an undeliverable alert, a digest to a chat the bot was removed from, rate limits the
    rate limiter retries).
    """

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._metrics = metrics

    async def post(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().post(*args, **kwargs)
        except TelegramError as exc:
            self._metrics.bot_api_errors.labels(error_kind(exc)).inc()
            raise


def counting_requests(metrics: Metrics) -> tuple[HTTPXRequest, HTTPXRequest]:
    """(requests, get_updates request) with PTB's own default pool sizes (256 and 1)."""
    return CountingRequest(metrics, connection_pool_size=256), CountingRequest(metrics, connection_pool_size=1)


# --- updates -----------------------------------------------------------------------------------


def update_kind(update: Update) -> str:
    """``message``, ``callback_query``, ...: the one field Telegram set (a bounded set of names)."""
    for kind in Update.ALL_TYPES:
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


async def count_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    runtime(context).metrics.updates_received.labels(update_kind(update)).inc()


# --- gauges ------------------------------------------------------------------------------------


async def refresh_gauges(app: AnyApp) -> None:
    """Scoring queue depth and lag, open/overdue/unowned cases: one query each, off the event loop."""
    rt = runtime(app)
    worker = rt.scoring
    revision = worker.scorer.revision if worker is not None else ""
    max_attempts = worker.options.max_attempts if worker is not None else None
    now = rt.hooks.clock()
    escalate_after = timedelta(hours=rt.settings.followup.escalate_after_hours)

    def read(session: Any) -> tuple[int, datetime | None, figures.CaseCounts]:
        # Without a model in this process only new messages count as waiting (no stale re-scores).
        depth = backlog(session, revision, include_stale=worker is not None, max_attempts=max_attempts)
        return depth, figures.oldest_pending_at(session), figures.case_counts(session, now, escalate_after)

    depth, oldest, cases = await rt.db.run(read)
    m = rt.metrics
    m.scoring_queue_depth.set(depth)
    m.scoring_lag.set(max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0)
    m.cases_open.set(cases.open)
    m.cases_overdue.set(cases.overdue)
    m.cases_unowned.set(cases.unowned)


async def _refresh_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await refresh_gauges(context.application)
    except Exception as exc:  # noqa: BLE001 - /readyz reports the database; no traceback every 30 s
        log.warning("could not refresh the metrics gauges: %s", type(exc).__name__)


# --- readiness ---------------------------------------------------------------------------------


async def readiness(app: AnyApp) -> dict[str, bool]:
    """``/readyz``: the database answers, updates arrive (polling or webhook), the model is loaded."""
    rt = runtime(app)
    try:
        database = await rt.db.run(figures.ping)
    except Exception:  # noqa: BLE001 - unreachable, locked, dropped: all mean "not ready"
        database = False
    updater = app.updater
    return {
        "database": database,
        # run_webhook also runs through the updater, so this covers both modes.
        "updates": bool(updater is not None and updater.running),
        "model": rt.scoring is not None and rt.scoring.running,
    }


def database_label(rt: Runtime) -> str:
    """The database URL as an operator may read it in a log: never the password."""
    return rt.db.engine.url.render_as_string(hide_password=True)


async def ready_line(app: AnyApp) -> str:
    rt = runtime(app)
    units = await rt.db.run(figures.active_unit_count)
    worker = rt.scoring
    model = f"{worker.scorer.model_name} ({worker.scorer.revision})" if worker is not None else "none"
    return (
        f"running as @{rt.bot_username or app.bot.username}: {units} units, model {model}, "
        f"{rt.settings.telegram.mode}, database {database_label(rt)}"
    )


async def _announce(context: ContextTypes.DEFAULT_TYPE) -> None:
    log.info("%s", await ready_line(context.application))


# --- start-up ----------------------------------------------------------------------------------


async def startup(app: AnyApp) -> None:
    """Start-up step (bot.wiring): gauges job, the ready line once running, the ops server if configured."""
    rt = runtime(app)
    jq = app.job_queue
    if jq is not None:
        jq.run_repeating(_refresh_job, interval=GAUGE_SECONDS, first=1, name="ops-gauges")
        # Jobs start after polling (or the webhook) has started: this line means "running".
        jq.run_once(_announce, when=0, name="ops-ready-line")
    ops = rt.settings.ops
    if ops.port == 0:
        return

    async def check() -> dict[str, bool]:
        return await readiness(app)

    server = OpsServer(ops.host, ops.port, check, metrics=rt.metrics)
    try:
        await server.start()
    except OSError as exc:
        raise OpsPortUnavailable(
            f"Cannot serve health and metrics on {ops.host}:{ops.port}: {exc.strerror or exc}. "
            "Change ops.port (TRUSTLINE_OPS__PORT) or stop what is using it."
        ) from None
    rt.ops_server = server
    rt.hooks.shutdown.append(server.stop)
