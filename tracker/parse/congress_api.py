"""congress.gov API v3 JSON → `ParsedItem`s: bill lists, one bill's actions, committee meetings.

Every answer of the API has the same three parts (its documentation,
github.com/LibraryOfCongress/api.congress.gov): `request` (what was asked,
e.g. the bill of an actions list), `pagination` (`count`, and `next`, the
next page's address) and one data element named after the endpoint
(`bills`, `actions`, `committeeMeetings`, or `committeeMeeting` for one
meeting). An entry without what it needs is skipped with a warning.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from tracker.calendar_dates import is_cancelled, meeting_date
from tracker.parse import ParseError
from tracker.parse.bill_fields import bill_type_of
from tracker.parse.billstatus import bill_url
from tracker.types import ParsedItem, ParseResult, StatedDate, bill_label

_MEETING_PAGE = "https://www.congress.gov/event/{congress}th-congress/{chamber}-event/{event}"


def parse_congress_api(content: bytes) -> ParseResult:
    """Read one congress.gov API v3 JSON answer."""
    payload = _load(content)
    warnings: list[str] = []
    if "bills" in payload:
        items = [_bill(entry, n, warnings) for n, entry in _entries(payload, "bills")]
    elif "actions" in payload:
        bill = _requested_bill(payload)
        items = [_action(bill, entry, n, warnings) for n, entry in _entries(payload, "actions")]
    elif "committeeMeetings" in payload:
        entries = _entries(payload, "committeeMeetings")
        items = [_meeting(entry, n, warnings) for n, entry in entries]
    elif isinstance(payload.get("committeeMeeting"), Mapping):
        items = [_meeting(payload["committeeMeeting"], 1, warnings)]
    elif "error" in payload:
        error = payload["error"]
        message = error.get("message") if isinstance(error, Mapping) else error
        raise ParseError(f"congress.gov API error: {str(message)[:200]}")
    else:
        raise ParseError("JSON with no bills, actions or meetings: not a congress.gov answer")
    pagination = payload.get("pagination")
    next_page = pagination.get("next") if isinstance(pagination, Mapping) else None
    return ParseResult(
        kind="congress-api",
        items=tuple(item for item in items if item is not None),
        warnings=tuple(warnings),
        next_page=next_page if isinstance(next_page, str) and next_page else None,
    )


def _load(content: bytes) -> Mapping[str, Any]:
    try:
        payload = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ParseError(f"not JSON: {str(exc)[:200]}") from None
    if not isinstance(payload, Mapping):
        raise ParseError("JSON is not an object: not a congress.gov answer")
    return payload


def _entries(payload: Mapping[str, Any], name: str) -> list[tuple[int, Any]]:
    entries = payload[name]
    if not isinstance(entries, list):
        raise ParseError(f"congress.gov '{name}' is not a list")
    return list(enumerate(entries, start=1))


def _bill(entry: Any, position: int, warnings: list[str]) -> ParsedItem | None:
    """A bill of a list: its title and its latest action, which changes as it moves."""
    key = _bill_key(entry)
    title = _text(entry.get("title")) if isinstance(entry, Mapping) else None
    if key is None or title is None:
        warnings.append(f"bill {position} skipped: no congress, type, number or title")
        return None
    congress, bill_type, number = key
    latest = entry.get("latestAction")
    latest = latest if isinstance(latest, Mapping) else {}
    action_text, action_day = _text(latest.get("text")), _day(latest.get("actionDate"))
    summary = action_text or ""
    if action_text and action_day:
        summary = f"Latest action ({action_day:%B} {action_day.day}, {action_day.year}): {summary}"
    return ParsedItem(
        guid=f"congress-api:bill:{congress}-{bill_type}-{number}",
        title=f"{bill_label(bill_type, number)}: {title}",
        url=bill_url(congress, bill_type, number),
        summary_html=html.escape(summary, quote=False),
        published=_midnight(action_day) or _time(entry.get("updateDate")),
        updated=_time(entry.get("updateDateIncludingText") or entry.get("updateDate")),
        doc_type="bill",
        bill_key=f"{congress}-{bill_type}-{number}",
    )


def _requested_bill(payload: Mapping[str, Any]) -> tuple[int, str, int]:
    """The bill an actions list belongs to, from the answer's `request` part."""
    request = payload.get("request")
    key = _bill_key(request, "billType", "billNumber") if isinstance(request, Mapping) else None
    if key is None:
        raise ParseError("congress.gov actions answer does not say which bill it is about")
    return key


