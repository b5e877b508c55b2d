"""The demo page in a real (headless) browser: what someone trying Trustline sees and does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from demo.server import DemoServer

CHROMIUM = Path(os.environ.get("TRUSTLINE_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOT = Path(os.environ.get("TRUSTLINE_DEMO_SCREENSHOT", "/tmp/trustline-demo.png"))
# Skipped on a laptop without the browser; CI installs Debian's chromium and requires it (.ci/run).
if os.environ.get("TRUSTLINE_REQUIRE_BROWSER") == "1":
    import playwright.async_api as playwright_api

    assert CHROMIUM.exists(), f"TRUSTLINE_REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}"
else:
    playwright_api = pytest.importorskip("playwright.async_api")
    pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no Chromium at {CHROMIUM}")


@pytest.fixture
async def page(demo_session):
    server = DemoServer(demo_session, port=0)
    address = await server.start()
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        tab = await browser.new_page(viewport={"width": 1500, "height": 950})
        await tab.goto(address)
        try:
            yield tab
        finally:
            await browser.close()
            await server.stop()


async def test_a_visitor_talks_to_the_bot_as_resident_officer_and_commander(page):
    expect = playwright_api.expect
    resident = page.locator("#pane-resident")
    officer = page.locator("#pane-officer")
    commanders = page.locator("#pane-commanders")

    # The officer's pane already holds the follow-up prompt seeded for them.
    await expect(officer.locator(".message.from-bot").first).to_contain_text("Follow-up", timeout=10_000)

    # The resident types /start (labelled field, Enter sends) and reads the privacy notice.
    await page.get_by_label("Message in Ana Rojas, resident").fill("/start")
    await page.get_by_label("Message in Ana Rojas, resident").press("Enter")
    await expect(resident.locator(".message.from-bot").first).to_contain_text("Not for emergencies", timeout=10_000)
    await expect(resident.locator(".message.from-bot b").first).to_be_visible()  # formatting rendered, not shown as tags

    # The bot's buttons are real buttons: agreeing moves the conversation on.
    await resident.get_by_role("button", name="✅ I agree").click()
    # (four units: the bot asks for the unit straight away, no district question)
    await expect(resident.get_by_role("button", name="North Patrol")).to_be_visible(timeout=10_000)

    # The commander asks for the digest in the staff group; text and chart appear inline.
    await commanders.get_by_role("textbox").fill("/digest")
    await commanders.get_by_role("button", name="Send").click()
    await expect(commanders.locator(".message.from-bot").first).to_contain_text("Trust Index", timeout=30_000)
    chart = commanders.locator(".message img").first
    await expect(chart).to_be_visible(timeout=30_000)
    assert await chart.evaluate("img => img.complete && img.naturalWidth > 0")

    await page.screenshot(path=str(SCREENSHOT), full_page=True)
