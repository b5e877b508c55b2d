"""The fake Bot API's terminal console (python -m fakeapi) presses any button the bot sends,
including labels with an apostrophe such as the bot's own "I'm not sure"."""

from __future__ import annotations

import asyncio
import json

import aiohttp

from fakeapi import FakeBotApi
from fakeapi import __main__ as console


def test_console_lines_split_on_spaces_not_shell_quotes():
    assert console.parse_console_line(":press I'm not sure") == ("press", ["I'm", "not", "sure"])
    assert console.parse_console_line(":location 40.4 -3.7") == ("location", ["40.4", "-3.7"])
    assert console.parse_console_line(":") == ("help", [])


async def test_pressing_im_not_sure_in_the_console_sends_the_callback(monkeypatch):
    async with FakeBotApi() as api:
        ana = api.user("Ana", started=True)
        keyboard = {"inline_keyboard": [[{"text": "North", "callback_data": "d:n"}], [{"text": "I'm not sure", "callback_data": "d:any"}]]}
        async with aiohttp.ClientSession() as http:
            await http.post(f"{api.base_url}{api.token}/sendMessage",
                            data={"chat_id": ana.id, "text": "Which area?", "reply_markup": json.dumps(keyboard)})
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        for line in (":press I'm not sure", ':press "North"', None):
            lines.put_nowait(line)
        monkeypatch.setattr(console, "_stdin_lines", lambda loop: lines)

        await console._console(api, ana)

        pressed = [u["callback_query"]["data"] for u in api.updates.history if "callback_query" in u]
        assert pressed == ["d:any", "d:n"]
