"""Steps a resident takes in the private chat, as the fake Bot API's user.

The bot edits its questions in place (one live message per step) and keeps one "Saved" status
message per report, so these helpers wait on a message's current text, not only on new messages.
"""

from __future__ import annotations

import time
from typing import Any


async def until(user: Any, message: Any, needle: str, timeout: float = 5.0) -> Any:
    """Wait until ``message`` (edited in place by the bot) contains ``needle``; returns it."""
    await user.api.wait_until(lambda: needle in (message.text or ""), timeout, f"{needle!r} never appeared in {message!r}")
    return message


def status_message(user: Any) -> Any | None:
    return next((m for m in reversed(user.inbox) if "Saved" in (m.text or "") and m.buttons == ["✅ Done"]), None)


async def consent(user: Any, payload: str | None = None) -> Any:
    """Send /start and agree; returns the live message (now asking the unit, or for the story)."""
    await user.send("/start" if payload is None else f"/start {payload}")
    notice = await user.next_message()
    assert "not for emergencies" in notice.text.lower() or "no es para emergencias" in notice.text.lower()
    await user.press(notice.buttons[0], message=notice)
    return notice


async def choose_unit(user: Any, live: Any, unit: str = "District 1 Patrol") -> Any:
    await until(user, live, "Which unit")
    await user.press(unit, message=live)
    return await until(user, live, "About:")


async def reach_feedback_question(user: Any, unit: str = "District 1 Patrol") -> Any:
    """Consent and pick a unit: the bot now waits for free text. Returns the live message."""
    return await choose_unit(user, await consent(user), unit)


async def send_feedback(user: Any, text: str, timeout: float = 5.0) -> float:
    """Send ``text``; returns seconds until the bot's "Saved" status counted it."""
    before = _saved_count(user)
    started = time.perf_counter()
    await user.send(text)
    await user.api.wait_until(lambda: _saved_count(user) > before, timeout, f"no 'Saved' for {text!r}")
    elapsed = time.perf_counter() - started
    user.drain()  # what came before is read: the next next_message() is the bot's next word
    return elapsed


def _saved_count(user: Any) -> int:
    status = status_message(user)
    if status is None:
        return 0
    words = status.text.split()
    return int(words[1]) if len(words) > 1 and words[1].isdigit() else 1


async def finish(user: Any, ratings: dict[str, int] | None = None, *, skip_all: bool = False) -> tuple[str, Any]:
    """Tap Done (the reference shows at once), answer the four optional ratings (Skip where not
    given); returns (reference, the same message once it shows what happens next)."""
    live = status_message(user)
    assert live is not None, "no status message with a Done button"
    await user.press("Done", message=live)
    await until(user, live, "TL-")
    reference = "TL-" + live.raw_text.split("<b>TL-")[1].split("</b>")[0]
    for number, item in enumerate(("respect", "listened", "fair", "safe"), start=1):
        await until(user, live, f"{number}/4")
        assert item in live.text.split(f"{number}/4", 1)[1]
        if skip_all:
            await user.press("Skip all", message=live)
            break
        value = (ratings or {}).get(item)
        await user.press(str(value) if value is not None else "Skip", message=live)
    await user.api.wait_until(lambda: "Skip all" not in live.buttons, 5.0, f"the ratings never ended in {live!r}")
    user.drain()
    return reference, live


async def give_feedback(user: Any, *texts: str) -> None:
    for text in texts:
        await send_feedback(user, text)
