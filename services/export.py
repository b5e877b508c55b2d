"""Anonymised exports (CSV or Parquet): feedback records, resident rollups, weekly group statistics.

No original text, no pseudonyms, no Telegram ids, no officers; residents (and records) appear
under keys that are random per export, so nothing links across exports.

Values on the [-1, 1] scale (scores, message values, sums, means) are rounded to 3 decimals; a
group's Trust Index and its interval are whole numbers exactly as the digest prints them
(:func:`trust.stats.index_text` of :func:`trust.report.group_figures`, the digest's own
computation), empty where the digest says "not enough feedback".
"""

from __future__ import annotations

import csv
import hashlib
import json
import secrets
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session

from services.settings import Settings
from storage import rollups
from storage.cases import latest_corrections
from storage.db import Database
from trust.aggregate import message_value
from trust.model import RATING_ITEMS
from trust.periods import period_of, period_range
from trust.report import Figure, group_figures
from trust.stats import index_text

FORMATS = ("csv", "parquet")


class Anonymiser:
    """Per-export resident keys: HMAC of the internal id under a secret thrown away afterwards."""

    def __init__(self) -> None:
        self._salt = secrets.token_bytes(32)

    def __call__(self, internal: int) -> str:
        return hashlib.blake2b(str(internal).encode(), key=self._salt, digest_size=8).hexdigest()


class Sink:
    """Writes rows to CSV or Parquet incrementally, with fixed columns and types (lists become
    ';'-joined in CSV)."""

    def __init__(self, path: Path, fmt: str, columns: dict[str, str]) -> None:
        self.path, self.fmt, self.columns, self.count = path, fmt, columns, 0
        self._file: Any = None
        self._csv: Any = None
        self._parquet: Any = None
        if fmt == "csv":
            self._file = path.open("w", newline="", encoding="utf-8")
            self._csv = csv.DictWriter(self._file, fieldnames=list(columns))
            self._csv.writeheader()
        else:
            # pyarrow is an optional extra ("trustline[export]"), only needed for Parquet.
            import pyarrow as pa
            import pyarrow.parquet as pq

            types = {"str": pa.string(), "float": pa.float64(), "int": pa.int64(), "list": pa.list_(pa.string())}
            self._schema = pa.schema([(name, types[kind]) for name, kind in columns.items()])
            self._parquet = pq.ParquetWriter(path, self._schema)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.count += len(rows)
        if self._csv is not None:
            for row in rows:
                self._csv.writerow({k: csv_value(row.get(k)) for k in self.columns})
            return
        import pyarrow as pa

        self._parquet.write_table(pa.Table.from_pylist([{k: row.get(k) for k in self.columns} for row in rows],
                                                       schema=self._schema))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        if self._parquet is not None:
            self._parquet.close()


def decimals(value: float | None, places: int = 3) -> float | None:
    """``value`` without float noise (-0.28800000000000003 -> -0.288)."""
    return None if value is None else round(value, places)


def shown_index(figure: Figure | None) -> dict[str, int | None]:
    """The index and interval as the digest prints them; None where it prints no figure."""
    if figure is None or figure.index is None or figure.index_low is None or figure.index_high is None:
        return {"index": None, "index_low": None, "index_high": None}
    return {"index": int(index_text(figure.index)), "index_low": int(index_text(figure.index_low)),
            "index_high": int(index_text(figure.index_high))}


def csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def _topics(value: str | None) -> list[str] | None:
    return None if value is None else [t for t in value.split(",") if t]


