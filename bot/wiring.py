"""Everything `trustline run` starts: the resident bot plus scoring, staff and digest services."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.app import build_application
from services.settings import Settings
from storage.db import Database


def build_full_application(settings: Settings, db: Database) -> Application[Any, Any, Any, Any, Any, Any]:
    from bot import followups, officer_trust
    from bot.digest_jobs import digest_startup
    from bot.staff_trust import add_handlers as add_trust_handlers
    from services.scoring import scoring_startup

    return build_application(
        settings, db, extra_startup=[scoring_startup(settings), digest_startup, followups.startup, followups.warn_routing_gaps], extra_handlers=[add_trust_handlers, followups.install, officer_trust.add_handlers]
    )
