"""Issue 16: the search page's controls, in a real browser at 1280 and 390 px.

One sort control (not a select in the form and links above the results),
a syntax hint whose tokens never break across lines, and search buttons
styled like the site's other buttons, on one line.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import make_settings
from flask import Flask
from live_site import serving
from playwright.sync_api import Page, expect

from tracker.pipeline import Pipeline
from tracker.web import create_app

UNSTYLED = "rgb(239, 239, 239)"  # Chromium's own grey for a button nobody styled


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = make_settings(tmp_path_factory.mktemp("browser-search-controls"))
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    pipeline.settle()
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield base
    pipeline.engine.dispose()


def test_one_sort_control_that_sorts(tab: Page, site: str) -> None:
    tab.goto(site + "/search?q=distillation")
    # Sorted by relevance, only a sort control links to another order.
    selects = tab.locator("main select[name=sort]").count()
    links = tab.locator('main a[href*="sort="]').count()
    assert (selects > 0) + (links > 0) == 1, f"two sort controls ({selects} select, {links} links)"
    sort = tab.locator("main .sort-control")
    expect(sort).to_contain_text("by relevance")
    sort.get_by_role("link", name="newest first").click()
    tab.wait_for_url("**sort=newest**")
    dates = [t.get_attribute("datetime") or "" for t in tab.locator("article.hit .meta time").all()]
    assert len(dates) > 3 and dates == sorted(dates, reverse=True)
    # Searching again from the form keeps the order chosen.
    box = tab.locator("main form.search-form input[name=q]")
    box.fill("export controls")
    box.press("Enter")
    tab.wait_for_url("**q=export+controls**")
    assert "sort=newest" in tab.url
    expect(tab.locator("main .sort-control strong")).to_have_text("newest first")


def test_the_syntax_hint_keeps_each_token_whole(tab: Page, site: str) -> None:
    tab.goto(site + "/search")
    tokens = tab.locator("main label.q code")
    texts = tokens.all_inner_texts()
    assert {"-word", "type:letter", "entity:qwen", "after:2026-04-01"} <= set(texts), texts
    for n in range(tokens.count()):
        lines = tokens.nth(n).evaluate("e => e.getClientRects().length")
        assert lines == 1, f"{texts[n]!r} breaks across {lines} lines"


def test_search_buttons_are_styled_and_on_one_line(tab: Page, site: str) -> None:
    tab.goto(site + "/search?q=distillation")
    for where in ("header form button", "main form.search-form button"):
        button = tab.locator(where).first
        expect(button).to_have_text("Search")
        look = button.evaluate(
            "e => { const s = getComputedStyle(e); const r = document.createRange();"
            " r.selectNodeContents(e);"
            " return {bg: s.backgroundColor, color: s.color, lines: r.getClientRects().length}; }"
        )
        assert look["bg"] != UNSTYLED and look["bg"] != look["color"], (where, look)
        assert look["lines"] == 1, f"{where} wraps its label: {look}"
