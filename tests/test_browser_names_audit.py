"""Issue 16: names, not slugs, wherever a person reads; a readable audit log.

In a real browser at a desk's and a phone's width, on the demo: the search
facets and result sources, a committee's chip and its page, the messages
after adding or confirming a tag, and the audit log those leave behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from conftest import make_settings
from flask import Flask
from live_site import serving
from playwright.sync_api import Page, expect
from staff import PASSWORD, add_user

from tracker.models import Entity, Item, Source, Topic
from tracker.pipeline import Pipeline
from tracker.web import create_app


class Site:
    def __init__(self, base: str, pipeline: Pipeline) -> None:
        self.base, self.pipeline = base, pipeline

    def column(self, model: type, name: str) -> set[str]:
        with self.pipeline.engine.connect() as conn:
            table = model.__table__  # type: ignore[attr-defined]
            return set(conn.execute(sa.select(table.c[name])).scalars())

    def item_id(self, title_start: str) -> int:
        with self.pipeline.engine.connect() as conn:
            table = Item.__table__  # type: ignore[attr-defined]
            stmt = sa.select(table.c.id).where(table.c.title.startswith(title_start))
            return int(conn.execute(stmt).scalar_one())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = make_settings(tmp_path_factory.mktemp("browser-names"))
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    pipeline.settle()
    add_user(pipeline.engine, "ada", "admin")
    app: Flask = create_app({"SETTINGS": settings})
    with serving(app) as base:
        yield Site(base, pipeline)
    pipeline.engine.dispose()


def slug_words(site: Site) -> set[str]:
    """Every slug as it read on main: as is, and with its dashes as spaces."""
    slugs = site.column(Topic, "slug") | site.column(Entity, "slug") | site.column(Source, "slug")
    return slugs | {s.replace("-", " ") for s in slugs}


def test_search_facets_and_sources_show_names(tab: Page, site: Site) -> None:
    tab.goto(site.base + "/search?q=distillation")
    fold = tab.locator("aside.facets details")
    if fold.count() and not fold.evaluate("e => e.open"):  # folded on a phone: open it
        fold.locator("summary").click()
    labels = tab.locator("aside.facets li a span:first-child").all_inner_texts()
    facets = [t.strip() for t in labels]
    assert len(facets) > 10
    slugs = slug_words(site)
    assert not [f for f in facets if f in slugs], "a slug where a name belongs"
    for name in ("Model distillation", "IAPS", "Department of State", "Anthropic"):
        assert name in facets, (name, facets)
    sources = tab.locator("article.hit .meta .source").all_inner_texts()
    assert sources and all(s.startswith("Demo snapshot: ") for s in sources), sources
    # A chosen facet reads by name in the filters in use.
    tab.locator("aside.facets a", has_text="IAPS").first.click()
    expect(tab.locator("ul.active-filters")).to_contain_text("Entity: IAPS")


def test_a_committee_has_one_label(tab: Page, site: Site) -> None:
    tab.goto(site.base + "/topics/distillation")
    chip = tab.locator('a.chip[href="/entities/house-select-committee-on-china"]').first
    label = chip.inner_text().strip()
    chip.click()
    expect(tab.locator("h1")).to_have_text(label)  # the chip says what the page is called
    assert label == "House Select Committee on the CCP"


def log_in(tab: Page, site: Site, user: str) -> None:
    tab.goto(site.base + "/login")
    tab.fill("#username", user)
    tab.fill("#password", PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.wait_for_load_state()


@pytest.mark.parametrize(("viewport_id", "title", "suggested", "name", "new", "new_name"), [
    ("1280px", "Memo: OpenAI to the House Select", "house-select-committee-on-china",
     "House Select Committee on the CCP", "doj", "Department of Justice"),
    ("390px", "NSTM-4", "ostp", "Office of Science and Technology Policy", "ftc",
     "Federal Trade Commission"),
])  # fmt: skip
def test_tagging_is_announced_and_logged_in_words(
    tab: Page,
    site: Site,
    viewport_id: str,
    title: str,
    suggested: str,
    name: str,
    new: str,
    new_name: str,
) -> None:
    if (tab.viewport_size or {}).get("width") != int(viewport_id[:-2]):
        pytest.skip("each viewport tags its own item")
    log_in(tab, site, "ada")
    item_id = site.item_id(title)
    tab.goto(f"{site.base}/review/items/{item_id}")
    tab.select_option("#add-slug", suggested)  # a tag the machine suggested
    tab.locator("form", has=tab.locator("#add-slug")).locator("button").click()
    flash = tab.locator(".flash, [role=status]").filter(has_text=name).first
    expect(flash).to_contain_text(f"Confirmed the suggested entity {name}.")
    tab.select_option("#add-slug", new)  # one no item carries
    tab.locator("form", has=tab.locator("#add-slug")).locator("button").click()
    flash = tab.locator(".flash, [role=status]").filter(has_text=new_name).first
    expect(flash).to_contain_text(f"Added the entity {new_name}.")
    assert new not in flash.inner_text()

    tab.goto(site.base + "/admin/audit")
    entries = tab.locator("li.audit-entry")
    added, confirmed = entries.nth(0), entries.nth(1)  # newest first
    expect(confirmed).to_contain_text(f"Confirmed the entity {name} on {title}")
    expect(confirmed.locator("dl")).to_contain_text("suggested → confirmed")
    expect(added).to_contain_text(f"Added the entity {new_name} on {title}")
    link = confirmed.locator("a.item")
    assert link.get_attribute("href") == f"/items/{item_id}"
    when = confirmed.locator("time").inner_text()
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} UTC", when), when
    assert entries.first.locator("a.who").inner_text() == "ada"
    text = tab.locator("main").inner_text()
    assert '"' not in text.split("Audit log", 1)[1], "a value in quotes"
    assert not re.search(r"tag\.(add|confirm) tag \d+", text)
    overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the audit log scrolls sideways by {overflow}px"
