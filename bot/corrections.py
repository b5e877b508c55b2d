"""Staff corrections from a case prompt: "✏️ Correct" turns the prompt's keyboard into a small menu,
in place (no new message): the tone (negative / neutral / positive, saved at once), the nine
topics to tick and a Save, and Back to the case buttons.

Callback data carries the case id and, for topics, the ticked set as a bit mask in taxonomy order
(``fu:ct:<case>:<mask>``), so the menu keeps no state anywhere. Every press re-checks access like
every other case button (``bot.case_buttons.check_case``): whoever may handle the case may correct
it; stale and forged presses are refused and audited. Saving records one correction per message
and one audit line (``storage.cases.corrections``); every prompt of the case then shows "corrected
by staff". A topic correction that adds a sensitive topic marks the case sensitive, as the
button would, so it leaves the officer concerned at once.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import case_buttons, case_prompts
from bot.runtime import Runtime, runtime
from bot.staff import current_member, staff_texts
from bot.staff import plain_answer as _plain
from nlp.topics import TOPICS
from services.access import Member, actor_of
from services.i18n import Texts
from storage import cases as store
from storage.cases import Actor, CaseActionError, CorrectionOutcome
from storage.models_cases import CASE_RESOLVED

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE

MENU = re.compile(r"^fu:(cor|bk):(\d{1,12})$")
TONE = re.compile(r"^fu:cs:(\d{1,12}):(neg|neu|pos)$")
TICKS = re.compile(r"^fu:(ct|cts):(\d{1,12}):(\d{1,3})$")
TONES = {"neg": "negative", "neu": "neutral", "pos": "positive"}
ALL_TOPICS = (1 << len(TOPICS)) - 1


def topic_mask(topics: list[str]) -> int:
    return sum(1 << i for i, topic in enumerate(TOPICS) if topic in topics)


def mask_topics(mask: int) -> list[str]:
    return [topic for i, topic in enumerate(TOPICS) if mask & (1 << i)]


def correction_keyboard(tx: Texts, case_id: int, mask: int) -> Markup:
    rows = [[Button(tx(f"cases.btn_tone_{tone}"), callback_data=f"fu:cs:{case_id}:{code}")
             for code, tone in TONES.items()]]
    ticks = []
    for i, topic in enumerate(TOPICS):
        on = bool(mask & (1 << i))
        label = tx("cases.btn_topic_on" if on else "cases.btn_topic_off", topic=topic.replace("_", " "))
        ticks.append(Button(label, callback_data=f"fu:ct:{case_id}:{mask ^ (1 << i)}"))
    rows += [ticks[i : i + 2] for i in range(0, len(ticks), 2)]
    rows.append([Button(tx("cases.btn_save_topics"), callback_data=f"fu:cts:{case_id}:{mask}"),
                 Button(tx("cases.btn_back"), callback_data=f"fu:bk:{case_id}")])
    return Markup(rows)


def _parse(data: str) -> tuple[str, int, str] | None:
    """(action, case id, argument) of a correction button, or None when the data is not one."""
    if match := MENU.fullmatch(data):
        return match.group(1), int(match.group(2)), ""
    if match := TONE.fullmatch(data):
        return "cs", int(match.group(1)), match.group(2)
    if (match := TICKS.fullmatch(data)) and int(match.group(3)) <= ALL_TOPICS:
        return match.group(1), int(match.group(2)), match.group(3)
    return None


def _save_topics(
    session: Any, case_id: int, actor: Actor, topics: list[str], sensitive_topics: list[str]
) -> tuple[CorrectionOutcome, bool]:
    """Record the topics; a newly named sensitive topic marks the case sensitive in the same
    transaction. Returns the outcome and whether the case was marked now."""
    outcome = store.correct_topics(session, case_id, actor, topics, TOPICS)
    case = store.get_case(session, case_id)
    if case is None or case.sensitive or not set(topics) & set(sensitive_topics):
        return outcome, False
    store.mark_sensitive(session, case_id, actor)
    return outcome, True


async def _show(query: Any, markup: Markup | None) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except TelegramError as exc:  # "not modified" (a double tap), too old to edit: cosmetic
        log.debug("could not change the correction keyboard: %s", exc)


async def _menu(query: Any, rt: Runtime, tx: Texts, member: Member, action: str, case_id: int, arg: str) -> None:
    """The menu's own steps, which change nothing but the keyboard."""
    view = await rt.db.run(store.case_view, case_id)
    if view is None:
        raise CaseActionError("not_found")
    if action == "bk":
        await query.answer()
        await _show(query, case_prompts.case_keyboard(tx, view, can_unmark=member.at_least("commander")))
        return
    if not view.messages:
        raise CaseActionError("nothing_to_correct")
    current = view.corrected_topics if view.corrected_topics is not None else view.topics
    mask = topic_mask(current) if action == "cor" else int(arg)
    await query.answer(_plain(tx("cases.correct_menu")) if action == "cor" else None)
    await _show(query, correction_keyboard(tx, case_id, mask))


async def on_correction_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    parsed = _parse(query.data or "")
    chat = update.effective_chat
    if parsed is None or chat is None or chat.type != "private":
        await case_buttons.refuse(update, context)
        return
    action, case_id, arg = parsed
    rt = runtime(context)
    tx = staff_texts(rt)
    member = await current_member(context, update)
    case, stale = await rt.db.run(case_buttons.check_case, member, case_id, f"correct ({action})", chat.id)
    if member is None or case is None:
        await case_buttons.refuse(update, context, stale)
        return
    actor = actor_of(member)
    app = context.application
    try:
        if case.status == CASE_RESOLVED:
            raise CaseActionError("already_resolved")
        if action in ("cor", "ct", "bk"):
            await _menu(query, rt, tx, member, action, case_id, arg)
            return
        marked = False
        if action == "cs":
            outcome = await rt.db.run(store.correct_sentiment, case_id, actor, TONES[arg])
            answer = tx("cases.corrected_sentiment", old=_tone(tx, outcome.old), new=_tone(tx, outcome.new))
        else:
            topics = mask_topics(int(arg))
            sensitive = list(rt.settings.followup.sensitive_topics)
            outcome, marked = await rt.db.run(_save_topics, case_id, actor, topics, sensitive)
            shown = ", ".join(t.replace("_", " ") for t in topics) or tx("cases.no_topics")
            answer = tx("cases.corrected_topics", topics=shown)
            if marked:
                answer += "\n" + tx("cases.marked_sensitive")
        await query.answer(_plain(answer), show_alert=marked)
        await case_buttons.after_change(app, query, rt, case_id, member)
        if marked:
            await case_prompts.deliver_prompts(app, [case_id])
            await case_prompts.deliver_unassigned(app)
    except CaseActionError as exc:
        await rt.db.run(store.record_action, actor, "refused", case_id, f"correct ({action}): {exc.code}")
        await query.answer(_plain(tx(f"cases.err_{exc.code}")), show_alert=True)
        if exc.code == "already_resolved":
            await case_buttons.clear_buttons(query)


def _tone(tx: Texts, labels: str) -> str:
    """"negative/neutral" in the staff's language."""
    known = (*TONES.values(), "unscored")
    return "/".join(tx(f"cases.tone_{label}") if label in known else label for label in labels.split("/"))
