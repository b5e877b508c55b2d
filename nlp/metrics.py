"""Classification metrics without scikit-learn (which Trustline does not depend on)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Metrics:
    """Accuracy and macro averages over ``classes`` (the gold classes that are evaluated).

    Predictions outside ``classes`` (e.g. "neutral" on a binary set) simply count as wrong: they lower
    accuracy and recall and are nobody's precision.
    """

    n: int
    accuracy: float
    macro_f1: float
    macro_recall: float
    per_class_f1: dict[int, float]
    confusion: dict[tuple[int, int], int]  # (gold, predicted) -> count


def classification_metrics(gold: Sequence[int], predicted: Sequence[int], classes: Sequence[int]) -> Metrics:
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted differ in length")
    n = len(gold)
    confusion: dict[tuple[int, int], int] = {}
    for g, p in zip(gold, predicted, strict=True):
        confusion[(g, p)] = confusion.get((g, p), 0) + 1
    f1s: dict[int, float] = {}
    recalls: list[float] = []
    for c in classes:
        tp = confusion.get((c, c), 0)
        gold_c = sum(v for (g, _), v in confusion.items() if g == c)
        pred_c = sum(v for (_, p), v in confusion.items() if p == c)
        recall = tp / gold_c if gold_c else 0.0
        precision = tp / pred_c if pred_c else 0.0
        f1s[c] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        recalls.append(recall)
    correct = sum(v for (g, p), v in confusion.items() if g == p)
    return Metrics(
        n=n,
        accuracy=correct / n if n else 0.0,
        macro_f1=sum(f1s.values()) / len(f1s) if f1s else 0.0,
        macro_recall=sum(recalls) / len(recalls) if recalls else 0.0,
        per_class_f1=f1s,
        confusion=confusion,
    )
