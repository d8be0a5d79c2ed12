"""A bill's page lists its printed text versions with their days and govinfo links (issue 17
part 4), in Chromium at 390 and 1280 px, and carries the "Get alerts" form for its own view
(issue 17 part 1: the bill's alert follows the same filter as /bills/<congress>/<code>.rss)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from flask import Flask
from live_site import no_sideways_scroll, serving
from playwright.sync_api import Page

from tracker.pipeline import Pipeline
from tracker.web import create_app

BILLSTATUS = Path(__file__).parent / "data" / "billstatus" / "BILLSTATUS-117hr2471.xml"
GOVINFO = "https://www.govinfo.gov/content/pkg/"
# H.R. 2471 (117th), the Consolidated Appropriations Act, 2022, as its BILLSTATUS file lists them.
EXPECTED = [
    ("Introduced in House", "2021-04-13", "BILLS-117hr2471ih/xml/BILLS-117hr2471ih.xml"),
    ("Engrossed in House", "2021-06-29", "BILLS-117hr2471eh/xml/BILLS-117hr2471eh.xml"),
    ("Referred in Senate", "2021-07-12", "BILLS-117hr2471rfs/xml/BILLS-117hr2471rfs.xml"),
    ("Engrossed Amendment Senate", "2022-01-13", "BILLS-117hr2471eas/xml/BILLS-117hr2471eas.xml"),
    ("Engrossed Amendment House", "2022-03-09", "BILLS-117hr2471eah/xml/BILLS-117hr2471eah.xml"),
    ("Public Law", "2022-03-16", "PLAW-117publ103_uslm/xml/PLAW-117publ103_uslm.xml"),
    ("Enrolled Bill", None, "BILLS-117hr2471enr/xml/BILLS-117hr2471enr.xml"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser-bill-texts")
    pipeline = Pipeline(make_settings(home))
    pipeline.init()
    assert pipeline.ingest_file(BILLSTATUS, "congress-bills", "billstatus").status == "ok"
    pipeline.settle()
    app: Flask = create_app({"SETTINGS": pipeline.settings})
    with serving(app) as base:
        yield base
    pipeline.engine.dispose()


def test_the_bill_page_lists_its_text_versions_with_days_and_links(tab: Page, site: str) -> None:
    tab.goto(f"{site}/bills/117/hr2471")
    section = tab.locator("section[aria-labelledby=versions-title]")
    assert section.locator("h2").inner_text() == "Text versions"
    assert "7 printed versions, oldest first." in section.inner_text()
    rows = section.locator("li")
    assert rows.count() == len(EXPECTED)
    for i, (name, day, path) in enumerate(EXPECTED):
        row = rows.nth(i)
        link = row.locator("a")
        assert link.inner_text() == name
        assert link.get_attribute("href") == GOVINFO + path
        if day:
            assert row.locator("time").get_attribute("datetime") == day
        else:
            assert row.locator("time").count() == 0 and "not yet dated" in row.inner_text()
        assert row.is_visible()
    no_sideways_scroll(tab)


def test_the_bill_page_offers_alerts_for_its_own_view(tab: Page, site: str) -> None:
    tab.goto(f"{site}/bills/117/hr2471")
    button = tab.get_by_role("button", name="Get alerts")
    assert button.is_visible()
    button.click()
    tab.wait_for_url("**/alerts/new?path=%2Fbills%2F117%2Fhr2471*")
    assert "H.R. 2471" in tab.locator("main").inner_text()
    assert tab.locator("input[name=email]").is_visible()
    no_sideways_scroll(tab)
