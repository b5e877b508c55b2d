"""A database outage as the bot lives through it: one log line in, one out, one notice per resident.

While the database is unreachable the intake stops confirming updates, so Telegram keeps them
(for 24 h) and they are recorded and handled once it is back. Residents who write meanwhile get
one short notice per outage, so nobody resends; handlers and jobs that fail for the same reason
report here instead of logging tracebacks.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

from telegram import Bot, Update
from telegram.error import TelegramError

from services.i18n import Texts

log = logging.getLogger(__name__)


class HealthLike(Protocol):
    database_ok: bool


class Outage:
    def __init__(self, health: HealthLike) -> None:
        self.health = health
        self.since: float | None = None  # monotonic start of the current outage
        self.notified: set[int] = set()  # chats told during the current outage
        self.failed_updates: set[int] = set()  # update ids whose handler hit the outage

    @property
    def active(self) -> bool:
        return self.since is not None

    def begin(self, exc: BaseException) -> None:
        if self.since is not None:
            return
        self.since = time.monotonic()
        self.health.database_ok = False
        # One line, no traceback: the cause is outside this process and the fix is to wait.
        log.warning(
            "database unreachable (%s); holding new updates with Telegram and retrying",
            _one_line(exc),
        )

    def end(self, held: int = 0) -> None:
        if self.since is None:
            return
        took = time.monotonic() - self.since
        self.since = None
        self.notified.clear()
        self.health.database_ok = True
        log.warning("database reachable again after %.0f s; handling the %d held updates", took, held)

    async def tell(self, bot: Bot, update: Any, texts: Any) -> None:
        """Send the "yours is safe" notice to the update's private chat, once per outage.

        ``texts`` maps a Telegram language code to :class:`Texts` (``Runtime.texts``).
        """
        if not isinstance(update, Update):
            return
        chat, user = update.effective_chat, update.effective_user
        if chat is None or chat.type != "private" or chat.id in self.notified:
            return
        self.notified.add(chat.id)
        tx: Texts = texts(user.language_code if user else None)
        try:
            await bot.send_message(chat.id, tx("general.saving_delayed"))
        except TelegramError as exc:
            log.info("could not send the outage notice: %s", exc)


def _one_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    return f"{type(orig).__name__}: {first}"
