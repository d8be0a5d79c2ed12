"""Fields of a BILLSTATUS `<bill>`: its people, its related bills and its text.

Shared by `billstatus` and pure: elements in, values out. Every layout of the
user guide is read (schema 3.x, the older bulk layouts).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from tracker.types import BILL_TYPE_LABELS, Cosponsor, RelatedBill, Sponsor, TextVersion

# "Rep. Smith, Jason [R-MO-8]": older layouts carry party and state only here.
_PARTY_STATE = re.compile(r"\[([A-Z]{1,3})-([A-Z]{2})(?:-[\w-]+)?\]\s*$")


def text(element: ET.Element, path: str, limit: int = 300) -> str | None:
    """The element's text at `path` on one line, cut to `limit` characters (the
    stored field's size), or None when empty."""
    found = element.find(path)
    if found is None or found.text is None:
        return None
    value = " ".join(found.text[: limit * 4].split())
    return (value if len(value) <= limit else value[: limit - 1] + "…") or None


def day(value: str | None) -> date | None:
    """``2021-04-13`` or ``2021-04-13T04:00:00Z`` as a date, or None."""
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def bill_type_of(value: str | None) -> str | None:
    """``HR``, ``H.R.``, ``H``, ``S.J.Res.`` → ``hr``, ``hr``, ``hr``, ``sjres``; else None."""
    raw = (value or "").replace(".", "").replace(" ", "").lower()
    bill_type = "hr" if raw == "h" else raw
    return bill_type if bill_type in BILL_TYPE_LABELS else None


def sponsor(bill: ET.Element) -> Sponsor | None:
    """The bill's first sponsor."""
    item = bill.find("sponsors/item")
    person = _person(item) if item is not None else None
    return Sponsor(*person) if person else None


def cosponsors(bill: ET.Element) -> tuple[Cosponsor, ...]:
    """The bill's own cosponsors (not its amendments'), in the file's order."""
    found = []
    for item in bill.findall("cosponsors/item"):
        person = _person(item)
        if person is None:
            continue
        found.append(
            Cosponsor(
                *person,
                since=day(text(item, "sponsorshipDate")),
                original=(text(item, "isOriginalCosponsor") or "").lower() == "true",
                withdrawn=day(text(item, "sponsorshipWithdrawnDate")),
            )
        )
    return tuple(found)


def _person(item: ET.Element) -> tuple[str, str | None, str | None, str | None] | None:
    parts = (text(item, "firstName"), text(item, "middleName"), text(item, "lastName"))
    full_name = text(item, "fullName") or " ".join(p for p in parts if p)
    if not full_name:
        return None
    match = _PARTY_STATE.search(full_name)
    return (
        full_name,
        text(item, "bioguideId") or text(item, "identifiers/bioguideId"),
        text(item, "party", 10) or (match.group(1) if match else None),
        text(item, "state", 10) or (match.group(2) if match else None),
    )


def related_bills(bill: ET.Element, congress: int) -> tuple[RelatedBill, ...]:
    """Bills related to this one, each once, with every relationship and who found it."""
    found: dict[str, RelatedBill] = {}
    for item in bill.findall("relatedBills/item"):
        bill_type = bill_type_of(text(item, "type"))
        number = text(item, "number") or ""
        if bill_type is None or not number.isdigit():
            continue  # a relation to something this tracker cannot name is left out
        kinds: dict[str, None] = {}
        for detail in item.findall("relationshipDetails/item"):
            kind, by = text(detail, "type"), text(detail, "identifiedBy")
            if kind:
                kinds.setdefault(f"{kind} ({by})" if by else kind, None)
        related = RelatedBill(
            congress=int(text(item, "congress") or congress),
            bill_type=bill_type,
            number=int(number),
            title=text(item, "title", 5000) or text(item, "latestTitle", 5000),
            relationships=tuple(kinds),
            latest_action_date=day(text(item, "latestAction/actionDate")),
            latest_action_text=text(item, "latestAction/text"),
        )
        found.setdefault(related.key, related)
    return tuple(found.values())


def text_versions(bill: ET.Element) -> tuple[TextVersion, ...]:
    """Every text version the file lists, oldest first, each with its day and address.

    Files list the newest first; a version with no date (an enrolled bill not
    yet printed) is the newest of all and goes last. The address is the first
    https one of its formats, or None.
    """
    dated: list[TextVersion] = []
    undated: list[TextVersion] = []
    for item in reversed(bill.findall("textVersions/item")):
        name = text(item, "type")
        if not name:
            continue
        urls = [u for f in item.findall("formats/item")
                if (u := text(f, "url", 2000)) and u.startswith("https://")]  # fmt: skip
        version = TextVersion(name, day(text(item, "date")), urls[0] if urls else None)
        (dated if version.day else undated).append(version)
    dated.sort(key=lambda v: v.day or date.min)  # stable: the file's order within a day
    return (*dated, *undated)


def text_url(bill: ET.Element) -> str | None:
    """The govinfo address of the bill's latest text version, if the file lists one."""
    versions = []
    for index, item in enumerate(bill.findall("textVersions/item")):
        url = text(item, "formats/item/url")
        if url and url.startswith("https://"):
            versions.append((text(item, "date") or "", -index, url))
    # Files list the newest version first; a version with no date (an enrolled
    # bill not yet printed) is the newest of all.
    undated = [v for v in versions if not v[0]]
    ranked = undated or sorted(versions, reverse=True)
    return ranked[0][2] if ranked else None
