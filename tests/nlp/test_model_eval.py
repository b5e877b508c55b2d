"""`trustline model eval|calibrate|train-head|info` and the embedding-head backend, on tiny models.

The embedding head is tested with a fake encoder (a deterministic bag-of-words hash), so nothing
here needs the real USE weights; the shipped head's quality is measured by
bench/train_sentiment_head.py and tests/test_nlp_realmodel.py.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

import nlp.head as head_mod
from cli.model import model_app
from nlp.analysis import analyse
from nlp.backends import load_sentiment_scorer
from nlp.evaluation import evaluate_alerts, evaluate_sensitive, evaluate_topics
from nlp.head import (
    ENCODER_DIM,
    EnsembleHead,
    Head,
    HeadError,
    HeadScorer,
    features,
    fit_ensemble,
    fit_head,
    load_head,
    shipped_head,
)
from nlp.model_eval import calibrate_followup, evaluate, predict
from nlp.scorer import SentimentScorer, prepare_text
from nlp.settings import NlpSettings
from tests.support.paths import SHARED
from tests.support.tiny_models import tiny_three_class_model  # noqa: F401 - fixture

runner = CliRunner()

ROWS = [
    {"id": "a", "lang": "en", "text": "The officer was rude and nobody came for hours.", "sentiment": "negative",
     "topics": ["respect", "response_time"], "sensitive": False, "emergency": "none", "needs_followup": True},
    {"id": "b", "lang": "en", "text": "Thank you, the officers were kind and helpful!", "sentiment": "positive",
     "topics": ["praise", "respect"], "sensitive": False, "emergency": "none", "needs_followup": False},
    {"id": "c", "lang": "es", "text": "Hay un hombre con una pistola en mi casa ahora mismo, ayuda", "sentiment": "neutral",
     "topics": ["safety"], "sensitive": False, "emergency": "emergency", "needs_followup": True},
    {"id": "d", "lang": "es", "text": "El policía me pegó sin motivo", "sentiment": "negative",
     "topics": ["use_of_force"], "sensitive": True, "emergency": "none", "needs_followup": True},
]


def fake_encode(texts: list[str]) -> list[list[float]]:
    """Deterministic stand-in for USE: hashed bag of words, L2-normalised."""
    out = []
    for text in texts:
        vec = [0.0] * ENCODER_DIM
        for word in text.lower().split():
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % ENCODER_DIM] += 1.0
        norm = sum(v * v for v in vec) ** 0.5 or 1.0
        out.append([v / norm for v in vec])
    return out


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "dev.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    return path


def _app(obj: object = None) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:
        ctx.obj = obj

    app.add_typer(model_app, name="model")
    return app


def test_model_eval_prints_per_language_figures(data_file: Path, tiny_three_class_model: Path) -> None:
    result = runner.invoke(_app(NlpSettings(model=str(tiny_three_class_model))), ["model", "eval", "--data", str(data_file)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("lang") and "sent-F1" in line and "false-alert" in line for line in lines)
    assert [line.split()[0] for line in lines if line[:3] in ("en ", "es ", "all")] == ["en", "es", "all"]


def test_model_eval_json_prints_one_object_per_input_line(data_file: Path, tiny_three_class_model: Path) -> None:
    result = runner.invoke(_app(), ["model", "eval", "--data", str(data_file), "--json", "--model", str(tiny_three_class_model)])
    assert result.exit_code == 0, result.output
    objs = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in objs] == ["a", "b", "c", "d"]
    assert set(objs[0]) == {"id", "label", "score", "topics", "sensitive", "alerts"}
    assert "emergency" in objs[2]["alerts"]
    assert objs[3]["sensitive"] is True and "use_of_force" in objs[3]["topics"]


def test_model_eval_accepts_config(tmp_path: Path, data_file: Path, tiny_three_class_model: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text(f'[nlp]\nmodel = "{tiny_three_class_model}"\n', encoding="utf-8")
    result = runner.invoke(_app(), ["model", "eval", "--data", str(data_file), "--config", str(config), "--json"])
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == 4


def test_evaluate_computes_sentiment_topic_sensitive_and_emergency_figures() -> None:
    class Fixed:
        def __init__(self, score: float, label: str) -> None:
            self.score, self.label = score, label

    gold_labels = {"negative": -0.9, "neutral": 0.0, "positive": 0.9}
    preds = predict(ROWS, lambda texts: [Fixed(gold_labels[r["sentiment"]], r["sentiment"]) for r in ROWS], NlpSettings())
    report = evaluate(ROWS, preds)
    assert report["en"]["sentiment"]["n"] == 2 and report["all"]["sentiment"]["accuracy"] == 1.0
    assert report["es"]["emergency"]["recall"] == 1.0 and report["all"]["emergency"]["false_alert_rate"] == 0.0
    assert report["es"]["sensitive"]["recall"] == 1.0


def test_evaluate_uses_the_one_definition_of_each_metric_and_textanalysis_sensitive() -> None:
    class Neutral:
        score, label = 0.0, "neutral"

    preds = predict(ROWS, lambda texts: [Neutral() for _ in texts], NlpSettings())
    assert [p.sensitive for p in preds] == [analyse(r["text"]).sensitive for r in ROWS]
    report = evaluate(ROWS, preds)

    def rules(text: str, lang: str | None) -> object:
        return analyse(text, lang)

    topics = evaluate_topics(ROWS, rules).per_language
    sensitive = evaluate_sensitive(ROWS, rules).per_language
    alerts = evaluate_alerts(ROWS, rules).per_language
    for lang in ("en", "es", "all"):
        assert report[lang]["topics"]["f1"] == topics[lang].f1
        assert report[lang]["sensitive"]["recall"] == (sensitive[lang].recall if sensitive[lang].positives else None)
        assert report[lang]["emergency"]["false_alert_rate"] == alerts[lang].false_alert_rate


def test_calibrate_followup_picks_the_most_negative_cut_reaching_the_target_recall() -> None:
    scores = [-0.9, -0.7, -0.5, -0.1, 0.2, 0.8]
    gold = [True, True, True, True, False, False]
    proposal = calibrate_followup(scores, gold, target_recall=0.75)
    assert proposal.value == -0.5 and proposal.recall == 0.75 and proposal.precision == 1.0 and proposal.reached


def test_model_calibrate_proposes_thresholds_and_writes_them(data_file: Path, tmp_path: Path, tiny_three_class_model: Path) -> None:
    out = tmp_path / "cal.json"
    args = ["model", "calibrate", "--data", str(data_file), "--model", str(tiny_three_class_model), "--write", str(out)]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert "followup.negative_score_threshold =" in result.output and "nlp.emergency_model_threshold =" in result.output
    assert "[followup]" in result.output and "negative_score_threshold = " in result.output
    record = json.loads(out.read_text())
    assert set(record["thresholds"]) == {"followup.negative_score_threshold", "nlp.emergency_model_threshold"}
    info = runner.invoke(_app(), ["model", "info", "--model", str(tiny_three_class_model), "--calibration", str(out)])
    assert info.exit_code == 0, info.output
    assert "follow-up cut" in info.output and "calibrated value" in info.output


def test_prepare_text_is_the_scorers_normalisation() -> None:
    assert prepare_text("@bob see https://x.y/z", NlpSettings()) == "@user see http"
    assert prepare_text("@bob", NlpSettings(tweet_normalise=False)) == "@bob"


def test_embedding_head_scores_through_the_scorer_seam(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(head_mod, "load_encoder", lambda: fake_encode)
    scorer = load_sentiment_scorer(NlpSettings(backend="embedding-head"))
    results = scorer.score(["rude officer, terrible", "", "thank you, kind officers"])
    assert results[1].empty and results[1].label == "neutral"
    assert set(results[0].probabilities) == {"negative", "neutral", "positive"}
    assert scorer.revision.startswith("head-") and "embedding-head" in scorer.model_name


def test_a_trained_head_learns_its_data_and_round_trips(tmp_path: Path) -> None:
    texts = ["rude terrible slow", "awful officers", "the car street", "a day at noon", "thanks kind great", "excellent help"] * 5
    labels = [0, 0, 1, 1, 2, 2] * 5
    head = fit_head(features(texts, fake_encode, 4.0), labels, l2=1e-4)
    path = head.save(tmp_path / "h.json")
    again = Head.load(path)
    assert again.revision == head.revision
    scorer = HeadScorer(again, NlpSettings(), fake_encode)
    assert [r.label for r in scorer.score(["rude terrible slow", "thanks kind great"])] == ["negative", "positive"]


def test_an_ensemble_head_learns_its_data_round_trips_exactly_and_is_reproducible(tmp_path: Path) -> None:
    texts = ["rude terrible slow", "awful officers", "the car street", "a day at noon", "thanks kind great", "excellent help"] * 5
    labels = [0, 0, 1, 1, 2, 2] * 5
    x = features(texts, fake_encode, 4.0)
    head = fit_ensemble(x, labels, members=2, hidden=16, epochs=300)
    assert fit_ensemble(x, labels, members=2, hidden=16, epochs=300).revision == head.revision  # seeded
    again = load_head(head.save(tmp_path / "e.json"))
    assert isinstance(again, EnsembleHead) and again.revision == head.revision
    assert (again.proba(x) == head.proba(x)).all()  # the file stores exactly what was trained
    scorer = HeadScorer(again, NlpSettings(), fake_encode)
    assert [r.label for r in scorer.score(["rude terrible slow", "the car street", "thanks kind great"])] == [
        "negative", "neutral", "positive"]


def test_load_head_reads_both_formats_and_refuses_a_wrong_shape(tmp_path: Path) -> None:
    texts, labels = ["rude awful", "the car", "thanks kind"] * 4, [0, 1, 2] * 4
    linear = fit_head(features(texts, fake_encode, 4.0), labels)
    assert isinstance(load_head(linear.save(tmp_path / "l.json")), Head)
    bad = fit_ensemble(features(texts, fake_encode, 4.0)[:, :100], labels, members=1, hidden=4, epochs=1)
    with pytest.raises(HeadError):
        load_head(bad.save(tmp_path / "bad.json"))
    (tmp_path / "junk.json").write_text('{"format": 2}')
    with pytest.raises(HeadError):
        load_head(tmp_path / "junk.json")


def test_the_shipped_head_is_small_and_holds_no_text() -> None:
    shipped = Path(head_mod.__file__).with_name("_shipped_head.py")
    assert shipped.stat().st_size < 5 * 1024 * 1024
    head = shipped_head()
    assert isinstance(head, EnsembleHead) and head.input_dim == ENCODER_DIM + 6
    dev = SHARED / "data" / "police-feedback" / "dev.jsonl"
    if dev.is_file():
        body = shipped.read_text(encoding="utf-8")
        texts = [json.loads(line)["text"] for line in dev.read_text(encoding="utf-8").splitlines() if line.strip()]
        assert not [t for t in texts if len(t) >= 20 and t[:40] in body]


def test_model_train_head_command_writes_a_usable_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(head_mod, "load_encoder", lambda: fake_encode)
    data = tmp_path / "d.tsv"
    data.write_text("".join(f"{i % 3}\t{['rude officer', 'the car', 'kind officers'][i % 3]}\n" for i in range(18)))
    out = tmp_path / "head.json"
    result = runner.invoke(_app(), ["model", "train-head", "--train", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    info = runner.invoke(_app(NlpSettings(backend="embedding-head", head=str(out))), ["model", "info"])
    assert info.exit_code == 0, info.output
    assert "embedding-head" in info.output and str(data) in info.output