def _action(
    bill: tuple[int, str, int], entry: Any, position: int, warnings: list[str]
) -> ParsedItem | None:
    """One action on the bill, as its own dated item ("H.R. 8283: Referred to ...")."""
    congress, bill_type, number = bill
    action_text = _text(entry.get("text")) if isinstance(entry, Mapping) else None
    action_day = _day(entry.get("actionDate")) if isinstance(entry, Mapping) else None
    if action_text is None or action_day is None:
        warnings.append(f"action {position} skipped: no text or no date")
        return None
    code = _text(entry.get("actionCode")) or ""
    system = entry.get("sourceSystem")
    where = _text(system.get("name")) if isinstance(system, Mapping) else None
    label = bill_label(bill_type, number)
    detail = f"{action_text} ({where})" if where else action_text
    return ParsedItem(
        # The same action is listed once per source system that recorded it.
        guid=f"congress-api:action:{congress}-{bill_type}-{number}:{action_day}:{code}:"
        f"{where or ''}:{action_text[:200]}",
        title=f"{label}: {_cut(action_text, 250)}",
        url=bill_url(congress, bill_type, number) + "/all-actions",
        summary_html=html.escape(detail, quote=False),
        published=_midnight(action_day),
        doc_type="bill",
        bill_key=f"{congress}-{bill_type}-{number}",
    )


def _meeting(entry: Any, position: int, warnings: list[str]) -> ParsedItem | None:
    """A committee meeting: the list gives only its chamber and number, the detail more."""
    if not isinstance(entry, Mapping):
        warnings.append(f"meeting {position} skipped: not a JSON object")
        return None
    event, congress = _text(str(entry.get("eventId") or "")), _int(entry.get("congress"))
    chamber = (_text(entry.get("chamber")) or "").lower()
    if event is None or congress is None or chamber not in {"house", "senate", "nochamber"}:
        warnings.append(f"meeting {position} skipped: no event id, congress or chamber")
        return None
    kind = _text(entry.get("type")) or "Meeting"
    title = _text(entry.get("title"))
    committees = [_text(c.get("name")) for c in entry.get("committees") or []
                  if isinstance(c, Mapping)]  # fmt: skip
    named = ", ".join(c for c in committees if c)
    house = {"house": "House", "senate": "Senate"}.get(chamber, "Joint")
    heading = title or f"{house} committee {kind.lower()} (event {event})"
    summary = " · ".join(p for p in (named, _text(entry.get("meetingStatus"))) if p)
    when = _time(entry.get("date"))
    return ParsedItem(
        dates=_meeting_date(kind, heading, when, _text(entry.get("meetingStatus")) or ""),
        guid=f"congress-api:meeting:{congress}-{chamber}-{event}",
        title=heading,
        url=_MEETING_PAGE.format(congress=congress, chamber=chamber, event=event),
        summary_html=html.escape(summary, quote=False),
        published=when or _time(entry.get("updateDate")),
        updated=_time(entry.get("updateDate")) if when else None,
        doc_type="hearing",
    )


def _meeting_date(
    kind: str, title: str, when: datetime | None, status: str
) -> tuple[StatedDate, ...]:
    """The meeting's date as the API states it ("Canceled" and "Postponed" ones cancelled).

    `type` says "Markup" or "Hearing"; a plain "Meeting" is a markup when its title says so.
    """
    if when is None:
        return ()
    stated = meeting_date(title, when, True, is_cancelled(status))
    if kind.lower() in ("markup", "hearing"):
        stated = replace(stated, kind=kind.lower())
    return (stated,)


def _bill_key(
    entry: Any, type_field: str = "type", number_field: str = "number"
) -> tuple[int, str, int] | None:
    if not isinstance(entry, Mapping):
        return None
    congress, number = _int(entry.get("congress")), _int(entry.get(number_field))
    bill_type = bill_type_of(str(entry.get(type_field) or ""))
    if congress is None or number is None or bill_type is None:
        return None
    return congress, bill_type, number


def _int(value: object) -> int | None:
    try:
        number = int(str(value))
    except ValueError:
        return None
    return number if 0 < number < 100_000 else None


def _text(value: object) -> str | None:
    return " ".join(value.split()) or None if isinstance(value, str) else None


def _cut(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _midnight(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def _time(value: object) -> datetime | None:
    """``2026-04-22T13:45:10Z`` (or a bare date) in UTC, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return _midnight(_day(value))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
