"""The store on SQLite and PostgreSQL: stored once, updated in place, tags kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import select

from tracker.models import Bill, BillAction, Item, ItemSource, ItemTag, Source
from tracker.normalize import normalize_item
from tracker.store import catalog
from tracker.store.engine import migrate, session_scope
from tracker.store.ingest import store_bill, store_items
from tracker.store.tags import replace_rule_tags
from tracker.types import (
    BillAction as BillActionRecord,
)
from tracker.types import (
    BillRecord,
    Evidence,
    ItemRecord,
    ParsedItem,
    SourceConfig,
    Sponsor,
    Tag,
    TagResult,
)

WHEN = datetime(2026, 6, 11, 8, 0, tzinfo=UTC)


@pytest.fixture
def db(engine: Engine) -> Engine:
    migrate(engine)
    with session_scope(engine) as session:
        catalog.sync_sources(
            session,
            [
                SourceConfig("wire", "Wire", "rss", "https://wire.example.org/feed", "news"),
                SourceConfig(
                    "fr", "Federal Register", "federal-register", "https://fr.example/", "rule"
                ),
            ],
        )
    return engine


def record(guid: str, title: str = "Title", **kw: object) -> ItemRecord:
    item = ParsedItem(guid=guid, title=title, **kw)  # type: ignore[arg-type]
    return normalize_item(item, WHEN, None)


def tags(*slugs: str, doc_type: str = "news") -> TagResult:
    return TagResult(
        tags=tuple(
            Tag(slug, "entity", "rule", (Evidence("title", 0, len(slug), slug),)) for slug in slugs
        ),
        doc_type=doc_type,
    )


def store(engine: Engine, slug: str, batch: list[tuple[ItemRecord, TagResult | None]]):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        source = catalog.source_by_slug(session, slug)
        assert source is not None
        return store_items(session, source, batch, WHEN)


def count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return session.exec(select(sa.func.count()).select_from(model)).one()


def test_migrate_twice_is_safe(db: Engine) -> None:
    migrate(db)
    assert count(db, Source) == 2


def test_same_feed_twice_stores_nothing_new(db: Engine) -> None:
    batch = [(record(f"g{i}", f"Item {i}"), tags("alibaba")) for i in range(3)]
    first = store(db, "wire", batch)
    again = store(db, "wire", batch)
    assert (first.new, again.new, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert count(db, Item) == 3 and count(db, ItemTag) == 3


def test_changed_item_is_updated_in_place_with_a_new_sequence(db: Engine) -> None:
    store(db, "wire", [(record("g1", "Old title"), None)])
    with session_scope(db) as session:
        before = session.exec(select(Item)).one()
    report = store(db, "wire", [(record("g1", "New title"), tags("qwen", doc_type="letter"))])
    with session_scope(db) as session:
        after = session.exec(select(Item)).one()
    assert report.updated == 1 and count(db, Item) == 1
    assert after.id == before.id and after.title == "New title" and after.doc_type == "letter"
    assert after.seq > before.seq
    assert after.published_at == before.published_at


def test_repeated_entry_within_one_feed_is_stored_once(db: Engine) -> None:
    report = store(db, "wire", [(record("g1"), None), (record("g1"), None)])
    assert report.new == 1 and count(db, Item) == 1


def test_same_document_from_two_sources_is_one_item(db: Engine) -> None:
    url = "https://www.federalregister.gov/documents/2026/05/01/2026-1234/entity-list"
    store(db, "fr", [(record("fr:2026-1234", url=url, document_number="2026-1234"), None)])
    report = store(db, "wire", [(record("wire-77", url=url + "?utm_source=x"), None)])
    assert report.new == 0 and report.linked == 1
    assert count(db, Item) == 1 and count(db, ItemSource) == 2


def test_same_federal_register_number_merges_even_with_other_urls(db: Engine) -> None:
    store(db, "fr", [(record("fr:2026-9", document_number="2026-9", url="https://a.org/x"), None)])
    store(db, "wire", [(record("w-9", document_number="2026-9", url="https://b.org/y"), None)])
    assert count(db, Item) == 1 and count(db, ItemSource) == 2


def test_one_index_link_in_one_source_keeps_entries_apart(db: Engine) -> None:
    index = "https://wire.example.org/news"
    report = store(db, "wire", [(record("a", url=index), None), (record("b", url=index), None)])
    assert report.new == 2


def test_retag_replaces_rule_tags_and_keeps_decisions(db: Engine) -> None:
    store(db, "wire", [(record("g1"), tags("alibaba", "qwen", "nvidia"))])
    with session_scope(db) as session:
        rows = {t.slug: t for t in session.exec(select(ItemTag))}
        rows["qwen"].status = "confirmed"
        rows["nvidia"].status = "rejected"
        item_id = rows["alibaba"].item_id
        session.add(ItemTag(item_id=item_id, slug="iaps", kind="entity", origin="manual",
                            status="confirmed", created_at=WHEN))  # fmt: skip
    with session_scope(db) as session:
        replace_rule_tags(session, {item_id: tags("openai").tags})
    with session_scope(db) as session:
        final = {t.slug: (t.origin, t.status) for t in session.exec(select(ItemTag))}
    assert final == {
        "openai": ("rule", "suggested"),
        "qwen": ("rule", "confirmed"),
        "nvidia": ("rule", "rejected"),
        "iaps": ("manual", "confirmed"),
    }


def test_evidence_round_trips(db: Engine) -> None:
    store(db, "wire", [(record("g1"), tags("alibaba"))])
    with session_scope(db) as session:
        tag = session.exec(select(ItemTag)).one()
    assert tag.evidence == [{"field": "title", "start": 0, "end": 7, "text": "alibaba"}]


def test_times_round_trip_as_aware_utc(db: Engine) -> None:
    store(db, "wire", [(record("g1", published=datetime(2026, 6, 10, 14, tzinfo=UTC)), None)])
    with session_scope(db) as session:
        item = session.exec(select(Item)).one()
    assert item.published_at == datetime(2026, 6, 10, 14, tzinfo=UTC)


def test_bill_and_its_actions_are_replaced_on_update(db: Engine) -> None:
    bill = BillRecord(
        congress=119, bill_type="s", number=1705, title="Protecting AI Models Act",
        introduced=date(2026, 6, 20), sponsor=Sponsor("Sen. Example", "X000001", "D", "MA"),
        policy_area="Commerce", subjects=("Artificial intelligence",),
        actions=(BillActionRecord(date(2026, 6, 20), "Introduced in Senate", "10000"),),
        stage="introduced",
    )  # fmt: skip
    later = replace(
        bill,
        stage="committee",
        actions=(*bill.actions, BillActionRecord(date(2026, 6, 21), "Referred to committee")),
    )
    with session_scope(db) as session:
        first_id = store_bill(session, bill)
    with session_scope(db) as session:
        second_id = store_bill(session, later)
    assert first_id == second_id and count(db, Bill) == 1 and count(db, BillAction) == 2
    with session_scope(db) as session:
        row = session.exec(select(Bill)).one()
    assert row.stage == "committee" and row.latest_action_text == "Referred to committee"


def test_item_links_to_its_bill(db: Engine) -> None:
    bill = BillRecord(119, "s", 1705, "T", None, None, None, (), (), "introduced")
    with session_scope(db) as session:
        bill_id = store_bill(session, bill)
    store(db, "wire", [(record("bill:119-s-1705", bill_key="119-s-1705"), None)])
    with session_scope(db) as session:
        assert session.exec(select(Item)).one().bill_id == bill_id


def test_a_failed_batch_leaves_nothing_behind(db: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(db) as session:
        source = catalog.source_by_slug(session, "wire")
        store_items(session, source, [(record("g1"), tags("x"))], WHEN)  # type: ignore[arg-type]
        raise RuntimeError("crash after writing")
    assert count(db, Item) == 0 and count(db, ItemTag) == 0


def test_sequence_numbers_are_unique_and_increasing(db: Engine) -> None:
    store(db, "wire", [(record(f"a{i}"), None) for i in range(5)])
    store(db, "wire", [(record(f"b{i}"), None) for i in range(5)])
    with session_scope(db) as session:
        seqs = [i.seq for i in session.exec(select(Item).order_by(Item.id))]
    assert seqs == sorted(seqs) and len(set(seqs)) == 10
