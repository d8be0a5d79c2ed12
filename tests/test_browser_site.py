"""Every page type in a real browser at a phone's (390 px) and a desktop's
(1280 px) width (issue 16): nothing scrolls sideways, the staff tables keep
their buttons on screen, the chart shows its newest months, search facets fold
on a phone, every footer leads to the feeds, and the small things (a bill's
summary, the sources' order, the favicon) look finished.

One server and one browser serve the whole module; each width has one
signed-out and one signed-in browser context.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from site_tour import DESKTOP, PHONE, demo_site, log_in, tour

WIDTHS = {"390px": PHONE, "1280px": DESKTOP}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with demo_site(tmp_path_factory.mktemp("site")) as base:
        yield base


@pytest.fixture(scope="module")
def public(site: str) -> dict[str, str]:
    return tour(site)


@pytest.fixture(scope="module", params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def contexts(
    browser: Browser, site: str, width: str
) -> Iterator[tuple[Page, Page, dict[str, str]]]:
    """A signed-out tab, a signed-in tab and the staff pages' addresses, at `width`."""
    viewport = WIDTHS[width]
    made: list[BrowserContext] = []
    for _ in range(2):
        made.append(browser.new_context(viewport=viewport, is_mobile=viewport is PHONE))  # type: ignore[arg-type]
    staff_paths = log_in(made[1], site)
    try:
        yield made[0].new_page(), made[1].new_page(), staff_paths
    finally:
        for context in made:
            context.close()


def _sideways(tab: Page) -> int:
    """How far the page scrolls sideways past the screen's width.

    Not `window.innerWidth`: a phone's browser zooms out to show a page wider
    than the screen, and its inner width grows with it.
    """
    width = tab.viewport_size["width"] if tab.viewport_size else 0
    return int(tab.evaluate("document.scrollingElement.scrollWidth")) - width


def test_no_page_type_scrolls_sideways(
    site: str, public: dict[str, str], contexts: tuple[Page, Page, dict[str, str]], width: str
) -> None:
    reader, staff, staff_paths = contexts
    wide = {}
    for tab, paths in ((reader, public), (staff, staff_paths)):
        for name, path in paths.items():
            response = tab.goto(site + path)
            assert response is not None and response.status == 200, (name, path)
            expect(tab.locator("main h1").first).to_be_visible()
            if _sideways(tab) > 0:
                wide[name] = tab.evaluate("document.scrollingElement.scrollWidth")
    assert not wide, f"pages wider than {width}: {wide}"


def test_review_buttons_stay_on_screen(
    site: str, contexts: tuple[Page, Page, dict[str, str]], width: str
) -> None:
    _, staff, staff_paths = contexts
    viewport = WIDTHS[width]
    staff.goto(site + staff_paths["review"])
    links = staff.locator("main a[href^='/review/items/']").evaluate_all(
        "links => [...new Set(links.map(a => a.getAttribute('href')))]"
    )
    assert len(links) >= 5, links  # the items of the queue's first page, some with long tags
    for name in [staff_paths["review"], *links]:
        staff.goto(site + name)
        buttons = staff.locator(".review-table td.decide button")
        assert buttons.count() >= 1, name
        for index in range(buttons.count()):
            box = buttons.nth(index).bounding_box()
            assert box is not None
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (name, box)
        expect(buttons.filter(has_text="Confirm").first).to_be_visible()
        assert _sideways(staff) <= 0, name


def test_the_chart_opens_on_its_newest_months(
    site: str, contexts: tuple[Page, Page, dict[str, str]], width: str
) -> None:
    reader, _, _ = contexts
    reader.goto(site + "/topics/distillation")
    bars = reader.locator("svg.chart g.bar")
    assert bars.count() >= 3
    box = reader.locator(".chart-box").bounding_box()
    newest = bars.last.bounding_box()
    assert box is not None and newest is not None
    # The newest bar lies inside the box's visible part, not scrolled away to its right.
    assert box["x"] <= newest["x"] and newest["x"] + newest["width"] <= box["x"] + box["width"]
    # Its axis reads "Jun" and, once, "2026": never "Jun 26".
    texts = reader.locator("svg.chart g.axis.x text").all_text_contents()
    labels = [" ".join(text.split()) for text in texts]
    assert labels and not [label for label in labels if re.fullmatch(r"[A-Z][a-z]{2} \d\d", label)]
    assert reader.locator("svg.chart g.axis.x tspan").first.text_content() == "2026", labels


def test_search_facets_fold_on_a_phone(
    site: str, contexts: tuple[Page, Page, dict[str, str]], width: str
) -> None:
    reader, _, _ = contexts
    reader.goto(site + "/search?q=distillation")
    facet_links = reader.locator("aside.facets li a")
    assert facet_links.count() > 5
    first_hit = reader.locator("article.hit").first
    summary = reader.locator("aside.facets summary")
    if width == "390px":
        expect(facet_links.first).to_be_hidden()
        expect(summary).to_be_visible()
        hit_box = first_hit.bounding_box()
        assert hit_box is not None and hit_box["y"] < PHONE["height"] * 1.5, hit_box
        summary.click()
        expect(facet_links.first).to_be_visible()
    else:
        expect(facet_links.first).to_be_visible()
        expect(summary).to_be_hidden()
        facets = reader.locator("aside.facets").bounding_box()
        hit_box = first_hit.bounding_box()
        assert facets is not None and hit_box is not None
        assert facets["x"] + facets["width"] <= hit_box["x"]  # beside the results


