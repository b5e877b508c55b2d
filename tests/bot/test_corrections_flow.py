"""Staff corrections end to end (real Application <-> fake Bot API <-> SQLite and PostgreSQL): the
✏️ Correct menu opens in place on the case prompt, a supervisor corrects the tone and a topic, and
an officer of another unit pressing forged correction buttons is refused and audited."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot import followups
from storage import cases
from storage.db import Database
from storage.models import FeedbackMessage
from storage.models_cases import Correction
from tests.bot.test_followups_flow import current
from tests.support.app import start_bot, stop_bot
from tests.support.buttons import press_data
from tests.support.followups import OTHER_OFFICER, SUPERVISOR, add_submission, build_bot, case_of, seed_org

REFUSAL = "not available to you"


def corrections_of(db: Database, case_id: int) -> list[Correction]:
    query = select(Correction).where(Correction.case_id == case_id).order_by(Correction.id)  # type: ignore[arg-type]
    return db.call(lambda s: list(s.exec(query).all()))


async def test_a_supervisor_corrects_tone_and_topics_in_place_and_it_is_stored_and_audited(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    texts = ("They kept us waiting.", "It was a long night.")
    sub = add_submission(database, unit_id=org.unit_id, texts=texts, scores=(-0.8, -0.7))
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
        await followups.on_submitted(app, sub)
        prompt = await sue.next_message()
        case = case_of(database, sub)
        assert case is not None and "✏️ Correct" in prompt.buttons and "corrected by staff" not in prompt.text

        # The menu replaces the keyboard of the same message: no new message.
        await sue.press("Correct", message=prompt)
        await fake_api.wait_until(lambda: "Tone: neutral" in current(fake_api, prompt).buttons, message="menu shown")
        menu = current(fake_api, prompt)
        assert menu.text == prompt.text
        assert {"Tone: negative", "Tone: positive", "⬜ use of force", "💾 Save topics", "⬅️ Back"} <= set(menu.buttons)

        # Back restores the case buttons; Correct opens the menu again.
        await sue.press("Back", message=prompt)
        await fake_api.wait_until(lambda: "✏️ Correct" in current(fake_api, prompt).buttons, message="back to the case")
        await sue.press("Correct", message=prompt)
        await fake_api.wait_until(lambda: "Tone: neutral" in current(fake_api, prompt).buttons, message="menu again")

        # "Not negative": the tone is saved at once, and the prompt shows the correction in place.
        query = await sue.press("Tone: neutral", message=prompt)
        answer = await fake_api.wait_for_callback_answer(query)
        assert "negative → neutral" in (answer.text or "")
        await fake_api.wait_until(lambda: "corrected by staff" in current(fake_api, prompt).text, message="updated")
        updated = current(fake_api, prompt)
        assert "-0.80 → neutral, corrected by staff" in updated.text and "✏️ Correct" in updated.buttons

        # "About use of force": tick it, save.
        await sue.press("Correct", message=prompt)
        await fake_api.wait_until(lambda: "⬜ use of force" in current(fake_api, prompt).buttons, message="menu")
        await sue.press("use of force", message=prompt)
        await fake_api.wait_until(lambda: "☑️ use of force" in current(fake_api, prompt).buttons, message="ticked")
        await sue.press("Save topics", message=prompt)
        await fake_api.wait_until(lambda: "Topics: use of force (corrected by staff)" in current(fake_api, prompt).text,
                                  message="topics shown as corrected")
        # Use of force is a sensitive topic: the case is marked sensitive, as the button would.
        assert "Sensitive" in current(fake_api, prompt).text
        await sue.expect_no_message(within=0.3)  # all of it in place, nothing new sent

        rows = corrections_of(database, case.id)  # type: ignore[arg-type]
        of_sub = select(FeedbackMessage).where(FeedbackMessage.submission_id == sub).order_by(FeedbackMessage.id)  # type: ignore[arg-type]
        messages = database.call(lambda s: [m.id for m in s.exec(of_sub).all()])
        assert [(r.field, r.old_value, r.new_value) for r in rows] == [
            ("sentiment", "negative", "neutral"), ("sentiment", "negative", "neutral"),
            ("topics", "", "use_of_force"), ("topics", "", "use_of_force"),
        ]
        assert sorted({r.message_id for r in rows}) == sorted(messages)
        assert {r.staff_id for r in rows} == {org.supervisor}
        # The model's own output is untouched (and so is what the rollups were built from).
        scored = database.call(lambda s: [(m.score, m.score_label, m.topics) for m in s.exec(of_sub).all()])
        assert scored == [(-0.8, "negative", []), (-0.7, "negative", [])]
        audit = [(r.action, r.detail) for r in database.call(cases.audit_rows, case_id=case.id)]
        assert ("corrected", "corrected sentiment negative→neutral on 2 message(s)") in audit
        assert ("corrected", "corrected topics none→use_of_force on 2 message(s)") in audit
        assert ("marked_sensitive", None) in audit

        # Saving what the case already says changes nothing and says so.
        await sue.press("Correct", message=prompt)
        await fake_api.wait_until(lambda: "Tone: neutral" in current(fake_api, prompt).buttons, message="menu")
        answer = await fake_api.wait_for_callback_answer(await sue.press("Tone: neutral", message=prompt))
        assert "Nothing changed" in (answer.text or "")
        assert len(corrections_of(database, case.id)) == 4  # type: ignore[arg-type]
        assert not fake_api.failed_calls(), fake_api.diagnostics()
    finally:
        await stop_bot(app)


async def test_an_officer_of_another_unit_pressing_forged_correction_buttons_is_refused_and_audited(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    sub = add_submission(database, unit_id=org.unit_id, officer_id=org.officer, scores=(-0.9,))
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        await followups.on_submitted(app, sub)
        case = case_of(database, sub)
        assert case is not None
        otto = fake_api.user("Otto", user_id=OTHER_OFFICER)
        await otto.send("/staffhelp")  # opens the chat, so there is a bot message to press on
        await otto.next_message()
        for data in (f"fu:cor:{case.id}", f"fu:cs:{case.id}:pos", f"fu:cts:{case.id}:0", f"fu:ct:{case.id}:64"):
            answer = await fake_api.wait_for_callback_answer(await press_data(fake_api, otto, data))
            assert REFUSAL in (answer.text or ""), data
        assert corrections_of(database, case.id) == []  # type: ignore[arg-type]
        denied = [r for r in database.call(cases.audit_rows, case_id=case.id) if r.action == "denied"]
        assert [r.detail for r in denied] == ["correct (cor)", "correct (cs)", "correct (cts)", "correct (ct)"]
        assert {r.actor_name for r in denied} == {"Otto Other"}
        # A mask beyond the nine topics is refused before any lookup.
        answer = await fake_api.wait_for_callback_answer(await press_data(fake_api, otto, f"fu:cts:{case.id}:999"))
        assert REFUSAL in (answer.text or "")
    finally:
        await stop_bot(app)
