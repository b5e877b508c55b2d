"""The story step: an incident number (from conversations persisted at the old first step),
each message of feedback, the live "Saved" status message (edited in place, once per burst),
flood control, and Done, which files the report.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot import keyboards as kb
from bot.resident.common import (
    BURST_SECONDS,
    FEEDBACK,
    INCIDENT_SHAPE,
    Ctx,
    _answer,
    _current,
    _language,
    _lost,
    _reply,
    _show,
    _texts,
)
from bot.resident.filing import _file_text
from bot.resident.finish import _submit
from bot.runtime import Runtime, runtime
from services.i18n import Texts
from storage import feedback as store
from storage.models import Resident, Submission, utcnow

log = logging.getLogger(__name__)


# --- the story -------------------------------------------------------------------------------


async def on_incident_text(update: Update, context: Ctx) -> int:
    """A conversation persisted at the old "incident number first" step: take it, then the story."""
    message = update.effective_message
    assert message is not None and message.text is not None and update.effective_user is not None
    tx = await _texts(update, context)
    _, sub = await _current(context, update.effective_user)
    if sub is None:
        return await _lost(update, context)
    if INCIDENT_SHAPE.match(message.text.strip()):
        await runtime(context).db.run(store.update_submission, sub.id, incident_ref=message.text.strip())
        await _reply(update, tx("feedback.ask"))
        return FEEDBACK
    return await on_feedback_text(update, context)


async def on_incident_skip(update: Update, context: Ctx) -> int:
    query = update.callback_query
    assert query is not None
    await _answer(query)
    await _show(update, (await _texts(update, context))("feedback.ask"))
    return FEEDBACK


async def on_feedback_text(update: Update, context: Ctx) -> int:
    message = update.effective_message
    user = update.effective_user
    assert message is not None and message.text is not None and user is not None and context.user_data is not None
    rt = runtime(context)
    resident, sub = await _current(context, user)
    if resident is None or sub is None:
        return await _lost(update, context)
    tx = rt.texts(_language(context, user, resident))
    limits = rt.settings.conversation
    if await _flooding(rt, resident):
        if _should_warn_flood(context.user_data):
            await _reply(update, tx("feedback.flood"))
        return FEEDBACK
    if await rt.db.run(store.message_count, sub.id) >= limits.max_messages_per_submission:
        await _reply(update, tx("feedback.too_many"), reply_markup=kb.done(tx))
        return FEEDBACK
    if await _file_text(update, context, tx, sub, message.message_id, message.text, message.date):
        await _acknowledge(update, context, tx, sub, await rt.db.run(store.message_count, sub.id))
    return FEEDBACK


async def _acknowledge(update: Update, context: Ctx, tx: Texts, sub: Submission, count: int) -> None:
    """One status message per submission, edited in place; a burst of messages is one edit."""
    assert context.user_data is not None and update.effective_chat is not None
    status = context.user_data.get("status")
    if status is None or status[0] != sub.id:
        sent = await _reply(update, _saved_text(tx, count), reply_markup=kb.done(tx))
        context.user_data["status"] = (sub.id, sent.message_id)
        runtime(context).status.edited_at[update.effective_chat.id] = time.monotonic()
        return
    chat_id = update.effective_chat.id
    live = runtime(context).status
    if chat_id in live.refreshing:
        return  # the pending refresh reads the count when it runs
    wait = BURST_SECONDS - (time.monotonic() - live.edited_at.get(chat_id, 0.0))
    if wait <= 0:  # the first message after a pause is acknowledged at once
        await _refresh_status(context, tx, chat_id, status)
        return
    live.refreshing.add(chat_id)
    context.application.create_task(_refresh_status(context, tx, chat_id, status, wait), update=update)


async def _refresh_status(context: Ctx, tx: Texts, chat_id: int, status: tuple[int, int], wait: float = 0.0) -> None:
    live = runtime(context).status
    try:
        await asyncio.sleep(wait)
    finally:
        live.refreshing.discard(chat_id)
        live.edited_at[chat_id] = time.monotonic()
    if context.user_data is None or context.user_data.get("status") != status:
        return  # Done was tapped (or a new report began) meanwhile: that message says something else now
    count = await runtime(context).db.run(store.message_count, status[0])
    try:
        await context.bot.edit_message_text(
            _saved_text(tx, count),
            chat_id=chat_id,
            message_id=status[1],
            parse_mode=ParseMode.HTML,
            reply_markup=kb.done(tx),
        )
    except TelegramError:
        log.debug("could not refresh the status message", exc_info=True)


def _saved_text(tx: Texts, count: int) -> str:
    return tx("feedback.saved_one") if count == 1 else tx("feedback.saved_many", count=count)


async def _flooding(rt: Runtime, resident: Resident) -> bool:
    since = utcnow() - timedelta(hours=1)
    count = await rt.db.run(store.messages_in_window, resident.id, since)
    return bool(count >= rt.settings.conversation.flood_messages_per_hour)


def _should_warn_flood(user_data: dict[str, Any]) -> bool:
    """Warn once per ten minutes, not once per message: a flood of warnings is a flood too."""
    now = utcnow()
    last = user_data.get("flood_warned_at")
    if last is not None and now - last < timedelta(minutes=10):
        return False
    user_data["flood_warned_at"] = now
    return True


async def on_done(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert user is not None and context.user_data is not None
    if query is not None:
        await _answer(query)
    resident, sub = await _current(context, user)
    tx = await _texts(update, context)
    if resident is None or sub is None:
        return await _lost(update, context)
    count = await runtime(context).db.run(store.message_count, sub.id)
    if not count:
        await _reply(update, tx("feedback.nothing_to_submit"))
        return FEEDBACK
    status = context.user_data.pop("status", None)
    if query is None and status is not None:  # /done typed: the status message's button is spent
        await _drop_buttons(context, update, status[1])
    return await _submit(update, context, tx, sub)


async def _drop_buttons(context: Ctx, update: Update, message_id: int) -> None:
    assert update.effective_chat is not None
    try:
        await context.bot.edit_message_reply_markup(
            chat_id=update.effective_chat.id, message_id=message_id, reply_markup=None
        )
    except TelegramError:  # cosmetic: a message too old to edit is fine as it is
        log.debug("could not clear keyboard", exc_info=True)
