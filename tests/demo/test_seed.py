"""The demo agency: what `trustline demo` puts in a fresh database before the bot starts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from demo.seed import DEMO_UNITS, Cast, seed_demo
from storage import rollups
from storage.models import FeedbackMessage, Staff, StaffChat
from storage.models_cases import FollowupCase
from storage.models_rollups import TrustVoice
from storage.staff import list_staff
from storage.units import list_units
from trust.periods import period_of, shift_period

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_units_in_two_districts(demo_db):
    settings, db = demo_db
    seed_demo(db, settings, now=NOW)
    units = db.call(list_units)
    assert {u.code for u in units} == {spec.code for spec in DEMO_UNITS}
    assert {u.district for u in units} == {"North", "South"}


def test_officer_supervisor_and_commander_are_enrolled_with_their_telegram_accounts(demo_db):
    settings, db = demo_db
    cast = Cast()
    seed_demo(db, settings, cast, now=NOW)
    rows = {row.role: row for row in db.call(list_staff)}
    assert set(rows) == {"officer", "supervisor", "commander"}
    assert all(row.enrolled and row.active for row in rows.values())
    assert rows["officer"].unit_code == rows["supervisor"].unit_code == cast.officer_unit
    accounts = db.call(lambda s: {st.role: (st.telegram_user_id, st.chat_id) for st in s.exec(select(Staff)).all()})
    assert accounts == {
        "officer": (cast.officer.user_id, cast.officer.user_id),
        "supervisor": (cast.supervisor.user_id, cast.supervisor.user_id),
        "commander": (cast.commander.user_id, cast.commander.user_id),
    }


def test_the_commanders_group_is_the_agency_staff_chat(demo_db):
    settings, db = demo_db
    cast = Cast()
    seed_demo(db, settings, cast, now=NOW)
    chat = db.call(lambda s: s.exec(select(StaffChat).where(StaffChat.chat_id == cast.staff_group_id)).one())
    assert (chat.scope_kind, chat.scope_value, chat.active) == ("agency", None, True)


def test_an_open_follow_up_case_waits_for_the_officer(demo_db):
    settings, db = demo_db
    summary = seed_demo(db, settings, now=NOW)
    case = db.call(lambda s: s.exec(select(FollowupCase)).one())
    officer = next(r for r in db.call(list_staff) if r.role == "officer")
    assert case.reference == summary.case_reference
    assert case.assignee_id == officer.id
    assert case.status != "resolved"


def test_weeks_of_feedback_are_in_the_rollups_up_to_last_week(demo_db):
    settings, db = demo_db
    summary = seed_demo(db, settings, weeks=6, now=NOW)
    last_week = shift_period(period_of(NOW, settings.agency.tz), -1)
    stored = db.call(lambda s: len(s.exec(select(FeedbackMessage)).all()))
    assert stored == summary.messages > 100
    assert db.call(rollups.rollup_counts)["trust_voice"] > 100
    periods = db.call(lambda s: {p for (p,) in s.execute(select(TrustVoice.period)).all()})
    assert last_week in periods
    assert len(periods - {period_of(NOW, settings.agency.tz)}) == 6
    # nothing is left for the scoring worker to (re)score with the real model
    assert db.call(lambda s: s.exec(select(FeedbackMessage).where(FeedbackMessage.scored_revision.is_not(None))).all()) == []


def test_seeding_twice_leaves_the_first_demo_alone(demo_db):
    settings, db = demo_db
    first = seed_demo(db, settings, now=NOW)
    second = seed_demo(db, settings, now=NOW)
    assert first.created and not second.created
    assert len(db.call(list_staff)) == 3
