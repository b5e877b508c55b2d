"""Follow-ups end to end: real PTB Application <-> fake Bot API <-> real database (SQLite and
PostgreSQL). An officer enrolls with a code, gets a prompt for negative feedback about them,
replies to the resident through the bot, resolves it, and the resident answers "did this help?"."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from bot import followups
from storage import cases
from storage.db import Database
from storage.models import Staff, utcnow
from storage.models_cases import CaseNote, FollowupCase
from storage.staff import invite, revoke_staff
from storage.units import create_token, find_unit
from tests.support.app import start_bot, stop_bot
from tests.support.followups import (
    SUPERVISOR,
    build_bot,
    resident_gives_feedback,
    score_submission,
    seed_org,
)

# Distinctive resident identifiers that must never reach a staff chat.
RESIDENT_FIRST, RESIDENT_LAST, RESIDENT_USERNAME, RESIDENT_ID = "Zebulon", "Quixotefield", "zq_secret_handle", 7_770_001


def staff_chat_texts(fake_api: Any, chat_ids: list[int]) -> str:
    """Everything the bot ever showed in these chats: messages, edits, buttons, callback answers."""
    parts = []
    known = []
    for chat_id in chat_ids:
        try:
            fake_api.chat_state(chat_id)
        except KeyError:
            continue  # never wrote to the bot, so the bot could not write to them either
        known.append(chat_id)
    known += [c.id for c in fake_api.group_chats()]
    assert known
    for chat_id in known:
        for message in fake_api.messages_to(chat_id):
            parts.append(message.raw_text or "")
            parts.extend(h.raw_text or "" for h in getattr(message, "history", []) or [])
            parts.extend(str(b) for b in message.buttons)
            parts.append(str(message.params))
    # Callback answers shown to staff (query ids start with the presser's user id).
    parts.extend(str(a.text) for qid, a in fake_api.callback_answers.items() if any(qid.startswith(str(c)) for c in chat_ids))
    return "\n".join(parts)


def current(fake_api: Any, message: Any) -> Any:
    """The message as it stands now in its chat (edits applied)."""
    return next(m for m in fake_api.messages_to(message.chat_id) if m.message_id == message.message_id)


def has_button(message: Any, label: str) -> bool:
    return any(label in button for button in message.buttons)


def assert_no_resident_identity(text: str) -> None:
    for needle in (RESIDENT_FIRST, RESIDENT_LAST, RESIDENT_USERNAME, str(RESIDENT_ID), "555-123-4567", "5551234567"):
        assert needle.lower() not in text.lower(), f"{needle!r} leaked to staff"


async def test_officer_enrolls_gets_a_prompt_replies_resolves_and_the_resident_rates_the_help(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    invitation = database.call(lambda s: invite(s, role="officer", unit_code="D3-Patrol", name="Nora Newcomer", hours=72))
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        # 1. The officer enrolls with the one-time code, in a private chat.
        nora = fake_api.user("Nora", "N", username="nora_officer", user_id=601)
        await nora.send(f"/enroll {invitation.code.lower()}")
        welcome = await nora.next_message()
        assert "Welcome, Nora Newcomer" in welcome.text and "officer" in welcome.text
        await nora.send(f"/enroll {invitation.code}")
        assert "already used" in (await nora.next_message()).text

        # 2. A resident scans Nora's card and leaves negative feedback, asking to be contacted.
        token = database.call(lambda s: create_token(s, officer_id=invitation.staff_id, label="card").token)
        resident = fake_api.user(RESIDENT_FIRST, RESIDENT_LAST, username=RESIDENT_USERNAME, user_id=RESIDENT_ID)
        reference = await resident_gives_feedback(
            resident, ("The officer was dismissive and would not listen. Call me on 555-123-4567.",),
            payload=token, ratings={"respect": 2, "listening": 1}, contact=True,
        )
        await score_submission(app, database, reference, (-0.82,))

        # 3. Nora gets one prompt: redacted text, score, unit, reference, and all six buttons.
        prompt = await nora.next_message()
        assert reference in prompt.text and "[phone]" in prompt.text and "-0.82" in prompt.text
        assert "District 3 Patrol" in prompt.text and "Officer: you" in prompt.text
        assert prompt.buttons == ["✅ Acknowledge", "💬 Reply to resident", "✔️ Resolve", "↪️ Reassign", "⬆️ Escalate", "✏️ Correct", "⚠️ Mark sensitive"]
        await nora.expect_no_message(within=0.3)  # one prompt per case and person, not two

        await nora.press("Acknowledge", message=prompt)
        edited = await nora.next_edit()
        assert "acknowledged" in edited.text and not has_button(edited, "Acknowledge")

        # 4. Nora replies through the bot; the resident gets it without Nora's name.
        await nora.press("Reply to resident", message=prompt)
        assert "Type your reply" in (await nora.next_message()).text
        await nora.send("Thank you for telling us. I would like to hear more about what happened.")
        assert "Sent to the resident" in (await nora.next_message()).text
        relayed = await resident.next_message()
        assert "A message from Springfield PD" in relayed.text and reference in relayed.text
        assert "Nora" not in relayed.text and "I would like to hear more" in relayed.text

        # 5. The resident answers back by replying to it; Nora reads it (redacted) with a Reply button.
        await resident.send("It was at 5th and Main, my email is zq@example.com", reply_to=relayed.message_id)
        assert "Sent to the officer" in (await resident.next_message()).text
        answer = await nora.next_message()
        assert "The resident answered" in answer.text and "5th and Main" in answer.text and "[email]" in answer.text
        assert answer.buttons == ["💬 Reply to resident"]

        # 6. Nora resolves, choosing to share her note; the resident reads it and is asked "did this help?".
        await nora.press("Resolve", message=prompt)
        share = await nora.next_message()
        assert "Share this note with the resident?" in share.text
        await nora.press("Yes, share it", message=share)
        assert "The resident will read it" in (await nora.next_message()).text
        await nora.send("Spoke with the resident and reviewed body-cam footage with my supervisor.")
        resolved = await nora.next_message()
        assert "Resolved" in resolved.text and "asked whether this helped" in resolved.text
        status = await resident.next_message()
        assert reference in status.text and status.buttons == ["👍 Yes", "👎 No"]
        assert "reviewed body-cam footage" in status.text and "Nora" not in status.text
        # Her prompt is now a one-line status without buttons (edited in place, not a new message).
        await fake_api.wait_until(lambda: "is resolved" in current(fake_api, prompt).text, message="prompt updated")
        assert not current(fake_api, prompt).buttons
        await resident.press("Yes", message=status)
        assert "Thank you for telling us" in (await resident.next_message()).text

        case = database.call(lambda s: s.exec(select(FollowupCase)).one())
        assert case.status == "resolved" and case.helpful is True and case.assignee_id == invitation.staff_id
        counts = database.call(cases.followup_counts, utcnow() - timedelta(days=1), utcnow() + timedelta(days=1))
        assert counts[None].satisfaction_rate == 1.0 and counts["D3-Patrol"].responded == 1
        actions = [r.action for r in database.call(cases.audit_rows, case_id=case.id)]
        for expected in ("case_opened", "acknowledged", "reply_queued", "reply_delivered", "resident_answered",
                         "resolved", "resident_told_resolved", "helpful_answered"):
            assert expected in actions

        # Nothing shown to staff identifies the resident, and Telegram refused nothing.
        assert_no_resident_identity(staff_chat_texts(fake_api, [601, SUPERVISOR]))
        assert not fake_api.failed_calls(), fake_api.diagnostics()
        assert org.unit_id
    finally:
        await stop_bot(app)


async def test_misconduct_goes_to_the_supervisor_and_never_to_the_officer_concerned(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
        token = database.call(lambda s: create_token(s, officer_id=org.officer).token)
        resident = fake_api.user(RESIDENT_FIRST, RESIDENT_LAST, username=RESIDENT_USERNAME, user_id=RESIDENT_ID)
        reference = await resident_gives_feedback(
            resident, ("The officer used excessive force and punched me during the arrest.",), payload=token, contact=False,
        )
        await score_submission(app, database, reference, (-0.9,))
        prompt = await sue.next_message()
        assert reference in prompt.text and "Sensitive" in prompt.text and "Olga Officer" in prompt.text
        assert not has_button(prompt, "Reply to resident")  # the resident did not ask to be contacted
        await olga.expect_no_message(within=0.3)

        # Olga cannot open it either, even knowing the reference.
        await olga.send(f"/case {reference}")
        assert "not found" in (await olga.next_message()).text.lower()
        await olga.send(f"/audit {reference}")
        assert "not found" in (await olga.next_message()).text.lower()
        await olga.send("/cases")
        assert "No open follow-ups" in (await olga.next_message()).text
        await sue.send("/cases")
        assert reference in (await sue.next_message()).text

        # Sue hands it to a colleague with a note; Olga is never offered as a colleague.
        carl = fake_api.user("Carl", user_id=502, started=True)
        await sue.press("Reassign", message=prompt)
        choices = await sue.next_message()
        assert has_button(choices, "Carl Colleague") and not has_button(choices, "Olga")
        await sue.press("Carl Colleague", message=choices)
        assert "Type a note for Carl Colleague" in (await sue.next_message()).text
        await sue.send("Spoke to the duty sergeant; please collect the body-cam footage.")
        assert "Handed over to Carl Colleague" in (await sue.next_message()).text
        handed = await carl.next_message()
        assert reference in handed.text and "collect the body-cam footage" in handed.text and "Sue Supervisor" in handed.text
        await olga.expect_no_message(within=0.2)
        assert_no_resident_identity(staff_chat_texts(fake_api, [501, 502, SUPERVISOR]))
    finally:
        await stop_bot(app)


async def test_reminder_then_escalation_survive_a_restart(fake_api: Any, database: Database, settings: Any) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    olga = fake_api.user("Olga", user_id=501, started=True)
    sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
    try:
        from tests.support.followups import add_submission

        sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
        await followups.on_submitted(app, sub)
        assert "Follow-up" in (await olga.next_message()).text
    finally:
        await stop_bot(app)

    # A new process: all it knows is in the database.
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        await followups.scan_once(app, now=utcnow() + timedelta(hours=25))
        reminder = await olga.next_message()
        assert "Reminder" in reminder.text and has_button(reminder, "Acknowledge")
        await followups.scan_once(app, now=utcnow() + timedelta(hours=26))
        await olga.expect_no_message(within=0.2)  # one reminder, not one a minute
        await followups.scan_once(app, now=utcnow() + timedelta(hours=73))
        assert "escalated to Sue Supervisor" in (await olga.next_message()).text
        escalated = await sue.next_message()
        assert "Follow-up" in escalated.text and "Olga Officer" in escalated.text
        case = database.call(lambda s: s.exec(select(FollowupCase)).one())
        assert case.assignee_id == org.supervisor and case.escalations == 1
    finally:
        await stop_bot(app)


async def test_blocked_bot_on_either_side_is_noted_and_nothing_is_lost(fake_api: Any, database: Database, settings: Any) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
        resident = fake_api.user(RESIDENT_FIRST, username=RESIDENT_USERNAME, user_id=RESIDENT_ID)
        token = database.call(lambda s: create_token(s, officer_id=org.officer).token)
        reference = await resident_gives_feedback(resident, ("Rude and dismissive.",), payload=token, contact=True)

        # The officer has blocked the bot: the case notes it and goes up to the supervisor.
        fake_api.block(olga)
        await score_submission(app, database, reference, (-0.9,))
        prompt = await sue.next_message()
        assert "not delivered" in prompt.text and "blocked the bot" in prompt.text

        # The resident has blocked the bot: the reply is kept on the case, the supervisor is told.
        fake_api.block(resident)
        await sue.press("Reply to resident", message=prompt)
        await sue.next_message()
        await sue.send("We are sorry; can you tell us more?")
        assert "blocked the bot" in (await sue.next_message()).text
        note = database.call(lambda s: s.exec(select(CaseNote).where(CaseNote.kind == "to_resident")).one())
        assert note.delivery == "blocked" and note.text == "We are sorry; can you tell us more?"
        await sue.send(f"/case {reference}")
        shown = await sue.next_message()
        assert "We are sorry" in shown.text and "(not delivered)" in shown.text
        assert not has_button(shown, "Reply to resident")  # they cannot be reached any more
    finally:
        await stop_bot(app)


async def test_kudos_reach_the_officer_once_a_day_redacted(fake_api: Any, database: Database, settings: Any) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        from tests.support.followups import add_submission

        sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer,
                             texts=("Officer Olga was wonderful, call me at [phone] to say thanks",), scores=(0.9,))
        await followups.on_submitted(app, sub)
        await olga.expect_no_message(within=0.2)  # batched, not immediate
        assert await followups.send_kudos(app) == 1
        kudos = await olga.next_message()
        assert "Kudos" in kudos.text and "wonderful" in kudos.text
        assert await followups.send_kudos(app) == 0
    finally:
        await stop_bot(app)


async def test_revoked_officer_loses_their_buttons_at_once(fake_api: Any, database: Database, settings: Any) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        from tests.support.followups import add_submission

        sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
        await followups.on_submitted(app, sub)
        prompt = await olga.next_message()
        database.call(lambda s: (revoke_staff(s, org.officer), cases.reroute_cases_of(s, org.officer)))
        query_id = await olga.press("Acknowledge", message=prompt)
        answer = await fake_api.wait_for_callback_answer(query_id)
        assert "not available to you" in str(answer)
        case = database.call(lambda s: s.exec(select(FollowupCase)).one())
        assert case.status == "open" and case.assignee_id == org.supervisor
        await olga.send("/cases")
        assert "only for enrolled staff" in (await olga.next_message()).text
        assert database.call(lambda s: s.get(Staff, org.officer)).telegram_user_id is None
    finally:
        await stop_bot(app)


async def test_registering_a_staff_group_with_buttons(fake_api: Any, database: Database, settings: Any) -> None:
    seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        cmdr = fake_api.user("Cmdr", user_id=504, started=True)
        olga = fake_api.user("Olga", user_id=501, started=True)
        group = fake_api.group("South supervisors")
        fake_api.add_member(group, cmdr)
        fake_api.add_member(group, olga)
        await olga.command("register", chat=group)
        assert "Only commanders" in (await group.next_message()).text
        await cmdr.command("register", chat=group)
        choose = await group.next_message()
        assert "South supervisors" in choose.text
        # A South commander is offered South and its units, not the agency or the North.
        assert choose.buttons == ["District South", "Unit D3-Patrol"]
        await olga.press("District South", message=choose)  # a non-commander presses it
        await group.expect_no_message(within=0.2)
        await cmdr.press("District South", message=choose)
        done = await group.next_edit()
        assert "District South" in done.text
        from storage.staff import chats_for_unit, list_chats

        (chat,) = database.call(list_chats)
        assert (chat.chat_id, chat.scope_kind, chat.scope_value) == (group.id, "district", "South")
        d3 = database.call(find_unit, "D3-Patrol")
        assert [c.chat_id for c in database.call(chats_for_unit, d3.id)] == [group.id]
        fake_api.remove_bot_from(group, by=cmdr)
        await fake_api.wait_until(lambda: not database.call(list_chats), message="chat unregistered")
    finally:
        await stop_bot(app)


async def test_a_resident_who_asks_for_contact_after_the_prompt_makes_reply_available(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=501, started=True)
        resident = fake_api.user(RESIDENT_FIRST, username=RESIDENT_USERNAME, user_id=RESIDENT_ID)
        token = database.call(lambda s: create_token(s, officer_id=org.officer).token)
        reference = await resident_gives_feedback(resident, ("Rude and dismissive.",), payload=token, contact=None)
        await score_submission(app, database, reference, (-0.9,))
        first = await olga.next_message()
        assert not has_button(first, "Reply to resident") and "did not ask to be contacted" in first.text
        await resident.press("Yes, contact me")
        again = await olga.next_edit()  # the same prompt, edited in place: no second message
        assert again.message_id == first.message_id
        assert reference in again.text and has_button(again, "Reply to resident"), again.text
        assert "asked to be contacted" in again.text, again.text
        await olga.expect_no_message(within=0.3)
    finally:
        await stop_bot(app)
