"""Compose the weekly digest: Telegram HTML messages and a plain-text file.

Telegram HTML allows only a few tags; the digest uses ``<b>``, ``<i>`` and
``<pre>``. Every piece of resident text, unit/district/topic name and
catalogue text goes through :func:`html.escape` exactly once. Messages are
split at block or line boundaries, never inside a tag or an entity; a split
``<pre>`` table repeats its header row.

Why this lives in services/ and not next to the math in trust/: a digest is made of words
people read, and those come from the one text catalogue (services/locales, read through
:mod:`services.i18n`). trust/ imports nothing of ours, so it computes the
:class:`~trust.report.TrustReport` and this module only lays it out. Passing a text lookup
into trust/ instead would have put catalogue concerns (languages, plural variants, missing
keys) into every signature of the statistics package.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from services.i18n import has_text, normalise_language, plain_text, plural
from trust.model import CHANNEL_DEEP_LINK, CHANNEL_DIRECT, FollowUpStats
from trust.report import AttentionItem, Figure, Mention, Reason, Trend, TrustReport
from trust.settings import TrustSettings
from trust.stats import index_text

TELEGRAM_MESSAGE_LIMIT = 4096
ALLOWED_TAGS = frozenset({"b", "i", "u", "s", "code", "pre", "a"})
_TABLE_NAME_WIDTH = 16
_SEP = "\n\n"


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji counts 2)."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Block:
    kind: Literal["text", "pre"]
    lines: list[str]  # text: rendered lines; pre: raw (unescaped) lines
    header: str | None = None  # pre: raw header line, repeated when split
    keep_with_next: bool = False


@dataclass
class _Ctx:
    report: TrustReport
    lang: str  # a shipped catalogue's language
    html: bool
    settings: TrustSettings
    topic_names: Mapping[str, str] = field(default_factory=dict)

    # markup ----------------------------------------------------------
    def esc(self, text: str) -> str:
        return html.escape(text, quote=False) if self.html else text

    def b(self, escaped: str) -> str:
        return f"<b>{escaped}</b>" if self.html else escaped

    def i(self, escaped: str) -> str:
        return f"<i>{escaped}</i>" if self.html else escaped

    def tr(self, key: str, **kw) -> str:
        return plain_text(self.lang, key, **kw)

    def tr_or(self, key: str, fallback: str) -> str:
        """The text for ``key``, or ``fallback`` (a raw code) where the catalogue has none."""
        return self.tr(key) if has_text(key) else fallback

    # numbers & names ---------------------------------------------------
    def num(self, x: float, decimals: int = 1) -> str:
        text = f"{abs(x):.{decimals}f}".replace(".", self.tr("digest.weekly.decimal_sep"))
        return ("−" if x < 0 and float(text.replace(",", ".")) != 0 else "") + text

    def level(self) -> str:
        pct = self.report.confidence_level * 100
        return index_text(pct) if abs(pct - round(pct)) < 1e-9 else self.num(pct, 1)

    def residents(self, n: int) -> str:
        return self.tr(plural("digest.weekly.residents", n, self.lang), n=n)

    def cut(self, name: str, width: int | None = None) -> str:
        width = width or self.settings.name_max_chars
        name = " ".join(name.split())
        return name if len(name) <= width else name[: width - 1] + "…"

    def topic(self, topic: str) -> str:
        return self.topic_names.get(topic) or topic.replace("_", " ")

    def label(self, fig: Figure | Mention) -> str:
        key = fig.key
        if key.topic is not None:
            return self.topic(key.topic)
        if key.dimension == "channel":
            return self.tr_or(f"digest.weekly.channel_{key.key}", key.key) if key.key in (
                CHANNEL_DEEP_LINK, CHANNEL_DIRECT) else key.key
        if key.dimension == "language":
            return self.tr_or(f"digest.weekly.lang_{key.key}", key.key)
        if key.dimension == "agency":
            return self.report.agency_name or self.tr("digest.weekly.agency_fallback")
        return fig.label

    def removed(self, fig: Figure) -> str:
        """The marker after a unit taken out of service (listed only in a week it had feedback)."""
        return " " + self.tr("digest.weekly.removed") if fig.removed else ""

    def date_range(self) -> tuple[str, str]:
        months = self.tr("digest.weekly.months").split()
        a, z = self.report.week_start, self.report.week_end
        start = f"{a.day} {months[a.month - 1]}" + (f" {a.year}" if a.year != z.year else "")
        return start, f"{z.day} {months[z.month - 1]} {z.year}"

    def interval(self, fig: Figure) -> str:
        return self.tr("digest.weekly.interval", level=self.level(), low=index_text(fig.index_low),
                       high=index_text(fig.index_high))

    @staticmethod
    def arrow(delta: float) -> str:
        return "↑" if delta >= 0.05 else "↓" if delta <= -0.05 else "→"

    def short_delta(self, trend: Trend | None) -> str:
        if trend is None:
            return "·"
        rounded = int(math.floor(abs(trend.delta_index) + 0.5))
        arrow = "→" if rounded == 0 else self.arrow(trend.delta_index)
        return f"{arrow}{rounded}" + ("*" if trend.significant else "")


# ---------------------------------------------------------------------------
# blocks

def _headline(c: _Ctx) -> list[_Block]:
    r = c.report
    start, end = c.date_range()
    agency = f"{c.cut(r.agency_name)} · " if r.agency_name else ""
    week_line = c.tr("digest.weekly.week_line", agency=agency, period=r.period, start=start, end=end)
    lines = [c.b(c.esc(c.tr("digest.weekly.title"))), c.esc(week_line[:1].upper() + week_line[1:])]
    fig = r.agency
    body: list[str] = []
    if fig.enough:
        body.append(
            c.b(c.esc(c.tr("digest.weekly.headline", index=index_text(fig.index))))
            + c.esc(f" ({c.interval(fig)}) · {c.residents(fig.n_residents)}")
        )
        for trend, label in ((fig.vs_previous, c.tr("digest.weekly.vs_previous")),
                             (fig.vs_baseline, c.tr("digest.weekly.vs_baseline", weeks=r.baseline_weeks))):
            if trend is None:
                body.append(c.esc(c.tr("digest.weekly.trend_none", label=label)))
            else:
                verdict = c.tr("digest.weekly.significant") if trend.significant else c.tr("digest.weekly.within_noise")
                text = c.tr("digest.weekly.trend_line", label=label, arrow=c.arrow(trend.delta_index),
                            delta=c.num(abs(trend.delta_index)), verdict=verdict)
                body.append(c.esc(text) if not trend.significant else c.b(c.esc(text)))
        if 0 < r.baseline_weeks_found < r.baseline_weeks:
            body.append(c.i(c.esc(c.tr("digest.weekly.baseline_partial", found=r.baseline_weeks_found,
                                       weeks=r.baseline_weeks))))
    elif fig.n_residents == 0:
        body.append(c.b(c.esc(c.tr("digest.weekly.headline", index="—"))) + c.esc(" · " + c.tr("digest.weekly.none_this_week")))
    else:
        body.append(c.b(c.esc(c.tr("digest.weekly.headline", index="—"))) + c.esc(
            " · " + c.tr("digest.weekly.not_enough_long", residents=c.residents(fig.n_residents), min=r.min_residents)))
    follow = _follow_up_line(c, r.follow_up)
    if follow:
        body.append(follow)
    return [_Block("text", lines + [""] + body)]


def _follow_up_line(c: _Ctx, fu: FollowUpStats | None) -> str | None:
    if fu is None or fu.requested == 0:
        return None
    text = c.tr("digest.weekly.follow_up", responded=fu.responded, requested=fu.requested,
                rate=f"{index_text(100 * fu.response_rate)}%")
    if fu.rated:
        text += " · " + c.tr("digest.weekly.follow_up_satisfied", satisfied=fu.satisfied, rated=fu.rated,
                             rate=f"{index_text(100 * fu.satisfaction_rate)}%")
    return c.esc(text)


def _reason(c: _Ctx, reason: Reason, item: AttentionItem) -> str:
    if reason.kind == "fell_vs_previous":
        return c.tr("digest.weekly.reason_fell_previous", delta=c.num(abs(reason.delta_index)))
    if reason.kind == "fell_vs_baseline":
        return c.tr("digest.weekly.reason_fell_baseline", delta=c.num(abs(reason.delta_index)),
                    weeks=c.report.baseline_weeks)
    what = c.tr_or(f"digest.weekly.what_{item.figure.key.breakdown}", item.figure.key.breakdown)
    return c.tr("digest.weekly.reason_lowest", what=what, rank=reason.rank, out_of=reason.out_of)


def _attention(c: _Ctx) -> list[_Block]:
    r = c.report
    head = _Block("text", [c.b(c.esc(c.tr("digest.weekly.needs_attention")))], keep_with_next=True)
    if not r.attention:
        return [_Block("text", [c.b(c.esc(c.tr("digest.weekly.needs_attention"))), c.esc(c.tr("digest.weekly.attention_none"))])]
    blocks = [head]
    for number, item in enumerate(r.attention, start=1):
        fig = item.figure
        breakdown = fig.key.breakdown
        name = c.cut(c.label(fig)) + c.removed(fig)
        if breakdown == "unit" and fig.district_id:
            title = f"{name} · {c.cut(r.district_names.get(fig.district_id, fig.district_id))}"
        elif breakdown in ("topic", "district", "channel", "language"):
            title = f"{c.tr(f'digest.weekly.{breakdown}_prefix')}: {name}"
        else:
            title = name
        lines = [c.b(c.esc(f"{number}. {title}"))]
        lines.append(c.esc(c.tr("digest.weekly.figure_line", index=index_text(fig.index), interval=c.interval(fig),
                                residents=c.residents(fig.n_residents))))
        reasons = "; ".join(_reason(c, reason, item) for reason in item.reasons)
        lines.append(c.b(c.esc(c.tr("digest.weekly.why") + ":")) + " " + c.esc(reasons))
        for mentions, key, namer in ((item.top_topics, "digest.weekly.top_topics", lambda m: c.topic(m.key.topic)),
                                     (item.where, "digest.weekly.where", lambda m: m.label)):
            if mentions:
                parts = [c.tr("digest.weekly.mention", label=c.cut(namer(m)), negative=m.n_negative, n=m.n_residents)
                         for m in mentions]
                lines.append(c.b(c.esc(c.tr(key) + ":")) + " " + c.esc(", ".join(parts)))
        follow = _follow_up_line(c, item.follow_up)
        if follow:
            lines.append(follow)
        if item.quotes:
            lines.append(c.esc(c.tr("digest.weekly.quotes") + ":"))
            lines.extend("— " + c.i(c.esc(f"“{q}”")) for q in item.quotes)
        blocks.append(_Block("text", lines))
    return blocks


def _table(c: _Ctx, figures: Sequence[Figure], name_key: str) -> _Block:
    level = c.level()
    w = _TABLE_NAME_WIDTH
    header = (f"{c.cut(c.tr(name_key), w):<{w}} {c.tr('digest.weekly.col_n'):>4} {c.tr('digest.weekly.col_index'):>3} "
              f"{c.tr('digest.weekly.col_interval', level=level):<6} {c.tr('digest.weekly.col_prev'):>4} "
              f"{c.tr('digest.weekly.col_base', weeks=c.report.baseline_weeks):>5}")
    rows = []
    for fig in figures:
        name = c.cut(c.label(fig), w)
        if fig.enough:
            interval = f"{index_text(fig.index_low)}–{index_text(fig.index_high)}"
            rows.append(f"{name:<{w}} {fig.n_residents:>4} {index_text(fig.index):>3} {interval:<6} "
                        f"{c.short_delta(fig.vs_previous):>4} {c.short_delta(fig.vs_baseline):>5}{c.removed(fig)}")
        else:
            rows.append(f"{name:<{w}} {fig.n_residents:>4}  {c.tr('digest.weekly.not_enough')}{c.removed(fig)}")
    return _Block("pre", rows, header=header)


def _tables(c: _Ctx) -> list[_Block]:
    r = c.report
    blocks: list[_Block] = []
    if r.districts:
        blocks.append(_Block("text", [c.b(c.esc(c.tr("digest.weekly.districts")))], keep_with_next=True))
        blocks.append(_table(c, r.districts, "digest.weekly.col_name_district"))
    if r.units:
        blocks.append(_Block("text", [c.b(c.esc(c.tr("digest.weekly.units")))], keep_with_next=True))
        groups: dict[str | None, list[Figure]] = {}
        for fig in r.units:
            groups.setdefault(fig.district_id, []).append(fig)
        for district_id, figs in groups.items():
            if len(groups) > 1 or district_id is not None:
                name = (r.district_names.get(district_id, district_id) if district_id
                        else c.tr("digest.weekly.units_without_district"))
                blocks.append(_Block("text", [c.i(c.esc(c.cut(name)))], keep_with_next=True))
            blocks.append(_table(c, figs, "digest.weekly.col_name_unit"))
    for figs, title, col in ((r.topics, "digest.weekly.topics", "digest.weekly.col_name_topic"),
                             (r.channels, "digest.weekly.channels", "digest.weekly.col_name_channel"),
                             (r.languages, "digest.weekly.languages", "digest.weekly.col_name_language")):
        if figs:
            blocks.append(_Block("text", [c.b(c.esc(c.tr(title)))], keep_with_next=True))
            blocks.append(_table(c, figs, col))
    if blocks:
        blocks.append(_Block("text", [c.i(c.esc(c.tr("digest.weekly.table_legend", weeks=r.baseline_weeks,
                                                       level=c.level())))]))
    return blocks


def _footer(c: _Ctx) -> list[_Block]:
    r = c.report
    k = index_text(r.prior_strength) if float(r.prior_strength).is_integer() else c.num(r.prior_strength)
    return [_Block("text", [c.i(c.esc(c.tr("digest.weekly.footer", level=c.level(), k=k, min=r.min_residents)))])]


def _blocks(c: _Ctx) -> list[_Block]:
    return [*_headline(c), *_attention(c), *_tables(c), *_footer(c)]


# ---------------------------------------------------------------------------
# rendering and splitting

def _render(c: _Ctx, block: _Block, lines: Sequence[str] | None = None) -> str:
    lines = block.lines if lines is None else lines
    if block.kind == "text":
        return "\n".join(lines)
    body = "\n".join(([block.header] if block.header else []) + list(lines))
    return f"<pre>{c.esc(body)}</pre>" if c.html else body


def _hard_split(c: _Ctx, line: str, limit: int) -> list[str]:
    """Last resort for a single line longer than a message: drop its markup and
    cut its text so that no piece breaks an entity."""
    text = html.unescape(re.sub(r"<[^>]*>", "", line)) if c.html else line
    pieces, current = [], ""
    for ch in text:
        if telegram_length(c.esc(current + ch)) > limit:
            pieces.append(c.esc(current))
            current = ""
        current += ch
    if current:
        pieces.append(c.esc(current))
    return pieces


def _pieces(c: _Ctx, block: _Block, limit: int) -> list[str]:
    """The block rendered, as one piece if it fits, else split at line boundaries."""
    whole = _render(c, block)
    if telegram_length(whole) <= limit:
        return [whole]
    out: list[str] = []
    current: list[str] = []
    for line in block.lines:
        trial = _render(c, block, current + [line])
        if telegram_length(trial) <= limit:
            current.append(line)
            continue
        if current:
            out.append(_render(c, block, current))
            current = []
        if telegram_length(_render(c, block, [line])) <= limit:
            current = [line]
        else:
            overhead = telegram_length(_render(c, block, [""]))
            for part in _hard_split(c, line if block.kind == "text" else c.esc(line) if c.html else line,
                                    limit - overhead - 1):
                raw = html.unescape(part) if (block.kind == "pre" and c.html) else part
                out.append(_render(c, block, [raw]))
    if current:
        out.append(_render(c, block, current))
    return out


def split_messages(c: _Ctx, blocks: Sequence[_Block], limit: int) -> list[str]:
    messages: list[str] = []
    current = ""

    def room_for(piece: str) -> bool:
        if not current:
            return telegram_length(piece) <= limit
        return telegram_length(current) + len(_SEP) + telegram_length(piece) <= limit

    def push(piece: str) -> None:
        nonlocal current
        if not room_for(piece):
            if current:
                messages.append(current)
            current = piece
        else:
            current = piece if not current else current + _SEP + piece

    for number, block in enumerate(blocks):
        pieces = _pieces(c, block, limit)
        if block.keep_with_next:
            # a heading (or a chain of them) starts a new message unless it fits
            # together with the first piece of what it introduces
            chain = [pieces[-1]]
            j = number + 1
            while j < len(blocks):
                chain.append(_pieces(c, blocks[j], limit)[0])
                if not blocks[j].keep_with_next:
                    break
                j += 1
            together = _SEP.join(chain)
            if current and not room_for(together) and telegram_length(together) <= limit:
                messages.append(current)
                current = ""
        for piece in pieces:
            push(piece)
    if current:
        messages.append(current)
    return messages


def _ctx(report: TrustReport, lang: str, html_mode: bool, settings: TrustSettings | None,
         topic_names: Mapping[str, str] | None) -> _Ctx:
    return _Ctx(report, normalise_language(lang), html_mode, settings or TrustSettings(),
                dict(topic_names or {}))


def compose_digest(
    report: TrustReport,
    lang: str = "en",
    *,
    settings: TrustSettings | None = None,
    topic_names: Mapping[str, str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """The digest as Telegram HTML messages (``parse_mode="HTML"``), each at
    most ``limit`` UTF-16 units (default ``settings.digest_message_limit``;
    never above 4096). ``topic_names``: topic key -> display name in ``lang``."""
    if not isinstance(report, TrustReport):
        raise TypeError("compose_digest takes a TrustReport")
    c = _ctx(report, lang, True, settings, topic_names)
    limit = min(limit or c.settings.digest_message_limit, TELEGRAM_MESSAGE_LIMIT)
    return split_messages(c, _blocks(c), limit)


def render_digest_text(
    report: TrustReport,
    lang: str = "en",
    *,
    settings: TrustSettings | None = None,
    topic_names: Mapping[str, str] | None = None,
) -> str:
    """The same digest as one plain-text document (for ``trustline digest --out``)."""
    if not isinstance(report, TrustReport):
        raise TypeError("render_digest_text takes a TrustReport")
    c = _ctx(report, lang, False, settings, topic_names)
    return _SEP.join(_render(c, block) for block in _blocks(c)) + "\n"


def digest_files(
    report: TrustReport,
    lang: str = "en",
    *,
    settings: TrustSettings | None = None,
    topic_names: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """File name -> content for ``trustline digest --out DIR``: the plain-text
    digest, the Telegram HTML messages, and the two charts (PNG)."""
    from services.trust_charts import trend_chart_png, units_chart_png

    stem = f"trust-digest-{report.period}-{lang}"
    html_messages = compose_digest(report, lang, settings=settings, topic_names=topic_names)
    return {
        f"{stem}.txt": render_digest_text(report, lang, settings=settings,
                                          topic_names=topic_names).encode("utf-8"),
        f"{stem}.html": "\n\n<!-- next message -->\n\n".join(html_messages).encode("utf-8"),
        f"trust-trend-{report.period}-{lang}.png": trend_chart_png(report, lang),
        f"trust-units-{report.period}-{lang}.png": units_chart_png(report, lang),
    }
