"""The sufficient-statistics path (database rollups + GROUP BY) gives the same
report as the raw per-message path. The SQL is trust.sql_reference, run here
on SQLite exactly as the storage layer would run it on PostgreSQL."""

import sqlite3
from collections import defaultdict

import pytest

from trust.aggregate import (
    content_key,
    message_value,
    quote_candidates_from_messages,
    stats_by_period,
    stats_from_voices,
    voices_from_messages,
)
from trust.demo import DEMO_TZ, demo_messages, demo_org
from trust.model import GroupKey, PeriodStats, ResidentVoice
from trust.periods import period_of, trailing_periods
from trust.report import compute_report, report_from_messages
from trust.settings import TrustSettings
from trust import sql_reference as sql

S = TrustSettings()
WEEK = "2026-W47"


@pytest.fixture(scope="module")
def messages():
    return demo_messages(last_period=WEEK, weeks=13)


def _ingest(db, messages, org):
    """What the bot + storage layer do per incoming message."""
    db.executescript(sql.SCHEMA_SQL)
    db.executemany("INSERT INTO trust_units VALUES (?, ?)",
                   [(u.unit_id, u.district_id) for u in org.units.values()])
    seen = set()
    for m in sorted(messages, key=lambda m: m.sent_at):
        week = period_of(m.sent_at, DEMO_TZ)
        dedupe = (m.resident_key, week, m.unit_id, content_key(m.redacted_text, m.ratings, m.sentiment))
        if dedupe in seen:  # the feedback table's unique index
            continue
        seen.add(dedupe)
        value = message_value(m.sentiment, m.ratings, S)
        if value is None:
            continue
        row = dict(week=week, unit_id=m.unit_id, resident_key=m.resident_key, channel=m.channel,
                   language=m.language, value=value)
        db.execute(sql.UPSERT_RESIDENT_WEEK, row)
        for topic in sorted(set(m.topics)):
            db.execute(sql.UPSERT_RESIDENT_WEEK_TOPIC, dict(row, topic=topic))


def _week_stats(db, week):
    rows = db.execute(sql.GROUP_STATS_SQL, {"week": week}).fetchall()
    return PeriodStats.from_rows(week, rows), rows


def _assert_same_report(a, b):
    def flat(report):
        figs = [report.agency, *report.districts, *report.units, *report.topics,
                *report.channels, *report.languages]
        return {f.key: f for f in figs}
    fa, fb = flat(a), flat(b)
    assert fa.keys() == fb.keys()
    for key in fa:
        x, y = fa[key], fb[key]
        assert (x.n_residents, x.n_messages, x.enough) == (y.n_residents, y.n_messages, y.enough), key
        if x.enough:
            assert x.index == pytest.approx(y.index, abs=1e-9)
            assert x.index_low == pytest.approx(y.index_low, abs=1e-9)
            for t, u in ((x.vs_previous, y.vs_previous), (x.vs_baseline, y.vs_baseline)):
                assert (t is None) == (u is None)
                if t is not None:
                    assert t.delta_index == pytest.approx(u.delta_index, abs=1e-9)
                    assert t.significant == u.significant
    assert [i.figure.key for i in a.attention] == [i.figure.key for i in b.attention]
    assert [i.quotes for i in a.attention] == [i.quotes for i in b.attention]
    assert [(h.period, h.n_residents) for h in a.history] == [(h.period, h.n_residents) for h in b.history]


def test_sql_rollups_and_group_by_give_the_same_report_as_raw_messages(messages):
    org = demo_org()
    raw = report_from_messages(messages, WEEK, tz=DEMO_TZ, org=org, settings=S)

    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    _ingest(db, messages, org)
    # weekly job: compute and store every closed week's group stats ...
    weeks = [*trailing_periods(WEEK, 12), WEEK]
    for week in weeks[:-1]:
        _, rows = _week_stats(db, week)
        db.executemany(sql.STORE_GROUP_WEEK, [dict(r, week=week) for r in map(dict, rows)])
    # ... then the digest reads this week from the rollup and history from storage
    current, _ = _week_stats(db, WEEK)
    by_week = defaultdict(list)
    for r in db.execute(sql.GROUP_WEEKS_SQL, {"first": weeks[0], "last": weeks[-2]}):
        by_week[r["week"]].append(r)
    history = [PeriodStats.from_rows(w, rows) for w, rows in by_week.items()]
    assert len(history) == 12
    quotes = quote_candidates_from_messages(messages, period=WEEK, tz=DEMO_TZ, settings=S)
    via_sql = compute_report(WEEK, current, org=org, settings=S, history=history, quotes=quotes)

    _assert_same_report(raw, via_sql)
    assert raw.attention, "the demo data should put something under 'Needs attention'"


def test_sql_group_stats_equal_python_group_stats_for_every_group(messages):
    org = demo_org()
    db = sqlite3.connect(":memory:")
    db.row_factory = sqlite3.Row
    _ingest(db, messages, org)
    from_sql, _ = _week_stats(db, WEEK)
    from_python = stats_by_period(messages, tz=DEMO_TZ, org=org, settings=S)[WEEK]
    assert from_sql.groups.keys() == from_python.groups.keys()
    for key, st in from_python.groups.items():
        other = from_sql.get(key)
        assert (other.n_residents, other.n_negative, other.n_messages) == (
            st.n_residents, st.n_negative, st.n_messages), key
        assert other.value_sum == pytest.approx(st.value_sum, abs=1e-9)
        assert other.value_sum_sq == pytest.approx(st.value_sum_sq, abs=1e-9)


def test_rollup_rows_may_be_split_arbitrarily_without_changing_any_figure(messages):
    org = demo_org()
    voices = voices_from_messages(messages, tz=DEMO_TZ, settings=S, period=WEEK)
    split = []
    for v in voices:  # e.g. NULL unit rows that a unique index does not merge
        if v.n_messages >= 2:
            split.append(ResidentVoice(v.period, v.resident_key, v.unit_id, v.channel, v.language,
                                       v.topic, v.value_sum / 2, v.n_messages - 1))
            split.append(ResidentVoice(v.period, v.resident_key, v.unit_id, v.channel, v.language,
                                       v.topic, v.value_sum / 2, 1))
        else:
            split.append(v)
    a = stats_from_voices(voices, org, period=WEEK)
    b = stats_from_voices(split, org, period=WEEK)
    assert a.groups.keys() == b.groups.keys()
    for key in a.groups:
        assert a.get(key).value_sum == pytest.approx(b.get(key).value_sum, abs=1e-12)
        assert a.get(key).n_residents == b.get(key).n_residents


def test_stored_weekly_rows_pool_into_exactly_the_raw_baseline(messages):
    org = demo_org()
    per_week = stats_by_period(messages, tz=DEMO_TZ, org=org, settings=S)
    base = PeriodStats.pooled("base", [per_week[p] for p in trailing_periods(WEEK, 12)])
    agency = base.get(GroupKey.agency())
    assert agency.n_residents == sum(per_week[p].get(GroupKey.agency()).n_residents
                                     for p in trailing_periods(WEEK, 12))


def test_rows_naming_an_officer_dimension_are_refused():
    row = dict(dimension="officer", group_key="o-17", topic=None, n_residents=9, value_sum=0.0,
               value_sum_sq=1.0, n_negative=0, n_messages=9)
    with pytest.raises(ValueError):
        PeriodStats.from_rows(WEEK, [row])
