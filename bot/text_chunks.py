"""Telegram's length limits, counted the way Telegram counts them, and splitting long HTML texts
into messages that each fit and each parse on their own.

Telegram measures text in UTF-16 code units: an emoji outside the Basic Multilingual Plane counts
2, so a text of 4,000 code points can be 8,000 units long. Every length check in the bot goes
through :func:`utf16_len` (callback data is the exception: its limit is in UTF-8 bytes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TELEGRAM_LIMIT = 4096  # message text, after entity parsing
CAPTION_LIMIT = 1024
CALLBACK_ANSWER_LIMIT = 200  # answerCallbackQuery text
CALLBACK_DATA_BYTES = 64  # inline button callback_data, in UTF-8 bytes
PLACEHOLDER_LIMIT = 64  # input_field_placeholder of ForceReply / reply keyboards


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, Telegram's unit for every text limit and entity offset."""
    return len(text.encode("utf-16-le")) // 2


def truncate_utf16(text: str, limit: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` UTF-16 units, never inside a surrogate pair; ends with
    ``ellipsis`` when something was cut."""
    if utf16_len(text) <= limit:
        return text
    room = limit - utf16_len(ellipsis)
    out, used = [], 0
    for char in text:
        width = _width(char)
        if used + width > room:
            break
        out.append(char)
        used += width
    return "".join(out) + ellipsis


def fits_callback_data(data: str) -> bool:
    return len(data.encode("utf-8")) <= CALLBACK_DATA_BYTES


def _width(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


# --- splitting -------------------------------------------------------------------------------

# A tag, an entity, or one character: the units a cut may fall between.
_ATOM = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?/?>|&#?[a-zA-Z0-9]{1,10};|.", re.DOTALL)
_PARAGRAPH, _LINE, _WORD = 0, 1, 2


@dataclass(frozen=True)
class _Atom:
    raw: str
    width: int  # UTF-16 units
    opens: str | None = None  # tag name this atom opens
    closes: str | None = None  # tag name this atom closes
    visible: bool = True  # false for tags: they add nothing the reader sees


def _atoms(text: str) -> list[_Atom]:
    atoms = []
    for match in _ATOM.finditer(text):
        raw = match.group(0)
        name = match.group(2)
        if name is None:
            atoms.append(_Atom(raw, utf16_len(raw)))
        elif raw.endswith("/>"):  # a self-closing tag opens nothing
            atoms.append(_Atom(raw, utf16_len(raw), visible=False))
        elif match.group(1):
            atoms.append(_Atom(raw, utf16_len(raw), closes=name.lower(), visible=False))
        else:
            atoms.append(_Atom(raw, utf16_len(raw), opens=name.lower(), visible=False))
    return atoms


Stack = tuple[tuple[str, str], ...]  # (tag name, the opening tag as written)


def _apply(stack: Stack, atom: _Atom) -> Stack:
    if atom.opens is not None:
        return (*stack, (atom.opens, atom.raw))
    if atom.closes is not None:
        for depth in range(len(stack) - 1, -1, -1):
            if stack[depth][0] == atom.closes:
                return stack[:depth] + stack[depth + 1 :]
    return stack


def _closers(stack: Stack) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(stack))


def _openers(stack: Stack) -> str:
    return "".join(raw for _, raw in stack)


@dataclass
class _Cut:
    index: int  # atoms before this index go in the chunk
    kind: int  # _PARAGRAPH, _LINE or _WORD
    stack: Stack
    used: int  # UTF-16 units of content up to here


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Chunks of at most ``limit`` UTF-16 units, each valid Telegram HTML on its own.

    Cuts prefer a paragraph break, then a line break, then a space (in the second half of the
    chunk, so no chunk is needlessly short), and fall between characters only when a single word
    is longer than a message. A cut never falls inside a tag or an entity like ``&amp;``: tags
    open at the cut are closed at the end of the chunk and opened again at the start of the
    next, so formatting carries over. Chunks with nothing visible are left out.
    """
    atoms = _atoms(text)
    chunks: list[str] = []
    start, start_stack = 0, ()  # type: tuple[int, Stack]
    while start < len(atoms):
        end, end_stack = _fill(atoms, start, start_stack, limit)
        chunk = _openers(start_stack) + "".join(a.raw for a in atoms[start:end]) + _closers(end_stack)
        if any(a.visible and not a.raw.isspace() for a in atoms[start:end]):
            chunks.append(chunk)
        elif chunks and utf16_len(chunks[-1] + chunk) <= limit:
            chunks[-1] += chunk  # e.g. a trailing newline: Telegram would send nothing on its own
        start, start_stack = end, end_stack
    return chunks or [text]


def _fill(atoms: list[_Atom], start: int, stack: Stack, limit: int) -> tuple[int, Stack]:
    """How far the chunk starting at ``start`` goes, and the tags open where it ends."""
    opening = utf16_len(_openers(stack))
    used = 0
    has_text = False
    cuts: list[_Cut] = []
    i = start
    closing = utf16_len(_closers(stack))
    while i < len(atoms):
        atom = atoms[i]
        after = stack if atom.visible else _apply(stack, atom)
        closing_after = closing if after is stack else utf16_len(_closers(after))
        if opening + used + atom.width + closing_after > limit and i > start:
            cut = _best_cut(cuts, used)
            return (cut.index, cut.stack) if cut is not None else (i, stack)
        used += atom.width
        stack, closing = after, closing_after
        i += 1
        if not (atom.visible and atom.raw.isspace()):
            has_text = has_text or atom.visible
        elif has_text:
            previous = atoms[i - 2].raw
            kind = _WORD if atom.raw != "\n" else _PARAGRAPH if previous == "\n" else _LINE
            cuts.append(_Cut(i, kind, stack, used))  # only after visible text: no blank chunks
    return i, stack


def _best_cut(cuts: list[_Cut], used: int) -> _Cut | None:
    for kind in (_PARAGRAPH, _LINE, _WORD):
        late = [c for c in cuts if c.kind == kind and c.used * 2 >= used]
        if late:
            return late[-1]
    return cuts[-1] if cuts else None
