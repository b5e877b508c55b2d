"""Closing every loop, end to end: unowned cases reach the bootstrap admin, one prompt per case
and person edited in place, stale buttons say where the case went, "it didn't help" reopens the
case one level up, closing on a waiting resident needs a confirmation, and the sensitive mark."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from bot import case_prompts, followups
from storage import cases
from storage.cases import Actor
from storage.db import Database
from storage.units import UnitSpec, find_unit, sync_units
from tests.support.app import TEST_UNITS, start_bot, stop_bot
from tests.support.followups import COMMANDER, SUPERVISOR, add_submission, build_bot, case_of, seed_org

ADMIN = 900
RESIDENT = 7_770_042


def current(fake_api: Any, message: Any) -> Any:
    return next(m for m in fake_api.messages_to(message.chat_id) if m.message_id == message.message_id)


async def test_with_nobody_enrolled_the_bootstrap_admin_gets_the_case(fake_api: Any, database: Database, settings: Any) -> None:
    unit = database.call(lambda s: (sync_units(s, [UnitSpec(**u) for u in TEST_UNITS]), find_unit(s, "D3-Patrol"))[1].id)
    app = build_bot(settings, database, fake_api, telegram={"admin_ids": [ADMIN]})
    await start_bot(app)
    try:
        admin = fake_api.user("Ada", user_id=ADMIN, started=True)
        sub = add_submission(database, unit_id=unit, scores=(-0.9,))
        await followups.on_submitted(app, sub)
        prompt = await admin.next_message()
        assert "Nobody enrolled can take this follow-up, so it is with you" in prompt.text
        assert case_of(database, sub).reference in prompt.text and "Acknowledge" in prompt.buttons[0]
        assert await case_prompts.tell_admins_unowned(app) == 1
        assert "1 follow-up case has nobody to handle it" in (await admin.next_message()).text
    finally:
        await stop_bot(app)


async def test_the_bootstrap_admin_can_reply_to_and_resolve_a_case_nobody_else_can_take(
    fake_api: Any, database: Database, settings: Any
) -> None:
    unit = database.call(lambda s: (sync_units(s, [UnitSpec(**u) for u in TEST_UNITS]), find_unit(s, "D3-Patrol"))[1].id)
    app = build_bot(settings, database, fake_api, telegram={"admin_ids": [ADMIN]})
    await start_bot(app)
    try:
        admin = fake_api.user("Ada", "Admin", user_id=ADMIN, started=True)
        resident = fake_api.user("Res", user_id=RESIDENT, started=True)
        sub = add_submission(database, unit_id=unit, scores=(-0.9,), contact=True, resident_user_id=RESIDENT)
        await followups.on_submitted(app, sub)
        prompt = await admin.next_message()
        assert "so it is with you" in prompt.text

        await admin.press("Reply to resident", message=prompt)
        assert "Type your reply" in (await admin.next_message()).text
        await admin.send("Thank you for writing. I am looking into it today.")
        assert "Sent to the resident" in (await admin.next_message()).text
        assert "looking into it today" in (await resident.next_message()).text

        await admin.press("Resolve", message=prompt)
        share = await admin.next_message()
        await admin.press("No", message=share)
        await admin.next_message()
        await admin.send("Called the unit's sergeant; patrols adjusted.")
        assert "Resolved" in (await admin.next_message()).text
        case = case_of(database, sub)
        assert case.status == "resolved"
        enrolled = [r for r in database.call(cases.audit_rows) if r.action == "staff_enrolled"]
        assert len(enrolled) == 1 and "telegram.admin_ids" in (enrolled[0].detail or "")
    finally:
        await stop_bot(app)


async def test_start_up_warns_about_units_with_nobody_and_missing_chats(
    fake_api: Any, database: Database, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    database.call(lambda s: sync_units(s, [UnitSpec(**u) for u in TEST_UNITS]))
    app = build_bot(settings, database, fake_api)
    caplog.set_level(logging.WARNING, logger="bot.case_prompts")
    await case_prompts.warn_routing_gaps(app)
    lines = [r.getMessage() for r in caplog.records]
    assert any("unit D3-Patrol has nobody enrolled" in line for line in lines)
    assert any("duty_chat_id is not set" in line for line in lines) and any("no staff chat" in line for line in lines)


async def test_a_stale_button_says_where_the_case_went_and_the_refusal_is_audited(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        fake_api.user("Sue", user_id=SUPERVISOR, started=True)
        sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
        await followups.on_submitted(app, sub)
        prompt = await olga.next_message()
        case_id = case_of(database, sub).id
        database.call(cases.escalate, case_id, Actor.system())  # moved behind the bot's back
        answer = await fake_api.wait_for_callback_answer(await olga.press("Acknowledge", message=prompt))
        assert "This case is now with Sue Supervisor" in str(answer)
        denied = [r for r in database.call(cases.audit_rows, case_id=case_id) if r.action == "denied"]
        assert denied and "stale" in (denied[-1].detail or "")
    finally:
        await stop_bot(app)


async def test_closing_unreplied_asks_first_and_it_didnt_help_reopens_one_level_up(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api, agency={"complaint_url": "https://example.gov/complaints"})
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
        resident = fake_api.user("Res", user_id=RESIDENT, started=True)
        sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,), contact=True, resident_user_id=RESIDENT)
        await followups.on_submitted(app, sub)
        prompt = await olga.next_message()
        reference = case_of(database, sub).reference

        # No silent closure: the resident asked to hear back and nobody has replied.
        await olga.press("Resolve", message=prompt)
        confirm = await olga.next_message()
        assert "hasn't had a reply yet. Resolve anyway?" in confirm.text
        await olga.press("Resolve anyway", message=confirm)
        share = await olga.next_message()
        await olga.press("No, keep it internal", message=share)
        assert "It stays with staff" in (await olga.next_message()).text
        await olga.send("Internal: checked the log, nothing to add.")
        await olga.next_message()
        closing = await resident.next_message()
        assert f"Your report {reference} has been reviewed and closed by an officer of District 3 Patrol" in closing.text
        assert "checked the log" not in closing.text
        assert "resolved_without_reply" in [r.action for r in database.call(cases.audit_rows, case_id=case_of(database, sub).id)]

        # "It didn't help": reopened, up to the supervisor, who sees why; Olga is told; the
        # resident hears who has it now and where to complain formally.
        await resident.press("No", message=closing)
        told = await resident.next_message()
        assert "reopened" in told.text and "a supervisor" in told.text and "https://example.gov/complaints" in told.text
        reopened = await sue.next_message()
        assert reference in reopened.text and "the resident says the follow-up didn't help" in reopened.text
        assert "Acknowledge" in reopened.buttons[0]
        assert "didn't help" in (await olga.next_message()).text
        case = case_of(database, sub)
        assert case.status == "open" and case.assignee_id == org.supervisor and case.helpful is False
    finally:
        await stop_bot(app)


async def test_marking_sensitive_hands_the_case_on_and_only_a_commander_can_unmark(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
        cmdr = fake_api.user("Cmdr", user_id=COMMANDER, started=True)
        sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
        await followups.on_submitted(app, sub)
        prompt = await olga.next_message()
        await olga.press("Mark sensitive", message=prompt)
        handed = await sue.next_message()
        assert "Sensitive" in handed.text and "Unmark sensitive" not in handed.buttons
        await fake_api.wait_until(lambda: "handed on to a colleague" in current(fake_api, prompt).text, message="Olga's prompt cut")
        assert not current(fake_api, prompt).buttons

        await cmdr.send(f"/case {case_of(database, sub).reference}")
        view = await cmdr.next_message()
        await cmdr.press("Unmark sensitive", message=view)
        await fake_api.wait_until(lambda: not case_of(database, sub).sensitive, message="unmarked")
        done = [r.action for r in database.call(cases.audit_rows, case_id=case_of(database, sub).id)]
        assert {"marked_sensitive", "rerouted", "unmarked_sensitive"} <= set(done)
    finally:
        await stop_bot(app)
