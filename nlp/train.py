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
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from nlp.data import Format, LabelledSet, load_labelled
from nlp.labels import SENTIMENTS
from nlp.metrics import Metrics, classification_metrics
from nlp.model import MODEL_INFO_FILE
from nlp.scorer import prepare_text
from nlp.settings import NlpSettings

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


def _prepared(data: LabelledSet, settings: NlpSettings) -> LabelledSet:
    """``data`` with its texts prepared exactly as the scorer prepares them."""
    return replace(data, texts=[prepare_text(t, settings) for t in data.texts])


def _file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def _source(data: LabelledSet, **extra: object) -> dict[str, object]:
    """What the model record says about a data set: its file and hash, or its name (a set built
    in memory, such as staff corrections, has no file)."""
    record: dict[str, object] = {"path": str(data.path), "rows": len(data), **extra}
    if data.path.is_file():
        record["sha256_16"] = _file_sha(data.path)
    return record


def _load(source: str | Path | LabelledSet, fmt: Format, settings: NlpSettings, **options: object) -> LabelledSet:
    if not isinstance(source, LabelledSet):
        source = load_labelled(source, fmt, **options)  # type: ignore[arg-type]
    return _prepared(source, settings)


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


def evaluate(
    model: object, tokenizer: object, data: LabelledSet, batch_size: int = 64, max_length: int = 128,
    index_to_class: list[int] | None = None,
) -> Metrics:
    """Argmax metrics of a model on ``data`` (binary data: over its two gold classes).

    ``index_to_class`` maps the model's class indices to 0/1/2 (negative/neutral/positive) for a
    model whose head is ordered otherwise (default: the identity, i.e. a Trustline-trained head).
    """
    import torch

    model.eval()  # type: ignore[attr-defined]
    gold: list[int] = []
    pred: list[int] = []
    with torch.inference_mode():
        for batch, labels in _batches(data, tokenizer, batch_size, max_length, False, random.Random(0)):
            logits = model(**batch).logits  # type: ignore[operator]
            pred.extend(index_to_class[i] if index_to_class else i for i in logits.argmax(-1).tolist())
            gold.extend(labels)
    classes = [0, 2] if data.binary else [0, 1, 2]
    return classification_metrics(gold, pred, classes)


def _sentiment_head(config: object) -> list[int] | None:
    """For a base model with a recognised sentiment head: its class index -> our class (0/1/2), else None."""
    from nlp.labels import UnknownLabelsError, mapping_from_id2label

    id2label = getattr(config, "id2label", None) or {}
    try:
        mapping = mapping_from_id2label(id2label)
    except UnknownLabelsError:
        return None
    return [0 if p < 0 else 2 if p > 0 else 1 for p in mapping.polarity]


def _output_layer(model: object) -> object | None:
    """The classification head's last linear layer (``classifier``, ``classifier.out_proj``, ``score``...)."""
    import torch

    n = model.config.num_labels  # type: ignore[attr-defined]
    layers = [(name, m) for name, m in model.named_modules()  # type: ignore[attr-defined]
              if isinstance(m, torch.nn.Linear) and m.out_features == n and name.split(".")[0] in ("classifier", "score", "cls")]
    return layers[-1][1] if layers else None


def align_head(model: object, base_classes: list[int]) -> bool:
    """Reorder a 3-class head in place so that index i predicts our class i. False if the head was not found."""
    import torch

    layer = _output_layer(model)
    if layer is None:
        return False
    order = [base_classes.index(c) for c in range(3)]
    with torch.no_grad():
        layer.weight.copy_(layer.weight[order].clone())  # type: ignore[attr-defined]
        if layer.bias is not None:  # type: ignore[attr-defined]
            layer.bias.copy_(layer.bias[order].clone())  # type: ignore[attr-defined]
    return True


