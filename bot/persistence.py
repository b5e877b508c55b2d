"""PTB persistence backed by Trustline's own database (no pickle files beside it).

Only conversation states are persisted: everything a resident said lives in proper tables, so
user_data/chat_data hold nothing that must survive a restart.
"""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, select
from telegram.ext import BasePersistence, PersistenceInput
from telegram.ext._utils.types import CDCData, ConversationDict, ConversationKey

from storage.db import Database
from storage.models import ConversationState, utcnow


def encode_key(key: ConversationKey) -> str:
    return json.dumps(list(key), separators=(",", ":"))


def _load(session: Session, name: str) -> ConversationDict:
    rows = session.exec(select(ConversationState).where(ConversationState.handler == name)).all()
    return {tuple(json.loads(r.key)): r.state for r in rows}


def _save(session: Session, name: str, key: str, state: object | None) -> None:
    row = session.exec(
        select(ConversationState).where(ConversationState.handler == name, ConversationState.key == key)
    ).first()
    if state is None:
        if row is not None:
            session.delete(row)
        return
    if row is None:
        session.add(ConversationState(handler=name, key=key, state=state))
    else:
        row.state, row.updated_at = state, utcnow()


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, db: Database, update_interval: float = 2) -> None:
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=False, callback_data=False),
            update_interval=update_interval,
        )
        self.db = db

    async def get_conversations(self, name: str) -> ConversationDict:
        return await self.db.run(_load, name)

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        await self.db.run(_save, name, encode_key(key), new_state)

    # Nothing else is persisted (see module docstring); PTB still requires the methods.
    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_chat_data(self) -> dict[int, dict[Any, Any]]:
        return {}

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        return None

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        return None

    async def update_callback_data(self, data: CDCData) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def drop_user_data(self, user_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        return None

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        return None

    async def flush(self) -> None:
        return None
