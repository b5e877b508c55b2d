"""Turning formatted text into plain text + entities, the way Telegram does.

The fake validates what the bot sends because broken formatting is one of the
most common ways a Telegram bot fails in production: an unescaped ``<`` in a
resident's report, an unclosed ``<b>``, or a ``.`` in MarkdownV2 makes
Telegram answer 400 "can't parse entities" and the message is lost. The
parsers here are stricter-than-nothing approximations of Telegram's: they
accept everything Telegram documents and reject the usual mistakes with the
same error wording.

Offsets and lengths of entities are in UTF-16 code units, as in the Bot API.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fakeapi.errors import ApiError, bad_request

Entity = dict[str, Any]

_HTML_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_START_TAG_RE = re.compile(
    r"<([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z][a-zA-Z0-9_-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+))?)*)"
    r"\s*(/?)>"
)
_ATTR_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")
_END_TAG_RE = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")

_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
}

_COMMAND_RE = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z][A-Za-z0-9_]{2,31})?(?![\w/@])")
_MENTION_RE = re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\w@])")
_HASHTAG_RE = re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")
_URL_RE = re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram entity offsets."""
    return len(text.encode("utf-16-le")) // 2


@dataclass
class FormattedText:
    """Plain text as the recipient sees it, plus its entities."""

    text: str
    entities: list[Entity] = field(default_factory=list)


def can_not_parse(detail: str) -> ApiError:
    """The 400 Telegram answers for malformed formatting."""
    return bad_request(f"can't parse entities: {detail}")


def format_text(text: str, parse_mode: str | None, entities: Any = None) -> FormattedText:
    """Parse ``text`` according to ``parse_mode`` and trim it like Telegram.

    Explicit ``entities`` (sent instead of a parse mode) are kept as given.
    """
    mode = (parse_mode or "").strip().lower()
    if mode == "html":
        result = parse_html(text)
    elif mode == "markdownv2":
        result = parse_markdown_v2(text)
    elif mode == "markdown":
        result = parse_markdown(text)
    elif mode == "":
        result = FormattedText(text, _explicit_entities(entities))
    else:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return strip_text(result)


def _explicit_entities(entities: Any) -> list[Entity]:
    if entities is None:
        return []
    if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
        raise bad_request("can't parse entities JSON object")
    return [dict(e) for e in entities]


def strip_text(formatted: FormattedText) -> FormattedText:
    """Trim surrounding whitespace and shift entities, as Telegram does."""
    text = formatted.text
    stripped = text.strip()
    if stripped == text:
        return formatted
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    new_len = utf16_len(stripped)
    entities: list[Entity] = []
    for entity in formatted.entities:
        start = max(int(entity.get("offset", 0)) - lead, 0)
        end = min(int(entity.get("offset", 0)) + int(entity.get("length", 0)) - lead, new_len)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return FormattedText(stripped, entities)


# --------------------------------------------------------------------- HTML


class _Builder:
    """Accumulates plain text and tracks the UTF-16 offset of its end."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.offset = 0
        self.entities: list[Entity] = []

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.offset += utf16_len(text)

    def close(self, kind: str, start: int, extra: dict[str, Any]) -> None:
        if self.offset > start:
            self.entities.append({"type": kind, "offset": start, "length": self.offset - start, **extra})

    def result(self) -> FormattedText:
        entities = sorted(self.entities, key=lambda e: (e["offset"], -e["length"]))
        return FormattedText("".join(self.parts), entities)


@dataclass
class _OpenTag:
    name: str
    start: int
    extra: dict[str, Any]


def parse_html(text: str) -> FormattedText:
    """Parse Telegram's HTML subset; raise the Telegram 400 on bad markup."""
    out = _Builder()
    stack: list[_OpenTag] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            i = _html_tag(text, i, out, stack)
        elif char == "&":
            i = _html_entity(text, i, out)
        else:
            nxt = _next_special(text, i, "<&")
            out.add(text[i:nxt])
            i = nxt
    if stack:
        raise can_not_parse(
            f"Can't find end tag corresponding to start tag \"{stack[-1].name}\""
        )
    return out.result()


