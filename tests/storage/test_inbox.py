"""The inbox of raw updates (storage/inbox.py): what is left to handle after a handover or a crash."""

from __future__ import annotations

from datetime import timedelta

from storage import inbox
from storage.db import Database
from storage.models import utcnow


def update(uid: int) -> dict[str, object]:
    return {"update_id": uid, "message": {"message_id": uid, "date": 0, "chat": {"id": 1, "type": "private"}, "text": "hi"}}


def test_a_redelivered_update_still_pending_is_handed_out_again_but_a_handled_one_is_not(database: Database) -> None:
    assert database.call(inbox.record, [update(1), update(2)]) == [1, 2]
    database.call(inbox.mark_handled, [1])
    # Telegram delivers both again (the process that recorded them stopped before confirming):
    # 2 was never handled, so whoever polls now must handle it; 1 was, and is not redone.
    assert database.call(inbox.record, [update(1), update(2), update(3)]) == [2, 3]


def test_only_rows_recorded_before_a_moment_count_as_orphans(database: Database) -> None:
    database.call(inbox.record, [update(10), update(11)])
    assert [u["update_id"] for u in database.call(inbox.unhandled, (), utcnow() - timedelta(seconds=20))] == []
    assert [u["update_id"] for u in database.call(inbox.unhandled, (11,), utcnow() + timedelta(seconds=1))] == [10]
