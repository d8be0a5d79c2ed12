"""The bundled data files: data/sources.toml and the demo corpus in data/demo/.

These read the files directly (stdlib, feedparser, tomllib), so a broken or
mislabelled data file fails here before it can break the first start of the site.
"""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from tracker.types import DOC_TYPES, SOURCE_KINDS

DATA = Path(__file__).resolve().parents[1] / "data"
DEMO = DATA / "demo"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class DemoItem:
    source: str
    path: str
    guid: str
    title: str
    link: str | None
    text: str
    day: date


def _manifest() -> list[dict]:
    with (DEMO / "manifest.toml").open("rb") as fh:
        return tomllib.load(fh)["file"]


def _sources() -> list[dict]:
    with (DATA / "sources.toml").open("rb") as fh:
        return tomllib.load(fh)["source"]


def _feed_items(entry: dict) -> list[DemoItem]:
    parsed = feedparser.parse((DEMO / entry["path"]).read_bytes())
    assert not parsed.bozo, f"{entry['path']}: {parsed.get('bozo_exception')}"
    assert parsed.feed.title == entry["name"], entry["path"]
    items = []
    for e in parsed.entries:
        terms = {tag.term for tag in e.get("tags", [])}
        assert "sample" in terms, f"{entry['path']}: {e.title} has no 'sample' category"
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        items.append(
            DemoItem(
                entry["source"], entry["path"], e.id, e.title, e.link, e.summary, date(*stamp[:3])
            )
        )
    return items


def _federal_register_items(entry: dict) -> list[DemoItem]:
    page = json.loads((DEMO / entry["path"]).read_text(encoding="utf-8"))
    assert page["count"] == len(page["results"])
    assert {"count", "description", "total_pages", "results"} <= page.keys()
    items = []
    for doc in page["results"]:
        assert doc["type"] in {"Rule", "Proposed Rule", "Notice", "Presidential Document"}
        assert re.fullmatch(r"2026-\d{5}", doc["document_number"]), doc["document_number"]
        assert doc["agencies"] and all(a["slug"] for a in doc["agencies"])
        items.append(
            DemoItem(
                entry["source"],
                entry["path"],
                doc["document_number"],
                doc["title"],
                doc["html_url"],
                doc["abstract"],
                date.fromisoformat(doc["publication_date"]),
            )
        )
    return items


def _billstatus_items(entry: dict) -> list[DemoItem]:
    root = ET.parse(DEMO / entry["path"]).getroot()
    assert root.tag == "billStatus"
    bill = root.find("bill")
    assert bill is not None
    key = "-".join(bill.findtext(tag).lower() for tag in ("congress", "type", "number"))
    assert bill.findall("actions/item"), f"{entry['path']} has no actions"
    summary = bill.findtext("summaries/summary/text") or ""
    introduced = bill.findtext("introducedDate") or ""
    return [
        DemoItem(
            entry["source"],
            entry["path"],
            key,
            bill.findtext("title"),
            None,
            summary,
            date.fromisoformat(introduced),
        )
    ]


READERS = {
    "rss": _feed_items,
    "federal-register": _federal_register_items,
    "billstatus": _billstatus_items,
}


@pytest.fixture(scope="module")
def demo_items() -> list[DemoItem]:
    return [item for entry in _manifest() for item in READERS[entry["kind"]](entry)]


def test_manifest_lists_every_demo_file_and_only_existing_ones():
    listed = {entry["path"] for entry in _manifest()}
    on_disk = {p.name for p in DEMO.iterdir() if p.name != "manifest.toml"}
    assert listed == on_disk


def test_manifest_entries_are_demo_sources_with_known_kinds_and_types():
    by_source: dict[str, set[tuple]] = defaultdict(set)
    for entry in _manifest():
        assert entry["name"].startswith("Demo: "), entry["name"]
        assert SLUG.match(entry["source"]), entry["source"]
        assert entry["kind"] in READERS, entry["kind"]
        assert entry["doc_type"] in DOC_TYPES, entry["doc_type"]
        assert entry["homepage"].startswith("https://"), entry["homepage"]
        by_source[entry["source"]].add(
            (entry["name"], entry["kind"], entry["doc_type"], entry["homepage"])
        )
    # Files of one source must agree on what the source is.
    assert all(len(variants) == 1 for variants in by_source.values()), by_source


def test_demo_covers_several_kinds_of_file():
    kinds = [entry["kind"] for entry in _manifest()]
    feeds = [entry["path"] for entry in _manifest() if entry["kind"] == "rss"]
    assert 4 <= sum(p.endswith(".xml") for p in feeds) <= 6
    assert 1 <= sum(p.endswith(".atom") for p in feeds) <= 2
    assert kinds.count("federal-register") == 1
    assert 1 <= kinds.count("billstatus") <= 2


def test_demo_corpus_is_large_enough(demo_items):
    assert len(demo_items) >= 40


def test_every_item_has_a_unique_guid(demo_items):
    guids = [item.guid for item in demo_items]
    assert len(guids) == len(set(guids)), sorted(g for g in guids if guids.count(g) > 1)


def test_every_item_says_it_is_a_sample(demo_items):
    unmarked = [item.title for item in demo_items if "sample" not in item.text.lower()]
    assert not unmarked


def test_items_fall_in_2026(demo_items):
    assert {item.day.year for item in demo_items} == {2026}


def _normal(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"


def test_items_link_only_to_front_pages_or_indexes(demo_items):
    for item in demo_items:
        if item.link is None:
            continue
        parts = urlsplit(item.link)
        assert parts.scheme == "https", item.link
        assert not parts.query and not parts.fragment, item.link
        # A deep link to a made-up document would have a long, specific path.
        assert len([seg for seg in parts.path.split("/") if seg]) <= 2, item.link


def test_no_two_demo_sources_share_an_item_link(demo_items):
    sources_by_link: dict[str, set[str]] = defaultdict(set)
    for item in demo_items:
        if item.link:
            sources_by_link[_normal(item.link)].add(item.source)
    shared = {link: srcs for link, srcs in sources_by_link.items() if len(srcs) > 1}
    assert not shared


def test_the_june_10_letter_is_reported_by_several_news_outlets(demo_items):
    news = {entry["source"] for entry in _manifest() if entry["doc_type"] == "news"}
    outlets = {
        item.source
        for item in demo_items
        if item.source in news
        and date(2026, 6, 10) <= item.day <= date(2026, 6, 12)
        and {"Alibaba", "letter"} <= set(re.findall(r"\w+", f"{item.title} {item.text}"))
    }
    assert len(outlets) >= 3


def test_sources_toml_is_valid():
    sources = _sources()
    assert len(sources) >= 12
    slugs = [s["slug"] for s in sources]
    assert len(slugs) == len(set(slugs))
    for s in sources:
        assert SLUG.match(s["slug"]), s["slug"]
        assert s["kind"] in SOURCE_KINDS, s
        assert s["doc_type"] in DOC_TYPES, s
        assert s["name"] and not s["name"].startswith("Demo: "), s["name"]
        assert s["url"].startswith("https://"), s["url"]
        assert s.get("homepage", "https://").startswith("https://"), s
        assert isinstance(s.get("interval_minutes", 60), int)
        assert isinstance(s.get("enabled", True), bool)
        if s["kind"] == "html":
            selectors = s["selectors"]
            assert selectors.get("item") and selectors.get("title"), s["slug"]
        else:
            assert "selectors" not in s, s["slug"]


def test_sources_toml_covers_every_kind():
    assert {s["kind"] for s in _sources()} == set(SOURCE_KINDS)
