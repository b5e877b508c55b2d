"""Scheduled digests end to end: the real Application, the fake Bot API, both databases.

Time never passes for real: the scheduler's clock is ``Runtime.hooks.clock`` and the jobs
are run by hand (``job.run(app)``) or by the start-up catch-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bench.aggregation import UnitRow, seed_trust_messages
from bot import staff_trust
from bot.app import build_application
from bot.digest_jobs import digest_startup, run_digest_tick
from bot.runtime import runtime
from services.settings import Settings
from services.trust_digest import compose_digest
from storage.db import Database
from storage.models import StaffChat
from storage.models_rollups import DigestRun
from tests.support.app import point_at, stop_bot
from tests.support.demo import DEMO_TZ, demo_messages, demo_org
from tests.support.digests import ADMIN, AGENCY, MONDAY_8AM, TZ, Clock, demo_settings, register, runs, seed, start
from trust.aggregate import quote_candidates_from_messages, stats_by_period
from trust.report import compute_report
from trust.settings import TrustSettings


def texts(chat: Any) -> list[str]:
    return [m.raw_text for m in chat.inbox if m.kind == "text"]


def photos(chat: Any) -> list[bytes]:
    return [m.photo for m in chat.inbox if m.kind == "photo"]


def expected_agency_digest(messages: list[Any], database: Database) -> list[str]:
    """The digest computed independently, by the trust package's raw path from the messages."""
    from storage.rollups import org_chart

    settings = TrustSettings()
    org = database.call(org_chart, AGENCY)
    by_period = stats_by_period(messages, tz=DEMO_TZ, org=org, settings=settings)
    quotes = quote_candidates_from_messages(messages, period="2026-W47", tz=DEMO_TZ, settings=settings)
    report = compute_report("2026-W47", by_period["2026-W47"], org=org, settings=settings,
                            history={p: s for p, s in by_period.items() if p != "2026-W47"}, quotes=quotes)
    return compose_digest(report, "en", settings=settings)


def same_digest(got: list[str], expected: list[str]) -> bool:
    """Equal, except that quotes of equal value may come in another order (ties are broken by
    the resident key, which the database and the raw path spell differently)."""

    def shape(messages: list[str]) -> tuple[list[str], list[str]]:
        lines = "\n".join(messages).split("\n")
        quotes = sorted(line for line in lines if line.startswith("— <i>“"))
        return [line if not line.startswith("— <i>“") else "QUOTE" for line in lines], quotes

    return len(got) == len(expected) and shape(got) == shape(expected)


async def wait_for(fake_api: Any, predicate: Callable[[], bool], timeout: float = 20) -> None:
    await fake_api.wait_until(predicate, timeout=timeout)


async def test_scheduled_digest_reaches_each_chat_with_its_scope_and_the_right_figures(
    fake_api: Any, database: Database, db_url: str
) -> None:
    messages = seed(database)
    agency, north, unit = fake_api.group("HQ command"), fake_api.group("North command"), fake_api.group("South Traffic")
    register(database, agency)
    register(database, north, "district", "north")
    register(database, unit, "unit", "s-traffic")
    app = await start(fake_api, database, demo_settings(db_url), Clock(MONDAY_8AM))
    try:
        [weekly] = app.job_queue.get_jobs_by_name("digest-weekly")
        nxt = weekly.next_t.astimezone(TZ)
        assert (nxt.weekday(), nxt.hour, nxt.minute) == (0, 8, 0), "cron: Monday 08:00 agency time"
        await weekly.run(app)
        await weekly.run(app)  # the cron firing twice (or a second process) posts nothing new

        assert same_digest(texts(agency), expected_agency_digest(messages, database))
        assert all(len(t) <= 4096 for c in (agency, north, unit) for t in texts(c))
        assert "week 2026-W47" in texts(agency)[0]
        assert len(photos(agency)) == 2 and all(p.startswith(b"\x89PNG") for p in photos(agency))

        north_text = "\n".join(texts(north))
        assert "North Patrol" in north_text and "South Traffic" not in north_text and "Central Patrol" not in north_text
        assert "Needs attention" in north_text and "North Patrol" in north_text.split("Needs attention")[1]
        assert len(photos(north)) == 2
        unit_text = "\n".join(texts(unit))
        assert "South Traffic" in unit_text and "North Patrol" not in unit_text and "South K-9" not in unit_text
        assert len(photos(unit)) == 1

        ledger = runs(database)
        assert [(r.kind, r.period, r.status) for r in ledger] == [("weekly", "2026-W47", "sent")] * 3
        for run, chat in zip(sorted(ledger, key=lambda r: r.chat_id), sorted((agency, north, unit), key=lambda c: c.id), strict=True):
            assert run.message_ids == [m.message_id for m in chat.inbox]
    finally:
        await stop_bot(app)


