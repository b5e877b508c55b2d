"""What every step of the resident conversation shares.

The conversation's states and limits, the patterns typed text is checked against, the update
filters, and the small helpers the steps are built from: the resident's pseudonym, record,
language and texts; a reply, a button's answer and the one live message each step edits; the
conversation key; the open submission; and starting again politely when the conversation lost
track.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes, ConversationHandler, filters

from bot.guards import answer_once
from bot.persistence import encode_key
from bot.runtime import runtime
from services.i18n import Texts, normalise_language
from storage import feedback as store
from storage.identity import pseudonym
from storage.models import Resident, Submission

log = logging.getLogger(__name__)

CONSENT, DISTRICT, UNIT, INCIDENT, FEEDBACK, RATING = range(6)
END = ConversationHandler.END
INCIDENT_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /#._-]{0,63}$")
# A number typed after the story is an incident reference only if it looks like one: short, one
# word, with a digit. Anything else is more of the story and is added to the report.
LOOKS_LIKE_REFERENCE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9/#._-]{2,31}$")
BURST_SECONDS = 1.0  # "Saved" is edited at most once per second: a burst of messages is one edit
ALL_UNITS_AT_ONCE = 8  # up to this many units: one keyboard, no district question
RATING_WINDOW = timedelta(days=1)  # after a restart, rating buttons this old still count
RATING_ITEMS = store.RATING_ITEMS
PRIVATE = filters.ChatType.PRIVATE
NEW_TEXT = PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

Ctx = ContextTypes.DEFAULT_TYPE


# --- helpers ---------------------------------------------------------------------------------


def _pseudonym(context: Ctx, user: User) -> str:
    return pseudonym(runtime(context).pseudonym_secret, user.id)


async def _resident(context: Ctx, user: User) -> Resident | None:
    return await runtime(context).db.run(store.find_resident, _pseudonym(context, user))


def _language(context: Ctx, user: User, resident: Resident | None = None) -> str:
    ud = context.user_data if context.user_data is not None else {}
    if "lang" in ud:
        return str(ud["lang"])
    if resident is not None:
        return resident.language
    return normalise_language(user.language_code, runtime(context).settings.agency.default_language)


async def _texts(update: Update, context: Ctx) -> Texts:
    user = update.effective_user
    assert user is not None
    resident = None if "lang" in (context.user_data or {}) else await _resident(context, user)
    return runtime(context).texts(_language(context, user, resident))


async def _reply(update: Update, text: str, **kwargs: Any) -> Message:
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(text, parse_mode=ParseMode.HTML, **kwargs)


async def _answer(query: CallbackQuery, text: str | None = None) -> None:
    await answer_once(query, text)  # a double tap must not end in "something went wrong"


async def _clear_keyboard(query: CallbackQuery) -> None:
    """Remove the buttons a resident just used, so old keyboards can't be pressed twice."""
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except Exception:
        log.debug("could not clear keyboard", exc_info=True)


async def _open_submission(
    context: Ctx,
    resident_id: int,
    unit_id: int | None,
    officer_id: int | None = None,
    token: str | None = None,
    language: str = "en",
) -> Submission:
    return await runtime(context).db.run(
        store.open_submission, resident_id, unit_id=unit_id, officer_id=officer_id, token=token, language=language
    )


# --- one live message ------------------------------------------------------------------------
# Each button edits its own message into the next step (one Bot API call, and no spent keyboard
# left behind); text steps get one "Saved" status message, edited in place per burst.


async def _show(update: Update, text: str, markup: Any = None) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            log.debug("could not edit the step in place; sending it instead", exc_info=True)
    await _reply(update, text, reply_markup=markup)


def _key(update: Update) -> str:
    """The resident's conversation key, as the persistence (and /forget) spell it."""
    assert update.effective_chat is not None and update.effective_user is not None
    return encode_key((update.effective_chat.id, update.effective_user.id))


# --- where the resident stands -------------------------------------------------------------


async def _current(context: Ctx, user: User) -> tuple[Resident | None, Submission | None]:
    resident = await _resident(context, user)
    if resident is None or resident.id is None:
        return None, None
    return resident, await runtime(context).db.run(store.current_submission, resident.id)


async def _lost(update: Update, context: Ctx) -> int:
    """The conversation lost track (e.g. after /forget elsewhere): start again politely."""
    tx = await _texts(update, context)
    await _reply(update, tx("general.hint"))
    return END
