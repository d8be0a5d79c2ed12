"""The sources pages in a real browser at a phone's and a desktop's width.

/sources says why a source is off (bis.gov's script-drawn page, commerce.gov's
403) instead of leaving a silent gap; an admin follows a bill by number from
the admin page and lands on its new source.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from flask import Flask
from live_site import no_sideways_scroll, serving
from playwright.sync_api import Browser, Page, expect
from staff import PASSWORD, add_user

from tracker.pipeline import Pipeline
from tracker.web import create_app

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real sources (no demo) served on a free port of 127.0.0.1, with an admin."""
    settings = make_settings(tmp_path_factory.mktemp("browser-sources"))
    pipeline = Pipeline(settings)
    pipeline.init()
    add_user(pipeline.engine, "ada", "admin")
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield base
    pipeline.engine.dispose()


def open_tab(browser: Browser, viewport: dict[str, int]) -> Page:
    context = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)
    return context.new_page()


@VIEWPORTS
def test_sources_say_why_a_source_is_off(
    browser: Browser, site: str, tmp_path: Path, viewport: dict[str, int]
) -> None:
    tab = open_tab(browser, viewport)
    try:
        tab.goto(site + "/sources")
        bis = tab.locator("tr", has_text="Bureau of Industry and Security: News and updates")
        expect(bis.locator(".badge")).to_have_text("Off")
        expect(bis).to_contain_text("Not fetched: bis.gov draws its news list with JavaScript")
        commerce = tab.locator("tr", has_text="Department of Commerce: News")
        expect(commerce).to_contain_text("answers automated readers with HTTP 403")
        hearings = tab.locator("tr", has_text="U.S. Senate: Committee hearing schedule")
        expect(hearings).to_contain_text("not fetched yet")
        expect(hearings.locator(".badge")).to_have_count(0)
        no_sideways_scroll(tab)
        tab.screenshot(path=str(tmp_path / f"sources-{viewport['width']}.png"), full_page=True)
    finally:
        tab.context.close()


@VIEWPORTS
def test_an_admin_follows_a_bill_from_the_admin_page(
    browser: Browser, site: str, tmp_path: Path, viewport: dict[str, int]
) -> None:
    tab = open_tab(browser, viewport)
    number = "4101" if viewport is PHONE else "4102"
    try:
        tab.goto(site + "/login")
        tab.fill("#username", "ada")
        tab.fill("#password", PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        tab.goto(site + "/admin/sources")
        form = tab.locator("form", has=tab.locator("#b-number"))
        expect(tab.get_by_role("heading", name="Follow a bill")).to_be_visible()
        off = tab.locator("tr", has_text="govinfo: Bill Status bulk data updates")
        expect(off).to_contain_text("Off Its entries are notices that a batch of BILLSTATUS")
        no_sideways_scroll(tab)
        form.locator("#b-number").fill("41o1")  # a typo keeps the form, with the reason
        form.get_by_role("button", name="Follow bill").click()
        expect(tab.locator(".flash-error")).to_contain_text("The bill number must be")
        expect(tab.locator("#b-number")).to_have_value("41o1")
        form = tab.locator("form", has=tab.locator("#b-number"))
        form.locator("#b-type").select_option("s")
        form.locator("#b-number").fill(number)
        form.get_by_role("button", name="Follow bill").click()
        expect(tab).to_have_url(f"{site}/admin/sources/bill-119-s{number}")
        expect(tab.locator("body")).to_contain_text(
            f"Now following BILLSTATUS: S. {number} (119th Congress)."
        )
        no_sideways_scroll(tab)
        tab.screenshot(path=str(tmp_path / f"follow-{viewport['width']}.png"), full_page=True)
    finally:
        tab.context.close()


@VIEWPORTS
def test_the_admin_sources_are_listed_as_a_reader_alphabetises(
    browser: Browser, site: str, viewport: dict[str, int]
) -> None:
    tab = open_tab(browser, viewport)
    try:
        tab.goto(site + "/login")
        tab.fill("#username", "ada")
        tab.fill("#password", PASSWORD)
        tab.get_by_role("button", name="Log in").click()
        tab.goto(site + "/admin/sources")
        names = tab.locator("tbody th[scope=row] a").all_inner_texts()
        assert any(n[:1].islower() for n in names), "a name that starts in lower case"
        # Remote sources (all of this site's), by name whatever its case: "govinfo"
        # among the Gs, not after "U.S. Senate".
        assert names == sorted(names, key=str.casefold), names
        no_sideways_scroll(tab)
    finally:
        tab.context.close()
