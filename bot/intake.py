"""Durable intake: record every update before Telegram is told it arrived, then handle it.

PTB's own ``Updater`` confirms a batch (asks for the next offset) as soon as it is in memory, so a
crash loses whatever was fetched but not yet handled. :class:`InboxUpdater` replaces only that part:

1. ``getUpdates`` from the last confirmed offset;
2. one transaction records the whole batch in the ``inbox`` table (``storage/inbox.py``);
3. only then is the offset advanced (the next ``getUpdates`` confirms the batch to Telegram) and
   the new updates go to ``Application.update_queue``;
4. :class:`ChatOrderedProcessor` handles them (each chat in order, chats concurrently) and marks
   each row handled once its handler finished and the conversation state is saved.

At start-up rows still pending are handled first. Later, a row still pending that this process is
not handling is an orphan of a process that stopped between recording and handling (a leader that
stepped down at a handover): it is handled when Telegram delivers it again, and at the latest by
the sweep every ``ORPHAN_SWEEP`` seconds once it is ``ORPHAN_AGE`` old. Redoing one is safe for residents' messages
(stored once per (resident, telegram message id)); a command or button press is redone only if
the crash fell between its handler's effects and the handled mark, and then the worst case is
one repeated reply. Marking before handling would instead lose that update, which is worse.

While the database is unreachable nothing is confirmed: the batch stays with Telegram (kept for
24 h), the loop retries with backoff, and senders get one notice each (``bot/outage.py``).

Webhook mode records before answering 200 (a 503 makes Telegram retry later), in a small aiohttp
server of our own, because PTB's answers 200 as soon as the update is in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram import Bot, Update
from telegram.error import Conflict, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, BaseUpdateProcessor, Updater

from bot.runtime import Runtime
from storage import inbox
from storage.db import is_unavailable
from storage.models import utcnow

log = logging.getLogger(__name__)

SHARED_KEY = "no-chat"  # updates without a chat (inline queries, polls) share one queue
MAX_BACKOFF = 5.0  # seconds between retries while Telegram or the database is unreachable
PRUNE_EVERY = 3600.0  # seconds between deletions of handled rows older than a day
ORPHAN_SWEEP = 10.0  # seconds between looks for pending rows nobody here is handling
ORPHAN_AGE = timedelta(seconds=20)  # younger rows may still be on their way to a handler
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

AnyApp = Application[Any, Any, Any, Any, Any, Any]


def chat_key(update: object) -> int | str:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return SHARED_KEY


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Chats are handled concurrently; one chat's updates strictly in arrival order.

    A chat waiting for its own earlier update (a rate-limited group, a slow database call) holds
    only its own lock, so another chat is never delayed by it. PTB's semaphore still caps the
    total; a chat's waiting updates count against it, hence the generous default.
    """

    def __init__(self, max_concurrent_updates: int = 512) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int | str, tuple[asyncio.Lock, int]] = {}
        # Called after each update's handlers (InboxUpdater.finished), inside the chat's turn.
        self.finished: Callable[[object], Awaitable[None]] | None = None

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = chat_key(update)
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:  # asyncio.Lock wakes waiters first come, first served
                await coroutine
                if self.finished is not None:
                    await self.finished(update)
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]  # no unbounded dict of every chat ever seen
            else:
                self._locks[key] = (lock, users - 1)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


