"""Receive-time rules (emergency/self-harm, sensitive, topics) measured on a labelled JSONL set.

    python bench/eval_rules.py                       # ../shared/data/police-feedback/dev.jsonl
    python bench/eval_rules.py PATH.jsonl --json out.json
    python bench/eval_rules.py --misses dev          # list misses of the development part only
    python bench/eval_rules.py --tweets ../shared/data/sentiment/xlm-t   # + false alarms on public tweets

Prints one Markdown table per part: the whole file, the development part (ids not divisible by
3; the rules were tuned on it) and the held-out part (ids divisible by 3; only measured), each per
language. Then the receive-time cost of ``Analyser.analyse`` per message on one core.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.analysis import Analyser  # noqa: E402
from nlp.evaluation import TOPICS, Record, evaluate_alerts, evaluate_sensitive, evaluate_topics, split  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "police-feedback" / "dev.jsonl"
LANGS = ("en", "es", "fr", "de", "all")


def load(path: Path) -> list[Record]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def figures(records: list[Record], analyser: Analyser) -> dict[str, Any]:
    cache: dict[str, Any] = {}

    def predict(text: str, lang: str | None) -> Any:
        if text not in cache:
            cache[text] = analyser.analyse(text, lang)
        return cache[text]

    return {
        "alerts": evaluate_alerts(records, predict),
        "sensitive": evaluate_sensitive(records, predict),
        "topics": evaluate_topics(records, predict),
    }


def table(title: str, fig: dict[str, Any]) -> str:
    a, s, t = fig["alerts"].per_language, fig["sensitive"].per_language, fig["topics"].per_language
    lines = [
        f"### {title}",
        "",
        ("| lang | n | urgent | recall (advise+alert) | recall (alert) | self-harm recall | false advise | false alert "
         "| sensitive P / R | topics P / R / micro-F1 |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for lang in LANGS:
        if lang not in a:
            continue
        x, y, z = a[lang], s[lang], t[lang]
        lines.append(
            f"| {lang} | {x.n} | {x.urgent} | {x.advised_recall:.2f} | {x.alert_recall:.2f} | "
            f"{x.self_harm_recall:.2f} ({x.self_harm}) | {x.false_advise_rate:.1%} | {x.false_alert_rate:.1%} | "
            f"{y.precision:.2f} / {y.recall:.2f} ({y.positives}) | {z.precision:.2f} / {z.recall:.2f} / {z.f1:.2f} |"
        )
    return "\n".join(lines)


def per_topic(fig: dict[str, Any]) -> str:
    topics = fig["topics"].per_language["all"].per_topic
    lines = ["| topic | gold | P | R | F1 |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {topics[name].positives} | {topics[name].precision:.2f} | {topics[name].recall:.2f} | "
              f"{topics[name].f1:.2f} |" for name in TOPICS]
    return "\n".join(lines)


def timing(records: list[Record], analyser: Analyser, rounds: int = 5) -> tuple[float, float, float, float]:
    """(mean, median, p99, max) milliseconds per message over ``rounds`` passes after one warm-up pass."""
    for r in records:
        analyser.analyse(r["text"], r.get("lang"))
    samples: list[float] = []
    for _ in range(rounds):
        for r in records:
            started = time.perf_counter()
            analyser.analyse(r["text"], r.get("lang"))
            samples.append((time.perf_counter() - started) * 1000)
    p99 = sorted(samples)[int(len(samples) * 0.99) - 1]
    return statistics.fmean(samples), statistics.median(samples), p99, max(samples)


TWEET_LANGS = {"en": "english", "es": "spanish", "fr": "french", "de": "german"}


def tweet_false_alarms(
    root: Path, analyser: Analyser, sample: int = 2000, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Alerts and advice raised on ``sample`` XLM-T tweets per language (train + val, seeded sample).

    Tweets are not messages to the police and almost none describe danger now, so every alert is a
    false-alarm proxy (a few may be genuine distress; read ``--tweets-show`` before calling them false).
    """
    import random

    out: dict[str, dict[str, float]] = {}
    for lang, folder in TWEET_LANGS.items():
        texts: list[str] = []
        for name in ("train_text.txt", "val_text.txt"):
            path = root / folder / name
            if path.exists():
                texts += [t for t in path.read_text(encoding="utf-8").splitlines() if t.strip()]
        if not texts:
            continue
        random.Random(seed).shuffle(texts)
        texts = texts[:sample]
        levels = [analyser.analyse(t, lang).emergency.level for t in texts]
        n = len(texts)
        out[lang] = {"n": n, "alert": levels.count("alert") / n, "advise_or_alert": (n - levels.count("none")) / n}
    return out


