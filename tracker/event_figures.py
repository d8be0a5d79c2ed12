"""The figures a report gives: sums of money, shares, quantities with their unit. Pure.

Coverage of one act repeats its figures ("$28 billion", "2.4 gigawatts", "a
25% tariff", "a 180-day shot clock", "300 more agents") in whatever words it
tells the rest; two acts the same week seldom share one. A figure is read in
one form whichever way it is written ("$4.2 million", "$4.2M", "4.2 million
dollars" is not read), and a bare count of one digit ("2%", "3 firms") is too
common to say which act it is, unless it is a sum of money.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.events import EventItem

_SCALE = {"thousand": "k", "million": "m", "mn": "m", "m": "m", "billion": "b", "bn": "b",
          "b": "b", "trillion": "t"}  # fmt: skip
_MONEY = re.compile(
    r"\$\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(thousand|million|billion|trillion|mn|bn|m|b)\b)?", re.I
)
_SHARE = re.compile(r"\b(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.I)
# One unit however written: a list's "14 entities" are the wire's "14 firms".
_UNITS = {
    "gigawatt": "gw", "gigawatts": "gw", "megawatt": "mw", "megawatts": "mw",
    "firm": "entity", "firms": "entity", "companies": "entity", "entities": "entity",
}  # fmt: skip
_QUANTITY = re.compile(
    r"\b(\d[\d,]*(?:\.\d+)?)[- ]?(?:more |additional |new )?"
    r"(gigawatts?|megawatts?|gw|mw|days?|hours?|years?|months?|firms|companies|entities|"
    r"agents|people|individuals|sites|countries|models|employees|jobs|chips|servers)\b",
    re.I,
)


def _figures(text: str) -> frozenset[str]:
    found = set()
    for m in _MONEY.finditer(text):
        value = float(m.group(1).replace(",", ""))
        found.add(f"${value:g}{_SCALE.get((m.group(2) or '').lower(), '')}")
    for m in _SHARE.finditer(text):
        if _specific(m.group(1)):
            found.add(f"{float(m.group(1)):g}%")
    for m in _QUANTITY.finditer(text):
        if _specific(m.group(1)):
            unit = m.group(2).lower()
            unit = _UNITS.get(unit, unit.removesuffix("s"))
            found.add(f"{float(m.group(1).replace(',', '')):g} {unit}")
    return frozenset(found)


def _specific(number: str) -> bool:
    """Two digits or more ("25", "4.2"): "2%" or "3 firms" says little."""
    return sum(c.isdigit() for c in number) >= 2


@lru_cache(maxsize=16384)
def figures(item: EventItem) -> frozenset[str]:
    """The figures the report's title and text give, in one written form each."""
    return _figures(f"{item.title}\n{item.text}")


def shared_figure(a: EventItem, b: EventItem) -> bool:
    """Both reports give one figure: "$28 billion" and "$28bn", "25%" and "25 percent"."""
    return not figures(a).isdisjoint(figures(b))
