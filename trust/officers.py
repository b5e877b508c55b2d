"""Officer-level figures: for the officer's own view and their supervisor's only.

Kept apart from :mod:`trust.report` on purpose: a :class:`~trust.report.TrustReport`
(and so every digest) cannot hold an officer figure, :class:`~trust.model.GroupKey`
refuses an "officer" dimension, and the one function here that computes an
officer figure demands an :class:`OfficerAudience` that it checks against the
supervision map. Officer views carry no quotes: an officer reading a complaint
about themselves could recognise the resident who wrote it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from typing import Literal

from .aggregate import officer_voices
from .model import FeedbackMessage, GroupKey, GroupStats, OrgChart, PeriodStats
from .settings import TrustSettings
from .stats import Estimate, compare, estimate_all, estimate_group


class OfficerAccessError(PermissionError):
    """The viewer may not see this officer's figure."""


@dataclass(frozen=True, slots=True)
class OfficerAudience:
    """Who will read the figure: the officer (``"self"``) or their direct
    supervisor (``"supervisor"``), identified by officer id."""

    viewer_id: str
    relation: Literal["self", "supervisor"]


@dataclass(frozen=True, slots=True)
class OfficerFigure:
    """An officer's figure for one period. ``index`` None: not enough feedback."""

    officer_id: str
    period: str
    audience: OfficerAudience
    n_residents: int
    index: float | None
    index_low: float | None
    index_high: float | None
    delta_vs_previous: float | None
    significant_vs_previous: bool | None
    unit_index: float | None  # the reference the figure was shrunk toward, if shown


def check_officer_audience(
    officer_id: str, audience: OfficerAudience, supervisor_of: Mapping[str, str]
) -> None:
    """Raise :class:`OfficerAccessError` unless the audience is the officer or
    their direct supervisor per ``supervisor_of`` (officer id -> supervisor id)."""
    if audience.relation == "self" and audience.viewer_id == officer_id:
        return
    if audience.relation == "supervisor" and supervisor_of.get(officer_id) == audience.viewer_id \
            and audience.viewer_id != officer_id:
        return
    raise OfficerAccessError(
        f"viewer {audience.viewer_id!r} ({audience.relation}) may not see officer {officer_id!r}"
    )


def officer_stats_from_messages(
    messages: Sequence[FeedbackMessage], *, period: str, tz: tzinfo | str, settings: TrustSettings
) -> dict[str, GroupStats]:
    """Per officer id, one voice per resident (what the database would keep as
    a per-(week, officer, resident) rollup)."""
    return officer_voices(messages, period=period, tz=tz, settings=settings)


def officer_figure(
    officer_id: str,
    *,
    audience: OfficerAudience,
    supervisor_of: Mapping[str, str],
    period: str,
    current: GroupStats,
    unit_id: str | None,
    period_stats: PeriodStats,
    org: OrgChart,
    settings: TrustSettings,
    previous: GroupStats | None = None,
    previous_period_stats: PeriodStats | None = None,
    baseline: PeriodStats | None = None,
) -> OfficerFigure:
    """One officer's figure, shrunk toward their unit's estimate (or the
    agency's when ``unit_id`` is None), with the same minimum count, interval
    and week-over-week test as every other figure. With ``baseline`` (the
    pooled trailing weeks, as in :func:`trust.report.compute_report`) the
    unit's baseline estimate is the prior for both weeks."""
    check_officer_audience(officer_id, audience, supervisor_of)
    parent_key = GroupKey.unit(unit_id) if unit_id is not None else GroupKey.agency()
    prior = None
    if baseline is not None:
        base_parent = estimate_all(baseline, org, settings, (parent_key,))[parent_key]
        prior = base_parent if base_parent.n_residents > 0 else None

    def est(stats: GroupStats, ps: PeriodStats) -> tuple[Estimate, Estimate]:
        parent = estimate_all(ps, org, settings, (parent_key,))[parent_key]
        return estimate_group(stats, prior or parent, settings), parent

    now, parent_now = est(current, period_stats)
    enough = now.n_residents >= settings.min_residents and now.se is not None
    delta = significant = None
    if enough and previous is not None and previous_period_stats is not None:
        before, _ = est(previous, previous_period_stats)
        if before.n_residents >= settings.min_residents:
            cmp = compare(now, before, settings.confidence_level)
            if cmp is not None:
                delta, significant = cmp.delta_index, cmp.significant
    parent_shown = parent_now.n_residents >= settings.min_residents and parent_now.se is not None
    return OfficerFigure(
        officer_id=officer_id,
        period=period,
        audience=audience,
        n_residents=current.n_residents,
        index=now.index if enough else None,
        index_low=now.index_low if enough else None,
        index_high=now.index_high if enough else None,
        delta_vs_previous=delta,
        significant_vs_previous=significant,
        unit_index=parent_now.index if parent_shown else None,
    )