def _next_special(text: str, start: int, chars: str) -> int:
    positions = [p for p in (text.find(c, start) for c in chars) if p != -1]
    return min(positions) if positions else len(text)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _html_entity(text: str, i: int, out: _Builder) -> int:
    match = _ENTITY_RE.match(text, i)
    if match is None:
        out.add("&")  # a bare ampersand is tolerated by Telegram
        return i + 1
    name = match.group(1)
    if name.startswith("#"):
        digits = name[1:]
        code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
        out.add(chr(code) if 0 < code <= 0x10FFFF else "\ufffd")
    elif name.lower() in _NAMED_ENTITIES:
        out.add(_NAMED_ENTITIES[name.lower()])
    else:
        out.add(match.group(0))  # unknown named entities are left as text
    return match.end()


def _html_tag(text: str, i: int, out: _Builder, stack: list[_OpenTag]) -> int:
    if text.startswith("</", i):
        return _html_end_tag(text, i, out, stack)
    match = _START_TAG_RE.match(text, i)
    if match is None:
        partial = re.match(r"<([a-zA-Z0-9-]*)", text[i:])
        if partial and partial.group(1):
            raise can_not_parse(f"Unclosed start tag at byte offset {_byte_offset(text, i)}")
        raise can_not_parse(
            f"Unsupported start tag \"\" at byte offset {_byte_offset(text, i)}"
        )
    name = match.group(1).lower()
    if name not in _HTML_TAGS:
        raise can_not_parse(
            f"Unsupported start tag \"{name}\" at byte offset {_byte_offset(text, i)}"
        )
    attrs = _html_attrs(match.group(2))
    extra = _html_tag_extra(name, attrs, text, i, stack)
    if name == "code" and stack and stack[-1].name == "pre" and "class" in attrs:
        language = attrs["class"].removeprefix("language-")
        stack[-1].extra.setdefault("language", language)
    if match.group(3):  # <tag/> opens and closes an empty entity: nothing to add
        return match.end()
    stack.append(_OpenTag(name, out.offset, extra))
    return match.end()


def _html_attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for attr in _ATTR_RE.finditer(raw):
        value = attr.group(2) or ""
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs[attr.group(1).lower()] = _unescape_attr(value)
    return attrs


def _unescape_attr(value: str) -> str:
    builder = _Builder()
    i = 0
    while i < len(value):
        if value[i] == "&":
            i = _html_entity(value, i, builder)
        else:
            nxt = _next_special(value, i, "&")
            builder.add(value[i:nxt])
            i = nxt
    return "".join(builder.parts)


def _html_tag_extra(
    name: str, attrs: dict[str, str], text: str, i: int, stack: list[_OpenTag]
) -> dict[str, Any]:
    offset = _byte_offset(text, i)
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise can_not_parse(f"Tag \"span\" must have class \"tg-spoiler\" at byte offset {offset}")
    if name == "a":
        href = attrs.get("href", "")
        return {"url": href} if href else {}
    if name == "tg-emoji":
        emoji_id = attrs.get("emoji-id")
        if not emoji_id:
            raise can_not_parse(f"Tag \"tg-emoji\" must have attribute \"emoji-id\" at byte offset {offset}")
        return {"custom_emoji_id": emoji_id}
    if name in ("code", "pre") and any(t.name in ("code", "pre") for t in stack):
        if not (name == "code" and stack[-1].name == "pre"):
            raise can_not_parse(f"Entity \"{name}\" can't be nested at byte offset {offset}")
    if name == "blockquote":
        if any(t.name == "blockquote" for t in stack):
            raise can_not_parse(f"Blockquote entities can't be nested at byte offset {offset}")
        if "expandable" in attrs:
            return {"type": "expandable_blockquote"}
    return {}


