"""Charts as PNG bytes (matplotlib, Agg canvas, no pyplot global state).

Colours are the Okabe-Ito palette (safe for the common colour-vision
deficiencies), and nothing is told by colour alone: significance is also
written in the labels, "not enough feedback" is also hatched and written.
Their words come from the ``chart`` table of the text catalogue (services/locales).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import Patch

from services.i18n import normalise_language, plain_text
from trust.report import Figure, HistoryPoint, TrustReport

BLUE = "#0072B2"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
ORANGE = "#E69F00"
GREY = "#7F7F7F"
LIGHT_GREY = "#DDDDDD"
_DPI = 110


def _png(fig: MplFigure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, metadata={"Software": None})
    return buf.getvalue()


def _level(level: float) -> str:
    pct = level * 100
    return str(int(round(pct))) if abs(pct - round(pct)) < 1e-9 else f"{pct:.1f}"


def history_chart_png(
    points: Sequence[HistoryPoint],
    *,
    lang: str = "en",
    title: str | None = None,
    confidence_level: float = 0.90,
) -> bytes:
    """Index per week with its interval band; weeks without enough feedback
    are left as gaps, shaded and labelled."""
    lang = normalise_language(lang)
    level = _level(confidence_level)
    fig = MplFigure(figsize=(8.0, 4.2))
    ax = fig.add_subplot(1, 1, 1)
    xs = list(range(len(points)))
    idx = [p.index if p.index is not None else math.nan for p in points]
    lo = [p.index_low if p.index_low is not None else math.nan for p in points]
    hi = [p.index_high if p.index_high is not None else math.nan for p in points]
    ax.fill_between(xs, lo, hi, color=SKY, alpha=0.35, linewidth=0,
                    label=plain_text(lang, "chart.band", level=level))
    ax.plot(xs, idx, color=BLUE, marker="o", linewidth=2, label=plain_text(lang, "chart.index"))
    # whiskers too, so that an isolated week (no band to draw) still shows its interval
    err = [[v - low if not math.isnan(v) else 0 for v, low in zip(idx, lo, strict=True)],
           [h - v if not math.isnan(v) else 0 for v, h in zip(idx, hi, strict=True)]]
    ax.errorbar(xs, idx, yerr=err, fmt="none", ecolor=BLUE, elinewidth=1, capsize=3, alpha=0.7)
    ax.axhline(50, color=GREY, linestyle="--", linewidth=1, label=plain_text(lang, "chart.neutral"))
    known = [v for v in lo + hi + idx if not math.isnan(v)]
    bottom = max(0.0, min(known + [50.0]) - 8)
    top = min(100.0, max(known + [50.0]) + 8)
    ax.set_ylim(bottom, top)
    missing = False
    for x, p in zip(xs, points, strict=True):
        if p.index is None:
            missing = True
            ax.axvspan(x - 0.4, x + 0.4, facecolor=LIGHT_GREY, hatch="//", edgecolor=GREY,
                       linewidth=0, alpha=0.6)
        else:
            ax.annotate(f"{p.index:.0f}", (x, p.index), textcoords="offset points",
                        xytext=(6, 3), ha="left", fontsize=8, color=BLUE,
                        bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8))
        ax.text(x, bottom + (top - bottom) * 0.02, plain_text(lang, "chart.n", n=p.n_residents),
                ha="center", va="bottom", fontsize=7, color=GREY)
    handles, labels = ax.get_legend_handles_labels()
    if missing:
        handles.append(Patch(facecolor=LIGHT_GREY, hatch="//", edgecolor=GREY))
        labels.append(plain_text(lang, "chart.not_enough"))
    ax.legend(handles, labels, loc="upper left", fontsize=8, framealpha=0.9, ncol=2)
    ax.set_xticks(xs)
    ax.set_xticklabels([p.period.split("-")[1] if "-" in p.period else p.period for p in points],
                       fontsize=8)
    ax.set_xlim(-0.6, len(points) - 0.4)
    ax.set_xlabel(plain_text(lang, "chart.x_week") + (f" ({points[-1].period[:4]})" if points else ""))
    ax.set_ylabel(plain_text(lang, "chart.y"), fontsize=9)
    ax.set_title(title or plain_text(lang, "chart.trend_title", weeks=len(points)), fontsize=11)
    ax.grid(axis="y", color=LIGHT_GREY, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return _png(fig)


def trend_chart_png(report: TrustReport, lang: str = "en", title: str | None = None) -> bytes:
    """The agency's index over the last ``chart_weeks`` weeks."""
    return history_chart_png(report.history, lang=lang, title=title,
                             confidence_level=report.confidence_level)


