"""What reaches the resident side outside the conversation's steps: edits to messages already
sent, text with no conversation active (more of an open report, an answer to an officer's relayed
question, or the start of a new report), text typed while a button question is open, the choice
of case for a relayed answer, stale buttons, non-text messages and commands in groups.
"""

from __future__ import annotations

from telegram import Update

from bot import keyboards as kb
from bot.resident.common import (
    CONSENT,
    END,
    Ctx,
    _answer,
    _clear_keyboard,
    _current,
    _key,
    _language,
    _pseudonym,
    _reply,
    _resident,
    _texts,
)
from bot.resident.filing import _safety_replies
from bot.resident.start import _after_consent, _notice
from bot.resident.story import on_feedback_text
from bot.runtime import runtime
from nlp.analysis import analyse
from storage import cases as case_store
from storage import feedback as store
from storage import held as held_store

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