def train(
    base_dir: str | Path,
    train_file: str | Path | LabelledSet,
    eval_file: str | Path | LabelledSet,
    out_dir: str | Path,
    epochs: int = 2,
    lr: float = 4e-5,
    batch_size: int = 32,
    max_length: int | None = None,
    seed: int = 0,
    *,
    settings: NlpSettings | None = None,
    text_column: str | None = None,
    label_column: str | None = None,
    label_map: dict[str, str] | None = None,
    reset_head: bool = False,
    train_format: Format = "auto",
    eval_format: Format = "auto",
    limit: int | None = None,
    threads: int | None = None,
    weight_decay: float = 0.01,
    warmup_ratio: float = 0.06,
    progress: bool = True,
    echo: Callable[[str], None] = print,
    provenance: dict[str, object] | None = None,
) -> TrainReport:
    """Fine-tune ``base_dir`` (a local model directory or Hub id) and save the result in ``out_dir``.

    ``limit`` trains on a seeded random subset of that many rows (for quick runs). Prints and
    returns evaluation accuracy / macro-F1 / macro-recall on ``eval_file``, beside the base model's
    own figures on the same data when the base already is a sentiment classifier. Either file may
    be a :class:`~nlp.data.LabelledSet` built in memory (staff corrections, a held-out split);
    ``provenance`` is recorded as such in the model record (e.g. how many examples came from
    corrections).

    Training = serving: texts are prepared by :func:`nlp.scorer.prepare_text` with ``settings``
    (``nlp.tweet_normalise``), truncated at ``max_length`` (default ``nlp.max_length``), and the saved
    tokenizer's ``model_max_length`` is set to it so the scorer never reads further than training did.
    A base head with recognised sentiment labels in another order (e.g. positive/negative/neutral) is
    reordered to negative/neutral/positive, never silently relabelled; an unrecognised 3-class head
    (LABEL_0...) is refused unless ``reset_head`` re-initialises it.
    """
    import torch
    from tqdm.auto import tqdm
    from transformers import (
        AutoConfig,
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    if epochs < 1 or batch_size < 1 or lr <= 0:
        raise ValueError("epochs and batch_size must be >= 1 and lr > 0")
    started = time.monotonic()
    random.seed(seed)
    torch.manual_seed(seed)
    if threads:
        torch.set_num_threads(threads)

    settings = settings or NlpSettings()
    max_length = max_length or settings.max_length
    columns = {"text_column": text_column, "label_column": label_column, "label_map": label_map}
    train_set = _load(train_file, train_format, settings, limit=limit, seed=seed, **columns)
    eval_set = _load(eval_file, eval_format, settings, **columns)
    if not len(train_set) or not len(eval_set):
        raise ValueError("training and evaluation files must not be empty")
    echo(f"train: {train_set.path} ({train_set.format}, {len(train_set)} rows, {train_set.distribution()})")
    echo(f"eval:  {eval_set.path} ({eval_set.format}, {len(eval_set)} rows, {eval_set.distribution()})")

    base = str(base_dir)
    local_only = Path(base).expanduser().exists()
    tokenizer = AutoTokenizer.from_pretrained(base, local_files_only=local_only)
    base_config = AutoConfig.from_pretrained(base, local_files_only=local_only)
    has_head = any(a.endswith("ForSequenceClassification") for a in getattr(base_config, "architectures", None) or [])
    base_classes = _sentiment_head(base_config) if has_head and not reset_head else None
    if has_head and not reset_head and base_classes is None and getattr(base_config, "num_labels", 0) == 3:
        raise ValueError(
            f"the base model's 3-class head has labels {list(base_config.id2label.values())}, which are not a recognised "
            "sentiment scheme: training would keep the head and read its classes as negative/neutral/positive in index "
            "order, which may be wrong. Pass --reset-head to train a new head, or fix id2label in the base config.json."
        )
    base_metrics = None
    if base_classes is not None:
        base_model = AutoModelForSequenceClassification.from_pretrained(base, local_files_only=local_only)
        base_metrics = evaluate(base_model, tokenizer, eval_set, batch_size=max(batch_size, 64), max_length=max_length, index_to_class=base_classes)
        echo(f"base model on eval ({len(base_classes)}-class head, mapped by polarity): accuracy {base_metrics.accuracy:.4f}  "
             f"macro-F1 {base_metrics.macro_f1:.4f}  macro-recall {base_metrics.macro_recall:.4f}  (n={base_metrics.n})")
        del base_model
    else:
        echo("base model on eval: n/a (no sentiment head to compare with)")
    model = AutoModelForSequenceClassification.from_pretrained(
        base,
        num_labels=3,
        id2label=ID2LABEL,
        label2id=LABEL2ID,
        ignore_mismatched_sizes=True,  # replace any existing classification head of another size
        local_files_only=local_only,
    )
    if base_classes is not None and len(base_classes) == 3 and base_classes != [0, 1, 2]:
        if not align_head(model, base_classes):
            raise ValueError(
                "the base head's label order differs from negative/neutral/positive and its output layer "
                "was not found; pass --reset-head"
            )
        echo(f"reordered the base head {list(base_config.id2label.values())} to negative/neutral/positive")
    if reset_head and has_head and (layer := _output_layer(model)) is not None:
        layer.reset_parameters()  # type: ignore[attr-defined]
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
        + ("" if base_metrics is None else f"  [base: accuracy {base_metrics.accuracy:.4f}  macro-F1 {base_metrics.macro_f1:.4f}]")
    )

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.model_max_length = max_length  # the scorer truncates at min(nlp.max_length, this)
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
        "train_file": _source(train_set, limit=limit),
        "eval_file": _source(eval_set),
        **({"provenance": provenance} if provenance else {}),
        "recipe": {
            "epochs": epochs, "lr": lr, "batch_size": batch_size, "max_length": max_length, "seed": seed,
            "weight_decay": weight_decay, "warmup_ratio": warmup_ratio, "steps": step,
            "torch_threads": torch.get_num_threads(), "tweet_normalise": settings.tweet_normalise,
            "text_column": text_column, "label_column": label_column, "label_map": label_map, "reset_head": reset_head,
        },
        "base_eval": None if base_metrics is None else {
            "accuracy": base_metrics.accuracy, "macro_f1": base_metrics.macro_f1, "macro_recall": base_metrics.macro_recall, "n": base_metrics.n,
        },
        "eval": asdict(report) | {"confusion": {f"{g}->{p}": n for (g, p), n in sorted(metrics.confusion.items())}},
    }
    (out / MODEL_INFO_FILE).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    echo(f"saved to {out} (revision {revision}) in {seconds:.0f} s")
    return report
