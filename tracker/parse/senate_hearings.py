"""senate.gov's committee hearing schedule (`hearings.xml`) → one hearing item per meeting.

The file (`<css_meetings_scheduled>`, one `<meeting>` per scheduled hearing
or markup) names the committee (`cmte_code`, `committee` with its page in a
`url` attribute, `sub_cmte`), when (`date` as ``15-Apr-2026 10:00 AM``, Eastern
time, and since 2019 also `date_iso_8601`), where (`room`) and what
(`matter`). When nothing is scheduled the file holds one placeholder meeting
whose matter says so; it is no hearing and is skipped.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import defusedxml.ElementTree as safe_et
from defusedxml import DefusedXmlException

from tracker.calendar_dates import is_cancelled, meeting_date
from tracker.parse import ParseError
from tracker.types import ParsedItem, ParseResult

_SCHEDULE_PAGE = "https://www.senate.gov/committees/hearings_meetings.htm"
_NOTHING_SCHEDULED = re.compile(r"^\s*no\b.*\bscheduled\b", re.IGNORECASE)
try:
    _EASTERN: ZoneInfo | None = ZoneInfo("America/New_York")
except ZoneInfoNotFoundError:  # a system without time zone data: the ISO field still works
    _EASTERN = None


def parse_senate_hearings(content: bytes) -> ParseResult:
    """Read the schedule; a meeting without a matter or a date is skipped with a warning."""
    try:
        root = safe_et.fromstring(content)
    except DefusedXmlException:
        raise ParseError("the XML declares entities, which is refused") from None
    except ET.ParseError as exc:
        raise ParseError(f"not readable XML: {exc}") from None
    if _local(root.tag) != "css_meetings_scheduled":
        raise ParseError(f"XML whose root is <{_local(root.tag)}>: not the Senate hearing schedule")
    items: list[ParsedItem] = []
    warnings: list[str] = []
    for position, meeting in enumerate(root.iter("meeting"), start=1):
        matter = _field(meeting, "matter")
        if matter and _NOTHING_SCHEDULED.match(matter):
            continue
        when = _when(meeting)
        if not matter or when is None:
            warnings.append(f"meeting {position} skipped: no matter or no readable date")
            continue
        items.append(_hearing(meeting, matter, when))
    return ParseResult(kind="senate-hearings", items=tuple(items), warnings=tuple(warnings))


def _hearing(meeting: ET.Element, matter: str, when: datetime) -> ParsedItem:
    committee_element = meeting.find("committee")
    committee = _field(meeting, "committee") or _field(meeting, "cmte_code") or "Senate committee"
    sub = _field(meeting, "sub_cmte")
    room = _field(meeting, "room")
    where = f"Room {room}" if room and not room.lower().startswith("room") else room
    local = when.astimezone(_EASTERN) if _EASTERN else when
    hour = local.strftime("%I:%M %p").lstrip("0")
    stamp = f"{local:%B} {local.day}, {local.year}, {hour} {'ET' if _EASTERN else 'UTC'}"
    parts = [committee, sub, stamp, where]
    code = _field(meeting, "cmte_code") or committee
    identifier = _field(meeting, "identifier") or f"{code}:{when:%Y-%m-%dT%H:%M}"
    page = committee_element.get("url") if committee_element is not None else None
    return ParsedItem(
        guid=f"senate-hearing:{identifier}",
        title=matter if len(matter) <= 300 else matter[:299] + "…",
        url=page.strip() if page and page.strip().startswith("http") else _SCHEDULE_PAGE,
        summary_html=html.escape(" · ".join(p for p in parts if p), quote=False),
        published=when,
        author=committee,
        doc_type="hearing",
        dates=(meeting_date(matter, when, _timed(meeting), is_cancelled(matter)),),
    )


def _timed(meeting: ET.Element) -> bool:
    """Whether the schedule gives the meeting's time of day, not only its date."""
    iso = _field(meeting, "date_iso_8601") or ""
    return "T" in iso or ":" in (_field(meeting, "date") or "")


def _when(meeting: ET.Element) -> datetime | None:
    """The meeting's start in UTC: the ISO field if there is one, else the Eastern `date`."""
    iso = _field(meeting, "date_iso_8601")
    if iso:
        try:
            moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None:
            return _as_utc(moment)
    text = _field(meeting, "date")
    for pattern in ("%d-%b-%Y %I:%M %p", "%d-%b-%Y"):
        try:
            return _as_utc(datetime.strptime(text or "", pattern))
        except ValueError:
            continue
    return None


def _as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_EASTERN or UTC)
    return moment.astimezone(UTC)


def _field(meeting: ET.Element, name: str) -> str | None:
    found = meeting.find(name)
    if found is None:
        return None
    return " ".join("".join(found.itertext()).split()) or None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
