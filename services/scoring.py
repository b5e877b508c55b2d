"""The background sentiment worker: residents get their acknowledgement at once, scores follow.

The resident handler stores a message (``score_status = 'pending'``), answers, and calls
:meth:`ScoringWorker.wake`. The worker - one asyncio task per bot process - then:

1. waits for a wake-up, or ``poll_seconds`` (so rows left by a crash, a model outage or another
   process are found even when nobody wakes it);
2. gives more messages until ``nlp.batch_wait_ms`` after the first one arrived to join it, unless a
   full batch (``nlp.batch_size``) is already there;
3. in a worker thread (never on the event loop): claims what is pending (up to ``claim_batches``
   forward batches), runs the model (the scorer sorts them by length and pads each forward batch
   only to its own longest member), writes the scores and commits; on PostgreSQL all three happen
   in one transaction whose ``FOR UPDATE SKIP LOCKED`` row locks are the claim (see
   :mod:`storage.scoring`);
4. calls ``on_scored`` with the newly scored ids (the bot passes ``bot.jobs.after_scoring``: alerts,
   then follow-ups, through ``runtime.hooks``).

A batch that fails is retried message by message so one bad message cannot block the others;
each failure counts an attempt and a message is marked 'failed' after ``max_attempts`` (it is
re-queued at the next start-up and by ``trustline rescore``). Database or model outages never end
the task: it logs, backs off (1 s doubling to 60 s) and tries again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from storage import scoring as queue
from storage.db import Database, is_unavailable

if TYPE_CHECKING:
    from nlp.settings import NlpSettings
    from services.health import Metrics

log = logging.getLogger(__name__)

OnScored = Callable[[list[int]], Awaitable[Any]]


class Scorer(Protocol):
    """What the worker needs from :class:`nlp.scorer.SentimentScorer` (tests pass fakes)."""

    @property
    def model_name(self) -> str: ...
    @property
    def revision(self) -> str: ...
    def score(self, texts: Sequence[str]) -> Sequence[queue.ScoreLike]: ...


@dataclass(frozen=True)
class ScoringOptions:
    batch_size: int = 32  # messages per forward pass (nlp.batch_size)
    batch_wait_ms: int = 50
    # Rows claimed per transaction, in forward batches. The scorer sorts what it is given by
    # length and pads each forward batch only to its own longest text; that only pays off when
    # it can choose among more texts than one batch holds (on short messages one batch of 32
    # is padded to ~2.5x its mean length; see docs/performance.md). At low traffic claims are
    # small anyway, so this costs no latency.
    claim_batches: int = 8
    # Fixed here rather than in [nlp] (owned by the NLP settings): they only tune the worker.
    poll_seconds: float = 5.0  # look for left-over work this often even without wake-ups
    max_attempts: int = 5  # failed scoring attempts before a message is marked 'failed'
    max_backoff_seconds: float = 60.0
    stale_recheck_seconds: float = 600.0  # see ScoringWorker._stale_due
    # `trustline worker`: tell the Telegram-facing process what was scored (PostgreSQL NOTIFY),
    # since the after-scoring steps (alerts, follow-ups) send Telegram messages from there.
    announce_scored: bool = False

    @classmethod
    def from_settings(cls, nlp: NlpSettings, **overrides: Any) -> ScoringOptions:
        return cls(**{"batch_size": nlp.batch_size, "batch_wait_ms": nlp.batch_wait_ms, **overrides})

    @property
    def claim_limit(self) -> int:
        return self.batch_size * self.claim_batches


@dataclass
class BatchOutcome:
    claimed: int = 0
    scored: list[int] = field(default_factory=list)  # ids written in this batch
    first_scores: list[int] = field(default_factory=list)  # of those, new or edited messages
    failed: int = 0  # messages whose attempt failed this time
    given_up: list[int] = field(default_factory=list)  # ids marked 'failed' (or no longer retried)


# --- one batch, synchronous (worker thread or CLI) ---------------------------------------------


def score_batch(
    db: Database,
    scorer: Scorer,
    options: ScoringOptions,
    *,
    include_stale: bool = True,
    since: datetime | None = None,
) -> BatchOutcome:
    """Claim, score and store one batch. Blocking: call it off the event loop."""
    revision = scorer.revision
    claim_kw: dict[str, Any] = {"include_stale": include_stale, "since": since, "max_attempts": options.max_attempts}
    if db.is_postgres:
        # One transaction: the row locks taken by the claim are held while the model runs.
        with db.session() as session:
            claimed = queue.claim(session, revision, options.claim_limit, **claim_kw)
            if not claimed:
                return BatchOutcome()
            ok, bad = _score(scorer, claimed)
            return _store(session, scorer, claimed, ok, bad, options)
    # SQLite: a single process; never hold the database's only write lock while the model runs.
    with db.session() as session:
        claimed = queue.claim(session, revision, options.claim_limit, **claim_kw)
    if not claimed:
        return BatchOutcome()
    ok, bad = _score(scorer, claimed)
    with db.session() as session:
        return _store(session, scorer, claimed, ok, bad, options)


def _store(
    session: Any,
    scorer: Scorer,
    claimed: list[queue.Claimed],
    ok: list[tuple[queue.Claimed, queue.ScoreLike]],
    bad: list[queue.Claimed],
    options: ScoringOptions,
) -> BatchOutcome:
    written = queue.record_scores(session, scorer.model_name, scorer.revision, ok)
    given_up = queue.record_failures(session, bad, options.max_attempts)
    stale = {c.message_id for c in claimed if c.stale}
    return BatchOutcome(
        claimed=len(claimed),
        scored=written,
        first_scores=[i for i in written if i not in stale],
        failed=len(bad),
        given_up=given_up,
    )


def _score(
    scorer: Scorer, claimed: list[queue.Claimed]
) -> tuple[list[tuple[queue.Claimed, queue.ScoreLike]], list[queue.Claimed]]:
    """Score a batch; if it fails, score its messages one by one to find the culprit(s)."""
    try:
        results = scorer.score([c.text for c in claimed])
        if len(results) != len(claimed):
            raise RuntimeError(f"scorer returned {len(results)} results for {len(claimed)} texts")
        return list(zip(claimed, results, strict=True)), []
    except Exception:  # noqa: BLE001 - any model error: isolate it below
        if len(claimed) == 1:
            log.exception("scoring message %d failed", claimed[0].message_id)
            return [], list(claimed)
        log.warning("scoring a batch of %d failed; retrying one by one", len(claimed), exc_info=True)
    ok: list[tuple[queue.Claimed, queue.ScoreLike]] = []
    bad: list[queue.Claimed] = []
    for c in claimed:
        try:
            ok.append((c, scorer.score([c.text])[0]))
        except Exception:  # noqa: BLE001
            # Log the id only: message text never goes to logs.
            log.exception("scoring message %d failed", c.message_id)
            bad.append(c)
    return ok, bad


# --- the asyncio worker ------------------------------------------------------------------------


class ScoringWorker:
    """One per bot process; see the module docstring. ``wake()`` is cheap and never blocks."""

    def __init__(
        self,
        db: Database,
        scorer: Scorer,
        options: ScoringOptions,
        *,
        on_scored: Callable[[], OnScored | None] | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.scorer = scorer
        self.options = options
        self._on_scored = on_scored or (lambda: None)
        self._wakes = 0
        self._first_wake: float | None = None  # monotonic time of the first wake since the last claim
        self._work = asyncio.Event()  # something may be pending
        self._full = asyncio.Event()  # at least a full batch was announced
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stale_checked_at = -float("inf")
        # Counters for health checks, the benchmark and tests.
        self.scored_total = 0
        self.failed_total = 0
        self.batches = 0
        self.last_error: str | None = None
        self._db_down = False
        self.last_batch_seconds = 0.0
        self.metrics = metrics  # trustline_scoring_batch_seconds, trustline_messages_scored_total

    # public API

    def wake(self) -> None:
        """A message was stored: score it soon. Call from the event loop's thread."""
        if self._first_wake is None:
            self._first_wake = time.monotonic()
        self._wakes += 1
        self._work.set()
        if self._wakes >= self.options.batch_size:
            self._full.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="trustline-scoring")

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def stop(self, timeout: float = 30.0) -> None:
        """Finish the batch in progress (it cannot be interrupted mid-model), then end."""
        self._stop.set()
        self._work.set()
        self._full.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except TimeoutError:
            log.warning("scoring worker did not stop within %.0f s; cancelling it", timeout)
            self._task.cancel()
        self._task = None

    # the loop

    async def _run(self) -> None:
        log.info(
            "scoring worker started (model %s, revision %s, batch %d, wait %d ms)",
            self.scorer.model_name, self.scorer.revision, self.options.batch_size, self.options.batch_wait_ms,
        )
        backoff = 0.0
        while not self._stop.is_set():
            self._work.clear()
            self._full.clear()
            self._wakes = 0
            self._first_wake = None
            include_stale = self._stale_due()
            started = time.monotonic()
            try:
                outcome = await asyncio.to_thread(
                    score_batch, self.db, self.scorer, self.options, include_stale=include_stale
                )
            except Exception as exc:  # noqa: BLE001 - database down and the like: retry later
                backoff = self._next_backoff(backoff)
                self.last_error = f"{type(exc).__name__}: {exc}"
                if not is_unavailable(exc):
                    log.exception("scoring cycle failed; retrying in %.0f s", backoff)
                elif not self._db_down:  # an outage is not a bug: one line, no traceback
                    self._db_down = True
                    log.warning("scoring paused: database unreachable (%s)", type(exc).__name__)
                await self._sleep(backoff)
                continue
            if self._db_down:
                self._db_down = False
                log.info("scoring resumed: database reachable again")
            self._account(outcome, include_stale, time.monotonic() - started)
            if self.options.announce_scored and outcome.first_scores and self.db.is_postgres:
                await asyncio.to_thread(announce, self.db, SCORED_CHANNEL, outcome.first_scores)
            await self._notify(outcome.first_scores)
            if outcome.failed:
                backoff = self._next_backoff(backoff)
                await self._sleep(backoff)
                continue
            backoff = 0.0
            if outcome.claimed >= self.options.claim_limit:
                continue  # a backlog: go straight on to the next batch
            await self._wait_for_work()
        log.info("scoring worker stopped")

    def _stale_due(self) -> bool:
        """Look for re-scores (model changed) at start and then every stale_recheck_seconds.

        New messages are always 'pending'; re-scores are rare, and finding them scans the scored
        rows, so an idle worker must not do it on every poll.
        """
        return time.monotonic() - self._stale_checked_at >= self.options.stale_recheck_seconds

    def _account(self, outcome: BatchOutcome, include_stale: bool, seconds: float = 0.0) -> None:
        if include_stale and outcome.claimed < self.options.claim_limit:
            self._stale_checked_at = time.monotonic()  # drained: stop looking for a while
        if outcome.claimed:
            self.batches += 1
            self.last_batch_seconds = seconds
        self.scored_total += len(outcome.scored)
        self.failed_total += outcome.failed
        if self.metrics is not None:
            if outcome.claimed:  # an idle poll is not a batch; it would drag the histogram down
                self.metrics.scoring_batch_seconds.observe(seconds)
            self.metrics.messages_scored.labels("scored").inc(len(outcome.scored))
            self.metrics.messages_scored.labels("failed").inc(len(outcome.given_up))
        if outcome.given_up:
            log.error(
                "gave up scoring messages %s after %d attempts (re-queued at next start-up or by "
                "`trustline rescore`)", outcome.given_up, self.options.max_attempts,
            )

    async def _notify(self, message_ids: list[int]) -> None:
        hook = self._on_scored()
        if hook is None or not message_ids:
            return
        try:
            await hook(message_ids)
        except Exception:  # noqa: BLE001
            log.exception("on_scored hook failed for messages %s", message_ids)

    async def _wait_for_work(self) -> None:
        try:
            await asyncio.wait_for(self._work.wait(), self.options.poll_seconds)
        except TimeoutError:
            return  # poll: pick up rows nobody woke us for
        if self._stop.is_set() or self._full.is_set():
            return
        # Let more messages join the batch, counting from when the first one arrived: a message
        # that already waited for the previous batch is not held back again.
        first = self._first_wake if self._first_wake is not None else time.monotonic()
        remaining = first + self.options.batch_wait_ms / 1000 - time.monotonic()
        if remaining <= 0:
            return
        try:
            await asyncio.wait_for(self._full.wait(), remaining)
        except TimeoutError:
            pass

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._stop.wait(), seconds)
        except TimeoutError:
            pass

    def _next_backoff(self, current: float) -> float:
        return min(self.options.max_backoff_seconds, max(1.0, current * 2))


