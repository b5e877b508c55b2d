"""The fake Bot API works with the real python-telegram-bot Application.

A tiny bot (echo, /start with deep-link payload, inline keyboard with a
callback that edits its message, photo/document uploads) runs unmodified
against ``fakeapi.FakeBotApi`` over HTTP on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Conflict, EndPointNotFound, Forbidden, InvalidToken
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from fakeapi import FakeBotApi, FakeUser, application_builder
from fakeapi.errors import ApiError
from fakeapi.formatting import parse_html, parse_markdown_v2
from fakeapi.pytest_plugin import (  # noqa: F401 - imported fixtures
    fake_api,
    fake_app_builder,
    fake_user,
    start_app,
)

Ctx = ContextTypes.DEFAULT_TYPE
# PTB 22 warns when int durations (voice.duration, RetryAfter.retry_after) are read.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
PNG = b"\x89PNG\r\n\x1a\n" + b"fake-image-bytes" * 10
PDF = b"%PDF-1.4\n% fake report\n"


# ------------------------------------------------------------- tiny bot


def tiny_bot(builder: ApplicationBuilder) -> Application[Any, Any, Any, Any, Any, Any]:
    """A bot exercising the API surface the product uses."""
    app = builder.build()
    events: list[Any] = []
    app.bot_data["events"] = events

    async def start(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        payload = context.args[0] if context.args else "none"
        events.append(("start", payload))
        await update.effective_message.reply_html(f"Welcome! payload=<code>{payload}</code>")

    async def menu(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("✅ Yes, report", callback_data="report:yes")],
                [InlineKeyboardButton("No thanks", callback_data="report:no")],
                [InlineKeyboardButton("Website", url="https://example.org")],
            ]
        )
        await update.effective_message.reply_text("File a report?", reply_markup=keyboard)

    async def on_button(update: Update, context: Ctx) -> None:
        query = update.callback_query
        assert query is not None
        events.append(("button", query.data))
        await query.answer(text=f"got {query.data}")
        await query.edit_message_text(f"You chose: <b>{query.data}</b>", parse_mode="HTML")

    async def photo(update: Update, context: Ctx) -> None:
        assert update.effective_chat is not None
        sent = await context.bot.send_photo(update.effective_chat.id, PNG, caption="Chart")
        events.append(("photo_file_id", sent.photo[-1].file_id))
        await context.bot.send_document(
            update.effective_chat.id,
            InputFile(PDF, filename="report.pdf"),
            caption="Monthly <i>report</i>",
            parse_mode="HTML",
        )

    async def keyboard(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        markup = ReplyKeyboardMarkup([["Share location", "Help"]], resize_keyboard=True)
        await update.effective_message.reply_text("Pick one", reply_markup=markup)

    async def bad_html(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        try:
            await update.effective_message.reply_html("<b>unclosed")
        except BadRequest as exc:
            events.append(("bad_html", exc.message))
            await update.effective_message.reply_text("formatting failed")

    async def echo(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None and update.effective_message.text
        events.append(("echo", update.effective_message.text))
        await update.effective_message.reply_text(update.effective_message.text)

    async def media(update: Update, context: Ctx) -> None:
        message = update.effective_message
        assert message is not None
        if message.photo:
            data = await (await message.photo[-1].get_file()).download_as_bytearray()
            events.append(("got_photo", bytes(data)))
        elif message.document:
            data = await (await message.document.get_file()).download_as_bytearray()
            events.append(("got_document", message.document.file_name, bytes(data)))
        elif message.sticker:
            events.append(("sticker", message.sticker.emoji))
        elif message.voice:
            events.append(("voice", message.voice.duration))
        elif message.location:
            events.append(("location", message.location.latitude, message.location.longitude))
        elif message.contact:
            events.append(("contact", message.contact.phone_number, message.contact.user_id))
        await message.reply_text("received")

    async def edited(update: Update, context: Ctx) -> None:
        assert update.edited_message is not None
        events.append(("edited", update.edited_message.text))

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CommandHandler("photo", photo))
    app.add_handler(CommandHandler("keyboard", keyboard))
    app.add_handler(CommandHandler("badhtml", bad_html))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED_MESSAGE, edited))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(
        MessageHandler(
            filters.PHOTO
            | filters.Document.ALL
            | filters.Sticker.ALL
            | filters.VOICE
            | filters.LOCATION
            | filters.CONTACT,
            media,
        )
    )
    return app


def events_of(app: Application[Any, Any, Any, Any, Any, Any]) -> list[Any]:
    return app.bot_data["events"]


# ------------------------------------------------------------ round trips


async def test_base_urls_and_get_me(fake_api: FakeBotApi, fake_app_builder: ApplicationBuilder) -> None:
    app = fake_app_builder.build()
    await app.initialize()
    try:
        assert app.bot.base_url == f"{fake_api.base_url}{fake_api.token}"
        assert app.bot.username == "trustline_test_bot"
        assert app.bot.id == int(fake_api.token.split(":")[0]) == fake_api.bot_id
    finally:
        await app.shutdown()
    assert fake_api.base_url.startswith("http://127.0.0.1:")
    assert [c.method for c in fake_api.calls] == ["getMe"]


async def test_text_round_trip(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    app = await start_app(tiny_bot(fake_app_builder))
    sent = await fake_user.send("Hola, hay ruido en la calle")
    reply = await fake_user.next_message()
    assert reply.text == "Hola, hay ruido en la calle"
    assert reply.reply_to_message_id is None  # reply_text does not quote by default
    assert reply.message_id == sent["message_id"] + 1  # ids are shared per chat
    assert events_of(app) == [("echo", "Hola, hay ruido en la calle")]
    await fake_user.expect_no_message(within=0.2)
    assert fake_user.inbox == [reply]


async def test_command_with_deep_link_payload(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    app = await start_app(tiny_bot(fake_app_builder))
    message = await fake_user.start("district-3")
    assert message["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    welcome = await fake_user.next_message()
    assert welcome.text == "Welcome! payload=district-3"
    assert welcome.raw_text == "Welcome! payload=<code>district-3</code>"
    assert welcome.parse_mode == "HTML"
    assert {"type": "code", "offset": 17, "length": 10} in welcome.entities
    assert events_of(app) == [("start", "district-3")]


async def test_group_commands_and_privacy_mode(fake_api: FakeBotApi, fake_app_builder, start_app) -> None:
    app = await start_app(tiny_bot(fake_app_builder))
    staff = fake_api.group("D3 Staff", "supergroup")
    officer = fake_api.user("Luis", username="luis_p")
    fake_api.add_member(staff, officer, status="administrator")

    message = await officer.command("start", "from-group", chat=staff)
    assert message["text"] == "/start@trustline_test_bot from-group"
    assert message["entities"][0]["length"] == len("/start@trustline_test_bot")
    assert (await staff.next_message()).text == "Welcome! payload=from-group"

    # Privacy mode: plain chatter is not delivered, a command for another bot neither.
    await officer.send("just chatting", chat=staff)
    await officer.send("/start@other_bot", chat=staff)
    await staff.expect_no_message(within=0.3)
    assert [m.get("text") for m in fake_api.privacy_filtered] == ["just chatting", "/start@other_bot"]

    # Once the bot is admin it sees everything.
    fake_api.set_bot_status(staff, "administrator")
    await officer.send("now visible", chat=staff)
    assert (await staff.next_message()).text == "now visible"
    assert events_of(app)[-1] == ("echo", "now visible")


async def test_inline_keyboard_press_answer_and_edit(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    app = await start_app(tiny_bot(fake_app_builder))
    await fake_user.send("/menu")
    prompt = await fake_user.next_message()
    assert prompt.buttons == ["✅ Yes, report", "No thanks", "Website"]
    assert prompt.keyboard == [["✅ Yes, report"], ["No thanks"], ["Website"]]

    with pytest.raises(AssertionError, match="available labels"):
        await fake_user.press("Maybe")
    with pytest.raises(AssertionError, match="not a callback button"):
        await fake_user.press("Website")

    query_id = await fake_user.press("Yes")  # unambiguous substring
    answer = await fake_api.wait_for_callback_answer(query_id)
    assert answer.text == "got report:yes"
    edited = await fake_user.next_edit()
    assert edited is prompt  # edited in place
    assert prompt.text == "You chose: report:yes"
    assert prompt.buttons == []  # editMessageText without reply_markup drops the keyboard
    assert [v.text for v in prompt.history] == ["File a report?"]
    assert events_of(app) == [("button", "report:yes")]

    # The same query can only be answered once, and identical edits are refused.
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_callback_query(query_id)
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_text(
                "You chose: <b>report:yes</b>", fake_user.id, prompt.message_id, parse_mode="HTML"
            )


async def test_reply_keyboard_is_visible(fake_user: FakeUser, fake_app_builder, start_app) -> None:
    await start_app(tiny_bot(fake_app_builder))
    await fake_user.send("/keyboard")
    message = await fake_user.next_message()
    assert message.keyboard == [["Share location", "Help"]]
    with pytest.raises(AssertionError, match="no bot message with an inline keyboard"):
        await fake_user.press("Help")


async def test_photo_and_document_uploads(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    app = await start_app(tiny_bot(fake_app_builder))
    await fake_user.send("/photo")
    photo = await fake_user.next_message()
    document = await fake_user.next_message()
    assert photo.kind == "photo" and photo.photo == PNG and photo.caption == "Chart"
    assert document.kind == "document" and document.document == PDF
    assert document.filename == "report.pdf"
    assert document.caption == "Monthly report"
    assert document.entities == [{"type": "italic", "offset": 8, "length": 6}]
    # The returned file_id can be re-sent without uploading again.
    file_id = events_of(app)[0][1]
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        await bot.send_photo(fake_user.id, file_id)
    resent = await fake_user.next_message()
    assert resent.photo == PNG and resent.params["photo"] == file_id
    assert not isinstance(resent.params["photo"], bytes)


async def test_user_media_reach_the_bot_and_download(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    app = await start_app(tiny_bot(fake_app_builder))
    await fake_user.send_photo(PNG, caption="broken streetlight")
    await fake_user.send_document(PDF, filename="evidence.pdf", mime_type="application/pdf")
    await fake_user.send_sticker("🚓")
    await fake_user.send_voice(duration=4)
    await fake_user.send_location(40.4168, -3.7038)
    await fake_user.send_contact("+34600111222")
    for _ in range(6):
        assert (await fake_user.next_message()).text == "received"
    assert events_of(app) == [
        ("got_photo", PNG),
        ("got_document", "evidence.pdf", PDF),
        ("sticker", "🚓"),
        ("voice", 4),
        ("location", 40.4168, -3.7038),
        ("contact", "+34600111222", fake_user.id),
    ]
    text = await fake_user.send("typo heer")
    await fake_user.next_message()
    await fake_user.edit(text, "typo here")
    await fake_api.wait_until(lambda: ("edited", "typo here") in events_of(app))


# ----------------------------------------------------------------- errors


async def test_429_is_survived_with_aio_rate_limiter(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    await start_app(tiny_bot(fake_app_builder.rate_limiter(AIORateLimiter(max_retries=2))))
    fake_api.fail_next("sendMessage", code=429, retry_after=1, chat_id=fake_user.id)
    began = time.monotonic()
    await fake_user.send("urgent")
    reply = await fake_user.next_message(timeout=5)
    assert reply.text == "urgent"
    assert time.monotonic() - began >= 1.0
    statuses = [c.status for c in fake_api.calls_to("sendMessage")]
    assert statuses == [429, 200]
    assert fake_api.calls_to("sendMessage")[0].response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


async def test_blocked_user_raises_forbidden(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    app = fake_app_builder.build()
    outcomes: list[str] = []
    member_updates: list[str] = []

    async def notify(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        try:
            await context.bot.send_message(fake_user.id, "Your report was updated")
            outcomes.append("sent")
        except Forbidden as exc:
            outcomes.append(exc.message)
        await update.effective_message.reply_text(f"notify: {outcomes[-1]}")

    async def on_member(update: Update, context: Ctx) -> None:
        assert update.my_chat_member is not None
        member_updates.append(update.my_chat_member.new_chat_member.status)

    app.add_handler(CommandHandler("notify", notify))
    app.add_handler(ChatMemberHandler(on_member, ChatMemberHandler.MY_CHAT_MEMBER))
    await start_app(app)
    staff = fake_api.group("D3 Staff")
    officer = fake_api.user("Luis")

    await fake_user.send("hi")  # Ana opens the bot
    await officer.command("notify", chat=staff)
    assert (await staff.next_message()).text == "notify: sent"
    assert (await fake_user.next_message()).text == "Your report was updated"

    fake_api.block(fake_user)  # ... then blocks it
    await officer.command("notify", chat=staff)
    assert (await staff.next_message()).text == "notify: Forbidden: bot was blocked by the user"
    await fake_api.wait_until(lambda: member_updates == ["kicked"])

    fake_api.unblock(fake_user)
    await officer.command("notify", chat=staff)
    assert (await staff.next_message()).text == "notify: sent"
    assert (await fake_user.next_message()).text == "Your report was updated"


async def test_unstarted_user_and_unknown_chat(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(fake_user.id, "hello")  # Ana never opened the bot
        with pytest.raises(BadRequest, match="(?i)chat not found"):
            await bot.send_message(-100999, "hello")
        group = fake_api.group("Team")
        fake_api.add_member(group, fake_user)
        with pytest.raises(Forbidden, match="can't initiate conversation"):
            await bot.send_message(fake_user.id, "hello")  # known from the group, not started
        fake_api.remove_bot_from(group)
        with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
            await bot.send_message(group.id, "hello")


async def test_html_validation_rejects_bad_markup(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder, start_app) -> None:
    app = await start_app(tiny_bot(fake_app_builder))
    await fake_user.send("/badhtml")
    assert (await fake_user.next_message()).text == "formatting failed"
    assert events_of(app) == [
        ("bad_html", "Can't parse entities: can't find end tag corresponding to start tag \"b\"")
    ]
    failed = fake_api.failed_calls()
    assert [(c.method, c.status) for c in failed] == [("sendMessage", 400)]
    assert failed[0].description is not None
    assert failed[0].description.startswith("Bad Request: can't parse entities")


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>unclosed", "Can't find end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("x</b>", "Unexpected end tag"),
        ("line<br>break", 'Unsupported start tag "br"'),
        ("<div>x</div>", 'Unsupported start tag "div"'),
        ("2 < 3", 'Unsupported start tag ""'),
        ('<span class="x">s</span>', "tg-spoiler"),
        ("<b></b>", None),  # valid markup, but empty text (checked by sendMessage)
    ],
)
def test_html_parser_errors(html: str, error: str | None) -> None:
    if error is None:
        assert parse_html(html).text == ""
        return
    with pytest.raises(ApiError) as info:
        parse_html(html)
    assert info.value.code == 400
    assert info.value.description.startswith("Bad Request: can't parse entities: ")
    assert error in info.value.description


def test_html_parser_accepts_telegram_subset() -> None:
    parsed = parse_html(
        '<b>Bold</b> &amp; <a href="https://t.me/x?a=1&amp;b=2">link</a> 😀 '
        '<pre><code class="language-python">x &lt; 1</code></pre> <tg-spoiler>s</tg-spoiler>'
    )
    assert parsed.text == "Bold & link 😀 x < 1 s"
    kinds = {e["type"]: e for e in parsed.entities}
    assert kinds["text_link"]["url"] == "https://t.me/x?a=1&b=2"
    assert kinds["pre"]["language"] == "python"
    assert kinds["spoiler"]["offset"] == 21  # the emoji counts as 2 UTF-16 units


def test_markdown_v2_reserved_characters() -> None:
    with pytest.raises(ApiError, match="Character '.' is reserved"):
        parse_markdown_v2("Done.")
    parsed = parse_markdown_v2(r"*Report* \#12 _received_\.")
    assert parsed.text == "Report #12 received."
    assert [e["type"] for e in parsed.entities] == ["bold", "italic"]


async def test_message_not_modified_and_edit_errors(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    await fake_user.send("hi")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        sent = await bot.send_message(fake_user.id, "Status: open", reply_markup=markup)
        with pytest.raises(BadRequest, match="(?i)message is not modified"):
            await bot.edit_message_reply_markup(fake_user.id, sent.message_id, reply_markup=markup)
        await bot.edit_message_reply_markup(fake_user.id, sent.message_id, reply_markup=None)
        with pytest.raises(BadRequest, match="(?i)message to edit not found"):
            await bot.edit_message_text("x", fake_user.id, 999)
        with pytest.raises(BadRequest, match="(?i)message can't be edited"):
            await bot.edit_message_text("x", fake_user.id, 1)  # Ana's own message
        with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
            too_long = InlineKeyboardMarkup([[InlineKeyboardButton("B", callback_data="x" * 65)]])
            await bot.send_message(fake_user.id, "too long data", reply_markup=too_long)
        with pytest.raises(BadRequest, match="(?i)message text is empty"):
            await bot.send_message(fake_user.id, "  ")
        with pytest.raises(BadRequest, match="(?i)message is too long"):
            await bot.send_message(fake_user.id, "x" * 4097)
        assert await bot.delete_message(fake_user.id, sent.message_id)
        with pytest.raises(BadRequest, match="(?i)message to delete not found"):
            await bot.delete_message(fake_user.id, sent.message_id)
    message = fake_api.messages_to(fake_user)[0]
    assert message.deleted and message.buttons == [] and message.history[0].reply_markup


# --------------------------------------------------------------- updates


async def test_offsets_never_redeliver_and_long_poll_waits(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        for text in ("one", "two", "three"):
            await fake_user.send(text)
        first = await bot.get_updates(timeout=0)
        assert [u.message.text for u in first if u.message] == ["one", "two", "three"]
        again = await bot.get_updates(timeout=0)  # not confirmed yet: delivered again
        assert [u.update_id for u in again] == [u.update_id for u in first]
        limited = await bot.get_updates(offset=first[0].update_id + 1, limit=1, timeout=0)
        assert [u.message.text for u in limited if u.message] == ["two"]
        assert await bot.get_updates(offset=first[-1].update_id + 1, timeout=0) == ()
        assert await bot.get_updates(timeout=0) == ()  # confirmed updates are gone for good

        began = time.monotonic()
        assert await bot.get_updates(timeout=0.3) == ()
        assert time.monotonic() - began >= 0.3

        poll = asyncio.create_task(bot.get_updates(timeout=5))
        await asyncio.sleep(0.1)
        await fake_user.send("four")
        began = time.monotonic()
        woken = await poll
        assert [u.message.text for u in woken if u.message] == ["four"]
        assert time.monotonic() - began < 1.0


async def test_client_base_urls_tell_which_process_polls(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    began = time.time()
    async with Bot(fake_api.token, base_url=fake_api.client_base_url("first")) as first, Bot(
        fake_api.token, base_url=fake_api.client_base_url("second")
    ) as second:
        await fake_user.send("hello")
        updates = await first.get_updates(timeout=0)
        assert [u.message.text for u in updates if u.message] == ["hello"]  # the same bot, the same queue
        assert fake_api.pollers(since=began) == {"first"}
        await second.send_message(fake_user.id, "hi")
        assert fake_api.pollers(since=began) == {"first"}  # sending is not polling
        assert [c.client for c in fake_api.calls_to("sendMessage")] == ["second"]
        later = time.time()
        await second.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        assert fake_api.pollers(since=later) == {"second"}
        assert fake_api.pollers(since=began) == {"first", "second"}
    with pytest.raises(ValueError, match="client label"):
        fake_api.client_base_url("no/slashes")


async def test_restarted_application_does_not_see_old_updates(fake_api: FakeBotApi, fake_user: FakeUser, fake_app_builder) -> None:
    from fakeapi import running_application

    app = tiny_bot(fake_app_builder)
    async with running_application(app):
        await fake_user.send("first")
        await fake_user.next_message()
    app2 = tiny_bot(application_builder(fake_api))
    async with running_application(app2):
        await fake_user.send("second")
        await fake_user.next_message()
    assert events_of(app) == [("echo", "first")]
    assert events_of(app2) == [("echo", "second")]
    assert not fake_api.updates.pending


async def test_allowed_updates_filter(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        await bot.get_updates(timeout=0, allowed_updates=["callback_query"])
        await fake_user.send("ignored")
        assert await bot.get_updates(timeout=0) == ()
        await bot.get_updates(timeout=0, allowed_updates=[])  # back to the default
        await fake_user.send("seen")
        assert [u.message.text for u in await bot.get_updates(timeout=0) if u.message] == ["seen"]


async def test_webhook_delivery(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    app = application_builder(fake_api).updater(None).build()

    async def echo(update: Update, context: Ctx) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"via webhook: {update.effective_message.text}")

    app.add_handler(MessageHandler(filters.TEXT, echo))
    secrets_seen: list[str | None] = []

    async def receive(request: web.Request) -> web.Response:
        secrets_seen.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        if secrets_seen[-1] != "s3cret":
            return web.Response(status=403)
        await app.update_queue.put(Update.de_json(await request.json(), app.bot))
        return web.Response()

    receiver = web.Application()
    receiver.router.add_post("/hook", receive)
    runner = web.AppRunner(receiver, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with app:
            await app.start()
            await app.bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="wrong")
            await fake_user.send("lost?")
            await fake_api.wait_until(lambda: len(secrets_seen) >= 2)  # retried, not dropped
            info = await app.bot.get_webhook_info()
            assert info.pending_update_count == 1 and "403" in (info.last_error_message or "")
            with pytest.raises(Conflict, match="webhook is active"):
                await app.bot.get_updates()

            await app.bot.set_webhook(f"http://127.0.0.1:{port}/hook", secret_token="s3cret")
            assert (await fake_user.next_message()).text == "via webhook: lost?"
            await fake_user.send("hello")
            assert (await fake_user.next_message()).text == "via webhook: hello"
            assert (await app.bot.get_webhook_info()).pending_update_count == 0
            await app.stop()
        assert [u["message"]["text"] for u in fake_api.webhook.delivered] == ["lost?", "hello"]
        with pytest.raises(ApiError, match="only delivers to 127.0.0.1"):
            from fakeapi.updates import validate_webhook_url

            validate_webhook_url("https://api.telegram.org/x")
    finally:
        await runner.cleanup()


# ------------------------------------------------------- chats & commands


async def test_commands_and_chat_queries(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    from telegram import BotCommand, BotCommandScopeAllPrivateChats

    staff = fake_api.group("D3 Staff", bot_status="administrator", username="d3staff")
    boss = fake_api.user("Marta")
    fake_api.add_member(staff, boss, status="creator")
    fake_api.add_member(staff, fake_user)
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        commands = [BotCommand("start", "Start"), BotCommand("report", "File a report")]
        assert await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code="es")
        assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="es") == tuple(commands)
        assert await bot.get_my_commands() == ()
        assert await bot.delete_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="es")
        assert fake_api.commands({"type": "all_private_chats"}, "es") == []
        with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
            await bot.set_my_commands([BotCommand("Bad-Command", "x")])

        chat = await bot.get_chat("@d3staff")
        assert (chat.id, chat.title, chat.type) == (staff.id, "D3 Staff", "supergroup")
        assert (await bot.get_chat_member(staff.id, bot.id)).status == "administrator"
        assert (await bot.get_chat_member(staff.id, fake_user.id)).status == "member"
        admins = await bot.get_chat_administrators(staff.id)
        assert {(a.user.id, a.status) for a in admins} == {(boss.id, "creator"), (bot.id, "administrator")}
        assert await bot.send_chat_action(staff.id, "typing")
        assert fake_api.chat_actions == [(staff.id, "typing")]
        assert await bot.leave_chat(staff.id)
        with pytest.raises(Forbidden, match="not a member"):
            await bot.send_message(staff.id, "still here?")
        assert await bot.close()
        assert await bot.log_out()


# ----------------------------------------------------- HTTP-level robustness


async def test_raw_http_errors_and_robustness(fake_api: FakeBotApi) -> None:
    base = f"{fake_api.base_url}{fake_api.token}"
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/sendCarrierPigeon", data={"chat_id": "1"}) as r:
            assert r.status == 404
            assert await r.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with http.get(f"{fake_api.base_url}999:WRONG/getMe") as r:
            assert r.status == 401 and (await r.json())["description"] == "Unauthorized"
        async with http.post(f"{base}/sendMessage", data=b"{not json", headers={"Content-Type": "application/json"}) as r:
            assert r.status == 400 and (await r.json())["ok"] is False
        async with http.post(f"{base}/sendMessage", json=["not", "an", "object"]) as r:
            assert r.status == 400
        async with http.post(f"{base}/getUpdates", data={"limit": "many"}) as r:
            assert r.status == 400
        async with http.get(f"{base}/getme") as r:  # method names are case-insensitive
            assert (await r.json())["result"]["username"] == "trustline_test_bot"
        async with http.post(f"{base}/getMe", json={}) as r:
            assert r.status == 200
        broken = b"--xyz\r\nContent-Disposition: form-data; name=chat_id\r\n\r\n1"  # never terminated
        async with http.post(
            f"{base}/sendDocument", data=broken, headers={"Content-Type": "multipart/form-data; boundary=xyz"}
        ) as r:
            assert r.status == 400
        # JSON bodies carry real types; the query string works too (as on Telegram).
        ana = fake_api.user("Ana", started=True)
        markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
        async with http.post(f"{base}/sendMessage", json={"chat_id": ana.id, "text": "json", "reply_markup": markup}) as r:
            assert (await r.json())["result"]["reply_markup"] == markup
        async with http.get(f"{base}/sendMessage", params={"chat_id": str(ana.id), "text": "query"}) as r:
            assert r.status == 200
        assert [m.text for m in ana.drain()] == ["json", "query"]
    assert [c.method for c in fake_api.unknown_calls] == ["sendCarrierPigeon"]
    assert fake_api.internal_errors == []
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        # PTB maps a 404 to InvalidToken for regular methods (the fake does not
        # implement sendDice) and to EndPointNotFound for do_api_request.
        with pytest.raises(InvalidToken, match="Not Found"):
            await bot.send_dice(1)
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("sendCarrierPigeon", api_kwargs={"chat_id": 1})
    assert [c.method for c in fake_api.unknown_calls][-2:] == ["sendDice", "sendCarrierPigeon"]


async def test_close_answers_pending_long_poll() -> None:
    api = FakeBotApi()
    await api.start()
    async with Bot(api.token, base_url=api.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=30))
        await asyncio.sleep(0.1)
        began = time.monotonic()
        await api.close()
        assert await asyncio.wait_for(poll, 3) == ()
        assert time.monotonic() - began < 2


async def test_fail_next_generic_codes(fake_api: FakeBotApi, fake_user: FakeUser) -> None:
    await fake_user.send("hi")
    fake_api.fail_next("sendMessage", code=400, description="Bad Request: chat not found", times=2)
    fake_api.fail_next("getChat", code=403)
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        for _ in range(2):
            with pytest.raises(BadRequest, match="(?i)chat not found"):
                await bot.send_message(fake_user.id, "x")
        await bot.send_message(fake_user.id, "third time lucky")
        with pytest.raises(Forbidden, match="blocked"):
            await bot.get_chat(fake_user.id)
    assert (await fake_user.next_message()).text == "third time lucky"
    with pytest.raises(AssertionError, match="sendMessage -> 400"):
        await fake_user.next_message(timeout=0.1)
