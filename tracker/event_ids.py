"""Identifiers that name an act: document, docket, RIN, bill and order numbers, and
bills' short titles. Pure.

Each is typed ("fr:2027-18290", "docket:27-181",
"bill:hr5512", "act:safe companions act"), so two reports can be compared
kind by kind: one shared says one act, two of one kind that differ say two.
"""

from __future__ import annotations

import re

from tracker.bill_refs import find_bill_refs

# Typed identifiers, each a pattern whose first group is the value, and whether
# every match has a digit beside a hyphen ("2027-18290", "NSPM-7", "M-25-21"):
# those run only on a text that has one (`_DASHED`), since a search from every
# word boundary of a long text cost more than the rest of reading its identifiers.
_IDENTIFIERS: tuple[tuple[str, re.Pattern[str], bool], ...] = (
    ("fr", re.compile(r"(?<![\w-])(20\d\d-\d{5})(?![\w-])"), True),
    ("rin", re.compile(r"\b(\d{4}-[A-Z]{2}\d{2})\b"), True),
    ("docket", re.compile(r"\b([A-Z]{2,6}-20\d\d-\d{4}|\d{6}-\d{4})\b"), True),
    # A commission's own docket form: "GN Docket No. 27-181", "Docket No. RM26-4-000".
    ("docket", re.compile(r"\bDocket No\.\s*([A-Z]{0,3}\d{2,4}-\d{1,5}(?:-\d{3})?)\b"), False),
    ("eo", re.compile(r"Executive Order (?:No\. )?(1\d{4})\b"), False),
    ("proc", re.compile(r"Proclamation (?:No\. )?(\d{4,5})\b"), False),
    ("gao", re.compile(r"\bGAO-(\d\d-\d{5,6})\b"), False),
    ("ftc-file", re.compile(r"File No\. (\d{3} ?\d{4})\b"), False),
    ("memo", re.compile(r"\b((?:NSTM|NSPM|NSM|PPD|NSPD)-\d{1,3}|M-\d\d-\d\d)\b"), True),
)
_DASHED = re.compile(r"\d-|-\d")
# What `tracker.bill_refs` needs before a bill's number: H or S, then at most
# twelve of the dots, spaces and letters of "J.", "Con." and "Res.".
_BILL_GATE = re.compile(r"[hs][.\sjconres]{0,12}\d", re.I)
# congress.gov and govinfo addresses name a bill even when the text does not.
_BILL_URL = re.compile(r"/(house|senate)-bill/(\d+)|BILLS-\d{3}(hr|s)(\d+)[a-z]+", re.I)
# A short title: capitalised words ending in "Act" (and its year), as bills are named.
_NAMED_ACT = re.compile(
    r"\b((?:[A-Z][\w'’-]*|AI|GPU|of|and|for|from|to|on|in)"
    r"(?:[ ]+(?:[A-Z][\w'’-]*|AI|GPU|of|and|for|from|to|on|in)){1,9}[ ]+Act)\b(?!['’]?s\b)"
    r"(?:\s+of\s+(20\d\d))?"
)
# Laws that coverage cites in passing; naming one says nothing about which act a report covers.
_STANDING_LAWS = frozenset(
    """export control reform act|trade expansion act|immigration and nationality act|ftc act|
    chips act|chips and science act|defense production act|export administration act|
    international emergency economic powers act|national defense authorization act|
    protecting american intellectual property act|federal trade commission act""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
_WORDS = re.compile(r"[a-z0-9]+")


def named_acts(*parts: str) -> set[str]:
    """Short titles of bills ("Chip Security Act"), by their last three words:
    a title-case headline runs the sponsor's verb into the name."""
    found = set()
    for part in parts:
        for m in _NAMED_ACT.finditer(part):
            name = " ".join(_WORDS.findall(m.group(1).lower()))
            standing = any(name == law or name.endswith(f" {law}") for law in _STANDING_LAWS)
            if not standing and len(name.split()) >= 3:
                found.add("act:" + " ".join(name.split()[-3:]))
                found |= _short_form(name)
    return found


def _short_form(name: str) -> set[str]:
    """The name coverage shortens a two-part title to: "Chip Security and Location
    Verification Act" is reported as the "Chip Security Act"."""
    words = name.split()
    if "and" not in words[1:-2]:
        return set()
    head = words[: words.index("and", 1)]
    if len(head) < 2 or any(w in ("of", "for", "to", "on", "in", "from") for w in head):
        return set()
    return {"act:" + " ".join([*head[-2:], "act"])}


def identifiers(text: str, url: str, names: bool = True) -> set[str]:
    """The typed identifiers `text` and `url` give; bills' short titles too, if `names`."""
    dashed = _DASHED.search(text) is not None
    found = {
        f"{kind}:{m.group(1).lower()}"
        for kind, p, needs_dash in _IDENTIFIERS
        if dashed or not needs_dash
        for m in p.finditer(text)
    }
    if _BILL_GATE.search(text):
        found |= {f"bill:{kind}{number}" for kind, number in find_bill_refs(text)}
    for m in _BILL_URL.finditer(url):
        chamber, number = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.add(f"bill:{'hr' if chamber.lower() in ('house', 'hr') else 's'}{int(number)}")
    found |= {f"fr:{m.group(1)}" for m in _IDENTIFIERS[0][1].finditer(url)}
    return found | (named_acts(text) if names else set())
