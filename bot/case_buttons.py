"""What staff and residents press and type about a case: the case buttons (acknowledge, reply,
resolve, reassign, escalate, mark sensitive), typed replies and notes (handler group -1, before
the resident conversation), the resident's "did this help?", and /case and /cases.

Callback data carries a case id and nothing else; every press re-checks who is pressing
(``services.access``) and the case's current state, and refusals are audited.

Long because every button leads to the same checks and re-renders, kept next to each other so a
reader sees each action's whole path; the case logic itself is in storage/cases/.
"""


from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

from telegram import ForceReply, Update
from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
)

from bot.case_prompts import (
    case_keyboard,
    complaint_route,
    deliver_prompts,
    deliver_relays,
    deliver_status_messages,
    deliver_unassigned,
    holder_line,
    refresh_prompts,
    render_case,
    send,
)
from bot.runtime import Runtime, runtime
from bot.staff import current_member, reply, role_name, staff_texts
from bot.staff import plain_answer as _plain
from nlp.redact import redact
from services.access import Member, actor_of, is_case_subject, may_handle_case, member_units
from services.i18n import Texts
from storage import cases as store
from storage import staff as staff_store
from storage import units as unit_store
from storage.cases import Actor, CaseActionError
from storage.identity import pseudonym
from storage.models import Staff
from storage.models_cases import CASE_RESOLVED, FollowupCase
from storage.staff import is_reachable

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
AnyApp = Application[Any, Any, Any, Any, Any, Any]

PENDING_TTL = timedelta(minutes=60)  # a typed reply/note is expected within this long of the button
ACTION = re.compile(r"^fu:(ack|rep|res|rsa|rsy|rsn|ra|esc|sen|uns|x):(\d{1,12})$")
TARGET = re.compile(r"^fu:rt:(\d{1,12}):(\d{1,12})$")
HELPFUL = re.compile(r"^fu:hlp:(\d{1,12}):([yn])$")


# --- staff buttons ---------------------------------------------------------------------------


def check_case(
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
            name, role = holder_line(session, case_id)
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


async def refuse(update: Update, context: Ctx, stale: str | None = None) -> None:
    query = update.callback_query
    if query is not None:
        tx = staff_texts(runtime(context))
        await query.answer(_plain(_stale_text(tx, stale) if stale else tx("staff.not_allowed")), show_alert=True)
        if stale:
            await clear_buttons(query)


async def on_case_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    match = ACTION.fullmatch(data) or TARGET.fullmatch(data)
    chat = update.effective_chat
    if match is None or chat is None or chat.type != "private":
        await refuse(update, context)
        return
    rt = runtime(context)
    tx = staff_texts(rt)
    action = "rt" if data.startswith("fu:rt:") else match.group(1)
    case_id = int(match.group(1) if action == "rt" else match.group(2))
    member = await current_member(context, update)
    case, stale = await rt.db.run(check_case, member, case_id, action, chat.id)
    if member is None or case is None:
        await refuse(update, context, stale)
        return
    actor = actor_of(member)
    app = context.application
    try:
        if action == "ack":
            await rt.db.run(store.acknowledge, case_id, actor)
            await query.answer(_plain(tx("cases.acknowledged")))
            await after_change(app, query, rt, case_id, member)
        elif action == "esc":
            target = await rt.db.run(store.escalate, case_id, actor)
            await query.answer(
                _plain(tx("cases.escalated", name=target.display_name, role=role_name(tx, target.role))),
                show_alert=True,
            )
            await after_change(app, query, rt, case_id, member)
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
            await clear_buttons(query)
            await _resolve_next(update, query, rt, member, case)
        elif action in ("rsy", "rsn"):
            if case.status == CASE_RESOLVED:
                raise CaseActionError("already_resolved")
            await clear_buttons(query)
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
            await after_change(app, query, rt, case_id, member)
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
            await after_change(app, query, rt, case_id, member)
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
            await clear_buttons(query)
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
            await clear_buttons(query)
    except CaseActionError as exc:
        # A refusal is part of the record too (docs/staff.md: refusals are audited).
        await rt.db.run(store.record_action, actor, "refused", case_id, f"{action}: {exc.code}")
        await query.answer(_plain(tx(f"cases.err_{exc.code}")), show_alert=True)
        if exc.code == "already_resolved":
            await clear_buttons(query)


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
    staff_id = member.staff_id
    user, chat = update.effective_user, update.effective_chat
    if staff_id is None and user is not None and chat is not None and chat.type == ChatType.PRIVATE:
        # A bootstrap admin holding an unowned case: enrolled now, so the text they type next
        # has a staff record to wait on (and the case someone who can close it).
        staff_id = await rt.db.run(staff_store.enrol_bootstrap_admin, user.id, chat.id, user.full_name)
    if staff_id is None:
        await query.answer(_plain(staff_texts(rt)("staff.not_allowed")), show_alert=True)
        return
    await rt.db.run(store.set_pending, staff_id, case_id, kind, PENDING_TTL, target)
    await query.answer()
    await reply(update, prompt, reply_markup=ForceReply(selective=True))


async def after_change(app: AnyApp, query: Any, rt: Runtime, case_id: int, member: Member) -> None:
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


async def clear_buttons(query: Any) -> None:
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
            await resident_answer(update, context, case_id, message.text)
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


async def resident_answer(update: Update, context: Ctx, case_id: int, text: str) -> None:
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
    await clear_buttons(query)
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
        _, sent, _ = await send(
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
            await send(app, before, stx("cases.reopened_away", reference=reference, name=name))
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
