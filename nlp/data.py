"""Read labelled sentiment files for training and evaluation.

Labels live in Trustline's 3-class space: 0 negative, 1 neutral, 2 positive. Binary files
(0 negative / 1 positive, e.g. SST-2, UCI sentences) are mapped to 0 / 2 and flagged ``binary`` so
evaluation can treat them fairly.

Formats (``fmt="auto"`` detects them from the file):

* ``label-text``: ``label<TAB>text`` (optional header, e.g. SST-2 ``label<TAB>content``)
* ``text-label``: ``text<TAB>label`` (UCI sentences)
* ``csv``: CSV with a header naming a text column (text/sentence/content/review/tweet) and a label
  column (label/sentiment/polarity/class)
* ``vader``: VADER ground truth ``id<TAB>mean rating (-4..4)<TAB>text``; ratings are banded into
  3 classes: ``rating <= -band`` negative, ``rating >= band`` positive, otherwise neutral
  (``band`` = 0.5 by default, i.e. raters leaned less than half a point either way)
* ``xlmt``: XLM-T / TweetEval layout, ``*_text.txt`` with a sibling ``*_labels.txt`` (one per line)

Labels may be integers (0/1/2, or 0/1 for binary) or names (negative/neutral/positive, neg/neu/pos).
"""

from __future__ import annotations

import csv
import io
import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Format = Literal["auto", "label-text", "text-label", "csv", "vader", "xlmt"]
FORMATS: tuple[str, ...] = ("auto", "label-text", "text-label", "csv", "vader", "xlmt")
NEGATIVE, NEUTRAL, POSITIVE = 0, 1, 2
DEFAULT_VADER_BAND = 0.5

_NAMES = {"negative": 0, "neg": 0, "neutral": 1, "neu": 1, "positive": 2, "pos": 2}
_TEXT_COLUMNS = ("text", "sentence", "content", "review", "tweet")
_LABEL_COLUMNS = ("label", "labels", "sentiment", "polarity", "class")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
_QUOTE_RUN = re.compile(r'\\*"+')


class DataFormatError(ValueError):
    """The file could not be read as labelled sentiment data."""


@dataclass(frozen=True)
class LabelledSet:
    """Texts with labels in the 3-class space (see module docstring)."""

    path: Path
    format: str
    texts: list[str]
    labels: list[int]
    binary: bool
    ratings: list[float] | None = field(default=None, repr=False)  # VADER only

    def __len__(self) -> int:
        return len(self.texts)

    def distribution(self) -> dict[str, int]:
        names = ("negative", "neutral", "positive")
        return {names[c]: self.labels.count(c) for c in range(3) if c in self.labels or not self.binary}


def _label_token(value: str) -> str:
    return value.strip().lower()


def _is_label(value: str) -> bool:
    token = _label_token(value)
    return token in _NAMES or token in {"0", "1", "2"}


def _clean_tweet(line: str) -> str:
    """Undo the XLM-T export's CSV quoting and literal \\uXXXX escapes."""
    text = line.rstrip("\n").strip()
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        # Quoted lines went through CSV doubling on top of backslash escaping (\"""" for one
        # quote mark); any run of backslashes and quotes stands for a single quote mark.
        text = _QUOTE_RUN.sub('"', text[1:-1])
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text).strip()


def detect_format(path: Path) -> Format:
    """Guess the format of ``path`` (see module docstring)."""
    if path.name.endswith("_text.txt") and path.with_name(path.name.replace("_text.txt", "_labels.txt")).is_file():
        return "xlmt"
    if path.suffix.lower() == ".csv":
        return "csv"
    with path.open(encoding="utf-8", errors="replace") as fh:
        lines = [ln.rstrip("\n") for ln in fh if ln.strip()][:20]
    if not lines:
        raise DataFormatError(f"{path} is empty")
    rows = [ln.split("\t") for ln in lines]
    if all(len(r) >= 3 for r in rows) and all(_is_float(r[1]) for r in rows):
        return "vader"
    if all(len(r) == 2 for r in rows):
        body = rows[1:] if not (_is_label(rows[0][0]) or _is_label(rows[0][1])) else rows
        if body and all(_is_label(r[0]) for r in body):
            return "label-text"
        if body and all(_is_label(r[1]) for r in body):
            return "text-label"
    raise DataFormatError(
        f"cannot tell the format of {path}: expected label<TAB>text, text<TAB>label, id<TAB>rating<TAB>text "
        "(VADER), a CSV with text,label header, or XLM-T *_text.txt + *_labels.txt; pass the format explicitly"
    )


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _column(columns: dict[str, str], wanted: str | None, candidates: tuple[str, ...]) -> str | None:
    """The header name of the column ``wanted`` (case-insensitive), else of the first known candidate."""
    if wanted:
        return columns.get(wanted.strip().lower())
    return next((columns[c] for c in candidates if c in columns), None)


