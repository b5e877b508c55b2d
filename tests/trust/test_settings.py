import re
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from tests.support.paths import ROOT
from trust.settings import RATING_ITEMS, TrustSettings

DOC = ROOT / "docs" / "trust-index.md"


def _doc_toml():
    block = re.search(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S).group(1)
    return tomllib.loads(block)["trust"]


def test_documented_toml_block_parses_and_equals_the_defaults():
    assert TrustSettings(**_doc_toml()) == TrustSettings()


def test_every_setting_is_documented_in_the_toml_block():
    assert set(_doc_toml()) == set(TrustSettings.model_fields)


def test_defaults_match_the_brief():
    s = TrustSettings()
    assert (s.min_residents, s.prior_strength, s.confidence_level, s.baseline_weeks) == (5, 10.0, 0.90, 12)
    assert set(s.rating_weights) == set(RATING_ITEMS)


@pytest.mark.parametrize("bad", [
    {"min_residents": 1},
    {"confidence_level": 1.0},
    {"prior_strength": -1},
    {"rating_weights": {"respect": -0.5}},
    {"attention_dimensions": ["officer"]},
    {"rating_weights": {"respct": 0.25}},
    {"text_weight": 0.0, "rating_weights": {}},
    {"no_such_key": 3},
])
def test_invalid_settings_are_refused(bad):
    with pytest.raises(ValidationError):
        TrustSettings(**bad)


def test_settings_are_frozen():
    with pytest.raises(ValidationError):
        TrustSettings().min_residents = 1


def test_an_unknown_rating_item_names_itself_and_the_known_ones():
    with pytest.raises(ValidationError, match="'respct': unknown rating item; known: respect, listening, fairness, safety"):
        TrustSettings(rating_weights={"respct": 0.25})
