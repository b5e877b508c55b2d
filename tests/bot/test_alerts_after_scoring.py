"""Borderline emergencies: the rules alone are unsure, a strongly negative score confirms them."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot.app import build_application
from bot.jobs import scoring_startup
from storage.db import Database
from storage.models import Alert, FeedbackMessage
from tests.support.app import point_at, start_bot, stop_bot
from tests.support.residents import reach_feedback_question, send_feedback
from tests.support.scoring import FakeScorer, wait_until


async def test_borderline_emergency_is_alerted_once_the_score_confirms_it(
    fake_api: Any, database: Database, settings: Any
) -> None:
    duty = fake_api.group(title="Duty desk")
    settings.agency.duty_chat_id = duty.id
    point_at(settings, fake_api)
    app = build_application(settings, database, extra_startup=[scoring_startup(settings, scorer=FakeScorer())])
    await start_bot(app)
    try:
        user = fake_api.user(first_name="Wren", username="wren_secret")
        await reach_feedback_question(user)
        await send_feedback(user, "He had a gun, this is so bad")  # FakeScorer: "bad" -> -0.8
        await wait_until(lambda: bool(database.call(lambda s: s.exec(select(Alert)).all())))
        alert = await duty.next_message()
        assert "emergency" in alert.text.lower() and "wren" not in alert.text.lower()
        (msg,) = database.call(lambda s: s.exec(select(FeedbackMessage)).all())
        assert "emergency" in msg.flags

        await send_feedback(user, "He had a gun but it was fine, good officers")  # +0.8: no alert
        await wait_until(lambda: all(m.score is not None for m in database.call(lambda s: s.exec(select(FeedbackMessage)).all())))
        await duty.expect_no_message(within=0.5)
    finally:
        await stop_bot(app)
