"""A demo agency with weeks of feedback, its staff chats and a bot whose clock the test sets."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.aggregation import UnitRow, seed_trust_messages
from bot import handlers
from bot.app import build_application
from bot.digest_jobs import digest_startup
from bot.runtime import runtime
from services.settings import Settings
from storage.db import Database
from storage.models import StaffChat
from storage.models_rollups import DigestRun
from tests.support.app import make_settings, point_at, start_bot
from tests.support.demo import DEMO_TZ, demo_messages, demo_org

TZ = ZoneInfo(DEMO_TZ)
MONDAY_8AM = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)  # W48's Monday: the W47 digest is due
ADMIN = 777_001
AGENCY = "Riverside Police"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def demo_settings(db_url: str, **sections: Any) -> Settings:
    units = [{"code": u.unit_id, "name": u.name, "district": u.district_id} for u in demo_org().units.values()]
    return make_settings(db_url, agency={"timezone": DEMO_TZ, "name": AGENCY}, units=units,
                         telegram={"admin_ids": [ADMIN]}, **sections)


def seed(database: Database, weeks: int = 13) -> list[Any]:
    messages = demo_messages("2026-W47", weeks=weeks)
    seed_trust_messages(database, [UnitRow(u.unit_id, u.name, u.district_id or "") for u in demo_org().units.values()], messages)
    return messages


def register(database: Database, chat: Any, kind: str = "agency", value: str | None = None, language: str = "en") -> int:
    def add(session: Any) -> int:
        row = StaffChat(chat_id=chat.id, title=chat.title or "", scope_kind=kind, scope_value=value, language=language)
        session.add(row)
        session.flush()
        return row.id  # type: ignore[return-value]

    return database.call(add)


async def start(fake_api: Any, database: Database, settings: Settings, clock: Clock, *, catch_up_delay: float = 3600) -> Any:
    point_at(settings, fake_api)
    app = build_application(settings, database, extra_startup=[digest_startup],
                            extra_handlers=[handlers.add_trust_handlers], persistence_interval=0.2)
    runtime(app).hooks.clock, runtime(app).hooks.digest_catch_up_delay = clock, catch_up_delay
    await start_bot(app)
    return app


def runs(database: Database) -> list[DigestRun]:
    return database.call(lambda s: list(s.execute(select(DigestRun).order_by(DigestRun.id)).scalars()))
