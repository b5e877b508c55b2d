"""Configuration: TOML file, environment overrides, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from services.settings import ConfigError, Settings, load_settings
from tests.support.paths import ROOT


def test_example_config_loads_and_documents_every_section() -> None:
    settings = load_settings(ROOT / "config.example.toml")
    assert settings.storage.url.startswith("sqlite:///")
    assert settings.units, "the example ships a few units so the bot has something to ask about"
    text = (ROOT / "config.example.toml").read_text()
    for section in Settings.model_fields:
        if section != "units":
            assert f"[{section}]" in text, f"config.example.toml lacks [{section}]"
    assert "[[units]]" in text


def test_every_key_of_every_section_is_documented_in_the_example() -> None:
    text = (ROOT / "config.example.toml").read_text()
    for section, field in Settings.model_fields.items():
        model = field.annotation
        if section == "units":
            continue
        for key in model.model_fields:  # type: ignore[union-attr]
            assert f"{key} =" in text or f"# {key} =" in text, f"[{section}] {key} is not in config.example.toml"


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[telegram]\ntoken = "1:from-file"\n[agency]\nname = "File PD"\n')
    monkeypatch.setenv("TRUSTLINE_TELEGRAM__TOKEN", "2:from-env")
    monkeypatch.setenv("TRUSTLINE_PRIVACY__PSEUDONYM_SECRET", "s3cret")
    settings = load_settings(cfg)
    assert settings.telegram.token is not None and settings.telegram.token.get_secret_value() == "2:from-env"
    assert settings.privacy.pseudonym_secret is not None
    assert settings.agency.name == "File PD", "keys not overridden keep the file's value"


def test_secrets_are_not_printed_in_settings_repr(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[telegram]\ntoken = "1:very-secret"\n')
    assert "very-secret" not in repr(load_settings(cfg))


def test_bad_value_names_the_key_and_its_env_variable(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[agency]\ntimezone = "Mars/Olympus"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    message = str(err.value)
    assert "agency.timezone" in message and "TRUSTLINE_AGENCY__TIMEZONE" in message
    assert "Mars/Olympus" in message


def test_misspelt_key_is_reported_not_ignored(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[telegram]\ntokn = "1:x"\n')
    with pytest.raises(ConfigError, match="telegram.tokn: unknown key"):
        load_settings(cfg)


def test_broken_toml_is_one_clear_error(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[telegram\n")
    with pytest.raises(ConfigError, match="Could not read config file"):
        load_settings(cfg)


def test_missing_config_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_settings(tmp_path / "nope.toml")


def test_duplicate_unit_codes_are_rejected(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[[units]]\ncode="A"\nname="a"\ndistrict="N"\n[[units]]\ncode="a"\nname="b"\ndistrict="N"\n')
    with pytest.raises(ConfigError, match="duplicate unit codes"):
        load_settings(cfg)


def test_webhook_mode_requires_a_url(tmp_path: Path) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text('[telegram]\nmode = "webhook"\n')
    with pytest.raises(ConfigError, match="webhook_url"):
        load_settings(cfg)


def test_unknown_followup_topic_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[followup]\ntrigger_topics = ["use_of_forse"]\n')
    with pytest.raises(ConfigError, match=r"\n  followup\.trigger_topics: unknown topic 'use_of_forse'; known: respect, "):
        load_settings(path)


def test_a_topic_added_by_extra_keywords_may_trigger_cases(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[followup]\ntrigger_topics = ["noise"]\n[nlp]\ntopics_extra_keywords = { noise = ["loud music"] }\n')
    assert load_settings(path).followup.trigger_topics == ["noise"]


def test_unknown_rating_weight_is_an_error_naming_the_key(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[trust]\nrating_weights = { respct = 0.25 }\n")
    with pytest.raises(ConfigError, match=r"trust\.rating_weights: .*'respct': unknown rating item; "
                                          r"known: respect, listening, fairness, safety"):
        load_settings(path)


def test_removed_settings_are_refused_not_ignored(tmp_path: Path) -> None:
    for section, key in (("nlp", "topics_zero_shot_model"), ("privacy", "privacy_url")):
        path = tmp_path / "c.toml"
        path.write_text(f'[{section}]\n{key} = "x"\n')
        with pytest.raises(ConfigError, match=f"{section}.{key}: unknown key"):
            load_settings(path)