class InboxUpdater(Updater):
    """PTB's ``Updater`` with durable confirmation; ``run_polling``/``run_webhook`` use it as is."""

    def __init__(self, bot: Bot, update_queue: asyncio.Queue[object], rt: Runtime) -> None:
        super().__init__(bot=bot, update_queue=update_queue)
        self.rt = rt
        self.app: AnyApp | None = None  # set by bind(); needed to save conversation state
        self._task: asyncio.Task[None] | None = None
        self._site: web.AppRunner | None = None
        self._in_flight: set[int] = set()  # dispatched, handler not finished
        self._unmarked: set[int] = set()  # handled, but the mark could not be written yet
        self._replay = True  # look for pending rows (start-up, after a handler hit an outage)
        self._pruned_at = -PRUNE_EVERY
        self._swept_at = 0.0

    def bind(self, app: AnyApp, processor: ChatOrderedProcessor) -> None:
        self.app = app
        processor.finished = self.finished

    # --- shared by polling and webhook -----------------------------------------------------

    async def _record(self, updates: Sequence[Update]) -> list[Update]:
        """Record a batch in one transaction; returns the updates to handle: new ones, and pending
        ones nobody here is handling (see the module docstring)."""
        todo = set(await self.rt.db.run(inbox.record, [u.to_dict() for u in updates]))
        todo -= self._in_flight | self._unmarked
        return [u for u in updates if u.update_id in todo]

    async def _dispatch(self, updates: Sequence[Update]) -> None:
        for update in updates:
            self._in_flight.add(update.update_id)
            await self.update_queue.put(update)

    async def _housekeeping(self) -> None:
        """Pending marks, replay of pending rows, pruning; raises while the database is down."""
        if self._unmarked:
            marks = sorted(self._unmarked)
            await self.rt.db.run(inbox.mark_handled, marks)
            self._unmarked.difference_update(marks)
        loop = asyncio.get_running_loop()
        sweep = loop.time() - self._swept_at >= ORPHAN_SWEEP
        if self._replay or sweep:
            replay, self._replay = self._replay, False
            self._swept_at = loop.time()
            before = None if replay else utcnow() - ORPHAN_AGE
            try:
                rows = await self.rt.db.run(inbox.unhandled, sorted(self._in_flight | self._unmarked), before)
            except BaseException:
                self._replay = replay
                raise
            if rows:
                what = "recorded updates that were not handled yet" if replay else "orphaned updates (recorded, never handled)"
                log.info("handling %d %s", len(rows), what)
            await self._dispatch([u for u in (Update.de_json(r, self.bot) for r in rows) if u is not None])
        if loop.time() - self._pruned_at >= PRUNE_EVERY:
            self._pruned_at = loop.time()
            await self.rt.db.run(inbox.prune)

    async def finished(self, update: object) -> None:
        """An update's handlers are done (ChatOrderedProcessor): save state, mark it handled."""
        if not isinstance(update, Update):
            return
        uid = update.update_id
        self._in_flight.discard(uid)
        if uid in self.rt.outage.failed_updates:
            # Its handler hit the outage: leave the row pending; it is handled again once the
            # database is back (messages are stored once, so a partial first try is harmless).
            self.rt.outage.failed_updates.discard(uid)
            self._replay = True
            return
        try:
            if self.app is not None:
                # Conversation states are otherwise saved every few seconds; a crash in between
                # would resume the conversation one step behind what the resident saw.
                await self.app.update_persistence()
            await self.rt.db.run(inbox.mark_handled, [uid])
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            self.rt.outage.begin(exc)
            self._unmarked.add(uid)

    async def _hold(self, updates: Sequence[Update], exc: BaseException) -> None:
        """The database is down: keep the batch with Telegram and tell each sender once."""
        self.rt.outage.begin(exc)
        for update in updates:
            await self.rt.outage.tell(self.bot, update, self.rt.texts)

    # --- polling ---------------------------------------------------------------------------

    async def start_polling(  # type: ignore[override]
        self,
        poll_interval: float = 0.0,
        timeout: int | timedelta = 10,
        bootstrap_retries: int = 0,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        error_callback: Callable[[TelegramError], None] | None = None,
        **_: Any,
    ) -> asyncio.Queue[object]:
        if self.running:
            raise RuntimeError("This Updater is already running!")
        if not self._initialized:
            raise RuntimeError("This Updater was not initialized via `Updater.initialize`!")
        # Polling and a webhook exclude each other on Telegram's side.
        await self.bot.delete_webhook(drop_pending_updates=bool(drop_pending_updates))
        self._running = True
        self.rt.health.intake_running = True
        seconds = timeout.total_seconds() if isinstance(timeout, timedelta) else float(timeout)
        log.info("polling Telegram (updates are recorded before they are confirmed)")
        self._task = asyncio.create_task(
            self._poll(seconds, list(allowed_updates) if allowed_updates else None, poll_interval),
            name="trustline-intake",
        )
        return self.update_queue

    async def _poll(self, timeout: float, allowed: list[str] | None, interval: float) -> None:
        backoff = 0.0
        held: list[Update] = []
        while self.running:
            try:
                if self.rt.outage.active and not held:
                    await self.rt.db.run(inbox.counts)  # probe: is it back?
                await self._housekeeping()
                if self.rt.outage.active:
                    self.rt.outage.end()
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                self.rt.outage.begin(exc)
            try:
                # While holding a batch, ask again without waiting: same offset, so nothing is
                # confirmed, and newcomers' updates show up so they get the notice too.
                updates = await self.bot.get_updates(
                    offset=self._last_update_id,
                    timeout=0 if held else min(timeout, 2.0) if self.rt.outage.active else timeout,
                    allowed_updates=allowed,
                )
            except InvalidToken:
                raise
            except RetryAfter as exc:
                await self._sleep(float(exc.retry_after if isinstance(exc.retry_after, int | float) else 5))
                continue
            except Conflict:
                log.warning("Telegram says another process is fetching updates for this bot; retrying")
                backoff = _next(backoff)
                await self._sleep(backoff)
                continue
            except NetworkError as exc:
                log.warning("cannot reach Telegram (%s); retrying in %.0f s", exc, _next(backoff))
                backoff = _next(backoff)
                await self._sleep(backoff)
                continue
            if not self.running:
                return  # stopped during the long poll: leave these with Telegram
            held = []
            if updates:
                try:
                    new = await self._record(updates)
                except Exception as exc:
                    if not is_unavailable(exc):
                        raise
                    held = list(updates)
                    await self._hold(held, exc)
                    backoff = _next(backoff)
                    await self._sleep(backoff)
                    continue
                if self.rt.outage.active:
                    self.rt.outage.end(len(new))
                self._last_update_id = updates[-1].update_id + 1  # confirmed by the next call
                await self._dispatch(new)
            backoff = 0.0
            if interval:
                await self._sleep(interval)

    async def _sleep(self, seconds: float) -> None:
        end = asyncio.get_running_loop().time() + seconds
        while self.running and asyncio.get_running_loop().time() < end:
            await asyncio.sleep(min(0.2, seconds))

    # --- webhook ---------------------------------------------------------------------------

    async def start_webhook(  # type: ignore[override]
        self,
        listen: str = "127.0.0.1",
        port: int = 80,
        url_path: str = "",
        webhook_url: str | None = None,
        allowed_updates: Sequence[str] | None = None,
        drop_pending_updates: bool | None = None,
        secret_token: str | None = None,
        max_connections: int = 40,
        **_: Any,
    ) -> asyncio.Queue[object]:
        if not secret_token:
            # Without it anyone who finds the URL can post forged updates as any resident.
            raise RuntimeError(WEBHOOK_SECRET_MESSAGE)
        if self.running:
            raise RuntimeError("This Updater is already running!")
        if not self._initialized:
            raise RuntimeError("This Updater was not initialized via `Updater.initialize`!")
        await self._housekeeping()  # pending rows first, as in polling
        server = web.Application()
        server.router.add_post("/" + url_path.lstrip("/"), self._webhook_handler(secret_token))
        runner = web.AppRunner(server, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, listen, port).start()
        self._site = runner
        self._running = True
        self.rt.health.intake_running = True
        await self.bot.set_webhook(
            url=webhook_url or f"http://{listen}:{port}/{url_path.lstrip('/')}",
            allowed_updates=list(allowed_updates) if allowed_updates else None,
            drop_pending_updates=drop_pending_updates,
            secret_token=secret_token,
            max_connections=max_connections,
        )
        self._task = asyncio.create_task(self._webhook_housekeeping(), name="trustline-intake")
        return self.update_queue

    def _webhook_handler(self, secret: str) -> Callable[[web.Request], Awaitable[web.Response]]:
        expected = secret.encode()

        async def handle(request: web.Request) -> web.Response:
            given = request.headers.get(SECRET_HEADER, "").encode()
            if not hmac.compare_digest(given, expected):  # constant time: no guessing byte by byte
                return web.Response(status=403)
            try:
                update = Update.de_json(json.loads(await request.read()), self.bot)
            except (ValueError, TypeError, KeyError):
                return web.Response(status=400)
            if update is None:
                return web.Response(status=400)
            try:
                new = await self._record([update])
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                await self._hold([update], exc)
                return web.Response(status=503)  # Telegram keeps it and retries
            if self.rt.outage.active:
                self.rt.outage.end(len(new))
            await self._dispatch(new)
            return web.Response(status=200)

        return handle

    async def _webhook_housekeeping(self) -> None:
        while self.running:
            await self._sleep(2.0)
            try:
                await self._housekeeping()
            except Exception as exc:
                if not is_unavailable(exc):
                    raise
                self.rt.outage.begin(exc)

    # --- stopping --------------------------------------------------------------------------

    async def stop(self) -> None:
        if not self.running:
            raise RuntimeError("This Updater is not running!")
        self._running = False
        self.rt.health.intake_running = False
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None
        if self._site is not None:
            await self._site.cleanup()
            self._site = None
        with contextlib.suppress(Exception):  # leave nothing unmarked that could be marked
            if self._unmarked:
                await self.rt.db.run(inbox.mark_handled, sorted(self._unmarked))


WEBHOOK_SECRET_MESSAGE = (
    "telegram.webhook_secret is required when telegram.mode = 'webhook': without it anyone who "
    "finds the webhook URL can post forged updates. Set [telegram] webhook_secret or "
    "TRUSTLINE_TELEGRAM__WEBHOOK_SECRET to a random string (1-256 of A-Z, a-z, 0-9, _ and -), "
    "e.g. `openssl rand -hex 32`."
)


def _next(backoff: float) -> float:
    return min(MAX_BACKOFF, max(0.5, backoff * 2))
