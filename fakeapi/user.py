"""Simulated Telegram people and group chats.

A :class:`FakeUser` does what a person does in the Telegram app (type text,
send a photo, press an inline button, edit a message) by queueing the update
Telegram would produce, and reads what the bot answered through
:meth:`ChatView.next_message`. A :class:`FakeChat` (group, supergroup or
channel) offers the same reading helpers for its chat.

Everything the bot *sends* is asserted on via :class:`SentMessage` objects;
everything a user *sends* is returned as the raw ``Message`` dict that the bot
receives.
"""

from __future__ import annotations

import asyncio
import copy
import time
from typing import TYPE_CHECKING, Any

from fakeapi.formatting import auto_entities
from fakeapi.markup import find_button
from fakeapi.models import CallbackQueryRecord, ChatState, SentMessage, StoredFile

if TYPE_CHECKING:
    from fakeapi.server import FakeBotApi

JSON = dict[str, Any]

#: A tiny valid PNG (1x1 px), the default content of :meth:`FakeUser.send_photo`.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
#: The start of an Ogg/Opus file, the default content of :meth:`FakeUser.send_voice`.
TINY_OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"OpusHead"
_SERVICE_KEYS = ("new_chat_members", "left_chat_member", "group_chat_created", "pinned_message")


class ChatView:
    """Reading what the bot sent to one chat, message by message.

    Each chat has one cursor: :meth:`next_message` returns the oldest bot
    message not yet returned by ``next_message``/``drain`` (whichever handle,
    user or group, consumed it).
    """

    def __init__(self, api: FakeBotApi, chat_id: int) -> None:
        self._api = api
        self._chat_id = chat_id

    @property
    def api(self) -> FakeBotApi:
        """The server this person/chat lives on."""
        return self._api

    @property
    def chat_id(self) -> int:
        """The id of the chat this handle reads (a user's private chat id is
        their user id)."""
        return self._chat_id

    @property
    def inbox(self) -> list[SentMessage]:
        """Every message the bot sent to this chat, consumed or not."""
        return self._state(None).inbox[:]

    @property
    def last_message(self) -> SentMessage | None:
        """The most recent bot message in this chat, if any."""
        inbox = self._state(None).inbox
        return inbox[-1] if inbox else None

    def _state(self, chat: Any) -> ChatState:
        return self._api.chat_state(self._chat_id if chat is None else chat)

    async def next_message(self, timeout: float = 5.0, chat: Any = None) -> SentMessage:
        """Wait for the next bot message to this chat (or to ``chat``).

        Raises ``AssertionError`` after ``timeout`` seconds, listing the
        recent failed API calls (usually why nothing arrived).
        """
        state = self._state(chat)
        last = state.inbox[state.inbox_cursor - 1] if state.inbox_cursor else None
        await self._api.wait_until(
            lambda: state.inbox_cursor < len(state.inbox),
            timeout,
            f"no new bot message to {_describe(state)} (last consumed: {last!r})",
        )
        message = state.inbox[state.inbox_cursor]
        state.inbox_cursor += 1
        return message

    async def next_edit(self, timeout: float = 5.0, chat: Any = None) -> SentMessage:
        """Wait for the next edit the bot applies to a message in this chat."""
        state = self._state(chat)
        await self._api.wait_until(
            lambda: state.edit_cursor < len(state.edit_log),
            timeout,
            f"no edit of a bot message in {_describe(state)}",
        )
        message = state.edit_log[state.edit_cursor]
        state.edit_cursor += 1
        return message

    def drain(self, chat: Any = None) -> list[SentMessage]:
        """Mark every bot message so far as consumed and return the unread ones."""
        state = self._state(chat)
        unread = state.inbox[state.inbox_cursor :]
        state.inbox_cursor = len(state.inbox)
        return unread

    async def expect_no_message(self, within: float = 0.5, chat: Any = None) -> None:
        """Assert the bot sends nothing new to this chat for ``within`` seconds."""
        state = self._state(chat)
        await asyncio.sleep(within)
        if state.inbox_cursor < len(state.inbox):
            unexpected = state.inbox[state.inbox_cursor :]
            raise AssertionError(f"expected no message to {_describe(state)}, got {unexpected}")


