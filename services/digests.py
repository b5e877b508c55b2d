"""Trust Index digests without Telegram: scope → load → render → charts.

The bot's scheduled digests and staff commands (``bot/``), and ``trustline digest`` (``cli/``)
all compose here, so a chat, a preview and a file always show the same numbers. Reads go through
:mod:`storage.rollups`, :mod:`storage.cases` and :mod:`storage.activity`; the math and the
wording are :mod:`trust`'s. Results are Telegram HTML strings and PNG bytes; splitting long texts
into messages and sending them is the bot's business.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from services.access import Scope
from services.i18n import Texts, normalise_language, plain_text
from services.settings import Settings
from services.trust_digest import compose_digest, render_digest_text, telegram_length
from storage import cases, rollups
from storage.activity import DayCounts, day_counts
from storage.digests import ChatTarget
from trust.model import FollowUpStats, GroupKey, OrgChart, PeriodStats
from trust.periods import period_bounds
from trust.report import Figure, HistoryPoint, TrustReport, compute_report, history_for
from trust.settings import TrustSettings
from trust.stats import index_text

# --- scopes -------------------------------------------------------------------------------------


def chat_scope(target: ChatTarget) -> Scope:
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


def resolve_scope(org: OrgChart, *, unit: str | None = None, district: str | None = None) -> Scope:
    """The scope named by a unit code (else a district name), in any case; agency-wide when
    neither. Raises ``ValueError`` naming the known ones when the name is unknown."""
    if unit:
        match = {c.lower(): c for c in org.units}.get(unit.lower())
        if match is None:
            raise ValueError(f"Unknown unit {unit!r}. Known: {', '.join(sorted(org.units)) or 'none'}")
        return Scope("unit", match)
    if district:
        match = {d.lower(): d for d in org.districts}.get(district.lower())
        if match is None:
            raise ValueError(f"Unknown district {district!r}. Known: {', '.join(sorted(org.districts)) or 'none'}")
        return Scope("district", match)
    return Scope("agency")


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


# --- load ---------------------------------------------------------------------------------------


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


def load_day_counts(session: Session, day: date, tz: Any, scope: Scope) -> DayCounts:
    """Messages and distinct residents received on ``day`` (agency time) within ``scope``."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return day_counts(session, start, end, district=scope.value if scope.kind == "district" else None,
                      unit_code=scope.value if scope.kind == "unit" else None)


def current_rollups(session: Session, settings: Settings) -> bool:
    """Bring the rollups in line with this config's time zone and weights; True if rebuilt."""
    return rollups.ensure_config(session, rollups.RollupConfig.of(settings.agency.timezone, settings.trust))


def scope_figure(report: TrustReport, scope: Scope) -> Figure | None:
    if scope.kind == "agency":
        return report.agency
    key = scope_key(scope)
    return next((f for f in (*report.districts, *report.units) if f.key == key), None)


# --- render -------------------------------------------------------------------------------------


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
    return str(round(pct)) if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}"


def render_digest(
    loaded: LoadedReport, settings: Settings, language: str, *, charts: bool = True, preview: bool = False,
) -> RenderedDigest:
    """The digest of one scope and language: messages, plain text and chart PNGs."""
    lang = normalise_language(language, settings.agency.default_language)
    tx = Texts(lang)
    trust = settings.trust
    report, scope = loaded.report, loaded.scope
    messages = compose_digest(report, lang, settings=trust)
    if preview:
        note = tx("digest.preview_note", period=report.period)
        fits = telegram_length(note) + telegram_length(messages[0]) + 2 <= trust.digest_message_limit
        messages = [note + "\n\n" + messages[0], *messages[1:]] if fits else [note, *messages]
    return RenderedDigest(report.period, scope, lang, report, messages,
                          render_digest_text(report, lang, settings=trust),
                          render_charts(loaded, settings, lang) if charts else [])


