"""Blocking keys for event grouping: neighbours found by index, not by window scan

Revision ID: 0011
Revises: 0010

Grouping used to load every item within ten days of each batch and score an
arriving item against the window: the denser the news, the slower each item.
Now each grouped item files a few keys (identifiers, who acted and how,
entities, title words) in `eventkey`, and grouping reads only the items that
share an arriving item's telling keys. Items already grouped get their keys
here, so new coverage still finds them.
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    op.create_table(
        "eventkey",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "item_id"),
    )
    op.create_index("ix_eventkey_item_id", "eventkey", ["item_id"])
    op.create_index("ix_event_key_lookup", "eventkey", ["sample", "key", "published_at", "item_id"])
    _file_existing(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_event_key_lookup", table_name="eventkey")
    op.drop_index("ix_eventkey_item_id", table_name="eventkey")
    op.drop_table("eventkey")


def _file_existing(bind: sa.Connection) -> None:
    """Keys for every item already in an event, computed as grouping computes them."""
    from datetime import UTC

    from tracker.event_keys import stored_keys
    from tracker.events import EventItem

    item = sa.table(
        "item", sa.column("id"), sa.column("title"), sa.column("text"), sa.column("url"),
        sa.column("doc_type"), sa.column("published_at", sa.DateTime()), sa.column("sample"),
        sa.column("event_id"),
    )  # fmt: skip
    tag = sa.table("itemtag", sa.column("item_id"), sa.column("slug"), sa.column("kind"),
                   sa.column("status"))  # fmt: skip
    key = sa.table("eventkey", sa.column("key"), sa.column("item_id"),
                   sa.column("published_at"), sa.column("sample"))  # fmt: skip
    last = 0
    while True:
        rows = bind.execute(
            sa.select(item).where(item.c.event_id.is_not(None), item.c.id > last)
            .order_by(item.c.id).limit(BATCH)
        ).all()  # fmt: skip
        if not rows:
            return
        last = rows[-1].id
        entities: dict[int, set[str]] = defaultdict(set)
        for item_id, slug in bind.execute(
            sa.select(tag.c.item_id, tag.c.slug).where(
                tag.c.item_id.in_([r.id for r in rows]), tag.c.kind == "entity",
                tag.c.status != "rejected",
            )
        ):  # fmt: skip
            entities[item_id].add(slug)
        values = []
        for r in rows:
            event_item = EventItem(
                id=r.id, title=r.title, text=r.text or "", entities=frozenset(entities[r.id]),
                topics=frozenset(), published=r.published_at.replace(tzinfo=UTC),
                doc_type=r.doc_type, source="", url=r.url or "",
            )  # fmt: skip
            keys = sorted({k[:120] for k in stored_keys(event_item)})
            values += [{"key": k, "item_id": r.id, "published_at": r.published_at,
                        "sample": r.sample} for k in keys]  # fmt: skip
        if values:
            bind.execute(sa.insert(key), values)
