"""Export writing: per-export resident keys and CSV/Parquet files with fixed columns."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from services.export import Anonymiser, Sink


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
