"""Loading models: label mapping, revisions, devices, and one clear error when loading fails."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nlp.model import MODEL_INFO_FILE, ModelLoadError, load_model, local_model_dir, local_revision, resolve_device
from nlp.settings import NlpSettings
from tests.support.tiny_models import tiny_model_dir


@pytest.mark.parametrize(
    ("kind", "polarity"),
    [
        ("two", (-1.0, 1.0)),
        ("three", (-1.0, 0.0, 1.0)),
        ("three_shuffled", (1.0, -1.0, 0.0)),
        ("five_stars", (-1.0, -0.5, 0.0, 0.5, 1.0)),
    ],
)
def test_local_model_loads_with_the_label_polarity_of_its_scheme(kind: str, polarity: tuple[float, ...]) -> None:
    loaded = load_model(NlpSettings(model=str(tiny_model_dir(kind))))
    assert loaded.mapping.polarity == polarity
    assert loaded.source == "local"
    assert loaded.device.type == "cpu"


def test_generic_labels_fail_to_load_with_advice_to_set_label_polarity() -> None:
    with pytest.raises(ModelLoadError) as err:
        load_model(NlpSettings(model=str(tiny_model_dir("generic"))))
    message = str(err.value)
    assert "nlp.label_polarity" in message
    assert str(tiny_model_dir("generic")) in message


def test_generic_labels_load_with_a_label_polarity_override() -> None:
    settings = NlpSettings(model=str(tiny_model_dir("generic")), label_polarity={"LABEL_0": -1, "LABEL_1": 0, "LABEL_2": 1})
    assert load_model(settings).mapping.polarity == (-1.0, 0.0, 1.0)


def test_missing_local_directory_error_names_the_path_and_the_fix(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ModelLoadError) as err:
        load_model(NlpSettings(model=str(missing)))
    message = str(err.value)
    assert str(missing) in message
    assert "no such directory" in message
    assert "trustline model download" in message


def test_directory_without_weights_is_reported_as_such(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelLoadError, match="no weight file"):
        load_model(NlpSettings(model=str(tmp_path)))


def test_corrupt_weights_give_a_single_model_load_error(tmp_path: Path) -> None:
    target = tmp_path / "m"
    shutil.copytree(tiny_model_dir("three"), target)
    (target / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError) as err:
        load_model(NlpSettings(model=str(target)))
    assert "local directory" in str(err.value)


def test_uncached_hub_id_offline_fails_fast_and_says_it_was_offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings = NlpSettings(model="trustline-test/definitely-not-cached", cache_dir=str(tmp_path))
    with pytest.raises(ModelLoadError) as err:
        load_model(settings)
    message = str(err.value)
    assert "trustline-test/definitely-not-cached" in message
    assert "offline" in message
    assert "trustline model download trustline-test/definitely-not-cached --out DIR" in message


def test_hub_id_and_path_are_told_apart() -> None:
    assert local_model_dir("cardiffnlp/twitter-xlm-roberta-base-sentiment") is None
    assert local_model_dir("./models/x") == Path("./models/x")
    assert local_model_dir("/opt/models/x") == Path("/opt/models/x")


def test_local_revision_is_a_stable_hash_of_config_and_weight_metadata(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model_dir("three"), copy)
    original = local_revision(tiny_model_dir("three"))
    assert original.startswith("local-") and len(original) == len("local-") + 12
    assert local_revision(copy) == original
    (copy / "config.json").write_text((copy / "config.json").read_text().replace("32", "33", 1))
    assert local_revision(copy) != original


def test_downloaded_model_reports_its_hub_commit(tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model_dir("three"), copy)
    (copy / MODEL_INFO_FILE).write_text(json.dumps({"name": "x/y", "revision": "a" * 40}))
    assert load_model(NlpSettings(model=str(copy))).revision == "a" * 40


def test_max_length_is_capped_by_the_model_position_limit() -> None:
    loaded = load_model(NlpSettings(model=str(tiny_model_dir("three")), max_length=512))
    assert loaded.max_length == 64


def test_cuda_request_without_a_gpu_falls_back_to_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("cuda").type == "cpu"
    assert resolve_device("auto").type == "cpu"
    assert resolve_device("cpu").type == "cpu"


def test_cuda_is_used_when_configured_and_present(monkeypatch: pytest.MonkeyPatch) -> None:
    """No GPU here: CUDA is reported present and moves are recorded instead of made."""
    import torch

    moved: list[str] = []

    def to(self: torch.nn.Module, *args: object, **kwargs: object) -> torch.nn.Module:
        moved.append(str(args[0] if args else kwargs.get("device")))
        return self

    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.nn.Module, "to", to)
    loaded = load_model(NlpSettings(model=str(tiny_model_dir("three")), device="cuda"))
    assert loaded.device.type == "cuda" and moved == ["cuda"]
