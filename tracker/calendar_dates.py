"""Dates for the calendar, read from what an item states: pure functions, no I/O.

Where a date comes from, most trusted first:

* a format's own fields (`StatedDate`s a parser filled in): the Senate
  schedule's meeting time, a congress.gov meeting's date and status, the
  Federal Register's `comments_close_on` and `effective_on`;
* an item a hearing schedule delivered (its publication time is the meeting's);
* a bill's actions: "Ordered to be Reported", "Committee Consideration and
  Mark-up Session Held" (a markup), "Hearings Held" (a hearing), all-day;
* the prose of a Federal Register document ("Comments must be received on or
  before February 2, 2024", "This rule is effective March 1, 2024");
* in a bill that became law, "not later than 180 days after the date of
  enactment", counted from the day it became law.

Nothing is guessed: a sentence without a full date (month, day and year)
gives nothing.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.types import StatedDate

try:  # Congress meets on Eastern time: a 7 p.m. hearing is on its Eastern day.
    EASTERN: ZoneInfo | None = ZoneInfo("America/New_York")
except ZoneInfoNotFoundError:
    EASTERN = None

KINDS: tuple[str, ...] = ("hearing", "markup", "comments-close", "effective", "deadline")
KIND_LABELS: dict[str, str] = {
    "hearing": "Hearing",
    "markup": "Markup",
    "comments-close": "Comments close",
    "effective": "Takes effect",
    "deadline": "Deadline",
}

_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DATE = _WEEKDAY + r"([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+(\d{4})"
_DATE_RE = re.compile(_DATE)
# A sentence ends at a full stop after a small letter or digit, not inside
# "U.S." or after "p.m." ("11:59 p.m. MT on January 30, 2024").
_SENTENCE = re.compile(r"(?<=[a-z0-9)][.;!?])(?<![ap]\.m\.)\s+(?=[A-Z(])")
_COMMENT = re.compile(r"\bcomments?\b", re.IGNORECASE)
_BY = re.compile(
    r"\b(?:on or before|no later than|not later than|received by|submitted by|due(?: on| by)?:?|"
    r"postmarked by|by)\b",
    re.IGNORECASE,
)
_EFFECTIVE = re.compile(
    r"\beffective(?:\s+date\b.{0,80}?\bis|(?:\W+\w+){0,5}?)\W+" + _DATE, re.IGNORECASE
)
_CANCELLED = re.compile(r"\b(?:cancell?ed|postponed)\b", re.IGNORECASE)
_MARKUP_TITLE = re.compile(r"\bmark-?up\b|\bbusiness meeting\b|\bexecutive session\b", re.I)
_MARKUP_ACTION = re.compile(
    r"\bmark-?up session held\b|\bordered to be reported\b|\bconsideration and mark-?up\b", re.I
)
_HEARING_ACTION = re.compile(r"\bhearings? held\b", re.IGNORECASE)
_NUMBERS = {"thirty": 30, "sixty": 60, "ninety": 90, "one": 1, "two": 2, "three": 3,
            "four": 4, "five": 5, "six": 6, "twelve": 12, "eighteen": 18}  # fmt: skip
_AFTER_ENACTMENT = re.compile(
    r"\b(?:not later than|within)\s+(\d{1,4}|" + "|".join(_NUMBERS) + r")\s+(days?|months?|years?)"
    r"\s+after\s+the\s+date\s+of\s+(?:the\s+)?enactment\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateSource:
    """What one stored (or arriving) item says that dates can come from."""

    guid: str
    title: str
    text: str
    doc_type: str
    published: datetime
    stated: tuple[StatedDate, ...] = ()
    bill_key: str | None = None
    sample: bool = False
    bill_actions: tuple[tuple[date, str], ...] = ()  # the bill's, on its record item only
    law_day: date | None = None  # the day the item's bill became law, if it did
    updated: datetime | None = None


@dataclass(frozen=True)
class CalendarDate:
    """One calendar entry an item gives: `key` names it among all entries, stably."""

    key: str
    kind: str
    day: date
    at: datetime | None
    cancelled: bool
    summary: str


def parse_day(text: str) -> date | None:
    """The first full written date in `text` ("February 2, 2024"), or None."""
    found = _DATE_RE.search(text)
    return _to_day(found) if found else None


def comment_deadline(text: str) -> date | None:
    """The day comments close, from a sentence that asks for comments by a date.

    The latest date after the first "on or before" / "no later than" / "by"
    that follows the word "comments", in the first such sentence (a
    registration deadline "..., including requests to make comments" is none).
    "Comments are due on or before February 13, 2024, and reply comments ...
    on or before February 28, 2024" closes on the 28th.
    """
    for sentence in _sentences(text):
        asked = _COMMENT.search(sentence)
        if not asked:
            continue
        trigger = _BY.search(sentence, asked.end())
        if trigger is None:
            continue
        days = [d for m in _DATE_RE.finditer(sentence, trigger.start()) if (d := _to_day(m))]
        if days:
            return max(days)
    return None


def effective_day(text: str) -> date | None:
    """The day a rule takes effect: "This rule is effective March 1, 2024" and the like."""
    for sentence in _sentences(text):
        found = _EFFECTIVE.search(sentence)
        if found:
            month, day, year = found.group(1), found.group(2), found.group(3)
            result = _day_of(month, day, year)
            if result:
                return result
    return None


def text_dates(text: str) -> tuple[StatedDate, ...]:
    """Comment deadline and effective date written in a Federal Register document's prose."""
    found = []
    closes = comment_deadline(text)
    if closes:
        found.append(StatedDate("comments-close", closes))
    effective = effective_day(text)
    if effective:
        found.append(StatedDate("effective", effective))
    return tuple(found)


