"""The sentiment work queue: which messages need a score, and writing scores back.

The queue is the ``feedbackmessage`` table itself, so nothing is lost when the bot crashes or the
model is down: a message needs scoring while

* ``score_status = 'pending'`` (new or edited messages; first priority, oldest first), or
* ``score_status = 'scored'`` but ``scored_revision`` is not the running model's revision
  (a model change; second priority, so a re-scoring backlog never delays new messages).

Exactly once per revision, several processes: on PostgreSQL :func:`claim` locks the rows it returns
with ``SELECT ... FOR UPDATE SKIP LOCKED``; the caller keeps that transaction open while the model
runs (~0.1-1 s per batch) and writes the scores in it, so the lock *is* the claim. Another worker
skips locked rows, and once the first commits the rows no longer match the queue condition. A
crashed worker's connection dies and its locks with it, so there is no claim to expire. On SQLite
(single process) the claim is a plain read and :func:`record_scores` re-checks each row before
writing, so an edit or a /forget that happened while the model ran is never overwritten.

Every function takes an open session and leaves committing to the caller (``Database``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from storage import rollups
from storage.models import FeedbackMessage, MessageScore, utcnow

log = logging.getLogger(__name__)

PENDING, SCORED, FAILED = "pending", "scored", "failed"


class ScoreLike(Protocol):
    """What :func:`record_scores` needs from a result (``nlp.scorer.SentimentResult`` fits)."""

    @property
    def score(self) -> float: ...
    @property
    def label(self) -> str: ...
    @property
    def probabilities(self) -> Mapping[str, float]: ...


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message taken from the queue: its id and the exact text that is scored."""

    message_id: int
    text: str
    stale: bool  # already scored by another revision (a re-score, not a first score)


def scoring_text(row: FeedbackMessage) -> str:
    """The original text while retained, else the redacted copy (after privacy.retention_days)."""
    return row.text if row.text is not None else row.redacted_text


def _stale_condition(revision: str, max_attempts: int | None):  # type: ignore[no-untyped-def]
    condition = (
        (col(FeedbackMessage.score_status) == SCORED)
        & col(FeedbackMessage.scored_revision).is_not(None)
        & (col(FeedbackMessage.scored_revision) != revision)
    )
    if max_attempts is not None:  # a re-score that keeps failing keeps its older score
        condition = condition & (col(FeedbackMessage.score_attempts) < max_attempts)
    return condition


def claim(
    session: Session,
    revision: str,
    limit: int,
    *,
    include_stale: bool = True,
    since: datetime | None = None,
    max_attempts: int | None = None,
) -> list[Claimed]:
    """Up to ``limit`` messages that need a score from ``revision``: pending first, oldest first.

    On PostgreSQL the rows stay locked (``FOR UPDATE SKIP LOCKED``) until the session's transaction
    ends; score and :func:`record_scores` in that same transaction.
    """
    if limit <= 0:
        return []
    rows = _claim_where(session, col(FeedbackMessage.score_status) == PENDING, limit, since)
    if include_stale and len(rows) < limit:
        rows += _claim_where(session, _stale_condition(revision, max_attempts), limit - len(rows), since)
    return [
        Claimed(r.id, scoring_text(r), r.score_status == SCORED)  # type: ignore[arg-type]
        for r in rows
    ]


def _claim_where(session: Session, condition, limit: int, since: datetime | None) -> list[FeedbackMessage]:  # type: ignore[no-untyped-def]
    query = select(FeedbackMessage).where(condition)
    if since is not None:
        query = query.where(col(FeedbackMessage.received_at) >= since)
    # id order is arrival order and rides the (score_status, id) index.
    query = query.order_by(col(FeedbackMessage.id)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.exec(query).all())


