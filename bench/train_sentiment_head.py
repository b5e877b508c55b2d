#!/usr/bin/env python
"""Train the ``embedding-head`` sentiment head shipped in ``nlp/_shipped_head.py`` and measure it.

    python bench/train_sentiment_head.py --shared ../shared [--nested] [--write] [--json out.json]

Training data (never the police-feedback dev set): XLM-T train splits of English, Spanish, French
and German (1,839 tweets each, Apache-2.0 repository), VADER's ground-truth tweets (4,200, MIT, mean
rating banded at +-0.5, rows weighted ``--vader-weight``) and the resident messages authored for the
purpose in ``bench/data/authored_feedback/`` (rows weighted ``--authored-weight``; see its README).

Recipes (``--recipe``): ``ensemble`` (shipped): USE-multilingual embeddings + lexicon features x
``--lexicon-scale`` into the mean of ``--members`` one-hidden-layer networks (``--hidden`` units,
seeded, one torch thread: reproducible); ``linear``: the earlier multinomial logistic regression
(L2 ``--l2``, L-BFGS from zeros), kept for comparison.

Reported, macro-F1 per language:

* XLM-T validation splits (324 tweets per language; disjoint from the train splits; not used to
  choose anything);
* the police-feedback dev set (``dev.jsonl``), never trained on;
* ``--nested``: dev figures when the authored-data weight and the hidden size are chosen by nested
  5-fold CV on dev (each fold's choice made on the other four folds; the heads never see dev);
* ``--cv K``: a K-fold "agency-labelled" variant (the other folds of dev added to the training data)
  to show what an agency gains by labelling its own messages (``trustline model train-head``).

Embeddings are cached on disk (``--cache``, default ``/tmp/trustline-usem3-cache.npz``), keyed by a
hash of the prepared text, so re-runs skip the encoder (the slow part: ~57 texts/s/core).
``--write`` regenerates ``nlp/_shipped_head.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.data import load_labelled  # noqa: E402
from nlp.head import features, fit_ensemble, fit_head, load_encoder, predict_proba  # noqa: E402
from nlp.metrics import classification_metrics  # noqa: E402
from nlp.topics import TOPICS  # noqa: E402

LANGS = {"en": "english", "es": "spanish", "fr": "french", "de": "german"}
LABEL_ID = {"negative": 0, "neutral": 1, "positive": 2}
ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "nlp" / "_shipped_head.py"
AUTHORED = ROOT / "bench" / "data" / "authored_feedback"
SENTIMENT_CODES = {"neg": 0, "neu": 1, "pos": 2}
TOPIC_CODES = {
    "R": "respect", "T": "response_time", "C": "communication", "F": "fairness_bias", "S": "safety",
    "X": "traffic", "U": "use_of_force", "M": "misconduct_allegation", "P": "praise",
}
NESTED_GRID = [(aw, hidden) for aw in (1.0, 2.0, 4.0, 8.0) for hidden in (32, 64)]


def load_authored(folder: Path = AUTHORED) -> list[dict[str, Any]]:
    """Rows of ``<lang>.tsv``: ``sentiment<TAB>topic codes<TAB>text`` (see the folder's README)."""
    rows = []
    for path in sorted(folder.glob("*.tsv")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            sentiment, codes, text = line.split("\t")
            topics = [] if codes == "-" else [TOPIC_CODES[c] for c in codes.split(",")]
            if sentiment not in SENTIMENT_CODES or not set(topics) <= set(TOPICS) or not text.strip():
                raise ValueError(f"{path}:{n}: bad row")
            rows.append({"lang": path.stem, "text": text, "label": SENTIMENT_CODES[sentiment], "topics": topics})
    return rows


class CachedEncoder:
    """The USE encoder behind an on-disk cache keyed by sha1 of the (prepared) text."""

    def __init__(self, path: Path) -> None:
        import numpy as np

        self.path, self.store, self._encode = path, {}, None
        if path.is_file():
            data = np.load(path)
            self.store = dict(zip((str(k) for k in data["keys"]), data["vecs"], strict=True))

    def __call__(self, texts: list[str]) -> Any:
        import numpy as np

        keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in self.store))
        if missing:
            self._encode = self._encode or load_encoder()
            for i in range(0, len(missing), 256):
                chunk = missing[i : i + 256]
                for t, v in zip(chunk, np.asarray(self._encode(chunk), dtype=np.float32), strict=True):
                    self.store[hashlib.sha1(t.encode()).hexdigest()] = v
            tmp = self.path.with_name(self.path.name + ".tmp.npz")
            np.savez(tmp, keys=np.array(list(self.store)), vecs=np.stack(list(self.store.values())))
            os.replace(tmp, self.path)
        return np.stack([self.store[k] for k in keys])


