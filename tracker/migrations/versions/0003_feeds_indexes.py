"""feeds indexes: a covering index for listing versions

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28 13:50:00

A feed's ETag comes from `listing_version`: max(seq), max(changed_at) and
count(*) over the listing's items. Without this index SQLite reads every item
row (titles, summaries, text) to answer it; with it, the scan stays inside the
index, which also holds every column a listing filters on.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["seq", "changed_at", "doc_type", "published_at", "source_id", "bill_id"]


def upgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_index("ix_item_listing_version", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_index("ix_item_listing_version")