async def test_downtime_across_the_scheduled_time_posts_one_catch_up_digest(
    fake_api: Any, database: Database, db_url: str
) -> None:
    seed(database, weeks=4)
    chat = fake_api.group("HQ command")
    register(database, chat)
    settings = demo_settings(db_url)
    # Sunday night: last week's digest (W46) is the latest due; the bot goes down before Monday 08:00.
    app = await start(fake_api, database, settings, Clock(MONDAY_8AM - timedelta(hours=9)), catch_up_delay=0)
    await wait_for(fake_api, lambda: len(photos(chat)) == 2)
    await stop_bot(app)
    assert "week 2026-W46" in texts(chat)[0]

    # Back up at 10:30 on Monday: the missed W47 digest goes out once, on start-up.
    clock = Clock(MONDAY_8AM + timedelta(hours=2, minutes=30))
    app = await start(fake_api, database, demo_settings(db_url), clock, catch_up_delay=0)
    try:
        await wait_for(fake_api, lambda: len(photos(chat)) == 4)
        for job in ("digest-check", "digest-weekly"):
            await app.job_queue.get_jobs_by_name(job)[0].run(app)
    finally:
        await stop_bot(app)
    app = await start(fake_api, database, demo_settings(db_url), clock, catch_up_delay=0)  # and a restart
    await asyncio.sleep(1.5)
    await stop_bot(app)

    digests = [t for t in texts(chat) if t.startswith("<b>Trust Index — weekly digest")]
    assert ["2026-W46" in digests[0], "2026-W47" in digests[1], len(digests)] == [True, True, 2]
    assert [(r.period, r.status) for r in runs(database)] == [("2026-W46", "sent"), ("2026-W47", "sent")]


async def test_a_kill_during_send_never_posts_twice_and_admins_are_told(
    fake_api: Any, database: Database, db_url: str
) -> None:
    seed(database, weeks=4)
    chat = fake_api.group("HQ command")
    register(database, chat)
    admin = fake_api.user("Ada", user_id=ADMIN, started=True)
    clock = Clock(MONDAY_8AM)
    app = await start(fake_api, database, demo_settings(db_url), clock)
    fake_api.delay_next("sendPhoto", 30)  # the process dies while the chart is uploading
    sending = asyncio.create_task(run_digest_tick(app))
    await wait_for(fake_api, lambda: len(texts(chat)) >= 1 and bool(fake_api.calls_to("sendPhoto")))
    sending.cancel()
    with pytest.raises(asyncio.CancelledError):
        await sending
    await stop_bot(app)
    before = len(chat.inbox)
    assert [r.status for r in runs(database)] == ["claimed"]

    clock.now += timedelta(minutes=5)  # restart: the catch-up sees the claim and leaves it alone
    app = await start(fake_api, database, demo_settings(db_url), clock, catch_up_delay=0)
    try:
        await asyncio.sleep(1.5)
        assert len(chat.inbox) == before and admin.inbox == []
        clock.now += timedelta(minutes=31)  # past digest.claim_timeout_minutes: reported, not resent
        await app.job_queue.get_jobs_by_name("digest-check")[0].run(app)
        await app.job_queue.get_jobs_by_name("digest-check")[0].run(app)
    finally:
        await stop_bot(app)
    assert len(chat.inbox) == before
    [run] = runs(database)
    assert run.status == "failed" and "interrupted" in (run.error or "")
    [notice] = admin.inbox
    assert "interrupted while sending" in notice.text and "trustline digest release --period 2026-W47" in notice.text


async def test_a_chat_that_removed_the_bot_is_deactivated_and_reported_while_others_are_served(
    fake_api: Any, database: Database, db_url: str
) -> None:
    seed(database, weeks=2)
    gone, still = fake_api.group("Old group"), fake_api.group("HQ command")
    gone_row = register(database, gone)
    register(database, still)
    admin = fake_api.user("Ada", user_id=ADMIN, started=True)
    fake_api.remove_bot_from(gone)
    app = await start(fake_api, database, demo_settings(db_url), Clock(MONDAY_8AM))
    try:
        results = await run_digest_tick(app)
    finally:
        await stop_bot(app)
    assert sorted(r.status for r in results) == ["failed", "sent"]
    assert len(photos(still)) == 2 and gone.inbox == []
    row = database.call(lambda s: s.get(StaffChat, gone_row))
    assert row.active is False and "kicked" in (row.last_error or "")
    assert any("can no longer post" in (m.text or "") for m in admin.inbox)


