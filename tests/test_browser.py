"""The site in a real browser: Debian's Chromium driven by Playwright.

The app serves the demo corpus on 127.0.0.1 from a thread; a reader goes from
the home page to a topic, filters it, opens an item, its event and a bill,
then searches from the header. Every page is saved as a screenshot under the
test's tmp_path, and the home page and a timeline also at a phone's width.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from live_site import DESKTOP, PHONE, serving
from playwright.sync_api import Browser, Page, expect

from tracker import search
from tracker.pipeline import Pipeline
from tracker.web import create_app


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo site served on a free port of 127.0.0.1; yields its base URL."""
    from conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("browser"))
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    search.catch_up(settings, pipeline.engine)  # what `tracker serve` does on first start
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield base
    pipeline.engine.dispose()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors  # no script on any page may fail


def shoot(tab: Page, path: Path, name: str) -> None:
    """A full-page screenshot, checked to be a PNG."""
    target = path / f"{name}.png"
    tab.screenshot(path=str(target), full_page=True)
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_reader_follows_the_story(page: Page, site: str, tmp_path: Path) -> None:
    tab = page
    tab.goto(site + "/")
    expect(tab.locator("h1")).to_contain_text("week")
    expect(tab.locator(".sparkline").first).to_be_visible()
    notice = tab.locator(".snapshot-notice")
    expect(notice).to_contain_text("You are reading the bundled demo snapshot")
    expect(notice).to_contain_text("from 12 Feb 2026 to 26 Jun 2026")
    shoot(tab, tmp_path, "home")

    # A tag chip leads to its topic's timeline.
    tab.locator("ul.chips a.chip.topic", has_text="Model distillation").first.click()
    tab.wait_for_url("**/topics/distillation")
    expect(tab.locator("h1")).to_have_text("Model distillation")
    chart = tab.locator("svg.chart")
    expect(chart).to_have_attribute("role", "img")
    assert "Model distillation" in (chart.get_attribute("aria-label") or "")
    shoot(tab, tmp_path, "timeline")

    # Filtering by type keeps the filter in the URL and in the form.
    tab.select_option("select[name=type]", "letter")
    tab.get_by_role("button", name="Apply").click()
    tab.wait_for_url("**/topics/distillation?*type=letter*")
    expect(tab.locator("select[name=type]")).to_have_value("letter")
    cards = tab.locator("section.events article.event-card")
    expect(cards).to_have_count(1)
    shoot(tab, tmp_path, "timeline-letters")

    # The letter: its evidence, highlighted, and its event.
    cards.first.locator(".card-title a").click()  # the letter is an event of its own
    expect(tab.locator("h1")).to_contain_text("Letter to Senate Banking Chair Tim Scott")
    expect(tab.locator(".evidence mark", has_text="Alibaba").first).to_be_visible()
    expect(tab.locator("main .badge.sample").first).to_have_text("Demo snapshot")
    assert "Retrieved via Policy Tracker" in tab.locator("#citation").input_value()
    shoot(tab, tmp_path, "item")
    tab.locator(".in-event a[href^='/events/']").click()
    expect(tab.locator("h1")).to_contain_text("Letter to Senate Banking Chair Tim Scott")
    expect(tab.locator("article.item-card")).to_have_count(1)
    shoot(tab, tmp_path, "event")

    # A bill from the bills list: its stage bar marks the day it was ordered reported.
    tab.get_by_role("navigation", name="Main").get_by_role("link", name="Bills").click()
    tab.get_by_role("link", name="Deterring American AI Model Theft Act of 2026").first.click()
    current = tab.locator(".stage-bar [aria-current=step]")
    expect(current).to_contain_text("Ordered reported")
    expect(current).to_contain_text("22 Apr 2026")
    expect(tab.locator(".people")).to_contain_text("Rep. Moolenaar")
    shoot(tab, tmp_path, "bill")

    # The header's search form.
    form = tab.locator("header.site-header form")
    expect(form).to_have_count(1)
    assert (form.get_attribute("action") or "").endswith("/search")
    form.locator("input[type=search], input[name=q]").first.fill("Qwen")
    form.locator("input[type=search], input[name=q]").first.press("Enter")
    tab.wait_for_url("**/search?*q=Qwen*")
    expect(tab.locator("main a[href^='/items/']").first).to_be_visible()
    shoot(tab, tmp_path, "search")


def test_home_and_a_timeline_fit_a_phone(browser: Browser, site: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    tab = context.new_page()
    try:
        for name, path in (("home-phone", "/"), ("timeline-phone", "/topics/distillation")):
            tab.goto(site + path)
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
            shoot(tab, tmp_path, name)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_stage_bar_fits_a_phone_and_a_desktop(
    browser: Browser, site: str, tmp_path: Path, viewport: dict[str, int]
) -> None:
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    tab = context.new_page()
    try:
        tab.goto(site + "/bills/119/hr8283")
        steps = tab.locator(".stage-bar .step")
        expect(steps).to_have_count(7)
        boxes = [steps.nth(i).bounding_box() for i in range(7)]
        assert all(box is not None for box in boxes)
        tops = [box["y"] for box in boxes]  # type: ignore[index]
        heights = [box["height"] for box in boxes]  # type: ignore[index]
        if viewport is PHONE:
            # A column, each step as tall as its two short lines, not a fixed 8rem.
            assert tops == sorted(tops) and len(set(tops)) == 7, tops
            assert max(heights) < 64, heights
            bar = tab.locator(".stage-bar").bounding_box()
            assert bar is not None and bar["height"] < 7 * 64
        else:
            assert len(set(tops)) == 1, tops  # one row
            assert max(heights) < 80, heights
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"the bill page scrolls sideways by {overflow}px"
        expect(steps.nth(0)).to_contain_text("15 Apr 2026")
        expect(steps.nth(2)).to_contain_text("22 Apr 2026")
        expect(tab.locator(".stage-bar [aria-current=step]")).to_be_visible()
        shoot(tab, tmp_path, f"bill-{viewport['width']}")
    finally:
        context.close()


def test_error_pages_keep_the_layout(page: Page, site: str, tmp_path: Path) -> None:
    response = page.goto(site + "/topics/no-such-topic")
    assert response is not None and response.status == 404
    expect(page.locator("header.site-header")).to_be_visible()
    shoot(page, tmp_path, "not-found")
