"""A large feed read in parts on every core stores exactly what the whole-file read stores."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import feedparser.api
import pytest
from conftest import DATA

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from ingest import make_feed

from tracker import prepare
from tracker.parse import parse_document
from tracker.parse.split import count_entries, split_feed
from tracker.pipeline import Pipeline
from tracker.prepare import (
    SPLIT_MIN,
    Context,
    PartsMismatch,
    feed_parts,
    prepare_items,
    prepare_parts,
)
from tracker.store import catalog
from tracker.store.engine import session_scope
from tracker.taxonomy import load_taxonomy

CONTEXT = Context(datetime(2026, 6, 10, tzinfo=UTC), None, "news")


@pytest.fixture(scope="module")
def big() -> bytes:
    content = make_feed(900, per_day=40)  # about one every 37 minutes, as a wire
    assert len(content) > SPLIT_MIN
    return content


def in_parts(content: bytes) -> list:
    parts = feed_parts(content, None)
    assert parts is not None, "a large feed should be read in parts"
    taxonomy = load_taxonomy()
    return [
        pair for part in prepare_parts(content, parts, taxonomy, CONTEXT) for pair in part.prepared
    ]


def whole(content: bytes) -> list:
    return prepare_items(parse_document(content).items, load_taxonomy(), CONTEXT)


def stored_once(pipeline: Pipeline, content: bytes, tmp_path: Path) -> Path:
    """Ingest `content` as a file; all 900 entries must be stored, once."""
    path = tmp_path / "feed.xml"
    path.write_bytes(content)
    outcome = pipeline.ingest_file(path, "wire")
    assert (outcome.status, outcome.new) == ("ok", 900)
    with session_scope(pipeline.engine) as session:
        assert catalog.item_count(session) == 900
    return path


def test_parts_are_whole_feeds_holding_every_entry(big: bytes) -> None:
    parts = split_feed(big, 4)
    assert parts is not None and len(parts) == 4
    assert sum(count_entries(p) for p in parts) == count_entries(big) == 900
    assert all(p.rstrip().endswith(b"</rss>") for p in parts)


def test_parts_prepare_exactly_what_the_whole_file_gives(big: bytes) -> None:
    assert in_parts(big) == whole(big)


def test_atom_is_split_too() -> None:
    entries = "".join(
        f"<entry><id>urn:x:{n}</id><title>Entry {n}</title><updated>2026-06-10T00:00:00Z</updated>"
        f"<summary>{'word ' * 300}</summary></entry>"
        for n in range(800)
    )
    atom = (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<title>t</title><id>urn:x</id><updated>2026-06-10T00:00:00Z</updated>{entries}</feed>"
    ).encode()
    assert len(atom) > SPLIT_MIN and split_feed(atom, 2) is not None
    assert in_parts(atom) == whole(atom)


def test_small_files_and_other_formats_are_read_whole(big: bytes) -> None:
    assert feed_parts(make_feed(20, per_day=40), None) is None
    assert feed_parts(big, "federal-register") is None


def test_a_literal_closing_tag_inside_an_entry_is_noticed(big: bytes) -> None:
    tricky = big.replace(b"</description>", b"<![CDATA[ </item> ]]></description>")
    with pytest.raises(PartsMismatch):
        in_parts(tricky)


def test_the_pipeline_falls_back_to_the_whole_file_and_stores_it_once(
    sqlite_pipeline: Pipeline, big: bytes, tmp_path: Path
) -> None:
    tricky = big.replace(b"</description>", b"<![CDATA[ </item> ]]></description>")
    path = stored_once(sqlite_pipeline, tricky, tmp_path)
    again = sqlite_pipeline.ingest_file(path, "wire")
    assert (again.new, again.unchanged) == (0, 900)


def test_the_pipeline_stores_a_large_feed_in_parts(
    sqlite_pipeline: Pipeline, big: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "big.xml"
    path.write_bytes(big)
    outcome = sqlite_pipeline.ingest_file(path)
    assert (outcome.status, outcome.new, outcome.warnings) == ("ok", 900, [])
    with session_scope(sqlite_pipeline.engine) as session:
        source = catalog.source_by_slug(session, "file-big")
        assert source is not None and (source.kind, source.doc_type) == ("rss", "news")


def test_workers_that_die_cost_nothing_but_time(
    sqlite_pipeline: Pipeline, big: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent, real = os.getpid(), prepare.prepare_items

    def dies_in_a_worker(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            os._exit(1)  # as a worker killed by the kernel would
        return real(*args, **kwargs)

    monkeypatch.setattr(prepare, "prepare_items", dies_in_a_worker)
    stored_once(sqlite_pipeline, big, tmp_path)


def test_a_truncated_large_file_is_still_rejected(
    sqlite_pipeline: Pipeline, big: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "cut.xml"
    path.write_bytes(big[: len(big) - 500])
    outcome = sqlite_pipeline.ingest_file(path, "wire")
    assert outcome.status == "error" and "truncated" in (outcome.error or "")
    with session_scope(sqlite_pipeline.engine) as session:
        assert catalog.item_count(session) == 0


FEEDS = [*sorted((DATA / "feeds").glob("*.xml")), DATA / "hostile.xml"]


@pytest.mark.parametrize("path", FEEDS, ids=lambda p: p.name)
def test_the_buffered_sax_driver_reads_feeds_as_the_stock_one(path: Path) -> None:
    content = path.read_bytes()
    parse_document(content)  # the tracker's feed parser is loaded, with its driver
    drivers = feedparser.api.PREFERRED_XML_PARSERS
    assert drivers[0] == "tracker.parse.sax_buffered"
    ours = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    saved = drivers[:]
    drivers[:] = saved[1:]
    try:
        stock = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    finally:
        drivers[:] = saved
    # Exceptions compare by identity: compare what they say instead.
    assert repr(ours.pop("bozo_exception", None)) == repr(stock.pop("bozo_exception", None))
    assert ours == stock and ours.entries
