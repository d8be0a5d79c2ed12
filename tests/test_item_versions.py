"""What changed (issue 17 part 4, store side): earlier wordings kept, compared word by word.

A re-fetched item whose title or text changed keeps its earlier version in
`item_version`, in the transaction that changes it; `item_history` gives the
item page every version with inserted and deleted words marked; versions and
calendar entries survive export and import. Store tests run on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import feedparser
import sqlalchemy as sa
from sqlmodel import select

from tracker.models import CalendarEntry, Item, ItemVersion, table_of
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.store.export import export_records
from tracker.store.importer import import_records
from tracker.store.item_versions import item_history
from tracker.wording_diff import Segment, change_summary, counts, word_diff

FIRST_TEXT = "The committee will consider the bill on May 13. Comments close on May 1."
SECOND_TEXT = "The committee will consider the amended bill on May 20. Comments close on May 1."


def feed(title: str, text: str, link: str = "https://example.org/notice-1") -> bytes:
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Example agency</title>
    <link>https://example.org/</link><description>Notices</description>
    <item><guid>notice-1</guid><title>{title}</title><link>{link}</link>
    <description>{text}</description><pubDate>Mon, 04 May 2026 12:00:00 +0000</pubDate></item>
    </channel></rss>""".encode()


def ingest(pipeline: Pipeline, tmp: Path, content: bytes) -> None:
    path = tmp / "feed.xml"
    path.write_bytes(content)
    outcome = pipeline.ingest_file(path, "example-notices")
    assert outcome.status == "ok", outcome.error


def test_word_diff_marks_inserted_and_deleted_words() -> None:
    segments = word_diff(FIRST_TEXT, SECOND_TEXT)
    assert segments == [
        Segment("same", "The committee will consider the "),
        Segment("inserted", "amended "),
        Segment("same", "bill on May "),
        Segment("deleted", "13. "),
        Segment("inserted", "20. "),
        Segment("same", "Comments close on May 1."),
    ]
    assert counts(segments) == (2, 1)
    new = "".join(s.text for s in segments if s.kind != "deleted")
    old = "".join(s.text for s in segments if s.kind != "inserted")
    assert new == SECOND_TEXT and old == FIRST_TEXT


def test_word_diff_of_equal_and_of_empty_texts() -> None:
    assert word_diff("same words", "same words") == [Segment("same", "same words")]
    assert word_diff("", "new words") == [Segment("inserted", "new words")]
    assert word_diff("old words", "") == [Segment("deleted", "old words")]
    assert word_diff("", "") == []


def test_long_texts_are_compared_by_line_then_by_word() -> None:
    lines = [f"Section {n}. The Secretary shall report within {n} days." for n in range(3000)]
    old = "\n".join(lines)
    changed = lines.copy()
    changed[1500] = "Section 1500. The Secretary shall report within 90 days."
    segments = word_diff(old, "\n".join(changed))
    assert [s.text for s in segments if s.kind == "deleted"] == ["1500 "]
    assert [s.text for s in segments if s.kind == "inserted"] == ["90 "]


def test_change_summary_is_one_line() -> None:
    assert change_summary("Notice", "Notice", FIRST_TEXT, SECOND_TEXT) == (
        "Updated: text: 2 words inserted, 1 word deleted"
    )
    assert change_summary("Old title", "New title", "a", "a") == "Updated: title was “Old title”"
    assert change_summary("T", "T", "a  b", "a b") == "Updated"


