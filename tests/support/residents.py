"""Steps a resident takes in the private chat, as the fake Bot API's user."""

from __future__ import annotations

import time
from typing import Any


async def reach_feedback_question(user: Any) -> None:
    """Consent, pick a unit, skip the incident number: the bot now waits for free text."""
    await user.send("/start")
    await user.press((await user.next_message()).buttons[0])
    assert "area" in (await user.next_message()).text
    await user.press("North")
    await user.next_message()
    await user.press("District 1 Patrol")
    assert "incident" in (await user.next_message()).text
    await user.press("Skip")
    assert "what happened" in (await user.next_message()).text


async def send_feedback(user: Any, text: str) -> float:
    """Send ``text``; returns seconds until the bot's "Saved" acknowledgement arrived."""
    started = time.perf_counter()
    await user.send(text)
    reply = await user.next_message()
    while "Saved" not in reply.text:
        reply = await user.next_message()
    return time.perf_counter() - started


async def consent(user: Any, payload: str | None = None) -> None:
    await user.send("/start" if payload is None else f"/start {payload}")
    notice = await user.next_message()
    assert "not for emergencies" in notice.text.lower() or "no es para emergencias" in notice.text.lower()
    await user.press(notice.buttons[0])


async def choose_unit(user: Any, district: str = "North", unit: str = "District 1 Patrol") -> None:
    assert "area" in (await user.next_message()).text
    await user.press(district)
    assert "unit" in (await user.next_message()).text.lower()
    await user.press(unit)


async def give_feedback(user: Any, *texts: str) -> None:
    assert "incident" in (await user.next_message()).text
    await user.press("Skip")
    assert "what happened" in (await user.next_message()).text
    for text in texts:
        await user.send(text)
        reply = await user.next_message()
        while "Saved" not in reply.text:  # safety notices may come first
            reply = await user.next_message()
