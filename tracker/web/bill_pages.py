"""A bill: its stage with the day each step was reached, its people, its related
bills, its dated actions, and every item that names it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, render_template
from sqlmodel import Session

from tracker.models import Bill, BillAction
from tracker.parse.billstatus import bill_url
from tracker.store import bills
from tracker.store.listing_results import ListingAsk, ListingResult
from tracker.store.listings import ListingFilter
from tracker.types import BILL_ROAD
from tracker.web.context import db, settings
from tracker.web.discovery import feed_links
from tracker.web.feed_listings import listing
from tracker.web.filters import bill_label, stage_label
from tracker.web.links import pagination
from tracker.web.listing_args import page_number
from tracker.web.listing_views import ListingRequest, renderer, respond

BILL_REF = re.compile(r"(hr|s|hres|sres|hjres|sjres|hconres|sconres)(\d{1,5})", re.IGNORECASE)
# How far each kind of measure goes: a simple resolution is done once its
# chamber agrees to it, a concurrent one once both do; the rest go to the
# President. "Resolving differences" shows only on a bill that got there.
_ENDS = {"hres": "passed-one", "sres": "passed-one", "hconres": "passed-both",
         "sconres": "passed-both"}  # fmt: skip
_ONE_CHAMBER_LABELS = {"passed-one": "Agreed to"}
_PASSED = ("done", "skipped")
_ORDERED = re.compile(r"ordered to be reported", re.IGNORECASE)
_REPORTED = re.compile(r"\breported\b", re.IGNORECASE)


@dataclass(frozen=True)
class StageStep:
    """One step of the stage bar."""

    stage: str
    label: str
    state: str  # done | skipped | current | todo | vetoed | failed
    reached: date | None = None


def add_routes(bp: Blueprint) -> None:
    """Register the bill page on `bp`."""
    bp.add_url_rule("/bills", "bills_index", bills_index)
    bp.add_url_rule("/bills/<id:congress>/<ref>", "bill", bill)


def bills_index() -> str:
    """Every stored bill with its stage, the most recently active first."""
    with db() as session:
        rows = bills.all_bills(session)
    listed = [{"bill": b, "label": bill_label(b.bill_type, b.number), "steps": bill_steps(b)}
              for b in rows]  # fmt: skip
    return render_template("bills.html", bills=listed)


def bill_steps(row: Bill, actions: Iterable[BillAction] = ()) -> list[StageStep]:
    """The stage bar of a stored bill; with its actions, "ordered reported" is told apart."""
    reached = {stage: date.fromisoformat(day) for stage, day in (row.stage_dates or {}).items()}
    ordered = _ordered_only(actions)
    return stage_steps(row.stage, reached, row.bill_type, ordered_only=ordered)


def stage_steps(
    stage: str,
    reached: Mapping[str, date] | None = None,
    bill_type: str = "hr",
    *,
    ordered_only: bool = False,
) -> list[StageStep]:
    """The stage bar for a bill at `stage`: steps passed (with their day, or skipped),
    the current one, those ahead. Without `reached` (a bill stored before stages had
    days), every step before the current one counts as done."""
    stage = "referred" if stage == "committee" else stage  # rows from before 0007
    reached = reached or {}
    road = _road(stage, reached, bill_type)
    current = road.index(stage) if stage in road else 0
    steps = []
    for index, name in enumerate(road):
        if index < current:
            state = "done" if name in reached or not reached else "skipped"
        elif index == current:
            state = name if name in ("vetoed", "failed") else "current"
        else:
            state = "todo"
        label = _label(name, bill_type, ordered_only)
        steps.append(StageStep(name, label, state, reached.get(name)))
    return steps


def _road(stage: str, reached: Mapping[str, date], bill_type: str) -> list[str]:
    end = _ENDS.get(bill_type, "law")
    road = list(BILL_ROAD[: BILL_ROAD.index(end) + 1])
    if "resolving" in road and "resolving" not in reached and stage != "resolving":
        road.remove("resolving")
    if stage == "vetoed":
        return [*road[: road.index("president") + 1], "vetoed"]
    if stage == "failed":
        return [*(s for s in road if s in reached), "failed"]
    return road


def _label(stage: str, bill_type: str, ordered_only: bool) -> str:
    if stage == "reported" and ordered_only:
        return "Ordered reported"
    if bill_type in ("hres", "sres") and stage in _ONE_CHAMBER_LABELS:
        return _ONE_CHAMBER_LABELS[stage]
    return stage_label(stage)


def _ordered_only(actions: Iterable[BillAction]) -> bool:
    """A committee ordered the bill reported but has not filed the report yet."""
    texts = [a.text for a in actions]
    ordered = any(_ORDERED.search(t) for t in texts)
    filed = any(
        _REPORTED.search(t) and not _ORDERED.search(t) and not t.lower().startswith("rule")
        for t in texts
    )
    return ordered and not filed


def bill(congress: int, ref: str) -> Response:
    """`/bills/119/hr8283`: title, sponsor and cosponsors, stage, related bills,
    actions and items (the HTML format of the bill's listing, whose feeds are
    `/bills/119/hr8283.atom` and the rest)."""
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
        ask = ListingAsk(f, "items", limit=size, offset=(page - 1) * size)
        req = ListingRequest("bill-html", listing("bill", row.key), ask, f, page, extra=row)
        return respond(req, session)


@renderer("bill-html")
def bill_html(session: Session | None, req: ListingRequest, found: ListingResult) -> str:
    """The bill's page, with a page of its items."""
    row = req.extra
    assert session is not None and isinstance(row, Bill)
    actions = bills.bill_actions(session, row.id)  # type: ignore[arg-type]
    stored = bills.bill_keys_stored(session, [r["key"] for r in row.related], row.sample)
    snapshot_too = not row.sample and bills.has_snapshot(session, row.key)
    steps = bill_steps(row, actions)
    context = {
        "bill": row,
        "label": bill_label(row.bill_type, row.number),
        "steps": steps,
        "stage_name": next((s.label for s in steps if s.state not in _PASSED), row.stage),
        "actions": list(reversed(actions)),
        "cosponsors": row.cosponsors,
        "text_versions": bills.text_versions(row),
        "related": [_related(r, stored, row.sample) for r in row.related],
        "snapshot_too": snapshot_too,
        "items": found.items,
        "item_total": found.item_total,
        "pages": pagination(req.page, found.has_next),
        "feeds": feed_links(),
    }
    return render_template("bill.html", **context)


def _related(related: dict[str, Any], stored: set[str], sample: bool) -> dict[str, Any]:
    """A related bill with where to read about it: its page here, else congress.gov
    (never for a demo snapshot, which links only to addresses its file holds)."""
    congress, bill_type, number = related["congress"], related["bill_type"], related["number"]
    if related["key"] in stored:
        href: str | None = f"/bills/{congress}/{bill_type}{number}"
    else:
        href = None if sample else bill_url(congress, bill_type, number)
    return {**related, "label": bill_label(bill_type, number), "href": href,
            "here": related["key"] in stored}  # fmt: skip
