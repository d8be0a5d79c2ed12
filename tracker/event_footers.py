"""Footers two reports share: a sentence both end with that says nothing of the act.

Feeds end their summaries with a line of their own ("The post appeared first
on ...", "Summarised for ... from the public record; not fetched live."). Two
reports of two different acts that end with the same such line share its
words, and word overlap alone once joined two unrelated illustrative items of
the demo. A shared ending of at most `FOOTER_MAX` characters, starting at a
sentence, is left out of the comparison; a longer one is shared copy (a
syndicated story) and is kept. Pure.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.events import EventItem

FOOTER_MIN = 30
FOOTER_MAX = 300


def _shared_ending(a: str, b: str) -> int:
    """Length of the common ending of `a` and `b`, cut back to a sentence start."""
    n = 0
    limit = min(len(a), len(b))
    while n < limit and a[-1 - n] == b[-1 - n]:
        n += 1
    if n == limit:
        return 0  # one text ends the other: not a footer
    ending = a[len(a) - n :]
    before = a[len(a) - n - 1] if n < len(a) else ""
    if before in ".!?" and ending.startswith(" "):
        return n
    start = ending.find(". ")
    return n - start - 2 if start >= 0 else 0


@lru_cache(maxsize=8192)
def without_shared_footer(a: EventItem, b: EventItem) -> tuple[EventItem, EventItem]:
    """`a` and `b` with the footer they share left out of their texts."""
    n = _shared_ending(a.text, b.text)
    if n < FOOTER_MIN or n > FOOTER_MAX:
        return a, b
    return (
        replace(a, text=a.text[: len(a.text) - n].rstrip()),
        replace(b, text=b.text[: len(b.text) - n].rstrip()),
    )
