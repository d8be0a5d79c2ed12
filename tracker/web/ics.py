"""Calendar rows as an iCalendar file (RFC 5545), written with the `icalendar` library.

Every event carries UID, DTSTAMP, DTSTART, SUMMARY, SEQUENCE, STATUS,
LAST-MODIFIED and a URL back to the item's page on this site. An all-day
entry is a DATE with DTEND the next day; a timed one starts at its UTC time
and gives no end (no source states one). DTSTAMP is the entry's last change,
not the time of the request, so an unchanged calendar is the same bytes and
its ETag holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar, Event

from tracker.calendar_dates import KIND_LABELS
from tracker.store.calendar import CalendarRow
from tracker.types import DOC_TYPE_LABELS

PRODID = "-//Policy Tracker//Calendar 1//EN"


def render_ics(name: str, rows: Iterable[CalendarRow], item_url: str, page_url: str) -> bytes:
    """The calendar file; `item_url` has one `{}` for an item id."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", f"Hearings, markups and deadlines: {page_url}")
    for row in rows:
        calendar.add_component(_event(row, item_url.format(row.item_id)))
    return calendar.to_ical()


def _event(row: CalendarRow, link: str) -> Event:
    event = Event()
    event.add("uid", row.uid)
    event.add("dtstamp", row.modified_at)
    if row.all_day:
        event.add("dtstart", row.day)
        event.add("dtend", row.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", row.starts_at)
    event.add("summary", row.summary)
    event.add("url", link)
    event.add("description", _description(row, link))
    event.add("status", "CANCELLED" if row.cancelled else "CONFIRMED")
    event.add("sequence", row.sequence)
    event.add("created", row.created_at)
    event.add("last-modified", row.modified_at)
    event.add("categories", [KIND_LABELS.get(row.kind, row.kind)])
    return event


def _description(row: CalendarRow, link: str) -> str:
    kind = DOC_TYPE_LABELS.get(row.doc_type, row.doc_type)
    lines = [f"{kind} from {row.source_name}: {row.item_title}", link]
    if row.cancelled:
        lines.insert(0, "Cancelled or postponed, as the source says.")
    if row.sample:
        lines.append("Demo snapshot: bundled with Policy Tracker, not fetched live.")
    return "\n".join(lines)
