"""Event grouping quality through the store: the labelled sets placed by `assign_pending`.

    python bench/events_store.py [--data FILE ...] [--code DIR]

bench/events.py measures `tracker.events.group`, the pure grouping; the store
places items with its own window (store/events.py: blocking-key rows, the
members of candidate events it loads and scores). This writes each labelled
set into a fresh SQLite store (sources, items, their tags), runs
`assign_pending` as `settle` does, and scores the events the items end in
with bench/events.py's measures. `--code DIR` runs another checkout's tracker
on the same sets, for before and after in one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def place(items: list, code: Path, html: dict[int, str] | None = None) -> list[list[int]]:  # type: ignore[type-arg]
    """Store `items` (EventItems) in a fresh SQLite store and group them; events' item ids.
    `html` gives items' summary HTML as ingest stores it (sanitised), where a set has it."""
    import sqlalchemy as sa

    from tracker.models import Item, ItemTag, Source, table_of
    from tracker.store.engine import migrate, session_scope
    from tracker.store.events import assign_pending

    folder = tempfile.mkdtemp()
    engine = sa.create_engine(f"sqlite:///{folder}/events.db")
    migrate(engine)
    now = datetime.now(UTC)
    slugs = sorted({i.source for i in items})
    with engine.begin() as conn:
        conn.execute(sa.insert(table_of(Source)), [
            {"slug": s, "name": s, "kind": "rss", "url": "", "doc_type": "news",
             "selectors": {}, "failures": 0} for s in slugs])  # fmt: skip
        sources = table_of(Source)
        source_ids = dict(conn.execute(sa.select(sources.c.slug, sources.c.id)).all())
        conn.execute(sa.insert(table_of(Item)), [
            {"id": i.id, "source_id": source_ids[i.source], "guid": str(i.id), "url": i.url,
             "title": i.title, "text": i.text, "published_at": i.published, "fetched_at": now,
             "summary_html": (html or {}).get(i.id, ""),
             "doc_type": i.doc_type, "content_hash": str(i.id), "seq": n + 1,
             "changed_at": now, "agencies": [], "categories": [], "rins": []}
            for n, i in enumerate(items)])  # fmt: skip
        tags = [
            {"item_id": i.id, "slug": slug, "kind": kind, "origin": "rule",
             "status": "suggested", "evidence": [], "created_at": now}
            for i in items
            for kind, slugs_ in (("entity", i.entities), ("topic", i.topics))
            for slug in sorted(slugs_)
        ]  # fmt: skip
        if tags:
            conn.execute(sa.insert(table_of(ItemTag)), tags)
        conn.execute(sa.text("UPDATE counter SET value = :v WHERE name = 'item_seq'"),
                     {"v": len(items)})  # fmt: skip
    with session_scope(engine) as session:
        assign_pending(session)
    groups: dict[int, list[int]] = {}
    with engine.connect() as conn:
        table = table_of(Item)
        for item_id, event_id in conn.execute(sa.select(table.c.id, table.c.event_id)):
            groups.setdefault(event_id, []).append(item_id)
    engine.dispose()
    return list(groups.values())


def _summaries(rows: dict[int, dict]) -> dict[int, str]:  # type: ignore[type-arg]
    """Each row's `summary_html`, sanitised against its address as ingest stores it."""
    from tracker.normalize import canonical_url, sanitize_html

    return {
        item_id: sanitize_html(row["summary_html"], canonical_url(row.get("url")))
        for item_id, row in rows.items()
        if row.get("summary_html")
    }


def main() -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from events import SETS, _Tagging, labelled_groups, load, measures

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="*", default=list(SETS))
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout whose tracker to run")
    args = parser.parse_args()
    sys.path.insert(0, str(args.code.resolve()))
    from tracker import events

    print(f"code: {Path(events.__file__).resolve().parent.parent}\n")
    print("| set | items | happenings | events | P | R | F1 | split | FM/100 | CPU ms |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    tagging = _Tagging()
    for path in args.data:
        items, rows = load(path, events, tagging)
        started = time.process_time()
        groups = place(items, args.code, _summaries(rows))
        cpu = time.process_time() - started
        m = measures(groups, rows)
        print(f"| {path.stem} | {len(items)} | {len(labelled_groups(rows))} | {len(groups)} | "
              f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
              f"{m['split']} of {m['happenings']} | {m['false_merges_per_100']:.1f} | "
              f"{cpu * 1000:.0f} |", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