def _html_end_tag(text: str, i: int, out: _Builder, stack: list[_OpenTag]) -> int:
    offset = _byte_offset(text, i)
    match = _END_TAG_RE.match(text, i)
    if match is None:
        raise can_not_parse(f"Unclosed end tag at byte offset {offset}")
    name = match.group(1).lower()
    if not stack:
        raise can_not_parse(f"Unexpected end tag at byte offset {offset}")
    top = stack[-1]
    if top.name != name:
        raise can_not_parse(
            f"Unmatched end tag at byte offset {offset}, expected \"</{top.name}>\", "
            f"found \"</{name}>\""
        )
    stack.pop()
    if name == "code" and stack and stack[-1].name == "pre":
        return match.end()  # <pre><code> is one pre entity with a language
    extra = dict(top.extra)
    kind = extra.pop("type", _HTML_TAGS[name])
    if kind == "text_link" and "url" not in extra:
        return match.end()  # <a> without href is plain text in Telegram
    out.close(kind, top.start, extra)
    return match.end()


# --------------------------------------------------------------- MarkdownV2


@dataclass
class _MdState:
    text: str
    out: _Builder = field(default_factory=_Builder)
    stack: list[_OpenTag] = field(default_factory=list)
    i: int = 0


def parse_markdown_v2(text: str) -> FormattedText:
    """Parse MarkdownV2; unescaped reserved characters are a 400 like Telegram's."""
    state = _MdState(text)
    while state.i < len(text):
        _mdv2_step(state)
    if state.stack:
        top = state.stack[-1]
        raise can_not_parse(
            f"Can't find end of {_MDV2_NAMES.get(top.name, top.name)} entity at byte offset "
            f"{top.extra.get('_byte', 0)}"
        )
    return state.out.result()


def _mdv2_step(state: _MdState) -> None:
    text, i = state.text, state.i
    char = text[i]
    if char == "\\":
        if i + 1 >= len(text):
            raise can_not_parse("Character '\\' is reserved and must be escaped with the preceding '\\'")
        state.out.add(text[i + 1])
        state.i = i + 2
    elif char == "`":
        _mdv2_code(state)
    elif text.startswith("||", i):
        _mdv2_toggle(state, "spoiler", 2)
    elif text.startswith("__", i):
        _mdv2_toggle(state, "underline", 2)
    elif char in "*_~":
        _mdv2_toggle(state, {"*": "bold", "_": "italic", "~": "strikethrough"}[char], 1)
    elif char == "[":
        state.stack.append(_OpenTag("text_link", state.out.offset, {"_byte": _byte_offset(text, i)}))
        state.i = i + 1
    elif char == "]" and state.stack and state.stack[-1].name == "text_link":
        _mdv2_link_end(state)
    elif char == ">" and (i == 0 or text[i - 1] == "\n"):
        _mdv2_blockquote(state)
    elif char in _MDV2_RESERVED:
        raise can_not_parse(
            f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
        )
    else:
        nxt = i + 1
        while nxt < len(text) and text[nxt] not in _MDV2_RESERVED and text[nxt] != "\\":
            nxt += 1
        state.out.add(text[i:nxt])
        state.i = nxt


def _mdv2_toggle(state: _MdState, kind: str, width: int) -> None:
    stack = state.stack
    if stack and stack[-1].name == kind:
        top = stack.pop()
        state.out.close(kind, top.start, {})
    elif any(t.name == kind for t in stack):
        raise can_not_parse(
            f"Can't find end of {_MDV2_NAMES[stack[-1].name]} entity at byte offset "
            f"{stack[-1].extra.get('_byte', 0)}"
        )
    else:
        stack.append(_OpenTag(kind, state.out.offset, {"_byte": _byte_offset(state.text, state.i)}))
    state.i += width


def _mdv2_code(state: _MdState) -> None:
    text, i = state.text, state.i
    fence = "```" if text.startswith("```", i) else "`"
    body_start = i + len(fence)
    language = ""
    if fence == "```":
        newline = text.find("\n", body_start)
        first_line = text[body_start:newline] if newline != -1 else ""
        if newline != -1 and re.fullmatch(r"[A-Za-z0-9_+#.-]*", first_line):
            language, body_start = first_line, newline + 1
    body: list[str] = []
    j = body_start
    while j < len(text) and not text.startswith(fence, j):
        if text[j] == "\\" and j + 1 < len(text) and text[j + 1] in "`\\":
            body.append(text[j + 1])
            j += 2
        else:
            body.append(text[j])
            j += 1
    if j >= len(text):
        name = "Pre" if fence == "```" else "Code"
        raise can_not_parse(f"Can't find end of {name} entity at byte offset {_byte_offset(text, i)}")
    start = state.out.offset
    state.out.add("".join(body))
    extra = {"language": language} if language else {}
    state.out.close("pre" if fence == "```" else "code", start, extra)
    state.i = j + len(fence)


