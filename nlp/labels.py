"""Map a classifier's labels to sentiment polarity, and probabilities to a score and a label.

Models name their classes in many ways. We recognise the common, self-describing conventions and
refuse to guess otherwise, because a silently wrong mapping (e.g. reading LABEL_0 as positive) would
invert every figure on the staff dashboard.

Recognised (case-insensitive, "_"/"-" treated as spaces, any order of ids):

* 2 classes: negative/positive (also neg/pos)                   -> -1, +1
* 3 classes: negative/neutral/positive (also neg/neu/pos)        -> -1, 0, +1
* 5 classes: "1 star" .. "5 stars"                               -> -1, -0.5, 0, 0.5, 1
             "very negative", "negative", "neutral", "positive", "very positive" (same values)

Generic names (LABEL_0, LABEL_1...) are *not* guessed: set ``nlp.label_polarity``. (For example,
``cardiffnlp/twitter-roberta-base-sentiment`` uses LABEL_0/1/2 for negative/neutral/positive.)

Score = expected polarity under the model's probabilities, so it lies in [-1, 1] and degrades
gracefully when the model hesitates. Label: see :data:`nlp.settings.LabelStrategy`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Sentiment = Literal["negative", "neutral", "positive"]
SENTIMENTS: tuple[Sentiment, ...] = ("negative", "neutral", "positive")


class UnknownLabelsError(ValueError):
    """The model's labels are not a recognised sentiment scheme and no override was given."""


_ALIASES: dict[str, float] = {
    "negative": -1.0,
    "neg": -1.0,
    "neutral": 0.0,
    "neu": 0.0,
    "neut": 0.0,
    "positive": 1.0,
    "pos": 1.0,
}
_FIVE_WORDS: dict[str, float] = {
    "very negative": -1.0,
    "very neg": -1.0,
    "negative": -0.5,
    "neg": -0.5,
    "neutral": 0.0,
    "neu": 0.0,
    "positive": 0.5,
    "pos": 0.5,
    "very positive": 1.0,
    "very pos": 1.0,
}
_STARS = re.compile(r"^([1-5]) stars?$")
_GENERIC = re.compile(r"^label ?\d+$")


def normalise_label(name: str) -> str:
    """Lower-case, with '_'/'-' as spaces and runs of spaces collapsed ("Very_Negative" -> "very negative")."""
    return " ".join(re.sub(r"[_\-]+", " ", str(name)).lower().split())


@dataclass(frozen=True, slots=True)
class LabelMapping:
    """Model labels in class-index order and their polarity in [-1, 1]."""

    labels: tuple[str, ...]
    polarity: tuple[float, ...]
    scheme: str  # human-readable description, shown by `trustline model info`

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.polarity) or not self.labels:
            raise ValueError("labels and polarity must be non-empty and of equal length")

    def score(self, probabilities: Sequence[float]) -> float:
        """Expected polarity: sum of p(label) * polarity(label), clamped to [-1, 1] against rounding."""
        total = sum(p * w for p, w in zip(probabilities, self.polarity, strict=True))
        return max(-1.0, min(1.0, total))

    def label(
        self,
        probabilities: Sequence[float],
        strategy: Literal["argmax", "score"] = "argmax",
        neutral_band: float = 1 / 3,
    ) -> Sentiment:
        """Negative/neutral/positive for ``probabilities``.

        ``argmax``: sign of the polarity of the most probable label (ties: lowest index), i.e. the
        decision the classifier was trained to make. ``score``: ``score`` banded at ``neutral_band``.
        """
        if strategy == "score":
            value = self.score(probabilities)
        else:
            best = max(range(len(probabilities)), key=probabilities.__getitem__)
            value = self.polarity[best]
            neutral_band = 0.0
        if value <= -neutral_band and value < 0:
            return "negative"
        if value >= neutral_band and value > 0:
            return "positive"
        return "neutral"

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.labels, self.polarity, strict=True))


