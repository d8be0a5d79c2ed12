"""An item the source changed shows what changed, word by word, on its page (issue 17
part 4): in Chromium at 390 and 1280 px, with the earlier words struck through and the
new ones marked, and nothing for an item never changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from conftest import make_settings
from flask import Flask
from live_site import no_sideways_scroll, serving
from playwright.sync_api import Page

from tracker.models import Item, table_of
from tracker.pipeline import Pipeline
from tracker.web import create_app

FIRST = "The committee will consider the bill on May 13. Comments close on May 1."
SECOND = "The committee will consider the amended bill on May 20. Comments close on May 1."


def feed(guid: str, title: str, text: str) -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example agency</title>
    <link>https://example.org/</link><description>Notices</description>
    <item><guid>{guid}</guid><title>{title}</title><link>https://example.org/{guid}</link>
    <description>{text}</description><pubDate>Mon, 04 May 2026 12:00:00 +0000</pubDate></item>
    </channel></rss>""".encode()


def ingest(pipeline: Pipeline, folder: Path, content: bytes) -> None:
    path = folder / "feed.xml"
    path.write_bytes(content)
    assert pipeline.ingest_file(path, "example-notices").status == "ok"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int]]]:
    home = tmp_path_factory.mktemp("browser-versions")
    pipeline = Pipeline(make_settings(home))
    pipeline.init()
    ingest(pipeline, home, feed("notice-1", "Notice of a committee meeting", FIRST))
    ingest(pipeline, home, feed("notice-1", "Notice of an amended committee meeting", SECOND))
    ingest(pipeline, home, feed("notice-2", "A notice never changed", FIRST))
    pipeline.settle()
    item = table_of(Item).c
    with pipeline.engine.connect() as conn:
        ids = {guid: id_ for guid, id_ in conn.execute(sa.select(item.guid, item.id))}
    app: Flask = create_app({"SETTINGS": pipeline.settings})
    with serving(app) as base:
        yield base, ids
    pipeline.engine.dispose()


def test_a_changed_item_shows_its_words_taken_out_and_put_in(tab: Page, site) -> None:
    base, ids = site
    tab.goto(f"{base}/items/{ids['notice-1']}")
    section = tab.locator("section.versions")
    assert section.locator("h2").inner_text() == "What changed"
    text = section.inner_text()
    assert "Updated: title was “Notice of a committee meeting”" in text
    assert "an amended" in section.locator(".diff ins").all_inner_texts()[0]
    deleted = " ".join(section.locator(".diff del").all_inner_texts())
    assert "13." in deleted and "amended" not in deleted
    assert "20." in " ".join(section.locator(".diff ins").all_inner_texts())
    assert section.locator("time").count() >= 1  # when, to the minute
    no_sideways_scroll(tab)


def test_an_item_never_changed_has_no_versions_section(tab: Page, site) -> None:
    base, ids = site
    tab.goto(f"{base}/items/{ids['notice-2']}")
    assert tab.locator("h1").inner_text() == "A notice never changed"
    assert tab.locator("section.versions").count() == 0
