"""Measure the receive-time rules against labelled messages: alerts, sensitivity and topics.

Pure functions over plain records (``dict``s as read from a JSONL file), so the same code serves
the benchmark script (``bench/eval_rules.py``), tests on tiny synthetic records and a CLI.

A record has ``text`` and ``lang`` and, optionally, the labels of the police-feedback set
(``../shared/data/police-feedback/README.md``): ``emergency`` ("none" | "emergency" |
"self_harm"), ``sensitive`` (bool) and ``topics`` (list of topic names). Records without the
label an evaluation needs are skipped by that evaluation. Every result carries figures per
language plus an ``"all"`` row.

Predictions come from :class:`nlp.analysis.Analyser` unless a ``predict`` callable is given
(``text, lang -> TextAnalysis``), e.g. to evaluate a configured analyser or a model-assisted one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nlp.analysis import Analyser, TextAnalysis
from nlp.topics import TOPICS

Record = Mapping[str, Any]
Predict = Callable[[str, "str | None"], TextAnalysis]

ALL = "all"
URGENT_LABELS = frozenset({"emergency", "self_harm"})


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _predictor(predict: Predict | None) -> Predict:
    if predict is not None:
        return predict
    analyser = Analyser()
    return analyser.analyse


def _by_language(rows: Iterable[tuple[str, Any]]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for lang, row in rows:
        grouped.setdefault(lang, []).append(row)
        grouped.setdefault(ALL, []).append(row)
    return grouped


# --- emergencies and self-harm ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AlertFigures:
    """Emergency/self-harm detection for one language.

    ``urgent`` messages are those labelled emergency or self_harm, ``calm`` the others.
    *alert* = the duty chat is alerted (confident); *advised* = the resident at least gets the
    emergency number (alert or the cheaper ``advise`` level). A hit counts whichever urgent kind
    fired; ``self_harm_recall`` is the share of self-harm messages that got a self-harm response.
    """

    n: int
    urgent: int
    calm: int
    alert_recall: float
    advised_recall: float
    false_alert_rate: float
    false_advise_rate: float
    self_harm: int
    self_harm_recall: float


@dataclass(frozen=True, slots=True)
class AlertReport:
    per_language: dict[str, AlertFigures]


def _urgent_kinds(analysis: TextAnalysis) -> tuple[set[str], set[str]]:
    """(kinds alerted, kinds alerted or advised) among emergency/self_harm."""
    e = analysis.emergency
    alerted = set(e.kinds) & URGENT_LABELS
    advised = alerted | (set(getattr(e, "advise", ())) & URGENT_LABELS)
    return alerted, advised


def evaluate_alerts(records: Sequence[Record], predict: Predict | None = None) -> AlertReport:
    """Per-language recall and false-alert rate of the emergency/self-harm rules."""
    run = _predictor(predict)
    rows = []
    for r in records:
        if "emergency" not in r:
            continue
        alerted, advised = _urgent_kinds(run(r["text"], r.get("lang")))
        rows.append((r.get("lang") or "?", (r["emergency"], alerted, advised)))
    out: dict[str, AlertFigures] = {}
    for lang, items in _by_language(rows).items():
        urgent = [(g, a, v) for g, a, v in items if g in URGENT_LABELS]
        calm = [(g, a, v) for g, a, v in items if g not in URGENT_LABELS]
        sh = [(g, a, v) for g, a, v in items if g == "self_harm"]
        out[lang] = AlertFigures(
            n=len(items),
            urgent=len(urgent),
            calm=len(calm),
            alert_recall=_ratio(sum(1 for _, a, _ in urgent if a), len(urgent)),
            advised_recall=_ratio(sum(1 for _, _, v in urgent if v), len(urgent)),
            false_alert_rate=_ratio(sum(1 for _, a, _ in calm if a), len(calm)),
            false_advise_rate=_ratio(sum(1 for _, _, v in calm if v), len(calm)),
            self_harm=len(sh),
            self_harm_recall=_ratio(sum(1 for _, _, v in sh if "self_harm" in v), len(sh)),
        )
    return AlertReport(out)


# --- sensitive complaints --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BinaryFigures:
    """Precision/recall of a yes/no decision for one language."""

    n: int
    positives: int
    predicted: int
    true_positives: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True, slots=True)
class SensitiveReport:
    per_language: dict[str, BinaryFigures]


def binary_figures(pairs: Sequence[tuple[bool, bool]]) -> BinaryFigures:
    """Figures for ``(gold, predicted)`` pairs."""
    pos = sum(1 for g, _ in pairs if g)
    pred = sum(1 for _, p in pairs if p)
    tp = sum(1 for g, p in pairs if g and p)
    precision, recall = _ratio(tp, pred), _ratio(tp, pos)
    return BinaryFigures(len(pairs), pos, pred, tp, precision, recall, _f1(precision, recall))


def evaluate_sensitive(records: Sequence[Record], predict: Predict | None = None) -> SensitiveReport:
    """Per-language precision/recall of ``TextAnalysis.sensitive`` against the ``sensitive`` label."""
    run = _predictor(predict)
    rows = [
        (r.get("lang") or "?", (bool(r["sensitive"]), bool(run(r["text"], r.get("lang")).sensitive)))
        for r in records
        if "sensitive" in r
    ]
    return SensitiveReport({lang: binary_figures(pairs) for lang, pairs in _by_language(rows).items()})


# --- topics ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TopicFigures:
    """Micro-averaged topic tagging over ``topics`` for one language, plus each topic's figures."""

    n: int
    precision: float
    recall: float
    f1: float
    per_topic: dict[str, BinaryFigures]


