"""The demo page's JSON API, against the real bot (build_full_application) and the fake Telegram."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp.test_utils import TestClient, TestServer

from demo.server import create_app
from tests.demo.conftest import pane, texts


@pytest.fixture
async def client(demo_session):
    async with TestClient(TestServer(create_app(demo_session, long_poll=0.5))) as http:
        yield http


async def state_until(client, predicate, timeout=10.0):
    """GET /api/state until ``predicate(state)`` holds, as the page's long poll does."""
    version = -1
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        state = await (await client.get(f"/api/state?since={version}")).json()
        if predicate(state):
            return state
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"state never matched; last: {state}")
        version = state["version"]


async def test_the_page_and_its_script_are_served(client):
    page = await client.get("/")
    assert page.status == 200 and "Trustline demo" in await page.text()
    script = await client.get("/static/app.js")
    assert script.status == 200 and script.content_type == "text/javascript"


async def test_state_shows_three_panes_and_the_officers_follow_up_prompt(client, demo_session):
    state = await state_until(client, lambda s: texts(s, "officer"))
    assert [p["key"] for p in state["panes"]] == ["resident", "officer", "commanders"]
    prompt = pane(state, "officer")["messages"][0]
    assert demo_session.seeded.case_reference in prompt["html"]
    assert "<blockquote>" in prompt["html"]  # the bot's HTML, rebuilt from its entities
    assert prompt["buttons"][0][0]["label"].endswith("Acknowledge")


async def test_sending_start_as_the_resident_shows_the_privacy_notice(client):
    answer = await client.post("/api/send", json={"pane": "resident", "text": "/start"})
    assert (await answer.json())["ok"] is True
    state = await state_until(client, lambda s: any("What we store" in t for t in texts(s, "resident")))
    messages = pane(state, "resident")["messages"]
    assert messages[0] == {**messages[0], "from": "me", "html": "/start"}
    notice = messages[1]
    assert notice["from"] == "bot"
    assert "<b>Not for emergencies.</b>" in notice["html"]
    assert [b["label"] for row in notice["buttons"] for b in row] == ["✅ I agree", "No thanks"]


async def test_pressing_a_button_reaches_the_bot(client):
    await client.post("/api/send", json={"pane": "resident", "text": "/start"})
    state = await state_until(client, lambda s: len(texts(s, "resident")) >= 2)
    notice = pane(state, "resident")["messages"][1]
    answer = await client.post("/api/press", json={"pane": "resident", "message_id": notice["id"], "label": "No thanks"})
    assert (await answer.json())["ok"] is True
    await state_until(client, lambda s: any("nothing was stored" in t for t in texts(s, "resident")))


async def test_digest_in_the_commanders_group_shows_last_weeks_figures_and_a_chart(client):
    await client.post("/api/send", json={"pane": "commanders", "text": "/digest"})
    state = await state_until(client, lambda s: any(m["media"] for m in pane(s, "commanders")["messages"]), timeout=30)
    messages = pane(state, "commanders")["messages"]
    assert any("Trust Index" in m["html"] for m in messages)
    chart = next(m["media"] for m in messages if m["media"])
    assert chart["image"] is True
    image = await client.get(chart["url"])
    assert image.status == 200 and image.content_type == "image/png"
    assert (await image.read()).startswith(b"\x89PNG")


async def test_mistakes_are_answered_in_words(client):
    unknown = await client.post("/api/send", json={"pane": "lobby", "text": "hi"})
    assert unknown.status == 400 and "unknown pane" in (await unknown.json())["error"]
    empty = await client.post("/api/send", json={"pane": "resident", "text": "   "})
    assert empty.status == 400
    no_button = await client.post("/api/press", json={"pane": "officer", "message_id": 99, "label": "x"})
    assert no_button.status == 400
    missing = await client.get("/api/file/nope")
    assert missing.status == 404


async def test_other_web_sites_cannot_post_to_the_demo(client):
    answer = await client.post("/api/send", json={"pane": "resident", "text": "/start"}, headers={"Origin": "https://evil.example"})
    assert answer.status == 403


async def test_what_people_type_is_shown_as_text(client):
    await client.post("/api/send", json={"pane": "commanders", "text": "<img src=x onerror=alert(1)>"})
    state = await state_until(client, lambda s: texts(s, "commanders"))
    assert texts(state, "commanders")[-1] == "&lt;img src=x onerror=alert(1)&gt;"
