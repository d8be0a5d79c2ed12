"""The bundled demo snapshot and live data never mix, on SQLite and PostgreSQL.

A live copy of every demo identifier (each demo address, the bill's number, a
Federal Register document number, the letter's story in the same week) is
stored and shown as its own item, linked only to a live bill, grouped only
with live items; `tracker demo remove` takes the snapshot out and leaves the
live data as it was.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

import feedparser
import pytest
import sqlalchemy as sa
from alembic import command
from conftest import DATA
from sqlmodel import select

from tracker import search
from tracker.models import Bill, Event, Item, ItemSource, ItemTag, Source
from tracker.pipeline import Pipeline
from tracker.store import EditRefused, bills, catalog, event_edits
from tracker.store.engine import alembic_config, migrate, session_scope
from tracker.types import SourceConfig
from tracker.web import create_app

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
LETTER_STORY = (
    "Anthropic accuses Alibaba's Qwen lab of distilling Claude in a letter to Sens. Tim Scott "
    "and Elizabeth Warren",
    "Anthropic told the Senate Banking Committee that operators tied to Alibaba's Qwen lab ran "
    "distillation attacks on Claude through fraudulent accounts.",
)


def _demo_entries() -> list[tuple[str, str, str, str]]:
    """(link, title, text, RFC 822 date) of every demo feed item."""
    found = []
    for path in sorted(DEMO.glob("*.xml")) + sorted(DEMO.glob("*.atom")):
        if path.name.startswith("BILLSTATUS"):
            continue
        for e in feedparser.parse(path.read_bytes()).entries:
            stamp = e.get("published_parsed") or e.get("updated_parsed")
            when = format_datetime(datetime(*stamp[:6], tzinfo=UTC), usegmt=True)
            found.append((e.link, e.title, e.summary, when))
    return found


def _live_copies(home: Path) -> Path:
    """An RSS feed of live items with every demo address, title and text, and a live
    story on the letter in its week."""
    items = [
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="false">live-copy-{n}</guid><pubDate>{when}</pubDate>'
        f"<description>{escape(text)}</description></item>"
        for n, (link, title, text, when) in enumerate(_demo_entries())
    ]
    items.append(
        f"<item><title>{escape(LETTER_STORY[0])}</title>"
        "<link>https://news.example/anthropic-alibaba-letter</link>"
        '<guid isPermaLink="false">live-letter-story</guid>'
        "<pubDate>Thu, 11 Jun 2026 09:00:00 GMT</pubDate>"
        f"<description>{escape(LETTER_STORY[1])}</description></item>"
    )
    path = home / "live-copies.xml"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Live copies</title>'
        f"<link>https://news.example/</link><description>x</description>{''.join(items)}"
        "</channel></rss>",
        encoding="utf-8",
    )
    return path


def _kinds_by_event(session: object) -> dict[int, set[bool]]:
    kinds: dict[int, set[bool]] = defaultdict(set)
    for event_id, sample in session.exec(select(Item.event_id, Item.sample)):  # type: ignore[attr-defined]
        kinds[event_id].add(sample)
    return kinds


@pytest.mark.parametrize("live_first", [False, True], ids=["demo-first", "live-first"])
def test_a_live_copy_of_every_demo_identifier_is_its_own_item(
    pipeline: Pipeline, tmp_path: Path, live_first: bool
) -> None:
    copies = _live_copies(tmp_path)
    if not live_first:
        pipeline.load_demo()
    outcome = pipeline.ingest_file(copies, "live-copies", "rss")
    pipeline.settle()
    if live_first:
        pipeline.load_demo()
    entries = _demo_entries()
    assert outcome.status == "ok" and outcome.new == len(entries) + 1 and outcome.unchanged == 0
    with session_scope(pipeline.engine) as session:
        items = session.exec(select(Item)).all()
        for link, *_ in entries:
            kinds = sorted(i.sample for i in items if i.url == link)
            assert kinds == [False, True], link  # one live item, one demo item
        live_ids = {i.id for i in items if not i.sample}
        demo_ids = {i.id for i in items if i.sample}
        links = session.exec(select(ItemSource.item_id, Source.is_sample).join(Source)).all()
        assert all((item_id in demo_ids) == sample for item_id, sample in links)
        assert all(len(kinds) == 1 for kinds in _kinds_by_event(session).values())
        # Live items naming H.R. 8283 find no live bill: they stay unlinked.
        assert all(i.bill_id is None for i in items if i.id in live_ids)
        demo_bill = bills.bill_by_number(session, 119, "hr", 8283)
        assert demo_bill is not None and demo_bill.sample
        story = next(i for i in items if i.title == LETTER_STORY[0])
        events = {i.event_id: i for i in items}
        assert session.get(Event, story.event_id).lead_item_id in live_ids  # type: ignore[union-attr]
        assert len(events) > 1


def test_a_live_bill_of_the_demo_number_is_its_own_bill(pipeline: Pipeline, tmp_path: Path) -> None:
    pipeline.load_demo()
    pipeline.ingest_file(_live_copies(tmp_path), "live-copies", "rss")
    live_bill = tmp_path / "BILLSTATUS-119hr8283.xml"
    live_bill.write_bytes((DEMO / "BILLSTATUS-119hr8283.xml").read_bytes())
    assert pipeline.ingest_file(live_bill, "live-bills", "billstatus").status == "ok"
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        rows = session.exec(select(Bill).where(Bill.key == "119-hr-8283")).all()
        assert sorted(b.sample for b in rows) == [False, True]
        live, demo = sorted(rows, key=lambda b: b.sample)
        linked = session.exec(select(Item.bill_id, Item.sample).where(Item.bill_id != None)).all()  # noqa: E711
        assert {(bill_id == live.id) for bill_id, sample in linked if not sample} == {True}
        assert {(bill_id == demo.id) for bill_id, sample in linked if sample} == {True}
        assert bills.bill_by_number(session, 119, "hr", 8283).id == live.id  # type: ignore[union-attr]
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    html = app.test_client().get("/bills/119/hr8283").get_data(as_text=True)
    assert "The bundled demo snapshot also holds H.R. 8283" in html
    mentions = html.split('id="mentions-title"', 1)[1].split("</main>", 1)[0]
    assert "Demo snapshot</span>" not in mentions  # only live items on the live bill's page
    assert "Bloomberg reports H.R. 8283" in mentions  # the live copy of the report
    app.extensions["tracker.engine"].dispose()


def test_a_live_document_number_is_never_absorbed_into_the_demo(pipeline: Pipeline) -> None:
    with session_scope(pipeline.engine) as session:
        config = SourceConfig("demo-register", "Demo snapshot: register", "federal-register", "",
                              "rule")  # fmt: skip
        catalog.sync_sources(session, [config], sample=True, local=True)
    page = DATA / "federal-register" / "documents-sample.json"
    total = len(json.loads(page.read_text())["results"])
    assert pipeline.ingest_file(page, "demo-register", "federal-register").new == total
    live = pipeline.ingest_file(page, "fr-live", "federal-register")
    assert live.new == total and live.unchanged == 0
    with session_scope(pipeline.engine) as session:
        numbers = defaultdict(list)
        for number, sample in session.exec(select(Item.document_number, Item.sample)):
            numbers[number].append(sample)
    assert len(numbers) == total and all(sorted(v) == [False, True] for v in numbers.values())


def test_demo_and_live_events_cannot_be_merged(pipeline: Pipeline, tmp_path: Path) -> None:
    pipeline.load_demo()
    pipeline.ingest_file(_live_copies(tmp_path), "live-copies", "rss")
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        story = session.exec(select(Item).where(Item.title == LETTER_STORY[0])).one()
        demo = session.exec(select(Item).where(Item.sample == True)).first()  # noqa: E712
        with pytest.raises(EditRefused, match="demo snapshot"):
            event_edits.merge_events(session, story.event_id, demo.event_id, "editor")  # type: ignore[arg-type, union-attr]


def test_removing_the_demo_leaves_live_data_as_it_was(pipeline: Pipeline, tmp_path: Path) -> None:
    pipeline.load_demo()
    pipeline.ingest_file(_live_copies(tmp_path), "live-copies", "rss")
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        live_before = {
            i.id: (i.title, i.event_id) for i in session.exec(select(Item)) if not i.sample
        }
        demo_ids = {i.id for i in session.exec(select(Item).where(Item.sample == True))}  # noqa: E712
    assert set(search.indexed_items(pipeline.settings)) >= demo_ids
    removed = pipeline.remove_demo()
    assert (removed.items, removed.bills, removed.sources) == (len(demo_ids), 1, 6)
    assert removed.events > 0
    with session_scope(pipeline.engine) as session:
        left = {i.id: (i.title, i.event_id) for i in session.exec(select(Item))}
        assert left == live_before
        assert not session.exec(select(Source).where(Source.is_sample == True)).all()  # noqa: E712
        assert not session.exec(select(Bill)).all()
        assert not session.exec(select(ItemTag).where(ItemTag.item_id.in_(demo_ids))).all()  # type: ignore[attr-defined]
        events = {e.id for e in session.exec(select(Event))}
        assert events == {event_id for _, event_id in left.values()}
    indexed = set(search.indexed_items(pipeline.settings))
    assert indexed == set(live_before)
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    home = app.test_client().get("/").get_data(as_text=True).split("<footer", 1)[0]
    assert "bundled demo snapshot" not in home and "Demo snapshot</span>" not in home
    app.extensions["tracker.engine"].dispose()
    assert sum(o.new for o in pipeline.load_demo()) == len(demo_ids)  # and it comes back


def test_the_migration_takes_apart_what_older_versions_mixed(pipeline: Pipeline) -> None:
    with pipeline.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006")
    pipeline_rows = _legacy_rows(pipeline)
    migrate(pipeline.engine)  # what `tracker init` runs
    with session_scope(pipeline.engine) as session:
        demo_item = session.get(Item, pipeline_rows["demo_item"])
        live_item = session.get(Item, pipeline_rows["live_item"])
        bill = session.get(Bill, pipeline_rows["bill"])
        assert demo_item.sample and not live_item.sample  # type: ignore[union-attr]
        assert bill.sample and bill.stage == "referred"  # type: ignore[union-attr]
        assert bill.stage_dates == {"introduced": "2026-04-15", "referred": "2026-04-15"}  # type: ignore[union-attr]
        assert live_item.bill_id is None and live_item.event_id is None  # type: ignore[union-attr]
        absorbed = session.exec(
            select(ItemSource).where(ItemSource.source_id == pipeline_rows["live_source"])
        ).all()
        assert [link.item_id for link in absorbed] == [pipeline_rows["live_item"]]
        live = session.get(Source, pipeline_rows["live_source"])
        assert live.etag is None  # type: ignore[union-attr]  # the next fetch brings the copy back
    assert pipeline.settle() == 1  # the live item is grouped again, on its own


def _legacy_rows(pipeline: Pipeline) -> dict[str, int]:
    """A database as version 0006 left it with the demo loaded: a live source's copy of
    a demo item absorbed into it, a live item linked to the demo bill and grouped into
    the demo item's event."""
    statements = [
        "INSERT INTO source (id, slug, name, kind, url, doc_type, enabled, interval_minutes, "
        "selectors, is_sample, is_local, failures) VALUES "
        "(901, 'demo-x', 'Demo', 'rss', '', 'news', FALSE, 60, '{}', TRUE, TRUE, 0), "
        "(902, 'live-x', 'Live', 'rss', 'https://news.example/feed', 'news', TRUE, 60, '{}', "
        "FALSE, FALSE, 0)",
        "UPDATE source SET etag = 'W/\"1\"' WHERE id = 902",
        "INSERT INTO bill (id, key, congress, bill_type, number, title, subjects, stage, "
        "latest_summary) VALUES (801, '119-hr-8283', 119, 'hr', 8283, 'Demo bill', '[]', "
        "'committee', '')",
        "INSERT INTO billaction (bill_id, position, action_date, text, code) VALUES "
        "(801, 0, '2026-04-15', 'Introduced in House', '1000'), "
        "(801, 1, '2026-04-15', 'Referred to the House Committee on Foreign Affairs.', 'H11100')",
        "INSERT INTO event (id, headline, event_date, lead_item_id, created_at) VALUES "
        "(701, 'Demo story', '2026-06-10 12:00:00', 1001, '2026-06-10 12:00:00')",
        "INSERT INTO item (id, source_id, guid, url, title, summary_html, text, published_at, "
        "fetched_at, undated, doc_type, agencies, categories, rins, content_hash, event_id, "
        "bill_id, seq, changed_at) VALUES "
        "(1001, 901, 'bill:119-hr-8283', 'https://x.example/a', 'H.R. 8283', '', '', "
        "'2026-06-10 12:00:00', '2026-06-10 12:00:00', FALSE, 'bill', '[]', '[]', '[]', 'h1', "
        "701, 801, 1, '2026-06-10 12:00:00'), "
        "(1002, 902, 'live-1', 'https://x.example/b', 'Live story on H.R. 8283', '', '', "
        "'2026-06-11 12:00:00', '2026-06-11 12:00:00', FALSE, 'news', '[]', '[]', '[]', 'h2', "
        "701, 801, 2, '2026-06-11 12:00:00')",
        "INSERT INTO itemsource (item_id, source_id, guid, url, first_seen) VALUES "
        "(1001, 901, 'bill:119-hr-8283', NULL, '2026-06-10 12:00:00'), "
        "(1001, 902, 'live-absorbed', 'https://x.example/a', '2026-06-10 12:00:00'), "
        "(1002, 902, 'live-1', NULL, '2026-06-11 12:00:00')",
        # Every sequence number came from the counter, so it stands at the highest.
        "UPDATE counter SET value = 2 WHERE name = 'item_seq'",
    ]
    with pipeline.engine.begin() as conn:
        for statement in statements:
            conn.execute(sa.text(statement))
    return {"demo_item": 1001, "live_item": 1002, "bill": 801, "live_source": 902}


