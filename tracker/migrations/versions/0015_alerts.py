"""Email alerts: subscriptions to a view, an outbox, and what each was sent

Revision ID: 0015
Revises: 0014

A subscription follows one listing or search with its filters. The decision
of what goes into a digest writes the outbox row and the `alert_sent` rows in
one transaction; the primary key of `alert_sent` keeps each version of an
item to one mail per subscription, whatever crashes or how many workers.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("query", sa.String(length=800), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("frequency", sa.String(length=10), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("site", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(), nullable=True),
        sa.Column("unsubscribed_at", sa.DateTime(), nullable=True),
        sa.Column("last_sent_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_digest_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email", "path", "query", name="uq_alert_subscription"),
    )
    op.create_index("ix_alert_subscription_email", "alert_subscription", ["email"])
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("failed_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["alert_subscription.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alert_outbox_subscription_id", "alert_outbox", ["subscription_id"])
    op.create_index(
        "ix_alert_outbox_due", "alert_outbox", ["sent_at", "failed_at", "next_attempt_at"]
    )
    op.create_table(
        "alert_sent",
        sa.Column("subscription_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("item_seq", sa.BigInteger(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["subscription_id"], ["alert_subscription.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["outbox_id"], ["alert_outbox.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("subscription_id", "item_id", "content_hash"),
    )
    op.create_index("ix_alert_sent_item_id", "alert_sent", ["item_id"])


def downgrade() -> None:
    op.drop_index("ix_alert_sent_item_id", table_name="alert_sent")
    op.drop_table("alert_sent")
    op.drop_index("ix_alert_outbox_due", table_name="alert_outbox")
    op.drop_index("ix_alert_outbox_subscription_id", table_name="alert_outbox")
    op.drop_table("alert_outbox")
    op.drop_index("ix_alert_subscription_email", table_name="alert_subscription")
    op.drop_table("alert_subscription")
