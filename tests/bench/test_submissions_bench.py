"""Smoke test of bench/submissions.py: two residents, two messages each, both bots, SQLite."""

from __future__ import annotations

import json
from pathlib import Path

from bench import submissions


def test_both_bots_complete_every_submission_and_lose_nothing(tmp_path: Path) -> None:
    out = tmp_path / "submissions.json"
    results = submissions.main(["--residents", "2", "--messages", "2", "--timeout", "20", "--json", str(out)])

    assert json.loads(out.read_text(encoding="utf-8")) == results
    assert set(results["bots"]) == {"Trustline", "naive"}
    for name, bot in results["bots"].items():
        assert bot["problems"] == [], name
        assert bot["completed"] == 2, name
        assert (bot["messages_sent"], bot["messages_stored"], bot["messages_lost"]) == (4, 4, 0), name
        assert bot["calls_with_chat_id_per_submission"] > 0, name
        assert bot["calls_all_per_submission"] >= bot["calls_with_chat_id_per_submission"], name
        assert bot["done_to_reference_ms"]["n"] == 2 and bot["done_to_reference_ms"]["p95"] is not None, name
        assert bot["all_scored_s"] is not None, name
    assert [t["pass"] for t in results["targets"]][2] is True  # "nothing lost"
