"""Bill text versions: each printed version of a bill's text with its day

Revision ID: 0014
Revises: 0013

BILLSTATUS lists every version of a bill's text (introduced, reported,
engrossed, enrolled) with its date and formats; the bill row kept only the
latest's address (`text_url`). Now it keeps them all, oldest first, as
`text_versions`. Bills stored before get theirs when their file is next
fetched (a BILLSTATUS file changes with every new version).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.add_column(sa.Column("text_versions", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.drop_column("text_versions")