def figures_chart_png(
    figures: Sequence[Figure],
    *,
    lang: str = "en",
    title: str,
    reference: float | None = None,
    confidence_level: float = 0.90,
) -> bytes:
    """Horizontal bars (index) with interval whiskers, one per figure; those
    without enough feedback are hatched grey and say so. A significant fall
    vs last week is vermillion *and* written next to the bar."""
    lang = normalise_language(lang)
    n = max(1, len(figures))
    height = 2.0 + 0.42 * n
    fig = MplFigure(figsize=(9.0, height))
    fig.subplots_adjust(left=0.25, right=0.70, top=1 - 0.55 / height, bottom=1.35 / height)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(n))[::-1]
    labels = []
    fell_any = short_any = False
    # strict=False: with no figures the chart still keeps one (empty) row, so ys is one longer
    for y, f in zip(ys, figures, strict=False):
        name = f.label if len(f.label) <= 28 else f.label[:27] + "…"
        labels.append(name)
        if f.index is None:
            short_any = True
            ax.barh(y, 100, color=LIGHT_GREY, hatch="//", edgecolor=GREY, linewidth=0, height=0.6)
            ax.text(102, y, plain_text(lang, "chart.not_enough_n", n=f.n_residents), va="center",
                    fontsize=8, color="#333333", clip_on=False)
            continue
        fell = f.vs_previous is not None and f.vs_previous.significant and f.vs_previous.delta_index < 0
        fell_any |= fell
        ax.barh(y, f.index, color=VERMILLION if fell else BLUE, height=0.6)
        ax.errorbar(f.index, y, xerr=[[f.index - f.index_low], [f.index_high - f.index]],
                    fmt="none", ecolor="#222222", elinewidth=1.2, capsize=3)
        note = f"{f.index:.0f} ({f.index_low:.0f}–{f.index_high:.0f}), {plain_text(lang, 'chart.n', n=f.n_residents)}"
        if fell:
            note += f", ↓{abs(f.vs_previous.delta_index):.0f} {plain_text(lang, 'digest.weekly.significant')}"
        ax.text(102, y, note, va="center", fontsize=8, clip_on=False,
                color=VERMILLION if fell else "#222222")
    ax.axvline(50, color=GREY, linestyle="--", linewidth=1)
    handles = [Patch(color=BLUE, label=plain_text(lang, "chart.index")),
               Patch(color=GREY, label=plain_text(lang, "chart.neutral"))]
    if reference is not None:
        ax.axvline(reference, color=ORANGE, linestyle=":", linewidth=1.8)
        handles.append(Patch(color=ORANGE, label=f"{plain_text(lang, 'digest.weekly.agency_fallback')} ({reference:.0f})"))
    if fell_any:
        handles.append(Patch(color=VERMILLION, label="↓ " + plain_text(lang, "digest.weekly.significant")))
    if short_any:
        handles.append(Patch(facecolor=LIGHT_GREY, hatch="//", edgecolor=GREY,
                             label=plain_text(lang, "chart.not_enough")))
    ax.set_yticks(ys)
    ax.set_yticklabels(labels, fontsize=9)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 10))
    ax.set_xlabel(plain_text(lang, "chart.y") + f" · {plain_text(lang, 'chart.band', level=_level(confidence_level))}",
                  fontsize=9)
    ax.set_title(title, fontsize=11)
    fig.legend(handles=handles, loc="lower center", ncol=min(3, len(handles)), fontsize=8,
               frameon=False)
    ax.grid(axis="x", color=LIGHT_GREY, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _png(fig)


def units_chart_png(report: TrustReport, lang: str = "en", title: str | None = None) -> bytes:
    """Per-unit bars of the digest week (same order as the digest table)."""
    lang = normalise_language(lang)
    reference = report.agency.index if report.agency.enough else None
    return figures_chart_png(
        report.units, lang=lang, reference=reference,
        title=title or plain_text(lang, "chart.units_title", period=report.period),
        confidence_level=report.confidence_level,
    )
