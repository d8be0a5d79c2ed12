"""Records as the JSON the API returns: plain dicts, absolute links, ISO dates.

The shapes here are the ones `openapi.py` documents; a test checks the two
agree on every endpoint.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from tracker.models import Bill, BillAction, ItemTag
from tracker.store.bills import BillRecordView
from tracker.store.directory import TagEntry
from tracker.store.event_cards import EventCard, event_card
from tracker.store.items import ItemCard, ItemFull
from tracker.types import bill_label
from tracker.web import site_url


def iso(value: datetime | date | None) -> str | None:
    """ISO 8601, or None."""
    return value.isoformat() if value is not None else None


def root() -> str:
    """This site's address, for absolute links."""
    return site_url.root()


def item_summary(card: ItemCard) -> dict[str, Any]:
    """An item as listings show it."""
    return {
        "id": card.id,
        "title": card.title,
        "url": card.url,
        "published": iso(card.published),
        "undated": card.undated,
        "updated": iso(card.updated),
        "changed_at": iso(card.changed_at),
        "doc_type": card.doc_type,
        "snapshot": card.is_sample,
        "source": {"slug": card.source_slug, "name": card.source_name, "sample": card.is_sample},
        "topics": list(card.topics),
        "entities": list(card.entities),
        "summary_html": card.summary_html,
        "event": {"id": card.event_id, "headline": card.event_headline} if card.event_id else None,
        "links": {
            "self": f"{root()}/api/v1/items/{card.id}",
            "html": f"{root()}/items/{card.id}",
        },
    }


def _tag(tag: ItemTag) -> dict[str, Any]:
    return {
        "slug": tag.slug,
        "kind": tag.kind,
        "origin": tag.origin,
        "status": tag.status,
        "evidence": [
            {
                "field": str(e.get("field", "")),
                "start": int(e.get("start", 0)),
                "end": int(e.get("end", 0)),
                "text": str(e.get("text", "")),
            }
            for e in tag.evidence
        ],
    }


def item_full(record: ItemFull) -> dict[str, Any]:
    """An item with its text, tags and evidence, sources, event and bill."""
    data = item_summary(record.card)
    data.update(
        text=record.card.summary_text,
        author=record.item.author,
        guid=record.card.guid,
        tags=[_tag(t) for t in record.tags],
        sources=[
            {"slug": s.slug, "name": s.name, "kind": s.kind, "guid": s.guid, "url": s.url}
            for s in record.sources
        ],
        event=event_summary(event_card(record.event, [], 0), sized=False) if record.event else None,
        bill=bill_summary(record.bill) if record.bill else None,
    )
    return data


def event_summary(event: EventCard, *, sized: bool = True) -> dict[str, Any]:
    """An event; when `sized`, with how many items it holds."""
    data: dict[str, Any] = {
        "id": event.id,
        "headline": event.headline,
        "date": iso(event.date),
        "lead_item_id": event.lead_item_id,
        "links": {"self": f"{root()}/api/v1/events/{event.id}"},
    }
    if sized:
        data["size"] = event.size
    return data


def event_full(record: EventCard) -> dict[str, Any]:
    """An event with its items."""
    data = event_summary(record)
    data["items"] = [item_summary(x) for x in record.items]
    return data


def _bill_path(bill: Bill) -> str:
    return f"/bills/{bill.congress}/{bill.bill_type}{bill.number}"


def bill_summary(bill: Bill) -> dict[str, Any]:
    """A bill as lists show it."""
    sponsor = None
    if bill.sponsor_name:
        sponsor = {
            "name": bill.sponsor_name,
            "party": bill.sponsor_party,
            "state": bill.sponsor_state,
        }
    latest = None
    if bill.latest_action_date:
        latest = {"date": iso(bill.latest_action_date), "text": bill.latest_action_text or ""}
    return {
        "key": bill.key,
        "congress": bill.congress,
        "type": bill.bill_type,
        "number": bill.number,
        "label": bill_label(bill.bill_type, bill.number),
        "title": bill.title,
        "introduced": iso(bill.introduced),
        "sponsor": sponsor,
        "policy_area": bill.policy_area,
        "subjects": list(bill.subjects),
        "stage": bill.stage,
        "stage_dates": dict(bill.stage_dates),
        "snapshot": bill.sample,
        "latest_action": latest,
        "updated": iso(bill.updated_at),
        "links": {
            "self": f"{root()}/api/v1{_bill_path(bill)}",
            "html": f"{root()}{_bill_path(bill)}",
            "items": f"{root()}/api/v1/items?bill={bill.key}",
        },
    }


def _action(action: BillAction) -> dict[str, Any]:
    return {
        "position": action.position,
        "date": iso(action.action_date),
        "text": action.text,
        "code": action.code,
        "type": action.action_type,
        "committee": action.committee,
        "source_system": action.source_system,
    }


def bill_full(view: BillRecordView) -> dict[str, Any]:
    """A bill with its summary, actions and item count."""
    data = bill_summary(view.bill)
    data.update(
        summary=view.bill.latest_summary,
        actions=[_action(a) for a in view.actions],
        item_count=view.items,
        text_url=view.bill.text_url,
        cosponsors=[_cosponsor(c) for c in view.bill.cosponsors],
        related=[_related(r) for r in view.bill.related],
    )
    return data


def _cosponsor(person: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": person.get("full_name", ""),
        "party": person.get("party"),
        "state": person.get("state"),
        "since": person.get("since"),
        "original": bool(person.get("original")),
        "withdrawn": person.get("withdrawn"),
    }


def _related(bill: dict[str, Any]) -> dict[str, Any]:
    latest = None
    if bill.get("latest_action_date"):
        latest = {"date": bill["latest_action_date"], "text": bill.get("latest_action_text") or ""}
    return {
        "key": bill["key"],
        "label": bill_label(bill["bill_type"], bill["number"]),
        "title": bill.get("title"),
        "relationships": list(bill.get("relationships", [])),
        "latest_action": latest,
    }


def tag_entry(entry: TagEntry, kind: str) -> dict[str, Any]:
    """A topic (`kind` "topic") or an entity ("entity") with its count and links."""
    plural = "topics" if kind == "topic" else "entities"
    data: dict[str, Any] = {
        "slug": entry.slug,
        "name": entry.name,
        "description": entry.description,
        "items": entry.items,
        "links": {
            "html": f"{root()}/{plural}/{entry.slug}",
            "items": f"{root()}/api/v1/items?{kind}={entry.slug}",
            "timeline": f"{root()}/api/v1/timelines/{plural}/{entry.slug}",
            "feed": f"{root()}/{plural}/{entry.slug}.atom",
        },
    }
    if kind == "entity":
        data["kind"] = entry.kind
        data["parent"] = entry.parent
    return data


def activity(months: dict[tuple[int, int], dict[str, int]]) -> list[dict[str, Any]]:
    """Items per month, oldest first: {"month": "2026-06", "total": 4, "by_type": {...}}."""
    return [
        {"month": f"{y:04d}-{m:02d}", "total": sum(counts.values()), "by_type": dict(counts)}
        for (y, m), counts in sorted(months.items())
    ]


def timeline_events(found: list[EventCard]) -> list[dict[str, Any]]:
    """A timeline's events, each with its items in the listing."""
    events = []
    for entry in found:
        data = event_summary(entry)
        data["items"] = [item_summary(x) for x in entry.items]
        events.append(data)
    return events
