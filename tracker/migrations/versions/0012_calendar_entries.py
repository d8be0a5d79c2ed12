"""Calendar entries: hearings, markups, comment deadlines and effective dates

Revision ID: 0012
Revises: 0011

`/calendar` and every listing's `.ics` read `calendar_entry`: one row per
dated happening an item states, with an iCalendar UID kept for the entry's
life and a SEQUENCE bumped when it moves or is cancelled. Ingest keeps it in
step (`tracker.store.calendar_sync`); here items already stored get their
entries from what was stored (schedule times, bill actions, Federal Register
prose), so `tracker init` upgrades and fills in one step.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from tracker.models import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int | None = None) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "calendar_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", _text(200), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", _text(20), nullable=False),
        sa.Column("summary", _text(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("all_day", sa.Boolean(), nullable=False),
        sa.Column("status", _text(10), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("modified_at", UTCDateTime(), nullable=False),
        sa.Column("sample", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["item.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uid"),
    )
    op.create_index("ix_calendar_entry_item_id", "calendar_entry", ["item_id"])
    op.create_index("ix_calendar_entry_starts", "calendar_entry", ["starts_at", "id"])
    from tracker.store.calendar_sync import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_calendar_entry_starts", table_name="calendar_entry")
    op.drop_index("ix_calendar_entry_item_id", table_name="calendar_entry")
    op.drop_table("calendar_entry")