def render_charts(loaded: LoadedReport, settings: Settings, lang: str) -> list[Chart]:
    """The trend chart of the scope and, above unit level, the units chart."""
    # Imported here: matplotlib is slow to import and only the digest needs it.
    from services.trust_charts import history_chart_png, trend_chart_png, units_chart_png

    tx = Texts(lang)
    trust = settings.trust
    report, scope = loaded.report, loaded.scope
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
        title = plain_text(lang, "chart.trend_title", weeks=len(points)) + f" · {label}"
        trend = history_chart_png(points, lang=lang, title=title, confidence_level=trust.confidence_level)
    out = [Chart(f"trust-trend-{report.period}-{lang}.png", trend, caption)]
    if scope.kind != "unit" and report.units:
        out.append(Chart(f"trust-units-{report.period}-{lang}.png", units_chart_png(report, lang),
                         tx("digest.chart_units", period=report.period)))
    return out


def write_files(digest: RenderedDigest, out: Path) -> list[Path]:
    """The digest as files in ``out``: plain text, Telegram HTML (messages separated by a
    comment) and the chart PNGs, named by week, scope and language. Returns the paths written."""
    week, scope = digest.period, digest.scope
    out.mkdir(parents=True, exist_ok=True)
    suffix = f"-{scope.value}" if scope.value else ""
    stem = f"trust-digest-{week}{suffix}-{digest.language}"
    written = [out / f"{stem}.txt", out / f"{stem}.html"]
    written[0].write_text(digest.text, encoding="utf-8")
    written[1].write_text("\n\n<!-- next message -->\n\n".join(digest.messages), encoding="utf-8")
    for chart in digest.charts:
        path = out / chart.filename.replace(f"-{week}-", f"-{week}{suffix}-")
        path.write_bytes(chart.png)
        written.append(path)
    return written


def figure_lines(fig: Figure, tx: Texts, trust: TrustSettings, name: str | None = None, *, trends: bool = True) -> list[str]:
    """A figure as short HTML lines (for /trust and the daily summary)."""
    name = name or fig.label
    if not fig.enough:
        return [tx("digest.figure_not_enough", name=name, residents=fig.n_residents, min=trust.min_residents)]
    lines = [tx("digest.figure", name=name, index=index_text(fig.index), level=_level(trust),  # type: ignore[arg-type]
                low=index_text(fig.index_low), high=index_text(fig.index_high), residents=fig.n_residents)]  # type: ignore[arg-type]
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


def trust_summary_text(loaded: LoadedReport, settings: Settings, language: str) -> str:
    """``/trust [unit]`` as one HTML text: the scope's (or one unit's) figure with trends, and its units."""
    lang = normalise_language(language, settings.agency.default_language)
    tx = Texts(lang)
    trust = settings.trust
    report, scope = loaded.report, loaded.scope
    months = plain_text(lang, "digest.weekly.months").split()
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
    return "\n".join(lines)


def render_attention(loaded: LoadedReport, settings: Settings, language: str) -> list[str]:
    """``/attention``: the headline and the "needs attention" list, without the tables."""
    lang = normalise_language(language, settings.agency.default_language)
    short = dataclasses.replace(loaded.report, districts=(), units=(), topics=(), channels=(), languages=())
    return compose_digest(short, lang, settings=settings.trust)


def daily_text(loaded: LoadedReport, counts: DayCounts, day: date, settings: Settings, language: str) -> str:
    """The daily short summary as one HTML text: yesterday's volume and the week so far."""
    lang = normalise_language(language, settings.agency.default_language)
    tx = Texts(lang)
    months = plain_text(lang, "digest.weekly.months").split()
    label = scope_label(loaded.scope, loaded.org, tx)
    lines = [tx("digest.daily_title", scope=label),
             tx("digest.daily_yesterday", day=f"{day.day} {months[day.month - 1]}", messages=counts.messages,
                residents=counts.residents),
             "", tx("digest.daily_week", period=loaded.period)]
    fig = scope_figure(loaded.report, loaded.scope)
    if fig is not None:
        lines += figure_lines(fig, tx, settings.trust, label, trends=False)
    lines += ["", tx("digest.daily_footer", weekday=tx(f"digest.weekday_{settings.digest.weekly_day}"))]
    return "\n".join(lines)
