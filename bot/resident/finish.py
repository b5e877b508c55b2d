"""After Done: the reference, shown at once above the optional ratings; an incident number or
more words typed beside them; then the last message (what happens next and by when), and its two
buttons that stay answerable after a restart: contact and "this is a complaint".
"""

from __future__ import annotations

from typing import Any

from telegram import Update, User

from bot import keyboards as kb
from bot.resident.common import (
    END,
    LOOKS_LIKE_REFERENCE,
    RATING,
    RATING_ITEMS,
    RATING_WINDOW,
    Ctx,
    _answer,
    _clear_keyboard,
    _language,
    _lost,
    _reply,
    _resident,
    _show,
    _texts,
)
from bot.resident.filing import _file_text
from bot.runtime import Runtime, runtime
from services.i18n import Texts
from storage import cases as case_store
from storage import feedback as store
from storage.models import Submission

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