def eastern_day(moment: datetime) -> date:
    """The calendar day of a Congressional meeting time (UTC without time zone data)."""
    return moment.astimezone(EASTERN or UTC).date()


def is_cancelled(text: str) -> bool:
    """A schedule's words for a meeting that will not happen when listed."""
    return bool(_CANCELLED.search(text))


def meeting_date(title: str, when: datetime, timed: bool, cancelled: bool) -> StatedDate:
    """A committee meeting's date: a markup or a hearing, timed or all-day."""
    return StatedDate(meeting_kind(title), eastern_day(when), when if timed else None, cancelled)


def meeting_kind(title: str) -> str:
    """A committee meeting is a markup when its title says so, else a hearing."""
    return "markup" if _MARKUP_TITLE.search(title) else "hearing"


def action_kind(text: str) -> str | None:
    """The calendar kind of a bill action's text, or None for an action that is no meeting."""
    if _MARKUP_ACTION.search(text):
        return "markup"
    if _HEARING_ACTION.search(text):
        return "hearing"
    return None


def enactment_deadlines(text: str, law_day: date) -> list[tuple[str, date]]:
    """("180 days after enactment", day) for each deadline counted from enactment."""
    found: dict[date, str] = {}
    for match in _AFTER_ENACTMENT.finditer(text):
        raw, unit = match.group(1).lower(), match.group(2).lower().rstrip("s")
        count = int(raw) if raw.isdigit() else _NUMBERS[raw]
        day = _add(law_day, count, unit)
        if day is not None:
            found.setdefault(day, f"{count} {unit}{'s' if count != 1 else ''} after enactment")
    return [(phrase, day) for day, phrase in sorted(found.items())]


