"""A bill: its stage, its dated actions, and every item that names it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Blueprint, abort, render_template

from tracker.store import bills
from tracker.store.listings import ListingFilter, count_items, list_items
from tracker.types import BILL_STAGES
from tracker.web.context import db, settings
from tracker.web.discovery import feed_links
from tracker.web.filters import bill_label, stage_label
from tracker.web.links import pagination
from tracker.web.listing_args import page_number

BILL_REF = re.compile(r"(hr|s|hres|sres|hjres|sjres|hconres|sconres)(\d{1,5})", re.IGNORECASE)
# The road a bill travels; a veto ends it after the President's desk.
ROAD = tuple(s for s in BILL_STAGES if s != "vetoed")


@dataclass(frozen=True)
class StageStep:
    """One step of the stage bar."""

    stage: str
    label: str
    state: str  # done | current | todo | vetoed


def add_routes(bp: Blueprint) -> None:
    """Register the bill page on `bp`."""
    bp.add_url_rule("/bills", "bills_index", bills_index)
    bp.add_url_rule("/bills/<int:congress>/<ref>", "bill", bill)


def bills_index() -> str:
    """Every stored bill with its stage, the most recently active first."""
    with db() as session:
        rows = bills.all_bills(session)
    listed = [{"bill": b, "label": bill_label(b.bill_type, b.number), "steps": stage_steps(b.stage)}
              for b in rows]  # fmt: skip
    return render_template("bills.html", bills=listed)


def stage_steps(stage: str) -> list[StageStep]:
    """The stage bar for a bill at `stage`: steps passed, the current one, those ahead."""
    if stage == "vetoed":
        road = [*ROAD[: ROAD.index("president") + 1], "vetoed"]
        current = len(road) - 1
    else:
        road = list(ROAD)
        current = road.index(stage) if stage in road else 0
    steps = []
    for index, name in enumerate(road):
        if index < current:
            state = "done"
        elif index == current:
            state = "vetoed" if name == "vetoed" else "current"
        else:
            state = "todo"
        steps.append(StageStep(name, stage_label(name), state))
    return steps


def bill(congress: int, ref: str) -> str:
    """`/bills/119/s4417`: the bill's title, sponsor, stage, actions and items."""
    match = BILL_REF.fullmatch(ref)
    if match is None:
        abort(404, description=f"{ref!r} is not a bill number; bills look like s4417 or hr9368.")
    bill_type, number = match.group(1).lower(), int(match.group(2))
    page, size = page_number(), settings().page_size
    with db() as session:
        row = bills.bill_by_number(session, congress, bill_type, number)
        if row is None:
            abort(404, description=f"The tracker holds no bill {bill_label(bill_type, number)} "
                                   f"of the {congress}th Congress.")  # fmt: skip
        f = ListingFilter(bill=row.key)
        items = list_items(session, f, limit=size + 1, offset=(page - 1) * size)
        total = count_items(session, f)
        actions = bills.bill_actions(session, row.id)  # type: ignore[arg-type]
    context = {
        "bill": row,
        "label": bill_label(row.bill_type, row.number),
        "steps": stage_steps(row.stage),
        "actions": list(reversed(actions)),
        "items": [x.card for x in items[:size]],
        "item_total": total,
        "pages": pagination(page, len(items) > size),
        "feeds": feed_links(),
    }
    return render_template("bill.html", **context)
