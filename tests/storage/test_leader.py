"""The Telegram connection lock (storage/leader.py) knows when it was lost and can be taken back."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.leader import Lease, telegram_connection
from tests.support.process import terminate_lock_connection

TOKEN = "123456:TEST-TOKEN"


def _kill_lock_connection(db_url: str) -> None:
    """What a PostgreSQL restart, an idle timeout or an operator does to the lock's session."""
    assert terminate_lock_connection(db_url, os.getpid()), "no lock connection found"


def lose(lease: Lease, db_url: str) -> None:
    if make_url(db_url).get_backend_name() == "postgresql":
        _kill_lock_connection(db_url)
    else:  # the flock cannot die on its own; a deleted lock file is the way to lose it
        Path(make_url(db_url).database + ".run-lock").unlink()  # type: ignore[operator]


def test_a_lease_notices_its_lock_is_gone_and_takes_it_back_when_free(db_url: str) -> None:
    with telegram_connection(db_url, TOKEN) as lease:
        assert lease is not None
        assert lease.still_held()
        lose(lease, db_url)
        assert not lease.still_held()
        assert not lease.still_held()  # and stays so: no reconnect behind our back
        assert lease.reacquire()
        assert lease.still_held()


def test_a_lease_lost_to_another_process_is_not_taken_back(db_url: str) -> None:
    with telegram_connection(db_url, TOKEN) as lease:
        assert lease is not None
        lose(lease, db_url)
        with contextlib.ExitStack() as other:
            taken = other.enter_context(telegram_connection(db_url, TOKEN, poll_seconds=0.05))
            assert taken is not None and taken.still_held()
            assert not lease.reacquire()
            assert f"pid={os.getpid()}" in lease.holder()  # the other one (same pid here: one test process)
        assert lease.reacquire()  # released: free again


def test_an_in_memory_database_has_nothing_to_share() -> None:
    with telegram_connection("sqlite://", TOKEN) as lease:
        assert lease is None
