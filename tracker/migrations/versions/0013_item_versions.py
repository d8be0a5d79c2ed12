"""Item versions: the title and text an item had before each change

Revision ID: 0013
Revises: 0012

Ingest keeps an item's earlier title and text in `item_version` when a
re-fetch changes either, in the transaction that changes the item, so the
item page can show what changed (`tracker.wording_diff`). Items changed
before this migration have no earlier versions: they were not kept.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tracker.models import UTCDateTime

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "item_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("title", _text(), nullable=False),
        sa.Column("summary_html", _text(), nullable=False),
        sa.Column("text", _text(), nullable=False),
        sa.Column("url", _text(2000), nullable=True),
        sa.Column("content_hash", _text(64), nullable=False),
        sa.Column("valid_from", UTCDateTime(), nullable=False),
        sa.Column("replaced_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_item_version_item_id", "item_version", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_item_version_item_id", table_name="item_version")
    op.drop_table("item_version")
