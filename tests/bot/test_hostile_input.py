"""Hostile and odd input, end to end through the fake Bot API, on SQLite and PostgreSQL: long
emoji-rich texts, double taps, forged buttons, updates without a sender, Telegram's refusals, and
an /enroll guesser who hopes a restart forgets them."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot import keyboards as kb
from bot.corrections import ALL_TOPICS, correction_keyboard
from bot.guards import is_known_button
from bot.text_chunks import TELEGRAM_LIMIT, utf16_len
from services.i18n import Texts
from storage.db import Database
from storage.feedback import RATING_ITEMS
from storage.models import Rating, utcnow
from storage.staff import clear_enrolment_failures, enrolment_locked, record_enrolment_failure
from storage.units import UnitSpec, sync_units
from tests.support.app import TEST_UNITS, start_bot, stop_bot
from tests.support.buttons import press_data
from tests.support.followups import build_bot
from tests.support.residents import give_feedback, reach_feedback_question, status_message, until


@pytest.fixture(autouse=True)
def _capture_everything(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


def errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR]


def apologies(fake_api: Any, user: Any) -> list[str]:
    return [m.text for m in fake_api.messages_to(user) if "went wrong" in (m.text or "")]


# --- long texts ------------------------------------------------------------------------------


async def test_mydata_with_a_4000_character_emoji_rich_message_fits_every_chunk(
    running_bot: Any, fake_api: Any, database: Database
) -> None:
    ana = fake_api.user("Ana")
    await reach_feedback_question(ana)
    words = "Me paró 👮 sin motivo 😡 & <dijo> que 🚓 volviera 🙏 "
    long_text = (words * 100)[:4000]
    assert len(long_text) == 4000 and utf16_len(long_text) > TELEGRAM_LIMIT
    await give_feedback(ana, long_text)
    ana.drain()
    await ana.send("/mydata")
    await fake_api.wait_until(lambda: "/forget" in (ana.last_message.text or ""))
    chunks = ana.drain()
    assert len(chunks) >= 2
    assert all(utf16_len(c.text) <= TELEGRAM_LIMIT for c in chunks)
    shown = "".join(c.text for c in chunks)
    assert "".join(long_text.split()) in "".join(shown.split())  # Telegram trims each message's ends
    assert not fake_api.failed_calls()


# --- buttons ---------------------------------------------------------------------------------


async def test_a_double_tapped_rating_is_answered_once_and_stored_once(
    running_bot: Any, fake_api: Any, database: Database, caplog: pytest.LogCaptureFixture
) -> None:
    ana = fake_api.user("Ana")
    await reach_feedback_question(ana)
    await give_feedback(ana, "The officer was rude.")
    question = status_message(ana)
    await ana.press("Done", message=question)
    await until(ana, question, "respect")
    first = await ana.press("7", message=question)
    second = await ana.press("7", message=question)  # the same button, tapped twice before the edit lands
    answers = [await fake_api.wait_for_callback_answer(q) for q in (first, second)]
    assert sorted(a.text or "" for a in answers) == ["", "Already saved ✓"]
    await until(ana, question, "listened")
    await ana.expect_no_message()
    ratings = database.call(lambda s: list(s.exec(select(Rating)).all()))
    assert [(r.item, r.value) for r in ratings] == [("respect", 7)]
    assert not apologies(fake_api, ana) and not errors(caplog)


@pytest.mark.parametrize(
    "data",
    ["", "x", "rate:", "rate:respect", "rate:respect:11", "rate:respect:" + "9" * 30, "unit:" + "9" * 20,
     "district:abc", "lang:", "consent:maybe", "contact:yes:", "fu:ack:" + "9" * 12, "stf:reg:u:" + "9" * 12,
     "é" * 32, "<b>", "skip:extra"],
)
async def test_forged_or_empty_button_data_is_answered_quietly(
    running_bot: Any, fake_api: Any, database: Database, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    ana = fake_api.user("Ana")
    await ana.send("/start")
    await ana.next_message()
    answer = await fake_api.wait_for_callback_answer(await press_data(fake_api, ana, data))
    assert answer.text in (None, "This button no longer works.")
    await ana.expect_no_message(within=0.3)
    assert not errors(caplog) and not fake_api.failed_calls()


def test_every_button_the_bot_makes_gets_past_the_guard() -> None:
    tx = Texts("en")
    markups = [kb.consent(tx), kb.districts(tx, ["North", "South"]), kb.units(tx, [(1, "A"), (123456789, "B")]),
               kb.skip(tx), kb.done(tx), kb.contact(tx, "TL-7K3Q"), kb.forget(tx), kb.languages(),
               *(kb.rating(tx, item) for item in RATING_ITEMS),
               correction_keyboard(tx, 123456789, ALL_TOPICS), correction_keyboard(tx, 5, 0)]
    data = [b.callback_data for m in markups for row in m.inline_keyboard for b in row]
    data += ["stf:reg:a", "stf:reg:d:2", "stf:reg:u:17", "fu:ack:5", "fu:rep:5", "fu:res:5", "fu:ra:5", "fu:esc:5",
             "fu:x:5", "fu:rt:5:9", "fu:hlp:5:y", "fu:hlp:5:n", "fu:cor:5"]
    assert [d for d in data if not is_known_button(d)] == []


# --- updates without a sender ----------------------------------------------------------------


async def test_a_private_message_without_from_is_ignored(
    running_bot: Any, fake_api: Any, caplog: pytest.LogCaptureFixture
) -> None:
    ana = fake_api.user("Ana")
    await ana.send("/help")
    await ana.next_message()
    chat = {"id": ana.id, "type": "private", "first_name": "Ana"}
    for kind in ("message", "edited_message"):
        fake_api.push_update(kind, {"message_id": fake_api.new_id(), "date": int(time.time()), "chat": chat,
                                    "text": "/start", "entities": [{"type": "bot_command", "offset": 0, "length": 6}]})
    fake_api.push_update("message", {"message_id": fake_api.new_id(), "date": int(time.time()), "chat": chat,
                                     "text": "hello"})
    await ana.expect_no_message(within=0.5)
    assert any("without a sender" in r.getMessage() and r.levelno == logging.DEBUG for r in caplog.records)
    assert not errors(caplog)
    await ana.send("/help")  # and the bot is still there for people
    assert "Trustline" in (await ana.next_message()).text


# --- Telegram's refusals ---------------------------------------------------------------------


async def test_expected_refusals_are_one_line_and_surprises_get_one_apology(
    running_bot: Any, fake_api: Any, caplog: pytest.LogCaptureFixture
) -> None:
    ana = fake_api.user("Ana")
    await ana.send("/help")
    await ana.next_message()
    fake_api.fail_next("sendMessage", code=400, description="Bad Request: message is not modified")
    await ana.send("/help")
    await ana.expect_no_message(within=0.5)
    assert not errors(caplog) and not apologies(fake_api, ana)
    assert any("message is not modified" in r.getMessage().lower() and r.exc_info is None for r in caplog.records)

    fake_api.fail_next("sendMessage", code=400, description="Bad Request: something nobody expected")
    await ana.send("/help")
    assert "went wrong" in (await ana.next_message()).text
    await ana.expect_no_message(within=0.5)
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None  # the traceback stays in the log
    assert len(apologies(fake_api, ana)) == 1


# --- /enroll guessing ------------------------------------------------------------------------


async def test_the_enrolment_lockout_survives_a_restart(fake_api: Any, database: Database, settings: Any) -> None:
    database.call(sync_units, [UnitSpec(**u) for u in TEST_UNITS])
    mallory = fake_api.user("Mallory", user_id=702)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        for _ in range(5):
            await mallory.send("/enroll AAAA-BBBB-CCCC")
            assert "not valid" in (await mallory.next_message()).text
    finally:
        await stop_bot(app)
    app = build_bot(settings, database, fake_api)  # a restart: nothing in memory survives it
    await start_bot(app)
    try:
        await mallory.send("/enroll AAAA-BBBB-CCCC")
        assert "Too many attempts" in (await mallory.next_message()).text
    finally:
        await stop_bot(app)


def test_the_lock_lasts_an_hour_and_success_clears_the_count(database: Database) -> None:
    hour = timedelta(hours=1)
    start = utcnow()
    for n in range(4):
        assert database.call(record_enrolment_failure, "who", limit=5, window=hour, now=start + timedelta(minutes=n)) is False
    assert database.call(enrolment_locked, "who", now=start + timedelta(minutes=5)) is False
    assert database.call(record_enrolment_failure, "who", limit=5, window=hour, now=start + timedelta(minutes=5)) is True
    assert database.call(enrolment_locked, "who", now=start + timedelta(minutes=59)) is True
    assert database.call(enrolment_locked, "who", now=start + timedelta(minutes=61)) is False
    assert database.call(record_enrolment_failure, "who", limit=5, window=hour, now=start + timedelta(minutes=62)) is False
    for _ in range(3):
        database.call(record_enrolment_failure, "other", limit=5, window=hour, now=start)
    database.call(clear_enrolment_failures, "other")
    assert database.call(record_enrolment_failure, "other", limit=5, window=hour, now=start) is False
