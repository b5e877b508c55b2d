"""Chats are handled concurrently; each chat's own updates strictly in order."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import text

from bot import handlers
from bot.app import build_application
from services.settings import Settings
from storage.db import Database
from tests.support.app import point_at, start_bot, stop_bot
from tests.support.residents import reach_feedback_question


async def test_a_rate_limited_group_never_delays_a_private_chat(
    fake_api: Any, database: Database, settings: Settings
) -> None:
    point_at(settings, fake_api)
    app = build_application(settings, database, extra_handlers=[handlers.add_staff_handlers], persistence_interval=0.2)
    await start_bot(app)
    try:
        group = fake_api.group("Duty room")
        sam = fake_api.user("Sam")
        fake_api.add_member(group, sam, status="member")
        # Telegram throttles the group on top of its 20-messages-a-minute limit.
        fake_api.fail_next("sendMessage", code=429, retry_after=1, times=2, chat_id=group.id)
        for _ in range(30):
            await sam.command("staffhelp", chat=group)
        await fake_api.wait_until(lambda: len(fake_api.messages_to(group)) >= 5, timeout=10)

        ana = fake_api.user("Ana")
        asked = time.monotonic()
        await ana.send("/help")
        reply = await ana.next_message(timeout=10)
        waited = time.monotonic() - asked

        assert "Trustline" in reply.text
        assert waited < 3, f"/help waited {waited:.1f} s behind the group"
        assert len(fake_api.messages_to(group)) < 30, "the group was done first: nothing was proven"
    finally:
        await stop_bot(app)  # waits for the group's rate-limited answers (about half a minute)
    assert len(fake_api.messages_to(group)) == 30


async def test_one_chats_messages_are_handled_in_the_order_sent(
    fake_api: Any, database: Database, settings: Settings
) -> None:
    point_at(settings, fake_api)
    app = build_application(settings, database, persistence_interval=0.2)
    await start_bot(app)
    try:
        ana = fake_api.user("Ana")
        await reach_feedback_question(ana)
        sent = [f"part {i} of my story" for i in range(15)]
        for line in sent:
            await ana.send(line)  # no waiting for answers: all in one or two getUpdates batches
        # One live status message is edited as they arrive; the spec is what was stored, and in what order.
        await fake_api.wait_until(lambda: len(stored_texts(database)) == 15, timeout=20)
    finally:
        await stop_bot(app)
    assert stored_texts(database) == sent


def stored_texts(database: Database) -> list[str]:
    with database.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT text FROM feedbackmessage ORDER BY id"))]
