"""The bundled data files: data/sources.toml and the demo snapshot in data/demo/.

The demo is checked against tests/data/demo_facts.toml, a table written by
hand from FACTS.md (the verified timeline): every story item is one row of it,
with the row's date, title and an address the row allows, and says what is
one source's word as reported; nothing quotes, counts or names what the
table does not hold. These read the files directly (stdlib, feedparser,
tomllib), so a mislabelled data file fails here before it can reach a reader.
"""

from __future__ import annotations

import html
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from tracker.tag import find_bill_refs
from tracker.types import DOC_TYPES, SOURCE_KINDS

DATA = Path(__file__).resolve().parents[1] / "data"
DEMO = DATA / "demo"
FACTS_TABLE = Path(__file__).resolve().parent / "data" / "demo_facts.toml"
FACTS_MD = Path(__file__).resolve().parents[2] / "shared" / "FACTS.md"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATES = re.compile(rf"\b(?:{MONTHS}) \d{{1,2}}\b(?:(?:[–-]| or | and )\d{{1,2}}\b)?|\b20[12]\d\b")
QUOTED = re.compile(r"\"([^\"]+)\"|“([^”]+)”")


@dataclass(frozen=True)
class DemoItem:
    source: str
    path: str
    guid: str
    title: str
    link: str | None
    text: str
    day: date

    @property
    def illustrative(self) -> bool:
        return self.source == "demo-illustrative"


def _manifest() -> list[dict]:
    with (DEMO / "manifest.toml").open("rb") as fh:
        return tomllib.load(fh)["file"]


def _sources() -> list[dict]:
    with (DATA / "sources.toml").open("rb") as fh:
        return tomllib.load(fh)["source"]


def _facts() -> dict:
    with FACTS_TABLE.open("rb") as fh:
        return tomllib.load(fh)


