"""The `trustline model ...` sub-app and `trustline score` on tiny models (no network)."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import typer
from typer.testing import CliRunner

from cli.model import _select_files, model_app, score_command, settings_from_context
from nlp.settings import NlpSettings
from tests.support.tiny_models import tiny_model_dir, tiny_three_class_model  # noqa: F401 - fixture

runner = CliRunner()


def _app(obj: object = None) -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main(ctx: typer.Context) -> None:  # the lead's CLI puts its loaded config here
        ctx.obj = obj

    app.add_typer(model_app, name="model")
    app.command("score")(score_command)
    return app


def test_info_shows_model_revision_and_label_polarity(tiny_three_class_model: Path) -> None:
    result = runner.invoke(_app(), ["model", "info", "--model", str(tiny_three_class_model)])
    assert result.exit_code == 0, result.output
    assert "local-" in result.output
    assert "negative=-1" in result.output and "positive=+1" in result.output


def test_info_reads_the_model_from_the_app_config_in_ctx_obj(tiny_three_class_model: Path) -> None:
    config = SimpleNamespace(nlp=NlpSettings(model=str(tiny_model_dir("five_stars"))))
    result = runner.invoke(_app(config), ["model", "info"])
    assert result.exit_code == 0, result.output
    assert "5-class stars" in result.output


def test_info_on_a_missing_model_exits_2_with_the_fix(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["model", "info", "--model", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "trustline model download" in result.output


def test_score_prints_sentiment_topics_redaction_and_alerts(tiny_three_class_model: Path) -> None:
    text = "The officer was rude, he has a gun! Call me on +34 612 34 56 78"
    result = runner.invoke(_app(NlpSettings(model=str(tiny_three_class_model))), ["score", text])
    assert result.exit_code == 0, result.output
    assert "[phone]" in result.output and "+34" not in result.output.split("redacted:")[1].splitlines()[0]
    assert "respect" in result.output
    assert "ALERT" in result.output and "has a gun" in result.output
    assert "sentiment:" in result.output


def test_score_json_output_is_machine_readable(tiny_three_class_model: Path) -> None:
    result = runner.invoke(_app(), ["score", "kind officers", "--model", str(tiny_three_class_model), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert -1 <= payload["sentiment"]["score"] <= 1
    assert payload["topics"] == ["respect", "praise"] or "praise" in payload["topics"]
    assert payload["error"] is None


def test_score_still_shows_rule_results_when_the_model_cannot_load(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["score", "Thanks officers", "--model", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "praise" in result.output and "no such directory" in result.output


def test_download_refuses_politely_when_offline(tmp_path: Path, monkeypatch: object) -> None:
    result = runner.invoke(_app(), ["model", "download", "org/model", "--out", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "offline" in result.output


def test_train_command_fine_tunes_and_prints_eval_figures(tmp_path: Path) -> None:
    data = tmp_path / "d.tsv"
    data.write_text("".join(f"{i % 3}\t{['rude officer', 'the car', 'kind officers'][i % 3]}\n" for i in range(18)))
    args = ["model", "train", "--base", str(tiny_model_dir("encoder")), "--train", str(data), "--eval", str(data),
            "--out", str(tmp_path / "out"), "--epochs", "1", "--batch-size", "6", "--max-length", "16"]
    result = runner.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert "eval accuracy" in result.output and "macro-F1" in result.output
    assert (tmp_path / "out" / "config.json").is_file()
    info = runner.invoke(_app(), ["model", "info", "--model", str(tmp_path / "out")])
    assert info.exit_code == 0, info.output
    assert "trained from" in info.output and str(data) in info.output and "eval (new model)" in info.output
    assert "follow-up cut" in info.output and "[default" in info.output


def test_settings_come_from_ctx_obj_in_any_supported_shape() -> None:
    settings = NlpSettings(model="x/y")
    for obj in (settings, SimpleNamespace(nlp=settings), lambda: settings, {"nlp": {"model": "x/y"}}):
        ctx = typer.Context(typer.main.get_command(typer.Typer(callback=lambda: None)), obj=obj)
        assert settings_from_context(ctx).model == "x/y"
    assert settings_from_context(None) == NlpSettings()


def test_download_picks_safetensors_over_pytorch_bin_and_skips_other_frameworks() -> None:
    names = ["config.json", "model.safetensors", "pytorch_model.bin", "tf_model.h5", "tokenizer.json",
             "sentencepiece.bpe.model", "special_tokens_map.json", "onnx/model.onnx", "README.md", "flax_model.msgpack"]
    assert _select_files(names) == ["config.json", "model.safetensors", "sentencepiece.bpe.model", "special_tokens_map.json", "tokenizer.json"]
    assert "pytorch_model.bin" in _select_files(["config.json", "pytorch_model.bin"])


def test_info_says_which_safety_head_is_in_force_and_where_its_cuts_came_from(tiny_three_class_model: Path) -> None:
    result = runner.invoke(_app(), ["model", "info", "--model", str(tiny_three_class_model)])
    assert "safety head" in result.output and "(shipped): alert P>=" in result.output
    assert "cross-validation on nlp/training" in result.output
    off = SimpleNamespace(nlp=NlpSettings(model=str(tiny_three_class_model), safety_head="off"))
    assert "off (nlp.safety_head = 'off')" in runner.invoke(_app(off), ["model", "info"]).output


def test_thresholds_from_a_calibration_file_are_in_force_unless_the_config_sets_them(
    tiny_three_class_model: Path, tmp_path: Path
) -> None:
    from services.settings import load_settings

    cal = tmp_path / "trustline-calibration.json"
    cal.write_text(json.dumps({"thresholds": {
        "followup.negative_score_threshold": {"value": -0.11},
        "nlp.emergency_model_threshold": {"value": -0.42},
    }}))
    nlp = {"model": str(tiny_three_class_model), "calibration": str(cal)}
    config = tmp_path / "config.toml"
    config.write_text("")
    calibrated = load_settings(config, nlp=nlp)
    assert calibrated.followup.negative_score_threshold == -0.11 and calibrated.nlp.emergency_model_threshold == -0.42
    output = runner.invoke(_app(calibrated), ["model", "info"]).output
    assert f"score <= -0.11  [calibrated: nlp.calibration = {cal}]" in output
    assert f"score <= -0.42  [calibrated: nlp.calibration = {cal}]" in output

    chosen = load_settings(config, nlp=nlp, followup={"negative_score_threshold": -0.3})
    assert chosen.followup.negative_score_threshold == -0.3  # the agency's own choice wins
    output = runner.invoke(_app(chosen), ["model", "info"]).output
    assert f"score <= -0.3  [config; calibrated value in {cal}: -0.11 (not applied)]" in output