# --- PostgreSQL LISTEN/NOTIFY: wake workers in other processes ---------------------------------

WORK_CHANNEL = "trustline_scoring"  # a message was stored: pending work
SCORED_CHANNEL = "trustline_scored"  # payload: comma-separated ids a worker scored
_MAX_PAYLOAD_IDS = 500  # NOTIFY payloads must stay under 8000 bytes


def announce(db: Database, channel: str, ids: Sequence[int] = ()) -> None:
    """NOTIFY ``channel`` (PostgreSQL only; delivered to listeners in any process). Blocking."""
    from sqlalchemy import text

    chunks = [list(ids[i : i + _MAX_PAYLOAD_IDS]) for i in range(0, len(ids), _MAX_PAYLOAD_IDS)] or [[]]
    with db.engine.connect() as conn:
        for chunk in chunks:
            conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": ",".join(map(str, chunk))})
        conn.commit()


async def listen(
    db: Database, handlers: dict[str, Callable[[str], Any]], stop: asyncio.Event, *, max_backoff: float = 30.0
) -> None:
    """Call ``handlers[channel](payload)`` for each NOTIFY until ``stop`` is set; reconnects after
    outages (and calls every handler with "" then, since notifications may have been missed)."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
    backoff = 0.0
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True, connect_timeout=5) as conn:
                for channel in handlers:
                    await conn.execute(f'LISTEN "{channel}"')
                backoff = 0.0
                log.info("listening for NOTIFY on %s", ", ".join(handlers))
                for handler in handlers.values():
                    handler("")
                stopping = asyncio.ensure_future(stop.wait())
                gen = conn.notifies()
                while not stop.is_set():
                    nxt = asyncio.ensure_future(anext(gen))
                    done, _ = await asyncio.wait({nxt, stopping}, return_when=asyncio.FIRST_COMPLETED)
                    if nxt not in done:
                        nxt.cancel()
                        break
                    note = nxt.result()
                    handlers[note.channel](note.payload)
        except (psycopg.OperationalError, OSError) as exc:
            backoff = min(max_backoff, max(1.0, backoff * 2))
            log.info("LISTEN connection lost (%s); reconnecting in %.0f s", type(exc).__name__, backoff)
            try:
                await asyncio.wait_for(stop.wait(), backoff)
            except TimeoutError:
                pass


def parse_ids(payload: str) -> list[int]:
    return [int(p) for p in payload.split(",") if p.strip().isdigit()]


# --- loading and start-up ----------------------------------------------------------------------


def bot_nlp_settings(nlp: NlpSettings) -> NlpSettings:
    """The bot's NLP settings: unless torch_threads is set, leave one core to the event loop."""
    if nlp.torch_threads is not None:
        return nlp
    threads = max(1, (os.cpu_count() or 1) - 1)
    return nlp.model_copy(update={"torch_threads": threads})