def _read_pairs(
    path: Path, fmt: Format, text_column: str | None = None, label_column: str | None = None
) -> tuple[list[str], list[str], list[float] | None]:
    texts: list[str] = []
    raw: list[str] = []
    ratings: list[float] | None = None
    if fmt == "xlmt":
        label_path = path.with_name(path.name.replace("_text.txt", "_labels.txt"))
        text_lines = path.read_text(encoding="utf-8").splitlines()
        label_lines = label_path.read_text(encoding="utf-8").splitlines()
        if len(text_lines) != len(label_lines):
            raise DataFormatError(f"{path} has {len(text_lines)} lines but {label_path} has {len(label_lines)}")
        return [_clean_tweet(t) for t in text_lines], [x.strip() for x in label_lines], None
    if fmt == "csv":
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = {c.strip().lower(): c for c in reader.fieldnames or []}
            text_col = _column(columns, text_column, _TEXT_COLUMNS)
            label_col = _column(columns, label_column, _LABEL_COLUMNS)
            if text_column and text_col is None or label_column and label_col is None:
                missing = text_column if text_col is None else label_column
                raise DataFormatError(f"{path}: no column {missing!r}; columns are {list(columns.values())}")
            if text_col is None or label_col is None:
                raise DataFormatError(f"{path}: CSV header needs a text column {_TEXT_COLUMNS} and a label column {_LABEL_COLUMNS}")
            for row in reader:
                texts.append((row[text_col] or "").strip())
                raw.append(row[label_col] or "")
        return texts, raw, None
    with path.open(encoding="utf-8", errors="replace") as fh:
        content = fh.read()
    if fmt == "vader":
        ratings = []
        for line in io.StringIO(content):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or not _is_float(parts[1]):
                continue
            ratings.append(float(parts[1]))
            texts.append("\t".join(parts[2:]).strip())
            raw.append("")
        return texts, raw, ratings
    for n, line in enumerate(io.StringIO(content)):
        if not line.strip():
            continue
        parts = line.rstrip("\n").rsplit("\t", 1) if fmt == "text-label" else line.rstrip("\n").split("\t", 1)
        if len(parts) != 2:
            raise DataFormatError(f"{path}:{n + 1}: expected two tab-separated columns")
        label, text = (parts[0], parts[1]) if fmt == "label-text" else (parts[1], parts[0])
        if not _is_label(label):
            if n == 0:
                continue  # header line
            raise DataFormatError(f"{path}:{n + 1}: {label!r} is not a label")
        texts.append(text.strip())
        raw.append(label)
    return texts, raw, None


def load_labelled(
    path: str | Path,
    fmt: Format = "auto",
    *,
    binary: bool | None = None,
    vader_band: float = DEFAULT_VADER_BAND,
    limit: int | None = None,
    seed: int = 0,
    text_column: str | None = None,
    label_column: str | None = None,
    label_map: dict[str, str] | None = None,
) -> LabelledSet:
    """Load a labelled file into the 3-class label space.

    ``binary=None`` decides from the labels (only 0/1 integers -> binary); pass True/False to force.
    ``limit`` keeps a seeded random sample of that many rows (file order kept), not the first rows,
    because some files are sorted by label. ``text_column``/``label_column`` name the CSV columns;
    ``label_map`` maps the file's label values to negative/neutral/positive (e.g. ``{"1": "negative",
    "3": "neutral", "5": "positive"}``), applied before the labels are read.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"{path} does not exist")
    chosen: Format = detect_format(path) if fmt == "auto" else fmt
    texts, raw, ratings = _read_pairs(path, chosen, text_column, label_column)
    if label_map:
        folded_map = {_label_token(k): v for k, v in label_map.items()}
        unmapped = sorted({_label_token(x) for x in raw} - set(folded_map))
        if unmapped:
            raise DataFormatError(f"{path}: label values {unmapped[:5]} are not in the label mapping {sorted(folded_map)}")
        raw = [folded_map[_label_token(x)] for x in raw]
    if chosen == "vader":
        assert ratings is not None
        labels = [NEGATIVE if r <= -vader_band else POSITIVE if r >= vader_band else NEUTRAL for r in ratings]
        is_binary = False
    else:
        tokens = [_label_token(x) for x in raw]
        bad = sorted({t for t in tokens if t not in _NAMES and t not in {"0", "1", "2"}})
        if bad:
            raise DataFormatError(f"{path}: unknown labels {bad[:5]} (use 0/1/2 or negative/neutral/positive)")
        numeric = {t for t in tokens if t.isdigit()}
        is_binary = binary if binary is not None else (bool(numeric) and numeric <= {"0", "1"} and not (set(tokens) - numeric))
        if is_binary and "2" in numeric:
            raise DataFormatError(f"{path}: label 2 in a binary file")
        labels = [(POSITIVE if t == "1" else NEGATIVE) if is_binary and t.isdigit() else (_NAMES[t] if t in _NAMES else int(t)) for t in tokens]
    keep = [i for i, t in enumerate(texts) if t]
    if limit is not None and limit < len(keep):
        keep = sorted(random.Random(seed).sample(keep, limit))
    return LabelledSet(
        path=path,
        format=chosen,
        texts=[texts[i] for i in keep],
        labels=[labels[i] for i in keep],
        binary=is_binary,
        ratings=[ratings[i] for i in keep] if ratings is not None else None,
    )


def combine(name: str, *parts: LabelledSet) -> LabelledSet:
    """One set from several (labels are already in the 3-class space); ``name`` stands for its path."""
    return LabelledSet(
        path=Path(name),
        format="+".join(p.format for p in parts),
        texts=[t for p in parts for t in p.texts],
        labels=[y for p in parts for y in p.labels],
        binary=all(p.binary for p in parts),
    )


def holdout(data: LabelledSet, fraction: float = 0.2, seed: int = 0) -> tuple[LabelledSet, LabelledSet]:
    """A seeded random split into (training, evaluation) sets, at least one row in each."""
    if len(data) < 2:
        raise DataFormatError(f"{data.path}: too few rows ({len(data)}) to hold some out for evaluation")
    order = list(range(len(data)))
    random.Random(seed).shuffle(order)
    n_eval = min(len(data) - 1, max(1, round(len(data) * fraction)))
    held = set(order[:n_eval])

    def part(keep: list[int], suffix: str) -> LabelledSet:
        return LabelledSet(Path(f"{data.path}{suffix}"), data.format, [data.texts[i] for i in keep],
                           [data.labels[i] for i in keep], data.binary)

    return (part([i for i in range(len(data)) if i not in held], ""),
            part([i for i in range(len(data)) if i in held], f" (held out {n_eval})"))
