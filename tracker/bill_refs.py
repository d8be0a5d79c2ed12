"""Bill numbers in text: "S. 1705", "H.R. 3447", "H.J.Res. 7". Pure."""

from __future__ import annotations

import re

from tracker.types import BILL_TYPE_LABELS

_BILL = re.compile(
    r"(?<![\w.])(?P<prefix>(?P<chamber>[HS])\.?\s?(?:(?:J|Con)\.?\s?)?(?:Res|R)?\.?)\s?"
    r"(?P<number>\d{1,5})(?!\w)",
    re.IGNORECASE,
)
_BILL_TYPES = {label.replace(".", "").upper(): key for key, label in BILL_TYPE_LABELS.items()}


def starts_with_bill(title: str) -> bool:
    """True when `title` opens with a bill number (\"H.R. 3447: Chip Security Act\")."""
    found = _BILL.match(title.strip())
    return bool(found and _bill_ref(found))


def find_bill_refs(text: str) -> list[tuple[str, int]]:
    """Bills cited in `text`, first mention first: ``"S. 1705 and H.R. 3447"`` →
    ``[("s", 1705), ("hr", 3447)]``. A bare "S" needs its period ("S 1705" is not a bill)."""
    found: list[tuple[str, int]] = []
    for match in _BILL.finditer(text):
        ref = _bill_ref(match)
        if ref and ref not in found:
            found.append(ref)
    return found


def _bill_ref(match: re.Match[str]) -> tuple[str, int] | None:
    prefix = match.group("prefix")
    key = re.sub(r"[.\s]", "", prefix).upper()
    if not match.group("chamber").isupper() or key not in _BILL_TYPES:
        return None
    if key == "S" and "." not in prefix:
        return None
    number = int(match.group("number"))
    return (_BILL_TYPES[key], number) if number > 0 else None
