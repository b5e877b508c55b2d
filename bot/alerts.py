"""Immediate alerts to the duty chat for emergencies detected in feedback (redacted text only)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application

from bot.runtime import runtime
from storage import alerts as store

log = logging.getLogger(__name__)


# What became of an alert; the resident's reply promises a duty team only on DELIVERED.
DELIVERED, NO_DUTY_CHAT, FAILED = "delivered", "no_duty_chat", "failed"


async def send_alert(app: Application[Any, Any, Any, Any, Any, Any], *, kind: str, message_id: int, cue: str | None) -> str:
    """Alert the duty chat; returns DELIVERED, NO_DUTY_CHAT or FAILED (admins are told of FAILED)."""
    rt = runtime(app)
    agency = rt.settings.agency
    alert_id, source = await rt.db.run(store.open_alert, kind, message_id, cue)
    if agency.duty_chat_id is None:
        log.warning("%s alert %s not sent: agency.duty_chat_id is not configured", kind, alert_id)
        await rt.db.run(store.finish_alert, alert_id, "no duty chat configured")
        rt.metrics.alerts_failed.labels(kind).inc()
        return NO_DUTY_CHAT
    tx = rt.texts(agency.default_language)
    text = tx("alert." + kind) + "\n" + tx(
        "alert.body",
        resident=source.resident if source else "?",
        unit=(source.unit if source else None) or tx("alert.no_unit"),
        time=source.received.astimezone(agency.tz).strftime("%Y-%m-%d %H:%M") if source else "",
        cue=cue or tx("alert.no_cue"),
        text=(source.text if source else "")[:3000],
        emergency=agency.emergency_number,
    )
    try:
        await app.bot.send_message(agency.duty_chat_id, text, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.error("could not deliver %s alert %s to the duty chat: %s", kind, alert_id, exc)
        await rt.db.run(store.finish_alert, alert_id, str(exc)[:500])
        rt.metrics.alerts_failed.labels(kind).inc()
        await _tell_admins(app, kind, alert_id, str(exc))
        return FAILED
    await rt.db.run(store.finish_alert, alert_id, None)
    rt.metrics.alerts_sent.labels(kind).inc()
    return DELIVERED


async def _tell_admins(app: Application[Any, Any, Any, Any, Any, Any], kind: str, alert_id: int, error: str) -> None:
    """A lost emergency alert must not stay a log line: every configured admin hears of it."""
    rt = runtime(app)
    tx = rt.texts(rt.settings.agency.default_language)
    text = tx("alert.admin_failed", kind=tx("alert.kind_" + kind), alert=alert_id, error=error[:300],
              emergency=rt.settings.agency.emergency_number)
    for admin in rt.settings.telegram.admin_ids:
        try:
            await app.bot.send_message(admin, text, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.error("could not tell admin %s that alert %s failed: %s", admin, alert_id, exc)


@dataclass(frozen=True)
class AfterScoring:
    """What the after-scoring check found for one message: alerts still to send (kind, redacted cue)
    and the urgent kind whose emergency number the resident has not been given yet (if any)."""

    message_id: int
    alerts: tuple[tuple[str, str | None], ...] = ()
    advise: str | None = None


def _after_scoring(session: Any, message_ids: list[int], nlp_settings: Any) -> list[AfterScoring]:
    """Re-decide each scored message with what the worker knows: the sentiment score (a borderline
    cue in a strongly negative message alerts) and the safety head's flags (``nlp.safety``).

    Stores the new alert kinds in the message's flags, so a second call finds nothing new, and
    ``advised_late`` once the resident is due the emergency number they did not get at receive time
    (the rules found nothing then). Messages whose original text is gone are left as they are.
    """
    from nlp.analysis import analyse
    from nlp.redact import redact
    from nlp.safety import LATE_ADVICE, verdict_from_flags

    out: list[AfterScoring] = []
    for mid in message_ids:
        msg = store.scored_text(session, mid)
        if msg is None:
            continue
        at_receipt = analyse(msg.text, msg.language, settings=nlp_settings)
        verdict = verdict_from_flags(msg.flags)
        decided = at_receipt.with_sentiment(msg.score, nlp_settings.emergency_model_threshold).with_safety(verdict)
        added = [k for k in decided.emergency.kinds if k not in msg.flags]
        urgent_now = [k for k in URGENT if k in decided.emergency.kinds or k in decided.emergency.advise]
        late = None
        if urgent_now and at_receipt.emergency.level == "none" and LATE_ADVICE not in msg.flags:
            late = urgent_now[-1] if "self_harm" in urgent_now else urgent_now[0]
        if not added and late is None:
            continue
        store.add_flags(session, mid, [*added, *([LATE_ADVICE] if late else [])])
        alerts = []
        sent = store.alerted_kinds(session, mid) if added else set()
        for kind in added:
            if kind in URGENT and kind not in sent:
                cue = decided.emergency.cue_for(kind)  # type: ignore[arg-type]
                alerts.append((kind, redact(cue) if cue else None))
        out.append(AfterScoring(mid, tuple(alerts), late))
    return out


URGENT = ("emergency", "self_harm")


async def recheck_alerts(app: Application[Any, Any, Any, Any, Any, Any], message_ids: list[int]) -> None:
    """After scoring: raise the alerts the rules alone found too uncertain at receive time, and give
    the resident the emergency number when only the worker saw the danger (once, a few seconds late)."""
    rt = runtime(app)
    for item in await rt.db.run(_after_scoring, message_ids, rt.settings.nlp):
        delivered = False
        for kind, cue in item.alerts:
            delivered = await send_alert(app, kind=kind, message_id=item.message_id, cue=cue) == DELIVERED or delivered
        if item.advise is not None:
            await _advise_late(app, item.message_id, item.advise, delivered)


async def _advise_late(app: Application[Any, Any, Any, Any, Any, Any], message_id: int, kind: str, alerted: bool) -> None:
    rt = runtime(app)
    chat = rt.recent_chats.get(message_id)
    if chat is None:  # another process received it, or this one restarted: the duty chat has the alert
        log.info("no chat known for message %s: the late %s advice could not be sent", message_id, kind)
        return
    chat_id, language = chat
    tx = rt.texts(language)
    number = rt.settings.agency.emergency_number
    lines = [tx("feedback.self_harm" if kind == "self_harm" else "feedback.emergency_advise", emergency=number)]
    if alerted:
        lines.append(tx("feedback.duty_alerted"))
    try:
        await app.bot.send_message(chat_id, " ".join(lines), parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.error("could not send the late %s advice for message %s: %s", kind, message_id, exc)
