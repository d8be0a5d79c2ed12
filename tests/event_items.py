"""Reports for the event-grouping tests: one made by hand, or a labelled set read
from tests/data and tagged as ingest would tag it."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from tracker.event_links import extract
from tracker.events import EventItem
from tracker.normalize import canonical_url, sanitize_html
from tracker.tag import tag_item
from tracker.taxonomy import load_taxonomy

DATA = Path(__file__).resolve().parent / "data"


def report(
    item_id: int,
    title: str,
    text: str = "",
    *,
    start: datetime,
    hours: float = 0,
    doc_type: str = "news",
    source: str = "wire",
    entities: frozenset[str] = frozenset(),
) -> EventItem:
    """A report published `hours` after `start`, with no tags but `entities`."""
    return EventItem(id=item_id, title=title, text=text, entities=entities,
                     topics=frozenset(), published=start + timedelta(hours=hours),
                     doc_type=doc_type, source=source)  # fmt: skip


def links_of(row: dict[str, str]) -> frozenset[str]:
    """The links of a row's optional `summary_html`, sanitised as ingest stores it."""
    if not row.get("summary_html"):
        return frozenset()
    url = canonical_url(row["url"]) or ""
    published = datetime.fromisoformat(row["published"])
    markup = sanitize_html(row["summary_html"], url or None)
    return extract(markup, url, published, title=row.get("title", ""))


def labelled(name: str) -> tuple[list[EventItem], dict[int, str]]:
    """A labelled events set's reports, tagged, and each report's happening."""
    taxonomy = load_taxonomy()
    items, happening = [], {}
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        tags = tag_item(row["title"], row["summary"], taxonomy)
        happening[row["id"]] = row["event"]
        items.append(EventItem(
            id=row["id"], title=row["title"], text=row["summary"],
            entities=frozenset(tags.entities), topics=frozenset(tags.named_topics),
            published=datetime.fromisoformat(row["published"]), doc_type=row["doc_type"],
            source=row["source"], url=row["url"], links=links_of(row),
        ))  # fmt: skip
    return items, happening