def record_scores(
    session: Session,
    model_name: str,
    revision: str,
    scored: Sequence[tuple[Claimed, ScoreLike]],
) -> list[int]:
    """Store one score per message for (model, revision) and the denormalised copy on the message.

    A message that vanished (/forget) or whose text changed (an edit, now pending again) since it
    was claimed is skipped. Calls ``storage.rollups.apply_scored`` in the same transaction, so the
    Trust Index rollups never disagree with the scores. Returns the ids actually written.
    """
    if not scored:
        return []
    ids = [c.message_id for c, _ in scored]
    rows = {r.id: r for r in session.exec(select(FeedbackMessage).where(col(FeedbackMessage.id).in_(ids))).all()}
    existing = {
        s.message_id: s
        for s in session.exec(
            select(MessageScore).where(
                col(MessageScore.message_id).in_(ids),
                MessageScore.model_name == model_name,
                MessageScore.model_revision == revision,
            )
        ).all()
    }
    now = utcnow()
    written: list[int] = []
    for claimed, result in scored:
        row = rows.get(claimed.message_id)
        if row is None or scoring_text(row) != claimed.text or row.score_status == FAILED:
            continue  # forgotten, edited or given up on while the model ran
        if row.score_status == SCORED and row.scored_revision == revision:
            continue  # another worker got there first (SQLite only; PostgreSQL locks prevent it)
        probabilities = {str(k): float(v) for k, v in result.probabilities.items()}
        score = existing.get(claimed.message_id)
        if score is None:
            session.add(
                MessageScore(
                    message_id=claimed.message_id,
                    model_name=model_name,
                    model_revision=revision,
                    score=float(result.score),
                    label=str(result.label),
                    probabilities=probabilities,
                    scored_at=now,
                )
            )
        else:  # an edited message re-scored by the same revision: the newest text wins
            score.score, score.label, score.probabilities, score.scored_at = (
                float(result.score), str(result.label), probabilities, now
            )
        row.score, row.score_label, row.scored_revision = float(result.score), str(result.label), revision
        # What a worker-stage classifier adds (nlp.safety flags): the Telegram-facing process reads
        # them after scoring to alert, advise and re-route; flags are only ever added here.
        extra = [str(f) for f in getattr(result, "flags", ()) or () if f not in row.flags]
        if extra:
            row.flags = [*row.flags, *dict.fromkeys(extra)]  # a new list, so the JSON column is saved
        row.score_status, row.score_attempts = SCORED, 0
        written.append(claimed.message_id)
    session.flush()
    if written:
        rollups.apply_scored(session, written)
    return written


def record_failures(session: Session, claimed: Sequence[Claimed], max_attempts: int) -> list[int]:
    """Count a failed attempt for each message; returns the ids now given up on.

    A pending message becomes 'failed' after ``max_attempts`` (and ``storage.rollups.apply_scored`` hears of it); a
    message that already has a score from an older revision keeps it (and its 'scored' status)
    but is no longer retried.
    """
    if not claimed:
        return []
    ids = [c.message_id for c in claimed]
    given_up: list[int] = []
    now_failed: list[int] = []
    for row in session.exec(select(FeedbackMessage).where(col(FeedbackMessage.id).in_(ids))).all():
        row.score_attempts += 1
        if row.score_attempts >= max_attempts:
            if row.score_status == PENDING:
                row.score_status = FAILED
                now_failed.append(row.id)  # type: ignore[arg-type]
            given_up.append(row.id)  # type: ignore[arg-type]
    session.flush()
    if now_failed:  # the rollups count a message once its fate is settled
        rollups.apply_scored(session, now_failed)
    return given_up


def requeue_failed(session: Session, since: datetime | None = None) -> int:
    """Give 'failed' messages (and stalled re-scores) a fresh set of attempts; returns how many."""
    failed = update(FeedbackMessage).where(col(FeedbackMessage.score_status) == FAILED)
    stalled = update(FeedbackMessage).where(
        col(FeedbackMessage.score_status) == SCORED, col(FeedbackMessage.score_attempts) > 0
    )
    if since is not None:
        failed = failed.where(col(FeedbackMessage.received_at) >= since)
        stalled = stalled.where(col(FeedbackMessage.received_at) >= since)
    n = session.exec(failed.values(score_status=PENDING, score_attempts=0)).rowcount  # type: ignore[call-overload]
    session.exec(stalled.values(score_attempts=0))  # type: ignore[call-overload]
    return int(n or 0)


def backlog(
    session: Session,
    revision: str,
    *,
    include_stale: bool = True,
    since: datetime | None = None,
    max_attempts: int | None = None,
) -> int:
    """How many messages need a score from ``revision`` (for progress bars and health checks)."""
    condition = col(FeedbackMessage.score_status) == PENDING
    if include_stale:
        condition = or_(condition, _stale_condition(revision, max_attempts))
    query = select(func.count()).select_from(FeedbackMessage).where(condition)
    if since is not None:
        query = query.where(col(FeedbackMessage.received_at) >= since)
    return int(session.exec(query).one())
