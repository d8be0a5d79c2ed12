"""An item with the evidence for its tags, its event and bill; an event with its items."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, abort, render_template, url_for
from sqlmodel import Session

from tracker.doc_types import read_from_wording
from tracker.store import bills
from tracker.store.event_cards import event_detail
from tracker.store.item_versions import item_history
from tracker.store.items import ItemFull, item_record
from tracker.tag import find_bill_refs
from tracker.web import site_url
from tracker.web.context import db, taxonomy
from tracker.web.evidence import tag_evidence
from tracker.web.filters import bill_label, date_label


def add_routes(bp: Blueprint) -> None:
    """Register the item and event pages on `bp`."""
    bp.add_url_rule("/items/<id:item_id>", "item", item)
    bp.add_url_rule("/events/<id:event_id>", "event", event)


def item(item_id: int) -> str:
    """One item: what it says, why it is tagged, what it belongs to, how to cite it."""
    with db() as session:
        detail = item_record(session, item_id)
        if detail is None:
            abort(404, description=f"There is no item {item_id}. It may have been removed.")
        group = event_detail(session, detail.item.event_id) if detail.item.event_id else None
        named = _bills_named(session, detail)
        versions = item_history(session, item_id)
    model = taxonomy().type_model
    type_read = read_from_wording(
        detail.item.title,
        detail.item.text,
        detail.item.doc_type,
        wording=model.type_of if model else None,
        default_doc_type=detail.source_type,
        format_doc_type=detail.item.format_doc_type,
        agencies=tuple(detail.item.agencies),
    )
    others = [c for c in group.items if c.id != item_id] if group else []
    context = {
        "detail": detail,
        "evidence": tag_evidence(detail.tags, detail.item.title, detail.item.text),
        "event": group,
        "others": others,
        "named_bills": named,
        "versions": versions,
        "type_read": type_read,
        "citation": citation(detail, datetime.now(UTC)),
    }
    return render_template("item.html", **context)


def _bills_named(session: Session, detail: ItemFull) -> list[dict[str, Any]]:
    """Other stored bills the item's words name, each with its page (its own bill is
    shown apart)."""
    congress = bills.congress_for(detail.item.published_at)
    refs = find_bill_refs(f"{detail.item.title}\n{detail.item.text}")
    keys = [bills.bill_key(congress, bill_type, number) for bill_type, number in refs]
    stored = bills.bill_keys_stored(session, keys, detail.item.sample)
    own = detail.bill.key if detail.bill else None
    return [
        {"label": bill_label(bill_type, number), "congress": congress,
         "ref": f"{bill_type}{number}"}
        for (bill_type, number), key in zip(refs, keys, strict=True)
        if key in stored and key != own
    ]  # fmt: skip


def event(event_id: int) -> str:
    """One event: every item about the same happening, oldest first."""
    with db() as session:
        group = event_detail(session, event_id)
    if group is None:
        abort(404, description=f"There is no event {event_id}. Events are regrouped as items "
                               "arrive; search for its headline instead.")  # fmt: skip
    return render_template("event.html", event=group)


def citation(detail: ItemFull, today: datetime) -> str:
    """A line to paste into notes: source, title, date, URL, and where it was found."""
    card = detail.card
    url = card.url or site_url.url(url_for("pages.item", item_id=card.id))
    when = "undated" if card.undated else date_label(card.published)
    title = card.title.rstrip(".")
    return (
        f"{card.source_name}. “{title}.” {when}. {url}. "
        f"Retrieved via Policy Tracker, {date_label(today)}."
    )
