#!/usr/bin/env python
"""Evaluate a sentiment model against labelled data, side by side with the VADER lexicon baseline.

    python bench/eval_sentiment.py --model ../shared/models/minilm-sentiment-en \
        --data ../shared/data/sentiment/sst2/dev.tsv [--data ...] [--format auto] [--limit N]

File formats are those of :mod:`nlp.data` (auto-detected). What is measured:

* Three systems: the model with ``argmax`` labels, the model with ``score`` bands (|score| <
  ``--neutral-band``, default 1/3, is neutral: ``nlp.label_strategy = "score"``), and the VADER
  lexicon (compound banded at +-0.05, VADER's documented thresholds).
* **3-class sets** (VADER ground truth banded at ``--vader-band``, XLM-T, TweetEval):
  accuracy, macro-F1 and macro-recall over negative/neutral/positive; plus *polarity* on the
  non-neutral gold rows only (sign of the score; a score of exactly 0 counts as wrong).
* **Binary sets** (SST-2, UCI sentences: negative/positive only):
  - ``polarity``: forced choice by the sign of the score (exactly 0 counts as wrong) - what a
    3-class model knows about polarity;
  - ``3-class, neutral=wrong``: the label the bot would store; any "neutral" counts as an error.
  Macro averages are over the two gold classes; ``neutral`` is the share predicted neutral.

Throughput is reported for the model only (messages/s, this machine, this thread count).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.data import DEFAULT_VADER_BAND, FORMATS, LabelledSet, load_labelled  # noqa: E402
from nlp.metrics import classification_metrics  # noqa: E402

NEG, NEU, POS = 0, 1, 2
_LABEL_ID = {"negative": NEG, "neutral": NEU, "positive": POS}
VADER_BAND = 0.05  # VADER's own compound-score thresholds for neutral


@dataclass(frozen=True)
class Row:
    dataset: str
    n: int
    evaluation: str
    system: str  # "model (argmax)", "model (score bands)" or "VADER"
    accuracy: float
    macro_f1: float
    macro_recall: float
    neutral_rate: float | None = None


SYSTEMS = ("model (argmax)", "model (score bands)", "VADER")


def _sign(score: float) -> int:
    return POS if score > 0 else NEG if score < 0 else NEU


def _band(score: float, band: float) -> int:
    return POS if score >= band else NEG if score <= -band else NEU


def _metric_row(name: str, evaluation: str, system: str, gold: list[int], pred: list[int], classes: list[int]) -> Row:
    m = classification_metrics(gold, pred, classes)
    neutral = sum(1 for x in pred if x == NEU) / len(pred) if pred else 0.0
    return Row(name, len(gold), evaluation, system, m.accuracy, m.macro_f1, m.macro_recall, neutral)


def rows_for(name: str, data: LabelledSet, system: str, labels: list[int], scores: list[float], polarity: bool = True) -> list[Row]:
    """Metric rows for one system's labels and scores on one dataset (see module docstring)."""
    gold = data.labels
    rows: list[Row] = []
    signs = [_sign(s) for s in scores]
    if data.binary:
        if polarity:
            rows.append(_metric_row(name, "polarity (sign)", system, gold, signs, [NEG, POS]))
        rows.append(_metric_row(name, "3-class, neutral=wrong", system, gold, labels, [NEG, POS]))
    else:
        rows.append(_metric_row(name, "3-class", system, gold, labels, [NEG, NEU, POS]))
        if polarity:
            polar = [i for i, g in enumerate(gold) if g != NEU]
            rows.append(
                _metric_row(name, "polarity on non-neutral gold", system, [gold[i] for i in polar], [signs[i] for i in polar], [NEG, POS])
            )
    return rows


