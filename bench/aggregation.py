"""Benchmark: weekly Trust Index digest time at 10k, 100k and 1M feedback rows, SQLite and PostgreSQL.

    python bench/aggregation.py                       # 10k and 100k on both databases
    python bench/aggregation.py --sizes 1000000 --backends postgres   # the deliberate 1M run
    python bench/aggregation.py --json results.json

Each run creates a fresh database, seeds it with bulk SQL (PostgreSQL COPY, SQLite executemany;
never the ORM row by row) at a fixed weekly volume (``--per-week``, default 10,000 messages), so
a bigger history means more weeks, not busier weeks; then builds the rollups once
(``storage.rollups.rebuild``) and measures:

* ``digest (cold)``: the weekly digest with no cached week statistics at all: one GROUP BY per
  week for the digest week and the 12 trailing weeks, quote candidates, the report and its
  Telegram HTML;
* ``digest``: the Monday case: the trailing weeks are cached (last week's digest filled the
  cache), the digest week is computed from its rollups;
* ``charts``: the two PNGs (constant: 12 points and one bar per unit);
* ``apply 100``: the incremental rollup update for a scoring batch of 100 messages;
* ``rebuild``: the one-off full rebuild from raw feedback (O(history), for reference).

Results go to docs/performance.md ("Aggregation"). Keep the 1M run to one deliberate run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import rollups  # noqa: E402
from storage.db import Database, upgrade  # noqa: E402
from trust.model import RATING_ITEMS  # noqa: E402
from trust.model import FeedbackMessage as TrustMessage  # noqa: E402
from trust.periods import period_bounds, shift_period  # noqa: E402
from trust.settings import TrustSettings  # noqa: E402

POSTGRES_ADMIN = os.environ.get("TRUSTLINE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TOPICS = ("respect", "response_time", "professionalism", "fairness", "communication", "safety", "other")
NEGATIVE = ("They never came back to me.", "The officer at [PLACE] was rude.", "Waited [TIME] for anyone.")
POSITIVE = ("Kind and quick, thank you.", "Explained everything clearly.", "Felt safe and listened to.")


# --- seeding (shared with tests) --------------------------------------------------------------


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    district: str


def _ts_text(value: datetime, dialect: str) -> str:
    value = value.astimezone(UTC)
    if dialect == "sqlite":  # storage.types.UTCDateTime stores naive UTC on SQLite
        return value.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat()


def seed_trust_messages(
    db: Database, units: Sequence[UnitRow], messages: Iterable[TrustMessage], *, revision: str = "bench"
) -> list[int]:
    """Store ``trust.model.FeedbackMessage`` objects as Trustline rows, one submission per message
    (its ratings become the submission's ratings), scored with the message's sentiment
    (``None`` -> status 'failed'). Bulk inserts; returns the message ids. Residents are created
    from ``resident_key``; unit ids are unit codes."""
    dialect = db.engine.dialect.name
    msgs = list(messages)
    with db.engine.begin() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        if dialect == "postgresql":
            # Bulk load: skip per-row foreign-key triggers (the rows are consistent by construction).
            raw.cursor().execute("SET LOCAL session_replication_role = replica")
        unit_ids = _seed_units(raw, dialect, units)
        residents: dict[str, int] = {}
        base = _next_id(raw, "resident")
        now = datetime.now(UTC)
        resident_rows, sub_rows, msg_rows, rating_rows = [], [], [], []
        sub_id, msg_id, rating_id = _next_id(raw, "submission"), _next_id(raw, "feedbackmessage"), _next_id(raw, "rating")
        ids = []
        for m in msgs:
            rid = residents.get(m.resident_key)
            if rid is None:
                rid = residents[m.resident_key] = base + len(residents)
                resident_rows.append((rid, f"bench-{uuid.uuid4().hex}", m.language[:8], _ts_text(now, dialect),
                                      _ts_text(now, dialect), _ts_text(now, dialect)))
            unit = unit_ids.get(m.unit_id) if m.unit_id else None
            sent = _ts_text(m.sent_at, dialect)
            channel = "deeplink" if m.channel == "deep_link" else "direct"
            sub_rows.append((sub_id, f"B{sub_id:013d}", rid, unit, channel, m.language[:8], "submitted", False, sent, sent))
            status = "scored" if m.sentiment is not None else "failed"
            msg_rows.append((msg_id, sub_id, rid, msg_id, unit, m.language[:8], m.redacted_text or "", sent,
                             json.dumps(list(m.topics)), "[]", status, m.sentiment,
                             None if m.sentiment is None else ("negative" if m.sentiment < 0 else "positive"),
                             revision if m.sentiment is not None else None, 0))
            for item, value in (m.ratings or {}).items():
                rating_rows.append((rating_id, sub_id, rid, item, int(value), sent))
                rating_id += 1
            ids.append(msg_id)
            sub_id += 1
            msg_id += 1
        _bulk(raw, dialect, "resident", ("id", "pseudonym", "language", "consented_at", "created_at", "last_seen_at"), resident_rows)
        _bulk(raw, dialect, "submission", ("id", "reference", "resident_id", "unit_id", "channel", "language", "status",
                                           "contact_requested", "created_at", "submitted_at"), sub_rows)
        _bulk(raw, dialect, "feedbackmessage", ("id", "submission_id", "resident_id", "telegram_message_id", "unit_id",
                                                "language", "redacted_text", "received_at", "topics", "flags",
                                                "score_status", "score", "score_label", "scored_revision",
                                                "score_attempts"), msg_rows)
        _bulk(raw, dialect, "rating", ("id", "submission_id", "resident_id", "item", "value", "created_at"), rating_rows)
        if dialect == "postgresql":
            cur = raw.cursor()
            for table in ("resident", "submission", "feedbackmessage", "rating", "unit"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))")
    return ids


def _next_id(raw: Any, table: str) -> int:
    cur = raw.cursor()
    cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return int(cur.fetchone()[0])


def _seed_units(raw: Any, dialect: str, units: Sequence[UnitRow]) -> dict[str, int]:
    cur = raw.cursor()
    cur.execute("SELECT code, id FROM unit")
    known = {code: uid for code, uid in cur.fetchall()}
    new = [u for u in units if u.code not in known]
    next_id = _next_id(raw, "unit")
    rows = [(next_id + i, u.code, u.name, u.district, True) for i, u in enumerate(new)]
    _bulk(raw, dialect, "unit", ("id", "code", "name", "district", "active"), rows)
    known.update({r[1]: r[0] for r in rows})
    return known


def _bulk(raw: Any, dialect: str, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    cur = raw.cursor()
    if dialect == "postgresql":
        with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join("?" for _ in columns)
        cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


# --- synthetic feedback -----------------------------------------------------------------------


def synthetic_units(n_units: int = 24, n_districts: int = 6) -> list[UnitRow]:
    return [UnitRow(f"U{i:02d}", f"Unit {i:02d}", f"District {i % n_districts + 1}") for i in range(n_units)]


def synthetic_messages(
    n: int, *, last_period: str, per_week: int, tz: str, units: Sequence[UnitRow], seed: int = 7
) -> list[TrustMessage]:
    """``n`` messages at ``per_week`` a week, ending with ``last_period``: residents write 1-3
    messages a week, 40% rate, topic mix, English/Spanish, QR or direct."""
    rng = random.Random(seed)
    weeks = max(1, -(-n // per_week))
    first = shift_period(last_period, -(weeks - 1))
    unit_mean = {u.code: rng.uniform(-0.3, 0.5) for u in units}
    pool = max(50, per_week // 2)
    out: list[TrustMessage] = []
    for w in range(weeks):
        period = shift_period(first, w)
        start, _ = period_bounds(period, tz)
        todo = min(per_week, n - len(out))
        while todo > 0:
            resident = f"r{rng.randrange(pool * 4)}"
            unit = rng.choice(units).code
            mean = unit_mean[unit] + rng.gauss(0, 0.3)
            for _ in range(min(todo, rng.choice((1, 1, 1, 2, 3)))):
                s = max(-1.0, min(1.0, rng.gauss(mean, 0.2)))
                ratings = {i: max(0, min(10, round(5 * (1 + s) + rng.gauss(0, 1)))) for i in RATING_ITEMS} if rng.random() < 0.4 else {}
                out.append(TrustMessage(
                    resident_key=resident,
                    sent_at=start + timedelta(seconds=rng.randrange(7 * 24 * 3600)),
                    sentiment=round(s, 4) if rng.random() > 0.02 else None,
                    ratings=ratings,
                    unit_id=unit,
                    topics=tuple(sorted(set(rng.sample(TOPICS, rng.choice((1, 1, 2)))))),
                    channel="deep_link" if rng.random() < 0.6 else "direct",
                    language="es" if rng.random() < 0.3 else "en",
                    redacted_text=rng.choice(NEGATIVE if s < 0 else POSITIVE) + f" #{rng.randrange(10**6)}",
                ))
                todo -= 1
    return out


# --- measurement ------------------------------------------------------------------------------


def _best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times) if repeat < 3 else statistics.median(times)


def _digest(db: Database, period: str, settings: TrustSettings, tz: str) -> list[str]:
    from services.trust_digest import compose_digest
    from trust.report import compute_report

    def load(session: Any) -> Any:
        inputs = rollups.report_inputs(session, period, trust=settings, agency_name="Bench PD")
        report = compute_report(period, inputs.current, org=inputs.org, settings=settings, history=inputs.history)
        return rollups.attach_quotes(session, report, org=inputs.org, settings=settings)

    return compose_digest(db.call(load), "en", settings=settings)


def _clear_cache(db: Database, periods: Sequence[str] | None = None) -> None:
    from sqlalchemy import delete

    from storage.models_rollups import TrustWeekStats

    def run(session: Any) -> None:
        stmt = delete(TrustWeekStats)
        if periods is not None:
            stmt = stmt.where(TrustWeekStats.period.in_(list(periods)))  # type: ignore[attr-defined]
        session.execute(stmt)

    db.call(run)


def bench_one(backend: str, size: int, per_week: int, repeat: int, profile: bool = False) -> dict[str, Any]:
    tz = "America/Chicago"
    last = "2026-W47"
    settings = TrustSettings()
    units = synthetic_units()
    url, cleanup = _fresh_database(backend)
    try:
        upgrade(url)
        db = Database(url)
        t0 = time.perf_counter()
        msgs = synthetic_messages(size, last_period=last, per_week=per_week, tz=tz, units=units)
        gen = time.perf_counter() - t0
        t0 = time.perf_counter()
        ids = seed_trust_messages(db, units, msgs)
        seed = time.perf_counter() - t0
        config = rollups.RollupConfig.of(tz, settings)
        t0 = time.perf_counter()
        db.call(rollups.ensure_config, config)
        rebuild = time.perf_counter() - t0
        if backend == "postgres":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")
        counts = db.call(rollups.rollup_counts)
        start, end = period_bounds(last, tz)
        week_rows = sum(1 for m in msgs if start <= m.sent_at < end)

        def cold() -> None:
            _clear_cache(db)
            _digest(db, last, settings, tz)

        def warm() -> None:
            _clear_cache(db, [last])
            _digest(db, last, settings, tz)

        cold_s = _best(cold, repeat)
        warm_s = _best(warm, max(repeat, 3))
        if profile:
            import cProfile
            import pstats

            _clear_cache(db, [last])
            prof = cProfile.Profile()
            prof.runcall(_digest, db, last, settings, tz)
            pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
        from services.trust_charts import trend_chart_png, units_chart_png
        from trust.report import compute_report

        inputs = db.call(rollups.report_inputs, last, trust=settings, agency_name="Bench PD")
        report = compute_report(last, inputs.current, org=inputs.org, settings=settings, history=inputs.history)
        charts_s = _best(lambda: (trend_chart_png(report), units_chart_png(report)), 1)
        batch = random.Random(1).sample(ids[-per_week:], min(100, len(ids)))
        apply_s = _best(lambda: db.call(rollups.apply_scored, batch), max(repeat, 3))
        db.dispose()
        return {
            "backend": backend, "rows": size, "weeks": -(-size // per_week), "week_rows": week_rows,
            "rollup_rows": counts["trust_voice"], "generate_s": gen, "seed_s": seed, "rebuild_s": rebuild,
            "digest_cold_s": cold_s, "digest_s": warm_s, "charts_s": charts_s, "apply100_s": apply_s,
        }
    finally:
        cleanup()


def _fresh_database(backend: str) -> tuple[str, Callable[[], None]]:
    if backend == "sqlite":
        folder = tempfile.mkdtemp(prefix="trustline-bench-")
        path = Path(folder) / "bench.sqlite3"

        def rm() -> None:
            for p in Path(folder).glob("*"):
                p.unlink()
            Path(folder).rmdir()

        return f"sqlite:///{path}", rm
    import psycopg

    admin = POSTGRES_ADMIN.replace("+psycopg", "")
    name = f"trustline_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return POSTGRES_ADMIN.rsplit("/", 1)[0] + "/" + name, drop


def table(results: list[dict[str, Any]]) -> str:
    head = ("| backend | feedback rows | weeks | rows in digest week | rollup rows | weekly digest | "
            "digest, cold cache | charts | apply 100 scored | seed (bulk) | rebuild (one-off) |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    lines = [head]
    for r in results:
        lines.append(
            f"| {r['backend']} | {r['rows']:,} | {r['weeks']} | {r['week_rows']:,} | {r['rollup_rows']:,} | "
            f"{r['digest_s'] * 1000:.0f} ms | {r['digest_cold_s'] * 1000:.0f} ms | {r['charts_s'] * 1000:.0f} ms | "
            f"{r['apply100_s'] * 1000:.0f} ms | {r['seed_s']:.1f} s | {r['rebuild_s']:.1f} s |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--per-week", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--profile", action="store_true", help="cProfile one warm digest (stderr)")
    args = parser.parse_args(argv)
    results = []
    for backend in args.backends:
        for size in args.sizes:
            print(f"{backend} {size:,} rows ...", file=sys.stderr, flush=True)
            result = bench_one(backend, size, args.per_week, args.repeat, args.profile)
            print(json.dumps(result), file=sys.stderr, flush=True)
            results.append(result)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
