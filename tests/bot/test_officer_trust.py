"""``/mytrust``: officer-level figures reach only the officer and their supervisors, through the
fake Bot API on both databases.

Seeded last week (the bot's clock is moved a week ahead): Olga (D3) has three residents, her
colleague Carl (D3) one, Otto (D1, another unit) three. ``trust.min_residents`` is 2.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot import handlers, officer_trust
from bot.app import build_application
from bot.runtime import runtime
from storage.db import Database
from storage.models import utcnow
from tests.support.app import make_settings, point_at, start_bot, stop_bot
from tests.support.followups import COLLEAGUE, OFFICER, OTHER_OFFICER, SUPERVISOR, add_submission, seed_org

RESIDENT = 9_999_101
NOT_ENOUGH = "not enough feedback"


@pytest.fixture
async def bot(fake_api: Any, database: Database, db_url: str) -> AsyncIterator[Any]:
    org = seed_org(database)
    for score in (0.6, 0.4, 0.8):
        add_submission(database, unit_id=org.unit_id, officer_id=org.officer, texts=("Kind and helpful.",), scores=(score,))
        add_submission(database, unit_id=org.other_unit_id, officer_id=org.other_officer, texts=("Fine.",), scores=(score,))
    add_submission(database, unit_id=org.unit_id, officer_id=org.colleague, texts=("Rude, my name is Ann.",), scores=(-0.7,))
    settings = point_at(make_settings(db_url, trust={"min_residents": 2}), fake_api)
    app = build_application(settings, database, extra_handlers=[handlers.add_officer_handlers], persistence_interval=0.2)
    await start_bot(app)
    runtime(app).hooks.clock = lambda: utcnow() + timedelta(days=7)  # the seeded week is now complete
    try:
        yield app
    finally:
        await stop_bot(app)


async def ask(fake_api: Any, name: str, user_id: int) -> str:
    user = fake_api.user(name, user_id=user_id)
    await user.send("/mytrust")
    return (await user.next_message()).text


def own_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("You:"))


async def test_an_officer_sees_their_own_figure_and_no_one_elses(bot: Any, fake_api: Any) -> None:
    text = await ask(fake_api, "Olga", OFFICER)
    assert "Officer Trust Index" in text
    assert "3 residents" in own_line(text) and "interval" in own_line(text)
    assert "Carl" not in text and "Otto" not in text and "Officers you supervise" not in text
    assert "Kind and helpful" not in text  # numbers only, never resident text


async def test_below_min_residents_the_officer_reads_not_enough_feedback(bot: Any, fake_api: Any) -> None:
    text = await ask(fake_api, "Carl", COLLEAGUE)
    assert NOT_ENOUGH in own_line(text) and "1 residents" in own_line(text)
    assert "Ann" not in text and "Rude" not in text


async def test_a_supervisor_sees_their_units_officers_and_not_another_units(bot: Any, fake_api: Any) -> None:
    text = await ask(fake_api, "Sue", SUPERVISOR)
    lines = {line.split(":")[0].strip("• ").replace("<b>", "").replace("</b>", ""): line for line in text.splitlines() if ":" in line}
    assert "3 residents" in lines["Olga Officer (D3-Patrol)"]
    assert NOT_ENOUGH in lines["Carl Colleague (D3-Patrol)"]
    assert "Otto" not in text and "Rex" not in text  # another unit; a revoked officer


async def test_an_officer_of_another_unit_sees_only_themselves(bot: Any, fake_api: Any) -> None:
    text = await ask(fake_api, "Otto", OTHER_OFFICER)
    assert "3 residents" in own_line(text)
    assert "Olga" not in text and "Carl" not in text


async def test_a_resident_gets_the_staff_only_reply_and_a_group_the_private_only_reply(bot: Any, fake_api: Any) -> None:
    assert "only for enrolled staff" in await ask(fake_api, "Resident", RESIDENT)
    group = fake_api.group("Staff room")
    sue = fake_api.user("Sue", user_id=SUPERVISOR)
    fake_api.add_member(group, sue)
    await sue.command("mytrust", chat=group)
    reply = (await group.next_message()).text
    assert "private chat" in reply and "Olga" not in reply
