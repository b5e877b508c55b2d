"""Follow-ups: the hooks the resident flow and the scoring worker call, and the jobs that keep
every case moving (reminders, escalations, the outbox, the sweep, kudos).

State lives in the database (cases, notes as an outbox, pending staff inputs), never in memory:
a repeating job re-scans it, so a restart in the middle of anything loses nothing. Prompts are in
bot/case_prompts.py, buttons and typed input in bot/case_buttons.py.
"""


from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any

from telegram.ext import (
    Application,
    ContextTypes,
)

from bot.case_prompts import (
    assignee_unreachable,
    case_keyboard,
    complaint_route,
    deliver_prompts,
    deliver_relays,
    deliver_status_messages,
    deliver_unassigned,
    may_unmark_staff,
    refresh_prompts,
    render_case,
    send,
    send_prompt,
    tell_admins_unowned,
)
from bot.runtime import Runtime, runtime
from bot.staff import staff_texts
from bot.text_chunks import split_message
from storage import cases as store
from storage.models import utcnow

log = logging.getLogger(__name__)
Ctx = ContextTypes.DEFAULT_TYPE
AnyApp = Application[Any, Any, Any, Any, Any, Any]

SCAN_SECONDS = 60  # reminders, escalations and the outbox are checked this often
SWEEP_SECONDS = 900  # re-evaluate recent submissions whose hooks may have been missed
SWEEP_WINDOW = timedelta(hours=48)
MAX_KUDOS_QUOTES = 10


# --- hooks the resident flow and the scoring worker call -------------------------------------


async def on_submitted(app: AnyApp, submission_id: int) -> None:
    """A resident finished a submission (``runtime.hooks.on_submitted``)."""
    await _evaluate(app, [submission_id])


async def on_messages_scored(app: AnyApp, message_ids: list[int]) -> None:
    """The scoring worker committed scores (``runtime.hooks.on_scored``)."""
    rt = runtime(app)
    submission_ids = await rt.db.run(store.submissions_of_messages, list(message_ids))
    await _evaluate(app, submission_ids)
    # A case whose prompt already went out (a trigger topic opens it before scoring ends) and that the
    # worker's classifier now finds sensitive leaves the officer concerned, like a staff "mark sensitive".
    for case_id, moved in await rt.db.run(store.sensitive_from_flags, submission_ids):
        await refresh_prompts(app, case_id)
        if moved:
            await deliver_prompts(app, [case_id])
        else:
            await deliver_unassigned(app)


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
    can_unmark = await rt.db.run(may_unmark_staff, target.staff_id)
    # The reminder becomes their one prompt for the case (the earlier one loses its buttons).
    outcome, _, _ = await send_prompt(
        app, case_id, target.staff_id, target.chat_id, text, case_keyboard(tx, view, can_unmark=can_unmark)
    )
    if outcome in ("blocked", "failed"):
        await rt.db.run(assignee_unreachable, case_id, target.staff_id, outcome)
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
        await send(app, previous.chat_id, tx("cases.escalated_away", reference=reference or "", name=new.display_name))
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
        await send(
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
        _, sent, _ = await send(app, contact.chat_id, text)
        await rt.db.run(
            store.record_resident_notice,
            case_id,
            "told the reply is late and who has it now; formal route offered",
            sent.message_id if sent else None,
        )


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
            outcome, _, error = await send(app, batch.chat_id, chunk)
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


