"""Scheduled Trust Index digests: what is due, rendering per chat scope, exactly-once delivery.

Schedule (config ``[digest]``, agency time zone): the weekly digest of ISO week W is due at
``weekly_day``/``weekly_time`` after W ends (default Monday 08:00); the optional daily summary of
day D at ``daily_time`` on D+1. Three triggers call the same :func:`run_digest_tick`:
a JobQueue cron job at the scheduled time, a repeating check every ``check_minutes`` (catch-up
after downtime, newly registered chats, stale claims), and one check right after start-up.
What is due is judged from ``Runtime.hooks.clock`` (tests inject one).

Exactly once per (kind, period, chat): see :mod:`storage.digests`. The digest is rendered first,
then claimed in a committed transaction, then sent; message ids are recorded as they go. A
claim that never finished (crash mid-send) is reported to admins after
``claim_timeout_minutes`` and never resent automatically.

Telegram errors: 429 is retried by PTB's AIORateLimiter; 403 (bot removed) and 400 "chat not
found" deactivate the chat and tell the admins; every other chat is still served.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session
from telegram import InputFile, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, TelegramError
from telegram.ext import Application, ContextTypes

from bot.runtime import runtime
from bot.text_chunks import split_message
from services.access import Scope
from services.i18n import Texts, normalise_language
from services.settings import DigestSettings, Settings
from storage import cases, rollups
from storage import digests as ledger
from storage.models import FeedbackMessage, Staff, Unit
from trust.digest import compose_digest, render_digest_text, telegram_length
from trust.model import FollowUpStats, GroupKey, OrgChart, PeriodStats
from trust.periods import parse_period, period_bounds, period_of, period_of_date, shift_period
from trust.report import Figure, HistoryPoint, TrustReport, compute_report, history_for
from trust.settings import TrustSettings
from trust.texts import catalogue

log = logging.getLogger(__name__)

AnyApp = Application[Any, Any, Any, Any, Any, Any]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# PTB's run_daily counts days cron-style: 0 = Sunday.
PTB_DAY = {"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}


def clock(app: AnyApp) -> datetime:
    """The current time as the digest scheduler sees it (injectable for tests)."""
    return runtime(app).hooks.clock()


# --- schedule arithmetic (pure) ---------------------------------------------------------------


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def weekly_due_at(period: str, digest: DigestSettings, tz: Any) -> datetime:
    """When the weekly digest of ``period`` is due: the configured weekday and time after it ends."""
    monday_after = parse_period(period).monday + timedelta(days=7)
    day = monday_after + timedelta(days=WEEKDAYS.index(digest.weekly_day))
    return datetime.combine(day, _hhmm(digest.weekly_time), tzinfo=tz)


def latest_due_week(now: datetime, digest: DigestSettings, tz: Any) -> str:
    """The most recent week whose weekly digest is due at ``now``."""
    candidate = shift_period(period_of(now, tz), -1)
    while weekly_due_at(candidate, digest, tz) > now:
        candidate = shift_period(candidate, -1)
    return candidate


def due_weeks(now: datetime, digest: DigestSettings, tz: Any, *, scheduled: bool = False) -> list[str]:
    """Weeks to post at ``now``, oldest first: the latest due week and, after downtime, the
    ``catch_up_weeks - 1`` before it. ``catch_up_weeks = 0`` posts only from the cron job itself."""
    latest = latest_due_week(now, digest, tz)
    count = digest.catch_up_weeks if not scheduled else max(1, digest.catch_up_weeks)
    return [shift_period(latest, -k) for k in range(count - 1, -1, -1)]


def daily_due_at(day: date, digest: DigestSettings, tz: Any) -> datetime:
    return datetime.combine(day + timedelta(days=1), _hhmm(digest.daily_time), tzinfo=tz)


def latest_due_day(now: datetime, digest: DigestSettings, tz: Any) -> date:
    day = now.astimezone(tz).date() - timedelta(days=1)
    while daily_due_at(day, digest, tz) > now:
        day -= timedelta(days=1)
    return day


def daily_is_redundant(day: date, digest: DigestSettings, tz: Any) -> bool:
    """No daily summary on the morning the weekly digest goes out: the weekly replaces it."""
    return (day + timedelta(days=1)).weekday() == WEEKDAYS.index(digest.weekly_day)


# --- scopes -------------------------------------------------------------------------------------


def chat_scope(target: ledger.ChatTarget) -> Scope:
    if target.scope_kind in ("district", "unit") and target.scope_value:
        return Scope(target.scope_kind, target.scope_value)  # type: ignore[arg-type]
    return Scope("agency")


def scope_key(scope: Scope) -> GroupKey:
    if scope.kind == "district":
        return GroupKey.district(scope.value or "")
    if scope.kind == "unit":
        return GroupKey.unit(scope.value or "")
    return GroupKey.agency()


def scope_label(scope: Scope, org: OrgChart, tx: Texts) -> str:
    if scope.kind == "district":
        return tx("digest.scope_district", district=scope.value or "")
    if scope.kind == "unit":
        return org.unit_name(scope.value or "")
    return org.agency_name


def in_scope(key: GroupKey, scope: Scope, org: OrgChart) -> bool:
    """Groups a scoped report keeps: the scope's own figures plus their parents (agency and the
    district) so that shrinkage - and so every number - is the same as in the agency digest."""
    if scope.kind == "agency" or key.dimension == "agency":
        return True
    if key.dimension in ("channel", "language"):
        return False
    district = scope.value if scope.kind == "district" else org.district_of(scope.value)
    if key.dimension == "district":
        return key.key == district
    if scope.kind == "district":
        return org.district_of(key.key) == scope.value
    return key.key == scope.value


def _scoped_stats(stats: PeriodStats, scope: Scope, org: OrgChart) -> PeriodStats:
    return PeriodStats(stats.period, {k: v for k, v in stats.groups.items() if in_scope(k, scope, org)})


def scoped_inputs(inputs: rollups.ReportInputs, scope: Scope, trust: TrustSettings) -> tuple[rollups.ReportInputs, TrustSettings]:
    """The inputs of a district or unit chat's digest (the agency's are returned unchanged)."""
    if scope.kind == "agency":
        return inputs, trust
    org = inputs.org
    district = scope.value if scope.kind == "district" else org.district_of(scope.value)
    units = {code: u for code, u in org.units.items() if in_scope(GroupKey.unit(code), scope, org)}
    scoped_org = OrgChart(units, {d: n for d, n in org.districts.items() if d == district}, org.agency_name)
    dims = tuple(d for d in trust.attention_dimensions if d in ("unit", "district")) or ("unit",)
    return (
        rollups.ReportInputs(
            inputs.period,
            _scoped_stats(inputs.current, scope, org),
            {p: _scoped_stats(s, scope, org) for p, s in inputs.history.items()},
            scoped_org,
        ),
        trust.model_copy(update={"attention_dimensions": dims}),
    )


@dataclass(frozen=True)
class LoadedReport:
    """One scope's report for one week, with what its chart needs."""

    period: str
    scope: Scope
    report: TrustReport
    inputs: rollups.ReportInputs  # scoped
    trust: TrustSettings  # scoped (attention dimensions)
    org: OrgChart  # the whole agency, for labels


