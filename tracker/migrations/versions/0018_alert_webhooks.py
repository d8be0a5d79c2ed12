"""Alert webhooks: a subscription may also post its digests as signed JSON to a URL

Revision ID: 0018
Revises: 0017

The webhook's posts go through the same outbox as the mails (kind "webhook"),
decided in the same transaction, so each item reaches a webhook at most once
per version too. The secret is made when the subscription is confirmed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alert_subscription") as batch:
        batch.add_column(
            sa.Column("webhook_url", sa.String(length=2000), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("webhook_style", sa.String(length=10), nullable=False, server_default="json")
        )
        batch.add_column(
            sa.Column("webhook_secret", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("webhook_only", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("alert_subscription") as batch:
        batch.drop_column("webhook_only")
        batch.drop_column("webhook_secret")
        batch.drop_column("webhook_style")
        batch.drop_column("webhook_url")
