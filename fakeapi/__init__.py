"""A fake Telegram Bot API server for tests and demo mode.

The real python-telegram-bot ``Application`` talks to it over HTTP on
127.0.0.1; simulated users produce updates and read the bot's answers. See
``fakeapi/README.md``.

The PTB helpers (``application_builder``, ``running_application``, ...) are
loaded lazily so that the server itself depends only on aiohttp.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fakeapi.errors import ApiError
from fakeapi.models import ApiCall, CallbackAnswer, ChatState, SentMessage, StoredFile
from fakeapi.params import UploadedFile
from fakeapi.server import DEFAULT_TOKEN, FakeBotApi
from fakeapi.user import ChatView, FakeChat, FakeUser

if TYPE_CHECKING:
    from fakeapi.ptb import (
        application_builder,
        running_application,
        start_application,
        stop_application,
    )

_PTB_HELPERS = ("application_builder", "running_application", "start_application", "stop_application")

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "ApiError",
    "CallbackAnswer",
    "ChatState",
    "ChatView",
    "FakeBotApi",
    "FakeChat",
    "FakeUser",
    "SentMessage",
    "StoredFile",
    "UploadedFile",
    *_PTB_HELPERS,
]


def __getattr__(name: str) -> Any:
    if name in _PTB_HELPERS:
        from fakeapi import ptb

        return getattr(ptb, name)
    raise AttributeError(f"module 'fakeapi' has no attribute {name!r}")
