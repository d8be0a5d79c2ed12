"""fetch workers: source leases and health, host politeness, worker heartbeats

Revision ID: 0010
Revises: 0009

`tracker worker` (and the worker `tracker serve` runs) claims a due source
with a lease in the database, so any number of workers on any number of hosts
share the work without fetching one source twice at once. A source gains its
politeness key (`host`), when it is next due (`next_attempt_at`, moved out by
back-off and Retry-After), its last success, and its lease. `fetch_host`
holds one row per host (its lease and the earliest next request), and
`worker_beat` one heartbeat per worker, shown on /sources.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tracker.models import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host", _text(300), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("last_success_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("lease_owner", _text(200), nullable=True))
        batch_op.add_column(sa.Column("lease_until", UTCDateTime(), nullable=True))
        batch_op.create_index("ix_source_host", ["host"], unique=False)
    # What was fetched fine before keeps its last success.
    op.execute(
        "UPDATE source SET last_success_at = last_fetched_at "
        "WHERE last_status IN ('ok', 'not-modified')"
    )
    op.create_table(
        "fetch_host",
        sa.Column("host", _text(300), nullable=False),
        sa.Column("lease_owner", _text(200), nullable=True),
        sa.Column("lease_until", UTCDateTime(), nullable=True),
        sa.Column("next_request_at", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("host"),
    )
    op.create_table(
        "worker_beat",
        sa.Column("name", _text(200), nullable=False),
        sa.Column("hostname", _text(200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("embedded", sa.Boolean(), nullable=False),
        sa.Column("state", _text(20), nullable=False),
        sa.Column("started_at", UTCDateTime(), nullable=False),
        sa.Column("beat_at", UTCDateTime(), nullable=False),
        sa.Column("in_flight", sa.Integer(), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("worker_beat")
    op.drop_table("fetch_host")
    with op.batch_alter_table("source", schema=None) as batch_op:
        batch_op.drop_index("ix_source_host")
        for name in ("lease_until", "lease_owner", "last_success_at", "next_attempt_at", "host"):
            batch_op.drop_column(name)
