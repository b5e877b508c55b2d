"""`trustline model train --from-corrections` and `trustline corrections export`, on SQLite and
PostgreSQL, with a tiny model: staff corrections become a training set and a JSONL file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from cli.corrections import MIN_CORRECTIONS
from cli.main import app
from nlp.topics import TOPICS
from storage import cases
from storage.cases import Actor
from storage.db import Database
from tests.cli.test_cli import write_config
from tests.support.followups import RULES, add_submission, seed_org
from tests.support.tiny_models import tiny_model_dir

runner = CliRunner()
TEXTS = ("the officer was rude", "they came late", "kind officers thanks", "the car was on the street")


def corrected_cases(db: Database, n: int) -> None:
    """``n`` cases, each with one message whose tone a supervisor corrected (and every third its topics)."""
    org = seed_org(db)
    for i in range(n):
        sub = add_submission(db, unit_id=org.unit_id, texts=(f"{TEXTS[i % 4]} {i}",), scores=(-0.8,))
        case_id = db.call(cases.evaluate_submission, sub, RULES).case_id
        db.call(cases.correct_sentiment, case_id, Actor(org.supervisor), ("neutral", "positive")[i % 2])
        if i % 3 == 0:
            db.call(cases.correct_topics, case_id, Actor(org.supervisor), ["response_time"], TOPICS)


def train_args(cfg: Path, out: Path, *extra: str) -> list[str]:
    return ["--config", str(cfg), "model", "train", "--base", str(tiny_model_dir("encoder")), "--from-corrections",
            "--out", str(out), "--epochs", "1", "--batch-size", "8", "--max-length", "16", *extra]


def test_train_from_corrections_writes_a_model_and_says_how_many_examples_came_from_them(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    corrected_cases(database, 24)
    extra = tmp_path / "extra.tsv"
    extra.write_text("".join(f"{i % 3}\tthe officer was {['rude', 'late', 'kind'][i % 3]}\n" for i in range(6)))
    out = tmp_path / "model"
    result = runner.invoke(app, train_args(write_config(tmp_path, db_url), out, "--data", str(extra)))
    assert result.exit_code == 0, result.output
    assert "24 training examples come from staff corrections, 6 from" in result.output
    assert "eval accuracy" in result.output and (out / "config.json").is_file()
    record = json.loads((out / "trustline-model.json").read_text())
    assert record["provenance"]["corrections"] == 24 and record["provenance"]["eval"] == "20% held out"
    assert record["train_file"]["rows"] + record["eval_file"]["rows"] == 30


def test_train_from_too_few_corrections_refuses_in_one_line(database: Database, db_url: str, tmp_path: Path) -> None:
    corrected_cases(database, 5)
    result = runner.invoke(app, train_args(write_config(tmp_path, db_url), tmp_path / "model"))
    assert result.exit_code == 1
    assert f"Only 5 messages with a staff-corrected sentiment; at least {MIN_CORRECTIONS} are needed" in result.output
    assert not (tmp_path / "model").exists()


def test_corrections_export_writes_text_label_and_topics(database: Database, db_url: str, tmp_path: Path) -> None:
    corrected_cases(database, 4)
    out = tmp_path / "corrections.jsonl"
    cfg = write_config(tmp_path, db_url)
    result = runner.invoke(app, ["--config", str(cfg), "corrections", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote 4 corrected messages" in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0] == {"text": "the officer was rude 0", "lang": "en", "label": "neutral", "sentiment": "neutral",
                       "topics": ["response_time"]}
    assert [r["label"] for r in rows] == ["neutral", "positive", "neutral", "positive"]
    assert ["topics" in r for r in rows] == [True, False, False, True]


def test_export_records_carry_the_corrected_labels_beside_the_models(
    database: Database, db_url: str, tmp_path: Path
) -> None:
    import csv
    from datetime import date, timedelta

    corrected_cases(database, 3)
    cfg = write_config(tmp_path, db_url)
    today = date.today()  # a window wide enough for any agency time zone
    args = ["--config", str(cfg), "export", "--since", str(today - timedelta(days=2)),
            "--until", str(today + timedelta(days=2)), "--format", "csv", "--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "feedback.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [(r["score_label"], r["corrected_sentiment"], r["corrected_topics"]) for r in rows] == [
        ("negative", "neutral", "response_time"), ("negative", "positive", ""), ("negative", "neutral", ""),
    ]
