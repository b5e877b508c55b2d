"""Staff in the chat: /enroll, /register and /unregister for staff groups, /audit, and the guard
every staff command goes through.

Authority never comes from the chat or the button: each command and each callback looks the
sender up again (``services.access.find_member``), so revoking someone takes effect on their next tap.
"""

from __future__ import annotations

import html
import logging
import re
from datetime import datetime, timedelta
from typing import Any

from telegram import InlineKeyboardButton as Button
from telegram import InlineKeyboardMarkup as Markup
from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ContextTypes,
    filters,
)

from bot.menus import set_staff_menu
from bot.runtime import Runtime, runtime
from bot.text_chunks import CALLBACK_ANSWER_LIMIT, split_message, truncate_utf16
from services.access import Member, Scope, actor_of, find_member, may_register_chats, may_view_audit, registrable_scopes
from services.i18n import Texts
from storage import cases as case_store
from storage import staff as staff_store
from storage import units as unit_store
from storage.identity import pseudonym
from storage.types import local_time as storage_local_time

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
PRIVATE = filters.ChatType.PRIVATE
GROUPS = filters.ChatType.GROUPS
ENROLL_ATTEMPTS_PER_HOUR = 5


def staff_texts(rt: Runtime) -> Texts:
    """Staff read the agency's default language (their Telegram language may be anything)."""
    return rt.texts(rt.settings.agency.default_language)


async def current_member(context: Ctx, update: Update) -> Member | None:
    user = update.effective_user
    if user is None:
        return None
    rt = runtime(context)
    return await rt.db.run(find_member, user.id, rt.settings.telegram.admin_ids)


async def reply(update: Update, text: str, **kwargs: Any) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    for chunk in split_message(text):
        await chat.send_message(chunk, parse_mode=ParseMode.HTML, **kwargs)
        kwargs.pop("reply_markup", None)


def local_time(rt: Runtime, when: datetime) -> str:
    return storage_local_time(when, rt.settings.agency.tz)


def role_name(tx: Texts, role: str) -> str:
    return tx(f"staff.role_{role}")


def scope_label(tx: Texts, scope_kind: str, scope_value: str | None) -> str:
    if scope_kind == "district":
        return tx("staff.register_district", district=scope_value or "")
    if scope_kind == "unit":
        return tx("staff.register_unit", unit=scope_value or "")
    return tx("staff.register_agency")


# --- /enroll ---------------------------------------------------------------------------------


