"""The per-Application state every handler needs, kept in ``application.bot_data`` (no globals)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext

from bot.config import Settings
from bot.i18n import Texts, normalise_language
from storage.db import Database

if TYPE_CHECKING:
    from bot.scoring import ScoringWorker

RUNTIME_KEY = "trustline"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    pseudonym_secret: str = ""
    bot_username: str = ""
    scoring: ScoringWorker | None = None
    # Extra services other areas attach at start-up (digest scheduler, follow-ups), by name.
    services: dict[str, Any] = field(default_factory=dict)

    def texts(self, language: str | None) -> Texts:
        return Texts(normalise_language(language, self.settings.agency.default_language))

    def wake_scorer(self) -> None:
        if self.scoring is not None:
            self.scoring.wake()


def runtime(context: CallbackContext[Any, Any, Any, Any] | Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    bot_data = context.bot_data
    return bot_data[RUNTIME_KEY]  # type: ignore[no-any-return]
