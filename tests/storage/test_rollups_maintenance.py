"""Trust Index rollups: incremental maintenance, equality with the raw path, /forget, the cache."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, update

from bench.aggregation import UnitRow, seed_trust_messages
from storage import feedback as store
from storage import rollups
from storage.db import Database
from storage.models import FeedbackMessage, Unit
from storage.models_rollups import DigestRun, TrustVoice, TrustWeekStats
from storage.units import UnitSpec, sync_units
from tests.support.demo import DEMO_TZ, demo_messages, demo_org
from trust.aggregate import quote_candidates_from_messages, stats_by_period
from trust.model import GroupKey, PeriodStats
from trust.report import compute_report
from trust.settings import TrustSettings

SETTINGS = TrustSettings()
DEMO_CONFIG = rollups.RollupConfig.of(DEMO_TZ, SETTINGS)
UNITS = [UnitRow(u.unit_id, u.name, u.district_id or "") for u in demo_org().units.values()]


def seed_demo(db: Database, weeks: int = 4, last: str = "2026-W47") -> list:
    """The trust package's demo agency, stored as Trustline rows, rollups built incrementally."""
    messages = demo_messages(last, weeks=weeks)
    ids = seed_trust_messages(db, UNITS, messages)
    db.call(rollups.ensure_config, DEMO_CONFIG)
    db.call(lambda s: s.execute(delete(TrustVoice)))  # throw the rebuild away: prove the incremental path
    db.call(rollups.apply_scored, ids)
    return messages


def assert_same_stats(a: PeriodStats, b: PeriodStats) -> None:
    assert set(a.groups) == set(b.groups)
    for key, x in a.groups.items():
        y = b.groups[key]
        assert (x.n_residents, x.n_negative, x.n_messages) == (y.n_residents, y.n_negative, y.n_messages), key
        assert math.isclose(x.value_sum, y.value_sum, abs_tol=1e-9), key
        assert math.isclose(x.value_sum_sq, y.value_sum_sq, abs_tol=1e-9), key


def test_sql_statistics_equal_the_raw_trust_index_path(database: Database) -> None:
    messages = seed_demo(database)
    org = database.call(rollups.org_chart, "Riverside Police")
    raw = stats_by_period(messages, tz=DEMO_TZ, org=org, settings=SETTINGS)
    assert len(raw) == 4
    for period, expected in raw.items():
        assert_same_stats(database.call(rollups.period_stats, period, org, use_cache=False), expected)
        assert_same_stats(database.call(rollups.period_stats, period, org), expected)  # fills the cache
        assert_same_stats(database.call(rollups.period_stats, period, org), expected)  # reads it


def test_report_from_rollups_has_the_raw_paths_figures_and_quotes(database: Database) -> None:
    messages = seed_demo(database)

    def from_db(session):  # type: ignore[no-untyped-def]
        inputs = rollups.report_inputs(session, "2026-W47", trust=SETTINGS, agency_name="Riverside Police")
        report = compute_report("2026-W47", inputs.current, org=inputs.org, settings=SETTINGS, history=inputs.history)
        return rollups.attach_quotes(session, report, org=inputs.org, settings=SETTINGS), inputs.org

    db_report, org = database.call(from_db)
    by_period = stats_by_period(messages, tz=DEMO_TZ, org=org, settings=SETTINGS)
    quotes = quote_candidates_from_messages(messages, period="2026-W47", tz=DEMO_TZ, settings=SETTINGS)
    raw = compute_report("2026-W47", by_period["2026-W47"], org=org, settings=SETTINGS,
                         history={p: s for p, s in by_period.items() if p != "2026-W47"}, quotes=quotes)
    assert db_report.agency.index == pytest.approx(raw.agency.index)
    assert [(f.label, f.index) for f in db_report.units] == [(f.label, pytest.approx(f.index) if f.index else None) for f in raw.units]
    assert [a.figure.key for a in db_report.attention] == [a.figure.key for a in raw.attention]
    assert [a.quotes for a in db_report.attention] == [a.quotes for a in raw.attention]
    assert any(a.quotes for a in db_report.attention), "the demo's falling unit has negative quotes"


