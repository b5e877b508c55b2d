"""bench/eval_sentiment.py runs end to end on a tiny model and small files."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.paths import ROOT
from tests.support.tiny_models import tiny_three_class_model  # noqa: F401 - fixture

BENCH = ROOT / "bench" / "eval_sentiment.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_sentiment", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_sentiment"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_bench_reports_model_and_vader_side_by_side_for_binary_and_three_class_sets(
    bench: ModuleType, tiny_three_class_model: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "dev.tsv"
    binary.write_text("label\tcontent\n0\tterrible and rude\n1\tgreat and kind\n0\tslow\n1\tthanks\n")
    vader = tmp_path / "tweets_GroundTruth.txt"
    vader.write_text("1\t2.7\tgreat help thanks\n2\t-3.0\tterrible rude officer\n3\t0.1\tthe car\n")
    out = tmp_path / "r.json"

    assert bench.main(["--model", str(tiny_three_class_model), "--data", str(binary), "--data", str(vader), "--json", str(out)]) == 0

    printed = capsys.readouterr().out
    assert "| dataset |" in printed and "polarity (sign)" in printed and "3-class, neutral=wrong" in printed
    assert "model (score bands) acc" in printed
    rows = json.loads(out.read_text())["rows"]
    systems = {(r["dataset"].split("/")[-1], r["evaluation"], r["system"]) for r in rows}
    assert ("dev.tsv", "polarity (sign)", "VADER") in systems
    assert ("dev.tsv", "3-class, neutral=wrong", "model (score bands)") in systems
    assert ("tweets_GroundTruth.txt", "3-class", "model (argmax)") in systems
    assert ("tweets_GroundTruth.txt", "polarity on non-neutral gold", "VADER") in systems
    assert all(0.0 <= r["accuracy"] <= 1.0 for r in rows)


def test_signs_and_bands(bench: ModuleType) -> None:
    assert [bench._sign(x) for x in (-0.2, 0.0, 0.3)] == [0, 1, 2]
    assert [bench._band(x, 0.05) for x in (-0.05, 0.04, 0.05)] == [0, 1, 2]


def test_the_authored_training_messages_parse_cover_every_label_and_are_not_dev_copies() -> None:
    spec = importlib.util.spec_from_file_location("train_sentiment_head", ROOT / "bench" / "train_sentiment_head.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.load_authored()
    assert {r["lang"] for r in rows} == {"en", "es", "fr", "de"}
    for lang in ("en", "es", "fr", "de"):
        assert {r["label"] for r in rows if r["lang"] == lang} == {0, 1, 2}
    assert {t for r in rows for t in r["topics"]} == set(module.TOPICS)
    texts = [r["text"] for r in rows]
    assert len(rows) == len({(r["lang"], r["text"]) for r in rows})
    dev = ROOT.parent / "shared" / "data" / "police-feedback" / "dev.jsonl"
    if dev.is_file():
        dev_texts = {json.loads(line)["text"].strip().lower() for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()}
        assert not [t for t in texts if t.strip().lower() in dev_texts]