def build_report(
    inputs: rollups.ReportInputs,
    scope: Scope,
    trust: TrustSettings,
    follow_ups: Mapping[GroupKey, FollowUpStats] | None = None,
) -> tuple[TrustReport, rollups.ReportInputs, TrustSettings]:
    """The scope's report without quotes (pure)."""
    scoped, settings = scoped_inputs(inputs, scope, trust)
    report = compute_report(
        inputs.period, scoped.current, org=scoped.org, settings=settings, history=scoped.history, follow_ups=follow_ups
    )
    if scope.kind != "agency":
        # Topic, channel and language tables are agency-wide figures; a scoped chat gets its units.
        report = dataclasses.replace(report, topics=(), channels=(), languages=())
    return report, scoped, settings


def load_report(session: Session, settings: Settings, period: str, scope: Scope) -> LoadedReport:
    """Read the week's rollups, compute the scope's report and fetch its attention quotes."""
    inputs = rollups.report_inputs(session, period, trust=settings.trust, agency_name=settings.agency.name)
    start, end = period_bounds(inputs.period, settings.agency.tz)
    follow_ups = cases.followup_stats(session, start, end)  # response and "did this help?" rates
    report, scoped, trust = build_report(inputs, scope, settings.trust, follow_ups)
    report = rollups.attach_quotes(session, report, org=scoped.org, settings=trust)
    return LoadedReport(inputs.period, scope, report, scoped, trust, inputs.org)


