"""Who issued a document whose form says so, though its words may not name them. Pure.

An executive order or a proclamation is the President's, whether or not its text
says "White House"; so is a presidential memorandum, and a notice continuing a
national emergency (only the President continues one). An export-control rule, an
Entity List addition or export licensing guidance is the Bureau of Industry and
Security's: the Export Administration Regulations are its own. A reader who
follows the White House expects the President's orders on its timeline, and one
who follows BIS its rules, so the document's type names its issuer as a tag
(origin "issuer"), with the words that show the form as evidence (the whole
title when the form was read from the wording alone).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from tracker.types import Evidence

# The entity each type of document is issued by.
ISSUERS: Mapping[str, str] = {
    "executive-order": "white-house",
    "proclamation": "white-house",
    "memo": "white-house",  # only a presidential memorandum (`_PRESIDENTIAL_MEMO`)
    "notice": "white-house",  # only the President's notice continuing an emergency
    "export-control": "bis",
}
# How much of the text the forms are looked for in: documents announce themselves early.
OPENING = 600
# A memorandum is the President's when its title or opening says so; an agency's or a
# think tank's memo ("Memorandum to Staff of the Office of Investment Security",
# "Policy Memo: ...") is not, nor is one for the heads of executive departments alone:
# OMB and OSTP write those too, and each names itself.
_PRESIDENTIAL_MEMO = re.compile(
    r"\b(?:Presidential Memorandum|National Security (?:Presidential )?Memorandum"
    r"|Memorandum for the (?:Secretary|Attorney General"
    r"|Director|Administrator|United States Trade Representative|Vice President)"
    r"|by the authority vested in me as President)",
    re.IGNORECASE,
)
_TITLE_MEMO = re.compile(r"^(?:A )?Memorandum on\b", re.IGNORECASE)  # the White House's style
# Only the President continues a national emergency (the National Emergencies Act): the
# Federal Register prints it as a notice. An agency's notices are its own.
_PRESIDENTIAL_NOTICE = re.compile(
    r"\bContinuation of the National Emergency\b|\bI am continuing for 1 year the national "
    r"emergency\b",
    re.IGNORECASE,
)
# The words that show each issuer's form, looked for in the title, then the opening.
_FORMS: Mapping[str, re.Pattern[str]] = {
    "white-house": re.compile(
        r"\bExecutive Order\b|\bProclamation\b|\bit is hereby ordered\b|\bhereby proclaim\b"
        r"|\bPresidential Memorandum\b|\bNational Security (?:Presidential )?Memorandum\b"
        r"|\bMemorandum (?:for|on)\b|\bContinuation of the National Emergency\b"
        r"|\bI am continuing\b|\bthe President\b",
        re.IGNORECASE,
    ),
    "bis": re.compile(
        r"\bExport Administration Regulations\b|(?-i:\bEAR\b)|\b(?:Entity|Unverified|Military "
        r"End[- ]User) List\b|\bexport licen[cs](?:e|es|ing)\b|\blicen[cs]e requirements?\b",
        re.IGNORECASE,
    ),
}


def issuer(title: str, text: str, doc_type: str) -> tuple[str, tuple[Evidence, ...]] | None:
    """The slug of the entity that issued a document of `doc_type`, with evidence;
    None when its type names no issuer (or a memo is not the President's)."""
    slug = ISSUERS.get(doc_type)
    if slug is None:
        return None
    opening = text[:OPENING]
    if doc_type == "memo" and not (
        _PRESIDENTIAL_MEMO.search(title)
        or _TITLE_MEMO.match(title)
        or _PRESIDENTIAL_MEMO.search(opening)
    ):
        return None
    if doc_type == "notice" and not (
        _PRESIDENTIAL_NOTICE.search(title) or _PRESIDENTIAL_NOTICE.search(opening)
    ):
        return None
    for field, value in (("title", title), ("text", opening)):
        found = _FORMS[slug].search(value)
        if found:
            return slug, (Evidence(field, found.start(), found.end(), found.group()),)
    if not title:
        return None
    return slug, (Evidence("title", 0, len(title), title),)
