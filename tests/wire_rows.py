"""Rows for store tests that need many items of one source, written straight into the
tables (no parsing, no tagging): a "wire" source and its items an hour apart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tracker.models import Item, Source, table_of


def insert_wire_items(
    conn: Connection, texts: Sequence[tuple[str, str]], start: datetime
) -> list[int]:
    """A "wire" source and one item per (title, text), published an hour apart from
    `start`; the items' ids in order."""
    sources = table_of(Source)
    conn.execute(sa.insert(sources), [{"slug": "wire", "name": "Wire", "kind": "rss",
                 "url": "", "doc_type": "news", "selectors": {}, "failures": 0}])  # fmt: skip
    source_id = conn.execute(sa.select(sources.c.id).where(sources.c.slug == "wire")).scalar_one()
    conn.execute(sa.insert(table_of(Item)), [
        {"source_id": source_id, "guid": f"g{n}", "url": f"https://wire.example/{n}",
         "title": title, "text": text, "published_at": start + timedelta(hours=n),
         "fetched_at": start, "doc_type": "news", "content_hash": f"h{n}", "seq": n + 1,
         "changed_at": start, "agencies": [], "categories": [], "rins": []}
        for n, (title, text) in enumerate(texts)])  # fmt: skip
    items = table_of(Item)
    return list(conn.execute(sa.select(items.c.id).order_by(items.c.id)).scalars())