def evaluate(
    model: str,
    paths: list[Path],
    fmt: str = "auto",
    limit: int | None = None,
    vader_band: float = DEFAULT_VADER_BAND,
    with_vader: bool = True,
    threads: int | None = None,
    batch_size: int = 32,
    max_length: int = 128,
    neutral_band: float = 1 / 3,
    predictions: Path | None = None,
) -> tuple[list[Row], dict[str, object]]:
    """Score every file with the model (and VADER); return metric rows and run metadata."""
    from nlp.scorer import SentimentScorer
    from nlp.settings import NlpSettings

    settings = NlpSettings(
        model=model, torch_threads=threads, batch_size=batch_size, max_length=max_length, offline=True, label_strategy="argmax"
    )
    scorer = SentimentScorer.from_settings(settings)
    vader = None
    if with_vader:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        vader = SentimentIntensityAnalyzer()
    import torch

    rows: list[Row] = []
    datasets: dict[str, object] = {}
    meta: dict[str, object] = {
        "model": scorer.model_name,
        "revision": scorer.revision,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "vader_band": vader_band,
        "neutral_band": neutral_band,
        "limit": limit,
        "torch_threads": torch.get_num_threads(),
        "datasets": datasets,
    }
    dump = predictions.open("w", encoding="utf-8") if predictions else None
    try:
        for path in paths:
            data = load_labelled(path, fmt, vader_band=vader_band, limit=limit)  # type: ignore[arg-type]
            name = f"{path.parent.name}/{path.name}"
            started = time.perf_counter()
            results = scorer.score(data.texts)
            seconds = time.perf_counter() - started
            scores = [r.score for r in results]
            argmax = [_LABEL_ID[r.label] for r in results]
            banded = [_band(s, neutral_band) for s in scores]
            rows += rows_for(name, data, SYSTEMS[0], argmax, scores)
            rows += rows_for(name, data, SYSTEMS[1], banded, scores, polarity=False)
            compound: list[float] = []
            if vader is not None:
                compound = [vader.polarity_scores(t)["compound"] for t in data.texts]
                rows += rows_for(name, data, SYSTEMS[2], [_band(c, VADER_BAND) for c in compound], compound)
            if dump is not None:
                for i, r in enumerate(results):
                    record = {"dataset": name, "i": i, "gold": data.labels[i], "score": r.score, "probabilities": r.probabilities}
                    if compound:
                        record["vader"] = compound[i]
                    dump.write(json.dumps(record) + "\n")
            datasets[name] = {
                "path": str(path),
                "format": data.format,
                "rows": len(data),
                "binary": data.binary,
                "gold": data.distribution(),
                "model_seconds": round(seconds, 2),
                "messages_per_second": round(len(data) / seconds, 1) if seconds else None,
            }
            print(f"{name}: {len(data)} rows in {seconds:.1f} s ({len(data) / max(seconds, 1e-9):.0f} msg/s)", file=sys.stderr)
    finally:
        if dump is not None:
            dump.close()
    return rows, meta


def markdown(rows: list[Row]) -> str:
    """One line per (dataset, evaluation): accuracy / macro-F1 / macro-recall for each system."""
    header = "| dataset | n | evaluation | " + " | ".join(f"{s} acc / F1 / recall" for s in SYSTEMS) + " | model neutral (argmax / bands) |"
    lines = [header, "|---|---:|---|" + "---:|" * (len(SYSTEMS) + 1)]
    by_key: dict[tuple[str, str], dict[str, Row]] = {}
    for row in rows:
        by_key.setdefault((row.dataset, row.evaluation), {})[row.system] = row
    for (dataset, evaluation), systems in by_key.items():
        first = next(iter(systems.values()))
        cells = []
        for system in SYSTEMS:
            r = systems.get(system)
            if r is None:
                cells.append("same" if system == SYSTEMS[1] and evaluation.startswith("polarity") else "-")
            else:
                cells.append(f"{r.accuracy:.3f} / {r.macro_f1:.3f} / {r.macro_recall:.3f}")
        if evaluation.startswith("polarity"):
            neutral = "-"
        else:
            a, b = systems.get(SYSTEMS[0]), systems.get(SYSTEMS[1])
            neutral = f"{a.neutral_rate:.1%} / {b.neutral_rate:.1%}" if a and b else "-"
        lines.append(f"| {dataset} | {first.n} | {evaluation} | " + " | ".join(cells) + f" | {neutral} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="model directory (or cached Hub id)")
    parser.add_argument("--data", required=True, action="append", type=Path, help="labelled file; repeat for several")
    parser.add_argument("--format", default="auto", choices=FORMATS)
    parser.add_argument("--limit", type=int, help="seeded random sample of N rows per file")
    parser.add_argument("--vader-band", type=float, default=DEFAULT_VADER_BAND, help="neutral band for VADER ground-truth ratings")
    parser.add_argument("--no-vader", action="store_true", help="skip the VADER lexicon baseline")
    parser.add_argument("--threads", type=int, help="torch threads")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--neutral-band", type=float, default=1 / 3, help="|score| below this is neutral for the 'score bands' labels")
    parser.add_argument("--json", type=Path, help="also write rows + metadata as JSON here")
    parser.add_argument("--predictions", type=Path, help="also write one JSON line per scored text here")
    args = parser.parse_args(argv)

    rows, meta = evaluate(
        args.model, args.data, args.format, args.limit, args.vader_band, not args.no_vader, args.threads,
        args.batch_size, args.max_length, args.neutral_band, args.predictions,
    )
    print(f"model {meta['model']} @ {meta['revision']}, {meta['date']}, torch threads {meta['torch_threads']}")
    print(markdown(rows))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "rows": [asdict(r) for r in rows]}, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
