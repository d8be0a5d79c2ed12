"""timeline indexes: a tag's items from the index, an event's items by date

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 14:05:00

Timelines and charts read a tag's items as `item.id IN (items with this tag)`;
with (slug, status, item_id) that list comes from the index alone, without
reading one tag row. An event's items are read by event, oldest first, with
(event_id, published_at).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("itemtag", schema=None) as batch_op:
        batch_op.create_index("ix_itemtag_slug_status_item", ["slug", "status", "item_id"])
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_index("ix_item_event_published", ["event_id", "published_at"])


def downgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index("ix_item_event_published")
    with op.batch_alter_table("itemtag", schema=None) as batch_op:
        batch_op.drop_index("ix_itemtag_slug_status_item")
