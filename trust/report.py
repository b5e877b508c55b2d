"""The weekly Trust Index report: figures, trends, "needs attention".

:func:`compute_report` takes one week's :class:`PeriodStats`, the stored
stats of the trailing weeks, and optional quotes and follow-up counts, and
returns a :class:`TrustReport` that holds only what may be shown: a figure
behind fewer than ``min_residents`` residents carries no number at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, tzinfo
from typing import Literal

from .aggregate import quote_candidates_from_messages, stats_by_period
from .model import (
    FeedbackMessage,
    FollowUpStats,
    GroupKey,
    OrgChart,
    PeriodStats,
    QuoteCandidate,
)
from .periods import format_period, parse_period, previous_period, trailing_periods
from .settings import TrustSettings
from .stats import Estimate, compare, estimate_all

ReasonKind = Literal["fell_vs_previous", "fell_vs_baseline", "lowest"]


@dataclass(frozen=True, slots=True)
class Trend:
    """Change of a figure against a reference estimate, in index points."""

    reference: Literal["previous", "baseline"]
    reference_label: str  # "2026-W46" or "2026-W35..2026-W46"
    delta_index: float
    z: float
    significant: bool
    reference_index: float


@dataclass(frozen=True, slots=True)
class Figure:
    """One row of the digest. ``index`` (and its interval) is None when fewer
    than ``min_residents`` residents are behind it: show "not enough feedback"."""

    key: GroupKey
    label: str
    n_residents: int
    n_messages: int
    index: float | None
    index_low: float | None
    index_high: float | None
    vs_previous: Trend | None = None
    vs_baseline: Trend | None = None
    district_id: str | None = None
    removed: bool = False  # a unit taken out of service (shown only in a week it had feedback)

    @property
    def enough(self) -> bool:
        return self.index is not None


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    period: str
    n_residents: int
    index: float | None
    index_low: float | None
    index_high: float | None


@dataclass(frozen=True, slots=True)
class Mention:
    """A topic within a unit (or a unit within a topic): how many residents
    raised it and how many of them were negative on it. Only cells with at
    least one negative resident are listed, most negative residents first."""

    key: GroupKey
    label: str
    n_residents: int
    n_negative: int
    index: float | None


@dataclass(frozen=True, slots=True)
class Reason:
    kind: ReasonKind
    delta_index: float | None = None
    z: float | None = None
    reference_label: str | None = None
    rank: int | None = None
    out_of: int | None = None


@dataclass(frozen=True, slots=True)
class AttentionItem:
    figure: Figure
    reasons: tuple[Reason, ...]
    top_topics: tuple[Mention, ...] = ()  # for units/districts: topics raised there
    where: tuple[Mention, ...] = ()  # for topics: units where it was raised
    quotes: tuple[str, ...] = ()  # redacted text, cut to quote_max_chars (unescaped)
    follow_up: FollowUpStats | None = None


@dataclass(frozen=True)
class TrustReport:
    period: str
    week_start: date
    week_end: date
    agency: Figure
    districts: tuple[Figure, ...]
    units: tuple[Figure, ...]
    topics: tuple[Figure, ...]
    channels: tuple[Figure, ...]
    languages: tuple[Figure, ...]
    attention: tuple[AttentionItem, ...]
    history: tuple[HistoryPoint, ...]
    follow_up: FollowUpStats | None
    agency_name: str
    district_names: Mapping[str, str]
    min_residents: int
    confidence_level: float
    prior_strength: float
    baseline_weeks: int
    baseline_weeks_found: int


# --------------------------------------------------------------------------

def _history_map(
    history: Mapping[str, PeriodStats] | Iterable[PeriodStats] | None,
) -> dict[str, PeriodStats]:
    if history is None:
        return {}
    if isinstance(history, Mapping):
        return {format_period(p): s for p, s in history.items()}
    return {format_period(s.period): s for s in history}


def _label(key: GroupKey, org: OrgChart) -> str:
    if key.dimension == "agency" and key.topic is None:
        return org.agency_name
    if key.topic is not None:
        return key.topic
    if key.dimension == "unit":
        return org.unit_name(key.key)
    if key.dimension == "district":
        return org.district_name(key.key)
    return key.key


def _enough(est: Estimate | None, settings: TrustSettings) -> bool:
    return est is not None and est.n_residents >= settings.min_residents and est.se is not None


def _trend(
    now: Estimate, ref: Estimate | None, kind: Literal["previous", "baseline"], label: str,
    settings: TrustSettings,
) -> Trend | None:
    if not (_enough(now, settings) and _enough(ref, settings)):
        return None
    cmp = compare(now, ref, settings.confidence_level)
    if cmp is None:
        return None
    return Trend(kind, label, cmp.delta_index, cmp.z, cmp.significant, ref.index)


class _Context:
    def __init__(self, period, current, previous, baseline, baseline_label, org, settings):
        self.period = period
        self.current = current
        self.org = org
        self.settings = settings
        extra = tuple(GroupKey.unit(u) for u in org.units) + tuple(
            GroupKey.district(d) for d in org.districts
        )
        # The baseline's own chain shrinks within the baseline; this week's and
        # last week's groups shrink toward their parents' *baseline* estimates,
        # so a neighbour's change does not move a unit's figure or trend.
        self.base = estimate_all(baseline, org, settings) if baseline is not None else {}
        prior = self.base or None
        self.now = estimate_all(current, org, settings, extra, prior=prior)
        self.prev = estimate_all(previous, org, settings, prior=prior) if previous is not None else {}
        self.prev_label = previous.period if previous is not None else ""
        self.base_label = baseline_label

    def figure(self, key: GroupKey) -> Figure:
        est = self.now[key]
        st = self.current.get(key)
        district = self.org.district_of(key.key) if key.dimension == "unit" else None
        unit = self.org.units.get(key.key) if key.dimension == "unit" and key.topic is None else None
        removed = unit is not None and not unit.active
        if not _enough(est, self.settings):
            return Figure(key, _label(key, self.org), st.n_residents, st.n_messages,
                          None, None, None, None, None, district, removed)
        return Figure(
            key, _label(key, self.org), st.n_residents, st.n_messages,
            est.index, est.index_low, est.index_high,
            _trend(est, self.prev.get(key), "previous", self.prev_label, self.settings),
            _trend(est, self.base.get(key), "baseline", self.base_label, self.settings),
            district, removed,
        )

    def mentions(self, keys: Iterable[GroupKey], label_of) -> tuple[Mention, ...]:
        rows = []
        for key in keys:
            st = self.current.get(key)
            if st.n_negative == 0:  # explains nothing about a fall or a low figure
                continue
            est = self.now.get(key)
            index = est.index if _enough(est, self.settings) else None
            rows.append(Mention(key, label_of(key), st.n_residents, st.n_negative, index))
        rows.sort(key=lambda m: (-m.n_negative, -m.n_residents, m.label))
        return tuple(rows[: self.settings.top_topics_per_item])


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:") + "…"


def select_quotes(
    key: GroupKey,
    candidates: Sequence[QuoteCandidate],
    *,
    org: OrgChart,
    settings: TrustSettings,
    period: str | None = None,
    exclude: set[str] | None = None,
) -> tuple[str, ...]:
    """The most negative quotes of a group, from distinct residents, cut to
    ``quote_max_chars``. Only clearly negative messages (value at or below
    ``quote_max_value``) are quoted. ``exclude``:
    normalised texts already quoted elsewhere in the digest (updated in place).
    The caller must check the group's resident count first (compute_report does)."""

    def matches(c: QuoteCandidate) -> bool:
        if period is not None and c.period is not None and c.period != period:
            return False
        if key.topic is not None and key.topic not in c.topics:
            return False
        if key.dimension == "unit":
            return c.unit_id == key.key
        if key.dimension == "district":
            return org.district_of(c.unit_id) == key.key
        if key.dimension == "channel":
            return c.channel == key.key
        if key.dimension == "language":
            return c.language == key.key
        return True

    pool = sorted(
        (c for c in candidates
         if c.value <= settings.quote_max_value and c.redacted_text.strip() and matches(c)),
        key=lambda c: (c.value, c.resident_key, c.redacted_text),
    )
    out: list[str] = []
    residents: set[str] = set()
    texts: set[str] = exclude if exclude is not None else set()
    for c in pool:
        if len(out) >= settings.quotes_per_item:
            break
        norm = " ".join(c.redacted_text.casefold().split())
        if c.resident_key in residents or norm in texts:
            continue
        residents.add(c.resident_key)
        texts.add(norm)
        out.append(_cut(c.redacted_text, settings.quote_max_chars))
    return tuple(out)


