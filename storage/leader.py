"""One Telegram-facing process per bot token; a second `trustline run` waits as a hot standby.

Telegram allows one ``getUpdates`` consumer per token (a second gets 409 Conflict) and splitting
conversations between processes would split their state. On PostgreSQL the process that fetches
updates holds a session-level advisory lock on a dedicated connection; the lock dies with the
connection, so when that process dies the standby's next try (every few seconds) takes over.
On SQLite, which is single-host anyway, an exclusive ``flock`` beside the database file does the
same.
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
            self.conn = psycopg.connect(self.url, autocommit=True, application_name=_me()[:63], connect_timeout=5)
        got = self.conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, self.key)).fetchone()[0]
        return bool(got)

    def holder(self) -> str:
        row = self.conn.execute(
            "SELECT a.application_name, a.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s",
            (LOCK_CLASS, self.key),
        ).fetchone()
        return row[0] if row and row[0] else "unknown process"

    def release(self) -> None:
        if self.conn is not None and not self.conn.closed:
            self.conn.close()  # ends the session, and the lock with it


class _FileLock:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def try_acquire(self) -> bool:
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

    def holder(self) -> str:
        try:
            return self.path.read_text().strip() or "unknown process"
        except OSError:
            return "unknown process"

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


def _lock_for(db_url: str, token: str) -> _PostgresLock | _FileLock | None:
    url = make_url(db_url)
    if url.get_backend_name() == "postgresql":
        return _PostgresLock(db_url, token)
    if url.database and url.database != ":memory:":
        return _FileLock(Path(url.database + ".run-lock"))
    return None


@contextlib.contextmanager
def telegram_connection(db_url: str, token: str, *, poll_seconds: float = STANDBY_POLL_SECONDS) -> Iterator[None]:
    """Block until this process may talk to Telegram (logging why it waits), hold it until exit."""
    lock = _lock_for(db_url, token)
    if lock is None:
        yield
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
        yield
    finally:
        lock.release()
