"""Follow-ups in the chat: case prompts with buttons, replies relayed both ways with both sides
anonymous, reminders and escalations, kudos, and the resident's one-tap "did this help?".

State lives in the database (cases, notes as an outbox, pending staff inputs), never in memory:
a repeating job re-scans it, so a restart in the middle of anything loses nothing. Callback data
carries a case id and nothing else; every press re-checks who is pressing (``services.access``).

Long because prompts, buttons, relays and reminders all render and re-render the same case view
and share the sending helpers that sort Telegram's failures; the case logic itself is in
storage/cases/.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from telegram import ForceReply, Message, Update
from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    filters,
)

from bot.runtime import Runtime, runtime
from bot.staff import current_member, local_time, reply, role_name, staff_texts
from bot.staff import plain_answer as _plain
from bot.text_chunks import PLACEHOLDER_LIMIT, split_message, truncate_utf16, utf16_len
from nlp.redact import redact
from services.access import Member, actor_of, is_case_subject, may_handle_case, member_units
from services.i18n import Texts
from storage import cases as store
from storage import units as unit_store
from storage.cases import Actor, CaseActionError, CaseView
from storage.identity import pseudonym
from storage.models import Staff, utcnow
from storage.models_cases import CASE_OPEN, CASE_RESOLVED, FollowupCase
from storage.staff import is_reachable

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
AnyApp = Application[Any, Any, Any, Any, Any, Any]
PRIVATE = filters.ChatType.PRIVATE

SCAN_SECONDS = 60  # reminders, escalations and the outbox are checked this often
SWEEP_SECONDS = 900  # re-evaluate recent submissions whose hooks may have been missed
SWEEP_WINDOW = timedelta(hours=48)
PENDING_TTL = timedelta(minutes=60)  # a typed reply/note is expected within this long of the button
PROMPT_BUDGET = 3900  # characters; Telegram's limit is 4096
MAX_NOTES_SHOWN = 8
MAX_KUDOS_QUOTES = 10
ACTION = re.compile(r"^fu:(ack|rep|res|rsa|rsy|rsn|ra|esc|sen|uns|x):(\d{1,12})$")
TARGET = re.compile(r"^fu:rt:(\d{1,12}):(\d{1,12})$")
HELPFUL = re.compile(r"^fu:hlp:(\d{1,12}):([yn])$")


# --- hooks the resident flow and the scoring worker call -------------------------------------


async def on_submitted(app: AnyApp, submission_id: int) -> None:
    """A resident finished a submission (``runtime.hooks.on_submitted``)."""
    await _evaluate(app, [submission_id])


async def on_messages_scored(app: AnyApp, message_ids: list[int]) -> None:
    """The scoring worker committed scores (``runtime.hooks.on_scored``)."""
    rt = runtime(app)
    submission_ids = await rt.db.run(store.submissions_of_messages, list(message_ids))
    await _evaluate(app, submission_ids)


async def on_contact_requested(app: AnyApp, reference: str) -> None:
    """The resident said "contact me" after the case was already opened: the prompts already
    sent are edited in place so the Reply button appears (no second prompt)."""
    rt = runtime(app)
    case_id = await rt.db.run(store.case_by_submission_reference, reference)
    if case_id is not None:
        await refresh_prompts(app, case_id)


async def _evaluate(app: AnyApp, submission_ids: list[int]) -> None:
    rt = runtime(app)
    opened = []
    for submission_id in submission_ids:
        try:
            outcome = await rt.db.run(store.evaluate_submission, submission_id, rt.settings.followup)
        except Exception:
            log.exception("could not evaluate submission %s for a follow-up", submission_id)
            continue
        if outcome.created and outcome.case_id is not None:
            opened.append(outcome.case_id)
    if opened:
        await deliver_prompts(app, opened)
        await deliver_unassigned(app)


# --- rendering -------------------------------------------------------------------------------


def _topic(name: str) -> str:
    return name.replace("_", " ")


def render_case(tx: Texts, rt: Runtime, view: CaseView, *, viewer_id: int | None, budget: int = PROMPT_BUDGET) -> str:
    """The prompt: redacted text, scores, topics, unit, time, reference. Never a resident's
    Telegram id, name, username or chat id: the resident is a short pseudonym at most."""
    head = [tx("cases.prompt_title", reference=view.reference, case=view.id)]
    if view.reopen_reason and view.status != CASE_RESOLVED:
        head.append(tx(f"cases.why_now_{view.reopen_reason}"))
    if view.sensitive:
        head.append(tx("cases.sensitive"))
    if view.unit_name:
        head.append(tx("cases.unit_line", unit=f"{view.unit_name} ({view.unit_code})"))
    if view.officer_id is not None:
        if viewer_id is not None and view.officer_id == viewer_id:
            head.append(tx("cases.officer_you"))
        else:
            head.append(tx("cases.officer_line", officer=view.officer_name or "?"))
    head.append(tx("cases.received_line", time=local_time(rt, view.received_at)))
    if view.resident and not view.resident_erased:
        contact = "contact_yes" if view.can_reply else ("contact_unreachable" if view.contact_requested else "contact_no")
        head.append(tx("cases.resident_line", resident=view.resident, contact=tx("cases." + contact)))
    reasons = []
    for reason in view.reasons:
        if reason == "score" and view.min_score is not None:
            reasons.append(tx("cases.reason_score", score=f"{view.min_score:+.2f}"))
        elif reason == "rating" and view.min_rating is not None:
            reasons.append(tx("cases.reason_rating", rating=view.min_rating))
        elif reason == "topic":
            reasons.append(tx("cases.reason_topic"))
    head.append(tx("cases.why_line", reasons="\x00").replace("\x00", ", ".join(reasons)))
    if view.corrected_topics is not None:
        topics = ", ".join(_topic(t) for t in view.corrected_topics) or tx("cases.no_topics")
        head.append(tx("cases.topics_corrected_line", topics=topics))
    elif view.topics:
        head.append(tx("cases.topics_line", topics=", ".join(_topic(t) for t in view.topics)))
    if view.ratings:
        head.append(tx("cases.ratings_line", ratings=", ".join(f"{k} {v}/10" for k, v in view.ratings.items())))

    tail = []
    assignee = tx("cases.you") if viewer_id is not None and view.assignee_id == viewer_id else (view.assignee_name or tx("cases.nobody"))
    if view.assignee_role and not (viewer_id is not None and view.assignee_id == viewer_id):
        assignee = f"{assignee} ({role_name(tx, view.assignee_role)})"
    line = tx("cases.status_line", status=tx("cases.status_" + view.status), assignee="\x00")
    tail.append(line.replace("\x00", html.escape(assignee, quote=False)))
    if view.escalations:
        tail.append(tx("cases.escalations", count=view.escalations))
    if view.helpful is not None:
        tail.append(tx("cases.helpful_yes" if view.helpful else "cases.helpful_no"))
    notes = [_render_note(tx, rt, n) for n in view.notes[-MAX_NOTES_SHOWN:]]
    # Keep room for the resident's words: drop the oldest history lines first.
    while notes and utf16_len("\n".join([*head, *tail, *notes])) > budget - 800:
        notes.pop(0)
    if notes:
        tail.extend(["", tx("cases.notes_title"), *notes])

    fixed = utf16_len("\n".join(head)) + utf16_len("\n".join(tail)) + 40
    room = budget - fixed
    body: list[str] = []
    if view.resident_erased or (not view.messages and view.resident is None):
        body.append(tx("cases.erased"))
    for message in view.messages:
        score = f"{message.score:+.2f}" if message.score is not None else tx("cases.score_pending")
        if message.corrected_sentiment:
            score = tx("cases.score_corrected", score=score, label=tx(f"cases.tone_{message.corrected_sentiment}"))
        limit = min(800, room - 120)
        if limit < 40:
            body.append(tx("cases.more_text", reference=view.reference))
            break
        text = truncate_utf16(message.redacted_text, limit)
        line = "<blockquote>" + tx("cases.message_line", score=score, text=text) + "</blockquote>"
        while utf16_len(line) > room - 60 and len(text) > 40:  # escaping made it longer than planned
            text = text[: len(text) * 3 // 4] + "…"
            line = "<blockquote>" + tx("cases.message_line", score=score, text=text) + "</blockquote>"
        room -= utf16_len(line) + 1
        body.append(line)
    return "\n".join([*head, *body, *tail])


def _render_note(tx: Texts, rt: Runtime, note: store.NoteView) -> str:
    when = local_time(rt, note.created_at)
    text = tx("cases.note_erased") if note.erased else (note.text or "")
    if len(text) > 300:
        text = text[:299] + "…"
    line = tx(f"cases.note_{note.kind}", time=when, author=note.author or "?", text=text)
    if note.kind in ("to_resident", "from_resident") and note.delivery in ("blocked", "failed"):
        line += tx("cases.note_undelivered")
    return line


def case_keyboard(tx: Texts, view: CaseView, *, can_unmark: bool = False) -> Markup | None:
    if view.status == CASE_RESOLVED:
        return None
    first = []
    if view.status == CASE_OPEN:
        first.append(Button(tx("cases.btn_ack"), callback_data=f"fu:ack:{view.id}"))
    if view.can_reply:
        first.append(Button(tx("cases.btn_reply"), callback_data=f"fu:rep:{view.id}"))
    second = [
        Button(tx("cases.btn_resolve"), callback_data=f"fu:res:{view.id}"),
        Button(tx("cases.btn_reassign"), callback_data=f"fu:ra:{view.id}"),
        Button(tx("cases.btn_escalate"), callback_data=f"fu:esc:{view.id}"),
    ]
    third = [Button(tx("cases.btn_correct"), callback_data=f"fu:cor:{view.id}")] if view.messages else []
    if not view.sensitive:
        third.append(Button(tx("cases.btn_mark_sensitive"), callback_data=f"fu:sen:{view.id}"))
    elif can_unmark:  # only commanders and admins may lift it (checked again on the press)
        third.append(Button(tx("cases.btn_unmark_sensitive"), callback_data=f"fu:uns:{view.id}"))
    return Markup([row for row in (first, second, third) if row])


# --- sending, with Telegram's failures sorted into what to do about them ---------------------


async def _send(app: AnyApp, chat_id: int, text: str, markup: Any = None) -> tuple[str, Message | None, str | None]:
    """('sent', message, None) or (blocked | failed | retry, None, error)."""
    try:
        message = await app.bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        return "sent", message, None
    except Forbidden as exc:
        return "blocked", None, str(exc)
    except BadRequest as exc:
        return "failed", None, str(exc)
    except TelegramError as exc:  # network trouble, flood limits after the limiter's retries
        return "retry", None, str(exc)


async def deliver_prompts(app: AnyApp, case_ids: list[int] | None = None) -> None:
    """Send each case to its current assignee once. An assignee who blocked the bot (or left) is
    noted on the case and the case escalates at once, so nothing waits on someone unreachable.
    Whoever held the case before has their prompt cut to a one-line status first."""
    rt = runtime(app)
    tx = staff_texts(rt)
    for _ in range(4):  # each round follows the escalations of the previous one
        claimed = await rt.db.run(store.claim_unnotified, case_ids)
        if not claimed:
            return
        again = []
        for case_id in claimed:
            await refresh_prompts(app, case_id)
            target = await rt.db.run(store.assignee_target, case_id)
            if target is None:
                await rt.db.run(store.auto_escalate, case_id, "assignee no longer reachable")
                again.append(case_id)
                continue
            view = await rt.db.run(store.case_view, case_id)
            if view is None:
                continue
            can_unmark = await rt.db.run(_may_unmark_staff, target.staff_id)
            text = render_case(tx, rt, view, viewer_id=target.staff_id)
            outcome, _, error = await _send_prompt(
                app, case_id, target.staff_id, target.chat_id, text, case_keyboard(tx, view, can_unmark=can_unmark)
            )
            if outcome == "retry":
                await rt.db.run(store.release_notification, case_id)
            elif outcome != "sent":
                log.warning("case %s: assignee #%s unreachable (%s); escalating", case_id, target.staff_id, error)
                await rt.db.run(_assignee_unreachable, case_id, target.staff_id, outcome)
                again.append(case_id)
        case_ids = again
        if not again:
            return


def _may_unmark_staff(session: Any, staff_id: int | None) -> bool:
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    return staff_id is None or (staff is not None and staff.role in ("commander", "admin"))


async def _send_prompt(
    app: AnyApp, case_id: int, staff_id: int | None, chat_id: int, text: str, markup: Any
) -> tuple[str, Message | None, str | None]:
    """Send a prompt and remember it as this person's one prompt for the case; a prompt it
    replaces in the same chat loses its buttons."""
    rt = runtime(app)
    outcome, message, error = await _send(app, chat_id, text, markup)
    if message is not None:
        replaced = await rt.db.run(store.record_prompt, case_id, staff_id, chat_id, message.message_id)
        if replaced is not None:
            await _strip(app, chat_id, replaced)
    return outcome, message, error


async def _strip(app: AnyApp, chat_id: int, message_id: int) -> None:
    try:
        await app.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
    except TelegramError as exc:  # already without buttons, deleted, too old: nothing to take back
        log.debug("could not clear the buttons of %s/%s: %s", chat_id, message_id, exc)


def _prompt_plan(session: Any, case_id: int) -> list[tuple[store.PromptRef, str, bool]]:
    """For each live prompt of the case: "keep" (the person still holds it: re-render with
    buttons), or the one-line status it becomes ("resolved", "moved", "handed_on"); plus whether
    that person may lift the sensitive mark."""
    case = store.get_case(session, case_id)
    if case is None:
        return []
    plan = []
    for prompt in store.live_prompts(session, case_id):
        subject = case.sensitive and prompt.staff_id is not None and prompt.staff_id == case.officer_id
        holds = case.assignee_id == prompt.staff_id  # both None: a bootstrap admin holds an unowned case
        if case.status == CASE_RESOLVED:
            fate = "resolved"
        elif subject:
            fate = "handed_on"  # the officer concerned learns nothing about where it went
        else:
            fate = "keep" if holds else "moved"
        plan.append((prompt, fate, _may_unmark_staff(session, prompt.staff_id)))
    return plan


def _holder_line(session: Any, case_id: int) -> tuple[str, str | None]:
    """(name, role) of whoever holds the case now; ("", None) when only the admins do."""
    case = store.get_case(session, case_id)
    staff = session.get(Staff, case.assignee_id) if case and case.assignee_id else None
    return (staff.display_name, staff.role) if staff else ("", None)


def _gone_text(tx: Texts, fate: str, reference: str, holder: tuple[str, str | None]) -> str:
    if fate == "resolved":
        return tx("cases.gone_resolved", reference=reference)
    if fate == "handed_on":
        return tx("cases.gone_handed_on", reference=reference)
    name, role = holder
    if role is None:
        return tx("cases.gone_to_admins", reference=reference)
    return tx("cases.gone_to", reference=reference, name=name, role=role_name(tx, role))


async def refresh_prompts(app: AnyApp, case_id: int) -> set[tuple[int, int]]:
    """Bring every live prompt of the case up to date: the holder's shows the case as it is now
    (status line, Reply button once the resident asks to be contacted); anyone else's becomes a
    one-line status without buttons. Returns the (chat, message) pairs edited."""
    rt = runtime(app)
    tx = staff_texts(rt)
    plan = await rt.db.run(_prompt_plan, case_id)
    if not plan:
        return set()
    view = await rt.db.run(store.case_view, case_id)
    if view is None:
        return set()
    holder = await rt.db.run(_holder_line, case_id)
    edited = set()
    for prompt, fate, can_unmark in plan:
        if fate == "keep":
            text, markup = (
                render_case(tx, rt, view, viewer_id=prompt.staff_id),
                case_keyboard(tx, view, can_unmark=can_unmark),
            )
        else:
            text, markup = _gone_text(tx, fate, view.reference, holder), None
            await rt.db.run(store.retire_prompt, prompt.id)
        try:
            await app.bot.edit_message_text(
                text,
                chat_id=prompt.chat_id,
                message_id=prompt.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
            )
        except TelegramError as exc:  # "not modified", deleted, too old: the next press re-checks anyway
            log.debug("could not update prompt %s of case %s: %s", prompt.id, case_id, exc)
        edited.add((prompt.chat_id, prompt.message_id))
    return edited


def _assignee_unreachable(session: Any, case_id: int, staff_id: int, outcome: str) -> None:
    why = "blocked the bot" if outcome == "blocked" else "cannot be reached"
    store.note_system(session, case_id, f"prompt not delivered: staff #{staff_id} {why}", action="delivery_failed")
    store.auto_escalate(session, case_id, "assignee unreachable")


async def deliver_unassigned(app: AnyApp) -> None:
    """Cases nobody enrolled can take go to the bootstrap admins (the full prompt, in private)
    and to the registered staff chats (a notice without the resident's words). A case reaching
    nobody at all is logged as an error and counted in the admins' daily summary."""
    rt = runtime(app)
    tx = staff_texts(rt)
    for notice in await rt.db.run(store.claim_unassigned):
        reached = 0
        view = await rt.db.run(store.case_view, notice.case_id)
        for admin_id in rt.settings.telegram.admin_ids:
            if view is None:
                break
            text = tx("cases.unowned_to_admin") + "\n\n" + render_case(tx, rt, view, viewer_id=None, budget=3600)
            outcome, _, error = await _send_prompt(
                app, notice.case_id, None, admin_id, text, case_keyboard(tx, view, can_unmark=True)
            )
            reached += outcome == "sent"
            if outcome != "sent":
                log.warning("could not tell bootstrap admin %s about %s: %s", admin_id, notice.reference, error)
        for chat_id in notice.chat_ids:
            outcome, _, error = await _send(
                app, chat_id, tx("cases.unassigned", reference=notice.reference, unit=notice.unit)
            )
            reached += outcome == "sent"
            if outcome != "sent":
                log.warning("could not tell staff chat %s about %s: %s", chat_id, notice.reference, error)
        if not reached:
            log.error(
                "follow-up %s reached nobody: no enrolled staff, no reachable bootstrap admin, no staff chat",
                notice.reference,
            )


async def tell_admins_unowned(app: AnyApp) -> int:
    """The admins' daily line: "N cases have nobody to handle them" (nothing when N is 0)."""
    rt = runtime(app)
    count = await rt.db.run(store.unowned_open_cases)
    if count:
        tx = staff_texts(rt)
        for admin_id in rt.settings.telegram.admin_ids:
            await _send(app, admin_id, tx("cases.unowned_summary", count=count))
        if not rt.settings.telegram.admin_ids:
            log.error("%d follow-up cases have nobody to handle them and telegram.admin_ids is empty", count)
    return count


async def warn_routing_gaps(app: AnyApp) -> None:
    """Start-up step: one warning line per gap that would leave a case with nobody."""
    rt = runtime(app)
    gaps = await rt.db.run(
        lambda s: store.routing_gaps(
            s, duty_chat_id=rt.settings.agency.duty_chat_id, admin_ids=list(rt.settings.telegram.admin_ids)
        )
    )
    for line in gaps.lines():
        log.warning("routing: %s", line)


async def deliver_relays(app: AnyApp, note_ids: list[int] | None = None) -> dict[int, str]:
    """Relay queued messages: staff replies to residents, resident answers to the assignee."""
    rt = runtime(app)
    tx = staff_texts(rt)
    outcomes: dict[int, str] = {}
    for note_id in await rt.db.run(store.claim_relays, note_ids):
        item = await rt.db.run(store.relay, note_id)
        if item is None:
            continue
        if item.chat_id is None:
            outcome, message, error = "failed", None, "nobody to deliver to"
        elif item.kind == "to_resident":
            rtx = rt.texts(item.language)
            text = rtx("cases.to_resident", agency=rt.settings.agency.name, reference=item.reference, text=item.text)
            markup = ForceReply(
                input_field_placeholder=truncate_utf16(
                    _plain(rtx("cases.resident_reply_placeholder")), PLACEHOLDER_LIMIT
                )
            )
            outcome, message, error = await _send(app, item.chat_id, text, markup)
        else:
            text = tx("cases.resident_answer", reference=item.reference, text=item.text)
            markup = Markup([[Button(tx("cases.btn_reply"), callback_data=f"fu:rep:{item.case_id}")]])
            outcome, message, error = await _send(app, item.chat_id, text, markup)
        await rt.db.run(
            store.finish_relay,
            note_id,
            outcome,
            telegram_message_id=message.message_id if message else None,
            error=error,
        )
        outcomes[note_id] = outcome
    return outcomes


def closer_words(tx: Texts, rt: Runtime, closing: store.Closing) -> str:
    """Who closed it, as the resident reads it ("the District 3 Patrol supervisor")."""
    agency = rt.settings.agency.name
    if closing.role in ("officer", "supervisor") and closing.unit:
        return tx(f"cases.closer_{closing.role}", unit=closing.unit, agency=agency)
    if closing.role == "commander":
        return tx("cases.closer_commander", agency=agency)
    return tx("cases.closer_agency", agency=agency)


async def deliver_status_messages(app: AnyApp) -> None:
    """Tell residents who asked to be contacted that their case was closed, and ask "did this
    help?". The staff note is quoted only when its author chose to share it; otherwise the
    message says honestly who reviewed and closed it."""
    rt = runtime(app)
    for case_id in await rt.db.run(store.claim_status_messages):
        contact = await rt.db.run(store.resident_contact, case_id)
        reference = await rt.db.run(store.case_reference, case_id)
        if contact is None:
            await rt.db.run(store.finish_status_message, case_id, "gone")
            continue
        rtx = rt.texts(contact.language)
        markup = Markup(
            [
                [
                    Button(rtx("cases.help_yes"), callback_data=f"fu:hlp:{case_id}:y"),
                    Button(rtx("cases.help_no"), callback_data=f"fu:hlp:{case_id}:n"),
                ]
            ]
        )
        closing = await rt.db.run(store.closing_of, case_id)
        closer = closer_words(rtx, rt, closing)
        if closing.note:
            note = html.escape(truncate_utf16(closing.note, 1500), quote=False)
            text = rtx("cases.resident_resolved_shared", reference=reference or "", closer="\x00", note="\x01")
            text = text.replace("\x00", html.escape(closer, quote=False)).replace("\x01", note)
        else:
            text = rtx("cases.resident_resolved", reference=reference or "", closer="\x00").replace(
                "\x00", html.escape(closer, quote=False)
            )
        outcome, message, _ = await _send(app, contact.chat_id, text, markup)
        final = {"sent": "sent", "blocked": "blocked", "retry": "retry"}.get(outcome, "gone")
        await rt.db.run(store.finish_status_message, case_id, final, message.message_id if message else None)


# --- jobs ------------------------------------------------------------------------------------


async def scan_once(app: AnyApp, now: datetime | None = None) -> None:
    """One pass of the repeating job: reminders, escalations, then everything still unsent."""
    rt = runtime(app)
    rules = rt.settings.followup
    now = now or utcnow()
    due = await rt.db.run(
        store.due_actions, now, timedelta(hours=rules.remind_after_hours), timedelta(hours=rules.escalate_after_hours)
    )
    for item in due:
        try:
            if item.action == "remind":
                await _remind(app, item.case_id)
            elif item.action == "no_reply":
                await _escalate_no_reply(app, item.case_id)
            else:
                await _escalate_ignored(app, item.case_id)
        except Exception:
            log.exception("follow-up %s: %s failed", item.case_id, item.action)
    await deliver_prompts(app)
    await deliver_unassigned(app)
    await deliver_relays(app)
    await deliver_status_messages(app)


async def _remind(app: AnyApp, case_id: int) -> None:
    rt = runtime(app)
    if not await rt.db.run(store.claim_reminder, case_id):
        return
    target = await rt.db.run(store.assignee_target, case_id)
    view = await rt.db.run(store.case_view, case_id)
    if target is None or view is None:
        return
    tx = staff_texts(rt)
    hours = f"{rt.settings.followup.escalate_after_hours:g}"
    text = (
        tx("cases.reminder", reference=view.reference, hours=hours)
        + "\n\n"
        + render_case(tx, rt, view, viewer_id=target.staff_id, budget=3500)
    )
    can_unmark = await rt.db.run(_may_unmark_staff, target.staff_id)
    # The reminder becomes their one prompt for the case (the earlier one loses its buttons).
    outcome, _, _ = await _send_prompt(
        app, case_id, target.staff_id, target.chat_id, text, case_keyboard(tx, view, can_unmark=can_unmark)
    )
    if outcome in ("blocked", "failed"):
        await rt.db.run(_assignee_unreachable, case_id, target.staff_id, outcome)
        await deliver_prompts(app, [case_id])


async def _escalate_ignored(app: AnyApp, case_id: int) -> None:
    rt = runtime(app)
    previous = await rt.db.run(store.assignee_target, case_id)
    new = await rt.db.run(store.auto_escalate, case_id, "not acknowledged in time")
    if new is None:
        return
    if previous is not None:
        tx = staff_texts(rt)
        reference = await rt.db.run(store.case_reference, case_id)
        await _send(app, previous.chat_id, tx("cases.escalated_away", reference=reference or "", name=new.display_name))
    await deliver_prompts(app, [case_id])


async def _escalate_no_reply(app: AnyApp, case_id: int) -> None:
    """The resident asked to hear back and nobody replied in time: one level up, the new
    assignee is told why, and the resident hears that it moved and how to complain formally."""
    rt = runtime(app)
    previous = await rt.db.run(store.assignee_target, case_id)
    new = await rt.db.run(store.auto_escalate, case_id, "the resident asked to hear back and had no reply", "no_reply")
    if new is None:
        return
    reference = await rt.db.run(store.case_reference, case_id) or ""
    if previous is not None:
        tx = staff_texts(rt)
        await _send(
            app, previous.chat_id, tx("cases.escalated_away_no_reply", reference=reference, name=new.display_name)
        )
    await deliver_prompts(app, [case_id])
    contact = await rt.db.run(store.resident_contact, case_id)
    if contact is not None:
        rtx = rt.texts(contact.language)
        text = (
            rtx("cases.resident_no_reply", reference=reference, who=rtx(f"cases.who_{new.role}"))
            + "\n\n"
            + complaint_route(rtx, rt)
        )
        _, sent, _ = await _send(app, contact.chat_id, text)
        await rt.db.run(
            store.record_resident_notice,
            case_id,
            "told the reply is late and who has it now; formal route offered",
            sent.message_id if sent else None,
        )


def complaint_route(rtx: Texts, rt: Runtime) -> str:
    """The formal route, for a resident we have not served well."""
    url = rt.settings.agency.complaint_url
    return rtx("cases.complaint_url", url=url) if url else rtx("cases.complaint_review")


async def sweep_once(app: AnyApp) -> None:
    rt = runtime(app)
    ids = await rt.db.run(store.recent_submissions_without_case, utcnow() - SWEEP_WINDOW)
    if ids:
        await _evaluate(app, ids)


async def send_kudos(app: AnyApp) -> int:
    """The daily batch: each officer gets the positive (redacted) messages about them."""
    rt = runtime(app)
    tx = staff_texts(rt)
    sent = 0
    for batch in await rt.db.run(store.due_kudos):
        if not batch.quotes:
            await rt.db.run(store.mark_kudos_sent, batch.item_ids)
            continue
        lines = [tx("kudos.title")]
        for quote in batch.quotes[:MAX_KUDOS_QUOTES]:
            lines.append(tx("kudos.quote", text=quote if len(quote) <= 600 else quote[:599] + "…"))
        if len(batch.quotes) > MAX_KUDOS_QUOTES:
            lines.append(tx("kudos.more", count=len(batch.quotes) - MAX_KUDOS_QUOTES))
        outcome = "sent"
        for chunk in split_message("\n".join(lines)):
            outcome, _, error = await _send(app, batch.chat_id, chunk)
            if outcome != "sent":
                log.warning("kudos for staff #%s not delivered: %s", batch.officer_id, error)
                break
        if outcome != "retry":  # delivered, or the officer cannot be reached: do not pile up
            await rt.db.run(store.mark_kudos_sent, batch.item_ids)
            sent += outcome == "sent"
    return sent


def kudos_time(rt: Runtime) -> time:
    raw = rt.settings.followup.kudos_time
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", raw.strip())
    if match is None:
        log.warning("followup.kudos_time %r is not HH:MM; using 17:00", raw)
        return time(17, 0, tzinfo=rt.settings.agency.tz)
    return time(int(match.group(1)), int(match.group(2)), tzinfo=rt.settings.agency.tz)


async def _scan_job(context: Ctx) -> None:
    await scan_once(context.application)


async def _sweep_job(context: Ctx) -> None:
    await sweep_once(context.application)


async def _kudos_job(context: Ctx) -> None:
    await send_kudos(context.application)


async def _unowned_job(context: Ctx) -> None:
    await tell_admins_unowned(context.application)


async def startup(app: AnyApp) -> None:
    """Start-up step (``build_application(extra_startup=[...])``): hooks and jobs."""
    rt = runtime(app)
    rt.hooks.on_submitted = partial(on_submitted, app)
    rt.hooks.on_scored = partial(on_messages_scored, app)
    rt.hooks.on_contact_requested = partial(on_contact_requested, app)
    jq = app.job_queue
    if jq is None:  # pragma: no cover - the job-queue extra is a hard dependency
        return
    jq.run_repeating(_scan_job, interval=SCAN_SECONDS, first=5, name="followups-scan")
    jq.run_repeating(_sweep_job, interval=SWEEP_SECONDS, first=30, name="followups-sweep")
    jq.run_daily(_kudos_job, time=kudos_time(rt), name="followups-kudos")
    jq.run_daily(_unowned_job, time=kudos_time(rt), name="followups-unowned-summary")


# --- staff buttons ---------------------------------------------------------------------------


def _check_case(
    session: Any, member: Member | None, case_id: int, action: str, chat_id: int
) -> tuple[FollowupCase | None, str | None]:
    """(case, None) when the presser may act; otherwise (None, why) with the refusal audited.
    ``why`` is a visible, stale-button answer ("now with …", "already resolved") for someone
    who was shown this case before, and None (the plain "not available") for anyone else."""
    case = store.get_case(session, case_id)
    if case is not None and may_handle_case(session, member, case):
        return case, None
    actor = actor_of(member) if member else Actor(None, "non-staff")
    stale = None
    if (
        case is not None
        and member is not None
        and not is_case_subject(member, case)
        and store.had_prompt(session, case_id, member.staff_id, chat_id)
    ):
        if case.status == CASE_RESOLVED:
            stale = "resolved"
        else:
            name, role = _holder_line(session, case_id)
            stale = f"{name}\x00{role or ''}"
    store.audit_denied(session, case_id, actor, f"{action} (stale button)" if stale else action)
    return None, stale


def _stale_text(tx: Texts, stale: str) -> str:
    if stale == "resolved":
        return tx("cases.err_already_resolved")
    name, role = stale.split("\x00")
    if not role:
        return tx("cases.stale_admins")
    return tx("cases.stale_now_with", name=name, role=role_name(tx, role))


async def _refuse(update: Update, context: Ctx, stale: str | None = None) -> None:
    query = update.callback_query
    if query is not None:
        tx = staff_texts(runtime(context))
        await query.answer(_plain(_stale_text(tx, stale) if stale else tx("staff.not_allowed")), show_alert=True)
        if stale:
            await _clear_buttons(query)


async def on_case_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    match = ACTION.fullmatch(data) or TARGET.fullmatch(data)
    chat = update.effective_chat
    if match is None or chat is None or chat.type != "private":
        await _refuse(update, context)
        return
    rt = runtime(context)
    tx = staff_texts(rt)
    action = "rt" if data.startswith("fu:rt:") else match.group(1)
    case_id = int(match.group(1) if action == "rt" else match.group(2))
    member = await current_member(context, update)
    case, stale = await rt.db.run(_check_case, member, case_id, action, chat.id)
    if member is None or case is None:
        await _refuse(update, context, stale)
        return
    actor = actor_of(member)
    app = context.application
    try:
        if action == "ack":
            await rt.db.run(store.acknowledge, case_id, actor)
            await query.answer(_plain(tx("cases.acknowledged")))
            await _after_change(app, query, rt, case_id, member)
        elif action == "esc":
            target = await rt.db.run(store.escalate, case_id, actor)
            await query.answer(
                _plain(tx("cases.escalated", name=target.display_name, role=role_name(tx, target.role))),
                show_alert=True,
            )
            await _after_change(app, query, rt, case_id, member)
            await deliver_prompts(app, [case_id])
        elif action == "rep":
            if await rt.db.run(store.resident_contact, case_id) is None:
                raise CaseActionError("no_contact")
            await _ask(update, query, rt, member, case_id, "reply", tx("cases.ask_reply", reference=case.reference))
        elif action == "res":
            if case.status == CASE_RESOLVED:
                raise CaseActionError("already_resolved")
            if await rt.db.run(store.awaiting_reply, case):
                # No silent closure: closing on someone still waiting to hear back is a choice.
                await query.answer()
                await reply(
                    update,
                    tx("cases.confirm_resolve_unreplied", reference=case.reference),
                    reply_markup=Markup(
                        [
                            [Button(tx("cases.btn_resolve_anyway"), callback_data=f"fu:rsa:{case_id}")],
                            [Button(tx("cases.btn_reply_first"), callback_data=f"fu:rep:{case_id}")],
                        ]
                    ),
                )
            else:
                await _resolve_next(update, query, rt, member, case)
        elif action == "rsa":
            if case.status == CASE_RESOLVED:
                raise CaseActionError("already_resolved")
            await _clear_buttons(query)
            await _resolve_next(update, query, rt, member, case)
        elif action in ("rsy", "rsn"):
            if case.status == CASE_RESOLVED:
                raise CaseActionError("already_resolved")
            await _clear_buttons(query)
            shared = action == "rsy"
            await _ask(
                update,
                query,
                rt,
                member,
                case_id,
                "resolve_share" if shared else "resolve",
                tx("cases.ask_resolve_shared" if shared else "cases.ask_resolve_internal", reference=case.reference),
            )
        elif action == "sen":
            moved_to = await rt.db.run(store.mark_sensitive, case_id, actor)
            await query.answer(_plain(tx("cases.marked_sensitive")), show_alert=True)
            await _after_change(app, query, rt, case_id, member)
            if moved_to is not None:
                await deliver_prompts(app, [case_id])
            else:
                await deliver_unassigned(app)
        elif action == "uns":
            if not member.at_least("commander"):
                await rt.db.run(store.audit_denied, case_id, actor, "unmark sensitive")
                await query.answer(_plain(tx("cases.unmark_commanders_only")), show_alert=True)
                return
            await rt.db.run(store.unmark_sensitive, case_id, actor)
            await query.answer(_plain(tx("cases.unmarked_sensitive")))
            await _after_change(app, query, rt, case_id, member)
        elif action == "ra":
            if case.status == CASE_RESOLVED:
                raise CaseActionError("already_resolved")
            people = await rt.db.run(lambda s: store.reassign_candidates(s, case, exclude=[member.staff_id]))
            if not people:
                await query.answer(_plain(tx("cases.no_candidates")), show_alert=True)
                return
            await query.answer()
            rows = [
                [Button(f"{p.display_name} · {_plain(role_name(tx, p.role))}", callback_data=f"fu:rt:{case_id}:{p.id}")]
                for p in people[:20]
            ]
            rows.append([Button(tx("cases.btn_cancel"), callback_data=f"fu:x:{case_id}")])
            await reply(update, tx("cases.ask_reassign_target", reference=case.reference), reply_markup=Markup(rows))
        elif action == "rt":
            target_id = int(match.group(2))
            people = await rt.db.run(lambda s: store.reassign_candidates(s, case, exclude=[member.staff_id]))
            target = next((p for p in people if p.id == target_id), None)
            if target is None or case.status == CASE_RESOLVED:
                raise CaseActionError("bad_target" if case.status != CASE_RESOLVED else "already_resolved")
            await _clear_buttons(query)
            await _ask(
                update,
                query,
                rt,
                member,
                case_id,
                "reassign",
                tx("cases.ask_reassign_note", name=target.display_name, reference=case.reference),
                target_id,
            )
        elif action == "x":
            if member.staff_id is not None:
                await rt.db.run(store.clear_pending, member.staff_id)
            await query.answer(_plain(tx("staff.cancelled")))
            await _clear_buttons(query)
    except CaseActionError as exc:
        # A refusal is part of the record too (docs/staff.md: refusals are audited).
        await rt.db.run(store.record_action, actor, "refused", case_id, f"{action}: {exc.code}")
        await query.answer(_plain(tx(f"cases.err_{exc.code}")), show_alert=True)
        if exc.code == "already_resolved":
            await _clear_buttons(query)


async def _resolve_next(update: Update, query: Any, rt: Runtime, member: Member, case: FollowupCase) -> None:
    """Before the note: may the resident read it? (Only asked when the resident can be told.)"""
    tx = staff_texts(rt)
    if await rt.db.run(store.resident_contact, case.id) is None:
        await _ask(update, query, rt, member, case.id, "resolve", tx("cases.ask_resolve", reference=case.reference))  # type: ignore[arg-type]
        return
    if member.staff_id is None:
        await query.answer(_plain(tx("staff.not_allowed")), show_alert=True)
        return
    await query.answer()
    await reply(
        update,
        tx("cases.ask_share_note", reference=case.reference),
        reply_markup=Markup(
            [
                [
                    Button(tx("cases.btn_share_yes"), callback_data=f"fu:rsy:{case.id}"),
                    Button(tx("cases.btn_share_no"), callback_data=f"fu:rsn:{case.id}"),
                ],
            ]
        ),
    )


async def _ask(
    update: Update,
    query: Any,
    rt: Runtime,
    member: Member,
    case_id: int,
    kind: str,
    prompt: str,
    target: int | None = None,
) -> None:
    if member.staff_id is None:  # a bootstrap admin has no staff row to hang a pending input on
        await query.answer(_plain(staff_texts(rt)("staff.not_allowed")), show_alert=True)
        return
    await rt.db.run(store.set_pending, member.staff_id, case_id, kind, PENDING_TTL, target)
    await query.answer()
    await reply(update, prompt, reply_markup=ForceReply(selective=True))


async def _after_change(app: AnyApp, query: Any, rt: Runtime, case_id: int, member: Member) -> None:
    """Every prompt of the case follows the change; a pressed /case view that is nobody's
    prompt is re-rendered in place as well."""
    edited = await refresh_prompts(app, case_id)
    message = query.message
    if message is not None and (message.chat.id, message.message_id) in edited:
        return
    view = await rt.db.run(store.case_view, case_id)
    if view is None:
        return
    tx = staff_texts(rt)
    try:
        await query.edit_message_text(
            render_case(tx, rt, view, viewer_id=member.staff_id),
            parse_mode=ParseMode.HTML,
            reply_markup=case_keyboard(tx, view, can_unmark=member.at_least("commander")),
        )
    except TelegramError as exc:  # "message is not modified", too old to edit: cosmetic
        log.debug("could not refresh case %s view: %s", case_id, exc)


async def _clear_buttons(query: Any) -> None:
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.debug("could not clear keyboard", exc_info=True)


# --- typed staff input and resident answers (handler group -1, before the resident flow) -------


async def on_private_text_first(update: Update, context: Ctx) -> None:
    """Runs before the resident conversation: a staff member's pending reply/note, or a resident's
    reply to a relayed message, is taken here; anything else carries on to the resident flow."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.text is None:
        return
    rt = runtime(context)
    pending = await rt.db.run(_peek_pending, user.id)
    if pending is not None:
        await _staff_input(update, context, message.text)
        raise ApplicationHandlerStop
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
        case_id = await rt.db.run(
            store.case_of_resident_reply, pseudonym(rt.pseudonym_secret, user.id), replied.message_id
        )
        if case_id is not None:
            await _resident_answer(update, context, case_id, message.text)
            raise ApplicationHandlerStop


def _peek_pending(session: Any, telegram_user_id: int) -> tuple[int, int, str, int | None] | None:
    row = store.live_pending_of_user(session, telegram_user_id)
    return None if row is None else (row.staff_id, row.case_id, row.kind, row.target_staff_id)


async def _staff_input(update: Update, context: Ctx, text: str) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    text = text.strip()
    if not text:
        await reply(update, tx("cases.empty_text"))
        return
    member = await current_member(context, update)
    if member is None or member.staff_id is None:
        return
    result = await rt.db.run(_apply_input, member, text)
    if result is None:
        await reply(update, tx("staff.not_allowed"))
        return
    kind, case_id, value = result
    if kind == "error":
        await reply(update, tx(f"cases.err_{value}"))
    elif kind == "reply":
        outcome = (await deliver_relays(context.application, [int(value)])).get(int(value), "retry")
        key = {"sent": "reply_sent", "retry": "reply_queued"}.get(outcome, "reply_blocked")
        await reply(update, tx(f"cases.{key}"))
    elif kind == "resolve":
        told = await rt.db.run(store.resident_contact, case_id) is not None
        await reply(update, tx("cases.resolved") + ("\n" + tx("cases.resolved_resident_told") if told else ""))
        await refresh_prompts(context.application, case_id)
        await deliver_status_messages(context.application)
    elif kind == "reassign":
        await reply(update, tx("cases.reassigned", name=str(value)))
        await deliver_prompts(context.application, [case_id])


def _apply_input(session: Any, member: Member, text: str) -> tuple[str, int, Any] | None:
    """Consume the pending input and apply it, re-checking access first (all in one transaction)."""
    pending = store.take_pending(session, member.staff_id)  # type: ignore[arg-type]
    if pending is None:
        return None
    case = store.get_case(session, pending.case_id)
    if case is None or not may_handle_case(session, member, case):
        store.audit_denied(session, pending.case_id, actor_of(member), pending.kind)
        return None
    actor = actor_of(member)
    try:
        if pending.kind == "reply":
            return "reply", case.id, store.add_reply(session, case.id, actor, text)
        if pending.kind in ("resolve", "resolve_share"):
            store.resolve(session, case.id, actor, text, share=pending.kind == "resolve_share")
            return "resolve", case.id, None
        if pending.kind == "reassign" and pending.target_staff_id is not None:
            target = store.reassign(session, case.id, actor, pending.target_staff_id, text)
            return "reassign", case.id, target.display_name
    except CaseActionError as exc:
        return "error", case.id, exc.code
    return None


async def on_cancel_first(update: Update, context: Ctx) -> None:
    """/cancel while a staff member is typing a reply or note; otherwise the resident /cancel runs."""
    user = update.effective_user
    if user is None:
        return
    rt = runtime(context)
    pending = await rt.db.run(_peek_pending, user.id)
    if pending is None:
        return
    await rt.db.run(store.clear_pending, pending[0])
    await reply(update, staff_texts(rt)("staff.cancelled"))
    raise ApplicationHandlerStop


async def _resident_answer(update: Update, context: Ctx, case_id: int, text: str) -> None:
    rt = runtime(context)
    user = update.effective_user
    assert user is not None
    # Staff read the resident only through the redaction filter, like every other resident text.
    note_id = await rt.db.run(store.add_resident_answer, case_id, redact(text.strip())[:3000])
    resident_tx = rt.texts(user.language_code)
    await reply(update, resident_tx("cases.resident_answer_sent"))
    await deliver_relays(context.application, [note_id])


# --- the resident's "did this help?" ---------------------------------------------------------


async def on_helpful(update: Update, context: Ctx) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    rt = runtime(context)
    tx = rt.texts(user.language_code)
    match = HELPFUL.fullmatch(query.data or "")
    if match is None:
        await query.answer(_plain(tx("general.expired_button")))
        return
    outcome = await rt.db.run(
        store.record_helpful, int(match.group(1)), pseudonym(rt.pseudonym_secret, user.id), match.group(2) == "y"
    )
    if outcome == "not_yours":
        await query.answer(_plain(tx("general.expired_button")))
        return
    await query.answer(_plain(tx("cases.help_thanks" if outcome == "ok" else "cases.help_already")))
    await _clear_buttons(query)
    if outcome != "ok":
        return
    if match.group(2) == "y":
        await reply(update, tx("cases.help_thanks"))
        return
    await _reopen_unhelpful(update, context, int(match.group(1)), tx)


async def _reopen_unhelpful(update: Update, context: Ctx, case_id: int, tx: Texts) -> None:
    """ "It didn't help" is acted on: the case reopens one level up, the new holder sees why on
    the prompt, the last holder is told, and the resident learns who has it now and how to make
    a formal complaint."""
    rt = runtime(context)
    app = context.application
    target, previous_id = await rt.db.run(store.reopen_unhelpful, case_id)
    reference = await rt.db.run(store.case_reference, case_id) or ""
    who = tx(f"cases.who_{target.role}") if target is not None else tx("cases.who_admins")
    chat = update.effective_chat
    if chat is not None:
        _, sent, _ = await _send(
            app, chat.id, tx("cases.help_no_reopened", reference=reference, who=who) + "\n\n" + complaint_route(tx, rt)
        )
        await rt.db.run(
            store.record_resident_notice,
            case_id,
            'reopened after "didn\'t help"; formal route offered',
            sent.message_id if sent else None,
        )
    if previous_id is not None:
        before = await rt.db.run(_staff_chat, previous_id)
        if before is not None:
            stx = staff_texts(rt)
            name = target.display_name if target is not None else stx("cases.admins")
            await _send(app, before, stx("cases.reopened_away", reference=reference, name=name))
    await deliver_prompts(app, [case_id])
    await deliver_unassigned(app)


def _staff_chat(session: Any, staff_id: int) -> int | None:
    staff = session.get(Staff, staff_id)
    return staff.chat_id if staff is not None and is_reachable(staff) else None


# --- /case and /cases ------------------------------------------------------------------------


async def _staff_in_private(update: Update, context: Ctx) -> Member | None:
    """Case views name units and quote feedback: staff only, and only in their private chat."""
    tx = staff_texts(runtime(context))
    chat = update.effective_chat
    member = await current_member(context, update)
    if member is None:
        await reply(update, tx("staff.not_staff"))
    elif chat is None or chat.type != "private":
        await reply(update, tx("staff.private_only"))
    else:
        return member
    return None


async def case_command(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    member = await _staff_in_private(update, context)
    if member is None:
        return
    ref = " ".join(context.args or []).strip()[:32]
    if not ref:
        await reply(update, tx("cases.case_usage"))
        return
    case_id = await rt.db.run(_find_allowed, member, ref)
    view = await rt.db.run(store.case_view, case_id) if case_id is not None else None
    if view is None:
        await reply(update, tx("cases.err_not_found"))
        return
    await reply(
        update,
        render_case(tx, rt, view, viewer_id=member.staff_id),
        reply_markup=case_keyboard(tx, view, can_unmark=member.at_least("commander")),
    )


def _find_allowed(session: Any, member: Member, ref: str) -> int | None:
    case = store.find_case(session, ref)
    if case is None or not may_handle_case(session, member, case):
        store.audit_denied(session, case.id if case else None, actor_of(member), "view")
        return None
    store.record_action(session, actor_of(member), "viewed", case.id)
    return case.id


async def cases_command(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    member = await _staff_in_private(update, context)
    if member is None:
        return
    rows = await rt.db.run(_cases_for, member)
    if not rows:
        await reply(update, tx("cases.list_empty"))
        return
    lines = [tx("cases.list_title", count=len(rows))]
    for case_id, reference, unit, status, mine in rows:
        lines.append(
            tx(
                "cases.list_line",
                reference=reference,
                case=case_id,
                unit=unit,
                status=tx("cases.status_" + status),
                mine="\x00",
            ).replace("\x00", tx("cases.list_mine") if mine else "")
        )
    await reply(update, "\n".join(lines))


def _cases_for(session: Any, member: Member) -> list[tuple[int, str, str, str, bool]]:
    found: dict[int, FollowupCase] = {}
    if member.staff_id is not None:
        for case in store.open_cases(session, assignee_id=member.staff_id):
            found[case.id] = case  # type: ignore[index]
    if member.role != "officer":
        for case in store.open_cases(session, unit_ids=member_units(session, member), limit=50):
            found.setdefault(case.id, case)  # type: ignore[arg-type]
    rows = []
    for case in sorted(found.values(), key=lambda c: c.id or 0):
        if not may_handle_case(session, member, case):
            continue
        unit = unit_store.get_unit(session, case.unit_id)
        rows.append(
            (case.id, case.reference, unit.code if unit else "-", case.status, case.assignee_id == member.staff_id)
        )
    return rows
