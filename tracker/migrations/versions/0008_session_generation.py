"""A session generation per user: logging out, a new password or a new role ends
every session cookie signed before.

A staff session lives in Flask's signed cookie, which the server cannot take
back: a copied cookie stayed good for its whole lifetime (8 hours) after the
user logged out. The cookie now carries the user's generation, and a cookie
whose generation is not the stored one is not a session any more.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