def test_a_changed_item_keeps_its_earlier_wording(pipeline: Pipeline, tmp_path: Path) -> None:
    ingest(pipeline, tmp_path, feed("Notice of a committee meeting", FIRST_TEXT))
    ingest(pipeline, tmp_path, feed("Notice of a committee meeting", FIRST_TEXT))  # unchanged
    ingest(pipeline, tmp_path, feed("Notice of a committee meeting", FIRST_TEXT,
                                    link="https://example.org/notice-1?v=2"))  # fmt: skip
    with session_scope(pipeline.engine) as session:
        assert session.exec(select(ItemVersion)).all() == [], "no change of words, no version"
    ingest(pipeline, tmp_path, feed("Notice of an amended committee meeting", SECOND_TEXT))
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item).where(Item.guid == "notice-1")).one()
        (kept,) = session.exec(select(ItemVersion)).all()
        assert (kept.item_id, kept.title, kept.text) == (
            item.id,
            "Notice of a committee meeting",
            FIRST_TEXT,
        )
        assert kept.seq < item.seq and kept.replaced_at == item.changed_at
        history = item_history(session, item.id)  # type: ignore[arg-type]
    current, first = history
    assert (current.title, current.until) == ("Notice of an amended committee meeting", None)
    assert Segment("inserted", "an amended ") in current.title_diff
    assert Segment("deleted", "13. ") in current.text_diff
    assert current.summary.startswith("Updated: title was “Notice of a committee meeting”")
    assert (first.title, first.title_diff, first.summary) == (
        "Notice of a committee meeting",
        [],
        "First version kept",
    )


def test_an_item_never_changed_has_no_history(pipeline: Pipeline, tmp_path: Path) -> None:
    ingest(pipeline, tmp_path, feed("Notice", FIRST_TEXT))
    with session_scope(pipeline.engine) as session:
        item = session.exec(select(Item)).one()
        assert item_history(session, item.id) == []  # type: ignore[arg-type]
        assert item_history(session, 10_000) == []


def test_versions_and_calendar_entries_survive_export_and_import(
    sqlite_pipeline: Pipeline, pipeline: Pipeline, tmp_path: Path
) -> None:
    ingest(sqlite_pipeline, tmp_path, feed("Notice", FIRST_TEXT))
    ingest(sqlite_pipeline, tmp_path, feed("Notice", SECOND_TEXT))
    assert all(o.status == "ok" for o in sqlite_pipeline.load_demo())  # the H.R. 8283 markup
    with session_scope(sqlite_pipeline.engine) as session:
        exported = [json.dumps(r, sort_keys=True) for r in export_records(session)]
    with session_scope(pipeline.engine) as session:
        import_records(session, exported)
    with session_scope(pipeline.engine) as session:
        again = [json.dumps(r, sort_keys=True) for r in export_records(session)]
        versions = session.exec(select(ItemVersion)).all()
        uids = set(session.execute(sa.select(table_of(CalendarEntry).c.uid)).scalars())
    assert again == exported
    assert [v.text for v in versions] == [FIRST_TEXT]
    assert "bill-119-hr-8283-demo-markup-2026-04-22@policy-tracker" in uids


def test_a_bills_text_versions_are_stored_with_their_days(pipeline: Pipeline) -> None:
    from tracker.models import Bill

    assert all(o.status == "ok" for o in pipeline.load_demo())
    with session_scope(pipeline.engine) as session:
        bill = session.exec(select(Bill).where(Bill.key == "119-hr-8283")).one()
    assert bill.text_versions == [{
        "name": "Introduced in House", "day": "2026-04-15",
        "url": "https://www.govinfo.gov/content/pkg/BILLS-119hr8283ih/xml/BILLS-119hr8283ih.xml",
    }]  # fmt: skip


def test_feeds_say_updated_with_what_changed(pipeline: Pipeline, tmp_path: Path) -> None:

    from tracker.web import create_app

    ingest(pipeline, tmp_path, feed("Notice of a committee meeting", FIRST_TEXT))
    ingest(pipeline, tmp_path, feed("Notice of an amended committee meeting", SECOND_TEXT))
    pipeline.settle()
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    client = app.test_client()
    try:
        check_feeds_say_updated(client)
    finally:
        app.extensions["tracker.engine"].dispose()  # no connection left to the test's schema


def check_feeds_say_updated(client: Any) -> None:
    for ext in ("rss", "atom"):
        parsed = feedparser.parse(client.get(f"/items.{ext}").data)
        (entry,) = parsed.entries
        assert entry.title == "Notice of an amended committee meeting"
        assert "Updated: title was “Notice of a committee meeting”" in entry.summary
    (item,) = client.get("/items.json").get_json()["items"]
    assert item["_policy_tracker"]["change"].startswith("Updated: title was")
    assert item["content_html"].startswith("<p><strong>Updated: title was")
