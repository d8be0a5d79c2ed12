"""Calendar rows as an iCalendar file (RFC 5545), written with the `icalendar` library.

Every event carries UID, DTSTAMP, DTSTART, SUMMARY, SEQUENCE, STATUS,
LAST-MODIFIED and a URL back to the item's page on this site. An all-day
entry is a DATE with DTEND the next day; a timed one starts at its UTC time
and gives no end (no source states one). DTSTAMP is the entry's last change,
not the time of the request, so an unchanged calendar is the same bytes and
its ETag holds.

The library takes about half a millisecond per event, so a busy topic's two
thousand would cost a second: each event's text is kept (`EventMemo`, keyed by
everything it is written from) and a calendar is its header, the kept events
and its footer. Only new or changed entries are written again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import timedelta

from icalendar import Calendar, Event

from tracker.calendar_dates import KIND_LABELS
from tracker.store.bounded import BoundedLru
from tracker.store.calendar import CalendarRow
from tracker.types import DOC_TYPE_LABELS

PRODID = "-//Policy Tracker//Calendar 1//EN"
END = b"END:VCALENDAR\r\n"


class EventMemo:
    """Written events by (row, link), the least recently used dropped first; thread-safe.

    Bounded in bytes as well as in events: a row's title and summary are
    strangers' text.
    """

    def __init__(self, size: int = 50_000, max_bytes: int = 32 * 2**20) -> None:
        self._lock = threading.Lock()
        self._known = BoundedLru(size, max_bytes)

    def event(self, row: CalendarRow, link: str) -> bytes:
        key = (row, link)
        with self._lock:
            found = self._known.get(key)
            if found is not None:
                return found  # type: ignore[no-any-return]
        written: bytes = _event(row, link).to_ical()
        with self._lock:
            self._known.put(key, written)
        return written


MEMO = EventMemo()


class BodyMemo:
    """Whole calendar files by entity tag, for readers that poll without validators.

    Many calendar apps fetch a subscribed calendar whole every time; the ETag
    already names the body exactly (`conditional.validators`), so an unchanged
    calendar is answered from here after its version query. A busy topic's
    calendar is megabytes: the memo is bounded in bytes too.
    """

    def __init__(self, size: int = 32, max_bytes: int = 32 * 2**20) -> None:
        self._lock = threading.Lock()
        self._known = BoundedLru(size, max_bytes)

    def get(self, etag: str) -> bytes | None:
        with self._lock:
            return self._known.get(etag)  # type: ignore[no-any-return]

    def put(self, etag: str, body: bytes) -> None:
        with self._lock:
            self._known.put(etag, body)


def render_ics(
    name: str, rows: Iterable[CalendarRow], item_url: str, page_url: str, memo: EventMemo = MEMO
) -> bytes:
    """The calendar file; `item_url` has one `{}` for an item id."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", f"Hearings, markups and deadlines: {page_url}")
    head = calendar.to_ical()
    if not head.endswith(END):
        raise AssertionError("icalendar wrote a calendar that does not end as RFC 5545 says")
    events = [memo.event(row, item_url.format(row.item_id)) for row in rows]
    return b"".join([head[: -len(END)], *events, END])


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
