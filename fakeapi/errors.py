"""Telegram-shaped API errors.

Every failure the fake reports goes through :class:`ApiError` so that the HTTP
status, ``error_code`` and ``description`` always agree, exactly like the real
Bot API does. PTB decides which exception to raise from the HTTP status
(403 -> ``Forbidden``, 400 -> ``BadRequest``, 401/404 -> ``InvalidToken``,
409 -> ``Conflict``) and from ``parameters.retry_after`` (-> ``RetryAfter``),
so getting these shapes right is what makes the fake useful.
"""

from __future__ import annotations

from typing import Any

# Descriptions copied from the real Bot API so that code matching on them
# (for example ``"blocked" in str(exc)``) behaves the same against the fake.
CHAT_NOT_FOUND = "Bad Request: chat not found"
MESSAGE_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)
MESSAGE_TO_EDIT_NOT_FOUND = "Bad Request: message to edit not found"
MESSAGE_TO_DELETE_NOT_FOUND = "Bad Request: message to delete not found"
MESSAGE_CANT_BE_EDITED = "Bad Request: message can't be edited"
REPLY_NOT_FOUND = "Bad Request: message to be replied not found"
QUERY_TOO_OLD = (
    "Bad Request: query is too old and response timeout expired or query ID is invalid"
)
BLOCKED_BY_USER = "Forbidden: bot was blocked by the user"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
NOT_FOUND = "Not Found"
UNAUTHORIZED = "Unauthorized"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
TERMINATED_BY_OTHER_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)

_DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request: injected error",
    401: UNAUTHORIZED,
    403: BLOCKED_BY_USER,
    404: NOT_FOUND,
    409: TERMINATED_BY_OTHER_POLL,
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A Bot API error response (``{"ok": false, ...}``) with its HTTP status."""

    def __init__(
        self,
        code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.parameters = parameters

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram would answer with."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = dict(self.parameters)
        return body


def bad_request(detail: str) -> ApiError:
    """A 400 whose description starts with ``Bad Request:`` like Telegram's."""
    return ApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> ApiError:
    """A 403 whose description starts with ``Forbidden:`` like Telegram's."""
    return ApiError(403, f"Forbidden: {detail}")


def injected_error(
    code: int,
    *,
    description: str | None = None,
    retry_after: int | None = None,
    migrate_to_chat_id: int | None = None,
) -> ApiError:
    """Build the error that :meth:`FakeBotApi.fail_next` should answer with.

    A 429 without an explicit ``retry_after`` still gets ``retry_after=1``:
    a real 429 always carries it and PTB only raises ``RetryAfter`` (which
    rate limiters retry on) when it is present.
    """
    parameters: dict[str, Any] = {}
    if code == 429:
        retry_after = 1 if retry_after is None else retry_after
        description = description or f"Too Many Requests: retry after {retry_after}"
    if retry_after is not None:
        parameters["retry_after"] = retry_after
    if migrate_to_chat_id is not None:
        parameters["migrate_to_chat_id"] = migrate_to_chat_id
        description = description or "Bad Request: group chat was upgraded to a supergroup chat"
    if description is None:
        description = _DEFAULT_DESCRIPTIONS.get(code, f"Error {code}")
    return ApiError(code, description, parameters or None)