def item_dates(source: DateSource) -> list[CalendarDate]:
    """Every calendar entry one item gives, in a stable order."""
    out: list[CalendarDate] = []
    stated = source.stated or _implied(source)
    counts: dict[str, int] = {}
    for stated_date in stated:
        n = counts.get(stated_date.kind, 0)
        counts[stated_date.kind] = n + 1
        bill_action = (
            source.bill_key
            and stated_date.kind in ("hearing", "markup")
            and (source.doc_type == "bill")
        )
        key = (
            _bill_key(source, stated_date.kind, stated_date.day)
            if bill_action
            else f"item:{stated_date.kind}" + (f"-{n}" if n else "")
        )
        out.append(
            CalendarDate(
                key=key,
                kind=stated_date.kind,
                day=stated_date.day,
                at=stated_date.at,
                cancelled=stated_date.cancelled,
                summary=_summary(stated_date.kind, source.title),
            )
        )
    out += _action_dates(source)
    if source.law_day is not None:
        for phrase, day in enactment_deadlines(source.text, source.law_day):
            summary = f"Deadline ({phrase}): {source.title}"
            key = f"item:deadline-{day.isoformat()}"
            out.append(CalendarDate(key, "deadline", day, None, False, summary))
    return _unique(out)


def _implied(source: DateSource) -> tuple[StatedDate, ...]:
    """Dates an item gives without a format stating them: its schedule time, its prose."""
    if _schedule_time(source):
        # Stored before the schedules stated their dates: the publication time
        # is the meeting's start (a date-only meeting starts at midnight Eastern).
        moment = source.published.astimezone(UTC)
        local = moment.astimezone(EASTERN or UTC)
        timed = (local.hour, local.minute) != (0, 0)
        cancelled = is_cancelled(f"{source.title} {source.text}")
        return (meeting_date(source.title, moment, timed, cancelled),)
    if source.guid.startswith("congress-api:action:") and source.bill_key:
        kind = action_kind(source.title)
        return (StatedDate(kind, source.published.date()),) if kind else ()
    if source.doc_type in ("rule", "notice") or source.guid.startswith("fr:"):
        return text_dates(source.text)
    return ()


def _schedule_time(source: DateSource) -> bool:
    """Whether the item's publication time is a meeting's start.

    A Senate schedule item's always is. A congress.gov meeting's is when the
    API gave a date (its parser then keeps `updateDate` as the update time);
    without one the publication time is only the record's update time.
    """
    if source.guid.startswith("senate-hearing:"):
        return True
    return source.guid.startswith("congress-api:meeting:") and source.updated is not None


def _action_dates(source: DateSource) -> list[CalendarDate]:
    out = []
    for day, text in source.bill_actions:
        kind = action_kind(text)
        if kind is None:
            continue
        label = text.rstrip(".")
        out.append(CalendarDate(_bill_key(source, kind, day), kind, day, None, False,
                                f"{KIND_LABELS[kind]}: {source.title} — {label}"))  # fmt: skip
    return out


def _bill_key(source: DateSource, kind: str, day: date) -> str:
    """One key per bill, kind and day: the bill's record and its action items share it."""
    return f"bill:{source.bill_key}{':demo' if source.sample else ''}:{kind}:{day.isoformat()}"


def _summary(kind: str, title: str) -> str:
    return f"{KIND_LABELS[kind]}: {title}"


def _unique(dates: Iterable[CalendarDate]) -> list[CalendarDate]:
    seen: dict[str, CalendarDate] = {}
    for entry in dates:
        seen.setdefault(entry.key, entry)
    return list(seen.values())


def _sentences(text: str) -> Sequence[str]:
    return _SENTENCE.split(" ".join(text.split()))


def _to_day(match: re.Match[str]) -> date | None:
    return _day_of(match.group(1), match.group(2), match.group(3))


def _day_of(month: str, day: str, year: str) -> date | None:
    number = _MONTHS.get(month.lower().rstrip("."))
    if number is None:
        return None
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _add(day: date, count: int, unit: str) -> date | None:
    try:
        if unit == "day":
            return day + timedelta(days=count)
        months = count * (12 if unit == "year" else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year += day.year
        last = calendar.monthrange(year, month + 1)[1]
        return date(year, month + 1, min(day.day, last))
    except (OverflowError, ValueError):
        return None
