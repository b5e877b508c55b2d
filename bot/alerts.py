"""Immediate alerts to the duty chat for emergencies detected in feedback (redacted text only)."""

from __future__ import annotations

import logging
from typing import Any

from sqlmodel import Session
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application

from bot.runtime import runtime
from storage.identity import short_pseudonym
from storage.models import Alert, FeedbackMessage, Resident, Unit, utcnow
from storage.types import as_utc

log = logging.getLogger(__name__)


def _prepare(session: Session, kind: str, message_id: int, cue: str | None) -> tuple[int, dict[str, Any]]:
    msg = session.get(FeedbackMessage, message_id)
    alert = Alert(message_id=message_id, kind=kind, cue=(cue or "")[:200] or None)
    session.add(alert)
    session.flush()
    if msg is None:
        return alert.id, {}  # type: ignore[return-value]
    resident = session.get(Resident, msg.resident_id)
    unit = session.get(Unit, msg.unit_id) if msg.unit_id else None
    received = as_utc(msg.received_at)
    return alert.id, {  # type: ignore[return-value]
        "resident": short_pseudonym(resident.pseudonym) if resident else "?",
        "unit": unit.name if unit else None,
        "received": received,
        "text": msg.redacted_text,
    }


def _record(session: Session, alert_id: int, error: str | None) -> None:
    alert = session.get(Alert, alert_id)
    if alert is not None:
        alert.sent_at = None if error else utcnow()
        alert.error = error


async def send_alert(app: Application[Any, Any, Any, Any, Any, Any], *, kind: str, message_id: int, cue: str | None) -> None:
    rt = runtime(app)
    agency = rt.settings.agency
    alert_id, info = await rt.db.run(_prepare, kind, message_id, cue)
    if agency.duty_chat_id is None:
        log.warning("%s alert %s not sent: agency.duty_chat_id is not configured", kind, alert_id)
        await rt.db.run(_record, alert_id, "no duty chat configured")
        rt.metrics.alerts_failed.labels(kind).inc()
        return
    tx = rt.texts(agency.default_language)
    text = tx("alert." + kind) + "\n" + tx(
        "alert.body",
        resident=info.get("resident", "?"),
        unit=info.get("unit") or tx("alert.no_unit"),
        time=info["received"].astimezone(agency.tz).strftime("%Y-%m-%d %H:%M") if info else "",
        cue=cue or "",
        text=(info.get("text") or "")[:3000],
        emergency=agency.emergency_number,
    )
    try:
        await app.bot.send_message(agency.duty_chat_id, text, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.error("could not deliver %s alert %s to the duty chat: %s", kind, alert_id, exc)
        await rt.db.run(_record, alert_id, str(exc)[:500])
        rt.metrics.alerts_failed.labels(kind).inc()
        return
    await rt.db.run(_record, alert_id, None)
    rt.metrics.alerts_sent.labels(kind).inc()


def _confirm_borderline(session: Session, message_ids: list[int], nlp_settings: Any) -> list[tuple[int, str, str | None]]:
    """Kinds that only the sentiment score confirms (rule cue + strongly negative text).

    Stores the new kinds in the message's flags and returns (message id, kind, redacted cue) for
    each alert still to send. Messages whose original text is gone are left as they are.
    """
    from nlp.analysis import analyse
    from nlp.redact import redact

    new: list[tuple[int, str, str | None]] = []
    for mid in message_ids:
        msg = session.get(FeedbackMessage, mid)
        if msg is None or msg.text is None or msg.score is None:
            continue
        decided = analyse(msg.text, msg.language, settings=nlp_settings).with_sentiment(
            msg.score, nlp_settings.emergency_model_threshold
        )
        added = [k for k in decided.emergency.kinds if k not in msg.flags]
        if not added:
            continue
        msg.flags = [*msg.flags, *added]
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
