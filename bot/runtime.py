"""The per-Application state every handler needs, kept in ``application.bot_data`` (no globals)."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from telegram.ext import Application, CallbackContext

from bot.outage import Outage
from services.health import Metrics, OpsServer
from services.i18n import Texts, normalise_language
from services.settings import Settings
from storage.db import Database, is_unavailable

if TYPE_CHECKING:
    from services.scoring import ScoringWorker

RUNTIME_KEY = "trustline"
RECENT_CHATS = 4096  # messages whose chat is remembered for late safety advice (minutes of traffic)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Hooks:
    """How the areas plug into each other, set by their start-up steps before polling starts.

    Typed fields rather than a registry, so a reader sees every seam in one place.
    """

    # After scoring, first: raise the alerts the rules found too uncertain at receive time (bot/alerts.py).
    recheck_alerts: Callable[[list[int]], Awaitable[None]] | None = None
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
class Health:
    """Readiness as the health server reports it (services/health.py reads, never writes)."""

    database_ok: bool = True  # False from the first failed database call until one succeeds
    intake_running: bool = False  # updates are being fetched (polling) or accepted (webhook)
    standby: bool = False  # another process holds the Telegram connection; this one waits

    @property
    def ready(self) -> bool:
        return self.database_ok and self.intake_running


@dataclass
class LiveStatus:
    """The residents' "Saved" status messages being refreshed (bot/resident/story.py): edits are
    coalesced per chat, at most one per ``BURST_SECONDS``."""

    refreshing: set[int] = field(default_factory=set)  # chats with a refresh already scheduled
    edited_at: dict[int, float] = field(default_factory=dict)  # last edit per chat, monotonic seconds


@dataclass
class Runtime:
    settings: Settings
    db: Database
    pseudonym_secret: str = ""
    bot_username: str = ""
    scoring: ScoringWorker | None = None
    hooks: Hooks = field(default_factory=Hooks)
    # Update ids whose private chat already got the "something went wrong" apology (bot/guards.py).
    apologised: deque[int] = field(default_factory=lambda: deque(maxlen=512))
    # Run once in post_init, in order, after secrets and units are ready (bot/jobs.py: StartupStep).
    startup_steps: list[Callable[[Any], Awaitable[None]]] = field(default_factory=list)
    health: Health = field(default_factory=Health)
    status: LiveStatus = field(default_factory=LiveStatus)
    outage: Outage = field(init=False)
    _announcing: bool = False  # a NOTIFY to scoring workers is on its way
    # message id -> (private chat id, language) of recent resident messages, so advice the scoring
    # worker finds necessary a few seconds later can reach the resident. Memory only (the database
    # keeps no chat id unless the resident asked to be contacted); bounded; lost on restart.
    recent_chats: dict[int, tuple[int, str]] = field(default_factory=dict)
    _announce_again: bool = False

    def __post_init__(self) -> None:
        self.outage = Outage(self.health)
    # Prometheus metrics of this Application (a private registry, never prometheus' global one).
    metrics: Metrics = field(default_factory=Metrics)
    # /healthz, /readyz, /metrics when ops.port is set (bot/ops.py starts it).
    ops_server: OpsServer | None = None

    def remember_chat(self, message_id: int, chat_id: int, language: str) -> None:
        self.recent_chats[message_id] = (chat_id, language)
        while len(self.recent_chats) > RECENT_CHATS:
            del self.recent_chats[next(iter(self.recent_chats))]  # the oldest

    def texts(self, language: str | None) -> Texts:
        return Texts(normalise_language(language, self.settings.agency.default_language))

    def wake_scorer(self) -> None:
        """A message was stored: wake this process's worker and, on PostgreSQL, every
        `trustline worker` (one NOTIFY at a time; each worker claims all that is pending)."""
        if self.scoring is not None:
            self.scoring.wake()
        if not self.db.is_postgres:
            return
        if self._announcing:
            self._announce_again = True  # stored after the NOTIFY in flight was sent, maybe
            return
        self._announcing = True
        asyncio.get_running_loop().create_task(self._announce_work())

    async def _announce_work(self) -> None:
        from services.scoring import WORK_CHANNEL, announce

        try:
            again = True
            while again:
                self._announce_again = False
                await asyncio.to_thread(announce, self.db, WORK_CHANNEL)
                again = self._announce_again
        except Exception as exc:  # noqa: BLE001 - workers still poll; an outage is logged elsewhere
            if not is_unavailable(exc):
                raise
        finally:
            self._announcing = False


def runtime(context: CallbackContext[Any, Any, Any, Any] | Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    bot_data = context.bot_data
    return bot_data[RUNTIME_KEY]  # type: ignore[no-any-return]
