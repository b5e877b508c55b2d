"""Staff commands in registered staff groups: ``/trust [unit]``, ``/digest`` (preview), ``/attention``.

Every call re-checks, on the server side, that the chat is an active registered staff chat and
that the caller's scope covers the chat's scope (``services.access``; bootstrap admins from
``telegram.admin_ids`` until they enrol). Figures are the last complete ISO week's, computed
exactly as the scheduled digest computes them; nothing here is recorded as a digest run.
Only redacted text and aggregate figures are ever shown.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.runtime import runtime
from bot.text_chunks import split_message
from services.access import Scope, covers, find_member, unit_districts
from services.digest_schedule import last_complete_week
from services.digests import (
    LoadedReport,
    chat_scope,
    in_scope,
    load_report,
    render_attention,
    render_digest,
    scope_label,
    trust_summary_text,
)
from services.i18n import Texts
from storage import digests as ledger
from storage import rollups
from storage.db import Session
from trust.model import GroupKey

log = logging.getLogger(__name__)


def _check(session: Session, chat_id: int, user_id: int, admin_ids: list[int]) -> tuple[ledger.ChatTarget | None, bool]:
    target = ledger.staff_chat(session, chat_id)
    if target is None:
        return None, False
    member = find_member(session, user_id, admin_ids)
    allowed = member is not None and covers(member.scope, chat_scope(target), unit_districts(session))
    return target, allowed


async def _authorised(update: Update, context: ContextTypes.DEFAULT_TYPE) -> ledger.ChatTarget | None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    rt = runtime(context)
    target, allowed = await rt.db.run(_check, chat.id, user.id, rt.settings.telegram.admin_ids)
    tx = rt.texts(target.language if target else rt.settings.agency.default_language)
    if target is None:
        await _say(update, [tx("digest.not_staff_chat")])
        return None
    if not allowed:
        log.info("user %s may not use %s in staff chat %s", user.id, update.effective_message and update.effective_message.text, chat.id)
        await _say(update, [tx("digest.not_allowed")])
        return None
    return target


async def _say(update: Update, messages: list[str]) -> None:
    chat = update.effective_chat
    assert chat is not None
    for text in messages:
        await chat.send_message(text, parse_mode=ParseMode.HTML)


async def trust_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    target = await _authorised(update, context)
    if target is None:
        return
    rt = runtime(context)
    tx = Texts(target.language)
    scope = chat_scope(target)
    period = last_complete_week(rt.hooks.clock(), rt.settings.agency.tz)
    if context.args:
        wanted = " ".join(context.args).strip()
        org = await rt.db.run(rollups.org_chart, rt.settings.agency.name)
        codes = {code.lower(): code for code in org.units}
        names = {u.name.lower(): code for code, u in org.units.items()}
        unit = codes.get(wanted.lower()) or names.get(wanted.lower())
        allowed = sorted(c for c in org.units if in_scope(GroupKey.unit(c), scope, org))
        if unit is None:
            await _say(update, [tx("digest.unknown_unit", unit=wanted, units=", ".join(allowed) or "-")])
            return
        if unit not in allowed:
            await _say(update, [tx("digest.unit_out_of_scope", unit=unit, scope=scope_label(scope, org, tx))])
            return
        scope = Scope("unit", unit)
    loaded = await rt.db.run(load_report, rt.settings, period, scope)
    text = await asyncio.to_thread(trust_summary_text, loaded, rt.settings, target.language)
    await _say(update, split_message(text, rt.settings.trust.digest_message_limit))


async def _chat_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> tuple[Any, LoadedReport] | None:
    """The registered chat and last week's report for its scope, if the caller may see it."""
    target = await _authorised(update, context)
    if target is None:
        return None
    rt = runtime(context)
    period = last_complete_week(rt.hooks.clock(), rt.settings.agency.tz)
    return target, await rt.db.run(load_report, rt.settings, period, chat_scope(target))


async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await _chat_report(update, context)
    if found is None:
        return
    target, loaded = found
    rt = runtime(context)
    digest = await asyncio.to_thread(render_digest, loaded, rt.settings, target.language, preview=True)
    await _say(update, digest.messages)
    chat = update.effective_chat
    assert chat is not None
    for chart in digest.charts:
        try:
            await chat.send_photo(InputFile(chart.png, filename=chart.filename), caption=chart.caption,
                                  parse_mode=ParseMode.HTML)
        except TelegramError as exc:  # the text already went out; a chart is a bonus
            log.warning("could not send a digest chart to %s: %s", chat.id, exc)


async def attention_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    found = await _chat_report(update, context)
    if found is None:
        return
    target, loaded = found
    messages = await asyncio.to_thread(render_attention, loaded, runtime(context).settings, target.language)
    await _say(update, messages)
