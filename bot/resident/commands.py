"""Commands a resident can use at any point: /cancel, /help, /language (and its buttons),
/mydata (everything stored about them, rendered by ``render_mydata``) and /forget (and its
confirmation).
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot import keyboards as kb
from bot.persistence import encode_key
from bot.resident.common import END, Ctx, _answer, _clear_keyboard, _pseudonym, _reply, _resident, _texts
from bot.runtime import runtime
from bot.text_chunks import split_message
from services.i18n import Texts, normalise_language
from storage import feedback as store
from storage.types import local_time

# --- commands available at any point ---------------------------------------------------------


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
