#!/usr/bin/env python
"""Is any training text too close to an evaluation text? (The dev set must never leak into training.)

    python bench/check_overlap.py --against ../shared/data/police-feedback/dev.jsonl nlp/training/*.tsv [--max 0.5]

Compares every line of the training files (TSV: the text is the last column; JSONL: its ``text``)
with every evaluation text by word-set Jaccard similarity, prints the pairs at or above ``--max``
and exits 1 if there are any. Texts under four words are skipped ("Thank you!" is nobody's copy).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path


def words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.lower()))


def texts(path: Path) -> Iterator[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if path.suffix == ".jsonl":
            text = json.loads(line).get("text", "")
        else:
            text = line.split("\t")[-1]
        if isinstance(text, str) and text:
            yield text


def close_pairs(training: Sequence[str], evaluation: Sequence[str], limit: float) -> list[tuple[float, str, str]]:
    targets = [(words(t), t) for t in evaluation]
    found = []
    for text in training:
        mine = words(text)
        if len(mine) < 4:
            continue
        score, other = max(((len(mine & w) / len(mine | w), t) for w, t in targets), default=(0.0, ""))
        if score >= limit:
            found.append((score, text, other))
    return sorted(found, reverse=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, required=True, help="the evaluation file (JSONL with text)")
    parser.add_argument("--max", type=float, default=0.5, help="word Jaccard at or above which a pair is reported")
    parser.add_argument("files", type=Path, nargs="+", help="training files (TSV or JSONL)")
    args = parser.parse_args(argv)
    evaluation = list(texts(args.against))
    training = [t for f in args.files for t in texts(f)]
    pairs = close_pairs(training, evaluation, args.max)
    for score, mine, theirs in pairs:
        print(f"{score:.2f}  {mine[:80]!r}  ~  {theirs[:80]!r}")
    print(f"{len(training)} training texts against {len(evaluation)}: {len(pairs)} at or above {args.max:g}")
    return 1 if pairs else 0


if __name__ == "__main__":
    sys.exit(main())
