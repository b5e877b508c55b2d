"""Scores that mean something: the real English model through the worker and the database.

Skipped when /work/shared/models/minilm-sentiment-en is absent.
"""

from __future__ import annotations

from typing import Any

import pytest

from nlp.settings import NlpSettings
from services.scoring import ScoringOptions, ScoringWorker, load_scorer
from storage.db import Database
from tests.support.scoring import add_messages, message, statuses, wait_until
from tests.support.tiny_models import REAL_MODEL, realmodel

pytestmark = [pytest.mark.realmodel, realmodel]


@pytest.fixture(scope="module")
def real_scorer() -> Any:
    return load_scorer(NlpSettings(model=str(REAL_MODEL), offline=True))


async def test_clearly_negative_feedback_scores_below_clearly_positive_feedback(database: Database, real_scorer: Any) -> None:
    negative, neutral_ish, positive = add_messages(
        database,
        [
            "The officer was rude, shouted at me and refused to help. Terrible.",
            "An officer came to the house on Tuesday afternoon.",
            "The officer was kind, patient and really helpful. Thank you so much!",
        ],
    )
    worker = ScoringWorker(database, real_scorer, ScoringOptions(batch_size=8, batch_wait_ms=0))
    worker.start()
    try:
        await wait_until(lambda: set(statuses(database).values()) == {"scored"}, timeout=30)
    finally:
        await worker.stop()
    neg, mid, pos = (message(database, i) for i in (negative, neutral_ish, positive))
    assert neg.score < mid.score < pos.score  # type: ignore[union-attr,operator]
    assert neg.score < -0.5 and pos.score > 0.5  # type: ignore[union-attr,operator]
    assert (neg.score_label, pos.score_label) == ("negative", "positive")  # type: ignore[union-attr]