@dataclass(frozen=True, slots=True)
class TopicReport:
    per_language: dict[str, TopicFigures]


def evaluate_topics(
    records: Sequence[Record], predict: Predict | None = None, topics: Sequence[str] = TOPICS
) -> TopicReport:
    """Per-language micro precision/recall/F1 over ``topics`` (``other`` and unknown names ignored)."""
    run = _predictor(predict)
    wanted = set(topics)
    rows = []
    for r in records:
        if "topics" not in r:
            continue
        gold = set(r["topics"]) & wanted
        pred = set(run(r["text"], r.get("lang")).topics) & wanted
        rows.append((r.get("lang") or "?", (gold, pred)))
    out: dict[str, TopicFigures] = {}
    for lang, items in _by_language(rows).items():
        per_topic = {t: binary_figures([(t in g, t in p) for g, p in items]) for t in topics}
        tp = sum(f.true_positives for f in per_topic.values())
        precision = _ratio(tp, sum(f.predicted for f in per_topic.values()))
        recall = _ratio(tp, sum(f.positives for f in per_topic.values()))
        out[lang] = TopicFigures(len(items), precision, recall, _f1(precision, recall), per_topic)
    return TopicReport(out)


# --- splits ----------------------------------------------------------------------------------------


def is_held_out(record: Record, folds: int = 3) -> bool:
    """Deterministic split by id: records whose id number is divisible by ``folds`` are held out.

    Rules are developed on the rest; the held-out third is only measured. Ids look like ``d-17``;
    ids without a number fall back to a stable hash of the id.
    """
    ident = str(record.get("id", ""))
    digits = "".join(ch for ch in ident.rsplit("-", 1)[-1] if ch.isdigit())
    number = int(digits) if digits else sum(ident.encode())
    return number % folds == 0


def split(records: Sequence[Record], folds: int = 3) -> tuple[list[Record], list[Record]]:
    """(development part, held-out part) of ``records``; see :func:`is_held_out`."""
    dev = [r for r in records if not is_held_out(r, folds)]
    held = [r for r in records if is_held_out(r, folds)]
    return dev, held
