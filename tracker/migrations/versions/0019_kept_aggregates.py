"""Kept aggregates saved for every process: a worker loads the parts another counted

Revision ID: 0019
Revises: 0018

A row per kept aggregate (`store/kept_store.py`): its key's hash, the sequence
number and deletion count it was counted at, and its parts as compressed JSON.
A process without the aggregate in memory loads it and counts only what
changed since, instead of counting everything.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kept_aggregate",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("deletions", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_kept_aggregate_used_at", "kept_aggregate", ["used_at"])


def downgrade() -> None:
    op.drop_index("ix_kept_aggregate_used_at", table_name="kept_aggregate")
    op.drop_table("kept_aggregate")
