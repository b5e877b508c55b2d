"""bench/check_overlap.py: a training text that copies an evaluation text is caught."""

from __future__ import annotations

import json
from pathlib import Path

from bench import check_overlap


def test_a_near_copy_of_an_evaluation_text_is_reported_and_fails_the_check(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    dev = tmp_path / "dev.jsonl"
    dev.write_text(json.dumps({"text": "Great job guys, only took you three hours to show up"}) + "\n")
    training = tmp_path / "train.tsv"
    training.write_text("# label<TAB>text\npos\tThanks for coming so quickly last night\n")
    assert check_overlap.main(["--against", str(dev), str(training)]) == 0
    training.write_text("neg\tGreat job guys, only took you six hours to show up\nneg\tok\n")
    assert check_overlap.main(["--against", str(dev), str(training)]) == 1
    assert "0.83  'Great job guys, only took you six hours" in capsys.readouterr().out