def scope_figure(report: TrustReport, scope: Scope) -> Figure | None:
    if scope.kind == "agency":
        return report.agency
    key = scope_key(scope)
    return next((f for f in (*report.districts, *report.units) if f.key == key), None)


# --- rendering (no Telegram) ------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    filename: str
    png: bytes
    caption: str


@dataclass(frozen=True)
class RenderedDigest:
    period: str
    scope: Scope
    language: str
    report: TrustReport
    messages: list[str]  # Telegram HTML, each within the limit
    text: str  # plain text (the CLI's .txt)
    charts: list[Chart]


def _level(trust: TrustSettings) -> str:
    pct = trust.confidence_level * 100
    return str(int(round(pct))) if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}"


def render_digest(
    loaded: LoadedReport, settings: Settings, language: str, *, charts: bool = True, preview: bool = False,
) -> RenderedDigest:
    """The digest of one scope and language: messages, plain text and chart PNGs."""
    from trust.charts import history_chart_png, trend_chart_png, units_chart_png

    lang = normalise_language(language, settings.agency.default_language)
    tx = Texts(lang)
    trust = settings.trust
    report, scope = loaded.report, loaded.scope
    messages = compose_digest(report, lang, settings=trust)
    if preview:
        note = tx("digest.preview_note", period=report.period)
        fits = telegram_length(note) + telegram_length(messages[0]) + 2 <= trust.digest_message_limit
        messages = [note + "\n\n" + messages[0], *messages[1:]] if fits else [note, *messages]
    out: list[Chart] = []
    if charts:
        label = scope_label(scope, loaded.org, tx)
        caption = tx("digest.chart_trend", level=_level(trust), scope=label)
        if scope.kind == "agency":
            trend = trend_chart_png(report, lang)
        else:
            points = history_for(scope_key(scope), report.period, loaded.inputs.current, loaded.inputs.history,
                                 org=loaded.inputs.org, settings=loaded.trust)
            fig = scope_figure(report, scope)
            if fig is not None and points:
                # The digest week's point is the figure in the table (shrunk toward the baseline
                # prior, which history_for does not apply), so chart and text never disagree.
                points = (*points[:-1], HistoryPoint(report.period, fig.n_residents, fig.index, fig.index_low,
                                                     fig.index_high))
            title = catalogue(lang)["chart_trend_title"].format(weeks=len(points)) + f" · {label}"
            trend = history_chart_png(points, lang=lang, title=title, confidence_level=trust.confidence_level)
        out.append(Chart(f"trust-trend-{report.period}-{lang}.png", trend, caption))
        if scope.kind != "unit" and report.units:
            out.append(Chart(f"trust-units-{report.period}-{lang}.png", units_chart_png(report, lang),
                             tx("digest.chart_units", period=report.period)))
    return RenderedDigest(report.period, scope, lang, report, messages,
                          render_digest_text(report, lang, settings=trust), out)


def _idx(x: float) -> str:
    return str(int(math.floor(x + 0.5)))


def figure_lines(fig: Figure, tx: Texts, trust: TrustSettings, name: str | None = None, *, trends: bool = True) -> list[str]:
    """A figure as short HTML lines (for /trust and the daily summary)."""
    name = name or fig.label
    if not fig.enough:
        return [tx("digest.figure_not_enough", name=name, residents=fig.n_residents, min=trust.min_residents)]
    lines = [tx("digest.figure", name=name, index=_idx(fig.index), level=_level(trust),  # type: ignore[arg-type]
                low=_idx(fig.index_low), high=_idx(fig.index_high), residents=fig.n_residents)]  # type: ignore[arg-type]
    if trends:
        for trend, key in ((fig.vs_previous, "digest.trend_previous"), (fig.vs_baseline, "digest.trend_baseline")):
            if trend is None:
                continue
            arrow = "↑" if trend.delta_index >= 0.05 else "↓" if trend.delta_index <= -0.05 else "→"
            verdict = tx("digest.significant") if trend.significant else tx("digest.within_noise")
            line = "  " + tx(key, arrow=arrow, delta=f"{abs(trend.delta_index):.1f}", verdict=verdict,
                             weeks=trust.baseline_weeks)
            lines.append(f"<b>{line}</b>" if trend.significant else line)
    return lines


