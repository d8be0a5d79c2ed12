"""A large feed parsed in parts on every core gives exactly the whole-file parse."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from ingest import make_feed

from tracker.parse import ParseError, parse_document
from tracker.parse.split import count_entries, split_feed
from tracker.prepare import SPLIT_MIN, parse_large


@pytest.fixture(scope="module")
def big() -> bytes:
    content = make_feed(900)
    assert len(content) > SPLIT_MIN
    return content


def test_parts_are_whole_feeds_holding_every_entry(big: bytes) -> None:
    parts = split_feed(big, 4)
    assert parts is not None and len(parts) == 4
    assert sum(count_entries(p) for p in parts) == count_entries(big) == 900
    assert all(p.rstrip().endswith(b"</rss>") for p in parts)


def test_parallel_parse_equals_whole_parse(big: bytes) -> None:
    assert parse_large(big, None) == parse_document(big, None)


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
    assert parse_large(atom, None) == parse_document(atom, None)


def test_a_literal_closing_tag_inside_an_entry_falls_back_to_the_whole_file(big: bytes) -> None:
    tricky = big.replace(b"<description>", b"<description><![CDATA[ </item> ]]>")
    assert parse_large(tricky, None) == parse_document(tricky, None)


def test_a_truncated_large_file_is_still_rejected(big: bytes) -> None:
    with pytest.raises(ParseError, match="truncated"):
        parse_large(big[: len(big) - 500], None)
