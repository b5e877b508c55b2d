"""The resident conversation, end to end: real PTB Application <-> fake Bot API <-> real database.

Each test runs on SQLite and on PostgreSQL (see conftest ``db_url``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import select

from bot.app import build_application
from storage.db import Database
from storage.models import ConversationState, FeedbackMessage, Rating, Resident, ResidentContact, Submission
from storage.units import create_token, find_unit, revoke_token
from tests.support.app import point_at, start_bot, stop_bot
from tests.support.residents import (
    choose_unit,
    consent,
    finish,
    give_feedback,
    reach_feedback_question,
    send_feedback,
    until,
)


def rows(db: Database, model: Any) -> list[Any]:
    return db.call(lambda s: list(s.exec(select(model)).all()))




async def test_resident_gives_feedback_from_start_to_reference(running_bot: Any, fake_api: Any, database: Database) -> None:
    ana = fake_api.user(first_name="Ana", username="ana_r")
    await reach_feedback_question(ana)
    await give_feedback(ana, "The officer was kind and patient.", "He explained everything clearly.")
    reference, final = await finish(ana, {"respect": 9, "listened": 8})
    await ana.press("No thanks", message=final)
    await until(ana, final, "nobody will contact you")
    assert final.buttons == [], "a spent keyboard is removed"

    (sub,) = rows(database, Submission)
    assert sub.reference == reference and sub.status == "submitted" and not sub.contact_requested
    assert sub.channel == "direct"
    unit = database.call(find_unit, "D1-Patrol")
    assert sub.unit_id == unit.id
    texts = [m.text for m in rows(database, FeedbackMessage)]
    assert texts == ["The officer was kind and patient.", "He explained everything clearly."]
    assert {(r.item, r.value) for r in rows(database, Rating)} == {("respect", 9), ("listening", 8)}
    assert rows(database, ResidentContact) == [], "no contact link unless the resident asks"


async def test_nothing_is_stored_before_the_resident_accepts(running_bot: Any, fake_api: Any, database: Database) -> None:
    bo = fake_api.user(first_name="Bo")
    await bo.send("/start")
    notice = await bo.next_message()
    await bo.press("No thanks", message=notice)
    await until(bo, notice, "nothing was stored")
    assert rows(database, Resident) == []


async def test_privacy_notice_names_agency_emergency_number_and_retention(running_bot: Any, fake_api: Any) -> None:
    user = fake_api.user(first_name="Cy")
    await user.send("/start")
    notice = await user.next_message()
    assert "Springfield PD" in notice.text and "911" in notice.text and "180 days" in notice.text
    assert "never" in notice.text and "/forget" in notice.text and "/mydata" in notice.text


async def test_card_deep_link_ties_feedback_to_the_unit_without_asking(running_bot: Any, fake_api: Any, database: Database) -> None:
    unit = database.call(find_unit, "D3-Patrol")
    token = database.call(lambda s: create_token(s, unit_id=unit.id).token)
    user = fake_api.user(first_name="Dee")
    live = await consent(user, token)
    await until(user, live, "District 3 Patrol")
    await until(user, live, "what happened")
    await give_feedback(user, "Quick and helpful response.")
    await finish(user)
    (sub,) = rows(database, Submission)
    assert sub.unit_id == unit.id and sub.channel == "deeplink" and sub.token == token


@pytest.mark.parametrize("payload", ["revoked", "does-not-exist", "bad*chars!"])
async def test_unknown_or_revoked_card_falls_back_to_asking_the_unit(
    running_bot: Any, fake_api: Any, database: Database, payload: str
) -> None:
    if payload == "revoked":
        unit = database.call(find_unit, "D3-Patrol")
        payload = database.call(lambda s: create_token(s, unit_id=unit.id).token)
        database.call(revoke_token, payload)
    user = fake_api.user(first_name="Eve")
    live = await consent(user, payload)
    await until(user, live, "isn't valid")
    await choose_unit(user, live, "District 3 Patrol")
    await give_feedback(user, "ok")
    await finish(user)
    (sub,) = rows(database, Submission)
    assert sub.channel == "direct" and sub.token is None


async def test_incident_number_is_optional_and_asked_after_the_story(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Fin")
    await reach_feedback_question(user)
    await give_feedback(user, "They stopped me twice on the same street.")
    live = next(m for m in user.inbox if "Saved" in m.text)
    await user.press("Done", message=live)
    await until(user, live, "incident or report number")
    await user.send("2026-004512")
    assert "2026-004512" in (await user.next_message()).text
    await user.send("<script>alert(1)</script> and they laughed")
    assert "Added to your report" in (await user.next_message()).text
    (sub,) = rows(database, Submission)
    assert sub.incident_ref == "2026-004512"
    assert len(rows(database, FeedbackMessage)) == 2


async def test_resident_asking_to_be_contacted_keeps_only_a_chat_link(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Gus", username="gus_the_resident")
    await reach_feedback_question(user)
    await give_feedback(user, "Nobody called me back about my stolen bike.")
    _, final = await finish(user)
    await user.press("Yes, contact me", message=final)
    await until(user, final, "can write to you here")
    (sub,) = rows(database, Submission)
    assert sub.contact_requested
    (contact,) = rows(database, ResidentContact)
    assert contact.chat_id == user.id
    (resident,) = rows(database, Resident)
    assert str(user.id) not in resident.pseudonym and "gus" not in resident.pseudonym


async def test_mydata_shows_everything_stored_and_forget_erases_it(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Hal")
    await reach_feedback_question(user)
    await give_feedback(user, "They were rude to my mother.")
    _, final = await finish(user, {"respect": 2})
    await user.press("Yes, contact me", message=final)
    await until(user, final, "can write to you here")

    await user.send("/mydata")
    data = await user.next_message()
    assert "They were rude to my mother." in data.text and "District 1 Patrol" in data.text
    assert "2/10" in data.text and "TL-" in data.text and "asked to be contacted" in data.text
    assert "Follow-up: none opened" in data.text and "tone not read yet" in data.text and "Contact link: kept" in data.text

    await user.send("/forget")
    confirm = await user.next_message()
    await user.press("Yes, erase everything")
    done = await user.next_message()
    assert "Erased" in done.text and "anonymous totals" in done.text and "audit trail" in done.text
    for model in (Resident, Submission, FeedbackMessage, Rating, ResidentContact):
        assert rows(database, model) == [], f"{model.__name__} still has rows after /forget"
    await user.send("/mydata")
    assert "store nothing" in (await user.next_message()).text
    assert "cannot be undone" in confirm.text


async def test_forget_can_be_called_off(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Ida")
    await reach_feedback_question(user)
    await give_feedback(user, "fine")
    await user.send("/forget")
    await user.next_message()
    await user.press("Keep it")
    assert "Nothing was erased" in (await user.next_message()).text
    assert len(rows(database, FeedbackMessage)) == 1


async def test_help_cancel_and_language_work_at_any_point(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Jo", language_code="en")
    await consent(user)
    await user.send("/help")
    assert "/forget" in (await user.next_message()).text
    await user.send("/language")
    await user.next_message()
    await user.press("Español")
    assert "español" in (await user.next_message()).text
    await user.send("/cancel")
    assert "Parado" in (await user.next_message()).text
    await user.send("/cancel")
    assert "No hay nada en curso" in (await user.next_message()).text


async def test_spanish_speaker_gets_spanish_from_the_start(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Lucía", language_code="es-MX")
    await user.send("/start")
    notice = await user.next_message()
    assert "No es para emergencias" in notice.text
    await user.press("Acepto", message=notice)
    await until(user, notice, "comisaría")
    (resident,) = rows(database, Resident)
    assert resident.language == "es"


async def test_stickers_photos_voice_and_locations_get_a_friendly_reply(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Kim")
    await reach_feedback_question(user)
    for send in (user.send_sticker, user.send_photo, user.send_voice):
        await send()
        assert "only read text" in (await user.next_message()).text
    await user.send_location(41.0, -87.0)
    assert "only read text" in (await user.next_message()).text
    await send_feedback(user, "Still here, the stop was fine.")
    assert len(rows(database, FeedbackMessage)) == 1


async def test_a_long_rant_with_html_is_stored_whole_and_escaped_back(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Lee")
    await reach_feedback_question(user)
    rant = ("<b>Unacceptable</b> & rude! " * 160)[:4000]
    await give_feedback(user, rant)
    (msg,) = rows(database, FeedbackMessage)
    assert msg.text == rant
    await user.send("/mydata")
    chunks = [chunk async for chunk in _all_messages(user)]
    assert all(len(c.text) <= 4096 for c in chunks)
    assert "<b>Unacceptable</b> & rude!" in "".join(c.text for c in chunks), "shown literally, as typed"
    assert "&lt;b&gt;Unacceptable&lt;/b&gt; &amp; rude!" in "".join(c.raw_text for c in chunks)


async def _all_messages(user: Any, quiet: float = 0.5) -> Any:
    while True:
        try:
            yield await user.next_message(timeout=quiet)
        except (AssertionError, TimeoutError):
            return


async def test_edits_update_open_feedback_but_not_submitted_feedback(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Max")
    await reach_feedback_question(user)
    sent = await user.send("The oficer was late")
    await user.next_message()
    await user.edit(sent, "The officer was late")
    assert "correction" in (await user.next_message()).text
    (msg,) = rows(database, FeedbackMessage)
    assert msg.text == "The officer was late" and msg.edited_at is not None
    await finish(user)
    await user.edit(sent, "Changed my mind entirely")
    assert "already submitted" in (await user.next_message()).text
    (msg,) = rows(database, FeedbackMessage)
    assert msg.text == "The officer was late"


async def test_flood_of_messages_is_capped_with_one_notice(fake_api: Any, database: Database, settings: Any) -> None:
    settings.conversation.flood_messages_per_hour = 5
    settings.conversation.max_messages_per_submission = 50
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    await start_bot(app)
    try:
        user = fake_api.user(first_name="Ned")
        await reach_feedback_question(user)
        for i in range(50):
            await user.send(f"message {i}")
        replies = []
        async for reply in _all_messages(user, quiet=2.5):
            replies.append(reply.text)
        assert sum("Saved" in r for r in replies) == 1, "one status message, edited in place"
        assert "Saved 5 messages" in replies[0] or "Saved 5 messages" in next(m for m in user.inbox if "Saved" in m.text).text
        assert sum("very quickly" in r for r in replies) == 1
        assert len(rows(database, FeedbackMessage)) == 5
    finally:
        await stop_bot(app)


async def test_redelivered_update_is_not_stored_twice(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Ola")
    await reach_feedback_question(user)
    sent = await user.send("first")
    assert "Saved" in (await user.next_message()).text
    fake_api.push_update("message", sent)  # Telegram redelivers the same update
    await user.expect_no_message(within=0.5)
    assert len(rows(database, FeedbackMessage)) == 1


async def test_resident_commands_in_a_group_point_to_a_private_chat(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Pat")
    group = fake_api.group(title="Neighbourhood watch")
    fake_api.add_member(group, user)
    await user.send("/start", chat=group)
    assert "private chat" in (await group.next_message()).text
    await user.send("/mydata@" + fake_api.bot_user["username"], chat=group)
    assert "private chat" in (await group.next_message()).text
    await user.send("just chatting in the group", chat=group)
    await group.expect_no_message(within=0.5)
    assert rows(database, Resident) == []


async def test_stale_button_gets_a_polite_answer(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Quinn")
    await reach_feedback_question(user)
    await give_feedback(user, "fine", "really")
    from tests.support.buttons import press_data

    await finish(user)
    query_id = await press_data(fake_api, user, "fb:done")  # an old Done button, pressed after the report
    answer = await fake_api.wait_for_callback_answer(query_id)
    assert "expired" in str(answer)


async def test_conversation_survives_a_restart(fake_api: Any, database: Database, settings: Any) -> None:
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.1)
    await start_bot(app)
    user = fake_api.user(first_name="Rae")
    await reach_feedback_question(user)
    await give_feedback(user, "before the restart")
    await stop_bot(app)
    assert rows(database, ConversationState), "the conversation state is kept in the database"

    app = build_application(settings, database, persistence_interval=0.1)
    await start_bot(app)
    try:
        await user.send("after the restart")
        assert "Saved" in (await user.next_message()).text, "a new status message: the old one's id was in memory"
        await finish(user)
        (sub,) = rows(database, Submission)
        assert sub.status == "submitted"
        assert [m.text for m in rows(database, FeedbackMessage)] == ["before the restart", "after the restart"]
    finally:
        await stop_bot(app)


async def test_bot_blocked_by_resident_loses_nothing(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Sam")
    await reach_feedback_question(user)
    await give_feedback(user, "first")
    fake_api.block(user)
    await user.send("sent after blocking the bot")
    await asyncio.sleep(0.5)
    assert len(rows(database, FeedbackMessage)) == 2


async def test_emergency_gets_the_emergency_number_at_once_and_is_still_stored(fake_api: Any, database: Database, settings: Any) -> None:
    duty = fake_api.group(title="Duty desk")
    settings.agency.duty_chat_id = duty.id
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    await start_bot(app)
    try:
        user = fake_api.user(first_name="Tia", username="tia_private")
        await reach_feedback_question(user)
        await user.send("Someone is breaking into my house right now, call me on 555-201-3344")
        urgent = await user.next_message()
        assert "<b>call 911</b>" in urgent.raw_text and "duty team has been alerted" in urgent.text
        alert = await duty.next_message()
        assert "emergency" in alert.text.lower()
        assert "555-201-3344" not in alert.text and "tia" not in alert.text.lower() and str(user.id) not in alert.text
        (msg,) = rows(database, FeedbackMessage)
        assert "emergency" in msg.flags and "[phone]" in msg.redacted_text
    finally:
        await stop_bot(app)


async def test_run_without_a_token_explains_how_to_get_one(settings: Any) -> None:
    from bot.app import MissingToken

    settings.telegram.token = None
    with pytest.raises(MissingToken, match="@BotFather"):
        build_application(settings, Database("sqlite://"))


async def test_webhook_mode_receives_updates_from_the_bot_api(fake_api: Any, database: Database, settings: Any) -> None:
    import socket

    from bot.app import webhook_params

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    point_at(settings, fake_api)
    settings.telegram.mode = "webhook"
    settings.telegram.webhook_url = f"http://127.0.0.1:{port}/telegram/hook"
    settings.telegram.webhook_port = port
    from pydantic import SecretStr

    settings.telegram.webhook_secret = SecretStr("s3cret-header")
    app = build_application(settings, database, persistence_interval=0.2)
    await app.initialize()
    await app.post_init(app)  # type: ignore[misc]
    await app.start()
    await app.updater.start_webhook(**webhook_params(settings))  # type: ignore[union-attr]
    try:
        user = fake_api.user(first_name="Uma")
        await user.send("/start")
        assert "not for emergencies" in (await user.next_message()).text.lower()
        assert fake_api.webhook.delivered, "the update came in through the webhook"
    finally:
        await stop_bot(app)


async def test_telegram_flood_control_is_waited_out_not_fatal(running_bot: Any, fake_api: Any, database: Database) -> None:
    user = fake_api.user(first_name="Vic")
    fake_api.fail_next("sendMessage", code=429, retry_after=1, chat_id=user.id)
    await user.send("/start")
    notice = await user.next_message(timeout=8)
    assert "not for emergencies" in notice.text.lower()


async def test_command_menus_show_residents_and_staff_groups_their_own_commands(running_bot: Any, fake_api: Any) -> None:
    private = [c["command"] for c in fake_api.commands({"type": "all_private_chats"}, "es")]
    groups = [c["command"] for c in fake_api.commands({"type": "all_group_chats"})]
    assert private == ["start", "mydata", "forget", "help", "language", "cancel"]
    assert "trust" in groups and "start" not in groups and "enroll" not in private