def render_trust_summary(loaded: LoadedReport, settings: Settings, language: str) -> list[str]:
    """``/trust [unit]``: the scope's (or one unit's) figure with trends, and its units."""
    lang = normalise_language(language, settings.agency.default_language)
    tx = Texts(lang)
    trust = settings.trust
    report, scope = loaded.report, loaded.scope
    months = catalogue(lang)["months"].split()
    start, end = report.week_start, report.week_end
    label = scope_label(scope, loaded.org, tx)
    lines = [tx("digest.trust_title", scope=label, period=report.period,
                start=f"{start.day} {months[start.month - 1]}", end=f"{end.day} {months[end.month - 1]} {end.year}"), ""]
    fig = scope_figure(report, scope)
    if fig is not None:
        lines += figure_lines(fig, tx, trust, label)
    if scope.kind != "unit" and report.units:
        lines += ["", tx("digest.units")]
        for unit_fig in report.units:
            lines += figure_lines(unit_fig, tx, trust, trends=False)
    lines += ["", tx("digest.trust_footer")]
    return split_message("\n".join(lines), trust.digest_message_limit)


def render_attention(loaded: LoadedReport, settings: Settings, language: str) -> list[str]:
    """``/attention``: the headline and the "needs attention" list, without the tables."""
    lang = normalise_language(language, settings.agency.default_language)
    short = dataclasses.replace(loaded.report, districts=(), units=(), topics=(), channels=(), languages=())
    return compose_digest(short, lang, settings=settings.trust)


@dataclass(frozen=True)
class DayCounts:
    messages: int
    residents: int


def day_counts(session: Session, day: date, tz: Any, scope: Scope) -> DayCounts:
    """Messages and distinct residents received on ``day`` (agency time) within ``scope``."""
    start = datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    query = select(func.count(), func.count(func.distinct(FeedbackMessage.resident_id))).where(
        FeedbackMessage.received_at >= start, FeedbackMessage.received_at < end  # type: ignore[arg-type]
    )
    if scope.kind != "agency":
        unit_ids = select(Unit.id).where(
            (Unit.district == scope.value) if scope.kind == "district" else (Unit.code == scope.value)  # type: ignore[arg-type]
        )
        query = query.where(FeedbackMessage.unit_id.in_(unit_ids))  # type: ignore[union-attr]
    messages, residents = session.execute(query).one()
    return DayCounts(int(messages), int(residents))


def render_daily(loaded: LoadedReport, counts: DayCounts, day: date, settings: Settings, language: str) -> list[str]:
    """The daily short summary: yesterday's volume and the week so far."""
    lang = normalise_language(language, settings.agency.default_language)
    tx = Texts(lang)
    months = catalogue(lang)["months"].split()
    label = scope_label(loaded.scope, loaded.org, tx)
    lines = [tx("digest.daily_title", scope=label),
             tx("digest.daily_yesterday", day=f"{day.day} {months[day.month - 1]}", messages=counts.messages,
                residents=counts.residents),
             "", tx("digest.daily_week", period=loaded.period)]
    fig = scope_figure(loaded.report, loaded.scope)
    if fig is not None:
        lines += figure_lines(fig, tx, settings.trust, label, trends=False)
    lines += ["", tx("digest.daily_footer", weekday=tx(f"digest.weekday_{settings.digest.weekly_day}"))]
    return split_message("\n".join(lines), settings.trust.digest_message_limit)


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
    await rt.db.run(_mark_told, run_id)
    return Delivery(kind, period, target.chat_id, "failed", tuple(sent), error)


def _mark_told(session: Session, run_id: int) -> None:
    ledger.mark_admins_told(session, [run_id])


def _admin_chats(session: Session, admin_ids: list[int]) -> list[int]:
    rows = session.execute(
        select(Staff.chat_id).where(Staff.role == "admin", Staff.active == True, Staff.chat_id != None)  # type: ignore[arg-type]  # noqa: E711,E712
    ).scalars()
    return sorted({*admin_ids, *(int(c) for c in rows if c is not None)})


