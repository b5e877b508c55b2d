"""Close every loop, the resident's side: nothing a resident writes is thrown away, answers find
their case, promises are true, and a typical report costs few Bot API calls. End to end, on SQLite
and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import select

from bot import case_prompts
from bot.app import build_application
from storage import cases
from storage.db import Database
from storage.models import FeedbackMessage, Resident, Submission
from storage.models_cases import FollowupCase
from storage.units import create_token
from tests.support.app import point_at, start_bot, stop_bot
from tests.support.followups import OFFICER, RULES, SUPERVISOR, add_submission, build_bot, seed_org
from tests.support.residents import choose_unit, finish, reach_feedback_question, send_feedback, until

STORY = "An officer pushed me against a car for no reason and laughed at me"


def rows(db: Database, model: Any) -> list[Any]:
    return db.call(lambda s: list(s.exec(select(model)).all()))


async def test_text_sent_before_start_is_kept_after_consent_even_across_a_restart(
    fake_api: Any, database: Database, settings: Any
) -> None:
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.1)
    await start_bot(app)
    user = fake_api.user(first_name="Ari")
    await user.send(STORY)
    notice = await user.next_message()
    assert "kept what you wrote" in notice.text and "not for emergencies" in notice.text.lower()
    assert rows(database, Resident) == [] and rows(database, FeedbackMessage) == [], "nothing stored before consent"
    await stop_bot(app)

    app = build_application(settings, database, persistence_interval=0.1)
    await start_bot(app)
    try:
        await user.press("I agree", message=notice)
        await choose_unit(user, notice, "District 3 Patrol")
        assert "I've kept what you wrote and added it to your report" in notice.text
        assert [m.text for m in rows(database, FeedbackMessage)] == [STORY]
        await send_feedback(user, "It was outside the station on Friday.")
        reference, _ = await finish(user, skip_all=True)
        (sub,) = rows(database, Submission)
        assert sub.reference == reference and sub.status == "submitted"
        assert [m.text for m in rows(database, FeedbackMessage)] == [STORY, "It was outside the station on Friday."]
    finally:
        await stop_bot(app)


async def test_text_before_start_is_discarded_when_consent_is_refused(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Bea")
    await user.send(STORY)
    notice = await user.next_message()
    await user.press("No thanks", message=notice)
    await until(user, notice, "What you wrote before was not kept either")
    await user.send("/start")
    again = await user.next_message()
    await user.press("I agree", message=again)
    await choose_unit(user, again)
    assert "kept what you wrote" not in again.text
    assert rows(database, FeedbackMessage) == []


async def test_text_after_a_finished_report_goes_into_a_new_one(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Cai")
    await user.send("/start")
    notice = await user.next_message()
    await user.press("I agree", message=notice)
    await choose_unit(user, notice)
    await send_feedback(user, "First report.")
    await finish(user, skip_all=True)
    await user.send("Oh, and one more thing: the officer never gave his name.")
    live = await user.next_message()
    assert "new report" in live.text and "Which unit" in live.text
    await user.press("District 1 Traffic", message=live)
    await until(user, live, "added it to your report")
    first, second = sorted(rows(database, Submission), key=lambda s: s.id)
    assert first.status == "submitted" and second.status == "open"
    texts = {m.submission_id: m.text for m in rows(database, FeedbackMessage)}
    assert texts[second.id] == "Oh, and one more thing: the officer never gave his name."


async def _officer_writes_to(app: Any, database: Database, org: Any, user: Any, text: str) -> str:
    """A case about ``user``'s report with the officer's message relayed to them; returns its reference."""
    sub_id = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, contact=True, resident_user_id=user.id,
                            ratings={"respect": 1})
    outcome = database.call(cases.evaluate_submission, sub_id, RULES)
    note = database.call(cases.add_reply, outcome.case_id, cases.Actor(org.officer), text)
    await case_prompts.deliver_relays(app, [note])
    return database.call(lambda s: s.get(FollowupCase, outcome.case_id).reference)


async def test_plain_message_answers_the_officer_waiting_for_it(fake_api: Any, database: Database, settings: Any) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=OFFICER, started=True)
        user = fake_api.user(first_name="Dev", started=True)
        await _officer_writes_to(app, database, org, user, "Could you tell me which street it was?")
        assert "A message from Springfield PD" in (await user.next_message()).text
        olga.drain()
        await user.send("Elm Street, near the school.")  # a plain message, not Telegram's reply
        assert "Sent to the officer" in (await user.next_message()).text
        answer = await olga.next_message()
        assert "The resident answered" in answer.text and "Elm Street" in answer.text
        assert len(rows(database, Submission)) == 1, "not mistaken for a new report"
    finally:
        await stop_bot(app)


async def test_with_two_officers_waiting_the_resident_picks_the_case(fake_api: Any, database: Database, settings: Any) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        user = fake_api.user(first_name="Eli", started=True)
        await _officer_writes_to(app, database, org, user, "First question?")
        second = await _officer_writes_to(app, database, org, user, "Second question?")
        user.drain()
        await user.send("Yes, it was at night.")
        picker = await user.next_message()
        assert "Which one" in picker.text and len(picker.buttons) == 2
        await user.press(second, message=picker)
        assert "Sent to the officer" in (await user.next_message()).text
        answered = database.call(lambda s: s.exec(select(FollowupCase).where(FollowupCase.reference == second)).one())
        from storage.models_cases import CaseNote

        kinds = database.call(lambda s: [n.kind for n in s.exec(select(CaseNote).where(CaseNote.case_id == answered.id)).all()])
        assert "from_resident" in kinds
    finally:
        await stop_bot(app)


# Texts the rules flag as an emergency now, in each language residents write in.
EMERGENCIES = {
    "en": "Someone is breaking into my house right now",
    "es": "Alguien está entrando a mi casa ahora mismo, ayuda",
    "fr": "Quelqu'un est en train d'entrer chez moi en ce moment, au secours",
    "de": "Jemand bricht gerade in mein Haus ein, bitte helfen Sie",
}


@pytest.mark.parametrize("language", sorted(EMERGENCIES))
async def test_emergency_in_any_language_gets_the_number_at_once_and_no_duty_promise_without_a_duty_chat(
    running_bot: Any, fake_api: Any, database: Database, language: str
) -> None:
    user = fake_api.user(first_name="Fay", language_code=language)
    await user.send("/start")
    notice = await user.next_message()
    consent_buttons = list(notice.buttons)
    await user.press(consent_buttons[0], message=notice)  # agree, in whatever language
    await user.api.wait_until(lambda: notice.buttons and notice.buttons != consent_buttons, 5)
    await user.press(notice.buttons[0], message=notice)  # the first unit
    await user.api.wait_until(lambda: not notice.buttons, 5)
    user.drain()
    await user.send(EMERGENCIES[language])
    urgent = await user.next_message()
    assert "911" in urgent.text and "<b>" in urgent.raw_text
    assert "duty" not in urgent.text.lower() and "guardia" not in urgent.text.lower(), "no duty chat: no duty-team promise"
    (msg,) = rows(database, FeedbackMessage)
    assert "emergency" in msg.flags


async def test_uncertain_danger_still_gets_the_number(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Gil")
    await user.send("I think someone might be following me maybe")
    first = await user.next_message()
    assert "<b>call 911</b>" in first.raw_text and "duty" not in first.text.lower()
    assert rows(database, FeedbackMessage) == [], "the number comes before consent; the words wait for it"


async def test_failed_alert_delivery_is_reported_to_admins_and_not_promised(fake_api: Any, database: Database, settings: Any) -> None:
    admin = fake_api.user("Ada", started=True)
    settings.telegram.admin_ids = [admin.id]
    settings.agency.duty_chat_id = -100999  # a chat the bot is not in
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    await start_bot(app)
    try:
        user = fake_api.user(first_name="Hob")
        await user.send("/start")
        notice = await user.next_message()
        await user.press("I agree", message=notice)
        await choose_unit(user, notice)
        user.drain()
        await user.send("I want to kill myself")
        reply = await user.next_message()
        assert "<b>call 911</b>" in reply.raw_text and "sorry" in reply.text.lower() and "duty" not in reply.text.lower()
        assert "could not be delivered" in (await admin.next_message()).text
    finally:
        await stop_bot(app)


def counted(api: Any, since: int) -> list[str]:
    """Calls that count against Telegram's limits: the ones carrying a chat id (AIORateLimiter)."""
    return [c.method for c in api.calls[since:] if "chat_id" in (c.params or {})]


