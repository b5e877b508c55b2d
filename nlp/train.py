"""Fine-tune an encoder into Trustline's 3-class sentiment classifier.

A plain torch loop (no ``accelerate``/``datasets``) so that an agency can adapt a model to its own
labelled feedback on an ordinary CPU server. The output directory is a normal Hugging Face model
(``id2label`` = negative/neutral/positive) that ``nlp.model`` loads like any other, plus
``trustline-model.json`` recording base model, data, recipe and evaluation figures.

Recipe: AdamW (weight decay 0.01 except biases/LayerNorm), linear schedule with 6 % warm-up,
gradient clipping at 1.0, dynamic padding, a fixed seed. Evaluation uses argmax predictions:
accuracy, macro-F1 and macro-recall over the gold classes of the evaluation file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import random
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from nlp.data import Format, LabelledSet, load_labelled
from nlp.labels import SENTIMENTS
from nlp.metrics import Metrics, classification_metrics
from nlp.model import MODEL_INFO_FILE

log = logging.getLogger(__name__)

ID2LABEL = dict(enumerate(SENTIMENTS))
LABEL2ID = {v: k for k, v in ID2LABEL.items()}


@dataclass(frozen=True)
class TrainReport:
    """What a training run produced."""

    out_dir: str
    base: str
    n_train: int
    n_eval: int
    epochs: int
    seconds: float
    accuracy: float
    macro_f1: float
    macro_recall: float
    revision: str


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _batches(
    data: LabelledSet, tokenizer: object, batch_size: int, max_length: int, shuffle: bool, rng: random.Random
) -> list[tuple[dict[str, object], list[int]]]:
    """Tokenised, dynamically padded batches (shuffled for training, length-sorted for evaluation)."""
    encoded = tokenizer(data.texts, truncation=True, max_length=max_length, padding=False)  # type: ignore[operator]
    keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in encoded]
    order = list(range(len(data)))
    if shuffle:
        rng.shuffle(order)
    else:
        order.sort(key=lambda i: len(encoded["input_ids"][i]))
    out = []
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        features = [{k: encoded[k][i] for k in keys} for i in chunk]
        batch = tokenizer.pad(features, padding="longest", return_tensors="pt")  # type: ignore[attr-defined]
        out.append((dict(batch), [data.labels[i] for i in chunk]))
    return out


def evaluate(model: object, tokenizer: object, data: LabelledSet, batch_size: int = 64, max_length: int = 128) -> Metrics:
    """Argmax metrics of a 3-class model on ``data`` (binary data: over its two gold classes)."""
    import torch

    model.eval()  # type: ignore[attr-defined]
    gold: list[int] = []
    pred: list[int] = []
    with torch.inference_mode():
        for batch, labels in _batches(data, tokenizer, batch_size, max_length, False, random.Random(0)):
            logits = model(**batch).logits  # type: ignore[operator]
            pred.extend(logits.argmax(-1).tolist())
            gold.extend(labels)
    classes = [0, 2] if data.binary else [0, 1, 2]
    return classification_metrics(gold, pred, classes)


def train(
    base_dir: str | Path,
    train_file: str | Path,
    eval_file: str | Path,
    out_dir: str | Path,
    epochs: int = 2,
    lr: float = 4e-5,
    batch_size: int = 32,
    max_length: int = 64,
    seed: int = 0,
    *,
    train_format: Format = "auto",
    eval_format: Format = "auto",
    limit: int | None = None,
    threads: int | None = None,
    weight_decay: float = 0.01,
    warmup_ratio: float = 0.06,
    progress: bool = True,
    echo: Callable[[str], None] = print,
) -> TrainReport:
    """Fine-tune ``base_dir`` (a local model directory or Hub id) and save the result in ``out_dir``.

    ``limit`` trains on a seeded random subset of that many rows (for quick runs). Prints and
    returns evaluation accuracy / macro-F1 / macro-recall on ``eval_file``.
    """
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    if epochs < 1 or batch_size < 1 or lr <= 0:
        raise ValueError("epochs and batch_size must be >= 1 and lr > 0")
    started = time.monotonic()
    random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)

    train_set = load_labelled(train_file, train_format, limit=limit, seed=seed)
    eval_set = load_labelled(eval_file, eval_format)
    if not len(train_set) or not len(eval_set):
        raise ValueError("training and evaluation files must not be empty")
    echo(f"train: {train_set.path} ({train_set.format}, {len(train_set)} rows, {train_set.distribution()})")
    echo(f"eval:  {eval_set.path} ({eval_set.format}, {len(eval_set)} rows, {eval_set.distribution()})")

    base = str(base_dir)
    local_only = Path(base).expanduser().exists()
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=local_only)
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        id2label=ID2LABEL,
        label2id=LABEL2ID,
        ignore_mismatched_sizes=True,  # replace any existing classification head of another size
        local_files_only=local_only,
    )
    model.train()

    no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
    groups = [
        {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)], "weight_decay": weight_decay},
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=lr)
    steps_per_epoch = math.ceil(len(train_set) / batch_size)
    total = steps_per_epoch * epochs
    scheduler = get_linear_schedule_with_warmup(optimizer, int(total * warmup_ratio), total)

    rng = random.Random(seed)
    step = 0
    for epoch in range(1, epochs + 1):
        model.train()
        batches = _batches(train_set, tokenizer, batch_size, max_length, True, rng)
        running = 0.0
        bar = tqdm(batches, desc=f"epoch {epoch}/{epochs}", disable=not progress, leave=False)
        for batch, labels in bar:
            out = model(**batch, labels=torch.tensor(labels))
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            step += 1
            running += float(out.loss.detach())
            bar.set_postfix(loss=f"{running / (bar.n + 1):.4f}")
        echo(f"epoch {epoch}: mean training loss {running / max(1, len(batches)):.4f}")

    metrics = evaluate(model, tokenizer, eval_set, batch_size=max(batch_size, 64), max_length=max_length)
    echo(
        f"eval accuracy {metrics.accuracy:.4f}  macro-F1 {metrics.macro_f1:.4f}  "
        f"macro-recall {metrics.macro_recall:.4f}  (n={metrics.n})"
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    weights = sorted(out.glob("*.safetensors")) or sorted(out.glob("*.bin"))
    digest = hashlib.sha256(b"".join(hashlib.sha256(w.read_bytes()).digest() for w in weights)).hexdigest()
    revision = f"trained-{digest[:12]}"
    seconds = time.monotonic() - started
    report = TrainReport(
        out_dir=str(out), base=base, n_train=len(train_set), n_eval=len(eval_set), epochs=epochs,
        seconds=round(seconds, 1), accuracy=metrics.accuracy, macro_f1=metrics.macro_f1,
        macro_recall=metrics.macro_recall, revision=revision,
    )
    info = {
        "name": out.name,
        "revision": revision,
        "base": base,
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "train_file": {"path": str(train_set.path), "sha256_16": _file_sha(train_set.path), "rows": len(train_set), "limit": limit},
        "eval_file": {"path": str(eval_set.path), "sha256_16": _file_sha(eval_set.path), "rows": len(eval_set)},
        "recipe": {
            "epochs": epochs, "lr": lr, "batch_size": batch_size, "max_length": max_length, "seed": seed,
            "weight_decay": weight_decay, "warmup_ratio": warmup_ratio, "steps": step,
            "torch_threads": torch.get_num_threads(),
        },
        "eval": asdict(report) | {"confusion": {f"{g}->{p}": n for (g, p), n in sorted(metrics.confusion.items())}},
    }
    (out / MODEL_INFO_FILE).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    echo(f"saved to {out} (revision {revision}) in {seconds:.0f} s")
    return report
