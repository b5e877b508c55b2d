"""Evaluate and calibrate the whole text pipeline on labelled messages (``trustline model eval|calibrate``).

Input: JSONL, one message per line with at least ``text``; optional ``id``, ``lang`` and the labels
of the police-feedback dev set format (``sentiment``, ``topics``, ``sensitive``, ``emergency``,
``needs_followup``). Every message goes through the same two paths as in the bot: the rules
(:func:`nlp.analysis.analyse`) and the configured sentiment backend (``nlp.backends.load_sentiment_scorer``),
then the sentiment-assisted alert rule (``with_sentiment`` at ``nlp.emergency_model_threshold``).

Figures per language (and ``all``), each only where the gold field is present:

* sentiment: macro-F1 (and accuracy) over negative/neutral/positive;
* topics, sensitive, emergency: the one definition of each metric, :mod:`nlp.evaluation`
  (``evaluate_topics``, ``evaluate_sensitive``, ``evaluate_alerts``), applied to the bot's own
  decisions: topics micro P/R/F1 over the nine topics; sensitive = ``TextAnalysis.sensitive``;
  emergency recall = share of gold ``emergency``/``self_harm`` messages that raise an emergency or
  self-harm alert after the sentiment-assisted rule and the worker-stage safety head (``nlp.safety``,
  unless ``nlp.safety_head = "off"``), false-alert rate = share of the other messages that do;
  advised recall / false-advise rate: the same for "the resident gets the emergency number" (alert or
  advice, at receive time or from the worker).

Calibration (:func:`calibrate_followup`, :func:`calibrate_alert_threshold`) proposes the score cuts
that reach a target recall with the fewest flagged messages.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.labels import SENTIMENTS
from nlp.metrics import classification_metrics
from nlp.settings import NlpSettings

ALERT_KINDS: tuple[str, ...] = ("emergency", "self_harm", "misconduct")
_SENT_ID = {s: i for i, s in enumerate(SENTIMENTS)}


class EvalDataError(ValueError):
    """The evaluation file cannot be read."""


@dataclass(frozen=True)
class Prediction:
    """What the pipeline says about one message (the ``--json`` line)."""

    id: str
    lang: str
    label: str
    score: float
    topics: tuple[str, ...]
    sensitive: bool
    alerts: tuple[str, ...]
    borderline: tuple[str, ...] = ()  # kinds one borderline cue away from an alert (for calibration)
    alert_scores: tuple[tuple[str, float], ...] = ()
    analysis: Any = field(default=None, compare=False, repr=False)  # the TextAnalysis, sentiment applied

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "score": round(self.score, 4), "topics": list(self.topics),
                "sensitive": self.sensitive, "alerts": list(self.alerts)}


def load_rows(path: str | Path, lang: str | None = None) -> list[dict[str, Any]]:
    """Rows of a JSONL file; each must be an object with a string ``text``. Missing ``id``: line number.

    Other files are read as labelled sentiment data (:func:`nlp.data.load_labelled`: TSV, CSV, XLM-T...)
    with ``sentiment`` from their labels. ``lang`` fills in rows without a ``lang``.
    """
    path = Path(path)
    if path.suffix.lower() != ".jsonl":
        from nlp.data import DataFormatError, load_labelled

        try:
            data = load_labelled(path)
        except DataFormatError as exc:
            raise EvalDataError(str(exc)) from exc
        return [{"id": str(i + 1), "text": t, "sentiment": SENTIMENTS[y], **({"lang": lang} if lang else {})}
                for i, (t, y) in enumerate(zip(data.texts, data.labels, strict=True))]
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise EvalDataError(f"cannot read {path}: {exc}") from exc
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise EvalDataError(f"{path}:{n}: not JSON ({exc})") from exc
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise EvalDataError(f"{path}:{n}: each line must be an object with a string 'text'")
        row.setdefault("id", str(n))
        if lang:
            row.setdefault("lang", lang)
        rows.append(row)
    if not rows:
        raise EvalDataError(f"{path} has no rows")
    return rows


def predict(
    rows: Sequence[dict[str, Any]], score: Callable[[list[str]], Sequence[Any]], settings: NlpSettings
) -> list[Prediction]:
    """Run rules + sentiment on every row, as the bot does (``score`` = a scorer's ``score``)."""
    from nlp.analysis import analyse
    from nlp.safety import verdict_from_flags

    texts = [r["text"] for r in rows]
    results = list(score(texts)) if texts else []
    out = []
    for row, result in zip(rows, results, strict=True):
        analysis = analyse(row["text"], row.get("lang"), settings=settings)
        # the worker-stage safety head's verdict rides on the result as flags, as it does into storage
        verdict = verdict_from_flags(getattr(result, "flags", ()) or ())
        assessed = analysis.with_sentiment(result.score, settings.emergency_model_threshold).with_safety(verdict)
        topics = tuple(t for t in analysis.topics if t != "other")
        alerts = tuple(k for k in ALERT_KINDS if k in assessed.emergency.kinds)
        out.append(Prediction(
            id=str(row["id"]), lang=str(row.get("lang") or "?"), label=result.label, score=float(result.score),
            topics=topics, sensitive=assessed.sensitive, alerts=alerts,
            borderline=tuple(analysis.emergency.borderline),
            alert_scores=tuple((k, float(analysis.emergency.scores.get(k, 0.0))) for k in ALERT_KINDS),
            analysis=assessed,
        ))
    return out


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def sentiment_figures(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    m = classification_metrics([_SENT_ID[g] for g in gold], [_SENT_ID[p] for p in pred], [0, 1, 2])
    return {"n": m.n, "macro_f1": m.macro_f1, "accuracy": m.accuracy}


def evaluate(rows: Sequence[dict[str, Any]], preds: Sequence[Prediction]) -> dict[str, dict[str, Any]]:
    """Figures per language and for ``all`` (see module docstring)."""
    from nlp.evaluation import evaluate_alerts, evaluate_sensitive, evaluate_topics

    langs = sorted({p.lang for p in preds})
    # The metric functions take records and a predictor; the predictions are already made.
    records = [{**r, "lang": p.lang, "text": str(i)} for i, (r, p) in enumerate(zip(rows, preds, strict=True))]
    made = [p.analysis for p in preds]

    def recorded(text: str, lang: str | None) -> Any:
        return made[int(text)]

    labelled = {
        "topics": [r for r in records if isinstance(r.get("topics"), list)],
        "sensitive": [r for r in records if isinstance(r.get("sensitive"), bool)],
        "emergency": [r for r in records if isinstance(r.get("emergency"), str)],
    }
    topics = evaluate_topics(labelled["topics"], recorded).per_language if labelled["topics"] else {}
    sensitive = evaluate_sensitive(labelled["sensitive"], recorded).per_language if labelled["sensitive"] else {}
    alerts = evaluate_alerts(labelled["emergency"], recorded).per_language if labelled["emergency"] else {}
    report: dict[str, dict[str, Any]] = {}
    for lang in [*langs, "all"] if len(langs) > 1 else langs:
        pairs = [(r, p) for r, p in zip(rows, preds, strict=True) if lang == "all" or p.lang == lang]
        figures: dict[str, Any] = {"n": len(pairs)}
        s = [(r["sentiment"], p.label) for r, p in pairs if r.get("sentiment") in _SENT_ID]
        if s:
            figures["sentiment"] = sentiment_figures(*zip(*s, strict=True))
        if lang in topics:
            t = topics[lang]
            figures["topics"] = {"n": t.n, "precision": t.precision, "recall": t.recall, "f1": t.f1}
        if lang in sensitive:
            v = sensitive[lang]
            figures["sensitive"] = {"n": v.n, "recall": v.recall if v.positives else None,
                                    "precision": v.precision if v.predicted else None}
        if lang in alerts:
            a = alerts[lang]
            figures["emergency"] = {"n": a.n, "urgent": a.urgent, "recall": a.alert_recall if a.urgent else None,
                                    "advised_recall": a.advised_recall if a.urgent else None,
                                    "false_alert_rate": a.false_alert_rate if a.calm else None,
                                    "false_advise_rate": a.false_advise_rate if a.calm else None}
        report[lang] = figures
    return report


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def format_report(report: dict[str, dict[str, Any]]) -> list[str]:
    """A fixed-width table: one line per language."""
    head = ("lang     n  sent-F1  topic-P  topic-R topic-F1  sens-R   sens-P   emerg-R  false-alert"
            "  advised-R  false-advise")
    lines = [head]
    for lang, f in report.items():
        s, t, v, e = (f.get(k, {}) for k in ("sentiment", "topics", "sensitive", "emergency"))
        cells = [s.get("macro_f1"), t.get("precision"), t.get("recall"), t.get("f1"), v.get("recall"),
                 v.get("precision"), e.get("recall"), e.get("false_alert_rate"), e.get("advised_recall"),
                 e.get("false_advise_rate")]
        lines.append(f"{lang:5s}{f['n']:5d}  " + "  ".join(f"{_fmt(c):>7s}" for c in cells))
    return lines


# --- calibration -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """A proposed threshold and what it gives on the calibration data."""

    name: str  # the setting, e.g. "followup.negative_score_threshold"
    value: float
    recall: float | None
    precision: float | None
    flagged: int
    positives: int
    reached: bool  # whether the target recall was reached
    note: str = ""


def _grid() -> list[float]:
    return [round(-1.0 + i / 100, 2) for i in range(0, 201)]


def calibrate_followup(scores: Sequence[float], gold: Sequence[bool], target_recall: float = 0.9) -> Proposal:
    """Most negative cut ``t`` (fewest follow-ups) such that ``score <= t`` recalls ``target_recall`` of gold."""
    positives = sum(gold)
    best = None
    for t in _grid():
        flagged = [s <= t for s in scores]
        tp = sum(1 for f, g in zip(flagged, gold, strict=True) if f and g)
        recall = _ratio(tp, positives)
        if recall is not None and recall >= target_recall:
            best = Proposal("followup.negative_score_threshold", t, recall, _ratio(tp, sum(flagged)), sum(flagged), positives, True)
            break
    if best is None:
        tp = sum(1 for s, g in zip(scores, gold, strict=True) if g)
        return Proposal("followup.negative_score_threshold", 1.0, _ratio(tp, positives), _ratio(tp, len(scores)),
                        len(scores), positives, False, "no labelled follow-up needs in the data" if not positives else "")
    return best


def calibrate_alert_threshold(preds: Sequence[Prediction], gold: Sequence[str], target_recall: float = 0.9) -> Proposal:
    """Most negative ``nlp.emergency_model_threshold`` at which rule + sentiment alerts reach ``target_recall``.

    Only borderline messages change with the threshold (definite cues alert regardless). When the
    target cannot be reached by any threshold (the rules miss the message altogether), the proposal
    is the threshold with the best recall and the fewest false alerts, and ``reached`` is False.
    """
    from nlp.emergency import ALERT_AT, MODEL_ASSISTED_ALERT_AT

    urgent = {"emergency", "self_harm"}

    def alerts_at(p: Prediction, t: float) -> set[str]:
        scores = dict(p.alert_scores)
        return {k for k in urgent if scores.get(k, 0) >= ALERT_AT or (scores.get(k, 0) >= MODEL_ASSISTED_ALERT_AT and p.score <= t)}

    positives = sum(1 for g in gold if g in urgent)
    options = []
    for t in [x for x in _grid() if x <= 0.0]:
        hits = sum(1 for p, g in zip(preds, gold, strict=True) if g in urgent and g in alerts_at(p, t))
        flagged = sum(1 for p in preds if alerts_at(p, t))
        true_flagged = sum(1 for p, g in zip(preds, gold, strict=True) if g in urgent and alerts_at(p, t))
        options.append(Proposal("nlp.emergency_model_threshold", t, _ratio(hits, positives), _ratio(true_flagged, flagged),
                                flagged, positives, bool(positives) and hits / positives >= target_recall))
    reached = [o for o in options if o.reached]
    if reached:
        return reached[0]
    top = max((o.recall or 0.0) for o in options)
    best = next(o for o in options if (o.recall or 0.0) == top)
    return Proposal(best.name, best.value, best.recall, best.precision, best.flagged, best.positives, False,
                    "target recall not reachable: the rules miss some urgent messages whatever the sentiment")


def calibration_record(proposals: Sequence[Proposal], data: str, model: str, revision: str, target: float) -> dict[str, Any]:
    """What ``model calibrate --write`` stores (``trustline-calibration.json``), shown by ``model info``."""
    from datetime import UTC, datetime

    return {
        "calibrated_at": datetime.now(UTC).isoformat(timespec="seconds"), "data": data, "model": model,
        "revision": revision, "target_recall": target,
        "thresholds": {p.name: {"value": p.value, "recall": p.recall, "precision": p.precision, "flagged": p.flagged,
                                "positives": p.positives, "reached": p.reached} for p in proposals},
    }


def toml_lines(proposals: Sequence[Proposal]) -> list[str]:
    """Lines to paste into the config file, grouped by section."""
    lines: list[str] = []
    for section in ("followup", "nlp"):
        items = [p for p in proposals if p.name.startswith(section + ".")]
        if items:
            lines.append(f"[{section}]")
            lines += [f"{p.name.split('.', 1)[1]} = {p.value:g}" for p in items]
    return lines
