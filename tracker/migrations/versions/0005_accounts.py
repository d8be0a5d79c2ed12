"""accounts: staff users and the audit log of their changes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 15:00:00

Readers need no account; `user` holds the editors and admins who decide tags,
regroup events and manage sources from the site, and `auditlog` keeps every
change they make with the record before and after.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

String = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", String(length=80), nullable=False),
        sa.Column("password_hash", String(length=300), nullable=False),
        sa.Column("role", String(length=10), nullable=False),
        sa.Column("created_at", tracker.models.UTCDateTime(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", tracker.models.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_username"), ["username"], unique=True)

    op.create_table(
        "auditlog",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", tracker.models.UTCDateTime(), nullable=False),
        sa.Column("actor", String(length=80), nullable=False),
        sa.Column("action", String(length=40), nullable=False),
        sa.Column("target_type", String(length=20), nullable=False),
        sa.Column("target_id", String(length=100), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_auditlog_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_auditlog_actor"), ["actor"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("auditlog", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_auditlog_actor"))
        batch_op.drop_index(batch_op.f("ix_auditlog_at"))
    op.drop_table("auditlog")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_username"))
    op.drop_table("user")