def _mdv2_link_end(state: _MdState) -> None:
    text, i = state.text, state.i
    top = state.stack.pop()
    if not text.startswith("(", i + 1):
        raise can_not_parse(
            "Character ']' is reserved and must be escaped with the preceding '\\'"
        )
    url: list[str] = []
    j = i + 2
    while j < len(text) and text[j] != ")":
        if text[j] == "\\" and j + 1 < len(text):
            j += 1
        url.append(text[j])
        j += 1
    if j >= len(text):
        raise can_not_parse(f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}")
    state.out.close("text_link", top.start, {"url": "".join(url)})
    state.i = j + 1


def _mdv2_blockquote(state: _MdState) -> None:
    """``>`` at line start quotes until the end of the line (lines merge)."""
    text = state.text
    start = state.out.offset
    state.i += 1
    end = text.find("\n", state.i)
    end = len(text) if end == -1 else end
    inner = parse_markdown_v2(text[state.i : end])
    for entity in inner.entities:
        state.out.entities.append({**entity, "offset": entity["offset"] + start})
    state.out.add(inner.text)
    previous = state.out.entities[-1] if state.out.entities else None
    if previous and previous["type"] == "blockquote" and previous["offset"] + previous["length"] + 1 == start:
        previous["length"] = state.out.offset - previous["offset"]
    else:
        state.out.close("blockquote", start, {})
    state.i = end


# ----------------------------------------------------------- legacy Markdown


def parse_markdown(text: str) -> FormattedText:
    """Parse legacy Markdown (``*bold*``, ``_italic_``, code, links)."""
    out = _Builder()
    i = 0
    kinds = {"*": "bold", "_": "italic", "`": "code"}
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "_*`[":
            out.add(text[i + 1])
            i += 2
        elif text.startswith("```", i) or char in kinds:
            marker = "```" if text.startswith("```", i) else char
            end = text.find(marker, i + len(marker))
            if end == -1:
                raise can_not_parse(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
                )
            start = out.offset
            out.add(text[i + len(marker) : end])
            out.close("pre" if marker == "```" else kinds[marker], start, {})
            i = end + len(marker)
        elif char == "[":
            i = _markdown_link(text, i, out)
        else:
            nxt = _next_special(text, i, "\\*_`[")
            nxt = nxt if nxt > i else i + 1
            out.add(text[i:nxt])
            i = nxt
    return out.result()


def _markdown_link(text: str, i: int, out: _Builder) -> int:
    match = re.compile(r"\[([^\]]*)\]\(([^)]*)\)").match(text, i)
    if match is None:
        raise can_not_parse(
            f"Can't find end of the entity starting at byte offset {_byte_offset(text, i)}"
        )
    start = out.offset
    out.add(match.group(1))
    out.close("text_link", start, {"url": match.group(2)})
    return match.end()


# ----------------------------------------------------- entities of user text


def auto_entities(text: str) -> list[Entity]:
    """Entities Telegram's clients attach to what a user types.

    ``bot_command`` is the important one: PTB's ``CommandHandler`` and
    ``filters.COMMAND`` look for it at offset 0, so ``/start payload`` and
    ``/report@trustline_bot`` must carry it to be routed at all.
    """
    found: list[tuple[int, int, str]] = []
    for pattern, kind in (
        (_COMMAND_RE, "bot_command"),
        (_MENTION_RE, "mention"),
        (_HASHTAG_RE, "hashtag"),
        (_URL_RE, "url"),
    ):
        for match in pattern.finditer(text):
            found.append((match.start(), match.end(), kind))
    found.sort()
    entities: list[Entity] = []
    last_end = 0
    for start, end, kind in found:
        if start < last_end:
            continue  # overlapping (for example a /path inside a URL)
        entities.append(
            {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        )
        last_end = end
    return entities
