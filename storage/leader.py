"""One Telegram-facing process per bot token; a second `trustline run` waits as a hot standby.

Telegram allows one ``getUpdates`` consumer per token (a second gets 409 Conflict) and splitting
conversations between processes would split their state. On PostgreSQL the process that fetches
updates holds a session-level advisory lock on a dedicated connection; the lock dies with the
connection, so when that process dies the standby's next try (every few seconds) takes over.
On SQLite, which is single-host anyway, an exclusive ``flock`` beside the database file does the
same.

The lock can also be lost while its holder lives on: the lock connection is killed
(``pg_terminate_backend``, a PostgreSQL restart, an idle timeout, a network blip). The holder
checks it every few seconds, and at once when the server writes to the idle lock connection (it
does when it ends the session): see :meth:`Lease.still_held`, :meth:`Lease.fileno` and
``bot/leadership.py``. It stops fetching updates as soon as the lock is gone, so two processes
never poll side by side for long.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

LOCK_CLASS = 0x54524C  # "TRL": first key of pg_try_advisory_lock(int, int)
STANDBY_POLL_SECONDS = 3.0
# The lock connection notices a dead peer within about keepalives_idle + interval x count seconds
# of silence, and an unanswered write fails after tcp_user_timeout ms, so a check never hangs long.
_KEEPALIVE = {"keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2}
_TCP_USER_TIMEOUT_MS = 10_000


def _me() -> str:
    return f"trustline run pid={os.getpid()} host={socket.gethostname()}"


def _bot_key(token: str) -> int:
    """Second lock key: the bot id (the token's numeric prefix), so bots sharing a database don't
    block each other."""
    return int(token.split(":", 1)[0]) % 2**31


class _PostgresLock:
    def __init__(self, url: str, token: str) -> None:
        self.url = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self.key = _bot_key(token)
        self.conn: Any = None

    def try_acquire(self) -> bool:
        import psycopg

        if self.conn is None or self.conn.closed:
            self.conn = psycopg.connect(
                self.url,
                autocommit=True,
                application_name=_me()[:63],
                connect_timeout=5,
                tcp_user_timeout=_TCP_USER_TIMEOUT_MS,
                **_KEEPALIVE,
            )
        got = self.conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, self.key)).fetchone()[0]
        return bool(got)

    def still_held(self) -> bool:
        """Whether this session still holds the lock. Asks pg_locks rather than ``SELECT 1``: behind
        a pooler a reconnect could hand us a fresh session that answers but holds nothing."""
        if self.conn is None or self.conn.closed:
            return False
        try:
            row = self.conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid() AND classid = %s AND objid = %s",
                (LOCK_CLASS, self.key),
            ).fetchone()
        except Exception:  # noqa: BLE001 - any failure of this connection means the lock is gone
            self.release()
            return False
        return bool(row and row[0])

    def fileno(self) -> int | None:
        if self.conn is None or self.conn.closed:
            return None
        try:
            return int(self.conn.pgconn.socket)
        except Exception:  # noqa: BLE001 - a connection going away
            return None

    def holder(self) -> str:
        row = self.conn.execute(
            "SELECT a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s",
            (LOCK_CLASS, self.key),
        ).fetchone()
        return row[0] if row and row[0] else "unknown process"

    def release(self) -> None:
        if self.conn is not None and not self.conn.closed:
            with contextlib.suppress(Exception):
                self.conn.close()  # ends the session, and the lock with it


class _FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
        self.release()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, _me().encode())
        self.fd = fd
        return True

    def fileno(self) -> int | None:
        return None  # nothing can end a flock from outside

    def still_held(self) -> bool:
        """The flock lives as long as the descriptor; it is lost only if the file was deleted or
        replaced (another process could then lock the new file)."""
        if self.fd is None:
            return False
        try:
            return os.fstat(self.fd).st_ino == os.stat(self.path).st_ino
        except OSError:
            return False

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "unknown process"
        except OSError:
            return "unknown process"

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class Lease:
    """The right to talk to Telegram, as :func:`telegram_connection` hands it to its holder.

    Blocking calls (a database round trip at most): run them off the event loop.
    """

    def __init__(self, lock: _PostgresLock | _FileLock) -> None:
        self._lock = lock

    def still_held(self) -> bool:
        """False once the lock is gone (its connection died, or the lock file was replaced)."""
        return self._lock.still_held()

    def fileno(self) -> int | None:
        """The lock connection's socket, if any: it turns readable when the server ends the
        session (a terminated backend, a shutting-down server), so the holder can check at once."""
        return self._lock.fileno()

    def reacquire(self) -> bool:
        """Try to take the lock again on a fresh connection: True if this process holds it now,
        False if another process does. Raises while the database cannot be reached."""
        self._lock.release()
        try:
            return self._lock.try_acquire()
        except BaseException:
            self._lock.release()
            raise

    def holder(self) -> str:
        """Who holds the lock now (``trustline run pid=... host=...``), best effort."""
        try:
            return self._lock.holder()
        except Exception:  # noqa: BLE001
            return "unknown process"

    def release(self) -> None:
        self._lock.release()


def _lock_for(db_url: str, token: str) -> _PostgresLock | _FileLock | None:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        return _PostgresLock(db_url, token)
    if url.database and url.database != ":memory:":
        return _FileLock(Path(url.database + ".run-lock"))
    return None


@contextlib.contextmanager
def telegram_connection(
    db_url: str, token: str, *, poll_seconds: float = STANDBY_POLL_SECONDS
) -> Iterator[Lease | None]:
    """Block until this process may talk to Telegram (logging why it waits), hold it until exit.

    Yields the :class:`Lease` to watch (None for an in-memory database: nothing to share)."""
    lock = _lock_for(db_url, token)
    if lock is None:
        yield None
        return
    waited = False
    while True:
        try:
            if lock.try_acquire():
                break
            if not waited:
                log.warning(
                    "standby: another trustline run holds the Telegram connection (%s); waiting", lock.holder()
                )
                waited = True
        except Exception as exc:  # noqa: BLE001 - database not reachable yet: keep waiting
            log.warning("standby: cannot check the Telegram connection lock (%s); retrying", exc)
            lock.release()
        time.sleep(poll_seconds)
    if waited:
        log.warning("took over the Telegram connection (%s)", _me())
    else:
        log.info("holding the Telegram connection (%s)", _me())
    try:
        yield Lease(lock)
    finally:
        lock.release()
