"""The update queue: long polling with offsets, and webhook delivery.

Telegram keeps undelivered updates server-side until the bot confirms them
by calling ``getUpdates`` with a higher ``offset`` (polling) or until its
webhook answers 2xx (webhook mode). Both modes read the same queue here, so
switching modes mid-test behaves like the real thing: pending updates are
delivered by whichever mode is active.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from fakeapi.errors import TERMINATED_BY_OTHER_POLL, ApiError, bad_request

JSON = dict[str, Any]
_LOGGER = logging.getLogger(__name__)

#: Update types Telegram only sends when explicitly listed in allowed_updates.
OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class UpdateQueue:
    """Pending updates plus the long-polling protocol of ``getUpdates``."""

    def __init__(self, first_update_id: int = 1) -> None:
        self.pending: list[JSON] = []
        self.history: list[JSON] = []
        self.filtered: list[JSON] = []
        self.allowed_updates: list[str] | None = None
        self.closed = False
        self._next_id = first_update_id
        self._changed = asyncio.Event()
        self._poll_generation = 0

    # -- producing -------------------------------------------------------

    def allows(self, kind: str) -> bool:
        """Whether updates of ``kind`` pass the current ``allowed_updates``."""
        if not self.allowed_updates:
            return kind not in OPT_IN_UPDATES
        return kind in self.allowed_updates

    def set_allowed(self, allowed: Any) -> None:
        """Apply an ``allowed_updates`` parameter (absent keeps the old one)."""
        if allowed is None:
            return
        if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
            raise bad_request("can't parse allowed updates")
        self.allowed_updates = list(allowed) or None

    def push(self, kind: str, payload: JSON) -> JSON | None:
        """Queue an update; ``None`` if ``allowed_updates`` filters it out
        (Telegram does not even create such updates)."""
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        if not self.allows(kind):
            self.filtered.append(update)
            return None
        self.pending.append(update)
        self.history.append(update)
        self.wake()
        return update

    # -- consuming -------------------------------------------------------

    def confirm(self, offset: int | None) -> None:
        """Forget updates below ``offset``; a negative offset keeps the last ones."""
        if not offset:
            return
        if offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        else:
            self.pending = self.pending[offset:]

    def remove(self, update: JSON) -> None:
        """Drop one delivered update (webhook mode)."""
        with contextlib.suppress(ValueError):
            self.pending.remove(update)

    def drop_pending(self) -> None:
        """``drop_pending_updates=True``."""
        self.pending.clear()

    async def poll(self, offset: int | None, limit: int, timeout: float) -> list[JSON]:
        """Answer one ``getUpdates``: wait up to ``timeout`` s for updates.

        A newer poll terminates an older one with 409, as on Telegram; a
        closed queue answers ``[]`` at once so shutdown never hangs.
        """
        self.confirm(offset)
        self._poll_generation += 1
        generation = self._poll_generation
        self.wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(timeout, 0.0)
        while True:
            if self.closed:
                return []
            if generation != self._poll_generation:
                raise ApiError(409, TERMINATED_BY_OTHER_POLL)
            if self.pending:
                return self.pending[:limit]
            remaining = deadline - loop.time()
            if remaining <= 0:
                return []
            await self.wait_change(remaining)

    # -- signalling ------------------------------------------------------

    def wake(self) -> None:
        """Wake every coroutine blocked in :meth:`wait_change`."""
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_change(self, timeout: float | None) -> None:
        """Block until the queue changes or ``timeout`` passes."""
        event = self._changed
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    def close(self) -> None:
        """Release all waiting polls (they answer ``[]``)."""
        self.closed = True
        self.wake()


def validate_webhook_url(url: str) -> str:
    """Accept only loopback http(s) URLs: the fake must never reach out.

    Telegram requires HTTPS on ports 443/80/88/8443; the fake relaxes that
    for 127.0.0.1 so a test can run PTB's webhook receiver in-process.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if parts.hostname not in _LOOPBACK_HOSTS:
        raise bad_request(
            "bad webhook: the fake Bot API only delivers to 127.0.0.1/localhost"
        )
    return url


class WebhookDeliverer:
    """POSTs pending updates to the configured webhook, in order, retrying."""

    def __init__(self, queue: UpdateQueue, retry_delay: float = 0.2) -> None:
        self.queue = queue
        self.retry_delay = retry_delay
        self.url = ""
        self.secret_token: str | None = None
        self.max_connections = 40
        self.ip_address: str | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.delivered: list[JSON] = []
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        """Whether a webhook URL is set (``getUpdates`` then answers 409)."""
        return bool(self.url)

    def configure(self, url: str, secret_token: str | None, max_connections: int | None) -> None:
        """Set the webhook and start delivering."""
        self.url = url
        self.secret_token = secret_token
        self.max_connections = max_connections or 40
        self.last_error_date = self.last_error_message = None
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="fakeapi-webhook")
        self.queue.wake()

    async def stop(self) -> None:
        """Remove the webhook and stop the delivery task."""
        self.url = ""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def info(self, allowed_updates: Iterable[str] | None) -> JSON:
        """The ``WebhookInfo`` object."""
        info: JSON = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue.pending),
        }
        if self.url:
            info["max_connections"] = self.max_connections
            if allowed_updates:
                info["allowed_updates"] = list(allowed_updates)
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    async def _run(self) -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            while self.url and not self.queue.closed:
                if not self.queue.pending:
                    await self.queue.wait_change(None)
                    continue
                update = self.queue.pending[0]
                if await self._post(session, update):
                    self.queue.remove(update)
                    self.delivered.append(update)
                    self.queue.wake()
                else:
                    await asyncio.sleep(self.retry_delay)

    async def _post(self, session: aiohttp.ClientSession, update: JSON) -> bool:
        headers = {"Content-Type": "application/json"}
        if self.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.secret_token
        try:
            async with session.post(self.url, json=update, headers=headers) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return True
                self._record_error(f"Wrong response from the webhook: {response.status} {response.reason}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._record_error(f"Connection failed: {exc.__class__.__name__}")
        return False

    def _record_error(self, message: str) -> None:
        _LOGGER.debug("webhook delivery failed: %s", message)
        self.last_error_date = int(time.time())
        self.last_error_message = message
