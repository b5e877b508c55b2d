"""Follow-up cases in storage: when a case opens, who gets it, reminders, kudos, /forget, audit.

Every test runs on SQLite and PostgreSQL (``database`` fixture).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from storage import cases
from storage import feedback as store
from storage.cases import Actor, CaseActionError
from storage.db import Database
from storage.identity import pseudonym
from storage.models import ResidentContact, Submission, utcnow
from storage.models_cases import AuditEntry, AuditLogIsAppendOnly, CaseNote, FollowupCase, KudosItem
from storage.staff import revoke_staff
from tests.support.followups import RULES, SECRET, add_submission, case_of, seed_org


def evaluate(db: Database, submission_id: int) -> cases.Evaluation:
    return db.call(cases.evaluate_submission, submission_id, RULES)


def test_negative_feedback_about_an_officer_opens_one_case_assigned_to_them(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.8,))
    first, again = evaluate(database, sub), evaluate(database, sub)
    assert first.created and not again.created and first.case_id == again.case_id
    case = case_of(database, sub)
    assert case.assignee_id == org.officer and case.reasons == ["score"] and not case.sensitive
    assert len(database.call(lambda s: s.exec(select(FollowupCase)).all())) == 1


def test_the_unique_constraint_allows_one_case_per_submission(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer)
    evaluate(database, sub)
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError from either driver
        database.call(lambda s: s.add(FollowupCase(submission_id=sub, reference="TL-DUPE")) or s.flush())


def test_a_case_waits_until_every_message_is_scored(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, texts=("bad", "worse"), scores=(-0.9, None))
    outcome = evaluate(database, sub)
    assert outcome.waiting and outcome.case_id is None


def test_a_trigger_topic_opens_a_case_before_scoring_and_goes_to_the_supervisor(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, texts=("he hit me",), scores=(None,),
                         topics=(("use_of_force",),))
    outcome = evaluate(database, sub)
    case = case_of(database, sub)
    assert outcome.created and case.sensitive and case.reasons == ["topic"]
    assert case.assignee_id == org.supervisor != org.officer


def test_a_misconduct_flag_is_sensitive_even_without_the_topic(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(0.1,), flags=(("misconduct",),))
    evaluate(database, sub)
    assert case_of(database, sub).assignee_id == org.supervisor


def test_low_ratings_open_a_case_even_with_a_neutral_tone(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, scores=(0.0,), ratings={"respect": 2, "fairness": 7})
    evaluate(database, sub)
    case = case_of(database, sub)
    assert case.reasons == ["rating"] and case.min_rating == 2
    assert case.assignee_id == org.supervisor  # no officer known: the unit's supervisor


def test_mild_feedback_and_unlinked_feedback_open_no_case(database: Database) -> None:
    org = seed_org(database)
    mild = add_submission(database, unit_id=org.unit_id, scores=(-0.2,), ratings={"respect": 6})
    unlinked = add_submission(database, unit_id=None, scores=(-0.9,))
    unsent = add_submission(database, unit_id=org.unit_id, scores=(-0.9,), submit=False)
    assert evaluate(database, mild).case_id is None
    assert evaluate(database, unlinked).case_id is None
    assert evaluate(database, unsent).case_id is None


def test_without_a_supervisor_a_colleague_gets_it_unless_sensitive(database: Database) -> None:
    org = seed_org(database)
    database.call(lambda s: revoke_staff(s, org.supervisor))
    sub = add_submission(database, unit_id=org.unit_id, scores=(-0.9,))
    evaluate(database, sub)
    assert case_of(database, sub).assignee_id in (org.officer, org.colleague)


def test_without_a_supervisor_a_sensitive_case_goes_to_the_district_commander_then_the_agency(database: Database) -> None:
    org = seed_org(database)
    database.call(lambda s: revoke_staff(s, org.supervisor))
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), flags=(("misconduct",),))
    evaluate(database, sub)
    assert case_of(database, sub).assignee_id == org.commander
    database.call(lambda s: revoke_staff(s, org.commander))
    sub2 = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), flags=(("misconduct",),))
    evaluate(database, sub2)
    assert case_of(database, sub2).assignee_id == org.chief


def test_escalation_climbs_the_line_and_never_reaches_the_officer_concerned(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
    case_id = evaluate(database, sub).case_id
    assert database.call(cases.escalate, case_id, Actor(org.officer)).id == org.supervisor
    assert database.call(cases.escalate, case_id, Actor(org.supervisor)).id == org.commander
    assert database.call(cases.escalate, case_id, Actor(org.commander)).id == org.chief
    with pytest.raises(CaseActionError, match="nobody_above"):
        database.call(cases.escalate, case_id, Actor(org.chief))
    assert case_of(database, sub).escalations == 3


def test_reassigning_carries_the_note_and_excludes_the_officer_concerned_when_sensitive(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(None,), topics=(("misconduct_allegation",),))
    case_id = evaluate(database, sub).case_id
    case = case_of(database, sub)
    candidates = {s.id for s in database.call(cases.reassign_candidates, case)}
    assert org.officer not in candidates and org.colleague in candidates and org.other_officer not in candidates
    with pytest.raises(CaseActionError, match="bad_target"):
        database.call(cases.reassign, case_id, Actor(org.supervisor), org.officer, "please look")
    database.call(cases.reassign, case_id, Actor(org.supervisor), org.colleague, "Called the resident's precinct; needs a visit.")
    view = database.call(cases.case_view, case_id)
    assert view.assignee_id == org.colleague
    assert [(n.kind, n.text) for n in view.notes] == [("handover", "Called the resident's precinct; needs a visit.")]


def test_reminder_then_escalation_are_due_from_the_database_state(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
    case_id = evaluate(database, sub).case_id
    remind, escalate = timedelta(hours=24), timedelta(hours=72)
    now = utcnow()
    assert database.call(cases.due_actions, now + timedelta(hours=1), remind, escalate) == []
    assert database.call(cases.due_actions, now + timedelta(hours=25), remind, escalate) == [cases.DueAction(case_id, "remind")]
    assert database.call(cases.claim_reminder, case_id) and not database.call(cases.claim_reminder, case_id)
    assert database.call(cases.due_actions, now + timedelta(hours=30), remind, escalate) == []
    assert database.call(cases.due_actions, now + timedelta(hours=73), remind, escalate) == [cases.DueAction(case_id, "escalate")]
    database.call(cases.acknowledge, case_id, Actor(org.officer))
    assert database.call(cases.due_actions, now + timedelta(hours=100), remind, escalate) == []


def test_positive_messages_about_an_officer_queue_kudos_once(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, texts=("So kind!", "meh", "He helped a lot"),
                         scores=(0.9, 0.1, 0.7))
    evaluate(database, sub)
    evaluate(database, sub)
    (batch,) = database.call(cases.due_kudos)
    assert batch.officer_id == org.officer and batch.quotes == ["So kind!", "He helped a lot"]
    database.call(cases.mark_kudos_sent, batch.item_ids)
    assert database.call(cases.due_kudos) == []


def test_the_audit_log_is_append_only(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer)
    case_id = evaluate(database, sub).case_id
    database.call(cases.acknowledge, case_id, Actor(org.officer))
    actions = [r.action for r in database.call(cases.audit_rows, case_id=case_id)]
    assert actions == ["case_opened", "acknowledged"]

    def rewrite(session):  # type: ignore[no-untyped-def]
        entry = session.exec(select(AuditEntry)).first()
        entry.detail = "nothing happened"

    def delete_one(session):  # type: ignore[no-untyped-def]
        session.delete(session.exec(select(AuditEntry)).first())

    def bulk(session):  # type: ignore[no-untyped-def]
        from sqlalchemy import delete

        session.exec(delete(AuditEntry))

    for attempt in (rewrite, delete_one, bulk):
        with pytest.raises(AuditLogIsAppendOnly):
            database.call(attempt)
    assert len(database.call(cases.audit_rows, case_id=case_id)) == 2


def test_forget_unlinks_the_case_and_erases_the_residents_words_but_keeps_the_record(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, contact=True, resident_user_id=4242,
                         texts=("Rude officer", "Great partner though"), scores=(-0.9, 0.9))
    case_id = evaluate(database, sub).case_id
    database.call(cases.add_reply, case_id, Actor(org.officer), "Sorry, we are looking into it.")
    database.call(cases.add_resident_answer, case_id, "Thanks, it was on Main St")
    assert database.call(store.forget_resident, pseudonym(SECRET, 4242)) is True

    case = database.call(lambda s: s.get(FollowupCase, case_id))
    assert case.submission_id is None and case.resident_erased_at is not None
    assert case.reference and case.reasons == ["score"] and case.assignee_id == org.officer
    notes = database.call(lambda s: s.exec(select(CaseNote).where(CaseNote.case_id == case_id)).all())
    from_resident = [n for n in notes if n.kind == "from_resident"]
    assert from_resident and all(n.text is None and n.erased_at for n in from_resident)
    assert [n.text for n in notes if n.kind == "to_resident"] == ["Sorry, we are looking into it."]
    assert database.call(lambda s: s.exec(select(KudosItem)).all()) == []
    assert database.call(lambda s: s.exec(select(Submission)).all()) == []
    assert database.call(lambda s: s.exec(select(ResidentContact)).all()) == []
    assert database.call(cases.resident_contact, case_id) is None
    view = database.call(cases.case_view, case_id)
    assert view.resident_erased and view.messages == [] and view.resident is None
    assert "resident_erased" in [r.action for r in database.call(cases.audit_rows, case_id=case_id)]


def test_follow_up_counts_give_the_satisfaction_rate_per_unit(database: Database) -> None:
    org = seed_org(database)
    ids = []
    for helpful in (True, True, False, None):
        sub = add_submission(database, unit_id=org.unit_id, contact=True, scores=(-0.9,))
        case_id = evaluate(database, sub).case_id
        database.call(cases.resolve, case_id, Actor(org.supervisor), "done")
        database.call(cases.claim_status_messages)
        database.call(cases.finish_status_message, case_id, "sent", 77)
        ids.append((case_id, helpful))
    for case_id, helpful in ids:
        if helpful is not None:
            database.call(lambda s, c=case_id, h=helpful: _answer(s, c, h))
    silent = add_submission(database, unit_id=org.unit_id, contact=False, scores=(-0.9,))
    evaluate(database, silent)
    counts = database.call(cases.followup_counts, utcnow() - timedelta(days=1), utcnow() + timedelta(days=1))
    agency, unit = counts[None], counts["D3-Patrol"]
    assert (agency.requested, agency.responded, agency.rated, agency.satisfied) == (4, 4, 3, 2)
    assert unit == agency and round(unit.satisfaction_rate, 3) == 0.667
    from trust.model import GroupKey

    stats = database.call(cases.followup_stats, utcnow() - timedelta(days=1), utcnow() + timedelta(days=1))
    assert set(stats) == {GroupKey.agency(), GroupKey.district("South"), GroupKey.unit("D3-Patrol")}
    assert stats[GroupKey.district("South")].satisfaction_rate == unit.satisfaction_rate


def _answer(session, case_id: int, helpful: bool) -> None:  # type: ignore[no-untyped-def]
    case = session.get(FollowupCase, case_id)
    sub = session.get(Submission, case.submission_id)
    from storage.models import Resident

    resident = session.get(Resident, sub.resident_id)
    assert cases.record_helpful(session, case_id, resident.pseudonym, helpful) == "ok"
    assert cases.record_helpful(session, case_id, resident.pseudonym, helpful) == "already"
    assert cases.record_helpful(session, case_id, "someone-else", helpful) == "not_yours"


def test_revoking_a_supervisor_hands_their_cases_to_the_next_in_line(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(None,), topics=(("use_of_force",),))
    case_id = evaluate(database, sub).case_id
    assert case_of(database, sub).assignee_id == org.supervisor
    moved = database.call(lambda s: (revoke_staff(s, org.supervisor), cases.reroute_cases_of(s, org.supervisor))[1])
    assert moved == [case_id]
    case = case_of(database, sub)
    assert case.assignee_id == org.commander and case.notified_at is None  # the scan job tells the commander


def test_submissions_whose_hooks_were_missed_are_found_by_the_sweep(database: Database) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, scores=(-0.9,))
    unlinked = add_submission(database, unit_id=None, scores=(-0.9,))
    since = utcnow() - timedelta(hours=1)
    found = database.call(cases.recent_submissions_without_case, since)
    assert sub in found and unlinked not in found
    evaluate(database, sub)
    assert sub not in database.call(cases.recent_submissions_without_case, since)
