"""A least-recently-used map bounded in bytes as well as in entries.

A cache bounded by its number of entries is only bounded if each entry is:
a listing's daily counts hold one entry per day and document type (five
years of a busy filter are tens of thousands of them, megabytes), and a
crawler following facet links asks for a new filter on every request. So
each value is measured when it is stored (`approximate_size`) and the
oldest entries go until the total fits.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

_CONTAINERS = (dict, list, tuple, set, frozenset)
SAMPLE = 256


def approximate_size(value: object) -> int:
    """Bytes held by `value` and what it contains (containers and dataclasses).

    Shared objects are counted once per value; other objects are counted
    without what they refer to, so an ORM row does not count its session. A
    container of more than `SAMPLE` entries is measured on `SAMPLE` of them,
    spread over it: a listing's daily counts are measured in a millisecond.
    """
    seen: set[int] = set()
    stack: list[tuple[object, float]] = [(value, 1.0)]
    total = 0.0
    while stack:
        obj, weight = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj) * weight
        inside: list[Any] = []
        if isinstance(obj, _CONTAINERS):
            inside = list(obj)  # a dict's keys
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            inside = [getattr(obj, f.name) for f in dataclasses.fields(obj)]
            if hasattr(obj, "__dict__"):
                total += sys.getsizeof(obj.__dict__) * weight
        if len(inside) > SAMPLE:
            step = len(inside) / SAMPLE
            weight *= step
            inside = [inside[int(i * step)] for i in range(SAMPLE)]
        if isinstance(obj, dict):
            inside += [obj[key] for key in inside]
        stack.extend((child, weight) for child in inside)
    return int(total)


class BoundedLru:
    """Key → value, the least recently used dropped beyond `entries` or `max_bytes`.

    A value bigger than `largest` (a quarter of `max_bytes` unless given) is not
    kept at all: it would push out most of what is there. Not thread-safe:
    callers hold a lock.
    """

    def __init__(self, entries: int, max_bytes: int, largest: int | None = None) -> None:
        self.entries, self.max_bytes = entries, max_bytes
        self.largest = max_bytes // 4 if largest is None else largest
        self._items: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._items

    def get(self, key: Hashable) -> Any:
        """The value for `key` (now the most recently used), or None."""
        found = self._items.get(key)
        if found is None:
            return None
        self._items.move_to_end(key)
        return found[0]

    def put(self, key: Hashable, value: Any) -> bool:
        """Keep `value` for `key`; False when it is too big to keep."""
        self.pop(key)
        size = approximate_size(key) + approximate_size(value)
        if size > self.largest:
            return False
        self._items[key] = (value, size)
        self.bytes += size
        while len(self._items) > self.entries or self.bytes > self.max_bytes:
            _key, (_value, dropped) = self._items.popitem(last=False)
            self.bytes -= dropped
        return True

    def pop(self, key: Hashable) -> None:
        found = self._items.pop(key, None)
        if found is not None:
            self.bytes -= found[1]

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0
