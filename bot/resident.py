"""The resident conversation: consent, where, what happened, reference, ratings, contact.

The database is the source of truth: the conversation state only says which question is on
screen, so a restart (or a lost state) resumes from the resident's open submission.

Long because the conversation's steps share small helpers (texts, replies, the open submission)
and read best in the order a resident meets them; which update reaches which step is in
bot/handlers.py.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    ContextTypes,
    ConversationHandler,
    filters,
)

from bot import keyboards as kb
from bot.alerts import DELIVERED, send_alert
from bot.guards import answer_once
from bot.persistence import encode_key
from bot.runtime import Runtime, runtime
from bot.text_chunks import split_message
from nlp.analysis import TextAnalysis, analyse
from nlp.redact import redact
from services.i18n import Texts, normalise_language
from storage import cases as case_store
from storage import feedback as store
from storage import held as held_store
from storage import units as unit_store
from storage.identity import pseudonym
from storage.models import Resident, Submission, Unit, utcnow
from storage.types import local_time

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


# --- /start and consent ----------------------------------------------------------------------


async def start(update: Update, context: Ctx) -> int:
    user = update.effective_user
    assert user is not None and context.user_data is not None
    rt = runtime(context)
    context.user_data.pop("target", None)
    context.user_data.pop("token_invalid", None)
    if context.args:
        payload = context.args[0][:200]
        target = await rt.db.run(unit_store.resolve_token, payload)
        if target is None:
            context.user_data["token_invalid"] = True
        else:
            context.user_data["target"] = (target.token, target.unit_id, target.officer_id)
    resident = await _resident(context, user)
    tx = rt.texts(_language(context, user, resident))
    if resident is not None and resident.consented_at is not None:
        return await _after_consent(update, context, resident, tx("privacy.welcome_back"))
    await _reply(update, _notice(rt, tx), reply_markup=kb.consent(tx))
    return CONSENT


def _notice(rt: Runtime, tx: Texts) -> str:
    return tx(
        "privacy.notice",
        agency=rt.settings.agency.name,
        emergency=rt.settings.agency.emergency_number,
        retention_days=rt.settings.privacy.retention_days,
    )


async def on_consent(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    await _answer(query)
    tx = await _texts(update, context)
    rt = runtime(context)
    if query.data != kb.CONSENT_YES:
        dropped = await rt.db.run(held_store.drop_held, _key(update))
        await _show(update, tx("privacy.declined") + ("\n" + tx("privacy.declined_held") if dropped else ""))
        return END
    resident = await rt.db.run(store.record_consent, _pseudonym(context, user), tx.language)
    return await _after_consent(update, context, resident, _notice(rt, tx) + "\n\n" + tx("privacy.accepted"))


async def _after_consent(update: Update, context: Ctx, resident: Resident, head: str) -> int:
    """Where the report is about. ``head`` is what the live message says above the question."""
    assert context.user_data is not None and resident.id is not None
    rt = runtime(context)
    tx = rt.texts(_language(context, update.effective_user, resident))  # type: ignore[arg-type]
    context.user_data["head"] = head
    target = context.user_data.get("target")
    if target:
        token, unit_id, officer_id = target
        sub = await _open_submission(context, resident.id, unit_id, officer_id, token, tx.language)
        unit_name, officer_name = await rt.db.run(unit_store.target_names, unit_id, officer_id)
        if officer_name:
            line = tx("start.token_officer", officer=officer_name, unit=unit_name or "-")
        else:
            line = tx("start.token_unit", unit=unit_name or "-")
        return await _begin_feedback(update, context, tx, sub, head + "\n\n" + line)
    if context.user_data.pop("token_invalid", False):
        head = context.user_data["head"] = head + "\n\n" + tx("start.token_unknown")
    units = await rt.db.run(unit_store.list_units)
    if not units:
        sub = await _open_submission(context, resident.id, None, language=tx.language)
        return await _begin_feedback(update, context, tx, sub, head)
    districts = sorted({u.district for u in units})
    if len(units) <= ALL_UNITS_AT_ONCE or len(districts) == 1:
        return await _ask_unit(update, tx, head, units)
    context.user_data["districts"] = districts
    await _show(update, head + "\n\n" + tx("start.ask_district"), kb.districts(tx, districts))
    return DISTRICT


async def _ask_unit(update: Update, tx: Texts, head: str, units: list[Unit]) -> int:
    options = [(u.id, u.name) for u in units if u.id is not None]
    await _show(update, head + "\n\n" + tx("start.ask_unit"), kb.units(tx, options))
    return UNIT


async def on_district(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and context.user_data is not None and user is not None
    await _answer(query)
    tx = await _texts(update, context)
    all_units = await runtime(context).db.run(unit_store.list_units)
    districts = context.user_data.get("districts") or sorted({u.district for u in all_units})
    try:
        district = districts[int(query.data.split(":", 1)[1])]
    except (ValueError, IndexError):
        await _reply(update, tx("start.use_buttons"))
        return DISTRICT
    units = [u for u in all_units if u.district == district]
    if len(units) == 1:  # a district with one unit: the answer is already known
        return await _choose_unit(update, context, units[0].id)
    return await _ask_unit(update, tx, str(context.user_data.get("head", "")), units)


async def on_unit(update: Update, context: Ctx) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    await _answer(query)
    raw = query.data.split(":", 1)[1]
    return await _choose_unit(update, context, int(raw) if raw.isdigit() else None)


async def _choose_unit(update: Update, context: Ctx, unit_id: int | None) -> int:
    user = update.effective_user
    assert user is not None and context.user_data is not None
    rt = runtime(context)
    resident = await _resident(context, user)
    tx = rt.texts(_language(context, user, resident))
    if resident is None or resident.id is None:
        return await start(update, context)
    unit = await rt.db.run(unit_store.get_unit, unit_id) if unit_id is not None else None
    unit = unit if unit is not None and unit.active else None
    sub = await _open_submission(context, resident.id, unit.id if unit else None, language=tx.language)
    chosen = tx("start.unit_chosen", unit=unit.name) if unit else tx("start.unit_unknown")
    return await _begin_feedback(update, context, tx, sub, str(context.user_data.get("head", "")) + "\n\n" + chosen)


async def _begin_feedback(update: Update, context: Ctx, tx: Texts, sub: Submission, lead: str) -> int:
    """Ask for the story; words the resident already wrote are filed first, and they are told."""
    assert context.user_data is not None
    context.user_data.pop("head", None)
    kept = await _file_held(update, context, tx, sub)
    await _show(update, lead.strip() + "\n\n" + tx("feedback.kept" if kept else "feedback.ask"))
    if kept:
        await _acknowledge(update, context, tx, sub, kept)
    return FEEDBACK


async def _file_held(update: Update, context: Ctx, tx: Texts, sub: Submission) -> int:
    rt = runtime(context)
    held = await rt.db.run(held_store.take_held, _key(update))
    for item in held:
        await _file_text(update, context, tx, sub, item.message_id, item.text, item.received_at)
    return len(held)


# --- the story -------------------------------------------------------------------------------


async def _current(context: Ctx, user: User) -> tuple[Resident | None, Submission | None]:
    resident = await _resident(context, user)
    if resident is None or resident.id is None:
        return None, None
    return resident, await runtime(context).db.run(store.current_submission, resident.id)


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


async def _file_text(
    update: Update, context: Ctx, tx: Texts, sub: Submission, message_id: int, text: str, received: Any
) -> bool:
    """Store one message (committed before any answer) and say what safety needs said at once.
    False when Telegram redelivered a message already stored and answered."""
    rt = runtime(context)
    analysis = analyse(text, tx.language, settings=rt.settings.nlp)
    stored = await rt.db.run(
        store.store_message,
        sub,
        telegram_message_id=message_id,
        text=text,
        redacted_text=analysis.redacted,
        topics=list(analysis.topics),
        flags=analysis.flags,
        received_at=received,
    )
    if not stored.created:
        return False  # Telegram redelivered an update we already stored and answered
    rt.metrics.messages_stored.inc()
    if update.effective_chat is not None and stored.message_id is not None:
        rt.remember_chat(stored.message_id, update.effective_chat.id, tx.language)
    rt.wake_scorer()
    await _safety_replies(update, context, tx, analysis, stored.message_id)
    return True


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


async def _safety_replies(
    update: Update, context: Ctx, tx: Texts, analysis: TextAnalysis, message_id: int | None
) -> None:
    """The emergency number at once, on certain and uncertain danger alike; a duty team is named
    only when its alert was delivered (``message_id`` None: nothing stored yet, so no alert)."""
    rt = runtime(context)
    agency = rt.settings.agency
    kinds, advise = set(analysis.emergency.kinds), set(analysis.emergency.advise)
    urgent = sorted(kinds & {"emergency", "self_harm"})
    delivered = False
    if urgent and message_id is not None:
        kind = urgent[0]
        cue = analysis.emergency.cue_for(kind)  # type: ignore[arg-type]
        # The cue quotes the resident's own words: redact it like everything else staff see.
        outcome = await send_alert(
            context.application, kind=kind, message_id=message_id, cue=redact(cue) if cue else None
        )
        delivered = outcome == DELIVERED
    saved = [tx("feedback.saved_note")] if message_id is not None else []
    alerted = [tx("feedback.duty_alerted")] if delivered else []
    if "self_harm" in kinds | advise:
        await _reply(update, " ".join([tx("feedback.self_harm", emergency=agency.emergency_number), *saved, *alerted]))
    elif "emergency" in kinds:
        await _reply(update, " ".join([tx("feedback.emergency", emergency=agency.emergency_number), *saved, *alerted]))
    elif "emergency" in advise:
        await _reply(update, tx("feedback.emergency_advise", emergency=agency.emergency_number))
    if "misconduct" in kinds and message_id is not None:
        if agency.complaint_url:
            await _reply(update, tx("feedback.misconduct", complaint=agency.complaint_url))
        else:
            await _reply(update, tx("feedback.misconduct_no_url"))


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


# --- ratings, incident number, reference, contact --------------------------------------------


async def _ask_rating(update: Update, context: Ctx, tx: Texts, index: int) -> int:
    assert context.user_data is not None
    item = RATING_ITEMS[index]
    # The reference stays on screen above the questions: the resident may stop at any point.
    lines = [str(context.user_data.get("rating_lead", ""))]
    lines += [str(r) for r in context.user_data.get("rated", [])]
    lines.append(f"<b>{index + 1}/{len(RATING_ITEMS)}</b> {tx('rating.' + item)}")
    await _show(update, "\n".join(lines), kb.rating(tx, item))
    return RATING


async def _rating_submission(context: Ctx, user: User) -> Submission | None:
    """The report being rated: the one just submitted, or (after a restart lost ``user_data``)
    the resident's latest, if it was submitted recently enough for its questions to be on screen."""
    assert context.user_data is not None
    rt = runtime(context)
    sub_id = context.user_data.get("rating_sub")
    if sub_id is not None:
        return await rt.db.run(store.get_submission, sub_id)
    resident = await _resident(context, user)
    if resident is None or resident.id is None:
        return None
    return await rt.db.run(store.latest_submitted, resident.id, RATING_WINDOW)


