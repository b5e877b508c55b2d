"""Helpers for the scoring tests (no tests here): stored messages, fake scorers, waiting."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import select

from storage import feedback as store
from storage.db import Database
from storage.models import FeedbackMessage, MessageScore

_telegram_ids = itertools.count(1)


def add_messages(db: Database, texts: Sequence[str], *, received_at: datetime | None = None, resident: str = "r1") -> list[int]:
    """Store ``texts`` as one resident's feedback messages (all 'pending'); returns their ids."""

    def add(session: Any) -> list[int]:
        res = store.record_consent(session, resident, "en")
        sub = store.current_submission(session, res.id) or store.open_submission(session, res.id, unit_id=None)
        ids = []
        for text in texts:
            stored = store.store_message(
                session, sub, telegram_message_id=next(_telegram_ids), text=text,
                redacted_text=text, topics=[], flags=[], received_at=received_at,
            )
            ids.append(stored.message_id)
        return ids

    return db.call(add)


def message(db: Database, message_id: int) -> FeedbackMessage | None:
    return db.call(lambda s: s.get(FeedbackMessage, message_id))


def scores(db: Database) -> list[MessageScore]:
    return db.call(lambda s: list(s.exec(select(MessageScore).order_by(MessageScore.id)).all()))


def statuses(db: Database) -> dict[int, str]:
    return db.call(lambda s: {m.id: m.score_status for m in s.exec(select(FeedbackMessage)).all()})


@dataclass(frozen=True)
class FakeResult:
    score: float
    label: str
    probabilities: dict[str, float] = field(default_factory=dict)


class FakeScorer:
    """Scores by keyword; texts containing ``poison`` raise. Records every call (thread-safe)."""

    def __init__(self, revision: str = "rev-1", name: str = "fake-model", delay: float = 0.0, poison: str = "POISON") -> None:
        self.model_name, self.revision, self.delay, self.poison = name, revision, delay, poison
        self.calls: list[list[str]] = []
        self.fail_all = False
        self._lock = threading.Lock()

    def score(self, texts: Sequence[str]) -> list[FakeResult]:
        with self._lock:
            self.calls.append(list(texts))
        if self.delay:
            time.sleep(self.delay)
        if self.fail_all or any(self.poison in t for t in texts):
            raise RuntimeError("model exploded")
        out = []
        for t in texts:
            value = -0.8 if "bad" in t else 0.8 if "good" in t else 0.0
            label = "negative" if value < 0 else "positive" if value > 0 else "neutral"
            out.append(FakeResult(value, label, {"negative": 0.1, "neutral": 0.1, "positive": 0.8}))
        return out

    @property
    def scored_texts(self) -> list[str]:
        with self._lock:
            return [t for call in self.calls for t in call]


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, interval: float = 0.05) -> None:
    """Poll ``predicate`` (which may touch the database) without blocking the event loop."""
    deadline = time.monotonic() + timeout
    while True:
        if await asyncio.to_thread(predicate):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(interval)


class FakeSafety:
    """A stand-in for ``nlp.safety.SafetyScorer``: texts containing a key get that verdict."""

    def __init__(self, verdicts: dict[str, Any], fail: bool = False) -> None:
        self.verdicts, self.fail = verdicts, fail

    def assess(self, texts: Sequence[str]) -> list[Any]:
        from nlp.safety import SafetyVerdict

        if self.fail:
            raise RuntimeError("safety head exploded")
        return [next((v for k, v in self.verdicts.items() if k in t), SafetyVerdict()) for t in texts]
