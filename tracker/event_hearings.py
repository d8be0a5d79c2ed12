"""Who a hearing hears: the witnesses a committee's notice lists. Pure.

A hearing is named by its committee, its day and its witnesses. Coverage of a
hearing often names none of the first two in its headline ("Ashby at HFAC: 'No
pause' on ...") but leads with the witness, so a report published on the day
a notice names, or the next two, that writes a listed witness's surname in its
headline or first sentence reports that hearing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache

# "Witnesses: Mr. Dev Raman, Chief Executive Officer, Norrick Cloud; Dr. Felix Omondi, ..."
_LIST = re.compile(r"\b(?:Witness(?:es)?|Nominees?)\s*:\s*([^\n]{3,600})")
# One listed person: an honorific, then two or three capitalised names.
_PERSON = re.compile(
    r"^\s*(?:and\s+)?(?:The Honorable|Hon\.|Mr\.|Ms\.|Mrs\.|Dr\.|Prof\.|Professor)\s+"
    r"((?:[A-Z][\w'’-]+\.?\s+){1,2}([A-Z][\w'’-]+))\s*(?:,|$)"
)
# Coverage follows a hearing within days; a witness named later is in another story.
AFTER = timedelta(days=2)


@lru_cache(maxsize=4096)
def witnesses(text: str) -> frozenset[str]:
    """The surnames of the witnesses (or nominees) a hearing notice lists."""
    found = _LIST.search(text)
    if not found:
        return frozenset()
    names = set()
    for part in found.group(1).split(";"):
        person = _PERSON.match(part)
        if person:
            names.add(person.group(2))
    return frozenset(names)


def heard(held: datetime, names: frozenset[str], published: datetime, head: str) -> bool:
    """A report published on the hearing's day or within `AFTER` of it whose headline
    or lede (`head`) writes one of its witnesses' surnames."""
    if not names or not held.date() <= published.date() <= (held + AFTER).date():
        return False
    return any(re.search(rf"\b{re.escape(name)}\b", head) for name in names)
