"""Blocking keys: which earlier reports an arriving report is worth comparing with. Pure.

Scoring an arriving report against every report of the last days costs more
the busier the news is. Instead each report is filed under a few keys (the
identifiers it gives, who acted and how, its entities, its title's words and
word pairs), and an arriving report is compared only with reports that share
one of its keys. Keys that too many reports share (an entity on a busy week,
"chips") are skipped, and only the best-sharing reports are kept, so the work
per report stays the same from 50 to 5,000 reports a day.

Stored keys come from the title; looked-up keys also take the opening of the
text, where coverage names the document or quotes the title it reports.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from datetime import datetime
from functools import lru_cache
from itertools import pairwise

from tracker import event_filings, event_links, event_names
from tracker import event_hearings as event_people
from tracker.event_words import tokens
from tracker.events import ACT_WINDOW, PRINT_WINDOW, EventItem, act, reach

# Content words of the text read for lookup keys: the lede, not the whole story.
LEDE_WORDS = 40
LEDE_CHARS = 600  # enough text for LEDE_WORDS content words; a long story is not read
# A key filed under more reports than this in the window says nothing about sameness.
MAX_POSTINGS = 60
# Reports kept per arriving report, best-sharing first; their events are scored.
CANDIDATES = 10
# Events scored per arriving report: those of its best-sharing reports, best first.
EVENTS = 5
# Keys by how much a shared one says; an identifier names the act outright.
_WEIGHTS = {"id": 4.0, "k": 2.0, "p": 1.5, "w": 1.0, "e": 0.5}


# A batch asks for one report's keys several times (to look its neighbours up,
# to file it, to index it in memory), as `act` does: both are cached.
@lru_cache(maxsize=16384)
def stored_keys(item: EventItem) -> frozenset[str]:
    """The keys a report is filed under (identifiers, acts, entities, title words)."""
    found = act(item)
    title = tokens(item.title)
    keys = {f"id:{i}" for i in found.identifiers}
    keys |= {f"e:{slug}" for slug in item.entities}
    keys |= {f"k:{kind}:{who}" for kind in found.kinds for who in event_names.named_actors(item)}
    keys |= {f"w:{word}" for word in title}
    keys |= {f"p:{a} {b}" for a, b in pairwise(title)}
    # A hearing's witnesses and a bill's sponsor: coverage headlines them, not the title.
    keys |= {f"w:{word}" for name in event_people.named(item) for word in tokens(name)}
    # A docket entry's court: coverage of a ruling names its state or circuit.
    keys |= {f"w:{word}" for name in event_filings.court_names(item.title) for word in tokens(name)}
    return frozenset(keys | event_links.keys(item))


@lru_cache(maxsize=16384)
def lookup_keys(item: EventItem) -> frozenset[str]:
    """The keys to look a report's neighbours up by: its own, and its lede's words."""
    lede = tokens(item.text[:LEDE_CHARS])[:LEDE_WORDS]
    extra = {f"w:{word}" for word in lede} | {f"p:{a} {b}" for a, b in pairwise(lede)}
    return stored_keys(item) | extra


def weight(key: str, postings: int, total: int) -> float:
    """What sharing `key` says: its kind's weight, less the more reports share it."""
    return _kind_weight(key.split(":", 1)[0], postings, total)


@lru_cache(maxsize=65536)
def _kind_weight(kind: str, postings: int, total: int) -> float:
    # A batch weighs the same kind at the same counts thousands of times.
    return _WEIGHTS[kind] * math.log(1 + total / max(postings, 1))


def rank(
    keys: Iterable[str], postings: Mapping[str, Collection[int]], total: int, exclude: int = -1
) -> list[int]:
    """Report ids sharing `keys`, best-sharing first, at most `CANDIDATES`."""
    score: dict[int, float] = {}
    get = score.get
    # Summed in one order whatever the hash seed: floats summed in another
    # order can differ in the last bit, and a tie would then break otherwise.
    for key in sorted(keys):
        ids = postings.get(key)
        if not ids or len(ids) > MAX_POSTINGS:
            continue
        value = _kind_weight(key.split(":", 1)[0], len(ids), total)
        for other in ids:
            score[other] = get(other, 0.0) + value
    score.pop(exclude, None)  # summed with the rest, dropped at the end: the same sums
    if len(score) > CANDIDATES:
        # Only reports scoring at least the CANDIDATES-th best can be among the best.
        cut = sorted(score.values(), reverse=True)[CANDIDATES - 1]
        score = {i: value for i, value in score.items() if value >= cut}
    return sorted(score, key=lambda i: (-score[i], i))[:CANDIDATES]


class BlockingIndex:
    """Reports in memory by key; gives an arriving report the events worth scoring.

    Only reports within `ACT_WINDOW` of the arriving one count (`PRINT_WINDOW`
    before a Register printing, `events.reach`), as in the store,
    whose index rows are read for a window. Each key's reports are kept in
    date order, so the window is found by bisection: a batch's stored
    neighbours span all its dates (months, for a backlog), and filtering each
    key's list per arriving report cost more the denser the store. Reports
    arrive in time order, so those older than `PRINT_WINDOW` before the
    arriving one are dropped from the front of each key's list.
    """

    def __init__(self) -> None:
        # Per key, the dates of its reports in order, and their ids in the same order.
        self.dates: dict[str, list[datetime]] = defaultdict(list)
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.event_of: dict[int, int] = {}

    def add(self, item: EventItem, event_id: int, keys: Iterable[str] | None = None) -> None:
        self.event_of[item.id] = event_id
        when = item.published
        for key in stored_keys(item) if keys is None else keys:
            dates, ids = self.dates[key], self.postings[key]
            if not dates or dates[-1] <= when:
                dates.append(when)  # the usual case: reports come in time order
                ids.append(item.id)
            else:
                at = bisect_right(dates, when)
                dates.insert(at, when)
                ids.insert(at, item.id)

    def move(self, item_id: int, event_id: int) -> None:
        self.event_of[item_id] = event_id

    def events_for(self, item: EventItem) -> list[int]:
        """Events of the best-sharing reports, in order of first appearance."""
        low, high = item.published - reach(item), item.published + ACT_WINDOW
        kept = item.published - PRINT_WINDOW  # a later Register printing may still look back
        near: dict[str, Collection[int]] = {}
        for key in lookup_keys(item):
            dates = self.dates.get(key)
            if not dates:
                continue
            ids = self.postings[key]
            if dates[0] < kept:
                cut = bisect_left(dates, kept)
                del dates[:cut], ids[:cut]
            start = 0 if not dates or dates[0] >= low else bisect_left(dates, low)
            end = len(dates) if not dates or dates[-1] <= high else bisect_right(dates, high)
            if start < end:
                near[key] = ids if start == 0 and end == len(ids) else ids[start:end]
        ranked = rank(near, near, max(len(self.event_of), 1), item.id)
        return list(dict.fromkeys(self.event_of[i] for i in ranked))[:EVENTS]
