"""/calendar in a real browser at a phone's and a desktop's width.

The demo snapshot plus a Senate schedule with one hearing ahead and one
postponed: upcoming entries come first with their Eastern time to the minute,
the postponed one is struck out and marked, the demo's H.R. 8283 markup is in
the past part, every entry links to its item, and nothing scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import make_settings
from flask import Flask
from live_site import serving
from playwright.sync_api import Browser, Page, expect

from tracker.pipeline import Pipeline
from tracker.web import create_app

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
YEAR = datetime.now(UTC).year + 1
LONG = "Hearings to examine " + "supercalifragilisticexpialidocious-" * 4 + "model extraction."
SCHEDULE = f"""<?xml version="1.0"?><css_meetings_scheduled>
<meeting><identifier>900101</identifier><cmte_code>SSBK00</cmte_code>
<committee url="https://www.banking.senate.gov/hearings">Banking</committee>
<date>13-May-{YEAR} 10:00 AM</date><room>SD-538</room><matter>{LONG}</matter></meeting>
<meeting><identifier>900102</identifier><cmte_code>SSCM00</cmte_code>
<committee url="https://www.commerce.senate.gov/hearings">Commerce</committee>
<date>14-May-{YEAR} 02:30 PM</date><room>SR-253</room>
<matter>POSTPONED: Hearings to examine chip export controls.</matter></meeting>
</css_meetings_scheduled>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser-calendar")
    settings = make_settings(home)
    pipeline = Pipeline(settings)
    pipeline.init()
    assert all(o.status == "ok" for o in pipeline.load_demo())
    (home / "hearings.xml").write_text(SCHEDULE)
    assert pipeline.ingest_file(home / "hearings.xml", "senate-test").status == "ok"
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield base
    app.extensions["tracker.engine"].dispose()
    pipeline.engine.dispose()


def open_tab(browser: Browser, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    return context.new_page()


@VIEWPORTS
def test_the_calendar_reads_at_both_widths(
    browser: Browser, site: str, tmp_path: Path, viewport: dict[str, int]
) -> None:
    tab = open_tab(browser, viewport)
    try:
        tab.goto(site + "/calendar")
        expect(tab.locator("h1")).to_have_text("Calendar")
        ahead = tab.locator("section[aria-labelledby=ahead-title] .calendar-entry")
        expect(ahead).to_have_count(2)
        expect(ahead.nth(0)).to_contain_text("10:00 AM EDT")
        expect(ahead.nth(0)).to_contain_text("model extraction")
        expect(ahead.nth(1)).to_contain_text("2:30 PM EDT")
        expect(ahead.nth(1).locator(".badge.cancelled")).to_have_text("Cancelled")
        expect(ahead.nth(1).locator("del a")).to_contain_text("chip export controls")
        day = tab.locator("section[aria-labelledby=ahead-title] h3").first
        expect(day).to_contain_text(f"13 May {YEAR}")
        past = tab.locator("section[aria-labelledby=past-title] .calendar-entry")
        expect(past.first).to_contain_text("Ordered to be Reported")
        expect(past.first).to_contain_text("Demo snapshot")
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
        tab.screenshot(path=str(tmp_path / f"calendar-{viewport['width']}.png"), full_page=True)
        past.first.locator("a").first.click()
        expect(tab).to_have_url(f"{site}/items/" + tab.url.rsplit("/", 1)[1])
        expect(tab.locator("h1")).to_contain_text("H.R. 8283")
        # The site's navigation leads to the calendar.
        tab.locator("nav[aria-label=Main] a", has_text="Calendar").click()
        expect(tab).to_have_url(f"{site}/calendar")
    finally:
        tab.context.close()


@VIEWPORTS
def test_the_front_page_lists_what_is_coming_up(
    browser: Browser, site: str, tmp_path: Path, viewport: dict[str, int]
) -> None:
    tab = open_tab(browser, viewport)
    try:
        tab.goto(site + "/")
        upcoming = tab.locator("section.upcoming")
        expect(upcoming.locator("h2")).to_have_text("Upcoming")
        entries = upcoming.locator("li.upcoming-entry")
        expect(entries).to_have_count(2)  # the two ahead, soonest first; none of the past
        expect(entries.nth(0)).to_contain_text(f"13 May {YEAR} · 10:00 AM EDT")
        expect(entries.nth(0).locator("a")).to_contain_text("model extraction")
        href = entries.nth(0).locator("a").get_attribute("href") or ""
        assert href.startswith("/items/"), href
        expect(entries.nth(1).locator(".badge.cancelled")).to_have_text("Cancelled")
        expect(entries.nth(1).locator("del a")).to_contain_text("chip export controls")
        expect(upcoming).not_to_contain_text("Ordered to be Reported")
        whole = upcoming.get_by_role("link", name="The whole calendar")
        assert whole.get_attribute("href") == "/calendar"
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, overflow
        tab.screenshot(path=str(tmp_path / f"upcoming-{viewport['width']}.png"), full_page=True)
        whole.click()
        expect(tab.locator("h1")).to_have_text("Calendar")
    finally:
        tab.context.close()