async def test_a_typical_submission_costs_at_most_14_counted_bot_api_calls(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Ivy")
    since = len(fake_api.calls)
    await user.send("/start")
    notice = await user.next_message()
    await user.press("I agree", message=notice)
    await choose_unit(user, notice)
    for burst in (("They stopped me at the lights.", "No reason given.", "Took 40 minutes."),
                  ("The second officer was polite.", "But the first one shouted.", "That's all.")):
        for text in burst:
            await user.send(text)
        await user.api.wait_until(lambda: len(rows(database, FeedbackMessage)) >= 3, 5)
        await asyncio.sleep(2)  # the burst's one status update lands
    status = next(m for m in user.inbox if "Saved" in m.text)
    await until(user, status, "Saved 6 messages")
    _, final = await finish(user, {"respect": 4, "listened": 5, "fair": 6, "safe": 7})
    await user.press("No thanks", message=final)
    await until(user, final, "nobody will contact you")
    calls = counted(fake_api, since)
    print("counted calls:", len(calls), calls, "all calls:", len([c for c in fake_api.calls[since:] if c.method != "getUpdates"]))
    assert len(calls) <= 14, calls
    assert len(rows(database, FeedbackMessage)) == 6


async def test_resident_marked_conduct_complaint_goes_to_the_supervisor_with_the_complaint_route(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    settings.agency.complaint_url = "https://springfield.example/complaints"
    sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        token = database.call(lambda s: create_token(s, officer_id=org.officer, label="card").token)
        user = fake_api.user(first_name="Jay")
        await user.send(f"/start {token}")
        notice = await user.next_message()
        await user.press("I agree", message=notice)
        await until(user, notice, "what happened")
        await send_feedback(user, "He would not listen and kept interrupting me.")
        _, final = await finish(user, {"respect": 1})
        assert "sorry this happened" in final.text
        await user.press("complaint about an officer", message=final)
        await until(user, final, "https://springfield.example/complaints")
        await user.api.wait_until(lambda: bool(rows(database, FollowupCase)), 5)
        (case,) = rows(database, FollowupCase)
        assert case.sensitive and case.officer_id == org.officer and case.assignee_id == org.supervisor
        assert case.reference in (await sue.next_message()).text
    finally:
        await stop_bot(app)


async def test_danger_written_into_an_edit_gets_the_number_and_alerts_the_duty_chat_once(
    fake_api: Any, database: Database, settings: Any
) -> None:
    duty = fake_api.group(title="Duty desk")
    settings.agency.duty_chat_id = duty.id
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    await start_bot(app)
    try:
        user = fake_api.user(first_name="Ivo")
        await reach_feedback_question(user)
        sent = await user.send("The patrol car was parked outside again tonight")
        await user.next_message()  # "Saved"
        user.drain()
        await user.edit(sent, "Someone is breaking into my house right now")
        replies = [await user.next_message(), await user.next_message()]
        assert any("<b>call 911</b>" in r.raw_text and "duty team has been alerted" in r.text for r in replies)
        assert "emergency" in (await duty.next_message()).text.lower()
        await user.edit(sent, "Someone is breaking into my house right now!!")  # the same danger: not again
        assert "correction" in (await user.next_message()).text
        await user.expect_no_message(within=0.5)
        await duty.expect_no_message(within=0.3)

        await finish(user)
        await user.edit(sent, "I want to kill myself")  # too late to change the report, never too late for the number
        replies = [await user.next_message(), await user.next_message()]
        assert any("already submitted" in r.text for r in replies)
        assert any("<b>call 911</b>" in r.raw_text and "duty" not in r.text.lower() for r in replies)
    finally:
        await stop_bot(app)
