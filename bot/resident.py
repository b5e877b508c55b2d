"""The resident conversation: consent, where, what happened, ratings, reference, contact.

The database is the source of truth: the conversation state only says which question is on
screen, so a restart (or a lost state) resumes from the resident's open submission.

Long because the conversation's steps share small helpers (texts, replies, the open submission)
and read best in the order a resident meets them; which update reaches which step is in
bot/handlers.py.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from telegram import CallbackQuery, Message, Update, User
from telegram.constants import ParseMode
from telegram.ext import (
    ContextTypes,
    ConversationHandler,
    filters,
)

from bot import keyboards as kb
from bot.alerts import send_alert
from bot.guards import answer_once
from bot.persistence import encode_key
from bot.runtime import Runtime, runtime
from bot.text_chunks import split_message
from nlp.analysis import TextAnalysis, analyse
from nlp.redact import redact
from services.i18n import Texts, normalise_language
from storage import feedback as store
from storage import units as unit_store
from storage.identity import pseudonym
from storage.models import Resident, Submission, Unit, utcnow
from storage.types import local_time

log = logging.getLogger(__name__)

CONSENT, DISTRICT, UNIT, INCIDENT, FEEDBACK, RATING = range(6)
END = ConversationHandler.END
INCIDENT_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 /#._-]{0,63}$")
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
    except Exception:  # noqa: BLE001 - cosmetic: a message too old to edit is fine as it is
        log.debug("could not clear keyboard", exc_info=True)


async def _open_submission(context: Ctx, resident_id: int, unit_id: int | None, officer_id: int | None = None, token: str | None = None, language: str = "en") -> Submission:
    return await runtime(context).db.run(
        store.open_submission, resident_id, unit_id=unit_id, officer_id=officer_id, token=token, language=language
    )


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
        await _reply(update, tx("privacy.welcome_back"))
        return await _after_consent(update, context, resident)
    await _reply(
        update,
        tx("privacy.notice", agency=rt.settings.agency.name, emergency=rt.settings.agency.emergency_number,
           retention_days=rt.settings.privacy.retention_days),
        reply_markup=kb.consent(tx),
    )
    return CONSENT


async def on_consent(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    await _answer(query)
    await _clear_keyboard(query)
    tx = await _texts(update, context)
    if query.data != kb.CONSENT_YES:
        await _reply(update, tx("privacy.declined"))
        return END
    resident = await runtime(context).db.run(store.record_consent, _pseudonym(context, user), tx.language)
    return await _after_consent(update, context, resident)


async def _after_consent(update: Update, context: Ctx, resident: Resident) -> int:
    assert context.user_data is not None and resident.id is not None
    rt = runtime(context)
    tx = rt.texts(_language(context, update.effective_user, resident))  # type: ignore[arg-type]
    target = context.user_data.get("target")
    if target:
        token, unit_id, officer_id = target
        await _open_submission(context, resident.id, unit_id, officer_id, token, tx.language)
        unit_name, officer_name = await rt.db.run(unit_store.target_names, unit_id, officer_id)
        if officer_name:
            await _reply(update, tx("start.token_officer", officer=officer_name, unit=unit_name or "-"))
        else:
            await _reply(update, tx("start.token_unit", unit=unit_name or "-"))
        return await _ask_incident(update, tx)
    if context.user_data.pop("token_invalid", False):
        await _reply(update, tx("start.token_unknown"))
    units = await rt.db.run(unit_store.list_units)
    districts = sorted({u.district for u in units})
    if not units:
        await _open_submission(context, resident.id, None, language=tx.language)
        return await _ask_incident(update, tx)
    if len(districts) == 1:
        return await _ask_unit(update, tx, [u for u in units])
    context.user_data["districts"] = districts
    await _reply(update, tx("start.ask_district"), reply_markup=kb.districts(tx, districts))
    return DISTRICT


async def _ask_unit(update: Update, tx: Texts, units: list[Unit]) -> int:
    options = [(u.id, u.name) for u in units if u.id is not None]
    await _reply(update, tx("start.ask_unit"), reply_markup=kb.units(tx, options))
    return UNIT


async def _ask_incident(update: Update, tx: Texts) -> int:
    await _reply(update, tx("start.ask_incident"), reply_markup=kb.skip(tx))
    return INCIDENT


async def on_district(update: Update, context: Ctx) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None and context.user_data is not None
    await _answer(query)
    tx = await _texts(update, context)
    districts = context.user_data.get("districts") or sorted({u.district for u in await runtime(context).db.run(unit_store.list_units)})
    try:
        district = districts[int(query.data.split(":", 1)[1])]
    except (ValueError, IndexError):
        await _reply(update, tx("start.use_buttons"))
        return DISTRICT
    await _clear_keyboard(query)
    units = [u for u in await runtime(context).db.run(unit_store.list_units) if u.district == district]
    return await _ask_unit(update, tx, units)


async def on_unit(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None
    await _answer(query)
    await _clear_keyboard(query)
    resident = await _resident(context, user)
    tx = runtime(context).texts(_language(context, user, resident))
    if resident is None or resident.id is None:
        return await start(update, context)
    raw = query.data.split(":", 1)[1]
    unit_id = None
    if raw != "none":
        unit = await runtime(context).db.run(unit_store.get_unit, int(raw)) if raw.isdigit() else None
        unit_id = unit.id if unit is not None and unit.active else None
    await _open_submission(context, resident.id, unit_id, language=tx.language)
    return await _ask_incident(update, tx)


# --- incident reference and free text --------------------------------------------------------


async def _current(context: Ctx, user: User) -> tuple[Resident | None, Submission | None]:
    resident = await _resident(context, user)
    if resident is None or resident.id is None:
        return None, None
    return resident, await runtime(context).db.run(store.current_submission, resident.id)


async def on_incident_text(update: Update, context: Ctx) -> int:
    message = update.effective_message
    assert message is not None and message.text is not None and update.effective_user is not None
    tx = await _texts(update, context)
    ref = message.text.strip()
    if not INCIDENT_SHAPE.match(ref):
        await _reply(update, tx("start.bad_incident"), reply_markup=kb.skip(tx))
        return INCIDENT
    _, sub = await _current(context, update.effective_user)
    if sub is None:
        return await _lost(update, context)
    await runtime(context).db.run(store.update_submission, sub.id, incident_ref=ref)
    return await _ask_feedback(update, tx)


async def on_incident_skip(update: Update, context: Ctx) -> int:
    query = update.callback_query
    assert query is not None
    await _answer(query)
    await _clear_keyboard(query)
    return await _ask_feedback(update, await _texts(update, context))


async def _ask_feedback(update: Update, tx: Texts) -> int:
    await _reply(update, tx("feedback.ask"))
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
    text = message.text
    analysis = analyse(text, tx.language, settings=rt.settings.nlp)
    stored = await rt.db.run(
        store.store_message,
        sub,
        telegram_message_id=message.message_id,
        text=text,
        redacted_text=analysis.redacted,
        topics=list(analysis.topics),
        flags=list(analysis.emergency.kinds),
        received_at=message.date,
    )
    if not stored.created:
        return FEEDBACK  # Telegram redelivered an update we already stored and answered
    rt.metrics.messages_stored.inc()
    rt.wake_scorer()
    await _safety_replies(update, context, tx, analysis, stored.message_id, sub)
    await _reply(update, tx("feedback.saved"), reply_markup=kb.done(tx))
    return FEEDBACK


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


async def _safety_replies(update: Update, context: Ctx, tx: Texts, analysis: TextAnalysis, message_id: int, sub: Submission) -> None:
    rt = runtime(context)
    agency = rt.settings.agency
    flags = set(analysis.emergency.kinds)
    if "self_harm" in flags:
        await _reply(update, tx("feedback.self_harm", emergency=agency.emergency_number))
    elif "emergency" in flags:
        await _reply(update, tx("feedback.emergency", emergency=agency.emergency_number))
    if "misconduct" in flags:
        if agency.complaint_url:
            await _reply(update, tx("feedback.misconduct", complaint=agency.complaint_url))
        else:
            await _reply(update, tx("feedback.misconduct_no_url"))
    urgent = flags & {"emergency", "self_harm"}
    if urgent:
        kind = sorted(urgent)[0]
        # The cue quotes the resident's own words: redact it like everything else staff see.
        cue = analysis.emergency.cue_for(kind)  # type: ignore[arg-type]
        context.application.create_task(
            send_alert(context.application, kind=kind, message_id=message_id, cue=redact(cue) if cue else None),
            update=update,
        )


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
    if not await runtime(context).db.run(store.message_count, sub.id):
        await _reply(update, tx("feedback.nothing_to_submit"))
        return FEEDBACK
    if query is not None:
        await _clear_keyboard(query)
    context.user_data["rating_index"] = 0
    await _reply(update, tx("rating.intro"))
    return await _ask_rating(update, tx, 0)


# --- ratings, reference, contact -------------------------------------------------------------


async def _ask_rating(update: Update, tx: Texts, index: int) -> int:
    item = RATING_ITEMS[index]
    await _reply(update, f"<b>{index + 1}/{len(RATING_ITEMS)}</b> {tx('rating.' + item)}", reply_markup=kb.rating(tx, item))
    return RATING


async def on_rating(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and user is not None and context.user_data is not None
    resident, sub = await _current(context, user)
    tx = await _texts(update, context)
    _, item, value = (query.data.split(":", 2) + ["", ""])[:3]
    index = int(context.user_data.get("rating_index", 0))
    if query.data != kb.SKIP_ALL and (item not in RATING_ITEMS or RATING_ITEMS.index(item) != index):
        # A second tap on a question already answered: say so (the only answer to this query).
        earlier = item in RATING_ITEMS and RATING_ITEMS.index(item) < index
        await _answer(query, tx("rating.already_saved" if earlier else "general.expired_button"))
        return RATING
    await _answer(query)
    if resident is None or sub is None:
        return await _lost(update, context)
    if query.data == kb.SKIP_ALL:
        await _clear_keyboard(query)
        return await _submit(update, context, tx, sub)
    await _clear_keyboard(query)
    if value != "skip" and value.isdigit():
        await runtime(context).db.run(store.set_rating, sub, item, int(value))
        try:
            await query.edit_message_text(
                f"{tx('rating.' + item)}\n<b>{int(value)}/10</b>", parse_mode=ParseMode.HTML
            )
        except Exception:  # noqa: BLE001 - cosmetic
            log.debug("could not echo rating", exc_info=True)
    index += 1
    context.user_data["rating_index"] = index
    if index < len(RATING_ITEMS):
        return await _ask_rating(update, tx, index)
    return await _submit(update, context, tx, sub)


async def _submit(update: Update, context: Ctx, tx: Texts, sub: Submission) -> int:
    rt = runtime(context)
    done = await rt.db.run(store.submit, sub.id)
    if rt.hooks.on_submitted is not None:
        context.application.create_task(rt.hooks.on_submitted(done.id), update=update)
    await _reply(update, tx("submit.thanks", reference=done.reference))
    await _reply(update, tx("submit.ask_contact"), reply_markup=kb.contact(tx, done.reference))
    return END


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
    await _clear_keyboard(query)
    if ok:
        key = "submit.contact_ok" if wants else "submit.contact_declined"
        await _reply(update, tx(key, reference=reference) + "\n" + tx("submit.again"))
        if wants and rt.hooks.on_contact_requested is not None:  # follow-ups: offer "Reply" on an open case
            context.application.create_task(rt.hooks.on_contact_requested(reference), update=update)


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
    await _reply(update, tx("general.help", agency=rt.settings.agency.name, emergency=rt.settings.agency.emergency_number))


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
    yes_no = {True: tx("mydata.yes"), False: tx("mydata.no")}
    lines = [
        tx(
            "mydata.header",
            pseudonym=data.pseudonym[:12],
            language=data.language,
            consented=data.consented_at.astimezone(tz).strftime("%Y-%m-%d") if data.consented_at else tx("mydata.no"),
            contact=yes_no[data.has_contact],
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
        if sub.incident_ref:
            lines.append(tx("mydata.incident", incident=sub.incident_ref))
        if sub.ratings:
            lines.append(tx("mydata.ratings", ratings=", ".join(f"{tx('rating.' + k).rstrip('.')}: {v}/10" for k, v in sub.ratings.items())))
        if sub.contact_requested:
            lines.append(tx("mydata.contact_requested"))
        if not sub.messages:
            lines.append(tx("mydata.no_messages"))
        for when, text in sub.messages:
            lines.append(tx("mydata.message", time=_local(when, tz), text=text or ""))
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
        store.edit_message, resident.id, message.message_id,
        text=message.text, redacted_text=analysis.redacted, topics=list(analysis.topics),
        flags=list(analysis.emergency.kinds),
    )
    if outcome == "edited":
        rt.wake_scorer()
        await _reply(update, tx("general.edited_applied"))
    elif outcome == "closed":
        await _reply(update, tx("general.edited_closed"))


async def on_stray_text(update: Update, context: Ctx) -> None:
    """Text outside a conversation: resume an open submission (e.g. after a restart) or hint."""
    await _reply(update, (await _texts(update, context))("general.hint"))


async def resume_feedback(update: Update, context: Ctx) -> int:
    """Entry point for text when no conversation is active but the resident has an open submission."""
    user = update.effective_user
    assert user is not None
    resident, sub = await _current(context, user)
    if resident is None or sub is None:
        await on_stray_text(update, context)
        return END
    return await on_feedback_text(update, context)


async def on_stale_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    await _answer(query, (await _texts(update, context))("general.expired_button"))


async def on_group_command(update: Update, context: Ctx) -> None:
    await _reply(update, (await _texts(update, context))("general.private_only"))


# --- answers outside the conversation's steps (registered in bot/handlers.py) ----------------


async def use_buttons(update: Update, context: Ctx) -> None:
    await _reply(update, (await _texts(update, context))("start.use_buttons"))


async def nothing_in_progress(update: Update, context: Ctx) -> None:
    await _reply(update, (await _texts(update, context))("general.nothing_to_cancel"))
