"""Decoding Bot API request parameters.

Telegram accepts parameters in the query string, as
``application/x-www-form-urlencoded``, as ``application/json`` or as
``multipart/form-data`` (needed for uploads). PTB sends form fields where
strings are sent verbatim and everything else (ints, bools, lists, dicts) is
``json.dumps``-ed, switching to multipart whenever a file is attached. A JSON
body, on the other hand, carries real JSON types. :class:`Params` hides the
difference: every accessor accepts both the textual and the typed form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

from fakeapi.errors import ApiError, bad_request

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off", ""}


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes

    def __repr__(self) -> str:  # bytes can be huge; keep reprs readable in assertion output
        return (
            f"UploadedFile(field={self.field!r}, filename={self.filename!r}, "
            f"content_type={self.content_type!r}, size={len(self.data)})"
        )


class Params:
    """The decoded parameters of one request, with Telegram-like coercion."""

    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile]) -> None:
        self.values = values
        self.files = files

    def has(self, name: str) -> bool:
        """Whether the parameter was sent (as a value or as a file)."""
        return name in self.values or name in self.files

    def get_str(self, name: str, *, required: bool = False) -> str | None:
        """A string parameter; JSON-typed scalars are converted back to text."""
        value = self.values.get(name)
        if value is None:
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        raise bad_request(f"field \"{name}\" must be of type String")

    def _numeric(self, name: str, type_name: str, *, required: bool) -> Any:
        """The raw value of a numeric parameter, ``None`` when absent or empty.

        Integers and floats share Telegram's rules for what is missing (an empty
        string counts as not sent) and that a JSON boolean is not a number, so
        both accessors start here and only convert differently.
        """
        value = self.values.get(name)
        if value is None or value == "":
            if required:
                raise bad_request(f"{name} is empty")
            return None
        if isinstance(value, bool):
            raise bad_request(f"field \"{name}\" must be of type {type_name}")
        return value

    def get_int(self, name: str, *, required: bool = False) -> int | None:
        """An integer parameter (Telegram rejects non-integers with a 400)."""
        value = self._numeric(name, "Integer", required=required)
        if value is None:
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(f"field \"{name}\" must be of type Integer") from None

    def get_float(self, name: str, *, required: bool = False) -> float | None:
        """A float parameter (PTB sends fractional timedeltas as floats)."""
        value = self._numeric(name, "Float", required=required)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"field \"{name}\" must be of type Float") from None

    def get_bool(self, name: str, default: bool = False) -> bool:
        """A boolean parameter (``true``/``false`` as text or JSON)."""
        value = self.values.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise bad_request(f"field \"{name}\" must be of type Boolean")

    def get_json(self, name: str, *, error: str | None = None) -> Any:
        """A structured parameter: decoded from text when sent as a form field."""
        value = self.values.get(name)
        if not isinstance(value, str):
            return value
        if value == "":
            return None
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(error or f"can't parse {name} JSON object") from None

    def get_chat_id(self, name: str = "chat_id") -> int | str:
        """A ``chat_id``: an integer or an ``@username`` string."""
        value = self.values.get(name)
        if value is None or value == "":
            raise bad_request(f"{name} is empty")
        if isinstance(value, bool):
            raise bad_request("chat not found")
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if text.startswith("@"):
            return text
        try:
            return int(text)
        except ValueError:
            raise bad_request("chat not found") from None

    def get_input_file(self, name: str) -> UploadedFile | str | None:
        """A file parameter: an uploaded part, or a string (file_id or URL).

        ``attach://<part>`` references (used by media groups) are resolved
        to the named multipart part.
        """
        if name in self.files:
            return self.files[name]
        value = self.get_str(name)
        if value is not None and value.startswith("attach://"):
            part = self.files.get(value.removeprefix("attach://"))
            if part is None:
                raise bad_request(f"wrong file identifier/HTTP URL specified: {value}")
            return part
        return value

    def as_record(self) -> dict[str, Any]:
        """Parameters decoded for assertions: JSON-looking strings are parsed.

        Used for :attr:`ApiCall.params`, so tests can write
        ``call.params["reply_markup"]["inline_keyboard"]`` whatever the
        transport was.
        """
        record: dict[str, Any] = {name: _maybe_json(value) for name, value in self.values.items()}
        record.update(self.files)
        return record


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def read_params(request: web.Request) -> Params:
    """Read query string and body of ``request`` into :class:`Params`.

    Any decoding problem becomes a 400 (or 413 for oversized bodies) instead
    of an exception escaping into aiohttp.
    """
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    try:
        if request.body_exists:
            await _read_body(request, values, files)
    except ApiError:
        raise
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "Request Entity Too Large") from None
    except Exception as exc:  # noqa: BLE001 - any parser failure is the client's fault
        raise bad_request(f"can't parse request body: {exc.__class__.__name__}") from None
    return Params(values, files)


async def _read_body(
    request: web.Request, values: dict[str, Any], files: dict[str, UploadedFile]
) -> None:
    content_type = request.content_type
    if content_type == "application/json":
        await _read_json(request, values)
    elif content_type == "multipart/form-data":
        await _read_multipart(request, values, files)
    elif content_type == "application/x-www-form-urlencoded":
        form = await request.post()
        for key, value in form.items():
            values[key] = value if isinstance(value, str) else str(value)
    else:
        body = await request.read()
        if body.strip():
            raise bad_request(f"unsupported Content-Type {content_type!r}")


async def _read_json(request: web.Request, values: dict[str, Any]) -> None:
    body = await request.read()
    if not body.strip():
        return
    try:
        decoded = json.loads(body)
    except ValueError:
        raise bad_request("can't parse JSON request body") from None
    if not isinstance(decoded, dict):
        raise bad_request("JSON request body must be an object")
    values.update(decoded)


async def _read_multipart(
    request: web.Request, values: dict[str, Any], files: dict[str, UploadedFile]
) -> None:
    reader = await request.multipart()
    while True:
        part = await reader.next()
        if part is None:
            return
        if not isinstance(part, BodyPartReader) or not part.name:
            raise bad_request("malformed multipart part")
        data = await part.read(decode=True)
        if part.filename is not None:
            files[part.name] = UploadedFile(
                field=part.name,
                filename=part.filename,
                content_type=part.headers.get("Content-Type"),
                data=bytes(data),
            )
        else:
            values[part.name] = bytes(data).decode("utf-8", errors="replace")
