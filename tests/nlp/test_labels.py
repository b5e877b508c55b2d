"""Label -> polarity mapping and score/label computation (no model needed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.labels import LabelMapping, UnknownLabelsError, mapping_from_id2label


def test_three_class_model_maps_negative_neutral_positive_in_any_order_and_case() -> None:
    mapping = mapping_from_id2label({"0": "Positive", "1": "NEGATIVE", "2": "Neutral"})
    assert mapping.polarity == (1.0, -1.0, 0.0)


def test_abbreviated_three_class_labels_are_recognised() -> None:
    assert mapping_from_id2label({0: "NEG", 1: "NEU", 2: "POS"}).polarity == (-1.0, 0.0, 1.0)


def test_two_class_model_maps_negative_to_minus_one_and_positive_to_plus_one() -> None:
    assert mapping_from_id2label({0: "NEGATIVE", 1: "POSITIVE"}).polarity == (-1.0, 1.0)


def test_five_star_model_maps_one_star_to_minus_one() -> None:
    mapping = mapping_from_id2label({0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"})
    assert mapping.polarity == (-1.0, -0.5, 0.0, 0.5, 1.0)


def test_five_class_word_labels_map_very_negative_to_minus_one() -> None:
    labels = {0: "Very Negative", 1: "Negative", 2: "Neutral", 3: "Positive", 4: "Very_Positive"}
    assert mapping_from_id2label(labels).polarity == (-1.0, -0.5, 0.0, 0.5, 1.0)


def test_generic_label_names_are_refused_with_a_hint_to_set_label_polarity() -> None:
    with pytest.raises(UnknownLabelsError) as err:
        mapping_from_id2label({0: "LABEL_0", 1: "LABEL_1"})
    assert "nlp.label_polarity" in str(err.value)
    assert "LABEL_0" in str(err.value)


def test_unknown_label_names_are_refused() -> None:
    with pytest.raises(UnknownLabelsError, match="label_polarity"):
        mapping_from_id2label({0: "joy", 1: "anger", 2: "fear"})


def test_two_labels_that_are_both_negative_are_refused() -> None:
    with pytest.raises(UnknownLabelsError):
        mapping_from_id2label({0: "negative", 1: "neg"})


def test_override_gives_generic_labels_a_meaning_case_insensitively() -> None:
    mapping = mapping_from_id2label({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, {"label_0": -1, "LABEL_1": 0, "Label_2": 1})
    assert mapping.polarity == (-1.0, 0.0, 1.0)
    assert mapping.scheme.startswith("configured")


def test_override_must_cover_every_model_label() -> None:
    with pytest.raises(UnknownLabelsError, match="LABEL_2"):
        mapping_from_id2label({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, {"LABEL_0": -1, "LABEL_1": 1})


def test_override_naming_a_label_the_model_lacks_is_refused() -> None:
    with pytest.raises(UnknownLabelsError, match="does not have"):
        mapping_from_id2label({0: "neg", 1: "pos"}, {"neg": -1, "pos": 1, "meh": 0})


def test_override_wins_over_recognised_names() -> None:
    mapping = mapping_from_id2label({0: "negative", 1: "positive"}, {"negative": -0.5, "positive": 0.5})
    assert mapping.polarity == (-0.5, 0.5)


def test_score_is_expected_polarity() -> None:
    mapping = LabelMapping(("negative", "neutral", "positive"), (-1.0, 0.0, 1.0), "3")
    assert mapping.score([0.2, 0.3, 0.5]) == pytest.approx(0.3)


def test_argmax_label_follows_the_most_probable_class() -> None:
    mapping = LabelMapping(("negative", "neutral", "positive"), (-1.0, 0.0, 1.0), "3")
    assert mapping.label([0.45, 0.1, 0.45]) == "negative"  # tie -> lowest index
    assert mapping.label([0.3, 0.4, 0.3]) == "neutral"


def test_score_strategy_calls_mixed_messages_neutral() -> None:
    mapping = LabelMapping(("negative", "neutral", "positive"), (-1.0, 0.0, 1.0), "3")
    assert mapping.label([0.45, 0.1, 0.45], "score") == "neutral"
    assert mapping.label([0.7, 0.1, 0.2], "score", 1 / 3) == "negative"


def test_five_star_argmax_two_stars_is_negative() -> None:
    mapping = mapping_from_id2label({0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"})
    assert mapping.label([0.1, 0.5, 0.2, 0.1, 0.1]) == "negative"
    assert mapping.label([0.1, 0.1, 0.5, 0.2, 0.1]) == "neutral"


@given(st.lists(st.floats(min_value=0, max_value=1), min_size=5, max_size=5).filter(lambda v: sum(v) > 0))
def test_score_of_any_distribution_lies_in_minus_one_to_one(values: list[float]) -> None:
    mapping = mapping_from_id2label({0: "1 star", 1: "2 stars", 2: "3 stars", 3: "4 stars", 4: "5 stars"})
    total = sum(values)
    probs = [v / total for v in values]
    assert -1.0 <= mapping.score(probs) <= 1.0
