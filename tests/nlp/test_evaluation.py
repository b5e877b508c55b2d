"""nlp.evaluation on tiny invented records, and the dev-set figures when ../shared is present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.evaluation import evaluate_alerts, evaluate_sensitive, evaluate_topics, is_held_out, split
from tests.support.paths import SHARED

RECORDS = [
    {"id": "t-1", "lang": "en", "text": "Someone is breaking in right now, hurry", "emergency": "emergency",
     "sensitive": False, "topics": ["safety"]},
    {"id": "t-2", "lang": "en", "text": "Thanks, the officers were very polite", "emergency": "none",
     "sensitive": False, "topics": ["respect", "praise"]},
    {"id": "t-3", "lang": "de", "text": "Ich will mich umbringen", "emergency": "self_harm", "sensitive": False,
     "topics": []},
    {"id": "t-4", "lang": "de", "text": "Der Polizist hat mich geschlagen", "emergency": "none", "sensitive": True,
     "topics": ["use_of_force"]},
]


def test_alert_figures_are_given_per_language_and_overall() -> None:
    report = evaluate_alerts(RECORDS).per_language
    assert set(report) == {"en", "de", "all"}
    assert report["all"].urgent == 2 and report["all"].calm == 2
    assert report["all"].alert_recall == 1.0 and report["all"].false_alert_rate == 0.0
    assert report["de"].self_harm == 1 and report["de"].self_harm_recall == 1.0


def test_sensitive_figures_count_precision_and_recall() -> None:
    fig = evaluate_sensitive(RECORDS).per_language["all"]
    assert (fig.positives, fig.true_positives, fig.recall) == (1, 1, 1.0)
    assert fig.precision == pytest.approx(fig.true_positives / fig.predicted)


def test_topic_figures_are_micro_averaged_over_the_nine_topics() -> None:
    fig = evaluate_topics(RECORDS).per_language["all"]
    gold = sum(f.positives for f in fig.per_topic.values())
    assert gold == 4
    assert 0.0 < fig.f1 <= 1.0
    assert set(fig.per_topic) >= {"respect", "praise", "use_of_force"}


def test_a_predictor_can_be_injected_and_missing_labels_are_skipped() -> None:
    from nlp.analysis import Analyser

    calls: list[str] = []
    analyser = Analyser()

    def predict(text: str, lang: str | None):  # type: ignore[no-untyped-def]
        calls.append(text)
        return analyser.analyse(text, lang)

    report = evaluate_alerts([*RECORDS, {"id": "t-5", "lang": "fr", "text": "bonjour"}], predict)
    assert "fr" not in report.per_language and len(calls) == 4


def test_the_split_holds_out_every_third_id() -> None:
    assert is_held_out({"id": "d-3"}) and not is_held_out({"id": "d-4"})
    dev, held = split([{"id": f"d-{i}"} for i in range(1, 10)])
    assert [r["id"] for r in held] == ["d-3", "d-6", "d-9"] and len(dev) == 6


DEV_SET = SHARED / "data" / "police-feedback" / "dev.jsonl"


@pytest.mark.skipif(not DEV_SET.exists(), reason="../shared/data/police-feedback/dev.jsonl not present")
def test_dev_set_targets_on_the_full_set() -> None:
    records = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    alerts = evaluate_alerts(records).per_language["all"]
    assert alerts.advised_recall >= 0.85 and alerts.false_alert_rate <= 0.03
    assert evaluate_sensitive(records).per_language["all"].recall >= 0.8
    assert evaluate_topics(records).per_language["all"].f1 >= 0.7
