"""The scoring queue in the database: what needs a score, and how scores are written back.

Runs on SQLite and PostgreSQL (``database`` fixture).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage import rollups
from storage import scoring as queue
from storage.db import Database
from storage.models import FeedbackMessage
from tests.support.scoring import FakeResult, add_messages, message, scores

GOOD = FakeResult(0.9, "positive", {"negative": 0.0, "neutral": 0.1, "positive": 0.9})
BAD = FakeResult(-0.7, "negative", {"negative": 0.8, "neutral": 0.1, "positive": 0.1})


def claim(db: Database, revision: str = "r1", limit: int = 10, **kw: Any) -> list[queue.Claimed]:
    return db.call(queue.claim, revision, limit, **kw)


def record(db: Database, claimed: list[queue.Claimed], result: FakeResult = GOOD, revision: str = "r1") -> list[int]:
    return db.call(queue.record_scores, "model-a", revision, [(c, result) for c in claimed])


def test_new_messages_are_claimed_oldest_first_up_to_the_limit(database: Database) -> None:
    ids = add_messages(database, ["one", "two", "three"])
    claimed = claim(database, limit=2)
    assert [c.message_id for c in claimed] == ids[:2]
    assert [c.text for c in claimed] == ["one", "two"]
    assert not any(c.stale for c in claimed)


def test_a_scored_message_leaves_the_queue_with_its_score_on_the_message(database: Database) -> None:
    (mid,) = add_messages(database, ["kind officer"])
    assert record(database, claim(database)) == [mid]
    row = message(database, mid)
    assert row is not None
    assert (row.score_status, row.score, row.score_label, row.scored_revision) == ("scored", 0.9, "positive", "r1")
    (score,) = scores(database)
    assert (score.message_id, score.model_name, score.model_revision, score.label) == (mid, "model-a", "r1", "positive")
    assert score.probabilities == GOOD.probabilities
    assert claim(database) == []
    assert database.call(queue.backlog, "r1") == 0


def test_a_new_model_revision_rescores_after_new_messages_and_keeps_both_scores(database: Database) -> None:
    old = add_messages(database, ["old message"])
    record(database, claim(database, "r1"))
    new = add_messages(database, ["new message"])
    claimed = claim(database, "r2", limit=1)
    assert [c.message_id for c in claimed] == new, "new messages come before re-scores"
    claimed = claim(database, "r2")
    assert [(c.message_id, c.stale) for c in claimed] == [(new[0], False), (old[0], True)]
    assert claim(database, "r2", include_stale=False) == [queue.Claimed(new[0], "new message", False)]
    record(database, claimed, BAD, revision="r2")
    assert sorted((s.message_id, s.model_revision) for s in scores(database)) == [
        (old[0], "r1"), (old[0], "r2"), (new[0], "r2")
    ]
    assert message(database, old[0]).scored_revision == "r2"  # type: ignore[union-attr]
    assert claim(database, "r2") == []


def test_an_edited_message_is_rescored_once_for_the_same_revision(database: Database) -> None:
    (mid,) = add_messages(database, ["first text"])
    record(database, claim(database))

    def edit(session: Any) -> None:
        row = session.get(FeedbackMessage, mid)
        row.text, row.redacted_text, row.score_status, row.scored_revision = "edited text", "edited text", "pending", None

    database.call(edit)
    (claimed,) = claim(database)
    assert claimed.text == "edited text"
    record(database, [claimed], BAD)
    (score,) = scores(database)
    assert (score.message_id, score.label, score.score) == (mid, "negative", -0.7)


def test_an_edit_or_forget_while_the_model_runs_is_not_overwritten(database: Database) -> None:
    edited, forgotten, kept = add_messages(database, ["before edit", "to forget", "kept"])
    claimed = claim(database)

    def meanwhile(session: Any) -> None:
        row = session.get(FeedbackMessage, edited)
        row.text, row.score_status = "after edit", "pending"
        session.delete(session.get(FeedbackMessage, forgotten))

    database.call(meanwhile)
    assert record(database, claimed) == [kept]
    assert message(database, edited).score_status == "pending"  # type: ignore[union-attr]
    assert [c.text for c in claim(database)] == ["after edit"]


def test_purged_text_is_scored_from_its_redacted_copy(database: Database) -> None:
    (mid,) = add_messages(database, ["call me on 555-0100"])

    def purge(session: Any) -> None:
        row = session.get(FeedbackMessage, mid)
        row.text, row.redacted_text = None, "call me on [phone]"

    database.call(purge)
    assert [c.text for c in claim(database)] == ["call me on [phone]"]


def test_failed_attempts_are_counted_and_a_message_gives_up_after_the_limit(database: Database) -> None:
    (mid,) = add_messages(database, ["poison"])
    for attempt in (1, 2):
        assert database.call(queue.record_failures, claim(database), 3) == []
        assert message(database, mid).score_attempts == attempt  # type: ignore[union-attr]
    assert database.call(queue.record_failures, claim(database), 3) == [mid]
    assert message(database, mid).score_status == "failed"  # type: ignore[union-attr]
    assert claim(database) == []
    assert database.call(queue.requeue_failed) == 1
    row = message(database, mid)
    assert (row.score_status, row.score_attempts) == ("pending", 0)  # type: ignore[union-attr]


def test_a_rescore_that_keeps_failing_keeps_the_older_score(database: Database) -> None:
    (mid,) = add_messages(database, ["fine"])
    record(database, claim(database, "r1"))
    for _ in range(2):
        database.call(queue.record_failures, claim(database, "r2", max_attempts=2), 2)
    row = message(database, mid)
    assert (row.score_status, row.scored_revision, row.score) == ("scored", "r1", 0.9)  # type: ignore[union-attr]
    assert claim(database, "r2", max_attempts=2) == []
    assert database.call(queue.backlog, "r2", max_attempts=2) == 0


def test_backlog_and_claims_can_be_limited_to_messages_since_a_date(database: Database) -> None:
    now = datetime.now(UTC)
    add_messages(database, ["last month"], received_at=now - timedelta(days=30))
    recent = add_messages(database, ["yesterday"], received_at=now - timedelta(days=1))
    since = now - timedelta(days=7)
    assert database.call(queue.backlog, "r1") == 2
    assert database.call(queue.backlog, "r1", since=since) == 1
    assert [c.message_id for c in claim(database, since=since)] == recent


def test_the_rollups_see_the_new_scores_in_the_same_transaction(database: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[list[int], list[str | None]]] = []

    def apply_scored(session: Any, message_ids: list[int]) -> None:
        rows = [session.get(FeedbackMessage, i) for i in message_ids]
        seen.append((message_ids, [r.score_label for r in rows]))

    monkeypatch.setattr(rollups, "apply_scored", apply_scored)
    ids = add_messages(database, ["a", "b"])
    record(database, claim(database))
    assert seen == [(ids, ["positive", "positive"])]


def test_postgres_claims_skip_rows_another_worker_holds(database: Database) -> None:
    if not database.is_postgres:
        pytest.skip("row locks are a PostgreSQL feature; SQLite runs a single worker")
    ids = add_messages(database, ["a", "b", "c"])
    with database.session() as first:
        held = queue.claim(first, "r1", 2)
        assert [c.message_id for c in held] == ids[:2]
        with database.session() as second:
            assert [c.message_id for c in queue.claim(second, "r1", 10)] == ids[2:]
