"""Everything `trustline run` starts: the resident bot plus scoring, staff and digest services."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot import case_prompts, followups, handlers, ops
from bot.app import build_application
from bot.digest_jobs import digest_startup
from bot.jobs import scored_elsewhere_startup, scoring_startup
from services.settings import Settings
from storage.db import Database


def build_full_application(
    settings: Settings, db: Database, *, scoring: bool = True
) -> Application[Any, Any, Any, Any, Any, Any]:
    """``scoring=False`` leaves scoring to ``trustline worker`` processes (no model loaded here)."""
    startup = [scoring_startup(settings)] if scoring else [scored_elsewhere_startup]
    return build_application(
        settings,
        db,
        extra_startup=[*startup, digest_startup, followups.startup, case_prompts.warn_routing_gaps, ops.startup],
        extra_handlers=list(handlers.STAFF_SIDE),
    )
