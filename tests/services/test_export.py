"""Export writing: per-export resident keys and CSV/Parquet files with fixed columns."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from services.access import Scope
from services.digests import load_report, render_digest
from services.export import Anonymiser, Sink, export_feedback
from storage import rollups
from storage.db import Database
from tests.support.digests import demo_settings, seed
from trust.stats import index_text


def test_resident_keys_are_stable_within_an_export_and_unlinkable_across_exports() -> None:
    first, second = Anonymiser(), Anonymiser()
    assert first(42) == first(42) != first(43)
    assert first(42) != second(42), "a new export draws a new secret"
    assert len(first(42)) == 16, "8 random-keyed bytes, hex"


def test_csv_has_the_fixed_columns_with_lists_joined_and_dicts_as_json(tmp_path: Path) -> None:
    sink = Sink(tmp_path / "rows.csv", "csv", {"week": "str", "topics": "list", "n": "int", "extra": "str"})
    sink.write([{"week": "2026-W47", "topics": ["traffic", "noise"], "n": 3, "extra": {"b": 1, "a": 2}, "dropped": "x"}])
    sink.write([])
    sink.close()
    rows = list(csv.DictReader((tmp_path / "rows.csv").open(encoding="utf-8")))
    assert sink.count == 1
    assert rows == [{"week": "2026-W47", "topics": "traffic;noise", "n": "3", "extra": '{"a": 2, "b": 1}'}]


def test_parquet_keeps_types_and_lists(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    sink = Sink(tmp_path / "rows.parquet", "parquet", {"week": "str", "topics": "list", "value": "float", "n": "int"})
    sink.write([{"week": "2026-W47", "topics": ["traffic"], "value": 0.5, "n": 2}, {"week": "2026-W48"}])
    sink.close()
    table = pq.read_table(tmp_path / "rows.parquet")
    assert sink.count == 2 and table.column_names == ["week", "topics", "value", "n"]
    assert table.to_pylist()[0] == {"week": "2026-W47", "topics": ["traffic"], "value": 0.5, "n": 2}
    assert table.to_pylist()[1]["n"] is None


def _group_rows(tmp_path: Path, database: Any, settings: Any) -> list[dict[str, str]]:
    database.call(rollups.ensure_config, rollups.RollupConfig.of(settings.agency.timezone, settings.trust))
    export_feedback(database, settings, date(2026, 11, 16), date(2026, 11, 22), tmp_path, "csv")
    return list(csv.DictReader((tmp_path / "group_stats.csv").open(encoding="utf-8")))


def test_group_stats_carry_the_index_and_interval_exactly_as_the_digest_shows_them(
    tmp_path: Path, database: Database, db_url: str
) -> None:
    seed(database, weeks=6)
    settings = demo_settings(db_url, trust={"min_residents": 12})  # some groups too small to show
    rows = {(r["dimension"], r["key"], r["topic"]): r for r in _group_rows(tmp_path, database, settings)
            if r["week"] == "2026-W47"}
    loaded = database.call(load_report, settings, "2026-W47", Scope("agency"))
    report = loaded.report
    figures = [report.agency, *report.districts, *report.units, *report.topics, *report.channels, *report.languages]
    shown = 0
    for fig in figures:
        row = rows[(fig.key.dimension, fig.key.key, fig.key.topic or "")]
        if fig.index is None:
            assert (row["index"], row["index_low"], row["index_high"]) == ("", "", ""), fig.label
            continue
        shown += 1
        assert (row["index"], row["index_low"], row["index_high"]) == (
            index_text(fig.index), index_text(fig.index_low), index_text(fig.index_high)), fig.label
    assert shown >= 5 and any(f.index is None for f in figures), "both kinds are checked"
    agency = rows[("agency", report.agency.key.key, "")]
    text = render_digest(loaded, settings, "en", charts=False).text
    assert f"{agency['index_low']}–{agency['index_high']}" in text and agency["index"] in text
    unit = database.call(load_report, settings, "2026-W47", Scope("unit", "s-traffic")).report.units[0]
    assert rows[("unit", "s-traffic", "")]["index"] == (index_text(unit.index) if unit.index is not None else "")


def test_exported_values_have_no_float_noise(tmp_path: Path, database: Database, db_url: str) -> None:
    seed(database, weeks=2)
    settings = demo_settings(db_url)
    groups = _group_rows(tmp_path, database, settings)
    records = list(csv.DictReader((tmp_path / "feedback.csv").open(encoding="utf-8")))
    voices = list(csv.DictReader((tmp_path / "rollups.csv").open(encoding="utf-8")))
    values = [r[c] for r in groups for c in ("value_sum", "value_sum_sq", "mean")]
    values += [r[c] for r in records for c in ("score", "value")] + [r["value_sum"] for r in voices]
    assert records and groups and voices
    noisy = [v for v in values if len(v.partition(".")[2]) > 3]
    assert not noisy, noisy[:5]
    assert all(r["index"].isdigit() for r in groups if r["index"])