def tweet_table(figs: dict[str, dict[str, float]]) -> str:
    lines = ["| lang | tweets | false alert | false advise+alert |", "|---|---:|---:|---:|"]
    lines += [f"| {lang} | {f['n']} | {f['alert']:.2%} | {f['advise_or_alert']:.2%} |" for lang, f in figs.items()]
    return "\n".join(lines)


def misses(records: list[Record], analyser: Analyser) -> None:
    """Print what the rules got wrong (for development on the development part)."""
    for r in records:
        a = analyser.analyse(r["text"], r.get("lang"))
        e = a.emergency
        urgent = set(e.kinds) | set(e.advise)
        problems = []
        gold_e = r.get("emergency", "none")
        if gold_e != "none" and gold_e not in urgent:
            problems.append(f"missed {gold_e} ({dict(e.scores)})")
        if gold_e == "none" and urgent & {"emergency", "self_harm"}:
            problems.append(f"false {sorted(urgent)} {'ALERT' if set(e.kinds) & {'emergency', 'self_harm'} else ''} "
                            f"cues={[c.text for c in e.cues]}")
        if bool(r.get("sensitive")) != a.sensitive:
            problems.append(f"sensitive gold={r.get('sensitive')} reasons={a.sensitive_reasons}")
        gold_t, pred_t = set(r.get("topics", ())), set(a.topics) - {"other"}
        if gold_t != pred_t:
            problems.append(f"topics -{sorted(gold_t - pred_t)} +{sorted(pred_t - gold_t)} cues={dict(a.topic_cues)}")
        if problems:
            print(f"{r['id']} [{r.get('lang')}] {r['text']}")
            for p in problems:
                print("    ", p)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--misses", choices=("dev", "held", "all"), help="list the errors of one part and exit")
    parser.add_argument("--no-timing", action="store_true")
    parser.add_argument("--tweets", type=Path, metavar="XLMT_DIR",
                        help="also count alerts on 2,000 XLM-T tweets per language (a false-alarm proxy)")
    parser.add_argument("--parts", default="full,dev,held", help="which tables to print (full,dev,held)")
    args = parser.parse_args(argv)

    records = load(args.path)
    analyser = Analyser()
    dev, held = split(records)
    if args.misses:
        misses({"dev": dev, "held": held, "all": records}[args.misses], analyser)
        return 0
    parts = {"full set": records, "development part (ids not divisible by 3)": dev,
             "held-out part (ids divisible by 3)": held}
    wanted = set(args.parts.split(","))
    keys = ("full", "dev", "held")
    parts = {name: part for key, (name, part) in zip(keys, parts.items(), strict=True) if key in wanted}
    results = {name: figures(part, analyser) for name, part in parts.items()}
    print(f"# Receive-time rules on {args.path} ({len(records)} messages)\n")
    for name, fig in results.items():
        print(table(f"{name}: {len(parts[name])} messages", fig) + "\n")
    if "full set" in results:
        print("### topics on the full set, per topic\n\n" + per_topic(results["full set"]) + "\n")
    tweets = tweet_false_alarms(args.tweets, analyser) if args.tweets else None
    if tweets:
        print("### false alarms on public tweets (XLM-T, 2,000 per language)\n\n" + tweet_table(tweets) + "\n")
    timed: tuple[float, float, float, float] | None = None
    if not args.no_timing:
        timed = timing(records, analyser)
        print(f"receive-time cost per message (Analyser.analyse, one thread, {len(records)} messages x 5): "
              f"mean {timed[0]:.3f} ms, median {timed[1]:.3f} ms, p99 {timed[2]:.3f} ms, max {timed[3]:.3f} ms")
    if args.json:
        payload = {name: {k: asdict(v) for k, v in fig.items()} for name, fig in results.items()}
        payload["timing_ms"] = timed
        payload["tweets"] = tweets
        args.json.write_text(json.dumps(payload, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
