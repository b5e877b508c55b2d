"""Settings for tests and a running bot aimed at the fake Bot API."""

from __future__ import annotations

from typing import Any

from fakeapi import start_application, stop_application
from services.settings import Settings
from tests.support.paths import REAL_MODEL

TEST_UNITS = [
    {"code": "D1-Patrol", "name": "District 1 Patrol", "district": "North"},
    {"code": "D1-Traffic", "name": "District 1 Traffic", "district": "North"},
    {"code": "D3-Patrol", "name": "District 3 Patrol", "district": "South"},
]

def make_settings(db_url: str, **sections: Any) -> Settings:
    data: dict[str, Any] = {
        "telegram": {"token": "123456:TEST-TOKEN"},
        "storage": {"url": db_url},
        "privacy": {"pseudonym_secret": "test-secret"},
        "agency": {"name": "Springfield PD", "emergency_number": "911", "timezone": "America/Chicago"},
        "units": TEST_UNITS,
        "nlp": {"model": str(REAL_MODEL)},
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Settings(**data)


# The update kinds Trustline handles; what `trustline run` asks Telegram for, minus the rest.
BOT_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


async def start_bot(app: Any) -> None:
    await start_application(app, allowed_updates=BOT_UPDATES)


async def stop_bot(app: Any) -> None:
    await stop_application(app)


def point_at(settings: Settings, fake_api: Any) -> Settings:
    """Aim the bot at the fake Bot API, exactly as an agency with its own Bot API server would."""
    from pydantic import SecretStr

    settings.telegram.base_url = fake_api.base_url
    settings.telegram.base_file_url = fake_api.base_file_url
    settings.telegram.token = SecretStr(fake_api.token)
    return settings
