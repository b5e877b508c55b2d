"""The operators' endpoints: /healthz, /readyz (200 or 503 with the checks) and /metrics."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import prometheus_client
import pytest

from services.health import Metrics, OpsServer

Checks = dict[str, bool]


def checks_returning(result: Checks) -> Callable[[], Awaitable[Checks]]:
    async def readiness() -> Checks:
        return dict(result)

    return readiness


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
        yield session


async def test_healthz_answers_ok_on_a_free_port(http: aiohttp.ClientSession) -> None:
    async with OpsServer("127.0.0.1", 0, checks_returning({})) as server:
        assert server.port > 0
        async with http.get(f"{server.url}/healthz") as resp:
            assert resp.status == 200
            assert (await resp.text()).strip() == "ok"


async def test_readyz_is_200_with_the_checks_when_all_pass(http: aiohttp.ClientSession) -> None:
    async with OpsServer("127.0.0.1", 0, checks_returning({"database": True, "model": True})) as server:
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 200
            assert await resp.json() == {"ready": True, "checks": {"database": True, "model": True}}


async def test_readyz_is_503_naming_the_failing_check(http: aiohttp.ClientSession) -> None:
    async with OpsServer("127.0.0.1", 0, checks_returning({"database": True, "model": False})) as server:
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 503
            assert await resp.json() == {"ready": False, "checks": {"database": True, "model": False}}


async def test_readyz_follows_the_checks_from_one_request_to_the_next(http: aiohttp.ClientSession) -> None:
    state = {"database": False}

    async def readiness() -> Checks:
        return dict(state)

    async with OpsServer("127.0.0.1", 0, readiness) as server:
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 503
        state["database"] = True
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 200


async def test_a_check_that_raises_is_503_without_its_message(http: aiohttp.ClientSession) -> None:
    async def readiness() -> Checks:
        raise ConnectionError("could not connect to postgresql://trustline:hunter2@db/trustline")

    async with OpsServer("127.0.0.1", 0, readiness) as server:
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 503
            body = await resp.text()
    assert "ConnectionError" in body
    assert "hunter2" not in body and "postgresql" not in body


async def test_a_check_that_hangs_is_503_after_the_timeout(http: aiohttp.ClientSession) -> None:
    async def readiness() -> Checks:
        await asyncio.sleep(30)
        return {"database": True}

    async with OpsServer("127.0.0.1", 0, readiness, readiness_timeout=0.1) as server:
        async with http.get(f"{server.url}/readyz") as resp:
            assert resp.status == 503
            assert (await resp.json())["error"] == "timeout"
        async with http.get(f"{server.url}/healthz") as resp:  # the loop itself is fine
            assert resp.status == 200


async def test_metrics_exposes_trustline_metrics_in_prometheus_text(http: aiohttp.ClientSession) -> None:
    metrics = Metrics()
    metrics.updates_received.labels(kind="message").inc(3)
    metrics.messages_stored.inc()
    metrics.scoring_queue_depth.set(7)
    metrics.scoring_batch_seconds.observe(0.2)
    metrics.bot_api_errors.labels(kind="forbidden").inc()
    async with OpsServer("127.0.0.1", 0, checks_returning({}), metrics=metrics) as server:
        assert server.metrics is metrics
        async with http.get(f"{server.url}/metrics") as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("text/plain")
            text = await resp.text()
    samples = {line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines() if line and line[0] != "#"}
    assert samples['trustline_updates_received_total{kind="message"}'] == 3
    assert samples["trustline_messages_stored_total"] == 1
    assert samples["trustline_scoring_queue_depth"] == 7
    assert samples["trustline_scoring_batch_seconds_count"] == 1
    assert samples['trustline_bot_api_errors_total{kind="forbidden"}'] == 1
    for name in ("trustline_scoring_lag_seconds", "trustline_cases_open", "trustline_cases_overdue",
                 "trustline_cases_unowned"):
        assert samples[name] == 0
    families = {line.split(" ")[2] for line in text.splitlines() if line.startswith("# TYPE ")}
    for counter in ("trustline_alerts_sent", "trustline_alerts_failed", "trustline_digests_sent",
                    "trustline_digests_failed", "trustline_messages_scored"):
        assert f"{counter}_total" in families
    assert all(name.startswith("trustline_") for name in families), families


async def test_metrics_negotiates_openmetrics(http: aiohttp.ClientSession) -> None:
    async with OpsServer("127.0.0.1", 0, checks_returning({})) as server:
        async with http.get(f"{server.url}/metrics", headers={"Accept": "application/openmetrics-text"}) as resp:
            assert resp.status == 200
            assert resp.headers["Content-Type"].startswith("application/openmetrics-text")
            assert (await resp.text()).rstrip().endswith("# EOF")


def test_each_metrics_has_its_own_registry_and_never_the_global_one() -> None:
    first, second = Metrics(process=False), Metrics(process=False)
    first.messages_stored.inc(5)
    assert first.registry.get_sample_value("trustline_messages_stored_total") == 5
    assert second.registry.get_sample_value("trustline_messages_stored_total") == 0
    assert prometheus_client.REGISTRY.get_sample_value("trustline_messages_stored_total") is None


async def test_stop_closes_the_port_and_the_server_can_start_again(http: aiohttp.ClientSession) -> None:
    server = OpsServer("127.0.0.1", 0, checks_returning({}))
    await server.start()
    url = server.url
    with pytest.raises(RuntimeError):
        await server.start()
    await server.stop()
    with pytest.raises(RuntimeError):
        server.port  # noqa: B018 - the property raises once stopped
    with pytest.raises(aiohttp.ClientConnectionError):
        async with http.get(f"{url}/healthz"):
            pass
    await server.stop()  # idempotent
    await server.start()
    try:
        async with http.get(f"{server.url}/healthz") as resp:
            assert resp.status == 200
    finally:
        await server.stop()