async def test_rate_limited_sends_are_retried_and_delivered_once(fake_api: Any, database: Database, db_url: str) -> None:
    seed(database, weeks=2)
    chat = fake_api.group("HQ command")
    register(database, chat)
    app = await start(fake_api, database, demo_settings(db_url), Clock(MONDAY_8AM))
    fake_api.fail_next("sendMessage", 429, retry_after=1, chat_id=chat.id)
    try:
        [result] = await run_digest_tick(app)
    finally:
        await stop_bot(app)
    assert result.status == "sent"
    assert any(c.status == 429 for c in fake_api.calls_to("sendMessage"))
    assert len(texts(chat)) == len(result.message_ids) - 2 and len(set(texts(chat))) == len(texts(chat))


async def test_two_bot_processes_post_one_digest_per_chat(fake_api: Any, database: Database, db_url: str) -> None:
    seed(database, weeks=2)
    chats = [fake_api.group(f"Command {i}") for i in range(3)]
    for chat in chats:
        register(database, chat)
    first = await start(fake_api, database, demo_settings(db_url), Clock(MONDAY_8AM))
    other_db = Database(db_url)  # a second process: its own engine and connections
    second = build_application(point_at(demo_settings(db_url), fake_api), other_db)
    runtime(second).hooks.clock = Clock(MONDAY_8AM)
    await second.initialize()
    try:
        results = await asyncio.gather(run_digest_tick(first), run_digest_tick(second))
    finally:
        await second.shutdown()
        other_db.dispose()
        await stop_bot(first)
    statuses = sorted(r.status for batch in results for r in batch)
    assert statuses.count("sent") == 3 and set(statuses) <= {"sent", "skipped"}
    for chat in chats:
        assert len(photos(chat)) == 2
        assert len([t for t in texts(chat) if "weekly digest" in t]) == 1


async def test_the_optional_daily_summary_goes_out_the_next_morning_once(
    fake_api: Any, database: Database, db_url: str
) -> None:
    messages = demo_messages("2026-W48", weeks=2)
    seed_trust_messages(database, [UnitRow(u.unit_id, u.name, u.district_id or "") for u in demo_org().units.values()], messages)
    chat = fake_api.group("South Traffic")
    register(database, chat, "unit", "s-traffic")
    settings = demo_settings(db_url, digest={"daily_enabled": True, "daily_time": "07:30"})
    tuesday = datetime(2026, 11, 24, 7, 30, tzinfo=TZ)
    app = await start(fake_api, database, settings, Clock(tuesday))
    try:
        [daily_job] = app.job_queue.get_jobs_by_name("digest-daily")
        await daily_job.run(app)
        await daily_job.run(app)
    finally:
        await stop_bot(app)
    summaries = [t for t in texts(chat) if "daily summary" in t]
    monday = [m for m in messages if m.unit_id == "s-traffic" and m.sent_at.astimezone(TZ).date() == tuesday.date() - timedelta(days=1)]
    assert len(summaries) == 1
    assert f"23 Nov: {len(monday)} messages from {len({m.resident_key for m in monday})} residents." in summaries[0]
    assert "Week 2026-W48 so far:" in summaries[0] and "South Traffic" in summaries[0]
    assert ("daily", "2026-11-23", "sent") in [(r.kind, r.period, r.status) for r in runs(database)]


async def test_a_group_that_became_a_supergroup_gets_the_digest_at_its_new_id(
    fake_api: Any, database: Database, db_url: str
) -> None:
    seed(database, weeks=2)
    old, new = fake_api.group("HQ", type="group"), fake_api.group("HQ")
    row = register(database, old)
    fake_api.fail_next("sendMessage", 400, chat_id=old.id, migrate_to_chat_id=new.id,
                       description="Bad Request: group chat was upgraded to a supergroup chat")
    app = await start(fake_api, database, demo_settings(db_url), Clock(MONDAY_8AM))
    try:
        [first] = await run_digest_tick(app)
        [second] = await run_digest_tick(app)
    finally:
        await stop_bot(app)
    assert (first.status, second.status) == ("skipped", "sent")
    assert old.inbox == [] and len(photos(new)) == 2
    assert database.call(lambda s: s.get(StaffChat, row)).chat_id == new.id
