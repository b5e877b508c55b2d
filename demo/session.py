"""One running demo: the fake Telegram, the real bot, and the three people on screen.

:class:`DemoSession` owns everything the page shows (no module-level state): it starts
:class:`fakeapi.FakeBotApi`, aims the settings at it, builds the same Application ``trustline
run`` builds (``bot.wiring.build_full_application``: scoring, follow-ups, digests, staff
commands), seeds the demo agency and polls. The web layer (:mod:`demo.server`) only calls
:meth:`DemoSession.snapshot`, :meth:`send`, :meth:`press` and :meth:`file`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import SecretStr
from telegram import Update

from demo.render import safe_href, to_html
from demo.seed import Cast, SeedSummary, seed_demo
from fakeapi import FakeBotApi, FakeChat, FakeUser, SentMessage, StoredFile
from fakeapi.markup import keyboard_rows
from services.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)

AnyApp = Any
BuildApp = Callable[[Settings, Database], AnyApp]
PANES = ("resident", "officer", "commanders")
MAX_TEXT = 4096  # Telegram's limit for one message
# Where a "Share location" reply-keyboard button says the resident is (a made-up town square).
DEMO_LOCATION = (40.4168, -3.7038)


class DemoError(ValueError):
    """Something the page asked for that cannot be done (unknown pane, no such button...)."""


@dataclass(frozen=True)
class Pane:
    key: str
    title: str
    subtitle: str
    sender: FakeUser  # who types in this pane
    chat: FakeChat | None  # None: the sender's private chat with the bot

    @property
    def chat_id(self) -> int:
        return self.chat.id if self.chat is not None else self.sender.id


def _default_build(settings: Settings, db: Database) -> AnyApp:
    from bot.wiring import build_full_application

    return build_full_application(settings, db)


class DemoSession:
    """The fake Telegram plus the real bot, for one ``trustline demo`` run."""

    def __init__(self, settings: Settings, db: Database, cast: Cast | None = None, *, build: BuildApp = _default_build) -> None:
        self.settings = settings
        self.db = db
        self.cast = cast or Cast()
        self._build = build
        self.api = FakeBotApi(bot_username="trustline_demo_bot", bot_first_name="Trustline")
        self.app: AnyApp | None = None
        self.seeded: SeedSummary | None = None
        self._panes: dict[str, Pane] = {}
        self._pressed: dict[str, str] = {}  # callback query id -> pane, to show the bot's answer there

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Start the fake Telegram, build the bot (this loads the model: ``ModelLoadError`` if it
        cannot), seed the demo agency, start polling and deliver the waiting follow-up prompt."""
        from fakeapi import start_application

        await self.api.start()
        self._people()
        tg = self.settings.telegram
        tg.token, tg.base_url, tg.base_file_url = SecretStr(self.api.token), self.api.base_url, self.api.base_file_url
        tg.mode = "polling"
        self.app = self._build(self.settings, self.db)
        self.seeded = seed_demo(self.db, self.settings, self.cast)
        await start_application(self.app, allowed_updates=Update.ALL_TYPES)
        # The scan job would send the officer's prompt within seconds anyway; don't make them wait.
        from bot.case_prompts import deliver_prompts

        await deliver_prompts(self.app)

    async def stop(self) -> None:
        from fakeapi import stop_application

        if self.app is not None:
            await stop_application(self.app)
            self.app = None
        await self.api.close()

    def _people(self) -> None:
        cast, api = self.cast, self.api

        def user(person: Any, *, started: bool) -> FakeUser:
            return api.user(person.first_name, person.last_name, person.username, "en", user_id=person.user_id, started=started)

        resident = user(cast.resident, started=False)  # has never opened the bot: /start is theirs to type
        officer = user(cast.officer, started=True)  # enrolled staff have talked to the bot before
        supervisor = user(cast.supervisor, started=True)
        commander = user(cast.commander, started=True)
        group = api.group(cast.staff_group_title, "supergroup", chat_id=cast.staff_group_id)
        for member in (commander, supervisor):
            api.add_member(group, member, "administrator")
        self._panes = {
            "resident": Pane("resident", f"{cast.resident.full_name}, resident", "Private chat with the bot", resident, None),
            "officer": Pane("officer", f"{cast.officer.full_name}, officer", f"Private chat · {cast.officer_unit}", officer, None),
            "commanders": Pane("commanders", cast.staff_group_title,
                               f"Staff group · you are {cast.commander.full_name}, commander", commander, group),
        }

    # ------------------------------------------------------------------ reading

    def pane(self, key: str) -> Pane:
        try:
            return self._panes[key]
        except KeyError:
            raise DemoError(f"unknown pane {key!r}; use one of {', '.join(PANES)}") from None

    def version(self) -> int:
        """Grows whenever anything visible changes (the page long-polls on it)."""
        total = len(self.api.callback_answers)
        for pane in self._panes.values():
            state = self.api.chat_state(pane.chat_id)
            total += len(state.user_messages) + len(state.inbox) + len(state.edit_log)
            total += sum(1 for m in state.inbox if m.deleted)
        return total

    async def wait_for_change(self, since: int, timeout: float) -> int:
        try:
            await self.api.wait_until(lambda: self.version() != since, timeout)
        except AssertionError:
            pass  # nothing happened: the page simply asks again
        return self.version()

    def snapshot(self) -> dict[str, Any]:
        return {"version": self.version(), "panes": [self._pane_json(self._panes[key]) for key in PANES if key in self._panes]}

    def _pane_json(self, pane: Pane) -> dict[str, Any]:
        state = self.api.chat_state(pane.chat_id)
        items: list[tuple[int, dict[str, Any]]] = [(m.message_id, self._bot_json(m)) for m in state.inbox if not m.deleted]
        items += [(mid, self._user_json(msg, pane)) for mid, msg in state.user_messages.items()]
        items.sort(key=lambda item: item[0])
        return {
            "key": pane.key,
            "title": pane.title,
            "subtitle": pane.subtitle,
            "messages": [json for _, json in items],
            "keyboard": self._reply_keyboard(state),
            "notice": self._notice(pane.key),
        }

    def _bot_json(self, message: SentMessage) -> dict[str, Any]:
        media = None
        if message.file is not None and message.file.data is not None:
            media = {
                "url": f"/api/file/{message.file.file_id}",
                "kind": message.kind,
                "filename": message.filename or f"{message.kind}",
                "image": _is_image(message.file),
            }
        return {
            "id": message.message_id,
            "from": "bot",
            "html": to_html(message.text_or_caption, message.entities),
            "kind": message.kind,
            "media": media,
            "edited": message.is_edited,
            "buttons": [[_inline_button(b) for b in row] for row in message.inline_keyboard],
        }

    def _user_json(self, message: dict[str, Any], pane: Pane) -> dict[str, Any]:
        sender = message.get("from", {})
        mine = sender.get("id") == pane.sender.id
        text = message.get("text") or message.get("caption") or _describe_user_message(message)
        return {
            "id": message["message_id"],
            "from": "me" if mine else "other",
            "name": sender.get("first_name", ""),
            "html": to_html(text),  # what people type is always shown as typed
            "kind": "text",
            "media": None,
            "edited": "edit_date" in message,
            "buttons": [],
        }

    @staticmethod
    def _reply_keyboard(state: Any) -> list[list[str]] | None:
        """The custom keyboard the bot last set in this chat, until it removes it (or, for a
        one-time keyboard, until the person answers)."""
        for message in reversed(state.inbox):
            markup = message.reply_markup or {}
            if message.deleted or ("keyboard" not in markup and "remove_keyboard" not in markup):
                continue
            if "remove_keyboard" in markup:
                return None
            answered = any(mid > message.message_id for mid in state.user_messages)
            if markup.get("one_time_keyboard") and answered:
                return None
            return [[_reply_label(b) for b in row] for row in keyboard_rows(markup)]
        return None

    def _notice(self, pane: str) -> str | None:
        """The text of the latest answered button press in this pane (Telegram shows it as a toast)."""
        for query_id in reversed(list(self._pressed)):
            if self._pressed[query_id] != pane:
                continue
            answer = self.api.callback_answers.get(query_id)
            return answer.text if answer is not None and answer.text else None
        return None

    def file(self, file_id: str) -> StoredFile:
        """Bytes the bot uploaded (charts, exports), to show them inline."""
        try:
            stored = self.api.file(file_id)
        except KeyError:
            raise DemoError("no such file") from None
        if stored.data is None:
            raise DemoError("no such file")
        return stored

    # ------------------------------------------------------------------ acting

    async def send(self, key: str, text: str) -> None:
        """``text`` typed in a pane: sent as a message, or, when it is the label of a reply-keyboard
        button that shares a contact or location, what Telegram would send for that button."""
        pane = self.pane(key)
        text = text.strip()
        if not text:
            raise DemoError("type something first")
        if len(text) > MAX_TEXT:
            raise DemoError(f"Telegram messages are at most {MAX_TEXT} characters")
        button = self._reply_button(pane, text)
        if isinstance(button, dict) and button.get("request_contact"):
            await pane.sender.send_contact("+34600000000")
        elif isinstance(button, dict) and button.get("request_location"):
            await pane.sender.send_location(*DEMO_LOCATION)
        else:
            await pane.sender.send(text, pane.chat)

    def _reply_button(self, pane: Pane, text: str) -> Any:
        state = self.api.chat_state(pane.chat_id)
        if self._reply_keyboard(state) is None:
            return None
        for message in reversed(state.inbox):
            for row in keyboard_rows(message.reply_markup if "keyboard" in (message.reply_markup or {}) else None):
                for button in row:
                    if _reply_label(button) == text:
                        return button
            if "keyboard" in (message.reply_markup or {}):
                break
        return None

    async def press(self, key: str, message_id: int, label: str) -> str:
        """Press the inline button ``label`` under the bot's message ``message_id`` in a pane."""
        pane = self.pane(key)
        state = self.api.chat_state(pane.chat_id)
        target = state.bot_messages.get(message_id)
        if target is None or target.deleted:
            raise DemoError("that message is gone")
        if not any(b.get("text") == label and "callback_data" in b for row in target.inline_keyboard for b in row):
            raise DemoError(f"no button {label!r} on that message")
        query_id = await pane.sender.press(label, message=target, chat=pane.chat_id)
        self._pressed[query_id] = key
        return query_id


def _inline_button(button: dict[str, Any]) -> dict[str, Any]:
    label = str(button.get("text", ""))
    if "callback_data" in button:
        return {"label": label, "kind": "callback"}
    href = safe_href(button.get("url"))
    if href is not None:
        return {"label": label, "kind": "url", "url": href}
    return {"label": label, "kind": "other"}  # inline-mode, web apps, ...: shown, not pressable


def _reply_label(button: Any) -> str:
    return button if isinstance(button, str) else str(button.get("text", ""))


def _is_image(stored: StoredFile) -> bool:
    data = stored.data or b""
    return data.startswith((b"\x89PNG", b"\xff\xd8")) or (stored.mime_type or "").startswith("image/")


def _describe_user_message(message: dict[str, Any]) -> str:
    for key, label in (("photo", "📷 Photo"), ("document", "📎 File"), ("voice", "🎤 Voice message"),
                       ("sticker", "Sticker"), ("location", "📍 Location"), ("contact", "📞 Contact shared")):
        if key in message:
            return label
    if "new_chat_members" in message:
        return "joined the group"
    return ""
