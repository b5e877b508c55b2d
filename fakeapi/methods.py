"""Handlers for the Bot API methods the fake understands.

Each handler takes the server and the decoded :class:`Params` and returns the
``result`` of a successful call, or raises :class:`ApiError`. Method names are
matched case-insensitively, as Telegram does. Adding a method is one
decorated function; calls to anything not registered answer 404 and are
listed in ``FakeBotApi.unknown_calls``.

Long because it is the registry of every method the fake implements, one short function each;
find a method by searching for its name.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fakeapi import errors
from fakeapi.errors import ApiError, bad_request
from fakeapi.formatting import FormattedText, format_text, utf16_len
from fakeapi.markup import validate_reply_markup
from fakeapi.models import CallbackAnswer, ChatState, SentMessage, StoredFile, member_json
from fakeapi.params import Params

if TYPE_CHECKING:
    from fakeapi.server import FakeBotApi

JSON = dict[str, Any]
Handler = Callable[["FakeBotApi", Params], Awaitable[Any]]

_METHODS: dict[str, tuple[str, Handler]] = {}
_MAX_TEXT = 4096
_MAX_CAPTION = 1024
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_MEDIA_KINDS = ("photo", "document", "voice", "audio", "video", "animation", "sticker")


def method(name: str) -> Callable[[Handler], Handler]:
    """Register a handler under its canonical Bot API name."""

    def register(handler: Handler) -> Handler:
        _METHODS[name.lower()] = (name, handler)
        return handler

    return register


def lookup(name: str) -> tuple[str, Handler] | None:
    """The canonical name and handler for ``name`` (case-insensitive)."""
    return _METHODS.get(name.lower())


def known_methods() -> list[str]:
    """Canonical names of every supported method."""
    return sorted(canonical for canonical, _ in _METHODS.values())


# ---------------------------------------------------------------- basics


@method("getMe")
async def get_me(api: FakeBotApi, p: Params) -> JSON:
    return api.bot_user


@method("logOut")
async def log_out(api: FakeBotApi, p: Params) -> bool:
    api.logged_out = True
    return True


@method("close")
async def close(api: FakeBotApi, p: Params) -> bool:
    return True


# --------------------------------------------------------------- updates


@method("getUpdates")
async def get_updates(api: FakeBotApi, p: Params) -> list[JSON]:
    if api.webhook.active:
        raise ApiError(409, errors.WEBHOOK_ACTIVE)
    limit = p.get_int("limit") or 100
    limit = min(max(limit, 1), 100)
    timeout = max(p.get_float("timeout") or 0.0, 0.0)
    api.updates.set_allowed(p.get_json("allowed_updates"))
    return await api.updates.poll(p.get_int("offset"), limit, timeout)


@method("setWebhook")
async def set_webhook(api: FakeBotApi, p: Params) -> bool:
    from fakeapi.updates import validate_webhook_url

    url = p.get_str("url") or ""
    if p.get_bool("drop_pending_updates"):
        api.updates.drop_pending()
    api.updates.set_allowed(p.get_json("allowed_updates"))
    if not url:
        await api.webhook.stop()
        return True
    secret = p.get_str("secret_token")
    if secret is not None and not _SECRET_RE.match(secret):
        raise bad_request("secret token contains unallowed characters")
    api.webhook.configure(validate_webhook_url(url), secret, p.get_int("max_connections"))
    return True


@method("deleteWebhook")
async def delete_webhook(api: FakeBotApi, p: Params) -> bool:
    if p.get_bool("drop_pending_updates"):
        api.updates.drop_pending()
    await api.webhook.stop()
    return True


@method("getWebhookInfo")
async def get_webhook_info(api: FakeBotApi, p: Params) -> JSON:
    return api.webhook.info(api.updates.allowed_updates)


# -------------------------------------------------------------- messages


@method("sendMessage")
async def send_message(api: FakeBotApi, p: Params) -> JSON:
    chat = api.writable_chat(p.get_chat_id())
    raw = p.get_str("text") or ""
    parse_mode = p.get_str("parse_mode")
    formatted = _checked_text(raw, parse_mode, p.get_json("entities"), _MAX_TEXT)
    sent = SentMessage(
        chat_id=chat.id,
        message_id=0,
        kind="text",
        method="sendMessage",
        text=formatted.text,
        raw_text=raw,
        parse_mode=parse_mode,
        entities=formatted.entities,
        reply_markup=_markup(p),
        reply_to_message_id=_reply_target(api, chat, p),
        link_preview_options=_json_object(p, "link_preview_options"),
        params=p.as_record(),
    )
    sent.message_id = chat.allocate_message_id()
    return api.record_bot_message(chat, sent)


def _checked_text(raw: str, parse_mode: str | None, entities: Any, limit: int) -> FormattedText:
    if not raw.strip():
        raise bad_request("message text is empty")
    formatted = format_text(raw, parse_mode, entities)
    if not formatted.text:
        raise bad_request("message text is empty")
    if utf16_len(formatted.text) > limit:
        raise bad_request("message is too long")
    return formatted


def _checked_caption(raw: str | None, parse_mode: str | None, entities: Any) -> FormattedText | None:
    if raw is None or raw == "":
        return None
    formatted = format_text(raw, parse_mode, entities)
    if utf16_len(formatted.text) > _MAX_CAPTION:
        raise bad_request("message caption is too long")
    return formatted


def _markup(p: Params) -> JSON | None:
    markup = p.get_json("reply_markup", error="can't parse reply keyboard markup JSON object")
    return validate_reply_markup(markup)


def _json_object(p: Params, name: str) -> JSON | None:
    value = p.get_json(name)
    if value is not None and not isinstance(value, dict):
        raise bad_request(f"can't parse {name} JSON object")
    return value


def _reply_target(api: FakeBotApi, chat: ChatState, p: Params) -> int | None:
    """``reply_parameters`` (or legacy ``reply_to_message_id``) -> message id."""
    reply = _json_object(p, "reply_parameters")
    if reply is None:
        legacy = p.get_int("reply_to_message_id")
        if legacy is None:
            return None
        reply = {
            "message_id": legacy,
            "allow_sending_without_reply": p.get_bool("allow_sending_without_reply"),
        }
    message_id = reply.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("can't parse reply parameters JSON object")
    target_chat = chat
    if reply.get("chat_id") is not None:
        target_chat = api.resolve_chat(reply["chat_id"])
    if api.any_message_json(target_chat, message_id) is None:
        if reply.get("allow_sending_without_reply"):
            return None
        raise ApiError(400, errors.REPLY_NOT_FOUND)
    return message_id if target_chat is chat else None


def media_json(kind: str, file: StoredFile | None, extra: JSON) -> Any:
    """The media object of a ``Message`` (``photo`` is a list of sizes)."""
    base: JSON = dict(extra)
    if file is not None:
        base.update(file_id=file.file_id, file_unique_id=file.file_unique_id)
        if file.size is not None:
            base["file_size"] = file.size
    if kind == "photo":
        return [{"width": 320, "height": 240, **base}]
    if kind in ("document", "audio", "voice", "video", "animation") and file is not None:
        if file.filename and kind != "voice":
            base["file_name"] = file.filename
        if file.mime_type:
            base["mime_type"] = file.mime_type
    if kind in ("voice", "audio", "video", "animation"):
        base.setdefault("duration", 1)
    if kind in ("video", "animation", "sticker"):
        base.setdefault("width", 512)
        base.setdefault("height", 512)
    if kind == "sticker":
        base.setdefault("type", "regular")
        base.setdefault("is_animated", False)
        base.setdefault("is_video", False)
    return base


async def _send_media(api: FakeBotApi, p: Params, kind: str, method_name: str) -> JSON:
    chat = api.writable_chat(p.get_chat_id())
    source = p.get_input_file(kind)
    if source is None or source == "":
        raise bad_request(f"there is no {kind} in the request")
    parse_mode = p.get_str("parse_mode")
    raw_caption = p.get_str("caption")
    caption = _checked_caption(raw_caption, parse_mode, p.get_json("caption_entities"))
    markup = _markup(p)
    reply_to = _reply_target(api, chat, p)
    file = api.store_file(kind, source)  # only once the request is known to be valid
    sent = SentMessage(
        chat_id=chat.id,
        message_id=0,
        kind=kind,
        method=method_name,
        caption=caption.text if caption else None,
        raw_text=raw_caption,
        parse_mode=parse_mode,
        entities=caption.entities if caption else [],
        reply_markup=markup,
        reply_to_message_id=reply_to,
        file=file,
        extra={"duration": d} if (d := p.get_int("duration")) is not None else {},
        params=p.as_record(),
    )
    sent.message_id = chat.allocate_message_id()
    return api.record_bot_message(chat, sent)


def _register_media_senders() -> None:
    for kind in _MEDIA_KINDS:
        name = f"send{kind.capitalize()}"

        async def handler(api: FakeBotApi, p: Params, _kind: str = kind, _name: str = name) -> JSON:
            return await _send_media(api, p, _kind, _name)

        method(name)(handler)


_register_media_senders()


@method("sendChatAction")
async def send_chat_action(api: FakeBotApi, p: Params) -> bool:
    chat = api.writable_chat(p.get_chat_id())
    action = p.get_str("action", required=True) or ""
    if action not in _CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    api.chat_actions.append((chat.id, action))
    return True


# ----------------------------------------------------------------- edits


def _editable(api: FakeBotApi, p: Params) -> tuple[ChatState, SentMessage]:
    chat = api.writable_chat(p.get_chat_id())
    message_id = p.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    sent = chat.bot_messages.get(message_id)
    if sent is None or sent.deleted:
        if message_id in chat.user_messages:
            raise ApiError(400, errors.MESSAGE_CANT_BE_EDITED)
        raise ApiError(400, errors.MESSAGE_TO_EDIT_NOT_FOUND)
    return chat, sent


def _edit_markup(p: Params, sent: SentMessage) -> JSON | None:
    """Edits only carry inline keyboards; omitting one removes it."""
    markup = _markup(p)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    if markup is None and sent.reply_markup and "inline_keyboard" not in sent.reply_markup:
        return sent.reply_markup  # a reply keyboard belongs to the chat, not the message
    return markup


def _apply_edit(
    api: FakeBotApi,
    chat: ChatState,
    sent: SentMessage,
    changes: JSON,
) -> JSON:
    current = {key: getattr(sent, key) for key in changes}
    if current == changes:
        raise ApiError(400, errors.MESSAGE_NOT_MODIFIED)
    sent.history.append(sent.snapshot())
    for key, value in changes.items():
        setattr(sent, key, value)
    sent.edit_date = int(time.time())
    return api.record_edit(chat, sent)


@method("editMessageText")
async def edit_message_text(api: FakeBotApi, p: Params) -> JSON | bool:
    if p.has("inline_message_id"):
        return True  # inline messages are not tracked
    chat, sent = _editable(api, p)
    if sent.kind != "text":
        raise bad_request("there is no text in the message to edit")
    raw = p.get_str("text") or ""
    parse_mode = p.get_str("parse_mode")
    formatted = _checked_text(raw, parse_mode, p.get_json("entities"), _MAX_TEXT)
    changes = {
        "text": formatted.text,
        "entities": formatted.entities,
        "reply_markup": _edit_markup(p, sent),
    }
    result = _apply_edit(api, chat, sent, changes)
    sent.raw_text, sent.parse_mode = raw, parse_mode
    if p.has("link_preview_options"):
        sent.link_preview_options = _json_object(p, "link_preview_options")
    return result


@method("editMessageCaption")
async def edit_message_caption(api: FakeBotApi, p: Params) -> JSON | bool:
    if p.has("inline_message_id"):
        return True
    chat, sent = _editable(api, p)
    if sent.kind == "text":
        raise bad_request("there is no caption in the message to edit")
    raw = p.get_str("caption")
    parse_mode = p.get_str("parse_mode")
    caption = _checked_caption(raw, parse_mode, p.get_json("caption_entities"))
    changes = {
        "caption": caption.text if caption else None,
        "entities": caption.entities if caption else [],
        "reply_markup": _edit_markup(p, sent),
    }
    result = _apply_edit(api, chat, sent, changes)
    sent.raw_text, sent.parse_mode = raw, parse_mode
    return result


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(api: FakeBotApi, p: Params) -> JSON | bool:
    if p.has("inline_message_id"):
        return True
    chat, sent = _editable(api, p)
    return _apply_edit(api, chat, sent, {"reply_markup": _edit_markup(p, sent)})


@method("deleteMessage")
async def delete_message(api: FakeBotApi, p: Params) -> bool:
    chat = api.writable_chat(p.get_chat_id())
    message_id = p.get_int("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    sent = chat.bot_messages.get(message_id)
    if sent is not None and not sent.deleted:
        sent.deleted = True
        api.notify()
        return True
    if chat.user_messages.pop(message_id, None) is not None:
        api.notify()
        return True
    raise ApiError(400, errors.MESSAGE_TO_DELETE_NOT_FOUND)


@method("answerCallbackQuery")
async def answer_callback_query(api: FakeBotApi, p: Params) -> bool:
    query_id = p.get_str("callback_query_id") or ""
    record = api.take_query(query_id)
    text = p.get_str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    api.callback_answers[record.id] = CallbackAnswer(
        query_id=record.id,
        text=text,
        show_alert=p.get_bool("show_alert"),
        url=p.get_str("url"),
        cache_time=p.get_int("cache_time"),
    )
    api.notify()
    return True


# --------------------------------------------------------------- files


@method("getFile")
async def get_file(api: FakeBotApi, p: Params) -> JSON:
    file_id = p.get_str("file_id") or ""
    try:
        stored = api.file(file_id)
    except KeyError:
        raise bad_request("invalid file_id") from None
    if stored.file_path is None:
        suffix = f"/{stored.filename}" if stored.filename else ""
        stored.file_path = f"{stored.kind}s/file_{api.new_id()}{suffix}"
    result: JSON = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_path": stored.file_path,
    }
    if stored.size is not None:
        result["file_size"] = stored.size
    return result


# ----------------------------------------------------------------- chats


def _full_chat(chat: ChatState) -> JSON:
    info = chat.to_json()
    info.update(
        accent_color_id=0,
        max_reaction_count=11,
        accepted_gift_types={
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    )
    return info


@method("getChat")
async def get_chat(api: FakeBotApi, p: Params) -> JSON:
    return _full_chat(api.resolve_chat(p.get_chat_id()))


@method("getChatMember")
async def get_chat_member(api: FakeBotApi, p: Params) -> JSON:
    chat = api.resolve_chat(p.get_chat_id())
    user_id = p.get_int("user_id", required=True)
    assert user_id is not None
    user = api.user_json(user_id)  # 400 "user not found" for strangers
    if user_id == api.bot_id:
        status = "member" if chat.is_private else chat.bot_status
    elif chat.is_private:
        status = "member" if user_id == chat.id else "left"
    else:
        status = chat.members.get(user_id, "left")
    return member_json(user, status)


@method("getChatAdministrators")
async def get_chat_administrators(api: FakeBotApi, p: Params) -> list[JSON]:
    chat = api.resolve_chat(p.get_chat_id())
    if chat.is_private:
        raise bad_request("there are no administrators in the private chat")
    admins = [
        member_json(api.user_json(uid), status)
        for uid, status in chat.members.items()
        if status in ("creator", "administrator")
    ]
    if chat.bot_status in ("creator", "administrator"):
        admins.append(member_json(api.user_json(api.bot_id), chat.bot_status))
    return admins


@method("getChatMemberCount")
async def get_chat_member_count(api: FakeBotApi, p: Params) -> int:
    chat = api.resolve_chat(p.get_chat_id())
    if chat.is_private:
        return 2
    present = [s for s in chat.members.values() if s not in ("left", "kicked")]
    return len(present) + (chat.bot_status not in ("left", "kicked"))


@method("leaveChat")
async def leave_chat(api: FakeBotApi, p: Params) -> bool:
    chat = api.resolve_chat(p.get_chat_id())
    if chat.is_private:
        raise bad_request("chat member status can't be changed in private chats")
    chat.bot_status = "left"
    api.notify()
    return True


# -------------------------------------------------------------- commands


def _command_scope(p: Params) -> tuple[JSON | None, str]:
    scope = _json_object(p, "scope")
    if scope is not None and not isinstance(scope.get("type"), str):
        raise bad_request("can't parse BotCommandScope JSON object")
    return scope, p.get_str("language_code") or ""


def _checked_commands(value: Any) -> list[JSON]:
    if not isinstance(value, list) or len(value) > 100:
        raise bad_request("can't parse commands JSON object")
    commands: list[JSON] = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand JSON object")
        command = str(item.get("command", "")).removeprefix("/")
        description = str(item.get("description", ""))
        if not _COMMAND_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append({"command": command, "description": description})
    return commands


@method("setMyCommands")
async def set_my_commands(api: FakeBotApi, p: Params) -> bool:
    commands = _checked_commands(p.get_json("commands"))
    scope, language = _command_scope(p)
    api.set_commands(scope, language, commands)
    return True


@method("getMyCommands")
async def get_my_commands(api: FakeBotApi, p: Params) -> list[JSON]:
    scope, language = _command_scope(p)
    return api.commands(scope, language)


@method("deleteMyCommands")
async def delete_my_commands(api: FakeBotApi, p: Params) -> bool:
    scope, language = _command_scope(p)
    api.set_commands(scope, language, None)
    return True


# -------------------------------------------------- bot profile settings


def _register_profile_setting(field: str, result_key: str) -> None:
    """setMyX stores a value per language; getMyX returns it."""
    camel = field[0].upper() + field[1:]

    async def setter(api: FakeBotApi, p: Params) -> bool:
        api.settings[f"{field}:{p.get_str('language_code') or ''}"] = p.get_str(result_key) or ""
        return True

    async def getter(api: FakeBotApi, p: Params) -> JSON:
        value = api.settings.get(f"{field}:{p.get_str('language_code') or ''}", "")
        return {result_key: value}

    method(f"setMy{camel}")(setter)
    method(f"getMy{camel}")(getter)


_register_profile_setting("name", "name")
_register_profile_setting("description", "description")
_register_profile_setting("shortDescription", "short_description")


@method("setChatMenuButton")
async def set_chat_menu_button(api: FakeBotApi, p: Params) -> bool:
    api.settings[f"menu_button:{p.get_str('chat_id') or ''}"] = _json_object(p, "menu_button")
    return True


@method("getChatMenuButton")
async def get_chat_menu_button(api: FakeBotApi, p: Params) -> JSON:
    stored = api.settings.get(f"menu_button:{p.get_str('chat_id') or ''}")
    return stored or {"type": "default"}
