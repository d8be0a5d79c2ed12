"""The `EventItem` a process last read of each stored item, for grouping's next batch.

A stored item is read again for every batch it is a neighbour of, as a new
object. Handing back the object read before, when every field is still equal,
keeps what was worked out of its text on it (`EventItem.act`,
`EventItem.conflicts`) and lets the grouping caches keyed on items find it by
identity instead of comparing every field. An item whose text, tags or links
changed compares unequal and is kept anew: nothing read of the old text is
handed back. Bounded by count, the least recently read dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from tracker.events import EventItem


class KeptItems:
    """Item id → the `EventItem` last read, at most `limit` of them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._items: OrderedDict[int, EventItem] = OrderedDict()
        self._lock = threading.Lock()  # a web process's threads refresh events too

    def __len__(self) -> int:
        return len(self._items)

    def __call__(self, item: EventItem) -> EventItem:
        """`item`, or the equal one read before (its date in the same zone, too:
        equal instants in two zones fall on different days)."""
        with self._lock:
            known = self._items.get(item.id)
            if (
                known is not None
                and known == item
                and known.published.utcoffset() == item.published.utcoffset()
            ):
                self._items.move_to_end(item.id)
                return known
            self._items[item.id] = item
            self._items.move_to_end(item.id)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
            return item

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