def load_scorer(nlp: NlpSettings, *, warm_up: bool = True) -> Scorer:
    """Load the configured backend, plus the worker-stage safety head unless ``nlp.safety_head = "off"``;
    raises ``nlp.model.ModelLoadError`` with the fix in its message."""
    from nlp.backends import load_sentiment_scorer

    started = time.monotonic()
    scorer: Scorer = load_sentiment_scorer(nlp)
    scorer = with_safety(scorer, nlp)
    if warm_up:  # the first forward pass is slow (lazy kernels); don't make a resident's message pay it
        scorer.score(["warm up"])
    log.info("sentiment model ready in %.1f s", time.monotonic() - started)
    return scorer


# --- the worker-stage safety head --------------------------------------------------------------


@dataclass(frozen=True)
class FlaggedResult:
    """A sentiment result plus the flags the safety head adds (``storage.scoring.record_scores`` stores them)."""

    score: float
    label: str
    probabilities: Mapping[str, float]
    flags: tuple[str, ...] = ()


class SafetyStage:
    """A scorer that also runs :class:`nlp.safety.SafetyScorer` on each batch, in the same worker
    thread. Its revision is the sentiment model's: changing the safety head does not re-score.
    A failing safety head never blocks sentiment: the batch is stored without its flags."""

    def __init__(self, scorer: Scorer, safety: Any) -> None:
        self.scorer = scorer
        self.safety = safety

    @property
    def model_name(self) -> str:
        return self.scorer.model_name

    @property
    def revision(self) -> str:
        return self.scorer.revision

    def score(self, texts: Sequence[str]) -> list[queue.ScoreLike]:
        results = list(self.scorer.score(texts))
        try:
            verdicts = self.safety.assess(list(texts))
        except Exception:  # noqa: BLE001 - the rules already answered; sentiment must still be stored
            log.exception("the safety head failed on a batch of %d; stored without its verdicts", len(texts))
            return results
        return [FlaggedResult(r.score, r.label, r.probabilities, tuple(v.flags))
                for r, v in zip(results, verdicts, strict=True)]


def with_safety(scorer: Scorer, nlp: NlpSettings) -> Scorer:
    """Wrap ``scorer`` with the configured safety head (``nlp.safety_head``); shares the
    embedding-head backend's encoder when there is one (one encoder in memory, not two)."""
    from nlp.model import ModelLoadError
    from nlp.safety import SafetyHeadError, SafetyScorer, load_safety_head

    try:
        head = load_safety_head(nlp.safety_head)
    except SafetyHeadError as exc:
        raise ModelLoadError(f"{exc}. Fix: point nlp.safety_head at a head file, or set it to 'shipped' or 'off'.") from exc
    if head is None:
        return scorer
    return SafetyStage(scorer, SafetyScorer(head, getattr(scorer, "_encode", None), nlp))