class FakeChat(ChatView):
    """A group, supergroup or channel on the fake server."""

    @property
    def id(self) -> int:
        """The chat id (negative, like Telegram's)."""
        return self._chat_id

    @property
    def state(self) -> ChatState:
        """The underlying mutable :class:`ChatState`."""
        return self._state(None)

    @property
    def title(self) -> str | None:
        """The chat title."""
        return self.state.title

    @property
    def type(self) -> str:
        """``group``, ``supergroup`` or ``channel``."""
        return self.state.type

    @property
    def members(self) -> dict[int, str]:
        """Member user ids and their status (the bot is not listed)."""
        return dict(self.state.members)

    def to_json(self) -> JSON:
        """The ``Chat`` object."""
        return self.state.to_json()

    def __repr__(self) -> str:
        return f"FakeChat(id={self.id}, type={self.type!r}, title={self.title!r})"


class FakeUser(ChatView):
    """A simulated person. Their private chat with the bot has id == user id."""

    def __init__(
        self,
        api: FakeBotApi,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        is_premium: bool | None = None,
    ) -> None:
        super().__init__(api, user_id)
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.is_premium = is_premium

    def to_json(self) -> JSON:
        """The ``User`` object Telegram puts in ``from``."""
        user: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code", "is_premium"):
            value = getattr(self, key)
            if value is not None:
                user[key] = value
        return user

    def __repr__(self) -> str:
        return f"FakeUser(id={self.id}, first_name={self.first_name!r}, username={self.username!r})"

    # ---------------------------------------------------------- messages

    async def send(self, text: str, chat: Any = None, *, reply_to: Any = None) -> JSON:
        """Type ``text`` in the private chat (or in ``chat``).

        Commands, mentions, hashtags and URLs get their entities, so
        ``/start payload`` and ``/report@bot`` reach PTB's CommandHandler.
        """
        content: JSON = {"text": text}
        entities = auto_entities(text)
        if entities:
            content["entities"] = entities
        return await self._post(chat, content, reply_to)

    async def start(self, payload: str | None = None) -> JSON:
        """Open the bot (``/start``), optionally through a deep link payload."""
        return await self.send("/start" if payload is None else f"/start {payload}")

    async def command(self, name: str, *args: str, chat: Any = None) -> JSON:
        """Send ``/name args``; in groups it is addressed as ``/name@bot``."""
        state = self._state(chat)
        suffix = "" if state.is_private else f"@{self._api.bot_username}"
        text = " ".join([f"/{name.removeprefix('/')}{suffix}", *args])
        return await self.send(text, chat)

    async def send_photo(
        self, data: bytes = TINY_PNG, caption: str | None = None, chat: Any = None
    ) -> JSON:
        """Send a photo (two sizes, like Telegram; both downloadable)."""
        small = self._file("photo", data, "image/jpeg")
        large = self._file("photo", data, "image/jpeg")
        sizes = [
            {**_file_fields(small), "width": 90, "height": 90},
            {**_file_fields(large), "width": 800, "height": 800},
        ]
        return await self._post(chat, _with_caption({"photo": sizes}, caption), None)

    async def send_document(
        self,
        data: bytes = b"hello",
        filename: str = "document.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
        chat: Any = None,
    ) -> JSON:
        """Send a file."""
        stored = self._file("document", data, mime_type, filename)
        document = {**_file_fields(stored), "file_name": filename, "mime_type": mime_type}
        return await self._post(chat, _with_caption({"document": document}, caption), None)

    async def send_voice(self, data: bytes = TINY_OGG, duration: int = 2, chat: Any = None) -> JSON:
        """Send a voice note."""
        stored = self._file("voice", data, "audio/ogg")
        voice = {**_file_fields(stored), "duration": duration, "mime_type": "audio/ogg"}
        return await self._post(chat, {"voice": voice}, None)

    async def send_sticker(self, emoji: str = "👍", chat: Any = None) -> JSON:
        """Send a (static) sticker."""
        stored = self._file("sticker", b"RIFF0000WEBP", "image/webp")
        sticker = {
            **_file_fields(stored),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return await self._post(chat, {"sticker": sticker}, None)

    async def send_location(self, latitude: float, longitude: float, chat: Any = None) -> JSON:
        """Share a location."""
        return await self._post(chat, {"location": {"latitude": latitude, "longitude": longitude}}, None)

    async def send_contact(
        self,
        phone_number: str = "+34600000000",
        first_name: str | None = None,
        last_name: str | None = None,
        chat: Any = None,
        *,
        own: bool = True,
    ) -> JSON:
        """Share a contact; ``own=True`` shares this user's own number
        (``contact.user_id`` equals the sender, as with a request_contact button)."""
        contact: JSON = {"phone_number": phone_number, "first_name": first_name or self.first_name}
        last = last_name if last_name is not None else (self.last_name if own else None)
        if last:
            contact["last_name"] = last
        if own:
            contact["user_id"] = self.id
        return await self._post(chat, {"contact": contact}, None)

    async def edit(self, message: JSON, new_text: str) -> JSON:
        """Edit one of this user's text messages (an ``edited_message`` update)."""
        state = self._api.chat_state(message["chat"]["id"])
        stored = state.user_messages.get(message["message_id"])
        if stored is None or stored.get("from", {}).get("id") != self.id:
            raise AssertionError(f"{self!r} has no message {message['message_id']} to edit")
        if "text" not in stored:
            raise AssertionError("only text messages can be edited with edit()")
        edited = {**stored, "text": new_text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        entities = auto_entities(new_text)
        if entities:
            edited["entities"] = entities
        state.user_messages[edited["message_id"]] = edited
        if _bot_receives(self._api, state, edited):
            self._api.push_update("edited_message", copy.deepcopy(edited))
        return copy.deepcopy(edited)

    # ------------------------------------------------------------- buttons

    async def press(self, label: str, message: Any = None, chat: Any = None) -> str:
        """Press an inline button; returns the callback query id.

        Looks in ``message`` (a :class:`SentMessage` or message id) or else in
        the most recent bot message of the chat that has an inline keyboard.
        ``label`` matches exactly, or as a unique case-insensitive substring.
        """
        state = self._state(chat if chat is not None else getattr(message, "chat_id", None))
        target = _keyboard_message(state, message)
        button, labels = find_button(target.reply_markup, label)
        if button is None:
            raise AssertionError(
                f"no inline button matching {label!r} in message {target.message_id} "
                f"({target.text_or_caption!r}); available labels: {labels}"
            )
        if "callback_data" not in button:
            raise AssertionError(f"button {label!r} is not a callback button: {button}")
        query_id = f"{self.id}{self._api.new_id():08d}"
        self._api.register_query(
            CallbackQueryRecord(query_id, self.id, state.id, target.message_id, button["callback_data"])
        )
        self._api.push_update(
            "callback_query",
            {
                "id": query_id,
                "from": self.to_json(),
                "message": self._api.message_json(target),
                "chat_instance": str(abs(state.id) * 31 + self._api.bot_id),
                "data": button["callback_data"],
            },
        )
        await asyncio.sleep(0)
        return query_id

    # --------------------------------------------------------- membership

    async def join(self, chat: Any) -> JSON:
        """Join a group: membership plus the ``new_chat_members`` service message."""
        state = self._api.chat_state(chat)
        state.members[self.id] = "member"
        return await self._post(chat, {"new_chat_members": [self.to_json()]}, None)

    async def leave(self, chat: Any) -> JSON:
        """Leave a group (``left_chat_member`` service message)."""
        state = self._api.chat_state(chat)
        message = await self._post(chat, {"left_chat_member": self.to_json()}, None)
        state.members[self.id] = "left"
        return message

    # ------------------------------------------------------------ plumbing

    def _file(self, kind: str, data: bytes, mime: str, filename: str | None = None) -> StoredFile:
        n = self._api.new_id()
        stored = StoredFile(
            file_id=f"U{kind.upper()}-{self.id}-{n}",
            file_unique_id=f"uu{n}",
            kind=kind,
            data=data,
            filename=filename,
            mime_type=mime,
        )
        return self._api.register_file(stored)

    async def _post(self, chat: Any, content: JSON, reply_to: Any) -> JSON:
        state = self._state(chat)
        self._check_can_post(state, content)
        message: JSON = {
            "message_id": state.allocate_message_id(),
            "from": self.to_json(),
            "chat": state.to_json(),
            "date": int(time.time()),
            **content,
        }
        if reply_to is not None:
            replied = self._api.any_message_json(state, _message_id(reply_to))
            if replied is None:
                raise AssertionError(f"no message {_message_id(reply_to)} in {_describe(state)} to reply to")
            message["reply_to_message"] = replied
        state.user_messages[message["message_id"]] = message
        if _bot_receives(self._api, state, message):
            self._api.push_update("message", copy.deepcopy(message))
        else:
            self._api.privacy_filtered.append(message)
        await asyncio.sleep(0)
        return copy.deepcopy(message)

    def _check_can_post(self, state: ChatState, content: JSON) -> None:
        if state.is_private:
            if state.id != self.id:
                raise AssertionError(f"{self!r} cannot write in someone else's private chat")
            if state.blocked:
                self._api.unblock(self)  # writing to a blocked bot means pressing "Restart"
            state.started = True
            return
        if state.type == "channel":
            raise AssertionError("users don't post in channels; use api.push_update('channel_post', ...)")
        status = state.members.setdefault(self.id, "member")
        if status in ("left", "kicked") and "new_chat_members" not in content:
            raise AssertionError(f"{self!r} is {status!r} in {_describe(state)} and cannot post")


def _bot_receives(api: FakeBotApi, chat: ChatState, message: JSON) -> bool:
    """Whether Telegram would deliver ``message`` to the bot (privacy mode)."""
    if chat.is_private:
        return True
    if chat.bot_status in ("left", "kicked"):
        return False
    if not api.privacy_mode or chat.bot_status in ("administrator", "creator"):
        return True
    if any(key in message for key in _SERVICE_KEYS):
        return True
    replied = message.get("reply_to_message") or {}
    if replied.get("from", {}).get("id") == api.bot_id:
        return True
    text = message.get("text") or message.get("caption") or ""
    entities = message.get("entities") or message.get("caption_entities") or []
    return _addresses_bot(text, entities, api.bot_username)


def _addresses_bot(text: str, entities: list[JSON], bot_username: str) -> bool:
    """A command (for this bot or for no bot in particular) or an @mention."""
    for entity in entities:
        chunk = text.encode("utf-16-le")[entity["offset"] * 2 : (entity["offset"] + entity["length"]) * 2]
        value = chunk.decode("utf-16-le")
        if entity["type"] == "bot_command" and entity["offset"] == 0:
            _, _, target = value.partition("@")
            if not target or target.lower() == bot_username.lower():
                return True
        if entity["type"] == "mention" and value[1:].lower() == bot_username.lower():
            return True
    return False


def _keyboard_message(state: ChatState, message: Any) -> SentMessage:
    if message is not None:
        target = message if isinstance(message, SentMessage) else state.bot_messages.get(int(message))
        if target is None:
            raise AssertionError(f"no bot message {message!r} in {_describe(state)}")
        if target.deleted:
            raise AssertionError(f"bot message {target.message_id} was deleted")
        return target
    for candidate in reversed(state.inbox):
        if not candidate.deleted and candidate.inline_keyboard:
            return candidate
    raise AssertionError(
        f"no bot message with an inline keyboard in {_describe(state)}; bot messages: {state.inbox}"
    )


def _message_id(message: Any) -> int:
    if isinstance(message, SentMessage):
        return message.message_id
    if isinstance(message, dict):
        return int(message["message_id"])
    return int(message)


def _file_fields(stored: StoredFile) -> JSON:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.size,
    }


def _with_caption(content: JSON, caption: str | None) -> JSON:
    if caption:
        content["caption"] = caption
        entities = auto_entities(caption)
        if entities:
            content["caption_entities"] = entities
    return content


def _describe(state: ChatState) -> str:
    if state.is_private:
        return f"private chat {state.id} ({state.first_name})"
    return f"{state.type} {state.id} ({state.title})"
