"""The demo page and its small JSON API, served by aiohttp on 127.0.0.1.

    GET  /                    the page (demo/static/index.html, app.js, style.css; no build step)
    GET  /api/state?since=N   the three panes; waits up to 25 s for a change when N is current
    POST /api/send            {"pane": "resident", "text": "/start"}
    POST /api/press           {"pane": "officer", "message_id": 3, "label": "Acknowledge"}
    GET  /api/file/{file_id}  bytes the bot uploaded (charts, documents)

The page is for the person at this computer only: the server listens on loopback, and posts
must be JSON from the page's own origin, so another web site open in the same browser cannot
type into the demo.
"""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from typing import Any

from aiohttp import web

from demo.session import DemoError, DemoSession

LONG_POLL_SECONDS = 25.0
_STATIC = {"index.html": "text/html", "app.js": "text/javascript", "style.css": "text/css"}
_SESSION: web.AppKey[DemoSession] = web.AppKey("session", DemoSession)


def create_app(session: DemoSession, *, long_poll: float = LONG_POLL_SECONDS) -> web.Application:
    app = web.Application(client_max_size=64 * 1024, middlewares=[_same_origin_posts])
    app[_SESSION] = session

    async def state(request: web.Request) -> web.Response:
        try:
            since = int(request.query.get("since", "-1"))
        except ValueError:
            since = -1
        if since == session.version():
            await session.wait_for_change(since, long_poll)
        return web.json_response(session.snapshot())

    async def send(request: web.Request) -> web.Response:
        body = await _json(request)
        await session.send(str(body.get("pane", "")), str(body.get("text", "")))
        return web.json_response({"ok": True, "version": session.version()})

    async def press(request: web.Request) -> web.Response:
        body = await _json(request)
        try:
            message_id = int(body.get("message_id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise DemoError("message_id must be a number") from None
        await session.press(str(body.get("pane", "")), message_id, str(body.get("label", "")))
        return web.json_response({"ok": True, "version": session.version()})

    async def file(request: web.Request) -> web.Response:
        stored = session.file(request.match_info["file_id"])
        headers = {"Content-Disposition": f'inline; filename="{_ascii_name(stored.filename or stored.file_id)}"',
                   "X-Content-Type-Options": "nosniff"}
        return web.Response(body=stored.data, content_type=_content_type(stored.data or b"", stored.mime_type), headers=headers)

    app.router.add_get("/", _static("index.html"))
    for name in _STATIC:
        app.router.add_get(f"/static/{name}", _static(name))
    app.router.add_get("/api/state", state)
    app.router.add_post("/api/send", send)
    app.router.add_post("/api/press", press)
    app.router.add_get("/api/file/{file_id}", file)
    return app


def _static(name: str) -> Any:
    async def handler(request: web.Request) -> web.Response:
        body = resources.files("demo").joinpath("static", name).read_bytes()
        return web.Response(body=body, content_type=_STATIC[name], charset="utf-8",
                            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})

    return handler


async def _json(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise DemoError("send JSON (Content-Type: application/json)")
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DemoError("that is not valid JSON") from None
    if not isinstance(body, dict):
        raise DemoError("send a JSON object")
    return body


@web.middleware
async def _same_origin_posts(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.method == "POST":
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            return web.json_response({"ok": False, "error": "requests from other sites are refused"}, status=403)
    try:
        return await handler(request)
    except DemoError as exc:
        status = 404 if request.path.startswith("/api/file/") else 400
        return web.json_response({"ok": False, "error": str(exc)}, status=status)
    except AssertionError as exc:  # the fake Telegram refused (e.g. a button it cannot find)
        return web.json_response({"ok": False, "error": str(exc).splitlines()[0]}, status=400)


def _content_type(data: bytes, declared: str | None) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    if data.startswith(b"%PDF"):
        return "application/pdf"
    # Never let an upload be served as HTML or script on this origin.
    if declared and declared.split(";")[0].strip() in ("text/csv", "text/plain", "application/json"):
        return declared.split(";")[0].strip()
    return "application/octet-stream"


def _ascii_name(name: str) -> str:
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)[:100] or "file"


class DemoServer:
    """The page's web server; ``await start()`` returns its URL."""

    def __init__(self, session: DemoSession, *, host: str = "127.0.0.1", port: int = 8080) -> None:
        self._app = create_app(session)
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> str:
        self._runner = web.AppRunner(self._app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        port = next(a[1] for a in self._runner.addresses if isinstance(a, tuple))
        return f"http://{self._host}:{port}/"

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await asyncio.wait_for(runner.cleanup(), timeout=5)
