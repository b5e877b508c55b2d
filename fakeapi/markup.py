"""Validating ``reply_markup`` and reading keyboards back for assertions.

Telegram rejects keyboards that PTB happily serialises: ``callback_data``
longer than 64 bytes, inline buttons without an action, malformed URLs. Those
are runtime failures in production, so the fake rejects them too.
"""

from __future__ import annotations

import re
from typing import Any

from fakeapi.errors import bad_request

_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_RE = re.compile(r"^(https?|tg)://\S+$", re.IGNORECASE)
_MAX_CALLBACK_DATA_BYTES = 64
_MAX_INLINE_BUTTONS = 100


def validate_reply_markup(markup: Any) -> dict[str, Any] | None:
    """Return ``markup`` if Telegram would accept it, else raise a 400."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _validate_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _validate_reply_keyboard(markup["keyboard"])
    elif not (markup.get("remove_keyboard") is True or markup.get("force_reply") is True):
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _rows(rows: Any, what: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f"can't parse {what}: field \"{what}\" must be an Array of Arrays")
    return rows


def _validate_inline_keyboard(rows: Any) -> None:
    checked = _rows(rows, "inline_keyboard")
    if sum(len(row) for row in checked) > _MAX_INLINE_BUTTONS:
        raise bad_request("BUTTONS_TOO_MUCH")
    for row in checked:
        for button in row:
            _validate_inline_button(button)


def _validate_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse inline keyboard button: Field \"text\" must be of type String")
    actions = [name for name in _INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= _MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not _URL_RE.match(url):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")


def _validate_reply_keyboard(rows: Any) -> None:
    for row in _rows(rows, "keyboard"):
        for button in row:
            label = button if isinstance(button, str) else (
                button.get("text") if isinstance(button, dict) else None
            )
            if not isinstance(label, str) or not label.strip():
                raise bad_request("can't parse keyboard button: Field \"text\" must be of type String")


def button_label(button: Any) -> str:
    """The visible label of an inline or reply keyboard button."""
    if isinstance(button, str):
        return button
    if isinstance(button, dict):
        return str(button.get("text", ""))
    return str(button)


def keyboard_rows(markup: dict[str, Any] | None) -> list[list[Any]]:
    """Raw button rows of an inline or reply keyboard (empty if none)."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard", markup.get("keyboard", []))
    return rows if isinstance(rows, list) else []


def find_button(
    markup: dict[str, Any] | None, label: str
) -> tuple[dict[str, Any] | None, list[str]]:
    """Find an inline button by exact label, else by unambiguous substring.

    Returns the button (or ``None``) and every label, for error messages.
    """
    rows = (markup or {}).get("inline_keyboard") or []
    buttons = [b for row in rows for b in row if isinstance(b, dict)]
    labels = [button_label(b) for b in buttons]
    exact = [b for b in buttons if button_label(b) == label]
    if len(exact) >= 1:
        return exact[0], labels
    partial = [b for b in buttons if label.casefold() in button_label(b).casefold()]
    if len(partial) == 1:
        return partial[0], labels
    return None, labels
