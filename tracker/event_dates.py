"""Acts a report dates: "the rule published September 28", "the proposal adopted
at the September 30 meeting", "the order issued Tuesday"'s calendar form. Pure.

A report that dates the act it discusses names it as surely as a number: an
analysis a day later that speaks of "the rule published September 28" is about
the rule the Federal Register printed that day, whatever else it calls it. The
date must be on or before the report's own day (a comment deadline is not the
act), and the official document or release of that day must be of the kind
the dating sentence names.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.events import EventItem

_MONTHS = "january february march april may june july august september october november december"
_DATE = re.compile(
    rf"\b({_MONTHS.replace(' ', '|')}|sept?\.?)\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(20\d\d))?",
    re.I,
)
# Nouns (by stem) that name an act; the dating sentence and the dated document share one.
_ACT_STEMS = (
    "rule", "order", "propos", "notice", "hearing", "meeting", "letter", "report", "bill",
    "directive", "complaint", "settle", "decision", "ruling", "vote", "markup", "guidance",
    "request", "inquiry", "agreement", "statement",
)  # fmt: skip
_SENTENCES = re.compile(r"[^.!?]+")
READ_CHARS = 1200


@lru_cache(maxsize=16384)
def dated_acts(item: EventItem) -> frozenset[tuple[date, str]]:
    """(day, act stem) for each act a report dates on or before its own day."""
    found = set()
    year, today = item.published.year, item.published.date()
    for sentence in _SENTENCES.findall(f"{item.title}. {item.text[:READ_CHARS]}"):
        lower = sentence.lower()
        stems = [s for s in _ACT_STEMS if s in lower]
        if not stems:
            continue
        for m in _DATE.finditer(sentence):
            month = _month(m.group(1))
            try:
                day = date(int(m.group(3) or year), month, int(m.group(2)))
            except ValueError:
                continue
            if day <= today:
                found |= {(day, s) for s in stems}
    return frozenset(found)


def dated_to(report: EventItem, document: EventItem) -> bool:
    """`report` dates an act of a kind `document` is, on the day `document` came out;
    `document` is an official document or a release, not another report's coverage."""
    if document.doc_type in ("news", "report") or report.id == document.id:
        return False
    acts = dated_acts(report)
    if not acts:
        return False
    day, named = document.published.date(), _named(document)
    return any(when == day and stem in named for when, stem in acts)


@lru_cache(maxsize=16384)
def _named(item: EventItem) -> str:
    return f"{item.title} {item.doc_type}".lower()


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    if name.startswith("sep"):
        return 9
    return _MONTHS.split().index(name) + 1
