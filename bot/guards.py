"""Hostile and odd input, handled once and quietly before any feature handler sees it.

- Updates without a sender (channel posts, messages without ``from``) are dropped: every
  handler works for a person, and there is nobody to answer.
- Button presses whose data the bot never makes (empty, forged, or a shape that no longer
  exists) get a short "This button no longer works" and go no further, so no handler has to
  defend its parsing against arbitrary bytes, and no database sees an id that doesn't fit.
- Answering a callback query twice is harmless (:func:`answer_once`), and Telegram's expected
  refusals (a double tap, an edit that changes nothing, a resident who blocked the bot) are
  one log line, not a traceback and an apology (:func:`is_expected`).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import CallbackQuery, Update
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.runtime import runtime
from bot.text_chunks import CALLBACK_ANSWER_LIMIT, truncate_utf16
from storage.feedback import RATING_ITEMS

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
AnyApp = Application[Any, Any, Any, Any, Any, Any]

# Ids are at most 9 digits: every id column is a 32-bit integer on PostgreSQL.
_ID = r"\d{1,9}"
# Every callback_data the bot puts on a button (bot/keyboards.py, bot/staff.py, bot/case_prompts.py,
# bot/corrections.py). A new kind of button adds its shape here; tests/bot/test_hostile_input.py
# checks the keyboards.
BUTTON_SHAPES = re.compile(
    "|".join(
        (
            r"consent:(yes|no)",
            rf"district:{_ID}",
            rf"unit:(none|{_ID})",
            r"skip",
            r"fb:done",
            rf"rate:(({'|'.join(RATING_ITEMS)}):(10|[0-9]|skip)|skipall)",
            r"contact:(yes|no):[A-Z0-9-]{1,32}",
            r"complaint:[A-Z0-9-]{1,32}",
            rf"relay:{_ID}",
            r"lang:[a-z]{2,8}",
            r"forget:(yes|no)",
            rf"stf:reg:(a|d:{_ID}|u:{_ID})",
            rf"fu:(ack|rep|res|rsa|rsy|rsn|ra|esc|sen|uns|x):{_ID}",
            rf"fu:rt:{_ID}:{_ID}",
            rf"fu:hlp:{_ID}:[yn]",
            rf"fu:(cor|bk):{_ID}",
            rf"fu:cs:{_ID}:(neg|neu|pos)",
            rf"fu:(ct|cts):{_ID}:\d{{1,3}}",
        )
    )
)

# Telegram's refusals that are part of normal life, by the words of their descriptions.
EXPECTED_BAD_REQUESTS = (
    "message is not modified",
    "query is too old",
    "query id is invalid",
    "message to edit not found",
    "message can't be edited",
)


def is_known_button(data: str | None) -> bool:
    return bool(data) and BUTTON_SHAPES.fullmatch(data or "") is not None


def is_expected(error: BaseException | None) -> bool:
    """Telegram said no for an ordinary reason: nothing to fix, nobody to apologise to."""
    if isinstance(error, Forbidden):
        return True  # blocked by the user, kicked from a group: their choice
    if isinstance(error, BadRequest):
        return any(words in error.message.lower() for words in EXPECTED_BAD_REQUESTS)
    return False


async def answer_once(query: CallbackQuery, text: str | None = None, **kwargs: Any) -> bool:
    """Answer a callback query; a second answer (a double tap, two handlers) is a no-op.

    Returns False when Telegram refused because the query was already answered or too old."""
    try:
        await query.answer(truncate_utf16(text, CALLBACK_ANSWER_LIMIT) if text else text, **kwargs)
    except BadRequest as exc:
        if not is_expected(exc):
            raise
        log.debug("callback query %s already answered: %s", query.id, exc)
        return False
    return True


# --- the handlers ----------------------------------------------------------------------------


async def drop_senderless(update: object, context: Ctx) -> None:
    if isinstance(update, Update) and update.effective_user is None:
        log.debug("ignored update %s without a sender", update.update_id)
        raise ApplicationHandlerStop


async def refuse_unknown_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    user = update.effective_user
    log.debug("refused button data %r from update %s", (query.data or "")[:80], update.update_id)
    tx = runtime(context).texts(user.language_code if user else None)
    await answer_once(query, tx("general.button_gone"))
    raise ApplicationHandlerStop


async def tell_once(update: object, context: Ctx, message: str) -> None:
    """Send ``message`` to the private chat an update came from, once per update however many
    handlers failed on it."""
    if not isinstance(update, Update) or update.effective_chat is None or update.effective_chat.type != "private":
        return
    told = runtime(context).apologised
    if update.update_id in told:
        return
    told.append(update.update_id)
    try:
        await update.effective_chat.send_message(message)
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)
