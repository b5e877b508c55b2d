"""Telegram-formatted text to safe HTML for the demo page.

The bot sends ``parse_mode=HTML``; the fake Telegram has already parsed that into plain text
plus entities, exactly as a Telegram client receives it. We build the HTML back from those
entities rather than passing the bot's markup through: every character of text is escaped,
and the only tags that can come out are the ones Telegram itself supports (bold, italic,
underline, strikethrough, spoiler, code, pre, blockquote, links). A resident's ``<script>``
is therefore always shown as text, never run.
"""

from __future__ import annotations

import itertools
from html import escape
from typing import Any
from urllib.parse import urlparse

Entity = dict[str, Any]

# Entity type -> (opening tag, closing tag). Links are handled separately (they need an href).
_TAGS: dict[str, tuple[str, str]] = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ('<span class="spoiler" tabindex="0" title="Spoiler: click to reveal">', "</span>"),
    "code": ("<code>", "</code>"),
    "pre": ("<pre>", "</pre>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote>", "</blockquote>"),
}
_SAFE_SCHEMES = ("http", "https", "tg", "mailto")


def safe_href(url: str | None) -> str | None:
    """``url`` if it is a web, mail or tg: link (never ``javascript:`` or ``data:``)."""
    if not url:
        return None
    scheme = urlparse(url.strip()).scheme.lower()
    return url.strip() if scheme in _SAFE_SCHEMES else None


def _tags(entity: Entity, covered: str) -> tuple[str, str] | None:
    kind = entity.get("type")
    if kind in _TAGS:
        return _TAGS[kind]
    href = safe_href(entity.get("url")) if kind == "text_link" else safe_href(covered) if kind == "url" else None
    if href is None:
        return None  # mentions, hashtags, commands...: shown as plain text
    return f'<a href="{escape(href, quote=True)}" target="_blank" rel="noopener noreferrer">', "</a>"


def to_html(text: str | None, entities: list[Entity] | None = None) -> str:
    """Escaped ``text`` with ``entities`` (UTF-16 offsets, as in the Bot API) as HTML tags."""
    if not text:
        return ""
    units = text.encode("utf-16-le")
    size = len(units) // 2

    def chunk(start: int, end: int) -> str:
        return units[start * 2 : end * 2].decode("utf-16-le", errors="replace")

    spans: list[tuple[int, int, str, str]] = []
    for entity in entities or []:
        start = max(0, int(entity.get("offset", 0)))
        end = min(size, start + max(0, int(entity.get("length", 0))))
        tags = _tags(entity, chunk(start, end)) if end > start else None
        if tags is not None:
            spans.append((start, end, *tags))
    spans.sort(key=lambda s: (s[0], -s[1]))  # outer entities open first

    out: list[str] = []
    stack: list[tuple[int, int, str, str]] = []
    cuts = sorted({0, size, *(s[0] for s in spans), *(s[1] for s in spans)})
    for here, following in itertools.pairwise(cuts):
        _close_ending(stack, out, here)
        for span in (s for s in spans if s[0] == here):
            out.append(span[2])
            stack.append(span)
        out.append(escape(chunk(here, following), quote=False))
    _close_ending(stack, out, size)
    return "".join(out)


def _close_ending(stack: list[tuple[int, int, str, str]], out: list[str], here: int) -> None:
    """Close every open tag that ends at ``here``. Telegram allows overlapping entities, HTML
    does not: tags above one that ends are closed too, and reopened right after."""
    if not any(span[1] <= here for span in stack):
        return
    reopen = []
    while any(span[1] <= here for span in stack):
        span = stack.pop()
        out.append(span[3])
        if span[1] > here:
            reopen.append(span)
    for span in reversed(reopen):
        out.append(span[2])
        stack.append(span)
