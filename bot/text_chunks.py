"""Split long HTML texts into Telegram-sized messages at line boundaries."""

from __future__ import annotations

TELEGRAM_LIMIT = 4096


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Chunks of at most ``limit`` characters, cut between lines (a line is never split unless it
    alone is too long, and then only outside HTML tags so no chunk breaks the markup)."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _hard_wrap(line, limit):
            candidate = piece if not current else f"{current}\n{piece}"
            if len(candidate) <= limit:
                current = candidate
            else:
                chunks.append(current)
                current = piece
    if current or not chunks:
        chunks.append(current)
    return [c for c in chunks if c.strip()] or [text[:limit]]


def _hard_wrap(line: str, limit: int) -> list[str]:
    if len(line) <= limit:
        return [line]
    pieces, start = [], 0
    while start < len(line):
        end = min(start + limit, len(line))
        # never cut inside a tag or an entity
        cut = end
        if end < len(line):
            lt, amp = line.rfind("<", start, end), line.rfind("&", start, end)
            if lt > line.rfind(">", start, end):
                cut = lt
            elif amp > line.rfind(";", start, end):
                cut = amp
            if cut <= start:
                cut = end
        pieces.append(line[start:cut])
        start = cut
    return pieces