def test_serve_hints_at_an_older_demo_snapshot(pipeline: Pipeline) -> None:
    pipeline.load_demo()
    assert not pipeline.demo_is_outdated()
    with session_scope(pipeline.engine) as session:  # a source of the corpus before this one
        old = SourceConfig("demo-capitol-ledger", "Demo: Capitol Ledger", "rss", "", "news")
        catalog.sync_sources(session, [old], sample=True, local=True)
    assert pipeline.demo_is_outdated()
    pipeline.remove_demo()
    assert not pipeline.demo_is_outdated()


def test_a_demo_bill_links_only_to_the_text_its_file_names(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    """The congress.gov page a live bill links to is built from its number; a demo
    snapshot may only point at an address its own file holds, or nowhere."""
    pipeline.load_demo()
    bare = tmp_path / "BILLSTATUS-119hr1.xml"
    bare.write_text(
        "<billStatus><bill><congress>119</congress><type>HR</type><number>1</number>"
        "<actions><item><actionDate>2025-01-03</actionDate><text>Introduced in House</text>"
        "</item></actions></bill></billStatus>"
    )
    assert pipeline.ingest_file(bare, "demo-congress", "billstatus").status == "ok"
    pipeline.ingest_file(bare, "live-bills", "billstatus")
    with session_scope(pipeline.engine) as session:
        urls = {
            (i.guid, i.sample): i.url
            for i in session.exec(select(Item).where(Item.doc_type == "bill"))
        }
    assert urls[("bill:119-hr-8283", True)] == (
        "https://www.govinfo.gov/content/pkg/BILLS-119hr8283ih/xml/BILLS-119hr8283ih.xml"
    )
    assert urls[("bill:119-hr-1", True)] is None
    assert (
        urls[("bill:119-hr-1", False)]
        == "https://www.congress.gov/bill/119th-congress/house-bill/1"
    )