def macro_f1(gold: list[int], pred: list[int]) -> float:
    return round(classification_metrics(gold, pred, [0, 1, 2]).macro_f1, 3)


def argmax(rows: list[list[float]]) -> list[int]:
    return [max(range(3), key=r.__getitem__) for r in rows]


def per_language(gold: list[int], pred: list[int], langs: list[str]) -> dict[str, float]:
    return {
        c: macro_f1([g for g, lang in zip(gold, langs, strict=True) if lang == c],
                    [p for p, lang in zip(pred, langs, strict=True) if lang == c])
        for c in LANGS
    }


def main() -> None:  # noqa: PLR0915 - a linear benchmark script
    import numpy as np

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--recipe", choices=("ensemble", "linear"), default="ensemble")
    ap.add_argument("--members", type=int, default=5)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--l2", type=float, default=3e-4, help="linear recipe only")
    ap.add_argument("--lexicon-scale", type=float, default=4.0)
    ap.add_argument("--vader-weight", type=float, default=0.25)
    ap.add_argument("--authored-weight", type=float, default=8.0, help="0 = leave the authored messages out")
    ap.add_argument("--cv", type=int, default=0, help="folds for the agency-labelled variant (0 = skip)")
    ap.add_argument("--nested", action="store_true",
                    help=f"also report dev figures with (authored weight, hidden) chosen by nested 5-fold CV on dev ({len(NESTED_GRID)} extra fits)")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/trustline-usem3-cache.npz"))
    ap.add_argument("--write", action="store_true", help="regenerate nlp/_shipped_head.py")
    ap.add_argument("--json", type=Path, help="write the figures here")
    args = ap.parse_args()

    started = time.monotonic()
    encode = CachedEncoder(args.cache)
    scale = args.lexicon_scale
    xlmt = args.shared / "data" / "sentiment" / "xlm-t"
    vader = load_labelled(args.shared / "data" / "sentiment" / "vader-ground-truth" / "tweets_GroundTruth.txt")
    authored = load_authored()
    base_parts, base_y = [], []
    for lang in LANGS.values():
        ds = load_labelled(xlmt / lang / "train_text.txt")
        base_parts.append(features(ds.texts, encode, scale))
        base_y += ds.labels
    base_parts.append(features(vader.texts, encode, scale))
    base_y += vader.labels
    base_w = [1.0] * (len(base_y) - len(vader.labels)) + [args.vader_weight] * len(vader.labels)
    base_x = np.concatenate(base_parts)
    ax = features([r["text"] for r in authored], encode, scale)
    ay = [r["label"] for r in authored]

    def train(authored_weight: float, hidden: int, extra: tuple[Any, list[int]] | None = None, info: dict | None = None):  # noqa: ANN202
        parts, y, w = [base_x], list(base_y), list(base_w)
        if authored_weight > 0:
            parts.append(ax)
            y += ay
            w += [authored_weight] * len(ay)
        if extra is not None:
            parts.append(extra[0])
            y += extra[1]
            w += [1.0] * len(extra[1])
        x = np.concatenate(parts)
        if args.recipe == "linear":
            return fit_head(x, y, l2=args.l2, sample_weight=w, lexicon_scale=scale, info=info)
        return fit_ensemble(x, y, sample_weight=w, members=args.members, hidden=hidden, epochs=args.epochs,
                            lexicon_scale=scale, info=info)

    sources = [f"xlm-t/{lang}/train_text.txt" for lang in LANGS.values()] + [
        f"vader-ground-truth/tweets_GroundTruth.txt (weight {args.vader_weight})"
    ]
    if args.authored_weight > 0:
        sources.append(f"bench/data/authored_feedback/*.tsv ({len(ay)} messages, weight {args.authored_weight})")
    recipe: dict[str, Any] = {"recipe": args.recipe, "lexicon_scale": scale, "vader_weight": args.vader_weight,
                              "authored_weight": args.authored_weight}
    if args.recipe == "linear":
        recipe |= {"l2": args.l2, "solver": "L-BFGS, float64, from zeros"}
    else:
        recipe |= {"members": args.members, "hidden": args.hidden, "epochs": args.epochs,
                   "solver": "AdamW lr 1e-3, weight decay 1e-3, dropout 0.2, batch 128, seeds 0..members-1"}
    info = {"data": sources, "rows": len(base_y) + (len(ay) if args.authored_weight > 0 else 0), "recipe": recipe,
            "script": "bench/train_sentiment_head.py"}
    head = train(args.authored_weight, args.hidden, info=info)

    figures: dict[str, dict[str, float]] = {"xlmt_val": {}, "dev": {}, "dev_nested": {}, "dev_cv_agency": {}}
    for code, lang in LANGS.items():
        val = load_labelled(xlmt / lang / "val_text.txt")
        figures["xlmt_val"][code] = macro_f1(val.labels, argmax(predict_proba(head, features(val.texts, encode, scale))))

    dev_path = args.shared / "data" / "police-feedback" / "dev.jsonl"
    rows = [json.loads(line) for line in dev_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    dx = features([r["text"] for r in rows], encode, scale)
    dy = [LABEL_ID[r["sentiment"]] for r in rows]
    langs = [r["lang"] for r in rows]
    figures["dev"] = per_language(dy, argmax(predict_proba(head, dx)), langs)
    order = list(range(len(rows)))
    random.Random(0).shuffle(order)
    folds = [set(order[k::5]) for k in range(5)]

    if args.nested:
        preds = {}
        for cfg in NESTED_GRID:
            preds[cfg] = argmax(predict_proba(train(*cfg), dx))
            print(f"  grid authored_weight={cfg[0]:g} hidden={cfg[1]}: dev {per_language(dy, preds[cfg], langs)}", flush=True)
        final = [0] * len(rows)
        for k, test in enumerate(folds):
            inner = [i for i in range(len(rows)) if i not in test]

            def criterion(cfg: tuple[float, int], inner: list[int] = inner) -> float:
                scores = per_language([dy[i] for i in inner], [preds[cfg][i] for i in inner], [langs[i] for i in inner])
                return float(np.mean(list(scores.values())))

            best = max(NESTED_GRID, key=criterion)
            print(f"fold {k}: chose authored_weight={best[0]:g} hidden={best[1]}")
            for i in test:
                final[i] = preds[best][i]
        figures["dev_nested"] = per_language(dy, final, langs)

    if args.cv:
        cv_pred = [0] * len(rows)
        for k in range(args.cv):
            test = set(order[k :: args.cv])
            tr = [i for i in range(len(rows)) if i not in test]
            h = train(args.authored_weight, args.hidden, extra=(dx[tr], [dy[i] for i in tr]))
            te = sorted(test)
            for i, p in zip(te, argmax(predict_proba(h, dx[te])), strict=True):
                cv_pred[i] = p
        figures["dev_cv_agency"] = per_language(dy, cv_pred, langs)

    for name, values in figures.items():
        if values:
            print(f"{name:14s} " + "  ".join(f"{k} {v:.3f}" for k, v in values.items()))
    print(f"head {head.revision}, {time.monotonic() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"revision": head.revision, "figures": figures, "info": info}, indent=2) + "\n")
    if args.write:
        info["figures"] = {"xlmt_val_macro_f1": figures["xlmt_val"], "dev_macro_f1": figures["dev"]}
        if figures["dev_nested"]:
            info["figures"]["dev_nested_cv_macro_f1"] = figures["dev_nested"]
        body = json.dumps(head.as_dict(), ensure_ascii=False, separators=(",", ":"))
        SHIPPED.write_text(
            '"""The sentiment head shipped with Trustline (backend "embedding-head").\n\n'
            "Generated by bench/train_sentiment_head.py --write; do not edit. Weights only: no training text.\n"
            '"""\n\nimport json\n\nHEAD = json.loads(\n    ' + json.dumps(body) + "\n)\n",
            encoding="utf-8",
        )
        print(f"wrote {SHIPPED} ({SHIPPED.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
