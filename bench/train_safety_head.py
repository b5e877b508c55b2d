#!/usr/bin/env python
"""Train the worker-stage safety head (``nlp/_shipped_safety_head.py``) and measure rules vs rules + head.

    python bench/train_safety_head.py [--dev ../shared/data/police-feedback/dev.jsonl] [--write] [--json out.json]

Training data: ``nlp/training/safety_*.tsv`` only (messages written for the purpose; see its README),
never the police-feedback dev set. Recipe: USE-multilingual embedding + rule features
(:mod:`nlp.safety`), class-balanced logistic regressions, L2 chosen by 5-fold cross-validation on the
training data, thresholds chosen on the same out-of-fold probabilities:

* ``alert``: the lowest cut whose out-of-fold false-alert rate on calm training messages is <= 1 %;
* ``advise``: the lowest cut whose out-of-fold false-advice rate is <= 3 %;
* ``sensitive``: the highest cut that keeps out-of-fold sensitive recall >= 0.95 (when unsure, sensitive).

With ``--dev`` it prints, per language, for the rules alone and for rules + head (what the bot does):
urgent recall (resident gets the number), alert recall, false alert / false advice, sensitive R / P,
on the full dev set (honest for the head, which never saw it; optimistic for the rules, which were
written on it) and on its held-out third (``nlp.evaluation.split``). Embeddings are cached in
``--cache`` (default /tmp/trustline-safety-cache).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.analysis import Analyser  # noqa: E402
from nlp.evaluation import evaluate_alerts, evaluate_sensitive, split  # noqa: E402
from nlp.safety import SafetyHead, Thresholds, decide, features, fit, predict  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "nlp" / "training"
SHIPPED = ROOT / "nlp" / "_shipped_safety_head.py"
URGENT_ID = {"none": 0, "emergency": 1, "self_harm": 2}


def load_training() -> list[dict]:
    rows = []
    for path in sorted(TRAINING.glob("safety_*.tsv")):
        lang = path.stem.split("_", 1)[1]
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            urgent, sensitive, text = line.split("\t", 2)
            rows.append({"lang": lang, "text": text, "emergency": urgent, "sensitive": sensitive == "1"})
    return rows


def embed(texts: list[str], cache: Path):  # noqa: ANN201 - bench helper
    import numpy as np

    from nlp.head import load_encoder

    cache.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{key}.npy"
    if path.exists():
        return np.load(path)
    encode = load_encoder()
    out = np.concatenate([np.asarray(encode(texts[i:i + 64]), dtype=np.float32) for i in range(0, len(texts), 64)])
    np.save(path, out)
    return out


def matrix(rows: list[dict], analyser: Analyser, cache: Path):  # noqa: ANN201
    texts = [r["text"] for r in rows]
    emb = embed(texts, cache)
    analyses = [analyser.analyse(t) for t in texts]
    return features(texts, analyses, lambda batch: emb), analyses


def oof(x, yu, ys, l2: float, folds: int = 5):  # noqa: ANN001, ANN201
    order = list(range(len(yu)))
    random.Random(0).shuffle(order)
    out = [None] * len(yu)
    for k in range(folds):
        test = order[k::folds]
        train = sorted(set(order) - set(test))
        head = fit(x[train], [yu[i] for i in train], [ys[i] for i in train], l2=l2)
        for i, s in zip(test, predict(head, x[test]), strict=True):
            out[i] = s
    return out


def choose_thresholds(scores, yu, ys) -> Thresholds:  # noqa: ANN001
    calm = [s.urgent for s, y in zip(scores, yu, strict=True) if y == 0]
    grid = [round(0.05 + i / 100, 2) for i in range(95)]

    def lowest(rate: float) -> float:
        return next(t for t in grid if sum(p >= t for p in calm) / len(calm) <= rate)

    pos = [s.sensitive for s, y in zip(scores, ys, strict=True) if y]
    sens = max((t for t in grid if sum(p >= t for p in pos) / len(pos) >= 0.95), default=0.5)
    return Thresholds(alert=lowest(0.01), advise=lowest(0.03), sensitive=sens)


def cv_figures(scores, yu, ys, t: Thresholds) -> dict:  # noqa: ANN001
    v = [decide(s, t) for s in scores]
    urgent = [i for i, y in enumerate(yu) if y]
    calm = [i for i, y in enumerate(yu) if not y]
    sens = [i for i, y in enumerate(ys) if y]
    flagged = [i for i in range(len(v)) if v[i].sensitive]
    return {
        "urgent_recall_advise": round(sum(bool(v[i].alert or v[i].advise) for i in urgent) / len(urgent), 3),
        "urgent_recall_alert": round(sum(bool(v[i].alert) for i in urgent) / len(urgent), 3),
        "false_alert": round(sum(bool(v[i].alert) for i in calm) / len(calm), 3),
        "false_advise": round(sum(bool(v[i].alert or v[i].advise) for i in calm) / len(calm), 3),
        "sensitive_recall": round(sum(v[i].sensitive for i in sens) / len(sens), 3),
        "sensitive_precision": round(sum(ys[i] for i in flagged) / max(1, len(flagged)), 3),
    }


def dev_tables(records: list[dict], head: SafetyHead, analyser: Analyser, cache: Path) -> dict:
    x, analyses = matrix(records, analyser, cache)
    verdicts = [decide(s, head.thresholds) for s in predict(head, x)]
    by_text = {r["text"]: (a, a.with_safety(v)) for r, a, v in zip(records, analyses, verdicts, strict=True)}
    out = {}
    dev_part, held = split(records)
    for name, part in (("full", records), ("held_out", held), ("development_part", dev_part)):
        for system, pick in (("rules", 0), ("rules+head", 1)):
            run = lambda text, lang, pick=pick: by_text[text][pick]  # noqa: E731
            alerts = evaluate_alerts(part, run).per_language
            sens = evaluate_sensitive(part, run).per_language
            out[f"{name}/{system}"] = {
                lang: {"n": a.n, "urgent": a.urgent, "recall_advise": round(a.advised_recall, 3),
                       "recall_alert": round(a.alert_recall, 3), "false_alert": round(a.false_alert_rate, 3),
                       "false_advise": round(a.false_advise_rate, 3), "sensitive_gold": sens[lang].positives,
                       "sensitive_recall": round(sens[lang].recall, 3), "sensitive_precision": round(sens[lang].precision, 3)}
                for lang, a in alerts.items()
            }
    return out


def print_tables(tables: dict) -> None:
    for name, rows in tables.items():
        print(f"\n{name}")
        print("lang    n urg  rec(adv+al) rec(alert) false-al false-adv  sens R / P (gold)")
        for lang in ("en", "es", "fr", "de", "all"):
            f = rows.get(lang)
            if f:
                print(f"{lang:4s}{f['n']:5d}{f['urgent']:4d}   {f['recall_advise']:8.2f}  {f['recall_alert']:9.2f}"
                      f"  {f['false_alert']:7.1%}  {f['false_advise']:7.1%}   {f['sensitive_recall']:.2f} / "
                      f"{f['sensitive_precision']:.2f} ({f['sensitive_gold']})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, help="police-feedback dev.jsonl (measured, never trained on)")
    ap.add_argument("--write", action="store_true", help="regenerate nlp/_shipped_safety_head.py")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/trustline-safety-cache"))
    args = ap.parse_args()
    started = time.monotonic()
    analyser = Analyser()
    rows = load_training()
    x, _ = matrix(rows, analyser, args.cache)
    yu = [URGENT_ID[r["emergency"]] for r in rows]
    ys = [int(r["sensitive"]) for r in rows]
    print(f"training rows: {len(rows)} (urgent {sum(1 for y in yu if y)}, sensitive {sum(ys)})")
    best = None
    for l2 in (3e-4, 1e-3, 3e-3, 1e-2):
        scores = oof(x, yu, ys, l2)
        t = choose_thresholds(scores, yu, ys)
        figs = cv_figures(scores, yu, ys, t)
        merit = figs["urgent_recall_advise"] + figs["urgent_recall_alert"] + figs["sensitive_precision"]
        print(f"l2={l2:g}: thresholds {t}; 5-fold CV on training data {figs}")
        if best is None or merit > best[0]:
            best = (merit, l2, t, figs)
    _, l2, t, figs = best
    info = {"data": "nlp/training/safety_*.tsv", "rows": len(rows), "script": "bench/train_safety_head.py",
            "recipe": {"l2": l2, "class_weights": "balanced", "solver": "L-BFGS, float64, from zeros"},
            "training_cv": figs}
    head = fit(x, yu, ys, l2=l2, thresholds=t, info=info)
    report: dict = {"l2": l2, "thresholds": t.__dict__, "training_cv": figs}
    if args.dev:
        records = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
        report["dev"] = dev_tables(records, head, analyser, args.cache)
        print_tables(report["dev"])
    if args.write:
        payload = json.dumps(json.dumps(head.as_dict(), ensure_ascii=False, separators=(",", ":")))
        SHIPPED.write_text(
            '"""The worker-stage safety head shipped with Trustline (nlp.safety).\n\n'
            "Generated by bench/train_safety_head.py --write; do not edit. Weights only: no training text.\n"
            '"""\n\nimport json\n\nHEAD = json.loads(\n    ' + payload + "\n)\n", encoding="utf-8")
        print(f"wrote {SHIPPED} ({head.revision})")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
