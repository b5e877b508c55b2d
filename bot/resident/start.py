"""The way into a report: /start (with or without a card's link), the privacy notice and
consent, the district and unit questions, and the start of the story, where words the resident
wrote before answering are filed first.
"""

from __future__ import annotations

from telegram import Update

from bot import keyboards as kb
from bot.resident.common import (
    ALL_UNITS_AT_ONCE,
    CONSENT,
    DISTRICT,
    END,
    FEEDBACK,
    UNIT,
    Ctx,
    _answer,
    _key,
    _language,
    _open_submission,
    _pseudonym,
    _reply,
    _resident,
    _show,
    _texts,
)
from bot.resident.filing import _file_text
from bot.resident.story import _acknowledge
from bot.runtime import Runtime, runtime
from services.i18n import Texts
from storage import feedback as store
from storage import held as held_store
from storage import units as unit_store
from storage.models import Resident, Submission, Unit

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
        return await _after_consent(update, context, resident, tx("privacy.welcome_back"))
    await _reply(update, _notice(rt, tx), reply_markup=kb.consent(tx))
    return CONSENT


def _notice(rt: Runtime, tx: Texts) -> str:
    return tx(
        "privacy.notice",
        agency=rt.settings.agency.name,
        emergency=rt.settings.agency.emergency_number,
        retention_days=rt.settings.privacy.retention_days,
    )


async def on_consent(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and user is not None
    await _answer(query)
    tx = await _texts(update, context)
    rt = runtime(context)
    if query.data != kb.CONSENT_YES:
        dropped = await rt.db.run(held_store.drop_held, _key(update))
        await _show(update, tx("privacy.declined") + ("\n" + tx("privacy.declined_held") if dropped else ""))
        return END
    resident = await rt.db.run(store.record_consent, _pseudonym(context, user), tx.language)
    return await _after_consent(update, context, resident, _notice(rt, tx) + "\n\n" + tx("privacy.accepted"))


async def _after_consent(update: Update, context: Ctx, resident: Resident, head: str) -> int:
    """Where the report is about. ``head`` is what the live message says above the question."""
    assert context.user_data is not None and resident.id is not None
    rt = runtime(context)
    tx = rt.texts(_language(context, update.effective_user, resident))  # type: ignore[arg-type]
    context.user_data["head"] = head
    target = context.user_data.get("target")
    if target:
        token, unit_id, officer_id = target
        sub = await _open_submission(context, resident.id, unit_id, officer_id, token, tx.language)
        unit_name, officer_name = await rt.db.run(unit_store.target_names, unit_id, officer_id)
        if officer_name:
            line = tx("start.token_officer", officer=officer_name, unit=unit_name or "-")
        else:
            line = tx("start.token_unit", unit=unit_name or "-")
        return await _begin_feedback(update, context, tx, sub, head + "\n\n" + line)
    if context.user_data.pop("token_invalid", False):
        head = context.user_data["head"] = head + "\n\n" + tx("start.token_unknown")
    units = await rt.db.run(unit_store.list_units)
    if not units:
        sub = await _open_submission(context, resident.id, None, language=tx.language)
        return await _begin_feedback(update, context, tx, sub, head)
    districts = sorted({u.district for u in units})
    if len(units) <= ALL_UNITS_AT_ONCE or len(districts) == 1:
        return await _ask_unit(update, tx, head, units)
    context.user_data["districts"] = districts
    await _show(update, head + "\n\n" + tx("start.ask_district"), kb.districts(tx, districts))
    return DISTRICT


async def _ask_unit(update: Update, tx: Texts, head: str, units: list[Unit]) -> int:
    options = [(u.id, u.name) for u in units if u.id is not None]
    await _show(update, head + "\n\n" + tx("start.ask_unit"), kb.units(tx, options))
    return UNIT


async def on_district(update: Update, context: Ctx) -> int:
    query = update.callback_query
    user = update.effective_user
    assert query is not None and query.data is not None and context.user_data is not None and user is not None
    await _answer(query)
    tx = await _texts(update, context)
    all_units = await runtime(context).db.run(unit_store.list_units)
    districts = context.user_data.get("districts") or sorted({u.district for u in all_units})
    try:
        district = districts[int(query.data.split(":", 1)[1])]
    except (ValueError, IndexError):
        await _reply(update, tx("start.use_buttons"))
        return DISTRICT
    units = [u for u in all_units if u.district == district]
    if len(units) == 1:  # a district with one unit: the answer is already known
        return await _choose_unit(update, context, units[0].id)
    return await _ask_unit(update, tx, str(context.user_data.get("head", "")), units)


async def on_unit(update: Update, context: Ctx) -> int:
    query = update.callback_query
    assert query is not None and query.data is not None
    await _answer(query)
    raw = query.data.split(":", 1)[1]
    return await _choose_unit(update, context, int(raw) if raw.isdigit() else None)


async def _choose_unit(update: Update, context: Ctx, unit_id: int | None) -> int:
    user = update.effective_user
    assert user is not None and context.user_data is not None
    rt = runtime(context)
    resident = await _resident(context, user)
    tx = rt.texts(_language(context, user, resident))
    if resident is None or resident.id is None:
        return await start(update, context)
    unit = await rt.db.run(unit_store.get_unit, unit_id) if unit_id is not None else None
    unit = unit if unit is not None and unit.active else None
    sub = await _open_submission(context, resident.id, unit.id if unit else None, language=tx.language)
    chosen = tx("start.unit_chosen", unit=unit.name) if unit else tx("start.unit_unknown")
    return await _begin_feedback(update, context, tx, sub, str(context.user_data.get("head", "")) + "\n\n" + chosen)


async def _begin_feedback(update: Update, context: Ctx, tx: Texts, sub: Submission, lead: str) -> int:
    """Ask for the story; words the resident already wrote are filed first, and they are told."""
    assert context.user_data is not None
    context.user_data.pop("head", None)
    kept = await _file_held(update, context, tx, sub)
    await _show(update, lead.strip() + "\n\n" + tx("feedback.kept" if kept else "feedback.ask"))
    if kept:
        await _acknowledge(update, context, tx, sub, kept)
    return FEEDBACK


async def _file_held(update: Update, context: Ctx, tx: Texts, sub: Submission) -> int:
    rt = runtime(context)
    held = await rt.db.run(held_store.take_held, _key(update))
    for item in held:
        await _file_text(update, context, tx, sub, item.message_id, item.text, item.received_at)
    return len(held)
