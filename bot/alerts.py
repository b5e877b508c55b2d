"""Immediate alerts to the duty chat for emergencies detected in feedback (redacted text only)."""

from __future__ import annotations

import logging
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
        cue=cue or "",
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


def _confirm_borderline(session: Any, message_ids: list[int], nlp_settings: Any) -> list[tuple[int, str, str | None]]:
    """Kinds that only the sentiment score confirms (rule cue + strongly negative text).

    Stores the new kinds in the message's flags and returns (message id, kind, redacted cue) for
    each alert still to send. Messages whose original text is gone are left as they are.
    """
    from nlp.analysis import analyse
    from nlp.redact import redact

    new: list[tuple[int, str, str | None]] = []
    for mid in message_ids:
        msg = store.scored_text(session, mid)
        if msg is None:
            continue
        decided = analyse(msg.text, msg.language, settings=nlp_settings).with_sentiment(
            msg.score, nlp_settings.emergency_model_threshold
        )
        added = [k for k in decided.emergency.kinds if k not in msg.flags]
        if not added:
            continue
        store.add_flags(session, mid, added)
        for kind in added:
            if kind in URGENT:
                cue = decided.emergency.cue_for(kind)
                new.append((mid, kind, redact(cue) if cue else None))
    return new


URGENT = ("emergency", "self_harm")


async def recheck_alerts(app: Application[Any, Any, Any, Any, Any, Any], message_ids: list[int]) -> None:
    """After scoring: raise the alerts the rules alone found too uncertain at receive time."""
    rt = runtime(app)
    for message_id, kind, cue in await rt.db.run(_confirm_borderline, message_ids, rt.settings.nlp):
        await send_alert(app, kind=kind, message_id=message_id, cue=cue)
