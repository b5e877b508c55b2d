"""Plain data records kept by the fake server.

These are what tests assert on: the calls the bot made (:class:`ApiCall`),
the messages it sent (:class:`SentMessage`, edited in place with history),
callback answers, and the per-chat state (:class:`ChatState`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from fakeapi.errors import ApiError
from fakeapi.markup import button_label, find_button, keyboard_rows

JSON = dict[str, Any]


@dataclass
class ApiCall:
    """One HTTP request the bot made to the fake, with its outcome."""

    method: str
    params: dict[str, Any]
    time: float = field(default_factory=time.time)
    http_method: str = "POST"
    token: str = ""
    status: int | None = None
    response: JSON | None = None
    client: str = ""  # the label in the URL of a ``client_base_url`` (which process called)

    @property
    def ok(self) -> bool:
        """Whether the call was answered with ``"ok": true``."""
        return self.status == 200

    @property
    def description(self) -> str | None:
        """The error description, if the call failed."""
        return None if self.response is None else self.response.get("description")


@dataclass
class StoredFile:
    """A file known to the fake: uploaded by the bot or sent by a user."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes | None = None
    filename: str | None = None
    mime_type: str | None = None
    file_path: str | None = None

    @property
    def size(self) -> int | None:
        """Size in bytes, when the content is known."""
        return None if self.data is None else len(self.data)

    def __repr__(self) -> str:
        return (
            f"StoredFile(file_id={self.file_id!r}, kind={self.kind!r}, "
            f"filename={self.filename!r}, size={self.size})"
        )


@dataclass
class MessageVersion:
    """The content of a bot message before one of its edits."""

    text: str | None
    caption: str | None
    raw_text: str | None
    parse_mode: str | None
    entities: list[JSON]
    reply_markup: JSON | None
    edit_date: int | None


@dataclass(eq=False)
class SentMessage:
    """A message the bot sent. Edits are applied in place; ``history`` keeps
    the previous versions, oldest first.

    ``text`` is what the recipient sees (markup parsed away, like
    ``telegram.Message.text``); ``raw_text`` is the exact string the bot sent,
    so both "the user reads X" and "the bot sent <b>X</b>" can be asserted.
    """

    chat_id: int
    message_id: int
    kind: str
    method: str
    date: int = field(default_factory=lambda: int(time.time()))
    text: str | None = None
    caption: str | None = None
    raw_text: str | None = None
    parse_mode: str | None = None
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None
    reply_to_message_id: int | None = None
    link_preview_options: JSON | None = None
    file: StoredFile | None = None
    extra: JSON = field(default_factory=dict)
    params: dict[str, Any] = field(default_factory=dict)
    edit_date: int | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False

    @property
    def text_or_caption(self) -> str | None:
        """``text`` for text messages, ``caption`` for media."""
        return self.text if self.text is not None else self.caption

    @property
    def photo(self) -> bytes | None:
        """Uploaded bytes of a photo (``None`` if sent by file_id/URL)."""
        return self.file.data if self.kind == "photo" and self.file else None

    @property
    def document(self) -> bytes | None:
        """Uploaded bytes of a document (``None`` if sent by file_id/URL)."""
        return self.file.data if self.kind == "document" and self.file else None

    @property
    def filename(self) -> str | None:
        """Filename of the uploaded media, if any."""
        return self.file.filename if self.file else None

    @property
    def keyboard(self) -> list[list[str]]:
        """Button labels by row, for an inline or a reply keyboard."""
        return [[button_label(b) for b in row] for row in keyboard_rows(self.reply_markup)]

    @property
    def buttons(self) -> list[str]:
        """Button labels, flattened row by row."""
        return [label for row in self.keyboard for label in row]

    @property
    def inline_keyboard(self) -> list[list[JSON]]:
        """Raw inline buttons (empty for reply keyboards)."""
        return list((self.reply_markup or {}).get("inline_keyboard") or [])

    @property
    def is_edited(self) -> bool:
        """Whether the message was edited at least once."""
        return bool(self.history)

    def button(self, label: str) -> JSON:
        """The raw inline button with this label (exact, or unique substring)."""
        found, labels = find_button(self.reply_markup, label)
        if found is None:
            raise AssertionError(f"no inline button {label!r}; available: {labels}")
        return found

    def snapshot(self) -> MessageVersion:
        """The current content, to be pushed to ``history`` before an edit."""
        return MessageVersion(
            text=self.text,
            caption=self.caption,
            raw_text=self.raw_text,
            parse_mode=self.parse_mode,
            entities=list(self.entities),
            reply_markup=self.reply_markup,
            edit_date=self.edit_date,
        )

    def __repr__(self) -> str:
        body = self.text_or_caption
        shown = body if body is None or len(body) <= 60 else body[:57] + "..."
        return (
            f"SentMessage(chat_id={self.chat_id}, message_id={self.message_id}, "
            f"kind={self.kind!r}, text={shown!r}, buttons={self.buttons})"
        )


@dataclass
class CallbackAnswer:
    """An ``answerCallbackQuery`` call, matched to the query it answers."""

    query_id: str
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    cache_time: int | None = None
    time: float = field(default_factory=time.time)


@dataclass
class CallbackQueryRecord:
    """A callback query a simulated user produced by pressing a button."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None


@dataclass
class InjectedFailure:
    """An error (and/or delay) to answer the next matching call(s) with."""

    method: str
    error: ApiError | None
    times: int
    chat_id: int | str | None = None
    delay: float = 0.0

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        """Whether a call of ``method`` to ``chat_id`` should be hit."""
        if self.times <= 0 or self.method.lower() != method.lower():
            return False
        return self.chat_id is None or str(self.chat_id) == str(chat_id)


@dataclass(eq=False)
class ChatState:
    """Everything the fake knows about one chat."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "member"
    blocked: bool = False
    started: bool = False
    next_message_id: int = 1
    user_messages: dict[int, JSON] = field(default_factory=dict)
    bot_messages: dict[int, SentMessage] = field(default_factory=dict)
    inbox: list[SentMessage] = field(default_factory=list)
    inbox_cursor: int = 0
    edit_log: list[SentMessage] = field(default_factory=list)
    edit_cursor: int = 0

    @property
    def is_private(self) -> bool:
        """Whether this is a one-to-one chat with a user."""
        return self.type == "private"

    def allocate_message_id(self) -> int:
        """Message ids increase per chat, shared by both sides, like Telegram's."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def to_json(self) -> JSON:
        """The ``Chat`` object embedded in messages."""
        chat: JSON = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                chat[key] = value
        return chat


def member_json(user: JSON, status: str) -> JSON:
    """A ``ChatMember`` object with every field PTB requires for ``status``."""
    member: JSON = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        for right in (
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
            "can_pin_messages",
        ):
            member[right] = True
        member.update(can_be_edited=False, is_anonymous=False, can_promote_members=False)
    elif status == "restricted":
        member.update(
            is_member=True,
            until_date=0,
            **{
                right: False
                for right in (
                    "can_change_info",
                    "can_invite_users",
                    "can_pin_messages",
                    "can_send_messages",
                    "can_send_polls",
                    "can_send_other_messages",
                    "can_add_web_page_previews",
                    "can_manage_topics",
                    "can_send_audios",
                    "can_send_documents",
                    "can_send_photos",
                    "can_send_videos",
                    "can_send_video_notes",
                    "can_send_voice_notes",
                    "can_edit_tag",
                )
            },
        )
    elif status == "kicked":
        member["until_date"] = 0
    return member
