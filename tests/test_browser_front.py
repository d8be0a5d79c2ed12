"""Issue 16's front page and index pages in a real browser, at a desk's and a phone's width.

The demo is served with two untagged items of the last day beside it (a
fuel-stocks report and a proclamation, what a live wire brings), as in the
issue: the front page must lead with what moved in the tracked fights, not
with them. `/items`, `/topics` and `/entities` list what their feeds carry.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from conftest import make_settings
from flask import Flask
from live_site import no_sideways_scroll, serving
from playwright.sync_api import Page, expect
from test_browser import shoot
from test_browser_axe import findings

from tracker.models import Item, ItemTag
from tracker.pipeline import Pipeline
from tracker.web import create_app

UNTAGGED = ("Distillate fuel stocks fell 1.2 million barrels", "A Proclamation on Veterans Day")
ORIGINALS = {"memo", "executive-order", "proclamation", "notice", "export-control", "letter",
             "bill", "rule", "hearing"}  # fmt: skip
RANK = {**{t: 3 for t in ORIGINALS}, "report": 2, "press-release": 2, "news": 1}


def wire(path: Path) -> Path:
    """An RSS file with the two untagged items of the issue, published yesterday."""
    when = format_datetime(datetime.now(UTC) - timedelta(days=1), usegmt=True)
    entries = "".join(
        f"<item><title>{title}</title><link>https://wire.example.org/{n}</link>"
        f"<guid>https://wire.example.org/{n}</guid><pubDate>{when}</pubDate>"
        f"<description>{title}, the week's figures.</description></item>"
        for n, title in enumerate(UNTAGGED)
    )
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>https://wire.example.org/</link><description>w</description>{entries}"
        "</channel></rss>"
    )
    return path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("browser-front")
    settings = make_settings(home)
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    assert pipeline.ingest_file(wire(home / "wire.xml"), "file-wire", "rss").status == "ok"
    with pipeline.engine.connect() as conn:
        tagged = conn.execute(
            sa.select(sa.func.count())
            .select_from(ItemTag.__table__.join(Item.__table__))  # type: ignore[arg-type]
            .where(Item.__table__.c.title.in_(UNTAGGED))  # type: ignore[attr-defined]
            .where(ItemTag.__table__.c.origin != "issuer")  # type: ignore[attr-defined]
        ).scalar_one()
    # The proclamation is the White House's (tracker/issuers.py), which moves no fight.
    assert tagged == 0, "the wire's items are meant to carry no tag but their issuer's"
    pipeline.settle()  # grouped into events and indexed, as `tracker ingest` leaves them
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield base
    pipeline.engine.dispose()


def test_the_front_page_leads_with_the_fight(tab: Page, site: str, tmp_path: Path) -> None:
    tab.goto(site + "/")
    week = tab.locator("section.week")
    for title in UNTAGGED:
        expect(week).not_to_contain_text(title)
    expect(week).to_contain_text("20–26 Jun 2026")  # the latest week with tagged news
    cards = week.locator("article.event-card")
    assert cards.count() >= 3
    expect(tab.locator("h1")).to_contain_text("The latest week the fights moved")
    ranks = []
    for n in range(cards.count()):
        card = cards.nth(n)
        assert card.locator("ul.chips a.chip").count() >= 1, "an untagged event on the front page"
        types = [
            t.removeprefix("type-")
            for t in (card.locator(".meta .badge").first.get_attribute("class") or "").split()
        ]
        ranks.append(max(RANK.get(t, 0) for t in types))
    # Originals and reports before the coverage of them.
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > 1 and ranks[-1] == 1, ranks
    expect(cards.first).to_contain_text("AI Firms Seek US Help Against China Model Distillation")
    moved = tab.locator(".moved a.chip", has_text="Model distillation")
    expect(moved).to_be_visible()
    assert moved.get_attribute("href", timeout=1000) == "/topics/distillation"
    no_sideways_scroll(tab)
    shoot(tab, tmp_path, "front")


@pytest.mark.parametrize(("path", "name", "slug", "count"), [
    ("/topics", "Model distillation", "distillation", "18 items"),
    ("/entities", "Institute for AI Policy and Strategy", "iaps", "items"),
])  # fmt: skip
def test_topic_and_entity_indexes(
    tab: Page, site: str, path: str, name: str, slug: str, count: str
) -> None:
    response = tab.goto(site + path)
    assert response is not None and response.status == 200
    entry = tab.locator("li.tag-entry", has=tab.locator("h2", has_text=name)).first
    expect(entry).to_be_visible()
    expect(entry).to_contain_text(count)
    assert entry.locator("h2 a").get_attribute("href") == f"{path}/{slug}"
    for ext in ("rss", "atom", "json"):
        assert entry.locator(f'a[href="{path}/{slug}.{ext}"]').count() == 1
    names = tab.locator("li.tag-entry h2").all_inner_texts()
    assert names == sorted(names, key=str.casefold), "not listed by name"
    assert not any("-" in n and n == n.lower() for n in names), "a slug where a name belongs"
    no_sideways_scroll(tab)
    entry.locator("h2 a").click()
    expect(tab.locator("h1")).to_have_text(name)


@pytest.mark.parametrize("path", ["/topics", "/entities"])
def test_the_tag_indexes_are_styled_cards_not_a_bulleted_list(
    tab: Page, site: str, path: str, tmp_path: Path
) -> None:
    tab.goto(site + path)
    listing = tab.locator("ul.tag-index")
    assert listing.evaluate("e => getComputedStyle(e).listStyleType") == "none"
    assert listing.evaluate("e => getComputedStyle(e).paddingLeft") == "0px"
    entries = tab.locator("li.tag-entry")
    assert entries.count() >= 4
    first = entries.first
    assert first.evaluate("e => getComputedStyle(e).borderTopWidth") != "0px"
    assert first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 255, 255)"
    boxes = [entries.nth(n).bounding_box() for n in range(2)]
    assert boxes[0] is not None and boxes[1] is not None
    width = tab.viewport_size["width"] if tab.viewport_size else 0
    if width >= 1000:  # side by side on a desk
        assert boxes[0]["y"] == boxes[1]["y"] and boxes[1]["x"] > boxes[0]["x"]
    else:  # one column on a phone, each entry the column's width
        assert boxes[1]["y"] > boxes[0]["y"] and boxes[0]["x"] == boxes[1]["x"]
        assert boxes[0]["width"] > width * 0.8
    no_sideways_scroll(tab)
    shoot(tab, tmp_path, f"index-{path.strip('/')}")


def test_no_upcoming_block_without_calendar_entries_ahead(tab: Page, site: str) -> None:
    tab.goto(site + "/")
    expect(tab.locator("section.week")).to_be_visible()
    expect(tab.locator("section.upcoming")).to_have_count(0)


def test_the_items_index_pages_the_latest(tab: Page, site: str) -> None:
    response = tab.goto(site + "/items")
    assert response is not None and response.status == 200
    expect(tab.locator("h1")).to_have_text("All items")
    expect(tab.locator("main .lede")).to_contain_text("37 items, newest first")
    cards = tab.locator("article.item-card")
    assert cards.count() == 37
    first_two = " ".join(cards.locator("h2").all_inner_texts()[:2])
    assert all(title in first_two for title in UNTAGGED)  # every item, tagged or not
    dates = [t.get_attribute("datetime") or "" for t in tab.locator("article.item-card time").all()]
    assert dates == sorted(dates, reverse=True)
    assert tab.locator('main p.feeds a[href="/items.rss"]').count() == 1
    no_sideways_scroll(tab)
    past = tab.goto(site + "/items?page=9")
    assert past is not None and past.status == 404


@pytest.mark.parametrize("path", ["/", "/items", "/topics", "/entities"])
def test_no_serious_accessibility_violation(tab: Page, site: str, path: str) -> None:
    response = tab.goto(site + path)
    assert response is not None and response.status == 200
    assert not findings(Axe(), tab), findings(Axe(), tab)
