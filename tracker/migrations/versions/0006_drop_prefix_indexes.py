"""Drop two indexes that longer ones already cover.

ix_itemtag_slug is the prefix of ix_itemtag_slug_status_item and ix_item_event_id
the prefix of ix_item_event_published (both from 0004): every query they served
the longer ones serve too, and each index costs every insert of an ingest.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("itemtag", schema=None) as batch_op:
        batch_op.drop_index("ix_itemtag_slug")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index("ix_item_event_id")


def downgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_index("ix_item_event_id", ["event_id"], unique=False)
    with op.batch_alter_table("itemtag", schema=None) as batch_op:
        batch_op.create_index("ix_itemtag_slug", ["slug"], unique=False)