def _plain(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _feed_items(entry: dict) -> list[DemoItem]:
    parsed = feedparser.parse((DEMO / entry["path"]).read_bytes())
    assert not parsed.bozo, f"{entry['path']}: {parsed.get('bozo_exception')}"
    assert parsed.feed.title == entry["name"], entry["path"]
    items = []
    for e in parsed.entries:
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        items.append(
            DemoItem(
                entry["source"],
                entry["path"],
                e.id,
                e.title,
                e.link,
                _plain(e.summary),
                date(*stamp[:3]),
            )
        )
    return items


def _billstatus_items(entry: dict) -> list[DemoItem]:
    bill = ET.parse(DEMO / entry["path"]).getroot().find("bill")
    assert bill is not None
    label = {"HR": "H.R."}[bill.findtext("type") or ""] + " " + (bill.findtext("number") or "")
    return [
        DemoItem(
            entry["source"],
            entry["path"],
            label,
            f"{label}: {bill.findtext('title')}",
            bill.findtext("textVersions/item/formats/item/url"),
            _plain(bill.findtext("summaries/summary/text") or ""),
            date.fromisoformat(bill.findtext("introducedDate") or ""),
        )
    ]


READERS = {"rss": _feed_items, "billstatus": _billstatus_items}


@pytest.fixture(scope="module")
def demo_items() -> list[DemoItem]:
    return [item for entry in _manifest() for item in READERS[entry["kind"]](entry)]


def _rows_of(item: DemoItem, rows: list[dict]) -> list[dict]:
    return [
        row
        for row in rows
        if item.link in row["urls"] and all(word in item.title for word in row["title"])
    ]


def _span(row: dict) -> tuple[date, date]:
    first, _, last = row["date"].partition("..")
    return date.fromisoformat(first), date.fromisoformat(last or first)


def test_manifest_lists_every_demo_file_and_only_existing_ones():
    listed = {entry["path"] for entry in _manifest()}
    on_disk = {p.name for p in DEMO.iterdir() if p.name != "manifest.toml"}
    assert listed == on_disk


def test_manifest_entries_are_snapshot_sources_with_known_kinds_and_types():
    slugs = Counter(entry["source"] for entry in _manifest())
    assert set(slugs.values()) == {1}, slugs
    for entry in _manifest():
        assert entry["name"].startswith("Demo snapshot: "), entry["name"]
        assert SLUG.match(entry["source"]) and entry["source"].startswith("demo-")
        assert entry["kind"] in READERS, entry["kind"]
        assert entry["doc_type"] in DOC_TYPES, entry["doc_type"]
        assert entry["homepage"].startswith("https://"), entry["homepage"]


def test_every_story_item_is_one_row_of_the_facts_table(demo_items):
    rows = _facts()["event"]
    story = [item for item in demo_items if not item.illustrative]
    matched: dict[str, list[str]] = defaultdict(list)
    for item in story:
        found = _rows_of(item, rows)
        assert len(found) == 1, (item.title, item.link, [r["key"] for r in found])
        matched[found[0]["key"]].append(item.title)
    assert sorted(matched) == sorted(row["key"] for row in rows), "a row has no item"
    assert all(len(titles) == 1 for titles in matched.values()), matched


@pytest.mark.parametrize("row", _facts()["event"], ids=lambda row: row["key"])
def test_each_row_has_its_date_and_as_reported_words(demo_items, row):
    (item,) = [i for i in demo_items if not i.illustrative and row in _rows_of(i, [row])]
    first, last = _span(row)
    assert first <= item.day <= last, (item.title, item.day, row["date"])
    for words in row["reported"]:
        assert words.lower() in f"{item.title} {item.text}".lower(), (row["key"], words)
    assert (item.source == "demo-congress") == row.get("bill", False)


def test_the_table_is_true_to_facts_md():
    if not FACTS_MD.exists():
        pytest.skip("../shared/FACTS.md is absent")
    facts = FACTS_MD.read_text(encoding="utf-8")
    table = _facts()
    for row in table["event"]:
        for url in row["urls"]:
            assert url in facts, (row["key"], url)
        for words in row["title"]:
            assert words.replace("H.R. 8283", "8283") in facts, (row["key"], words)
    for quote in table["quotes"]["allowed"]:
        assert quote in facts, quote


def test_quotes_are_only_those_the_record_holds(demo_items):
    allowed = set(_facts()["quotes"]["allowed"])
    for item in demo_items:
        for found in QUOTED.finditer(f"{item.title} {item.text}"):
            quote = found.group(1) or found.group(2)
            assert quote in allowed, (item.title, quote)


def test_story_numbers_are_only_those_the_record_holds(demo_items):
    table = _facts()["numbers"]
    phrases = sorted(table["allowed"] + table["identifiers"], key=len, reverse=True)
    for item in demo_items:
        if item.illustrative:
            continue
        text = DATES.sub("", f"{item.title} {item.text}")
        for phrase in phrases:
            text = text.replace(phrase, "")
        assert not re.search(r"\d", text), (item.title, re.findall(r"\S*\d\S*", text))


def test_no_invented_identifiers(demo_items):
    for item in demo_items:
        text = f"{item.title} {item.text}"
        bills = set(find_bill_refs(text))
        assert bills <= ({("hr", 8283)} if not item.illustrative else set()), (item.title, bills)
        assert not re.search(r"\b20\d\d-\d{5}\b|\b\d+ FR \d+\b", text), item.title  # FR numbers
        assert not re.search(r"\b\d{4}-[A-Z]{2}\d{2}\b", text), item.title  # RINs
        for series, real in (("NSTM", "4"), ("NSPM", "11"), ("NSM", "25")):
            for number in re.findall(rf"\b{series}-(\d+)", text):
                assert number == real and not item.illustrative, (item.title, series, number)


def test_illustrative_items_say_so_and_link_only_to_example_org(demo_items):
    illustrative = [item for item in demo_items if item.illustrative]
    assert len(illustrative) >= 10
    for item in illustrative:
        assert item.title.startswith("Illustrative: "), item.title
        assert "Illustrative item written for the Policy Tracker demo" in item.text
        assert "reports nothing that happened" in item.text
        assert urlsplit(item.link or "").netloc == "example.org", item.link


def test_lookalikes_cover_the_words_a_careful_reader_tells_apart(demo_items):
    text = " ".join(f"{i.title} {i.text}" for i in demo_items if i.illustrative)
    for words in ("distillate fuel", "Distilled spirits", "Water distillation", "distilled means",
                  "Warren Buffett", "anthropic principle", "Bank for International Settlements",
                  "Sen. Rick Scott", "Claude Monet", "Scott Bessent", "Sheldon Whitehouse",
                  "Chamber of Commerce", "E-commerce", "meta-analysis", "Open AI models",
                  "Gemini"):  # fmt: skip
        assert words in text, words


def test_every_item_says_it_is_a_snapshot(demo_items):
    for item in demo_items:
        marker = "Illustrative item" if item.illustrative else "demo snapshot"
        assert marker in item.text, item.title


def test_the_bill_snapshot_holds_only_the_verified_actions():
    bill = ET.parse(DEMO / "BILLSTATUS-119hr8283.xml").getroot().find("bill")
    assert bill is not None
    actions = [(a.findtext("actionDate"), a.findtext("text")) for a in bill.findall("actions/item")]
    assert sorted(set(actions)) == [
        ("2026-04-15", "Introduced in House"),
        ("2026-04-15", "Referred to the House Committee on Foreign Affairs."),
        ("2026-04-22", "Ordered to be Reported (Amended)."),
    ]
    assert [s.findtext("fullName") for s in bill.findall("sponsors/item")] == ["Rep. Huizenga"]
    assert [c.findtext("fullName") for c in bill.findall("cosponsors/item")] == ["Rep. Moolenaar"]
    raw = (DEMO / "BILLSTATUS-119hr8283.xml").read_text(encoding="utf-8")
    # The vote count and the cosponsor count are one source's word: not in the record.
    assert "43" not in raw and "bioguide" not in raw.lower()
    assert bill.find("relatedBills") is None  # no companion bill was found


def test_the_bill_snapshot_follows_the_current_schema_layout():
    root = ET.parse(DEMO / "BILLSTATUS-119hr8283.xml").getroot()
    assert root.tag == "billStatus" and root.findtext("version") == "3.0.0"
    order = [child.tag for child in root.find("bill")]  # type: ignore[union-attr]
    schema = ["number", "updateDate", "updateDateIncludingText", "originChamber", "type",
              "introducedDate", "congress", "constitutionalAuthorityStatementText", "committees",
              "relatedBills", "actions", "sponsors", "cosponsors", "cboCostEstimates", "laws",
              "notes", "policyArea", "subjects", "summaries", "title", "titles", "amendments",
              "textVersions", "latestAction"]  # fmt: skip
    assert order == [tag for tag in schema if tag in order]


def test_no_two_demo_items_share_a_link(demo_items):
    links = Counter(item.link for item in demo_items if item.link)
    assert [link for link, n in links.items() if n > 1] == []


def test_the_story_runs_from_february_to_june_2026(demo_items):
    days = sorted(item.day for item in demo_items if not item.illustrative)
    assert days[0] == date(2026, 2, 12) and days[-1] == date(2026, 6, 26)
    # The home page shows the latest week with news: it must be the story's.
    assert max(i.day for i in demo_items if i.illustrative) < date(2026, 6, 20)


def test_sources_toml_is_valid():
    sources = _sources()
    assert len(sources) >= 12
    slugs = [s["slug"] for s in sources]
    assert len(slugs) == len(set(slugs))
    for s in sources:
        assert SLUG.match(s["slug"]), s["slug"]
        assert s["kind"] in SOURCE_KINDS, s
        assert s["doc_type"] in DOC_TYPES, s
        assert s["name"] and not s["name"].startswith("Demo"), s["name"]
        assert not s["slug"].startswith("demo-"), s["slug"]
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
