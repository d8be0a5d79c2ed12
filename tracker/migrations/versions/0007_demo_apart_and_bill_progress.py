"""demo apart from live data; bills with stage dates, cosponsors, related bills

Revision ID: 0007
Revises: 0006

Items and bills carry `sample` (they belong to the bundled demo snapshot), and
document numbers and bill keys are unique per kind: a live document with the
number of a demo one is its own row. What earlier versions mixed is taken
apart: live items lose links to demo bills, live sources lose their links to
demo items (and their validators, so the next fetch brings those entries back
as items of their own), and live items leave demo events to be grouped again.
Bills gain the day each stage was reached, their cosponsors, their related
bills and the address of their text; `tracker fetch` or `ingest` fills them.
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BILL = sa.table("bill", sa.column("id"), sa.column("stage"), sa.column("stage_dates", sa.JSON))
# Names SQLite's unnamed constraints get while batch mode copies a table.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sample", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))  # fmt: skip
    op.execute(
        "UPDATE item SET sample = (SELECT source.is_sample FROM source "
        "WHERE source.id = item.source_id)"
    )
    _drop_unique("item", "document_number")
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            "uq_item_document_number_sample", ["document_number", "sample"]
        )

    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sample", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))  # fmt: skip
        batch_op.add_column(sa.Column("stage_dates", sa.JSON(), nullable=False,
                                      server_default=sa.text("'{}'")))  # fmt: skip
        batch_op.add_column(sa.Column("cosponsors", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))  # fmt: skip
        batch_op.add_column(sa.Column("related", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))  # fmt: skip
        batch_op.add_column(
            sa.Column("text_url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True)
        )
        batch_op.drop_index("ix_bill_key")
        batch_op.create_index("ix_bill_key", ["key"], unique=False)
        batch_op.create_unique_constraint("uq_bill_key_sample", ["key", "sample"])
    # A bill is a demo one when its own item came from a demo source.
    op.execute(
        "UPDATE bill SET sample = TRUE WHERE EXISTS (SELECT 1 FROM item "
        "WHERE item.bill_id = bill.id AND item.sample AND item.guid = 'bill:' || bill.key)"
    )
    _take_apart()
    _restage_bills()


def _restage_bills() -> None:
    """Stages and their days for bills stored before, from their stored actions.

    Uses this release's stage rules: a BILLSTATUS file is fetched again only
    when it changes, so waiting for the next fetch could leave a bill at its
    old stage ("committee") for months.
    """
    from tracker.parse.bill_stage import bill_progress
    from tracker.types import BillAction

    bind = op.get_bind()
    bills = bind.execute(sa.text("SELECT id, bill_type, introduced FROM bill")).all()
    for bill_id, bill_type, introduced in bills:
        rows = bind.execute(
            sa.text(
                "SELECT action_date, text, code, action_type, source_system, committee "
                "FROM billaction WHERE bill_id = :id ORDER BY action_date, position"
            ),
            {"id": bill_id},
        ).all()
        actions = [BillAction(_day(r[0]), r[1], r[2], r[3], r[4], r[5]) for r in rows]
        progress = bill_progress(bill_type, actions, _day(introduced) if introduced else None)
        dates = {stage: day.isoformat() for stage, day in progress.reached}
        bind.execute(
            BILL.update()
            .where(BILL.c.id == bill_id)
            .values(stage=progress.stage, stage_dates=dates)
        )


def _day(value: object) -> date:
    # SQLite hands dates back as text.
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _drop_unique(table: str, column: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table(table, naming_convention=NAMING) as batch_op:
            batch_op.drop_constraint(f"uq_{table}_{column}", type_="unique")
        return
    for found in sa.inspect(bind).get_unique_constraints(table):
        if found["column_names"] == [column] and found["name"]:
            op.drop_constraint(found["name"], table, type_="unique")


def _take_apart() -> None:
    op.execute(
        "UPDATE item SET bill_id = NULL WHERE NOT item.sample AND bill_id IN "
        "(SELECT id FROM bill WHERE bill.sample)"
    )
    # Linking starts over, so live items find live bills of the same number.
    op.execute("DELETE FROM counter WHERE name IN ('bill_links_seq', 'bill_links_bill')")
    absorbed = (
        "SELECT itemsource.source_id FROM itemsource JOIN item ON item.id = itemsource.item_id "
        "JOIN source ON source.id = itemsource.source_id WHERE item.sample AND NOT source.is_sample"
    )
    op.execute(f"UPDATE source SET etag = NULL, last_modified = NULL WHERE id IN ({absorbed})")
    op.execute(
        "DELETE FROM itemsource WHERE item_id IN (SELECT id FROM item WHERE item.sample) "
        "AND source_id IN (SELECT id FROM source WHERE NOT source.is_sample)"
    )
    op.execute(
        "UPDATE item SET event_id = NULL WHERE NOT item.sample AND event_id IN "
        "(SELECT event_id FROM item AS other WHERE other.sample AND other.event_id IS NOT NULL)"
    )
    # An event whose lead left names its earliest remaining member; one left
    # empty goes (its items are grouped again by the next `settle`).
    op.execute(
        "UPDATE event SET lead_item_id = (SELECT min(item.id) FROM item "
        "WHERE item.event_id = event.id) WHERE lead_item_id NOT IN "
        "(SELECT item.id FROM item WHERE item.event_id = event.id)"
    )
    op.execute(
        "UPDATE event SET headline = (SELECT item.title FROM item "
        "WHERE item.id = event.lead_item_id) WHERE lead_item_id IS NOT NULL"
    )
    op.execute("DELETE FROM event WHERE lead_item_id IS NULL")


def downgrade() -> None:
    # Demo rows that share a key or number with live ones cannot survive the
    # old unique constraints; the demo is reloaded with `tracker demo load`.
    op.execute("DELETE FROM itemtag WHERE item_id IN (SELECT id FROM item WHERE item.sample)")
    op.execute("DELETE FROM itemsource WHERE item_id IN (SELECT id FROM item WHERE item.sample)")
    op.execute("DELETE FROM item WHERE item.sample")
    op.execute(
        "DELETE FROM event WHERE id NOT IN (SELECT event_id FROM item WHERE event_id IS NOT NULL)"
    )
    op.execute("DELETE FROM billaction WHERE bill_id IN (SELECT id FROM bill WHERE bill.sample)")
    op.execute("DELETE FROM bill WHERE bill.sample")
    with op.batch_alter_table("bill", schema=None) as batch_op:
        batch_op.drop_constraint("uq_bill_key_sample", type_="unique")
        batch_op.drop_index("ix_bill_key")
        batch_op.create_index("ix_bill_key", ["key"], unique=True)
        for column in ("text_url", "related", "cosponsors", "stage_dates", "sample"):
            batch_op.drop_column(column)
    with op.batch_alter_table("item", schema=None) as batch_op:
        batch_op.drop_constraint("uq_item_document_number_sample", type_="unique")
        batch_op.create_unique_constraint("uq_item_document_number", ["document_number"])
        batch_op.drop_column("sample")
