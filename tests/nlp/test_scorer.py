"""Batch scoring behaviour on a tiny random model: ranges, batching invariance, empty text."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from nlp.model import load_model
from nlp.scorer import SentimentScorer, tweet_normalise
from nlp.settings import NlpSettings
from tests.support.tiny_models import tiny_model_dir, tiny_three_class_model  # noqa: F401 - fixture

TEXTS = [
    "the police officer was very rude",
    "thanks , great help today !",
    "slow",
    "they never came and we waited hours and hours and hours , it was terrible and awful and bad",
    "kind officers",
    "the car",
]


def _scorer(path: Path, **overrides: object) -> SentimentScorer:
    settings = NlpSettings(model=str(path), **overrides)
    return SentimentScorer(load_model(settings), settings)


def test_scores_lie_in_minus_one_to_one_and_probabilities_sum_to_one(tiny_three_class_model: Path) -> None:
    for result in _scorer(tiny_three_class_model).score(TEXTS):
        assert -1.0 <= result.score <= 1.0
        assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
        assert set(result.probabilities) == {"negative", "neutral", "positive"}
        assert result.label in {"negative", "neutral", "positive"}


def test_batched_scores_equal_one_by_one_scores(tiny_three_class_model: Path) -> None:
    batched = _scorer(tiny_three_class_model, batch_size=4).score(TEXTS)
    single = _scorer(tiny_three_class_model, batch_size=1)
    for text, result in zip(TEXTS, batched, strict=True):
        alone = single.score_one(text)
        assert alone.score == pytest.approx(result.score, abs=1e-5)
        for label, p in alone.probabilities.items():
            assert result.probabilities[label] == pytest.approx(p, abs=1e-5)


def test_results_come_back_in_input_order(tiny_three_class_model: Path) -> None:
    scorer = _scorer(tiny_three_class_model, batch_size=2)
    forward = scorer.score(TEXTS)
    backward = scorer.score(list(reversed(TEXTS)))
    assert [r.score for r in forward] == pytest.approx([r.score for r in reversed(backward)], abs=1e-5)


def test_empty_and_whitespace_texts_are_neutral_without_running_the_model(tiny_three_class_model: Path) -> None:
    results = _scorer(tiny_three_class_model).score(["", "   \n", "kind officers"])
    assert results[0].score == 0.0 and results[0].label == "neutral" and results[0].empty
    assert results[1].empty
    assert not results[2].empty


def test_only_empty_texts_and_no_texts_work(tiny_three_class_model: Path) -> None:
    scorer = _scorer(tiny_three_class_model)
    assert scorer.score([]) == []
    assert [r.empty for r in scorer.score(["", " "])] == [True, True]


def test_text_longer_than_max_length_is_truncated_not_rejected(tiny_three_class_model: Path) -> None:
    result = _scorer(tiny_three_class_model, max_length=16).score_one("slow " * 500)
    assert -1.0 <= result.score <= 1.0


def test_results_name_the_model_and_revision(tiny_three_class_model: Path) -> None:
    scorer = _scorer(tiny_three_class_model)
    result = scorer.score_one("kind officers")
    assert result.model == str(tiny_three_class_model.resolve())
    assert result.revision == scorer.revision and result.revision.startswith("local-")


def test_a_bare_string_is_refused_instead_of_scored_per_character(tiny_three_class_model: Path) -> None:
    with pytest.raises(TypeError):
        _scorer(tiny_three_class_model).score("kind officers")  # type: ignore[arg-type]


def test_five_star_model_scores_stay_in_range() -> None:
    scorer = _scorer(tiny_model_dir("five_stars"))
    for result in scorer.score(TEXTS):
        assert -1.0 <= result.score <= 1.0
        assert len(result.probabilities) == 5


def test_concurrent_callers_get_the_same_results_as_a_single_caller(tiny_three_class_model: Path) -> None:
    scorer = _scorer(tiny_three_class_model, batch_size=2)
    expected = [r.score for r in scorer.score(TEXTS)]
    outcomes: list[list[float]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            outcomes.append([r.score for r in scorer.score(TEXTS)])
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for got in outcomes:
        assert got == pytest.approx(expected, abs=1e-5)


async def test_score_async_runs_in_a_worker_thread(tiny_three_class_model: Path) -> None:
    scorer = _scorer(tiny_three_class_model)
    results = await scorer.score_async(TEXTS[:2])
    assert len(results) == 2
    assert asyncio.get_running_loop().is_running()


def test_tweet_normalisation_masks_handles_and_links_like_tweet_models_expect() -> None:
    assert tweet_normalise("@bob see https://x.org/a now") == "@user see http now"