def _ordered(id2label: Mapping[int | str, str]) -> tuple[str, ...]:
    try:
        items = sorted((int(k), str(v)) for k, v in id2label.items())
    except (TypeError, ValueError) as exc:
        raise UnknownLabelsError(f"id2label keys must be class indices, got {list(id2label)}") from exc
    if [i for i, _ in items] != list(range(len(items))):
        raise UnknownLabelsError(f"id2label must cover indices 0..n-1, got {[i for i, _ in items]}")
    return tuple(v for _, v in items)


def _override(labels: tuple[str, ...], override: Mapping[str, float]) -> LabelMapping:
    by_norm = {normalise_label(k): float(v) for k, v in override.items()}
    missing = [lab for lab in labels if normalise_label(lab) not in by_norm]
    if missing:
        raise UnknownLabelsError(
            f"nlp.label_polarity does not cover the model labels {missing} (model labels: {list(labels)})"
        )
    unknown = sorted(set(by_norm) - {normalise_label(lab) for lab in labels})
    if unknown:
        raise UnknownLabelsError(
            f"nlp.label_polarity names labels the model does not have: {unknown} (model labels: {list(labels)})"
        )
    pol = tuple(by_norm[normalise_label(lab)] for lab in labels)
    if any(not -1.0 <= p <= 1.0 for p in pol):
        raise UnknownLabelsError(f"nlp.label_polarity values must lie in [-1, 1], got {pol}")
    return LabelMapping(labels, pol, "configured (nlp.label_polarity)")


def _recognise(norm: tuple[str, ...]) -> tuple[tuple[float, ...], str] | None:
    n = len(norm)
    if n == 5:
        stars = [_STARS.match(x) for x in norm]
        if all(stars):
            values = [int(m.group(1)) for m in stars if m]
            if sorted(values) == [1, 2, 3, 4, 5]:
                return tuple((v - 3) / 2 for v in values), "5-class stars"
        if all(x in _FIVE_WORDS for x in norm):
            pol = tuple(_FIVE_WORDS[x] for x in norm)
            if sorted(pol) == [-1.0, -0.5, 0.0, 0.5, 1.0]:
                return pol, "5-class very negative..very positive"
        return None
    if n in (2, 3) and all(x in _ALIASES for x in norm):
        pol = tuple(_ALIASES[x] for x in norm)
        expected = [-1.0, 1.0] if n == 2 else [-1.0, 0.0, 1.0]
        if sorted(pol) == expected:
            return pol, f"{n}-class " + "/".join(SENTIMENTS if n == 3 else ("negative", "positive"))
    return None


def _fix_hint(labels: tuple[str, ...]) -> str:
    evenly = [round(-1 + 2 * i / (len(labels) - 1), 2) if len(labels) > 1 else 0.0 for i in range(len(labels))]
    pairs = ", ".join(f'"{lab}" = {p}' for lab, p in zip(labels, evenly, strict=True))
    return f"set nlp.label_polarity in the config, e.g. label_polarity = {{ {pairs} }} (check the model card for what each label means)"


def mapping_from_id2label(
    id2label: Mapping[int | str, str], override: Mapping[str, float] | None = None
) -> LabelMapping:
    """Build the label->polarity mapping for a model's ``config.id2label``.

    ``override`` (``nlp.label_polarity``) wins over recognition and must cover every label.
    Raises :class:`UnknownLabelsError` with a fix-it hint when the labels are not recognised.
    """
    labels = _ordered(id2label)
    if override:
        return _override(labels, override)
    norm = tuple(normalise_label(x) for x in labels)
    recognised = _recognise(norm)
    if recognised is not None:
        pol, scheme = recognised
        return LabelMapping(labels, pol, scheme)
    if all(_GENERIC.match(x) for x in norm):
        reason = "generic label names carry no meaning"
    else:
        reason = "these are not a recognised sentiment scheme (2-class neg/pos, 3-class neg/neu/pos, 5-class stars or very negative..very positive)"
    raise UnknownLabelsError(f"Cannot tell the polarity of model labels {list(labels)}: {reason}; {_fix_hint(labels)}.")
