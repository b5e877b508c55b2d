"""Fine-tuning on a tiny random encoder: the loop runs, saves a loadable 3-class model, reports."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from nlp.backends import load_sentiment_scorer
from nlp.model import MODEL_INFO_FILE, load_model
from nlp.scorer import SentimentScorer
from nlp.settings import NlpSettings
from nlp.train import train
from tests.support.tiny_models import tiny_model_dir

POSITIVE = ["thanks , great help", "kind and polite officer", "very good response time", "excellent help today"]
NEGATIVE = ["rude officer", "terrible and slow", "they never came", "bad and awful response"]
NEUTRAL = ["the car", "a street at night", "the officer came today", "it was the police"]


def _rows(n: int, seed: int) -> list[tuple[int, str]]:
    rng = random.Random(seed)
    pools = {0: NEGATIVE, 1: NEUTRAL, 2: POSITIVE}
    return [(label, rng.choice(pools[label])) for label in (rng.randrange(3) for _ in range(n))]


def test_training_a_tiny_encoder_saves_a_loadable_three_class_model(tmp_path: Path) -> None:
    train_file = tmp_path / "train.tsv"
    train_file.write_text("".join(f"{label}\t{text}\n" for label, text in _rows(48, 1)), encoding="utf-8")
    eval_file = tmp_path / "eval.csv"
    eval_file.write_text("text,label\n" + "".join(f'"{t}",{("negative", "neutral", "positive")[lab]}\n' for lab, t in _rows(24, 2)))
    out = tmp_path / "model"
    lines: list[str] = []

    report = train(
        tiny_model_dir("encoder"),
        train_file,
        eval_file,
        out,
        epochs=1,
        lr=1e-3,
        batch_size=8,
        max_length=16,
        seed=0,
        progress=False,
        echo=lines.append,
    )

    assert report.n_train == 48 and report.n_eval == 24
    assert 0.0 <= report.accuracy <= 1.0 and 0.0 <= report.macro_f1 <= 1.0
    assert any("eval accuracy" in line and "macro-F1" in line for line in lines)
    loaded = load_model(NlpSettings(model=str(out)))
    assert loaded.model.config.id2label == {0: "negative", 1: "neutral", 2: "positive"}
    assert loaded.mapping.polarity == (-1.0, 0.0, 1.0)
    assert loaded.revision == report.revision and report.revision.startswith("trained-")
    info = json.loads((out / MODEL_INFO_FILE).read_text())
    assert info["recipe"]["epochs"] == 1 and info["train_file"]["rows"] == 48
    result = SentimentScorer(loaded, NlpSettings(model=str(out))).score_one("rude officer")
    assert -1.0 <= result.score <= 1.0


def test_training_is_reproducible_with_the_same_seed(tmp_path: Path) -> None:
    data = tmp_path / "d.tsv"
    data.write_text("".join(f"{label}\t{text}\n" for label, text in _rows(24, 3)), encoding="utf-8")
    kwargs = {
        "epochs": 1,
        "lr": 1e-3,
        "batch_size": 8,
        "max_length": 16,
        "seed": 7,
        "progress": False,
        "echo": lambda _: None,
    }
    first = train(tiny_model_dir("encoder"), data, data, tmp_path / "a", **kwargs)  # type: ignore[arg-type]
    second = train(tiny_model_dir("encoder"), data, data, tmp_path / "b", **kwargs)  # type: ignore[arg-type]
    assert first.revision == second.revision


def test_a_classifier_with_another_label_count_can_be_retrained_to_three_classes(tmp_path: Path) -> None:
    data = tmp_path / "d.tsv"
    data.write_text("".join(f"{label}\t{text}\n" for label, text in _rows(16, 4)), encoding="utf-8")
    report = train(
        tiny_model_dir("five_stars"),
        data,
        data,
        tmp_path / "m",
        epochs=1,
        batch_size=8,
        max_length=16,
        progress=False,
        echo=lambda _: None,
    )
    assert load_model(NlpSettings(model=report.out_dir)).mapping.labels == ("negative", "neutral", "positive")


def test_binary_training_data_is_accepted_and_evaluated_on_its_two_classes(tmp_path: Path) -> None:
    data = tmp_path / "sst.tsv"
    data.write_text(
        "label\tcontent\n"
        + "".join(f"{0 if i % 2 else 1}\t{(NEGATIVE if i % 2 else POSITIVE)[i % 4]}\n" for i in range(16))
    )
    report = train(
        tiny_model_dir("encoder"),
        data,
        data,
        tmp_path / "m",
        epochs=1,
        batch_size=8,
        max_length=16,
        progress=False,
        echo=lambda _: None,
    )
    assert report.n_eval == 16


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        train(tiny_model_dir("encoder"), tmp_path / "x", tmp_path / "y", tmp_path / "z", epochs=0, echo=lambda _: None)


def test_train_uses_the_same_text_preparation_as_the_scorer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nlp.scorer
    import nlp.train

    assert nlp.train.prepare_text is nlp.scorer.prepare_text
    seen: list[str] = []
    real = nlp.train._batches
    monkeypatch.setattr(nlp.train, "_batches", lambda data, *a, **k: (seen.extend(data.texts), real(data, *a, **k))[1])
    data = tmp_path / "d.tsv"
    data.write_text("".join(f"{i % 3}\t@bob the car https://x.example/y\n" for i in range(6)), encoding="utf-8")
    out = tmp_path / "m"
    train(
        tiny_model_dir("encoder"),
        data,
        data,
        out,
        epochs=1,
        batch_size=6,
        max_length=24,
        progress=False,
        echo=lambda _: None,
    )
    assert seen and all(t == "@user the car http" for t in seen)
    assert load_model(NlpSettings(model=str(out), max_length=128)).max_length == 24  # serving never reads further


def test_a_base_head_in_another_label_order_is_reordered_not_relabelled(tmp_path: Path) -> None:
    base = tiny_model_dir("three_shuffled")  # 0 Positive, 1 NEG, 2 neu
    data = tmp_path / "d.tsv"
    data.write_text("".join(f"{label}\t{text}\n" for label, text in _rows(12, 5)), encoding="utf-8")
    lines: list[str] = []
    train(
        base,
        data,
        data,
        tmp_path / "m",
        epochs=1,
        lr=1e-12,
        batch_size=6,
        max_length=16,
        progress=False,
        echo=lines.append,
    )
    texts = ["rude officer", "kind and polite officer", "the car"]
    before = load_sentiment_scorer(NlpSettings(model=str(base))).score(texts)
    after = load_sentiment_scorer(NlpSettings(model=str(tmp_path / "m"))).score(texts)
    for b, a in zip(before, after, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-4)
    assert any("reordered" in line for line in lines)
    assert any(line.startswith("base model on eval") and "macro-F1" in line for line in lines)
    info = json.loads((tmp_path / "m" / MODEL_INFO_FILE).read_text())
    assert info["base_eval"]["n"] == 12


def test_an_unrecognised_three_class_head_is_refused_unless_reset(tmp_path: Path) -> None:
    data = tmp_path / "d.tsv"
    data.write_text("".join(f"{label}\t{text}\n" for label, text in _rows(12, 6)), encoding="utf-8")
    with pytest.raises(ValueError, match="reset-head"):
        train(
            tiny_model_dir("generic"),
            data,
            data,
            tmp_path / "m",
            epochs=1,
            batch_size=6,
            max_length=16,
            progress=False,
            echo=lambda _: None,
        )
    train(
        tiny_model_dir("generic"),
        data,
        data,
        tmp_path / "m",
        epochs=1,
        batch_size=6,
        max_length=16,
        reset_head=True,
        progress=False,
        echo=lambda _: None,
    )
    assert load_model(NlpSettings(model=str(tmp_path / "m"))).mapping.labels == ("negative", "neutral", "positive")


def test_csv_columns_and_a_label_mapping_are_honoured(tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    stars = {0: "1", 1: "3", 2: "5"}
    data.write_text("message,stars\n" + "".join(f'"{t}",{stars[lab]}\n' for lab, t in _rows(12, 7)), encoding="utf-8")
    report = train(
        tiny_model_dir("encoder"),
        data,
        data,
        tmp_path / "m",
        epochs=1,
        batch_size=6,
        max_length=16,
        progress=False,
        text_column="message",
        label_column="stars",
        label_map={"1": "negative", "3": "neutral", "5": "positive"},
        echo=lambda _: None,
    )
    assert report.n_train == 12