def _one_resident(session, *, unit: str = "A", when: datetime | None = None):  # type: ignore[no-untyped-def]
    sync_units(session, [UnitSpec("A", "Unit A", "North"), UnitSpec("B", "Unit B", "South")])
    unit_id = session.execute(select(Unit.id).where(Unit.code == unit)).scalar_one()
    resident = store.record_consent(session, "pseudo-1", "en")
    sub = store.open_submission(session, resident.id, unit_id=unit_id)
    stored = store.store_message(session, sub, telegram_message_id=1, text="raw", redacted_text="They were rude",
                                 topics=["respect"], flags=[], received_at=when or datetime(2026, 11, 18, 15, tzinfo=UTC))
    return resident, sub, stored.message_id


def _score(session, message_id: int, score: float, status: str = "scored") -> None:  # type: ignore[no-untyped-def]
    session.execute(update(FeedbackMessage).where(FeedbackMessage.id == message_id).values(score=score, score_status=status))


def _voices(session):  # type: ignore[no-untyped-def]
    return sorted((v.period, v.topic, v.value_sum, v.n_messages) for v in session.execute(select(TrustVoice)).scalars())


def test_a_message_counts_once_scored_and_rescoring_replaces_its_value(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        _, _, mid = _one_resident(session)
        rollups.apply_scored(session, [mid])
        pending = _voices(session)
        _score(session, mid, -0.5)
        rollups.apply_scored(session, [mid])
        rollups.apply_scored(session, [mid])  # the scorer retrying the same batch changes nothing
        first = _voices(session)
        _score(session, mid, 0.25)  # a new model revision
        rollups.apply_scored(session, [mid])
        return pending, first, _voices(session)

    pending, first, rescored = database.call(scenario)
    assert pending == [], "a pending message waits for the scorer"
    assert first == [("2026-W47", "", -0.5, 1), ("2026-W47", "respect", -0.5, 1)]
    assert rescored == [("2026-W47", "", 0.25, 1), ("2026-W47", "respect", 0.25, 1)]


def test_ratings_reach_the_rollup_when_the_resident_gives_them(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        _, sub, mid = _one_resident(session)
        _score(session, mid, -0.5)
        rollups.apply_scored(session, [mid])
        for item in ("respect", "listening", "fairness", "safety"):
            store.set_rating(session, sub, item, 10)  # 10/10 -> +1 on each item
        return _voices(session)

    # text and the four ratings count half and half: (-0.5 + 1) / 2
    assert database.call(scenario) == [("2026-W47", "", 0.25, 1), ("2026-W47", "respect", 0.25, 1)]


def test_a_submission_with_only_ratings_counts_as_one_message(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        sync_units(session, [UnitSpec("A", "Unit A", "North")])
        resident = store.record_consent(session, "pseudo-2", "en")
        sub = store.open_submission(session, resident.id, unit_id=None)
        store.set_rating(session, sub, "respect", 0)
        store.set_rating(session, sub, "safety", 5)
        return _voices(session)

    [(period, topic, value, n)] = database.call(scenario)
    assert topic == "" and n == 1 and value == pytest.approx(-0.5)


def test_forget_removes_unpublished_weeks_and_detaches_published_ones(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        resident, sub, mid = _one_resident(session, when=datetime(2026, 11, 11, 15, tzinfo=UTC))  # W46
        later = store.store_message(session, sub, telegram_message_id=2, text="x", redacted_text="slow",
                                    topics=[], flags=[], received_at=datetime(2026, 11, 18, 15, tzinfo=UTC))  # W47
        _score(session, mid, -0.5)
        _score(session, later.message_id, 0.5)
        rollups.apply_scored(session, [mid, later.message_id])
        org = rollups.org_chart(session)
        before = rollups.period_stats(session, "2026-W46", org)
        session.add(DigestRun(kind="weekly", period="2026-W46", staff_chat_id=1, chat_id=-1, status="sent"))
        session.flush()
        assert store.forget_resident(session, "pseudo-1")
        rows = session.execute(select(TrustVoice.period, TrustVoice.voter)).all()
        after = rollups.period_stats(session, "2026-W46", org)
        cached_w47 = session.execute(select(func.count()).select_from(TrustWeekStats).where(TrustWeekStats.period == "2026-W47")).scalar_one()
        return resident.id, rows, before, after, rollups.period_stats(session, "2026-W47", org), cached_w47

    resident_id, rows, before, after, w47, cached_w47 = database.call(scenario)
    assert {p for p, _ in rows} == {"2026-W46"}, "the unpublished week lost the resident"
    assert all(voter < 0 and voter != -resident_id for _, voter in rows), "published rows link to nobody"
    assert_same_stats(after, before)  # a sent digest stays reproducible
    assert w47.groups == {} and cached_w47 == 0


def test_a_new_time_zone_rebuilds_the_rollups_once(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        # Sunday 22 Nov 2026, 23:30 in Chicago is Monday 05:30 UTC: W47 in Chicago, W48 in UTC.
        _, _, mid = _one_resident(session, when=datetime(2026, 11, 23, 5, 30, tzinfo=UTC))
        _score(session, mid, 0.5)
        utc_cfg = rollups.RollupConfig.of("UTC", SETTINGS)
        chicago = rollups.RollupConfig.of("America/Chicago", SETTINGS)
        first = rollups.ensure_config(session, utc_cfg)
        utc_periods = {v[0] for v in _voices(session)}
        again = rollups.ensure_config(session, utc_cfg)
        changed = rollups.ensure_config(session, chicago)
        return first, utc_periods, again, changed, {v[0] for v in _voices(session)}

    first, utc_periods, again, changed, chicago_periods = database.call(scenario)
    assert (first, again, changed) == (True, False, True)
    assert utc_periods == {"2026-W48"} and chicago_periods == {"2026-W47"}


def test_the_week_cache_is_dropped_when_a_late_score_lands(database: Database) -> None:
    def scenario(session):  # type: ignore[no-untyped-def]
        _, sub, mid = _one_resident(session)
        _score(session, mid, -0.5)
        rollups.apply_scored(session, [mid])
        org = rollups.org_chart(session)
        before = rollups.period_stats(session, "2026-W47", org).get(GroupKey.agency())
        late = store.store_message(session, sub, telegram_message_id=9, text="x", redacted_text="then fine",
                                   topics=[], flags=[], received_at=datetime(2026, 11, 19, tzinfo=UTC))
        _score(session, late.message_id, 0.5)
        rollups.apply_scored(session, [late.message_id])
        return before, rollups.period_stats(session, "2026-W47", org).get(GroupKey.agency())

    before, after = database.call(scenario)
    assert before.mean == pytest.approx(-0.5) and after.mean == pytest.approx(0.0)
    assert after.n_messages == 2 and after.n_residents == 1, "one resident, one voice"


def test_digest_week_reads_only_that_weeks_rollup_rows(database: Database) -> None:
    """Cost: the week's rows. Other weeks' rows are never scanned once their stats are cached."""
    seed_demo(database, weeks=6)
    org = database.call(rollups.org_chart, "")
    database.call(lambda s: rollups.report_inputs(s, "2026-W47", trust=SETTINGS))  # caches W42..W47
    database.call(lambda s: s.execute(delete(TrustVoice).where(TrustVoice.period != "2026-W47")))
    inputs = database.call(lambda s: rollups.report_inputs(s, "2026-W47", trust=SETTINGS))
    assert len(inputs.history) == 5, "trailing weeks come from the cache, not from their rollup rows"
    assert inputs.current.get(GroupKey.agency()).n_residents > 0
    assert org.units
