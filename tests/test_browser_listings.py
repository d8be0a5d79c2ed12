"""A timeline read oldest first, and its friendly errors, in Debian's Chromium at
a phone's width (390 px) and a desktop's (1280 px). Each failed on main.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from live_site import open_tab, serving
from playwright.sync_api import Browser, Page, expect

from tracker.pipeline import Pipeline
from tracker.web import create_app

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("browser-listings"))
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield base
    pipeline.engine.dispose()


@pytest.fixture(params=list(WIDTHS))
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    with open_tab(browser, WIDTHS[request.param]) as page:
        yield page


def no_sideways_scroll(tab: Page) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    view = tab.evaluate("document.documentElement.clientWidth")
    assert width <= view, f"the page is {width} px wide in a {view} px window"


def event_days(tab: Page) -> list[str]:
    times = tab.locator("section.events article.event-card > p.meta time")
    return [times.nth(i).get_attribute("datetime") or "" for i in range(times.count())]


def test_a_story_reads_from_its_start(tab: Page, site: str, tmp_path: Path) -> None:
    tab.goto(site + "/topics/distillation?type=news")
    newest = event_days(tab)
    assert len(newest) > 1 and newest == sorted(newest, reverse=True)
    switch = tab.get_by_role("navigation", name="Order of the events")
    expect(switch).to_be_visible()
    switch.get_by_role("link", name="Oldest first").click()
    tab.wait_for_url("**/topics/distillation?type=news&order=oldest")
    expect(tab.locator("#events-title")).to_have_text("Events, oldest first")
    oldest = event_days(tab)
    assert oldest == sorted(oldest) and oldest[0] == newest[-1]
    expect(switch.get_by_role("link", name="Oldest first")).to_have_attribute(
        "aria-current", "true"
    )
    no_sideways_scroll(tab)
    # Filtering again keeps the order.
    tab.fill("input[name=from]", "2026-04-01")
    tab.get_by_role("button", name="Apply").click()
    tab.wait_for_url("**order=oldest*")
    expect(tab.locator("#events-title")).to_have_text("Events, oldest first")
    tab.screenshot(path=str(tmp_path / "oldest-first.png"), full_page=True)


def test_reversed_dates_keep_the_form_and_say_what_changed(tab: Page, site: str) -> None:
    tab.goto(site + "/topics/distillation?from=2026-07-01&to=2026-06-01")
    note = tab.locator("form.filters .notice")
    expect(note).to_be_visible()
    expect(note).to_contain_text("so the two dates were swapped")
    expect(tab.locator("input[name=from]")).to_have_value("2026-06-01")
    expect(tab.locator("input[name=to]")).to_have_value("2026-07-01")
    expect(tab.locator("section.events article.event-card").first).to_be_visible()
    no_sideways_scroll(tab)


def test_a_page_past_the_end_leads_to_the_last(tab: Page, site: str) -> None:
    tab.goto(site + "/entities/anthropic?page=500")
    expect(tab.locator("section.events")).to_contain_text("page 500 is past its end")
    expect(tab.locator("section.events")).not_to_contain_text("No item has been tagged")
    no_sideways_scroll(tab)
    tab.get_by_role("link", name="Go to the last page").click()
    expect(tab.locator("section.events article.event-card").first).to_be_visible()
