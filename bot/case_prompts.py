"""Case prompts in staff chats: what a case looks like, and sending it so that every prompt stays
true: one prompt per case per person, edited in place as the case changes, buttons removed when
the case leaves them; relays and status messages to residents; who gets told when nobody can.

Sending sorts Telegram's failures into what to do about them (blocked, gone, try again later).
"""


from __future__ import annotations

import html
import logging
from typing import Any

from telegram import ForceReply, Message
from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
)

from bot.runtime import Runtime, runtime
from bot.staff import local_time, role_name, staff_texts
from bot.staff import plain_answer as _plain
from bot.text_chunks import PLACEHOLDER_LIMIT, truncate_utf16, utf16_len
from services.i18n import Texts, plural
from storage import cases as store
from storage.cases import CaseView
from storage.models import Staff
from storage.models_cases import CASE_OPEN, CASE_RESOLVED

log = logging.getLogger(__name__)
AnyApp = Application[Any, Any, Any, Any, Any, Any]

PROMPT_BUDGET = 3900  # characters; Telegram's limit is 4096
MAX_NOTES_SHOWN = 8


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


async def send(app: AnyApp, chat_id: int, text: str, markup: Any = None) -> tuple[str, Message | None, str | None]:
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
            can_unmark = await rt.db.run(may_unmark_staff, target.staff_id)
            text = render_case(tx, rt, view, viewer_id=target.staff_id)
            outcome, _, error = await send_prompt(
                app, case_id, target.staff_id, target.chat_id, text, case_keyboard(tx, view, can_unmark=can_unmark)
            )
            if outcome == "retry":
                await rt.db.run(store.release_notification, case_id)
            elif outcome != "sent":
                log.warning("case %s: assignee #%s unreachable (%s); escalating", case_id, target.staff_id, error)
                await rt.db.run(assignee_unreachable, case_id, target.staff_id, outcome)
                again.append(case_id)
        case_ids = again
        if not again:
            return


def may_unmark_staff(session: Any, staff_id: int | None) -> bool:
    staff = session.get(Staff, staff_id) if staff_id is not None else None
    return staff_id is None or (staff is not None and staff.role in ("commander", "admin"))


async def send_prompt(
    app: AnyApp, case_id: int, staff_id: int | None, chat_id: int, text: str, markup: Any
) -> tuple[str, Message | None, str | None]:
    """Send a prompt and remember it as this person's one prompt for the case; a prompt it
    replaces in the same chat loses its buttons."""
    rt = runtime(app)
    outcome, message, error = await send(app, chat_id, text, markup)
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
        plan.append((prompt, fate, may_unmark_staff(session, prompt.staff_id)))
    return plan


def holder_line(session: Any, case_id: int) -> tuple[str, str | None]:
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
    holder = await rt.db.run(holder_line, case_id)
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


def assignee_unreachable(session: Any, case_id: int, staff_id: int, outcome: str) -> None:
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
            outcome, _, error = await send_prompt(
                app, notice.case_id, None, admin_id, text, case_keyboard(tx, view, can_unmark=True)
            )
            reached += outcome == "sent"
            if outcome != "sent":
                log.warning("could not tell bootstrap admin %s about %s: %s", admin_id, notice.reference, error)
        for chat_id in notice.chat_ids:
            outcome, _, error = await send(
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
            await send(app, admin_id, tx(plural("cases.unowned_summary", count, tx.language), count=count))
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
            outcome, message, error = await send(app, item.chat_id, text, markup)
        else:
            text = tx("cases.resident_answer", reference=item.reference, text=item.text)
            markup = Markup([[Button(tx("cases.btn_reply"), callback_data=f"fu:rep:{item.case_id}")]])
            outcome, message, error = await send(app, item.chat_id, text, markup)
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
        outcome, message, _ = await send(app, contact.chat_id, text, markup)
        final = {"sent": "sent", "blocked": "blocked", "retry": "retry"}.get(outcome, "gone")
        await rt.db.run(store.finish_status_message, case_id, final, message.message_id if message else None)


def complaint_route(rtx: Texts, rt: Runtime) -> str:
    """The formal route, for a resident we have not served well."""
    url = rt.settings.agency.complaint_url
    return rtx("cases.complaint_url", url=url) if url else rtx("cases.complaint_review")
