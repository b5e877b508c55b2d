"""Demo console: chat with the real bot through the fake Bot API, offline.

Run ``python -m fakeapi --port 8081`` in one terminal, start the bot in
another with the printed environment variables, then type as a resident.
Lines starting with ``:`` are console commands (``:help`` lists them); any
other line, including ``/commands``, is sent to the bot as text.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from fakeapi.models import SentMessage
from fakeapi.server import DEFAULT_TOKEN, FakeBotApi
from fakeapi.user import FakeUser

HELP = """console commands:
  :press LABEL          press an inline button of the latest keyboard message
  :photo [PATH]         send a photo (a tiny PNG without PATH)
  :doc PATH             send a file
  :voice                send a short voice note
  :sticker [EMOJI]      send a sticker
  :location LAT LON     share a location
  :contact [PHONE]      share your phone number
  :block / :unblock     block or restart the bot
  :calls                show the last API calls the bot made
  :quit                 stop the fake server
anything else is sent as a text message (so /start works as usual)"""


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m fakeapi", description=__doc__)
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="trustline_test_bot")
    parser.add_argument("--name", default="Ana", help="first name of the simulated resident")
    parser.add_argument("--language", default="en", help="language_code of the resident")
    return parser.parse_args(argv)


def _render(message: SentMessage, prefix: str = "bot") -> str:
    lines = [f"[{prefix} #{message.message_id}] {message.text_or_caption or ''}"]
    if message.kind != "text":
        size = message.file.size if message.file else None
        lines.append(f"    <{message.kind} {message.filename or ''} {size or '?'} bytes>")
    for row in message.keyboard:
        lines.append("    " + "  ".join(f"[ {label} ]" for label in row))
    return "\n".join(lines)


async def _print_bot_output(user: FakeUser) -> None:
    async def messages() -> None:
        while True:
            with contextlib.suppress(AssertionError):
                print(_render(await user.next_message(timeout=3600)), flush=True)

    async def edits() -> None:
        while True:
            with contextlib.suppress(AssertionError):
                print(_render(await user.next_edit(timeout=3600), "edited"), flush=True)

    await asyncio.gather(messages(), edits())


def _stdin_lines(loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """Read stdin in a daemon thread so a pending read never blocks exit."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def reader() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=reader, name="fakeapi-stdin", daemon=True).start()
    return queue


def _console_commands(api: FakeBotApi, user: FakeUser) -> dict[str, Callable[[list[str]], Awaitable[object]]]:
    async def press(args: list[str]) -> object:
        return await user.press(_unquote(" ".join(args)))

    async def photo(args: list[str]) -> object:
        return await (user.send_photo(Path(args[0]).read_bytes()) if args else user.send_photo())

    async def doc(args: list[str]) -> object:
        path = Path(args[0])
        return await user.send_document(path.read_bytes(), filename=path.name, mime_type="application/octet-stream")

    async def calls(args: list[str]) -> object:
        for call in api.calls[-10:]:
            print(f"    {call.method} -> {call.status} {call.description or ''}")
        return None

    async def block(args: list[str]) -> object:
        api.block(user)
        return None

    async def unblock(args: list[str]) -> object:
        api.unblock(user)
        return None

    return {
        "press": press,
        "photo": photo,
        "doc": doc,
        "voice": lambda args: user.send_voice(),
        "sticker": lambda args: user.send_sticker(*(args[:1] or ["👍"])),
        "location": lambda args: user.send_location(float(args[0]), float(args[1])),
        "contact": lambda args: user.send_contact(*(args[:1] or ["+34600000000"])),
        "block": block,
        "unblock": unblock,
        "calls": calls,
    }


def parse_console_line(line: str) -> tuple[str, list[str]]:
    """``:name arg arg`` -> ``("name", ["arg", "arg"])``, split on spaces only.

    Not ``shlex``: button labels are arbitrary text, and the bot's own "I'm not sure" made
    shlex fail with "No closing quotation". ``:press`` strips one pair of quotes around a label.
    """
    name, _, rest = line.removeprefix(":").strip().partition(" ")
    return (name or "help"), rest.split()


def _unquote(label: str) -> str:
    if len(label) >= 2 and label[0] == label[-1] and label[0] in "\"'":
        return label[1:-1]
    return label


async def _console(api: FakeBotApi, user: FakeUser) -> None:
    commands = _console_commands(api, user)
    lines = _stdin_lines(asyncio.get_running_loop())
    while (line := await lines.get()) is not None:
        if not line.strip():
            continue
        if not line.startswith(":"):
            await user.send(line)
            continue
        name, args = parse_console_line(line)
        if name == "quit":
            return
        handler = commands.get(name)
        if handler is None:
            print(HELP, flush=True)
            continue
        try:
            await handler(args)
        except (AssertionError, OSError, ValueError, IndexError) as exc:
            print(f"    ! {exc}", flush=True)


async def main(argv: list[str] | None = None) -> None:
    """Start the fake server and an interactive resident until ``:quit``/EOF."""
    args = _parse_args(argv)
    async with FakeBotApi(token=args.token, bot_username=args.bot_username, port=args.port) as api:
        user = api.user(args.name, username=args.name.lower(), language_code=args.language)
        print(
            f"fake Bot API on {api.root_url}; start the bot with:\n"
            f"  TRUSTLINE_TELEGRAM__TOKEN={api.token} \\\n"
            f"  TRUSTLINE_TELEGRAM__BASE_URL={api.base_url} \\\n"
            f"  TRUSTLINE_TELEGRAM__BASE_FILE_URL={api.base_file_url} trustline run\n"
            f"You are {args.name} (user id {user.id}). Type /start. :help lists console commands.",
            flush=True,
        )
        printer = asyncio.create_task(_print_bot_output(user))
        try:
            await _console(api, user)
        finally:
            printer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await printer


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
