"""Closing every loop, in the store: every case has an owner, "it didn't help" reopens one level
up, a contact request with no reply escalates, closing without a reply is on the record, and the
sensitive mark moves a case away from the officer concerned."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from storage import cases
from storage.cases import Actor
from storage.db import Database
from storage.models import Staff, utcnow
from storage.staff import revoke_staff
from storage.units import UnitSpec, find_unit, sync_units
from tests.support.app import TEST_UNITS
from tests.support.followups import RULES, add_submission, case_of, seed_org


def units_only(db: Database) -> int:
    def run(session: Any) -> int:
        sync_units(session, [UnitSpec(**u) for u in TEST_UNITS])
        return find_unit(session, "D3-Patrol").id  # type: ignore[no-any-return]

    return db.call(run)


def enrol(db: Database, name: str, role: str, unit_id: int | None, tg: int) -> int:
    def run(session: Any) -> int:
        staff = Staff(display_name=name, role=role, unit_id=unit_id, telegram_user_id=tg, chat_id=tg, enrolled_at=utcnow())
        session.add(staff)
        session.flush()
        return staff.id  # type: ignore[return-value]

    return db.call(run)


def evaluate(db: Database, submission_id: int) -> None:
    db.call(cases.evaluate_submission, submission_id, RULES)


def actions(db: Database, case_id: int) -> list[str]:
    return [r.action for r in db.call(cases.audit_rows, case_id=case_id)]


# --- every case has an owner -----------------------------------------------------------------


def test_with_nobody_enrolled_a_case_is_open_and_unowned_and_counted(database: Database) -> None:
    unit = units_only(database)
    sub = add_submission(database, unit_id=unit, scores=(-0.9,))
    evaluate(database, sub)
    case = case_of(database, sub)
    assert case is not None and case.assignee_id is None
    assert database.call(cases.unowned_open_cases) == 1
    (notice,) = database.call(cases.claim_unassigned)  # the bot hands it to the bootstrap admins
    assert notice.reference == case.reference


def test_only_an_officer_enrolled_gets_a_non_sensitive_unit_complaint(database: Database) -> None:
    unit = units_only(database)
    olga = enrol(database, "Olga", "officer", unit, 501)
    sub = add_submission(database, unit_id=unit, scores=(-0.9,))
    evaluate(database, sub)
    assert case_of(database, sub).assignee_id == olga


def test_a_sensitive_case_never_falls_back_to_the_officer_concerned(database: Database) -> None:
    unit = units_only(database)
    olga = enrol(database, "Olga", "officer", unit, 501)
    sub = add_submission(database, unit_id=unit, officer_id=olga, scores=(-0.9,), flags=(("misconduct",),))
    evaluate(database, sub)
    case = case_of(database, sub)
    assert case.sensitive and case.assignee_id is None  # the bootstrap admins get it, not Olga


def test_routing_gaps_name_each_unit_with_nobody_and_the_missing_chats(database: Database) -> None:
    unit = units_only(database)
    gaps = database.call(lambda s: cases.routing_gaps(s, duty_chat_id=None, admin_ids=[900]))
    assert "D3-Patrol" in gaps.units_without_staff and gaps.no_duty_chat and gaps.no_staff_chat
    lines = gaps.lines()
    assert any("unit D3-Patrol has nobody enrolled" in line and "bootstrap admins" in line for line in lines)
    assert any("duty_chat_id" in line for line in lines) and any("no staff chat" in line for line in lines)
    enrol(database, "Olga", "officer", unit, 501)
    gaps = database.call(lambda s: cases.routing_gaps(s, duty_chat_id=-100, admin_ids=[]))
    assert "D3-Patrol" not in gaps.units_without_staff and not gaps.no_duty_chat
    # Olga's colleagues' cases reach her, but a sensitive complaint or an escalation has nobody.
    assert gaps.units_without_supervision == ["D3-Patrol"]
    assert any("unit D3-Patrol has officers but no supervisor" in line for line in gaps.lines())
    enrol(database, "Sam", "supervisor", unit, 502)
    gaps = database.call(lambda s: cases.routing_gaps(s, duty_chat_id=-100, admin_ids=[]))
    assert "D3-Patrol" not in gaps.units_without_supervision + gaps.units_without_staff


# --- "it didn't help" and "nobody replied" ----------------------------------------------------


def resolved_case(db: Database, org: Any, *, contact: bool = True) -> int:
    sub = add_submission(db, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), contact=contact)
    evaluate(db, sub)
    case_id = case_of(db, sub).id
    db.call(cases.resolve, case_id, Actor(org.officer), "Talked it through.")
    return case_id  # type: ignore[return-value]


def test_it_didnt_help_reopens_the_case_one_level_up(database: Database) -> None:
    org = seed_org(database)
    case_id = resolved_case(database, org)
    target, previous = database.call(cases.reopen_unhelpful, case_id)
    assert target.id == org.supervisor and previous == org.officer
    case = database.call(cases.get_case, case_id)
    assert case.status == "open" and case.reopen_reason == "unhelpful" and case.escalations == 1
    assert "reopened" in actions(database, case_id)
    # Resolved again by the supervisor and still no help: up to the district commander.
    database.call(cases.resolve, case_id, Actor(org.supervisor), "Reviewed again.")
    target, _ = database.call(cases.reopen_unhelpful, case_id)
    assert target.id == org.commander


def test_with_nobody_above_a_reopened_case_goes_to_the_admins(database: Database) -> None:
    org = seed_org(database)
    for staff_id in (org.supervisor, org.commander, org.chief):
        database.call(lambda s, i=staff_id: revoke_staff(s, i))
    case_id = resolved_case(database, org)
    target, _ = database.call(cases.reopen_unhelpful, case_id)
    assert target is None and database.call(cases.get_case, case_id).assignee_id is None


def test_an_acknowledged_case_whose_resident_waits_for_a_reply_escalates(database: Database) -> None:
    org = seed_org(database)
    waiting = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), contact=True)
    quiet = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), contact=False)
    for sub in (waiting, quiet):
        evaluate(database, sub)
        database.call(cases.acknowledge, case_of(database, sub).id, Actor(org.officer))
    later = utcnow() + timedelta(hours=73)
    due = database.call(cases.due_actions, later, timedelta(hours=24), timedelta(hours=72))
    assert [(d.case_id, d.action) for d in due] == [(case_of(database, waiting).id, "no_reply")]
    new = database.call(cases.auto_escalate, case_of(database, waiting).id, "no reply", "no_reply")
    case = case_of(database, waiting)
    assert new.id == org.supervisor and case.reopen_reason == "no_reply" and case.status == "open"


# --- no silent closure, and the sensitive mark ------------------------------------------------


def test_resolving_while_the_resident_waits_is_audited_as_resolved_without_reply(database: Database) -> None:
    org = seed_org(database)
    waiting = resolved_case(database, org, contact=True)
    quiet = resolved_case(database, org, contact=False)
    assert "resolved_without_reply" in actions(database, waiting)
    assert "resolved" in actions(database, quiet) and "resolved_without_reply" not in actions(database, quiet)


def test_the_closing_note_reaches_the_resident_only_when_shared(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), contact=True)
    evaluate(database, sub)
    case_id = case_of(database, sub).id
    database.call(lambda s: cases.resolve(s, case_id, Actor(org.officer), "Apologised in person.", share=True))
    closing = database.call(cases.closing_of, case_id)
    assert closing.note == "Apologised in person." and closing.role == "officer" and closing.unit == "District 3 Patrol"
    other = resolved_case(database, org)
    assert database.call(cases.closing_of, other).note is None


def test_marking_sensitive_moves_the_case_away_from_the_officer_and_only_a_commander_unmarks(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
    evaluate(database, sub)
    case_id = case_of(database, sub).id
    moved_to = database.call(cases.mark_sensitive, case_id, Actor(org.officer))
    assert moved_to.id == org.supervisor
    case = case_of(database, sub)
    assert case.sensitive and case.assignee_id == org.supervisor
    database.call(cases.unmark_sensitive, case_id, Actor(org.commander))
    assert not case_of(database, sub).sensitive
    assert {"marked_sensitive", "rerouted", "unmarked_sensitive"} <= set(actions(database, case_id))
