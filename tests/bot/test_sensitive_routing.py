"""Issue 11: a complaint about force or misconduct, in the resident's own words and language,
never reaches the officer it is about, even when the resident came through that officer's card."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from storage.db import Database
from storage.units import create_token
from tests.support.app import start_bot, stop_bot
from tests.support.followups import SUPERVISOR, build_bot, resident_gives_feedback, score_submission, seed_org

OFFICER_USER = 501  # seed_org's officer, Olga, in District 3 Patrol

# Paraphrases without the words "force" or "misconduct": the receive-time rules must still see them.
COMPLAINTS = {
    "en": "He slammed me onto the hood and twisted my arm until I screamed.",
    "es": "El agente me tiró al suelo y me pateó sin motivo.",
    "fr": "Le policier m'a plaqué au sol et m'a frappé alors que je ne résistais pas.",
    "de": "Der Beamte hat mich ohne Grund gegen die Wand gestoßen.",
    "bribe": "The officer said he would make the ticket go away for 200 bucks.",
    "profiling": "Der Polizist hat mich nur wegen meiner Hautfarbe kontrolliert.",
}


async def _through_olgas_card(fake_api: Any, database: Database, org: Any, text: str, resident_id: int) -> tuple[Any, Any, str]:
    """Olga (the officer) and Sue (her supervisor) in their chats, and a resident's report, in
    ``text``, given through the deep link on Olga's card; returns (olga, sue, reference)."""
    olga = fake_api.user("Olga", user_id=OFFICER_USER, started=True)
    sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
    token = database.call(lambda s: create_token(s, officer_id=org.officer).token)
    resident = fake_api.user("Resident", user_id=resident_id)
    reference = await resident_gives_feedback(resident, (text,), payload=token, contact=False)
    return olga, sue, reference


@pytest.mark.parametrize("kind", sorted(COMPLAINTS))
async def test_a_force_complaint_from_an_officers_card_goes_to_the_supervisor_never_the_officer(
    kind: str, fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga, sue, reference = await _through_olgas_card(fake_api, database, org, COMPLAINTS[kind], 7_770_100)
        await score_submission(app, database, reference, (-0.8,))
        prompt = await sue.next_message()
        assert reference in prompt.text and "Sensitive" in prompt.text
        await olga.expect_no_message(within=0.3)
    finally:
        await stop_bot(app)


# Words the receive-time rules do not read as an allegation; the scoring worker's classifier might.
UNCLEAR = "After the stop he kept me in the car for an hour and said things I don't want to repeat."


def _flag_sensitive(database: Database, reference: str) -> list[int]:
    """What the scoring worker stores when its safety head finds the message sensitive."""
    from nlp.safety import SafetyVerdict
    from storage.models import FeedbackMessage
    from tests.support.followups import submission_by_reference

    sub = submission_by_reference(database, reference)

    def flag(session: Any) -> list[int]:
        msgs = session.exec(select(FeedbackMessage).where(FeedbackMessage.submission_id == sub.id)).all()
        for m in msgs:
            m.flags = [*m.flags, *SafetyVerdict(sensitive=True).flags]
        return [m.id for m in msgs]

    return database.call(flag)


async def test_a_complaint_only_the_worker_finds_sensitive_never_reaches_the_officer(
    fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga, sue, reference = await _through_olgas_card(fake_api, database, org, UNCLEAR, 7_770_200)
        _flag_sensitive(database, reference)  # stored with the score, in the same transaction
        await score_submission(app, database, reference, (-0.8,))
        prompt = await sue.next_message()
        assert reference in prompt.text and "Sensitive" in prompt.text
        await olga.expect_no_message(within=0.3)
    finally:
        await stop_bot(app)


async def test_a_case_found_sensitive_after_its_prompt_went_to_the_officer_is_taken_from_them(
    fake_api: Any, database: Database, settings: Any
) -> None:
    from bot import followups

    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga, sue, reference = await _through_olgas_card(fake_api, database, org, UNCLEAR, 7_770_300)
        await score_submission(app, database, reference, (-0.8,))
        first = await olga.next_message()
        assert reference in first.text, "not sensitive yet: the officer concerned is asked first"

        ids = _flag_sensitive(database, reference)  # e.g. the resident edited the message; re-scored
        await followups.on_messages_scored(app, ids)
        moved = await sue.next_message()
        assert reference in moved.text and "Sensitive" in moved.text
        await olga.api.wait_until(lambda: "hour" not in (olga.last_message.text if olga.last_message else ""), 5)
        assert UNCLEAR[:30] not in olga.inbox[-1].text and not olga.inbox[-1].buttons
    finally:
        await stop_bot(app)