def export_feedback(db: Database, settings: Settings, first: date, last: date, out: Path, fmt: str, *,
                    redacted_text: bool = True) -> list[Sink]:
    """Write ``feedback``, ``rollups`` and ``group_stats`` files for the days ``first``..``last``
    (agency time, inclusive) into ``out``; returns the closed sinks (path and row count)."""
    tz = settings.agency.tz
    start = datetime.combine(first, time(0), tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=tz)
    out.mkdir(parents=True, exist_ok=True)
    anon = Anonymiser()
    record_ids = Anonymiser()
    trust = settings.trust

    columns = {
        "record": "str", "resident": "str", "week": "str", "day": "str", "unit": "str", "district": "str",
        "channel": "str", "language": "str", "topics": "list", "flags": "list", "score_status": "str",
        "score": "float", "score_label": "str", "model_revision": "str",
        **{f"rating_{item}": "int" for item in RATING_ITEMS},
        "value": "float",
        # Staff corrections (the latest of each; empty when never corrected): labels beside the model's.
        "corrected_sentiment": "str", "corrected_topics": "list",
    }
    if redacted_text:
        columns["redacted_text"] = "str"
    records = Sink(out / f"feedback.{fmt}", fmt, columns)

    def write_records(session: Session) -> None:
        for chunk in rollups.export_records(session, start, end):
            corrected = latest_corrections(session, [r["message_id"] for r in chunk])
            rows = []
            for r in chunk:
                local = r["received_at"].astimezone(tz)
                ratings = r["ratings"]
                value = message_value(r["score"], ratings, trust)
                row = {
                    "record": record_ids(r["message_id"]),
                    "resident": anon(r["resident_id"]),
                    "week": period_of(local, tz),
                    "day": local.date().isoformat(),
                    "unit": r["unit"],
                    "district": r["district"],
                    "channel": r["channel"],
                    "language": r["language"],
                    "topics": r["topics"],
                    "flags": r["flags"],
                    "score_status": r["score_status"],
                    "score": decimals(r["score"]),
                    "score_label": r["score_label"],
                    "model_revision": r["model_revision"],
                    **{f"rating_{item}": ratings.get(item) for item in RATING_ITEMS},
                    "value": decimals(value),
                    "corrected_sentiment": corrected.get(r["message_id"], {}).get("sentiment"),
                    "corrected_topics": _topics(corrected.get(r["message_id"], {}).get("topics")),
                }
                if redacted_text:
                    row["redacted_text"] = r["redacted_text"]
                rows.append(row)
            records.write(rows)

    try:
        db.call(write_records)
    finally:
        records.close()

    weeks = period_range(period_of(start, tz), period_of(end - timedelta(microseconds=1), tz))
    voices = Sink(out / f"rollups.{fmt}", fmt, {
        "week": "str", "resident": "str", "unit": "str", "district": "str", "channel": "str", "language": "str",
        "topic": "str", "value_sum": "float", "n_messages": "int",
    })
    voices.write([
        {"week": v["period"], "resident": anon(v["voter"]), "unit": v["code"], "district": v["district"],
         "channel": v["channel"], "language": v["language"], "topic": v["topic"] or None,
         "value_sum": decimals(v["value_sum"]), "n_messages": v["n_messages"]}
        for v in db.call(rollups.export_voices, weeks)
    ])
    voices.close()

    def group_rows(session: Session) -> list[dict[str, Any]]:
        rows = []
        for week in weeks:
            # The digest's inputs (the week and its trailing weeks) and its computation.
            inputs = rollups.report_inputs(session, week, trust=trust, agency_name=settings.agency.name)
            stats = inputs.current
            figures = group_figures(week, stats, org=inputs.org, settings=trust, history=inputs.history)
            for key in stats.keys():  # noqa: SIM118 - PeriodStats.keys(), not a dict
                st = stats.groups[key]
                rows.append({"week": week, "dimension": key.dimension, "key": key.key, "topic": key.topic,
                             "n_residents": st.n_residents, "value_sum": decimals(st.value_sum),
                             "value_sum_sq": decimals(st.value_sum_sq), "n_negative": st.n_negative,
                             "n_messages": st.n_messages, "mean": decimals(st.mean),
                             **shown_index(figures.get(key))})
        return rows

    groups = Sink(out / f"group_stats.{fmt}", fmt, {
        "week": "str", "dimension": "str", "key": "str", "topic": "str", "n_residents": "int", "value_sum": "float",
        "value_sum_sq": "float", "n_negative": "int", "n_messages": "int", "mean": "float",
        "index": "int", "index_low": "int", "index_high": "int",
    })
    groups.write(db.call(group_rows))
    groups.close()
    return [records, voices, groups]
