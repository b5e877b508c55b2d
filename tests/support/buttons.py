"""Pressing buttons the way a modified Telegram client can: any callback data, on any message."""

from __future__ import annotations

from typing import Any

from fakeapi.models import CallbackQueryRecord


async def press_data(api: Any, user: Any, data: str) -> str:
    """Press a button carrying ``data`` on the last bot message in the user's own chat."""
    state = api.chat_state(user)
    target = state.inbox[-1]
    query_id = f"{user.id}{api.new_id():08d}"
    api.register_query(CallbackQueryRecord(query_id, user.id, state.id, target.message_id, data))
    api.push_update("callback_query", {"id": query_id, "from": user.to_json(), "message": api.message_json(target),
                                       "chat_instance": str(state.id), "data": data})
    return query_id