async def _tell_admins(app: AnyApp, key: str, *, kind_key: str | None = None, **values: Any) -> None:
    rt = runtime(app)
    tx = rt.texts(rt.settings.agency.default_language)
    if kind_key is not None:
        values["kind"] = tx(f"digest.kind_{kind_key}")
    text = tx(key, **values)
    for chat_id in await rt.db.run(_admin_chats, rt.settings.telegram.admin_ids):
        try:
            await app.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.warning("could not tell admin chat %s about a digest problem: %s", chat_id, exc)


async def _report_stale(app: AnyApp, now: datetime) -> None:
    rt = runtime(app)
    timeout = timedelta(minutes=rt.settings.digest.claim_timeout_minutes)
    untold = await rt.db.run(ledger.expire_stale_claims, timeout, now)
    for run in untold:
        title = await rt.db.run(_chat_title, run.staff_chat_id)
        key = "digest.admin_interrupted" if run.error == ledger.INTERRUPTED else "digest.admin_failed"
        log.error("%s digest %s for chat %s: %s", run.kind, run.period, run.chat_id, run.error)
        rt.metrics.digests_failed.labels(run.kind).inc()
        await _tell_admins(app, key, kind_key=run.kind, period=run.period, title=title, chat=run.chat_id,
                           error=run.error or "")
    if untold:
        await rt.db.run(ledger.mark_admins_told, [r.id for r in untold])


def _chat_title(session: Session, staff_chat_id: int) -> str:
    from storage.models import StaffChat

    chat = session.get(StaffChat, staff_chat_id)
    return chat.title if chat is not None else "?"


def _pending(session: Session, kind: str, periods: list[str]) -> list[tuple[str, ledger.ChatTarget]]:
    chats = ledger.active_chats(session)
    done = ledger.existing_runs(session, kind, periods)
    return [(p, c) for p in periods for c in chats if (p, c.staff_chat_id) not in done]


async def send_weekly(app: AnyApp, periods: list[str]) -> list[Delivery]:
    rt = runtime(app)
    results: list[Delivery] = []
    pending = await rt.db.run(_pending, "weekly", periods)
    rendered: dict[tuple[str, Scope, str], RenderedDigest | None] = {}
    for period, target in sorted(pending, key=lambda pt: (pt[0], pt[1].staff_chat_id)):
        scope = chat_scope(target)
        key = (period, scope, normalise_language(target.language, rt.settings.agency.default_language))
        if key not in rendered:
            try:  # chats with the same scope and language share one rendering
                loaded = await rt.db.run(load_report, rt.settings, period, scope)
                rendered[key] = await asyncio.to_thread(render_digest, loaded, rt.settings, key[2])
            except Exception:  # noqa: BLE001 - one bad scope must not stop the others
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
    pending = await rt.db.run(_pending, "daily", [label])
    results = []
    for _, target in pending:
        scope = chat_scope(target)
        try:
            loaded = await rt.db.run(load_report, rt.settings, period_of_date(day), scope)
            counts = await rt.db.run(day_counts, day, tz, scope)
            messages = await asyncio.to_thread(render_daily, loaded, counts, day, rt.settings, target.language)
        except Exception:  # noqa: BLE001
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
    jq.run_daily(_scheduled_job, time=_hhmm(digest.weekly_time).replace(tzinfo=tz),
                 days=(PTB_DAY[digest.weekly_day],), name="digest-weekly", job_kwargs=job_kwargs)
    if digest.daily_enabled:
        jq.run_daily(_scheduled_job, time=_hhmm(digest.daily_time).replace(tzinfo=tz), name="digest-daily",
                     job_kwargs=job_kwargs)
    jq.run_repeating(_check_job, interval=timedelta(minutes=digest.check_minutes),
                     first=timedelta(minutes=digest.check_minutes), name="digest-check")
    # Catch-up right after start (tests that drive the jobs by hand push it out of the way).
    jq.run_once(_check_job, when=rt.hooks.digest_catch_up_delay, name="digest-catch-up")


async def digest_startup(app: AnyApp) -> None:
    """Start-up step (bot.wiring): bring the rollups in line with the config, schedule the jobs."""
    rt = runtime(app)
    config = rollups.RollupConfig.of(rt.settings.agency.timezone, rt.settings.trust)
    if await rt.db.run(rollups.ensure_config, config):
        log.info("Trust Index rollups rebuilt for the current time zone and weights")
    schedule_jobs(app)


def last_complete_week(now: datetime, tz: Any) -> str:
    return shift_period(period_of(now, tz), -1)
