"""An optional email address per staff account: /account/alerts lists and manages the
alert subscriptions of that address (issue 17 part 1, "staff accounts see and manage
their own subscriptions"). Set by `tracker set-email NAME ADDRESS`.

Revision ID: 0017
Revises: 0015 (no 0016: the number was held for a branch that landed as 0018)
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(length=254), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("email")
