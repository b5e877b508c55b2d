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


# --- the worker-stage safety head (nlp/safety.py) ----------------------------------------------

def _numbers(user: Any) -> list[str]:
    return [m.raw_text for m in user.inbox if "call 911" in m.raw_text]


async def _bot_with_safety(fake_api: Any, database: Database, settings: Any, verdicts: dict[str, Any]) -> tuple[Any, Any]:
    from services.scoring import SafetyStage
    from tests.support.scoring import FakeSafety

    duty = fake_api.group(title="Duty desk")
    settings.agency.duty_chat_id = duty.id
    point_at(settings, fake_api)
    stage = SafetyStage(FakeScorer(), FakeSafety(verdicts))
    app = build_application(settings, database, extra_startup=[scoring_startup(settings, scorer=stage)])
    await start_bot(app)
    return app, duty


async def test_danger_only_the_worker_sees_alerts_the_duty_chat_and_gives_the_resident_the_number_once(
    fake_api: Any, database: Database, settings: Any
) -> None:
    from nlp.safety import SafetyVerdict

    app, duty = await _bot_with_safety(fake_api, database, settings, {"texted me": SafetyVerdict(alert=("emergency",))})
    try:
        user = fake_api.user(first_name="Ines")
        await reach_feedback_question(user)
        await send_feedback(user, "My sister texted me three words and now her phone is off")  # no rule cue
        alert = await duty.next_message()
        assert "emergency" in alert.text.lower() and "classifier" in alert.text
        await user.api.wait_until(lambda: len(_numbers(user)) == 1, 5)
        assert "duty team has been alerted" in _numbers(user)[0]
        (msg,) = database.call(lambda s: s.exec(select(FeedbackMessage)).all())
        assert {"model_alert:emergency", "emergency", "advised_late"} <= set(msg.flags)

        # the after-scoring step running again (another worker's NOTIFY, a restart) sends nothing new
        from bot.alerts import recheck_alerts

        await recheck_alerts(app, [msg.id])
        await duty.expect_no_message(within=0.3)
        assert len(_numbers(user)) == 1
    finally:
        await stop_bot(app)


async def test_plausible_danger_from_the_worker_advises_the_resident_without_alerting(
    fake_api: Any, database: Database, settings: Any
) -> None:
    from nlp.safety import SafetyVerdict

    app, duty = await _bot_with_safety(fake_api, database, settings, {"puente": SafetyVerdict(advise=("self_harm",))})
    try:
        user = fake_api.user(first_name="Jon")
        await reach_feedback_question(user)
        await send_feedback(user, "Esta noche voy al puente a despedirme")  # no rule cue
        await user.api.wait_until(lambda: len(_numbers(user)) == 1, 5)
        advice = _numbers(user)[0]
        assert "You are not alone" in advice and "duty" not in advice.lower()
        await duty.expect_no_message(within=0.3)
        (msg,) = database.call(lambda s: s.exec(select(FeedbackMessage)).all())
        assert "model_advise:self_harm" in msg.flags and "self_harm" not in msg.flags
        assert not database.call(lambda s: s.exec(select(Alert)).all())
    finally:
        await stop_bot(app)


async def test_danger_the_rules_already_answered_is_not_answered_twice(
    fake_api: Any, database: Database, settings: Any
) -> None:
    from nlp.safety import SafetyVerdict

    app, duty = await _bot_with_safety(fake_api, database, settings, {"breaking": SafetyVerdict(alert=("emergency",))})
    try:
        user = fake_api.user(first_name="Kai")
        await reach_feedback_question(user)
        await user.send("Someone is breaking into my house right now")
        await duty.next_message()  # the rules' alert, at once
        await wait_until(lambda: all(m.score is not None for m in database.call(lambda s: s.exec(select(FeedbackMessage)).all())))
        await duty.expect_no_message(within=0.5)
        await user.api.wait_until(lambda: len(_numbers(user)) >= 1, 5)
        assert len(_numbers(user)) == 1
        assert len(database.call(lambda s: s.exec(select(Alert)).all())) == 1
    finally:
        await stop_bot(app)