def test_every_footer_leads_to_the_feeds(
    site: str, public: dict[str, str], contexts: tuple[Page, Page, dict[str, str]]
) -> None:
    reader, staff, staff_paths = contexts
    for tab, paths in ((reader, public), (staff, staff_paths)):
        for path in paths.values():
            tab.goto(site + path)
            footer = tab.locator("footer.site-footer")
            expect(footer.get_by_role("link", name="All feeds")).to_have_attribute("href", "/feeds")
            opml = footer.get_by_role("link", name="OPML for feed readers")
            expect(opml).to_have_attribute("href", "/feeds.opml")
            expect(opml).to_be_visible()
            expect(footer.get_by_role("link", name="RSS")).to_be_visible()
    # A listing offers its own feeds, visibly, in the page and in the footer.
    for name in ("topic", "entity", "type", "bill", "search"):
        reader.goto(site + public[name])
        rss = reader.locator("main .feeds a", has_text="RSS")
        expect(rss).to_be_visible()
        href = rss.get_attribute("href") or ""
        assert ".rss" in href, (name, href)
        footer_rss = reader.locator("footer a", has_text="RSS").get_attribute("href")
        assert footer_rss == href, (name, footer_rss, href)
    reader.goto(site + "/")
    reader.locator("footer").get_by_role("link", name="All feeds").click()
    reader.wait_for_url("**/feeds")
    expect(reader.locator("main h1")).to_contain_text("Feeds")


def test_a_bill_summary_sets_its_title_apart(
    site: str, public: dict[str, str], contexts: tuple[Page, Page, dict[str, str]]
) -> None:
    reader, _, _ = contexts
    reader.goto(site + public["bill"])
    summary = reader.locator("section[aria-labelledby=summary-title]")
    title = reader.locator("main h1").inner_text()
    expect(summary.locator("h3")).to_have_text(title)
    first = summary.locator("p").first.inner_text()
    assert first.startswith("The bill would"), first


def test_sources_are_listed_by_name_whatever_the_case(
    site: str, contexts: tuple[Page, Page, dict[str, str]]
) -> None:
    reader, _, _ = contexts
    reader.goto(site + "/sources")
    rows = reader.locator("table:has(caption:text('Sources and their health')) tbody tr")
    names, samples = [], []
    for index in range(rows.count()):
        row = rows.nth(index).locator("th")
        names.append(row.locator("a").first.inner_text() if row.locator("a").count() else "")
        samples.append(row.locator(".badge.sample").count() > 0)
    assert len(names) > 10 and any(n[:1].islower() for n in names), names
    real = [n for n, sample in zip(names, samples, strict=True) if not sample]
    assert real == sorted(real, key=str.casefold), real


def test_the_favicon_is_there(site: str, contexts: tuple[Page, Page, dict[str, str]]) -> None:
    reader, _, _ = contexts
    reader.goto(site + "/")
    icon = reader.locator("link[rel=icon]")
    href = icon.get_attribute("href")
    assert href
    for path in (href, "/favicon.ico"):
        response = reader.request.get(site + path)
        assert response.status == 200, path
        assert response.headers["content-type"].startswith("image/svg+xml"), path
        assert b"<svg" in response.body()


def test_controls_share_one_look(site: str, contexts: tuple[Page, Page, dict[str, str]]) -> None:
    reader, _, _ = contexts
    reader.goto(site + "/topics/distillation")
    style = """(el) => { const s = getComputedStyle(el); return [s.borderTopLeftRadius,
        s.fontFamily, s.cursor, s.backgroundColor === 'rgb(239, 239, 239)' ||
        s.backgroundColor === 'rgb(240, 240, 240)']; }"""
    header_button = reader.locator("header.site-header button[type=submit]")
    radius, font, cursor, stock_grey = header_button.evaluate(style)
    body_font = reader.evaluate("getComputedStyle(document.body).fontFamily")
    assert radius == "4px" and font == body_font and cursor == "pointer" and not stock_grey
    # "Search" on one line, as tall as the field beside it (it wrapped to "Sear / ch" at 390 px).
    field = reader.locator("header.site-header input[type=search]").bounding_box()
    button = header_button.bounding_box()
    assert field is not None and button is not None
    assert button["height"] <= field["height"] + 4 and abs(button["y"] - field["y"]) <= 4, (
        field,
        button,
    )


def test_the_stage_bar_is_compact(
    site: str, public: dict[str, str], contexts: tuple[Page, Page, dict[str, str]], width: str
) -> None:
    """A step is one line on a phone, its date beside its label (54 px tall on main)."""
    reader, _, _ = contexts
    reader.goto(site + public["bill"])
    steps = reader.locator("main .stage-bar .step")
    assert steps.count() >= 6
    boxes = [steps.nth(i).bounding_box() for i in range(steps.count())]
    heights = [box["height"] for box in boxes if box is not None]
    tops = [box["y"] for box in boxes if box is not None]
    if width == "1280px":
        assert len(set(tops)) == 1 and max(heights) < 80, (tops, heights)  # one row
    else:
        assert len(heights) == steps.count() and max(heights) <= 40, heights
        assert tops == sorted(tops) and len(set(tops)) == len(tops)  # a column
        for index in range(steps.count()):  # the date on the label's line
            label = steps.nth(index).locator(".step-label").bounding_box()
            date = steps.nth(index).locator(".step-date")
            if date.count() and label is not None:
                box = date.first.bounding_box()
                assert box is not None and abs(box["y"] - label["y"]) < 4
    expect(reader.locator(".stage-bar [aria-current=step]")).to_contain_text("Ordered reported")
