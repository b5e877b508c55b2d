"""The exactly-once digest ledger: claims, interrupted sends, releases."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from storage import digests as ledger
from storage.db import Database
from storage.models import StaffChat


def _chat(database: Database, chat_id: int = -100) -> ledger.ChatTarget:
    def add(session):  # type: ignore[no-untyped-def]
        row = StaffChat(chat_id=chat_id, title="HQ", scope_kind="agency")
        session.add(row)
        session.flush()
        return ledger.ChatTarget(row.id, chat_id, "HQ", "agency", None, "en")  # type: ignore[arg-type]

    return database.call(add)


def test_a_period_and_chat_can_be_claimed_once(database: Database) -> None:
    target = _chat(database)
    first = database.call(ledger.claim, "weekly", "2026-W47", target, "host:1")
    again = database.call(ledger.claim, "weekly", "2026-W47", target, "host:2")
    daily = database.call(ledger.claim, "daily", "2026-11-23", target, "host:2")
    assert first is not None and again is None and daily is not None


def test_two_processes_claiming_at_once_get_one_claim(database: Database, db_url: str) -> None:
    target = _chat(database)
    others = [Database(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(others))
    results: list[int | None] = []

    def race(db: Database) -> None:
        barrier.wait()
        results.append(db.call(ledger.claim, "weekly", "2026-W47", target, "racer"))

    threads = [threading.Thread(target=race, args=(db,)) for db in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for db in others:
        db.dispose()
    assert sorted(r is not None for r in results) == [False, False, False, True]


def test_an_interrupted_send_is_reported_once_and_released_only_by_hand(database: Database) -> None:
    target = _chat(database)
    t0 = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    run_id = database.call(ledger.claim, "weekly", "2026-W47", target, "host:1", t0)
    database.call(ledger.record_message, run_id, 11)
    assert database.call(ledger.expire_stale_claims, timedelta(minutes=30), t0 + timedelta(minutes=10)) == []
    [stale] = database.call(ledger.expire_stale_claims, timedelta(minutes=30), t0 + timedelta(minutes=31))
    assert (stale.status, stale.message_ids, stale.error) == ("failed", [11], ledger.INTERRUPTED)
    database.call(ledger.mark_admins_told, [stale.id])
    assert database.call(ledger.expire_stale_claims, timedelta(minutes=30), t0 + timedelta(hours=2)) == []
    assert database.call(ledger.claim, "weekly", "2026-W47", target, "host:2") is None, "never resent by itself"
    assert database.call(ledger.release, "weekly", "2026-W47", target.chat_id)
    assert database.call(ledger.claim, "weekly", "2026-W47", target, "host:2") is not None


def test_a_sent_digest_cannot_be_released(database: Database) -> None:
    target = _chat(database)
    run_id = database.call(ledger.claim, "weekly", "2026-W47", target, "host:1")
    database.call(ledger.finish, run_id)
    assert not database.call(ledger.release, "weekly", "2026-W47", target.chat_id)


@pytest.mark.parametrize("kind", ["weekly", "daily"])
def test_runs_are_listed_newest_first(database: Database, kind: str) -> None:
    target = _chat(database)
    database.call(ledger.claim, kind, "A", target, "h")
    database.call(ledger.claim, kind, "B", target, "h")
    assert [r.period for r in database.call(ledger.list_runs, kind=kind)] == ["B", "A"]