async def on_rating(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None and context.user_data is not None
    tx = await _texts(update, context)
    _, item, value = (query.data.split(":", 2) + ["", ""])[:3]
    restarted = "rating_index" not in context.user_data  # user_data is not persisted: trust the button
    index = int(context.user_data.get("rating_index", RATING_ITEMS.index(item) if item in RATING_ITEMS else 0))
    if query.data != kb.SKIP_ALL and (item not in RATING_ITEMS or RATING_ITEMS.index(item) != index):
        # A second tap on a question already answered: say so (the only answer to this query).
        earlier = item in RATING_ITEMS and RATING_ITEMS.index(item) < index
        await _answer(query, tx("rating.already_saved" if earlier else "general.expired_button"))
        return RATING
    sub = await _rating_submission(context, user)
    if sub is None:
        await _answer(query, tx("general.expired_button"))
        await _clear_keyboard(query)
        return END
    await _answer(query)
    if restarted:
        context.user_data.update(rating_sub=sub.id, rated=[], rating_lead=tx("submit.thanks", reference=sub.reference))
    if query.data == kb.SKIP_ALL:
        return await _finish(update, context, tx, sub)
    if value != "skip" and value.isdigit():
        await runtime(context).db.run(store.set_rating, sub, item, int(value))
        rated = [
            *context.user_data.get("rated", []),
            tx("rating.recorded", item=tx("rating.short_" + item), value=int(value)),
        ]
        context.user_data["rated"] = rated
        context.user_data["rating_given"] = True
    index += 1
    context.user_data["rating_index"] = index
    if index < len(RATING_ITEMS):
        return await _ask_rating(update, context, tx, index)
    return await _finish(update, context, tx, sub)


async def on_rating_text(update: Update, context: Ctx) -> int:
    """Text while the ratings are on screen: an incident number if it looks like one (it was asked
    for with the ratings), otherwise more of the story, added to the same report."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    sub = await _rating_submission(context, user)
    if sub is None or sub.id is None:
        return await _lost(update, context)
    tx = await _texts(update, context)
    ref = message.text.strip()
    if LOOKS_LIKE_REFERENCE.match(ref):
        await runtime(context).db.run(store.update_submission, sub.id, incident_ref=ref)
        await _reply(update, tx("rating.incident_saved", incident=ref))
    elif await _file_text(update, context, tx, sub, message.message_id, message.text, message.date):
        await _reply(update, tx("rating.added_to_report"))
    return RATING


async def _submit(update: Update, context: Ctx, tx: Texts, sub: Submission) -> int:
    """Done: the report is filed and its reference shown at once, in the same message as the
    first of the optional ratings. A resident who stops here still has their reference, and it
    costs no more calls than asking the ratings first (each answer edits this one message)."""
    assert context.user_data is not None
    rt = runtime(context)
    context.user_data.pop("status", None)
    done = await rt.db.run(store.submit, sub.id)
    if rt.hooks.on_submitted is not None:
        context.application.create_task(rt.hooks.on_submitted(done.id), update=update)
    outlook = await rt.db.run(store.submission_outlook, done.id, rt.settings.followup)
    lead = [tx("submit.sorry")] if outlook.negative or outlook.sensitive else []
    lead += [tx("submit.thanks", reference=done.reference), tx("rating.intro")]
    context.user_data.update(rating_index=0, rated=[], rating_lead="\n\n".join(lead), rating_sub=done.id)
    context.user_data.pop("rating_given", None)
    return await _ask_rating(update, context, tx, 0)


async def _finish(update: Update, context: Ctx, tx: Texts, sub: Submission) -> int:
    """After the ratings: what happens next (a low rating can change it), contact, complaint."""
    assert context.user_data is not None and sub.id is not None
    rt = runtime(context)
    rated = context.user_data.pop("rating_given", False)
    for key in ("rating_index", "rated", "rating_lead", "rating_sub"):
        context.user_data.pop(key, None)
    if rated and rt.hooks.on_submitted is not None:  # a low rating may call for a follow-up
        context.application.create_task(rt.hooks.on_submitted(sub.id), update=update)
    outlook = await rt.db.run(store.submission_outlook, sub.id, rt.settings.followup)
    final = {"ref": sub.reference, "sub": sub.id, "outlook": outlook, "contact": None, "complaint": False}
    context.user_data.setdefault("final", {})[sub.reference] = final
    text, markup = _final(tx, rt, final)
    await _show(update, text, markup)
    return END


def _final(tx: Texts, rt: Runtime, final: dict[str, Any]) -> tuple[str, Any]:
    """The last message of a report: thanks, what happens next and by when, contact, complaint."""
    outlook: store.Outlook = final["outlook"]
    rules, agency = rt.settings.followup, rt.settings.agency
    sensitive = outlook.sensitive or final["complaint"]
    lines = [tx("submit.sorry")] if outlook.negative or sensitive else []
    lines.append(tx("submit.thanks", reference=final["ref"]))
    if sensitive:
        lines.append(tx("submit.next_supervisor", hours=_hours(rules.remind_after_hours)))
    elif outlook.unit or outlook.officer:
        lines.append(
            tx(
                "submit.next_unit",
                unit=outlook.unit or outlook.officer,
                hours=_hours(rules.remind_after_hours),
                escalate=_hours(rules.escalate_after_hours),
            )
        )
    else:
        lines.append(tx("submit.next_no_unit"))
    if final["complaint"]:
        lines.append(tx("submit.complaint_marked"))
        lines.append(
            tx("submit.complaint_route", complaint=agency.complaint_url)
            if agency.complaint_url
            else tx("submit.complaint_review")
        )
    if final["contact"] is None:
        lines.append(tx("submit.ask_contact"))
    else:
        lines.append(tx("submit.contact_ok" if final["contact"] else "submit.contact_declined", reference=final["ref"]))
        lines.append(tx("submit.again"))
    offer = outlook.negative and not outlook.sensitive and not final["complaint"]
    return "\n\n".join(lines), kb.final(tx, final["ref"], ask_contact=final["contact"] is None, offer_complaint=offer)


def _hours(value: float) -> str:
    return f"{value:g}"


async def on_contact(update: Update, context: Ctx) -> None:
    """Standalone (not a conversation state): the question stays answerable after a restart."""
    query = update.callback_query
    user = update.effective_user
    chat = update.effective_chat
    assert query is not None and query.data is not None and user is not None and chat is not None
    rt = runtime(context)
    _, choice, reference = (query.data.split(":", 2) + ["", ""])[:3]
    resident = await _resident(context, user)
    tx = rt.texts(_language(context, user, resident))
    if resident is None:
        await _answer(query, tx("general.expired_button"))
        return
    wants = choice == "yes"
    ok = await rt.db.run(store.set_contact_choice, resident.id, reference, wants, chat.id)
    await _answer(query, None if ok else tx("general.expired_button"))
    if not ok:
        await _clear_keyboard(query)
        return
    final = (context.user_data or {}).get("final", {}).get(reference)
    if final is not None:
        final["contact"] = wants
        await _show(update, *_final(tx, rt, final))
    else:  # the bot restarted since: say it plainly
        await _clear_keyboard(query)
        key = "submit.contact_ok" if wants else "submit.contact_declined"
        await _reply(update, tx(key, reference=reference) + "\n" + tx("submit.again"))
    if wants and rt.hooks.on_contact_requested is not None:  # follow-ups: offer "Reply" on an open case
        context.application.create_task(rt.hooks.on_contact_requested(reference), update=update)


async def on_complaint(update: Update, context: Ctx) -> None:
    """The resident says this is a complaint about how an officer behaved: a supervisor handles it
    (never the officer concerned) and the resident gets the formal complaint route."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    rt = runtime(context)
    reference = query.data.split(":", 1)[1]
    resident = await _resident(context, user)
    tx = rt.texts(_language(context, user, resident))
    sub_id = await rt.db.run(store.submission_id_of, reference)
    if (
        resident is None
        or resident.id is None
        or sub_id is None
        or not await rt.db.run(case_store.mark_conduct_complaint, sub_id, resident.id)
    ):
        await _answer(query, tx("general.expired_button"))
        return
    await _answer(query)
    if rt.hooks.on_submitted is not None:  # opens the case now that it is sensitive, if none yet
        context.application.create_task(rt.hooks.on_submitted(sub_id), update=update)
    final = (context.user_data or {}).get("final", {}).get(reference)
    if final is None:
        final = {
            "ref": reference,
            "sub": sub_id,
            "contact": False,
            "complaint": True,
            "outlook": await rt.db.run(store.submission_outlook, sub_id, rt.settings.followup),
        }
    final["complaint"] = True
    await _show(update, *_final(tx, rt, final))


# --- commands available at any point ---------------------------------------------------------


async def _lost(update: Update, context: Ctx) -> int:
    """The conversation lost track (e.g. after /forget elsewhere): start again politely."""
    tx = await _texts(update, context)
    await _reply(update, tx("general.hint"))
    return END


async def cancel(update: Update, context: Ctx) -> int:
    user = update.effective_user
    assert user is not None
    resident = await _resident(context, user)
    tx = await _texts(update, context)
    if resident is not None and resident.id is not None:
        await runtime(context).db.run(store.close_open_submissions, resident.id)
    await _reply(update, tx("general.cancelled"))
    return END


async def help_command(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = await _texts(update, context)
    await _reply(
        update, tx("general.help", agency=rt.settings.agency.name, emergency=rt.settings.agency.emergency_number)
    )


async def language_command(update: Update, context: Ctx) -> None:
    tx = await _texts(update, context)
    await _reply(update, tx("language.choose"), reply_markup=kb.languages())


async def on_language(update: Update, context: Ctx) -> None:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None and context.user_data is not None
    code = normalise_language(query.data.split(":", 1)[1])
    context.user_data["lang"] = code
    await runtime(context).db.run(store.set_language, _pseudonym(context, user), code)
    await _answer(query)
    await _clear_keyboard(query)
    await _reply(update, runtime(context).texts(code)("language.changed"))


async def mydata(update: Update, context: Ctx) -> None:
    user = update.effective_user
    assert user is not None
    rt = runtime(context)
    tx = await _texts(update, context)
    data = await rt.db.run(store.resident_data, _pseudonym(context, user))
    if data is None:
        await _reply(update, tx("mydata.none"))
        return
    for chunk in split_message(render_mydata(tx, data, rt.settings.agency.tz)):
        await _reply(update, chunk)


def render_mydata(tx: Texts, data: store.ResidentData, tz: Any) -> str:
    """Everything stored, as the resident would want to check it: each report with its follow-up
    status, who it concerns, how each message was read, and what was relayed both ways."""
    contact = "contact_none" if not data.has_contact else "contact_blocked" if data.contact_blocked else "contact_kept"
    lines = [
        tx(
            "mydata.header",
            pseudonym=data.pseudonym[:12],
            language=data.language,
            consented=data.consented_at.astimezone(tz).strftime("%Y-%m-%d") if data.consented_at else tx("mydata.no"),
            contact=tx("mydata." + contact),
        )
    ]
    for sub in data.submissions:
        lines.append("")
        lines.append(
            tx(
                "mydata.submission",
                reference=sub.reference,
                created=_local(sub.created_at, tz),
                unit=sub.unit or tx("mydata.unknown_unit"),
                status=tx("mydata.status_" + sub.status),
            )
        )
        if sub.officer:
            lines.append(tx("mydata.about_officer", officer=sub.officer))
        if sub.case_status is None:
            lines.append(tx("mydata.no_case"))
        else:
            status = tx("mydata.case_" + sub.case_status)
            lines.append(tx("mydata.case_sensitive" if sub.sensitive else "mydata.case", status=status))
        if sub.incident_ref:
            lines.append(tx("mydata.incident", incident=sub.incident_ref))
        if sub.ratings:
            lines.append(
                tx(
                    "mydata.ratings",
                    ratings=", ".join(f"{tx('rating.short_' + k)}: {v}/10" for k, v in sub.ratings.items()),
                )
            )
        if sub.contact_requested:
            lines.append(tx("mydata.contact_requested"))
        if not sub.messages:
            lines.append(tx("mydata.no_messages"))
        for msg in sub.messages:
            topics = ", ".join(t.replace("_", " ") for t in msg.topics)
            when = _local(msg.received_at, tz)
            if msg.score is None:
                lines.append(tx("mydata.message_pending", time=when, text=msg.text or "", topics=topics))
            else:
                lines.append(
                    tx(
                        "mydata.message_scored",
                        time=when,
                        text=msg.text or "",
                        topics=topics,
                        score=f"{msg.score:+.2f}",
                    )
                )
        for relay in sub.relays:
            key = "mydata.relay_to" if relay.direction == "to_resident" else "mydata.relay_from"
            lines.append(tx(key, time=_local(relay.created_at, tz), text=relay.text or ""))
    lines.append("")
    lines.append(tx("mydata.footer"))
    return "\n".join(lines)


def _local(when: Any, tz: Any) -> str:
    return local_time(when, tz)


async def forget(update: Update, context: Ctx) -> int:
    tx = await _texts(update, context)
    await _reply(update, tx("forget.confirm"), reply_markup=kb.forget(tx))
    return END


async def on_forget(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    chat = update.effective_chat
    assert query is not None and user is not None and chat is not None and context.user_data is not None
    await _answer(query)
    await _clear_keyboard(query)
    tx = await _texts(update, context)
    if query.data != kb.FORGET_YES:
        await _reply(update, tx("forget.kept"))
        return END
    erased = await runtime(context).db.run(
        store.forget_resident, _pseudonym(context, user), [encode_key((chat.id, user.id))]
    )
    context.user_data.clear()
    await _reply(update, tx("forget.done" if erased else "forget.nothing"))
    return END


# --- anything else ---------------------------------------------------------------------------


async def on_not_text(update: Update, context: Ctx) -> None:
    await _reply(update, (await _texts(update, context))("general.not_text"))


async def on_edit(update: Update, context: Ctx) -> None:
    message = update.edited_message
    user = update.effective_user
    if message is None or user is None or not message.text:
        return
    rt = runtime(context)
    resident = await _resident(context, user)
    if resident is None or resident.id is None:
        return
    tx = rt.texts(_language(context, user, resident))
    analysis = analyse(message.text, tx.language, settings=rt.settings.nlp)
    outcome = await rt.db.run(
        store.edit_message,
        resident.id,
        message.message_id,
        text=message.text,
        redacted_text=analysis.redacted,
        topics=list(analysis.topics),
        flags=analysis.flags,
    )
    if outcome.status == "edited":
        rt.wake_scorer()
        await _reply(update, tx("general.edited_applied"))
    elif outcome.status == "closed":
        await _reply(update, tx("general.edited_closed"))
    # Danger written into an edit is answered like danger in a new message, once: the stored
    # message (when the edit applied) alerts the duty chat; a report already submitted keeps its
    # words, so the resident gets the number and staff are not told about words they cannot see.
    signalled = (set(analysis.emergency.kinds) | set(analysis.emergency.advise)) & {"emergency", "self_harm"}
    if signalled - outcome.known_kinds:
        await _safety_replies(update, context, tx, analysis, outcome.message_id if outcome.status == "edited" else None)


async def on_stray_text(update: Update, context: Ctx) -> None:
    """Text nobody else took (the conversation handler normally does): a plain hint."""
    await _reply(update, (await _texts(update, context))("general.hint"))


async def resume_feedback(update: Update, context: Ctx) -> int:
    """Text when no conversation is active. In order: more of an open report (e.g. after a
    restart); an answer to the officer who wrote through the bot; otherwise the start of a new
    report, kept while the resident consents or picks the unit."""
    user, message = update.effective_user, update.effective_message
    assert user is not None and message is not None and message.text is not None and context.user_data is not None
    rt = runtime(context)
    resident, sub = await _current(context, user)
    if sub is not None:
        return await on_feedback_text(update, context)
    if resident is not None and resident.consented_at is not None:
        relays = await rt.db.run(case_store.open_relays, _pseudonym(context, user))
        if relays:
            await _answer_relay(update, context, relays)
            return END
    await rt.db.run(held_store.hold_text, _key(update), message.message_id, message.text, message.date)
    tx = rt.texts(_language(context, user, resident))
    analysis = analyse(message.text, tx.language, settings=rt.settings.nlp)
    await _safety_replies(update, context, tx, analysis, None)  # danger cannot wait for consent
    context.user_data.pop("target", None)
    if resident is not None and resident.consented_at is not None:
        return await _after_consent(update, context, resident, tx("start.new_report"))
    await _reply(update, tx("start.kept_before_consent") + "\n\n" + _notice(rt, tx), reply_markup=kb.consent(tx))
    return CONSENT


async def _answer_relay(update: Update, context: Ctx, relays: list[tuple[int, str]]) -> None:
    """A plain message while an officer is waiting for an answer goes to that officer, through the
    same path as Telegram's swipe-reply; with several such cases the resident picks one."""
    from bot import case_buttons  # the staff side owns the relay; imported late, it imports the staff module

    message = update.effective_message
    assert message is not None and message.text is not None
    if len(relays) == 1:
        await case_buttons.resident_answer(update, context, relays[0][0], message.text)
        return
    rt = runtime(context)
    await rt.db.run(held_store.drop_held, _key(update), held_store.RELAY)
    await rt.db.run(
        held_store.hold_text, _key(update), message.message_id, message.text, message.date, held_store.RELAY
    )
    tx = await _texts(update, context)
    await _reply(update, tx("relay.which_case"), reply_markup=kb.relay_cases(tx, relays))


async def on_relay_choice(update: Update, context: Ctx) -> None:
    from bot import case_buttons

    query, user = update.callback_query, update.effective_user
    assert query is not None and query.data is not None and user is not None
    rt = runtime(context)
    tx = await _texts(update, context)
    raw = query.data.split(":", 1)[1]
    held = await rt.db.run(held_store.take_held, _key(update), held_store.RELAY)
    open_ids = {case_id for case_id, _ in await rt.db.run(case_store.open_relays, _pseudonym(context, user))}
    if not held or not raw.isdigit() or int(raw) not in open_ids:
        await _answer(query, tx("general.expired_button"))
        await _clear_keyboard(query)
        return
    await _answer(query)
    await _clear_keyboard(query)
    await case_buttons.resident_answer(update, context, int(raw), "\n".join(h.text for h in held))


async def on_stale_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    await _answer(query, (await _texts(update, context))("general.expired_button"))


async def on_group_command(update: Update, context: Ctx) -> None:
    await _reply(update, (await _texts(update, context))("general.private_only"))


# --- answers outside the conversation's steps (registered in bot/handlers.py) ----------------


async def hold_until_answered(update: Update, context: Ctx) -> None:
    """Text typed while a button question is open: kept for the report, never lost."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await runtime(context).db.run(held_store.hold_text, _key(update), message.message_id, message.text, message.date)
    await _reply(update, (await _texts(update, context))("start.kept_answer_above"))


async def nothing_in_progress(update: Update, context: Ctx) -> None:
    await _reply(update, (await _texts(update, context))("general.nothing_to_cancel"))
