"""One message of a resident's story, filed: stored (committed before any answer), counted,
handed to the scorer, and answered at once with what safety needs said (the emergency number,
the duty team alerted, the complaint route). Used wherever words arrive: the story itself, words
held while a button question was open, text beside the ratings, and edits.
"""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.alerts import DELIVERED, send_alert
from bot.resident.common import Ctx, _reply
from bot.runtime import runtime
from nlp.analysis import TextAnalysis, analyse
from nlp.redact import redact
from services.i18n import Texts
from storage import feedback as store
from storage.models import Submission


async def _file_text(
    update: Update, context: Ctx, tx: Texts, sub: Submission, message_id: int, text: str, received: Any
) -> bool:
    """Store one message (committed before any answer) and say what safety needs said at once.
    False when Telegram redelivered a message already stored and answered."""
    rt = runtime(context)
    analysis = analyse(text, tx.language, settings=rt.settings.nlp)
    stored = await rt.db.run(
        store.store_message,
        sub,
        telegram_message_id=message_id,
        text=text,
        redacted_text=analysis.redacted,
        topics=list(analysis.topics),
        flags=analysis.flags,
        received_at=received,
    )
    if not stored.created:
        return False  # Telegram redelivered an update we already stored and answered
    rt.metrics.messages_stored.inc()
    if update.effective_chat is not None and stored.message_id is not None:
        rt.remember_chat(stored.message_id, update.effective_chat.id, tx.language)
    rt.wake_scorer()
    await _safety_replies(update, context, tx, analysis, stored.message_id)
    return True


async def _safety_replies(
    update: Update, context: Ctx, tx: Texts, analysis: TextAnalysis, message_id: int | None
) -> None:
    """The emergency number at once, on certain and uncertain danger alike; a duty team is named
    only when its alert was delivered (``message_id`` None: nothing stored yet, so no alert)."""
    rt = runtime(context)
    agency = rt.settings.agency
    kinds, advise = set(analysis.emergency.kinds), set(analysis.emergency.advise)
    urgent = sorted(kinds & {"emergency", "self_harm"})
    delivered = False
    if urgent and message_id is not None:
        kind = urgent[0]
        cue = analysis.emergency.cue_for(kind)  # type: ignore[arg-type]
        # The cue quotes the resident's own words: redact it like everything else staff see.
        outcome = await send_alert(
            context.application, kind=kind, message_id=message_id, cue=redact(cue) if cue else None
        )
        delivered = outcome == DELIVERED
    saved = [tx("feedback.saved_note")] if message_id is not None else []
    alerted = [tx("feedback.duty_alerted")] if delivered else []
    if "self_harm" in kinds | advise:
        await _reply(update, " ".join([tx("feedback.self_harm", emergency=agency.emergency_number), *saved, *alerted]))
    elif "emergency" in kinds:
        await _reply(update, " ".join([tx("feedback.emergency", emergency=agency.emergency_number), *saved, *alerted]))
    elif "emergency" in advise:
        await _reply(update, tx("feedback.emergency_advise", emergency=agency.emergency_number))
    if "misconduct" in kinds and message_id is not None:
        if agency.complaint_url:
            await _reply(update, tx("feedback.misconduct", complaint=agency.complaint_url))
        else:
            await _reply(update, tx("feedback.misconduct_no_url"))