def _attention(
    ctx: _Context,
    agency: Figure,
    lists: Mapping[str, tuple[Figure, ...]],
    quotes: Sequence[QuoteCandidate],
    follow_ups: Mapping[GroupKey, FollowUpStats],
) -> tuple[AttentionItem, ...]:
    settings = ctx.settings
    limit = settings.attention_items
    if limit == 0:
        return ()
    pool = [f for dim in settings.attention_dimensions for f in lists.get(dim, ()) if f.enough]

    # 1. significant falls, steepest (most negative z) first
    falls: list[tuple[float, Figure, list[Reason]]] = []
    for fig in pool:
        reasons = []
        for trend, kind in ((fig.vs_previous, "fell_vs_previous"), (fig.vs_baseline, "fell_vs_baseline")):
            if trend is not None and trend.significant and trend.delta_index < 0:
                reasons.append(Reason(kind, trend.delta_index, trend.z, trend.reference_label))
        if reasons:
            falls.append((min(r.z for r in reasons), fig, reasons))
    falls.sort(key=lambda t: (t[0], t[1].index, t[1].label))
    chosen: list[tuple[Figure, list[Reason]]] = [(f, r) for _, f, r in falls[:limit]]

    # 2. fill with the lowest figures: the bottom half of each breakdown, lowest first
    if len(chosen) < limit:
        taken = {f.key for f, _ in chosen}
        lowest: list[tuple[float, Figure, Reason]] = []
        for dim in settings.attention_dimensions:
            ranked = sorted((f for f in lists.get(dim, ()) if f.enough), key=lambda f: (f.index, f.label))
            for rank, fig in enumerate(ranked[: max(1, len(ranked) // 2)], start=1):
                if fig.key not in taken:
                    lowest.append((fig.index, fig, Reason("lowest", rank=rank, out_of=len(ranked))))
        lowest.sort(key=lambda t: (t[0], t[2].rank, t[1].label))
        for _, fig, reason in lowest[: limit - len(chosen)]:
            chosen.append((fig, [reason]))

    items = []
    quoted: set[str] = set()  # a quote appears once per digest
    for fig, reasons in chosen:
        key = fig.key
        top_topics: tuple[Mention, ...] = ()
        where: tuple[Mention, ...] = ()
        if key.dimension in ("unit", "district") and key.topic is None:
            cells = [k for k in ctx.current.groups if k.dimension == key.dimension
                     and k.key == key.key and k.topic is not None]
            top_topics = ctx.mentions(cells, lambda k: k.topic)
        elif key.breakdown == "topic":
            cells = [k for k in ctx.current.groups if k.dimension == "unit" and k.topic == key.topic]
            where = ctx.mentions(cells, lambda k: ctx.org.unit_name(k.key))
        item_quotes = (
            select_quotes(key, quotes, org=ctx.org, settings=settings, period=ctx.period,
                          exclude=quoted)
            if fig.n_residents >= settings.min_residents else ()
        )
        items.append(AttentionItem(fig, tuple(reasons), top_topics, where, item_quotes,
                                   follow_ups.get(key)))
    return tuple(items)


def history_for(
    key: GroupKey,
    period: str,
    current: PeriodStats,
    history: Mapping[str, PeriodStats] | Iterable[PeriodStats] | None,
    *,
    org: OrgChart,
    settings: TrustSettings,
    weeks: int | None = None,
) -> tuple[HistoryPoint, ...]:
    """The group's index per week for the last ``weeks`` weeks (default
    ``chart_weeks``), the digest week included; weeks with too few residents
    (or no data) have ``index`` None."""
    period = format_period(period)
    hist = _history_map(history)
    hist[period] = current
    weeks = settings.chart_weeks if weeks is None else weeks
    points = []
    for p in [*trailing_periods(period, weeks - 1), period]:
        stats = hist.get(p)
        if stats is None:
            points.append(HistoryPoint(p, 0, None, None, None))
            continue
        est = estimate_all(stats, org, settings, (key,))[key]
        if _enough(est, settings):
            points.append(HistoryPoint(p, est.n_residents, est.index, est.index_low, est.index_high))
        else:
            points.append(HistoryPoint(p, est.n_residents, None, None, None))
    return tuple(points)


def _context(
    period: str,
    current: PeriodStats,
    org: OrgChart,
    settings: TrustSettings,
    history: Mapping[str, PeriodStats] | Iterable[PeriodStats] | None,
) -> tuple[_Context, dict[str, PeriodStats], list[str]]:
    """The week's estimates against the previous week and the baseline, with the history by
    period and the baseline's periods."""
    if format_period(current.period) != period:
        raise ValueError(f"current stats are for {current.period}, not {period}")
    hist = _history_map(history)
    hist.pop(period, None)
    previous = hist.get(previous_period(period))
    base_periods = [p for p in trailing_periods(period, settings.baseline_weeks) if p in hist]
    baseline = None
    base_label = ""
    if base_periods:
        base_label = f"{base_periods[0]}..{base_periods[-1]}"
        baseline = PeriodStats.pooled(base_label, (hist[p] for p in base_periods))
    return _Context(period, current, previous, baseline, base_label, org, settings), hist, base_periods


def group_figures(
    period: str,
    current: PeriodStats,
    *,
    org: OrgChart,
    settings: TrustSettings,
    history: Mapping[str, PeriodStats] | Iterable[PeriodStats] | None = None,
) -> dict[GroupKey, Figure]:
    """A :class:`Figure` for every group of ``current`` (unit × topic cells included), computed
    exactly as :func:`compute_report` computes the ones the digest shows: same shrinkage toward
    the baseline, same ``min_residents`` rule (index None below it)."""
    ctx, _, _ = _context(format_period(period), current, org, settings, history)
    return {key: ctx.figure(key) for key in current.keys()}


def compute_report(
    period: str,
    current: PeriodStats,
    *,
    org: OrgChart,
    settings: TrustSettings,
    history: Mapping[str, PeriodStats] | Iterable[PeriodStats] | None = None,
    quotes: Sequence[QuoteCandidate] = (),
    follow_ups: Mapping[GroupKey, FollowUpStats] | None = None,
) -> TrustReport:
    """The report for ``period``.

    ``current``: this week's stats. ``history``: stored stats of earlier weeks
    (at least the trailing ``max(baseline_weeks, chart_weeks - 1)``; others are
    ignored; missing weeks are skipped). ``quotes``: candidates of this week
    (redacted). ``follow_ups``: per group, optional.
    """
    period = format_period(period)
    ctx, hist, base_periods = _context(period, current, org, settings, history)
    follow_ups = dict(follow_ups or {})

    agency = ctx.figure(GroupKey.agency())
    district_keys = {k for k in current.keys("district")} | {GroupKey.district(d) for d in org.districts}
    # Every active unit has a row, with or without feedback; a removed one only in a week it had some.
    unit_keys = {k for k in current.keys("unit")} | {GroupKey.unit(code) for code, u in org.units.items() if u.active}
    districts = tuple(sorted((ctx.figure(k) for k in district_keys), key=lambda f: (f.label, f.key.sort_key())))

    def unit_sort(f: Figure):
        dname = org.district_name(f.district_id) if f.district_id else "\U0010ffff"
        return (dname, f.district_id or "", f.label, f.key.sort_key())

    units = tuple(sorted((ctx.figure(k) for k in unit_keys), key=unit_sort))

    def by_size(keys):
        figs = [ctx.figure(k) for k in keys]
        return tuple(sorted(figs, key=lambda f: (-f.n_residents, f.label)))

    topics = by_size(current.keys("topic"))
    channels = by_size(current.keys("channel"))
    languages = by_size(current.keys("language"))
    lists = {"district": districts, "unit": units, "topic": topics,
             "channel": channels, "language": languages}
    attention = _attention(ctx, agency, lists, quotes, follow_ups)
    week = parse_period(period)
    return TrustReport(
        period=period,
        week_start=week.monday,
        week_end=week.sunday,
        agency=agency,
        districts=districts,
        units=units,
        topics=topics,
        channels=channels,
        languages=languages,
        attention=attention,
        history=history_for(GroupKey.agency(), period, current, hist, org=org, settings=settings),
        follow_up=follow_ups.get(GroupKey.agency()),
        agency_name=org.agency_name,
        district_names=dict(org.districts),
        min_residents=settings.min_residents,
        confidence_level=settings.confidence_level,
        prior_strength=settings.prior_strength,
        baseline_weeks=settings.baseline_weeks,
        baseline_weeks_found=len(base_periods),
    )


def report_from_messages(
    messages: Sequence[FeedbackMessage],
    period: str,
    *,
    tz: tzinfo | str,
    org: OrgChart,
    settings: TrustSettings,
    follow_ups: Mapping[GroupKey, FollowUpStats] | None = None,
) -> TrustReport:
    """Raw path, for tests and small deployments: everything from messages."""
    period = format_period(period)
    needed = set(trailing_periods(period, max(settings.baseline_weeks, settings.chart_weeks - 1)))
    by_period = stats_by_period(messages, tz=tz, org=org, settings=settings)
    current = by_period.get(period, PeriodStats(period, {}))
    history = {p: s for p, s in by_period.items() if p in needed}
    quotes = quote_candidates_from_messages(messages, period=period, tz=tz, settings=settings)
    return compute_report(period, current, org=org, settings=settings, history=history,
                          quotes=quotes, follow_ups=follow_ups)
