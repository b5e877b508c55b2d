"""The Telegram-facing process steps down when it loses its lock (see storage/leader.py).

The lock lives on one database connection. If that connection dies while the process lives on
(PostgreSQL restarted, the connection killed or timed out, a network blip) the lock is released
server-side and a standby takes over within seconds; an old leader that kept polling would make
two ``getUpdates`` consumers (409 Conflicts) and split the conversations between two processes.

:class:`LeaseWatch` checks the lock every ``interval`` seconds, and at once when the lock connection's
socket turns readable: nothing else uses that idle connection, so the server only writes to it to
end the session (``pg_terminate_backend``, a shutdown); a killed connection is then noticed within
milliseconds, long before the standby's next try. When the lock is gone it tries to take the lock
back on a fresh connection, at once and then every ``interval`` seconds:

1. got it (nobody else took over: a blip, a restart, no standby): nothing changes for residents;
2. the database cannot be reached: intake goes on while it retries. Nobody can take the lock
   while the database is down, and the inbox confirms no update it could not record, so residents
   get the outage notice ("your message is safe") and Telegram keeps their updates until the
   database is back. (If only this process is cut off while a standby reaches the database, both
   poll until this one is back: Telegram answers one of them 409 and nothing unrecorded is ever
   confirmed; a notice may be sent that the standby's answer then makes needless.);
3. another process holds it: intake stops at once and ``step_down`` is called with that process's
   name; ``trustline run`` then shuts down and exits with :data:`STEPPED_DOWN_EXIT` so that its
   supervisor (systemd ``Restart=on-failure``, Compose ``restart: unless-stopped``) starts it
   again, as the new leader's standby. A restart is cleaner than turning the running Application
   into a standby: every scheduled job and in-process worker stops with it. Handlers already
   running finish, and what was fetched is already recorded in the inbox, so nothing is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

WATCH_SECONDS = 2.0  # well under the standby's 3 s retry: the overlap, if any, is short
CHECK_TIMEOUT = 10.0  # a check that hangs this long counts as a lost connection
STEPPED_DOWN_EXIT = 75  # EX_TEMPFAIL: "try again later"; any supervisor restarts on non-zero


class LeaseLike(Protocol):
    """What the watch needs from :class:`storage.leader.Lease` (blocking calls)."""

    def still_held(self) -> bool: ...
    def reacquire(self) -> bool: ...
    def holder(self) -> str: ...
    def fileno(self) -> int | None: ...


@dataclass
class LeaseWatch:
    lease: LeaseLike
    pause: Callable[[], Awaitable[None]]  # stop fetching updates
    step_down: Callable[[str], None]  # another process holds the lock (its name)
    interval: float = WATCH_SECONDS
    check_timeout: float = CHECK_TIMEOUT

    async def run(self) -> None:
        """Watch until stepping down (returns) or cancelled."""
        while True:
            await self._wait()
            if await self._held():
                continue
            log.error("lost the Telegram connection lock (its database connection is gone); taking it back")
            holder = await self._regain()
            if holder is None:
                log.warning("got the Telegram connection lock back")
                continue
            await self.pause()  # before anything else: never two processes fetching updates
            log.error(
                "another trustline run took over the Telegram connection (%s); this process stopped "
                "fetching updates, steps down and exits so that its supervisor restarts it as the standby",
                holder,
            )
            self.step_down(holder)
            return

    async def _wait(self) -> None:
        """``interval`` seconds, or until the lock connection has something to say."""
        fd = self.lease.fileno()
        loop = asyncio.get_running_loop()
        readable = asyncio.Event()
        try:
            if fd is None:
                raise ValueError("no socket")
            loop.add_reader(fd, readable.set)
        except (ValueError, OSError, NotImplementedError):
            await asyncio.sleep(self.interval)
            return
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(readable.wait(), self.interval)
        finally:
            loop.remove_reader(fd)  # the check below reads the socket in a thread

    async def _held(self) -> bool:
        try:
            return await asyncio.wait_for(asyncio.to_thread(self.lease.still_held), self.check_timeout)
        except TimeoutError:
            log.error("the Telegram connection lock did not answer within %.0f s", self.check_timeout)
            return False

    async def _regain(self) -> str | None:
        """None once this process holds the lock again; else who holds it."""
        told = False
        while True:
            try:
                got = await asyncio.wait_for(asyncio.to_thread(self.lease.reacquire), self.check_timeout)
            except Exception as exc:  # noqa: BLE001 - database unreachable: nobody can take the lock; keep trying
                if not told:
                    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                    log.warning(
                        "cannot reach the database to take the lock back (%s); retrying, and fetching updates "
                        "goes on meanwhile (nothing is confirmed to Telegram before it is recorded)",
                        reason,
                    )
                    told = True
                await asyncio.sleep(self.interval)
                continue
            if got:
                return None
            return await asyncio.to_thread(self.lease.holder)
