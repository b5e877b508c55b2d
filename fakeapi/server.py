"""An in-process fake of the Telegram Bot API, served over real HTTP.

Why a fake server instead of mocking ``telegram.Bot``: the product talks to
Telegram through python-telegram-bot's real ``Application`` (request
serialisation, rate limiting, polling loop, error mapping). Mocks skip all of
that; this server lets PTB run unmodified against ``127.0.0.1`` so tests
exercise the exact bytes PTB sends and the exact errors Telegram answers.

Long because the fake's state (chats, messages, files, updates) and its HTTP routing are one
object that tests drive directly; the methods themselves are in fakeapi/methods.py.

Usage::

    async with FakeBotApi() as api:
        app = (
            Application.builder()
            .token(api.token)
            .base_url(api.base_url)
            .base_file_url(api.base_file_url)
            .build()
        )
        ...
        ana = api.user("Ana", username="ana_r")
        await ana.send("/start")
        reply = await ana.next_message()

Request handlers live in :mod:`fakeapi.methods`; this module holds the
HTTP plumbing, the state, and the public test-facing API.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import re
import time
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from fakeapi import errors
from fakeapi.errors import ApiError, bad_request, forbidden, injected_error
from fakeapi.models import (
    ApiCall,
    CallbackAnswer,
    CallbackQueryRecord,
    ChatState,
    InjectedFailure,
    SentMessage,
    StoredFile,
    member_json,
)
from fakeapi.params import Params, UploadedFile, read_params
from fakeapi.updates import UpdateQueue, WebhookDeliverer

if TYPE_CHECKING:
    from fakeapi.user import FakeChat, FakeUser

JSON = dict[str, Any]
_LOGGER = logging.getLogger(__name__)

#: Default token; any token of the shape ``<digits>:<letters/digits/_->`` works.
DEFAULT_TOKEN = "123456789:TEST-trustline-fake-token"
_TOKEN_RE = re.compile(r"^(\d{1,20}):([A-Za-z0-9_-]{1,100})$")
_MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
_MAX_BODY = 60 * 1024 * 1024  # Telegram allows 50 MB documents
_RECHECK_INTERVAL = 0.05


class FakeBotApi:
    """A fake Telegram Bot API server for one bot token.

    Args:
        token: the bot token PTB must use; its numeric prefix is the bot id,
            as on Telegram. Requests with another token get 401.
        bot_username: ``getMe`` username (``/cmd@<bot_username>`` routes here).
        bot_first_name: ``getMe`` first name.
        privacy_mode: Telegram's default group privacy: in groups where the
            bot is not an admin it only receives commands, replies to its own
            messages and @mentions. ``False`` delivers everything.
        host / port: where to listen; ``port=0`` picks a free port.
        webhook_retry_delay: pause between failed webhook deliveries.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "trustline_test_bot",
        bot_first_name: str = "Trustline Test Bot",
        privacy_mode: bool = True,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_retry_delay: float = 0.2,
    ) -> None:
        match = _TOKEN_RE.match(token)
        if match is None:
            raise ValueError(f"token must look like '123456:ABC-def', got {token!r}")
        self._token = token
        self._host = host
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self.privacy_mode = privacy_mode
        self._bot_user: JSON = {
            "id": int(match.group(1)),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": not privacy_mode,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        # Records for assertions.
        self.calls: list[ApiCall] = []
        self.unknown_calls: list[ApiCall] = []
        self.internal_errors: list[str] = []
        self.callback_answers: dict[str, CallbackAnswer] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.privacy_filtered: list[JSON] = []
        self.settings: dict[str, Any] = {}
        self.logged_out = False
        # State.
        self.updates = UpdateQueue(first_update_id=100_000_001)
        self.webhook = WebhookDeliverer(self.updates, retry_delay=webhook_retry_delay)
        self._chats: dict[int, ChatState] = {}
        self._users: dict[int, FakeUser] = {}
        self._files: dict[str, StoredFile] = {}
        self._queries: dict[str, CallbackQueryRecord] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._failures: list[InjectedFailure] = []
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()

    # ------------------------------------------------------------ lifecycle

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def start(self) -> None:
        """Start listening (idempotent)."""
        if self._runner is not None:
            return
        self.updates.closed = False  # a FakeBotApi may be restarted after close()
        app = web.Application(client_max_size=_MAX_BODY)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("*", "/client/{client}/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_stray)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, self._host, self._requested_port)
        await site.start()
        self._runner = runner
        self._port = _bound_port(runner)
        _LOGGER.debug("fake Bot API listening on %s", self.base_url)

    async def close(self) -> None:
        """Answer pending long polls, stop webhook delivery, stop the server."""
        self.updates.close()
        await self.webhook.stop()
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    # ------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        if self._port is None:
            raise RuntimeError("FakeBotApi is not started; use 'async with FakeBotApi()'")
        return self._port

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://{self._host}:{self.port}"

    @property
    def base_url(self) -> str:
        """Pass to ``ApplicationBuilder.base_url``; PTB appends the token."""
        return f"{self.root_url}/bot"

    def client_base_url(self, client: str) -> str:
        """A ``base_url`` that tags every call made through it with ``client`` (``ApiCall.client``):
        give each bot process its own to tell which one polls."""
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", client):
            raise ValueError(f"client label must be 1-64 of A-Z, a-z, 0-9, _ and -, got {client!r}")
        return f"{self.root_url}/client/{client}/bot"

    @property
    def base_file_url(self) -> str:
        """Pass to ``ApplicationBuilder.base_file_url``; PTB appends the token."""
        return f"{self.root_url}/file/bot"

    @property
    def token(self) -> str:
        """The only token this server accepts."""
        return self._token

    @property
    def bot_user(self) -> JSON:
        """The ``getMe`` result (a copy)."""
        return dict(self._bot_user)

    @property
    def bot_id(self) -> int:
        """The bot's user id (the token's numeric prefix)."""
        return int(self._bot_user["id"])

    @property
    def bot_username(self) -> str:
        """The bot's username, without ``@``."""
        return str(self._bot_user["username"])

    # -------------------------------------------------------------- people

    def user(
        self,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        *,
        user_id: int | None = None,
        is_premium: bool | None = None,
        started: bool = False,
    ) -> FakeUser:
        """Create a simulated person; their private chat id equals their id.

        ``started=True`` pretends they already opened the bot before the
        test; otherwise the bot can only message them after they write
        (Telegram answers 403 "bot can't initiate conversation").
        """
        from fakeapi.user import FakeUser

        uid = user_id if user_id is not None else 1_000_000 + next(self._ids)
        if uid in self._users or uid == self.bot_id:
            raise ValueError(f"user id {uid} already exists")
        user = FakeUser(self, uid, first_name, last_name, username, language_code, is_premium)
        self._users[uid] = user
        self._chats[uid] = ChatState(
            id=uid,
            type="private",
            username=username,
            first_name=first_name,
            last_name=last_name,
            started=started,
        )
        return user

    def group(
        self,
        title: str = "Test group",
        type: str = "supergroup",  # noqa: A002 - mirrors the Bot API field name
        *,
        username: str | None = None,
        bot_status: str = "member",
        chat_id: int | None = None,
    ) -> FakeChat:
        """Create a group, supergroup or channel that the bot is in.

        ``bot_status`` is the bot's own membership (``member``,
        ``administrator``, ``left``, ``kicked``) as reported by
        ``getChatMember`` and as enforced on sends.
        """
        from fakeapi.user import FakeChat

        if type not in ("group", "supergroup", "channel"):
            raise ValueError("type must be 'group', 'supergroup' or 'channel'")
        if chat_id is None:
            n = next(self._ids)
            chat_id = -(4_000_000 + n) if type == "group" else -(1_000_000_000_000 + n)
        if chat_id in self._chats:
            raise ValueError(f"chat id {chat_id} already exists")
        self._check_status(bot_status)
        self._chats[chat_id] = ChatState(
            id=chat_id, type=type, title=title, username=username, bot_status=bot_status
        )
        return FakeChat(self, chat_id)

    def channel(self, title: str = "Test channel", *, username: str | None = None) -> FakeChat:
        """A channel where the bot is an administrator (needed to post)."""
        return self.group(title, "channel", username=username, bot_status="administrator")

    def add_member(self, chat: Any, user: Any, status: str = "member") -> None:
        """Make ``user`` a member of ``chat`` with the given status."""
        self._check_status(status)
        state = self.chat_state(chat)
        if state.is_private:
            raise ValueError("private chats have no members to add")
        state.members[_user_id(user)] = status

    def set_bot_status(self, chat: Any, status: str) -> None:
        """Change the bot's own membership in a group (e.g. promote to admin)."""
        self._check_status(status)
        self.chat_state(chat).bot_status = status

    def remove_bot_from(self, chat: Any, *, by: FakeUser | None = None) -> None:
        """Kick the bot: later sends answer 403 "bot was kicked from the ...".

        With ``by``, also deliver the ``my_chat_member`` update Telegram sends.
        """
        state = self.chat_state(chat)
        old = state.bot_status
        state.bot_status = "kicked"
        if by is not None:
            self._push_my_chat_member(state, by.to_json(), old, "kicked")

    def block(self, user: Any) -> None:
        """The user blocks the bot: sends to them answer 403 until unblocked.

        Telegram tells the bot with a ``my_chat_member`` update; so do we.
        """
        state = self.chat_state(user)
        if not state.blocked:
            state.blocked = True
            self._push_my_chat_member(state, self._user_json(state.id), "member", "kicked")

    def unblock(self, user: Any) -> None:
        """The user restarts the bot."""
        state = self.chat_state(user)
        if state.blocked:
            state.blocked = False
            self._push_my_chat_member(state, self._user_json(state.id), "kicked", "member")

    # ----------------------------------------------------- error injection

    def fail_next(
        self,
        method: str,
        code: int = 429,
        *,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: Any = None,
        description: str | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with a Telegram error.

        ``chat_id`` restricts the failure to calls for that chat. A 429 gets
        ``parameters.retry_after`` (default 1) so PTB raises ``RetryAfter``.
        """
        error = injected_error(
            code,
            description=description,
            retry_after=retry_after,
            migrate_to_chat_id=migrate_to_chat_id,
        )
        ref = None if chat_id is None else _chat_ref(chat_id)
        self._failures.append(InjectedFailure(method, error, times, ref))

    def delay_next(self, method: str, seconds: float, *, times: int = 1, chat_id: Any = None) -> None:
        """Answer the next ``times`` calls of ``method`` only after ``seconds``
        (to exercise PTB's read timeouts)."""
        ref = None if chat_id is None else _chat_ref(chat_id)
        self._failures.append(InjectedFailure(method, None, times, ref, delay=seconds))

    # ------------------------------------------------------------- queries

    def chat_state(self, chat: Any) -> ChatState:
        """The :class:`ChatState` of a chat given by id, user, group or state."""
        if isinstance(chat, ChatState):
            return chat
        ref = _chat_ref(chat)
        state = self._find_chat(ref)
        if state is None:
            raise KeyError(f"unknown chat {ref!r}")
        return state

    def messages_to(self, chat: Any) -> list[SentMessage]:
        """Every message the bot sent to ``chat``, oldest first (deleted ones
        included, with ``deleted=True``)."""
        return list(self.chat_state(chat).inbox)

    def calls_to(self, method: str) -> list[ApiCall]:
        """Recorded calls of one method (case-insensitive)."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def pollers(self, since: float = 0.0) -> set[str]:
        """Client labels that called ``getUpdates`` at or after ``since`` (``time.time()``), answered
        or not yet; untagged calls count as ``""``."""
        return {c.client for c in self.calls if c.method == "getUpdates" and c.time >= since}

    def failed_calls(self, *, include_polling: bool = False) -> list[ApiCall]:
        """Calls answered with an error (``getUpdates`` 409s skipped by default)."""
        return [
            c
            for c in self.calls
            if c.status not in (None, 200) and (include_polling or c.method != "getUpdates")
        ]

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """The command list set with ``setMyCommands`` for a scope/language."""
        return list(self._commands.get((_scope_key(scope), language_code), []))

    def file(self, file_id: str) -> StoredFile:
        """A file known to the server (uploaded by the bot or a user)."""
        return self._files[file_id]

    async def wait_until(
        self, predicate: Callable[[], bool], timeout: float = 5.0, message: str = ""
    ) -> None:
        """Wait until ``predicate()`` holds.

        It is re-checked on every state change of the fake and at least every
        50 ms, so predicates over the bot's own state work too. Raises
        ``AssertionError`` (with recent failed calls) on timeout.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"{message or 'condition not met'} within {timeout}s{self.diagnostics()}"
                )
            event = self._changed
            try:
                await asyncio.wait_for(event.wait(), min(remaining, _RECHECK_INTERVAL))
            except TimeoutError:
                pass

    async def wait_for_callback_answer(self, query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        """Wait for the bot to call ``answerCallbackQuery`` for ``query_id``."""
        await self.wait_until(
            lambda: query_id in self.callback_answers,
            timeout,
            f"callback query {query_id} was not answered",
        )
        return self.callback_answers[query_id]

    def diagnostics(self) -> str:
        """Recent failed calls, appended to assertion messages: when the bot
        "sent nothing" the reason is usually a 400/403 it got from us."""
        failed = self.failed_calls()[-5:]
        lines = [f"\n  {c.method} -> {c.status} {c.description}" for c in failed]
        unknown = sorted({c.method for c in self.unknown_calls})
        text = ("\nrecent failed calls:" + "".join(lines)) if lines else ""
        if unknown:
            text += f"\nunknown methods called: {unknown}"
        if self.internal_errors:
            text += f"\nfake server errors: {self.internal_errors[-1]}"
        return text

    def push_update(self, kind: str, payload: JSON) -> JSON | None:
        """Queue a raw update (e.g. ``"inline_query"``) for the bot."""
        update = self.updates.push(kind, payload)
        self.notify()
        return update

    # ------------------------------------------------- state (for handlers)

    def notify(self) -> None:
        """Wake :meth:`wait_until` waiters after any state change."""
        self._changed.set()
        self._changed = asyncio.Event()

    def new_id(self) -> int:
        """A fresh small integer for ids that need no particular shape."""
        return next(self._ids)

    def user_json(self, user_id: int) -> JSON:
        """The ``User`` object of a simulated person."""
        return self._user_json(user_id)

    def find_user(self, user_id: int) -> FakeUser | None:
        """A simulated person by id."""
        return self._users.get(user_id)

    def _user_json(self, user_id: int) -> JSON:
        if user_id == self.bot_id:
            return {k: self._bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        user = self._users.get(user_id)
        if user is None:
            raise bad_request("user not found")
        return user.to_json()

    def _find_chat(self, ref: int | str) -> ChatState | None:
        if isinstance(ref, int):
            return self._chats.get(ref)
        wanted = ref.removeprefix("@").lower()
        for chat in self._chats.values():
            if not chat.is_private and (chat.username or "").lower() == wanted:
                return chat
        return None

    def resolve_chat(self, ref: int | str) -> ChatState:
        """A chat the bot can see, else 400 "chat not found" / 403 "kicked"."""
        chat = self._find_chat(ref)
        if chat is None or (chat.is_private and not chat.started and not chat.blocked):
            raise ApiError(400, errors.CHAT_NOT_FOUND)
        if not chat.is_private and chat.bot_status in ("kicked", "left"):
            raise self._not_member_error(chat)
        return chat

    def writable_chat(self, ref: int | str) -> ChatState:
        """A chat the bot may post in, else the error Telegram would give."""
        chat = self._find_chat(ref)
        if chat is None:
            raise ApiError(400, errors.CHAT_NOT_FOUND)
        if chat.is_private:
            if chat.blocked:
                raise ApiError(403, errors.BLOCKED_BY_USER)
            if not chat.started:
                raise self._not_started_error(chat)
            return chat
        if chat.bot_status in ("kicked", "left"):
            raise self._not_member_error(chat)
        if chat.type == "channel" and chat.bot_status not in ("administrator", "creator"):
            raise bad_request("need administrator rights in the channel chat")
        return chat

    def _not_started_error(self, chat: ChatState) -> ApiError:
        known = any(chat.id in c.members for c in self._chats.values() if not c.is_private)
        return ApiError(403, errors.CANT_INITIATE) if known else ApiError(400, errors.CHAT_NOT_FOUND)

    @staticmethod
    def _not_member_error(chat: ChatState) -> ApiError:
        if chat.type == "channel":
            return forbidden("bot is not a member of the channel chat")
        if chat.bot_status == "kicked":
            return forbidden(f"bot was kicked from the {chat.type} chat")
        return forbidden(f"bot is not a member of the {chat.type} chat")

    def store_file(
        self,
        kind: str,
        source: UploadedFile | str,
        *,
        filename: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        """Register uploaded bytes, or look up a file_id / accept a URL."""
        if isinstance(source, str):
            known = self._files.get(source)
            if known is not None:
                return known
            # Unknown file_ids and URLs are accepted without content: the fake
            # cannot download URLs (no network) and tests often use made-up ids.
            stored = StoredFile(source, f"u{self.new_id()}", kind, filename=filename)
            self._files[source] = stored
            return stored
        n = self.new_id()
        stored = StoredFile(
            file_id=f"{kind.upper()}-{n}-{self._bot_user['id']}",
            file_unique_id=f"uq{n}",
            kind=kind,
            data=source.data,
            filename=filename or source.filename,
            mime_type=mime_type or source.content_type,
        )
        self._files[stored.file_id] = stored
        return stored

    def register_file(self, stored: StoredFile) -> StoredFile:
        """Make a user-sent file known, so getFile/download work for the bot."""
        self._files[stored.file_id] = stored
        return stored

    def record_bot_message(self, chat: ChatState, sent: SentMessage) -> JSON:
        """Store a message the bot sent and return its ``Message`` object."""
        chat.bot_messages[sent.message_id] = sent
        chat.inbox.append(sent)
        self.notify()
        return self.message_json(sent)

    def record_edit(self, chat: ChatState, sent: SentMessage) -> JSON:
        """Log an applied edit and return the edited ``Message`` object."""
        chat.edit_log.append(sent)
        self.notify()
        return self.message_json(sent)

    def message_json(self, sent: SentMessage, *, with_reply: bool = True) -> JSON:
        """The ``Message`` object Telegram returns for a bot message."""
        from fakeapi.methods import media_json

        chat = self._chats[sent.chat_id]
        msg: JSON = {"message_id": sent.message_id, "date": sent.date, "chat": chat.to_json()}
        if chat.type == "channel":
            msg["sender_chat"] = chat.to_json()
        else:
            msg["from"] = self._user_json(self.bot_id)
        if sent.edit_date is not None:
            msg["edit_date"] = sent.edit_date
        if sent.text is not None:
            msg["text"] = sent.text
            if sent.entities:
                msg["entities"] = sent.entities
        if sent.caption is not None:
            msg["caption"] = sent.caption
            if sent.entities:
                msg["caption_entities"] = sent.entities
        if sent.file is not None or sent.extra:
            msg[sent.kind] = media_json(sent.kind, sent.file, sent.extra)
        if sent.reply_markup and "inline_keyboard" in sent.reply_markup:
            msg["reply_markup"] = sent.reply_markup
        if sent.link_preview_options:
            msg["link_preview_options"] = sent.link_preview_options
        if with_reply and sent.reply_to_message_id is not None:
            replied = self.any_message_json(chat, sent.reply_to_message_id)
            if replied is not None:
                msg["reply_to_message"] = replied
        return msg

    def any_message_json(self, chat: ChatState, message_id: int) -> JSON | None:
        """A message of either side by id (without nested replies)."""
        if message_id in chat.bot_messages:
            return self.message_json(chat.bot_messages[message_id], with_reply=False)
        user_msg = chat.user_messages.get(message_id)
        if user_msg is None:
            return None
        return {k: v for k, v in user_msg.items() if k != "reply_to_message"}

    def register_query(self, record: CallbackQueryRecord) -> None:
        """Remember a callback query so answerCallbackQuery can match it."""
        self._queries[record.id] = record

    def take_query(self, query_id: str) -> CallbackQueryRecord:
        """Consume a pending query, else Telegram's "query is too old" 400."""
        record = self._queries.get(query_id)
        if record is None or query_id in self.callback_answers:
            raise ApiError(400, errors.QUERY_TOO_OLD)
        return record

    def set_commands(self, scope: JSON | None, language_code: str, commands: list[JSON] | None) -> None:
        """Store (or delete with ``None``) a command list."""
        key = (_scope_key(scope), language_code)
        if commands is None:
            self._commands.pop(key, None)
        else:
            self._commands[key] = commands

    def group_chats(self) -> list[ChatState]:
        """Every non-private chat."""
        return [c for c in self._chats.values() if not c.is_private]

    def _push_my_chat_member(self, chat: ChatState, actor: JSON, old: str, new: str) -> None:
        bot = self._user_json(self.bot_id)
        payload = {
            "chat": chat.to_json(),
            "from": actor,
            "date": int(time.time()),
            "old_chat_member": member_json(bot, old),
            "new_chat_member": member_json(bot, new),
        }
        self.push_update("my_chat_member", payload)

    @staticmethod
    def _check_status(status: str) -> None:
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"status must be one of {_MEMBER_STATUSES}")

    # ---------------------------------------------------------------- HTTP

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Entry point of every ``/bot<token>/<method>`` request."""
        token = request.match_info["token"]
        method_name = request.match_info["method"]
        call = ApiCall(
            method=method_name,
            params={},
            http_method=request.method,
            token=token,
            client=request.match_info.get("client", ""),
        )
        self.calls.append(call)
        try:
            body = await self._dispatch(request, call)
            status = 200
        except ApiError as exc:
            body, status = exc.payload(), exc.code
        except Exception:  # noqa: BLE001 - the fake must survive its own bugs
            detail = traceback.format_exc()
            _LOGGER.error("fake Bot API crashed on %s:\n%s", method_name, detail)
            self.internal_errors.append(detail)
            error = ApiError(500, "Internal Server Error: fake Bot API bug (see internal_errors)")
            body, status = error.payload(), 500
        call.status, call.response = status, body
        self.notify()
        return web.json_response(body, status=status)

    async def _dispatch(self, request: web.Request, call: ApiCall) -> JSON:
        from fakeapi.methods import lookup

        params = await read_params(request)
        call.params = params.as_record()
        self._check_token(call.token)
        entry = lookup(call.method)
        if entry is None:
            self.unknown_calls.append(call)
            raise ApiError(404, errors.NOT_FOUND)
        call.method, handler = entry
        await self._apply_injections(call.method, params)
        result = await handler(self, params)
        return {"ok": True, "result": result}

    def _check_token(self, token: str) -> None:
        if not _TOKEN_RE.match(token):
            raise ApiError(404, errors.NOT_FOUND)  # Telegram: malformed token -> 404
        if token != self._token:
            raise ApiError(401, errors.UNAUTHORIZED)

    async def _apply_injections(self, method: str, params: Params) -> None:
        chat_ref = params.values.get("chat_id")
        for failure in list(self._failures):
            if not failure.matches(method, chat_ref):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures.remove(failure)
            if failure.delay:
                await asyncio.sleep(failure.delay)
            if failure.error is not None:
                raise ApiError(
                    failure.error.code, failure.error.description, failure.error.parameters
                )

    async def _handle_file(self, request: web.Request) -> web.Response:
        """``GET /file/bot<token>/<file_path>``: download for ``File.download_*``."""
        try:
            self._check_token(request.match_info["token"])
        except ApiError as exc:
            return web.json_response(exc.payload(), status=exc.code)
        path = request.match_info["path"]
        for stored in self._files.values():
            if stored.file_path == path and stored.data is not None:
                return web.Response(
                    body=stored.data, content_type=stored.mime_type or "application/octet-stream"
                )
        return web.json_response(ApiError(404, errors.NOT_FOUND).payload(), status=404)

    async def _handle_stray(self, request: web.Request) -> web.Response:
        """Anything else (for example a base_url without ``/bot``)."""
        call = ApiCall(method=request.path, params=dict(request.query), http_method=request.method)
        call.status = 404
        call.response = ApiError(404, errors.NOT_FOUND).payload()
        self.calls.append(call)
        self.unknown_calls.append(call)
        return web.json_response(call.response, status=404)


def _bound_port(runner: web.AppRunner) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise RuntimeError("fake Bot API did not bind a TCP port")


def _user_id(user: Any) -> int:
    return int(getattr(user, "id", user))


def _chat_ref(chat: Any) -> int | str:
    if isinstance(chat, ChatState):
        return chat.id
    if isinstance(chat, int | str):
        if isinstance(chat, str) and not chat.startswith("@"):
            return int(chat)
        return chat
    return int(chat.id)


def _scope_key(scope: JSON | None) -> str:
    if not scope or scope == {"type": "default"}:
        return '{"type": "default"}'
    return json.dumps(scope, sort_keys=True)
