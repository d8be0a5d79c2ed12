"""Numbers and days that people type, read one way by the site, the API, the
command line and the query language.

Python reads more than a person means: `int()` takes '١٢', '1_0' and a
30-digit number; `str.isdigit()` passes '²', which `int()` then refuses;
`date.fromisoformat` takes 9999-12-31, a day with no day after it. Each
place that read its own numbers and days then added a day, took an offset
or stored an id, and failed with a 500 or a traceback. Here a number is
ASCII digits within bounds, a day lies between FIRST_DAY and LAST_DAY, and
anything else is an `InputError` whose message says what to type instead.
"""

from __future__ import annotations

import re
from datetime import date

# Wide enough for any policy document, far enough from date.min and
# date.max that a day before or after, or a whole week or month, still exists.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
# Ids are INTEGER columns: 32 bits on PostgreSQL, so no id is larger.
MAX_ID = 2**31 - 1
# A page deeper than this is a crawler's, not a reader's; offsets stay small.
MAX_PAGE = 10_000
_DIGITS = re.compile(r"[0-9]+")
_SPAN = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_SHOWN = 40  # characters of a bad value repeated in a message


class InputError(ValueError):
    """A value that cannot be used; the message says what to type instead."""


def shown(raw: str) -> str:
    """A typed value as a message repeats it: quoted, and cut if long."""
    return repr(raw if len(raw) <= _SHOWN else raw[:_SHOWN] + "…")


def whole_number(raw: str, name: str, low: int, high: int) -> int:
    """`raw` as a whole number from `low` to `high` (ASCII digits only)."""
    text = raw.strip()
    if not _DIGITS.fullmatch(text):
        raise InputError(f"{name} must be a whole number from {low:,} to {high:,}, "
                         f"not {shown(raw)}.")  # fmt: skip
    # Past 18 digits no bound is near; int() of thousands of digits is slow.
    value = int(text) if len(text) <= 18 else None
    if value is None or not low <= value <= high:
        raise InputError(f"{name} must be between {low:,} and {high:,}, not {shown(text)}.")
    return value


def record_id(raw: str, name: str = "The number") -> int:
    """`raw` as the id of a stored record (an item, an event, a tag); '#42' is 42."""
    try:
        return whole_number(raw.strip().lstrip("#"), name, 1, MAX_ID)
    except InputError:
        raise InputError(f"{name} must be a whole number like 42, not {shown(raw)}.") from None


def day(raw: str, name: str) -> date:
    """`raw` as a day like 2026-06-10, between FIRST_DAY and LAST_DAY."""
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise InputError(f"{name} must be a date like 2026-06-10, not {shown(raw)}.") from None
    return within(value, name)


def within(value: date, name: str) -> date:
    """`value` if the tracker handles that day, else an `InputError`."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise InputError(f"{name} must be a day from {FIRST_DAY} to {LAST_DAY}, not {value}.")
    return value


def day_span(raw: str, name: str) -> tuple[date, date]:
    """The first and last day that a day, a month or a year means: 2026-06-10,
    2026-06 or 2026."""
    found = _SPAN.fullmatch(raw.strip())
    try:
        if found is None:
            raise ValueError(raw)
        year, month, number = (int(g) if g else None for g in found.groups())
        first = date(year, month or 1, number or 1)  # type: ignore[arg-type]
    except ValueError:
        raise InputError(f"{name} must be a date like 2026-04-01, 2026-04 or 2026, "
                         f"not {shown(raw)}.") from None  # fmt: skip
    within(first, name)
    if number:
        return first, first
    if month:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return first, date.fromordinal(following.toordinal() - 1)
    return first, date(first.year, 12, 31)
