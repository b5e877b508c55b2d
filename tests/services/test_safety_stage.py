"""The safety head in the scoring worker: its verdict is stored with the score, and never blocks it."""

from __future__ import annotations

from nlp.safety import SafetyVerdict
from nlp.settings import NlpSettings
from services.scoring import SafetyStage, ScoringOptions, score_batch, with_safety
from storage.db import Database
from tests.support.scoring import FakeSafety, FakeScorer, add_messages, message


def test_the_worker_stores_the_heads_flags_beside_the_score(database: Database) -> None:
    calm, danger = add_messages(database, ["a quiet street", "she texted me help and now nothing"])
    stage = SafetyStage(FakeScorer(), FakeSafety({"texted me help": SafetyVerdict(alert=("emergency",), sensitive=True)}))
    outcome = score_batch(database, stage, ScoringOptions())
    assert sorted(outcome.scored) == [calm, danger]
    assert message(database, calm).flags == []
    stored = message(database, danger)
    assert stored.score is not None and stored.flags == ["model_alert:emergency", "sensitive", "model_sensitive"]


def test_a_failing_safety_head_still_lets_sentiment_be_stored(database: Database) -> None:
    (mid,) = add_messages(database, ["a quiet street"])
    stage = SafetyStage(FakeScorer(revision="r9"), FakeSafety({}, fail=True))
    assert stage.revision == "r9", "the head does not change the sentiment revision (no mass re-score)"
    assert score_batch(database, stage, ScoringOptions()).scored == [mid]
    assert message(database, mid).score_status == "scored" and message(database, mid).flags == []


def test_the_setting_turns_the_head_off_or_on() -> None:
    plain = FakeScorer()
    assert with_safety(plain, NlpSettings(safety_head="off")) is plain
    wrapped = with_safety(plain, NlpSettings())
    assert isinstance(wrapped, SafetyStage) and wrapped.model_name == plain.model_name
