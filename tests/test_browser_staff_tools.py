"""Issue 16: staff find their tools where they read, in a real browser at 1280 and 390 px.

An item page shows staff (and only staff) an "Edit tags" link; an item's
review page offers the events near its own that share its tags, each with a
button that merges it, so no event number is ever looked up or typed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from conftest import make_settings
from flask import Flask
from live_site import serving
from playwright.sync_api import Page, expect
from staff import PASSWORD, add_user
from test_browser_axe import findings

from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.web import create_app

ITEM = Item.__table__  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Pipeline]]:
    settings = make_settings(tmp_path_factory.mktemp("browser-staff-tools"))
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    pipeline.settle()
    add_user(pipeline.engine, "eddie", "editor")
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield base, pipeline
    pipeline.engine.dispose()


def item_row(pipeline: Pipeline, title_start: str) -> tuple[int, int]:
    """(item id, event id) of the demo item whose title starts so."""
    with pipeline.engine.connect() as conn:
        stmt = sa.select(ITEM.c.id, ITEM.c.event_id).where(ITEM.c.title.startswith(title_start))
        found = conn.execute(stmt).one()
    return int(found[0]), int(found[1])


def log_in(tab: Page, base: str) -> None:
    tab.goto(base + "/login")
    tab.fill("#username", "eddie")
    tab.fill("#password", PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.wait_for_load_state()


def test_staff_see_an_edit_tags_link_on_an_item(tab: Page, site: tuple[str, Pipeline]) -> None:
    base, pipeline = site
    item_id, _ = item_row(pipeline, "NSTM-4")
    tab.goto(f"{base}/items/{item_id}")
    expect(tab.locator("h1")).to_contain_text("NSTM-4")
    assert tab.locator("a.edit-tags").count() == 0  # a reader has no such link
    log_in(tab, base)
    tab.goto(f"{base}/items/{item_id}")
    link = tab.get_by_role("link", name="Edit tags")
    expect(link).to_be_visible()
    link.click()
    tab.wait_for_url(f"**/review/items/{item_id}")
    expect(tab.locator("#add-slug")).to_be_visible()


@pytest.mark.parametrize(("width", "own", "other"), [
    (1280, "House Foreign Affairs Committee orders H.R. 8283", "H.R. 8283: Deterring"),
    (390, "Anthropic's letter accusing Alibaba", "AI Firms Seek US Help"),
])  # fmt: skip
def test_merge_a_nearby_event_with_one_button(
    tab: Page, site: tuple[str, Pipeline], width: int, own: str, other: str
) -> None:
    if (tab.viewport_size or {}).get("width") != width:
        pytest.skip("each width merges its own pair of events")
    base, pipeline = site
    item_id, event_id = item_row(pipeline, own)
    other_item, other_event = item_row(pipeline, other)
    assert event_id != other_event
    log_in(tab, base)
    tab.goto(f"{base}/review/items/{item_id}")
    offer = tab.locator("li.nearby-event", has=tab.locator(f'a[href="/events/{other_event}"]'))
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("shares")
    expect(offer.locator("a")).to_contain_text(other)
    assert not findings(Axe(), tab)  # the new list and its buttons included
    button = offer.get_by_role("button", name="Merge into this item's event")
    button.scroll_into_view_if_needed()
    button.click()
    tab.wait_for_load_state()
    flash = tab.locator("[role=status]").filter(has_text="Merged").first
    expect(flash).to_contain_text(f"Merged “{other}")
    assert str(other_event) not in flash.inner_text().split("moved")[0].replace(other, "")
    assert item_row(pipeline, other) == (other_item, event_id)  # it joined this item's event
    assert tab.locator(f'li.nearby-event a[href="/events/{other_event}"]').count() == 0
