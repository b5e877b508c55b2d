"""The per-Application state every handler needs, kept in ``application.bot_data`` (no globals)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext

from services.health import Metrics, OpsServer
from services.i18n import Texts, normalise_language
from services.settings import Settings
from storage.db import Database

if TYPE_CHECKING:
    from services.scoring import ScoringWorker

RUNTIME_KEY = "trustline"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Hooks:
    """How the areas plug into each other, set by their start-up steps before polling starts.

    Typed fields rather than a registry, so a reader sees every seam in one place.
    """

    # A resident finished a submission (follow-ups decide whether to open a case).
    on_submitted: Callable[[int], Awaitable[None]] | None = None
    # The scoring worker committed scores for these message ids (follow-ups, kudos).
    on_scored: Callable[[list[int]], Awaitable[None]] | None = None
    # A resident said "contact me" about this reference (offer Reply on an open case).
    on_contact_requested: Callable[[str], Awaitable[None]] | None = None
    # Run at shutdown, in order (stop the scoring worker, ...).
    shutdown: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    # "Now" for scheduling decisions; tests replace it instead of waiting for real time.
    clock: Callable[[], datetime] = utc_now
    # Seconds before the start-up digest catch-up check (tests shorten it).
    digest_catch_up_delay: float = 1.0
    # One digest tick at a time within this process (other processes are fenced by the database).
    digest_lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    pseudonym_secret: str = ""
    bot_username: str = ""
    scoring: ScoringWorker | None = None
    hooks: Hooks = field(default_factory=Hooks)
    # Prometheus metrics of this Application (a private registry, never prometheus' global one).
    metrics: Metrics = field(default_factory=Metrics)
    # /healthz, /readyz, /metrics when ops.port is set (bot/ops.py starts it).
    ops_server: OpsServer | None = None

    def texts(self, language: str | None) -> Texts:
        return Texts(normalise_language(language, self.settings.agency.default_language))

    def wake_scorer(self) -> None:
        if self.scoring is not None:
            self.scoring.wake()


def runtime(context: CallbackContext[Any, Any, Any, Any] | Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    bot_data = context.bot_data
    return bot_data[RUNTIME_KEY]  # type: ignore[no-any-return]
