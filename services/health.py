"""The operators' HTTP endpoints: ``/healthz``, ``/readyz`` and Prometheus ``/metrics``.

:class:`OpsServer` is a small aiohttp server that runs on the bot's (or a worker's) event loop,
configured by the ``[ops]`` section: ``host`` (default ``127.0.0.1``) and ``port`` (``0``, the
default, means the process starts no server at all; the container images set ``0.0.0.0:9090``).

* ``/healthz``: ``200 ok`` as long as the event loop answers. A wedged loop (a blocking call, a
  deadlock) makes it time out, which is what a container health check or systemd watchdog wants.
* ``/readyz``: runs the readiness checks (database reachable, model loaded, ...) and answers
  ``200`` with ``{"ready": true, "checks": {...}}`` when every check is true, else ``503``. A check
  that raises or takes longer than ``readiness_timeout`` counts as not ready; the response names
  only the exception type, never its message (which may hold a host name or a URL).
* ``/metrics``: the Prometheus exposition of one :class:`Metrics` registry.

Nothing here is global: each :class:`Metrics` owns a private ``CollectorRegistry`` (never
prometheus_client's default one), held by the Application's runtime like everything else, so two
Applications in one process (the tests) never share counters. No metric carries resident data or
identifiers: labels are bounded sets such as update kinds and error kinds.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, ProcessCollector
from prometheus_client.exposition import choose_encoder

log = logging.getLogger(__name__)

Readiness = Callable[[], Awaitable[dict[str, bool]]]

# Seconds; a scoring batch is one forward pass over up to nlp.batch_size messages plus one commit.
BATCH_SECONDS_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """Every Trustline metric, in a private registry. Counters are exposed with a ``_total`` suffix.

    The counters are incremented where things happen; the gauges (queue, cases) are set by a
    periodic job from one cheap query each, so scraping never touches the database.
    """

    def __init__(self, *, process: bool = True) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        reg = self.registry
        if process:  # trustline_process_cpu_seconds_total, ..._resident_memory_bytes, ... (Linux only)
            ProcessCollector(namespace="trustline", registry=reg)

        # Intake
        self.updates_received = Counter(
            "trustline_updates_received", "Telegram updates received, by kind (message, callback_query, ...).",
            ["kind"], registry=reg,
        )
        self.messages_stored = Counter(
            "trustline_messages_stored", "Resident messages committed to the database.", registry=reg,
        )

        # Scoring
        self.scoring_queue_depth = Gauge(
            "trustline_scoring_queue_depth", "Messages waiting to be scored by the current model.", registry=reg,
        )
        self.scoring_lag = Gauge(
            "trustline_scoring_lag_seconds", "Age of the oldest message waiting to be scored (0 when none).",
            registry=reg,
        )
        self.scoring_batch_seconds = Histogram(
            "trustline_scoring_batch_seconds", "Time to score and commit one batch.",
            buckets=BATCH_SECONDS_BUCKETS, registry=reg,
        )
        self.messages_scored = Counter(
            "trustline_messages_scored", "Messages scored (outcome=scored) or given up on (outcome=failed).",
            ["outcome"], registry=reg,
        )

        # Alerts to the duty chat
        self.alerts_sent = Counter(
            "trustline_alerts_sent", "Emergency/misconduct alerts delivered to the duty chat, by kind.",
            ["kind"], registry=reg,
        )
        self.alerts_failed = Counter(
            "trustline_alerts_failed", "Alerts that could not be delivered, by kind.", ["kind"], registry=reg,
        )

        # Follow-up cases
        self.cases_open = Gauge("trustline_cases_open", "Follow-up cases not yet resolved.", registry=reg)
        self.cases_overdue = Gauge(
            "trustline_cases_overdue", "Open cases past followup.escalate_after_hours without acknowledgement.",
            registry=reg,
        )
        self.cases_unowned = Gauge(
            "trustline_cases_unowned", "Open cases with no active staff member assigned.", registry=reg,
        )

        # Digests
        self.digests_sent = Counter(
            "trustline_digests_sent", "Digests posted to staff chats, by kind (weekly, daily).", ["kind"], registry=reg,
        )
        self.digests_failed = Counter(
            "trustline_digests_failed", "Digests that failed or were interrupted, by kind.", ["kind"], registry=reg,
        )

        # Telegram
        self.bot_api_errors = Counter(
            "trustline_bot_api_errors", "Bot API errors, by kind (forbidden, bad_request, retry_after, network, ...).",
            ["kind"], registry=reg,
        )

    def render(self, accept: str = "") -> tuple[bytes, str]:
        """The exposition body and its content type, negotiated from an ``Accept`` header."""
        encoder, content_type = choose_encoder(accept)
        return encoder(self.registry), content_type


class OpsServer:
    """``/healthz``, ``/readyz`` and ``/metrics`` on ``host:port``, on the running event loop.

    Given ``port=0`` the operating system picks a free port (read it from :attr:`port` after
    :meth:`start`); the application itself creates no server when ``ops.port`` is 0.
    """

    def __init__(
        self,
        host: str,
        port: int,
        readiness: Readiness,
        *,
        metrics: Metrics | None = None,
        readiness_timeout: float = 5.0,
    ) -> None:
        self.host = host
        self._requested_port = port
        self._readiness = readiness
        self.metrics = metrics if metrics is not None else Metrics()
        self._readiness_timeout = readiness_timeout
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        """The port actually listened on (only known once started)."""
        if self._port is None:
            raise RuntimeError("OpsServer is not started")
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)
        return app

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("OpsServer is already started")
        runner = web.AppRunner(self._app(), access_log=None, handle_signals=False)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = _bound_port(runner, self._requested_port)
        log.info("health and metrics on %s (/healthz, /readyz, /metrics)", self.url)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()
        self._port = None

    async def __aenter__(self) -> OpsServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def _readyz(self, _request: web.Request) -> web.Response:
        body: dict[str, Any]
        try:
            checks = await asyncio.wait_for(self._readiness(), timeout=self._readiness_timeout)
            checks = {str(name): bool(ok) for name, ok in checks.items()}
            body = {"ready": all(checks.values()), "checks": checks}
        except TimeoutError:
            log.warning("readiness checks took longer than %.1fs", self._readiness_timeout)
            body = {"ready": False, "checks": {}, "error": "timeout"}
        except Exception as exc:  # noqa: BLE001 - any failing check means "not ready", never a 500
            log.warning("readiness checks failed", exc_info=True)
            body = {"ready": False, "checks": {}, "error": type(exc).__name__}
        return web.json_response(body, status=200 if body["ready"] else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        payload, content_type = self.metrics.render(request.headers.get("Accept", ""))
        return web.Response(body=payload, headers={"Content-Type": content_type})


def _bound_port(runner: web.AppRunner, requested: int) -> int:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    return requested
