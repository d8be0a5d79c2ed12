"""Who a congressional record names: a hearing's witnesses, a bill's sponsor. Pure.

A hearing is named by its committee, its day and its witnesses. Coverage of a
hearing often names none of the first two in its headline ("Ashby at HFAC: 'No
pause' on ...") but leads with the witness, so a report published on the day
a notice names, or the next two, that writes a listed witness's surname in its
headline or first sentence reports that hearing. Likewise a bill is introduced
by its sponsor: a headline that leads with the sponsor's surname and says they
introduced a bill, within days of the bill's record, reports that bill.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.events import EventItem

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


# "Sponsor: Rep. Castellano, Priya [D-CA-17]", "Sponsor: Sen. Harlan Doyle [R-MS]"
_SPONSOR = re.compile(r"\bSponsor:\s*(?:Rep\.|Sen\.|Del\.)\s*([A-Z][\w'’ -]{1,40}?)\s*(?:,|\[)")
# The sponsor leads the headline: "Castellano Introduces ...", "Sen. Falk unveils ...".
LEAD_WORDS = 4


@lru_cache(maxsize=4096)
def sponsor(text: str) -> str | None:
    """The surname of the sponsor a bill's record names."""
    found = _SPONSOR.search(text)
    if not found:
        return None
    name = found.group(1).strip()
    after_comma = found.group(0).rstrip().endswith(",")
    return name.split()[0] if after_comma else name.split()[-1]


def leads(name: str, title: str) -> bool:
    """`name` is among the first words of a headline: the one who acted."""
    return name in re.findall(r"[\w'’-]+", title)[:LEAD_WORDS]


def named(item: EventItem) -> frozenset[str]:
    """The people a hearing notice or a bill's record names (witnesses, sponsor)."""
    if item.doc_type == "hearing":
        return witnesses(item.text)
    if item.doc_type == "bill":
        found = sponsor(item.text)
        return frozenset({found}) if found else frozenset()
    return frozenset()
