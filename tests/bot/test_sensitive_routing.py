"""Issue 11: a complaint about force or misconduct, in the resident's own words and language,
never reaches the officer it is about, even when the resident came through that officer's card."""

from __future__ import annotations

from typing import Any

import pytest

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


@pytest.mark.parametrize("kind", sorted(COMPLAINTS))
async def test_a_force_complaint_from_an_officers_card_goes_to_the_supervisor_never_the_officer(
    kind: str, fake_api: Any, database: Database, settings: Any
) -> None:
    org = seed_org(database)
    app = build_bot(settings, database, fake_api)
    await start_bot(app)
    try:
        olga = fake_api.user("Olga", user_id=OFFICER_USER, started=True)
        sue = fake_api.user("Sue", user_id=SUPERVISOR, started=True)
        token = database.call(lambda s: create_token(s, officer_id=org.officer).token)
        resident = fake_api.user("Resident", user_id=7_770_100)
        reference = await resident_gives_feedback(resident, (COMPLAINTS[kind],), payload=token, contact=False)
        await score_submission(app, database, reference, (-0.8,))
        prompt = await sue.next_message()
        assert reference in prompt.text and "Sensitive" in prompt.text
        await olga.expect_no_message(within=0.3)
    finally:
        await stop_bot(app)
