"""Staff commands in a registered staff group: /trust [unit], /attention, /digest."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from storage.db import Database
from storage.models import Staff, Unit
from tests.support.app import stop_bot
from tests.support.digests import ADMIN, MONDAY_8AM, Clock, demo_settings, register, runs, seed, start


def add_officer(database: Database, telegram_id: int, unit_code: str) -> None:
    def add(session: Any) -> None:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        session.add(Staff(display_name="Officer", role="officer", unit_id=unit.id, telegram_user_id=telegram_id))

    database.call(add)


async def ask(user: Any, chat: Any, command: str, *args: str, replies: int = 1) -> list[Any]:
    chat.drain()
    await user.command(command, *args, chat=chat)
    return [await chat.next_message(timeout=15) for _ in range(replies)]


async def test_staff_of_the_chats_scope_get_figures_and_others_get_a_polite_no(
    fake_api: Any, database: Database, db_url: str
) -> None:
    seed(database, weeks=4)
    north = fake_api.group("North command")
    elsewhere = fake_api.group("Coffee group")
    register(database, north, "district", "north")
    admin = fake_api.user("Ada", user_id=ADMIN)
    stranger = fake_api.user("Sam")
    app = await start(fake_api, database, demo_settings(db_url), Clock(MONDAY_8AM))
    add_officer(database, 555_001, "s-traffic")
    officer = fake_api.user("Oli", user_id=555_001)
    try:
        [summary] = await ask(admin, north, "trust")
        assert "Trust Index · District north" in summary.raw_text and "Week 2026-W47" in summary.raw_text
        assert "North Patrol" in summary.text and "South Traffic" not in summary.text

        [unit] = await ask(admin, north, "trust", "n-patrol")
        assert "Trust Index · North Patrol" in unit.text and "vs last week" in unit.text

        [outside] = await ask(admin, north, "trust", "s-traffic")
        assert "outside this chat's scope" in outside.text
        [unknown] = await ask(admin, north, "trust", "<b>nowhere</b>")
        assert "There is no unit “<b>nowhere</b>”" in unknown.text and "n-patrol" in unknown.text  # escaped

        [attention] = await ask(admin, north, "attention")
        assert "Needs attention" in attention.text and "North Patrol" in attention.text
        assert "Districts" not in attention.text, "only the headline and the attention list"

        north.drain()
        seen = len(north.inbox)
        await admin.command("digest", chat=north)
        await fake_api.wait_until(lambda: sum(m.kind == "photo" for m in north.inbox) == 2, timeout=20)
        preview = [m for m in north.inbox[seen:] if m.kind == "text"]
        north.drain()
        assert preview[0].raw_text.startswith("<i>Preview of the digest for week 2026-W47")
        assert runs(database) == [], "a preview is not a digest run"

        [no] = await ask(stranger, north, "trust")
        assert "Only staff whose scope covers this chat" in no.text
        [no] = await ask(officer, north, "attention")
        assert "Only staff whose scope covers this chat" in no.text, "an officer of another district"
        [unregistered] = await ask(admin, elsewhere, "trust")
        assert "registered staff group" in unregistered.text
    finally:
        await stop_bot(app)