async def enroll(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None and context.user_data is not None
    code = " ".join(context.args or []).strip()
    if chat.type != "private":
        # A code read by a whole group is no secret any more: burn it.
        burned = bool(code) and await rt.db.run(staff_store.burn_code, code)
        await reply(update, tx("staff.enroll_code_burned" if burned else "staff.enroll_private_only"))
        return
    if not code:
        await reply(update, tx("staff.enroll_usage"))
        return
    # Wrong codes are counted in the database: a restart must not hand out fresh guesses.
    who = pseudonym(rt.pseudonym_secret, user.id)
    if await rt.db.run(staff_store.enrolment_locked, who):
        await reply(update, tx("staff.enroll_slow_down"))
        return
    name = " ".join(p for p in (user.first_name, user.last_name) if p)
    outcome = await rt.db.run(staff_store.redeem_code, code[:64], user.id, chat.id, name)
    if outcome.status != "ok":
        await rt.db.run(staff_store.record_enrolment_failure, who, limit=ENROLL_ATTEMPTS_PER_HOUR, window=timedelta(hours=1))
        await reply(update, tx(f"staff.enroll_{outcome.status}"))
        return
    await rt.db.run(staff_store.clear_enrolment_failures, who)
    member = await rt.db.run(find_member, user.id, rt.settings.telegram.admin_ids)
    scope = ""
    if member is not None:
        if member.scope.kind == "unit":
            scope = tx("staff.scope_unit", unit=member.unit_code or "")
        elif member.scope.kind == "district":
            scope = tx("staff.scope_district", district=member.scope.value or "")
        else:
            scope = tx("staff.scope_agency")
    await reply(update, _enroll_text(tx, outcome.display_name or "", outcome.role or "officer", scope))
    await set_staff_menu(context.bot, chat.id, tx)


def _enroll_text(tx: Texts, name: str, role: str, scope: str) -> str:
    # ``scope`` is already-escaped text from the catalogue; fill it in after escaping the rest.
    return tx("staff.enroll_ok", name=name, role=role_name(tx, role), scope="\x00").replace("\x00", scope)


async def staff_help(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    if await current_member(context, update) is None:
        await reply(update, staff_texts(rt)("staff.not_staff"))
        return
    await reply(update, staff_texts(rt)("staff.help"))


# --- /register and /unregister (staff groups and channels) -----------------------------------


async def _registrar(update: Update, context: Ctx) -> Member | None:
    """The member allowed to (un)register this group, or None after telling them why not."""
    tx = staff_texts(runtime(context))
    chat = update.effective_chat
    assert chat is not None
    member = await current_member(context, update)
    if member is None:
        await reply(update, tx("staff.not_staff"))
    elif not may_register_chats(member):
        await reply(update, tx("staff.register_not_allowed"))
    elif chat.type == "private":
        await reply(update, tx("staff.register_group_only"))
    else:
        return member
    return None


async def register(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    chat = update.effective_chat
    assert chat is not None
    member = await _registrar(update, context)
    if member is None:
        return
    options = await rt.db.run(_scope_buttons, member)
    rows = [[Button(_option_label(tx, kind, label), callback_data=data)] for kind, label, data in options]
    await reply(update, tx("staff.register_choose", title=chat.title or ""), reply_markup=Markup(rows))


def _scope_buttons(session: Any, member: Member) -> list[tuple[str, str | None, str]]:
    """(kind, label value, callback data). Districts are addressed by position in the sorted list
    the server recomputes on press; units by id. Nothing in the data grants anything."""
    result: list[tuple[str, str | None, str]] = []
    units = {u.code: u.id for u in unit_store.list_units(session)}
    districts = _districts(session)
    for scope in registrable_scopes(session, member):
        if scope.kind == "agency":
            result.append(("agency", None, "stf:reg:a"))
        elif scope.kind == "district":
            result.append(("district", scope.value, f"stf:reg:d:{districts.index(scope.value)}"))
        else:
            result.append(("unit", scope.value, f"stf:reg:u:{units[scope.value]}"))
    return result


def _districts(session: Any) -> list[str]:
    return sorted({u.district for u in unit_store.list_units(session)})


def _option_label(tx: Texts, kind: str, value: str | None) -> str:
    return html.unescape(scope_label(tx, kind, value))  # button labels are plain text


def _resolve_option(session: Any, member: Member, data: str) -> Scope | None:
    parts = data.split(":")
    allowed = registrable_scopes(session, member)
    if parts[2:] == ["a"]:
        wanted = Scope("agency")
    elif len(parts) == 4 and parts[2] == "d" and parts[3].isdigit():
        districts = _districts(session)
        index = int(parts[3])
        if index >= len(districts):
            return None
        wanted = Scope("district", districts[index])
    elif len(parts) == 4 and parts[2] == "u" and parts[3].isdigit():
        unit = unit_store.get_unit(session, int(parts[3]))
        if unit is None:
            return None
        wanted = Scope("unit", unit.code)
    else:
        return None
    return wanted if wanted in allowed else None


async def on_register_button(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    query, chat = update.callback_query, update.effective_chat
    assert query is not None and query.data is not None
    member = await current_member(context, update)
    if member is None or chat is None or chat.type == "private" or not may_register_chats(member):
        await query.answer(plain_answer(tx("staff.not_allowed")), show_alert=True)
        return
    scope = await rt.db.run(_resolve_option, member, query.data)
    if scope is None:
        await query.answer(plain_answer(tx("staff.not_allowed")), show_alert=True)
        return
    await rt.db.run(
        lambda s: staff_store.register_chat(
            s, chat.id, title=chat.title or "", scope_kind=scope.kind, scope_value=scope.value,
            registered_by=member.staff_id, language=rt.settings.agency.default_language,
            actor="staff" if member.staff_id else "bootstrap admin",
        )
    )
    await query.answer()
    done = tx("staff.register_done", scope=html.unescape(scope_label(tx, scope.kind, scope.value)))
    try:
        await query.edit_message_text(done, parse_mode=ParseMode.HTML)
    except TelegramError:
        await reply(update, done)


async def unregister(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    chat = update.effective_chat
    assert chat is not None
    member = await _registrar(update, context)
    if member is None:
        return
    actor = "staff" if member.staff_id else "bootstrap admin"
    done = await rt.db.run(staff_store.unregister_chat, chat.id, by=member.staff_id, actor=actor)
    await reply(update, tx("staff.unregister_done" if done else "staff.unregister_none"))


async def on_my_chat_member(update: Update, context: Ctx) -> None:
    """The bot was removed from a registered chat: stop sending there (it would only fail)."""
    change = update.my_chat_member
    if change is None or change.chat.type == "private":
        return
    if change.new_chat_member.status in ("left", "kicked"):
        await runtime(context).db.run(
            staff_store.unregister_chat, change.chat.id, actor="system", reason="the bot was removed from the chat"
        )


async def on_migrate(update: Update, context: Ctx) -> None:
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        await runtime(context).db.run(staff_store.migrate_chat, message.chat.id, message.migrate_to_chat_id)


# --- /audit ----------------------------------------------------------------------------------


async def audit(update: Update, context: Ctx) -> None:
    rt = runtime(context)
    tx = staff_texts(rt)
    chat = update.effective_chat
    assert chat is not None
    member = await current_member(context, update)
    if member is None:
        await reply(update, tx("staff.not_staff"))
        return
    if chat.type != "private":
        await reply(update, tx("staff.private_only"))
        return
    ref = " ".join(context.args or []).strip()
    if not ref:
        await reply(update, tx("staff.audit_usage"))
        return
    found = await rt.db.run(_audit_rows_for, member, ref[:32])
    if found is None:
        await reply(update, tx("cases.err_not_found"))
        return
    reference, case_id, entries = found
    lines = [tx("staff.audit_header", reference=reference, case=case_id)]
    for row in entries:
        detail = (" · " + html.escape(row.detail, quote=False)) if row.detail else ""
        who = row.actor_name or row.actor
        lines.append(tx("staff.audit_line", time=local_time(rt, row.created_at), who=who, action=row.action, detail="\x00").replace("\x00", detail))
    if not entries:
        lines.append(tx("staff.audit_empty"))
    await reply(update, "\n".join(lines))


def _audit_rows_for(session: Any, member: Member, ref: str) -> tuple[str, int, list[case_store.AuditRow]] | None:
    case = case_store.find_case(session, ref)
    if case is None or not may_view_audit(session, member, case):
        case_store.audit_denied(session, case.id if case else None, actor_of(member), "audit")
        return None
    rows = case_store.audit_rows(session, case_id=case.id)
    case_store.record_action(session, actor_of(member), "audit_viewed", case.id)
    return case.reference, case.id, rows  # type: ignore[return-value]


# --- guards and wiring -----------------------------------------------------------------------


def plain_answer(text: str) -> str:
    """A catalogue text as a callback answer: plain text (no HTML), at most 200 UTF-16 units."""
    return truncate_utf16(html.unescape(re.sub(r"<[^>]+>", "", text)), CALLBACK_ANSWER_LIMIT)


async def on_forged_staff_button(update: Update, context: Ctx) -> None:
    query = update.callback_query
    if query is not None:
        await query.answer(plain_answer(staff_texts(runtime(context))("staff.not_allowed")), show_alert=True)
