"""Who acts, as a headline names it: a government, or a federal department. Pure.

Two reports whose headlines name two governments acting (Japan's subsidy and a US
grant to one chip maker), or open with two departments' bodies (the SEC's charges
and the FBI's arrest of one founder), are about two acts
(`tracker.event_conflicts.governments_apart`, `agencies_apart`). Reports of one
act name one actor, or one of them names none: the readings here are narrow on
purpose, so that a name that is only what an act is about ("Chinese labs",
"Japanese chipmakers", "Senators press Commerce") is not read as who acts.
"""

from __future__ import annotations

import re

# Governments as headlines name the one that acts: countries, capitals and
# regulators by name, not their peoples' adjectives ("Japanese chipmakers" are
# what an act is about). China by its regulators only: in this coverage "China"
# is nearly always whom a US act is aimed at ("Commerce Adds 16 Entities ... to
# China" beside "US adds 16 companies to trade blacklist"), not who acts.
_GOVERNMENTS = {
    "us": r"U\.S\.|US|United States|Washington",
    "eu": r"EU|E\.U\.|European Union|European Commission|Brussels",
    "uk": r"UK|U\.K\.|Britain|United Kingdom|Ofcom|CMA",
    "japan": r"Japan|Tokyo|METI",
    "korea": r"(?<!North )(?:South )?Korea|Seoul|KFTC",
    "china": r"SAMR|MOFCOM",
    "india": r"India|New Delhi",
    "canada": r"Canada|Ottawa",
}
_GOVERNMENT = re.compile(
    "|".join(f"(?P<{name}>\\b(?:{words})(?!\\w))" for name, words in _GOVERNMENTS.items())
)


# Federal bodies by department, as a headline's subject names them.
_DEPARTMENTS = {
    "sec": r"SEC|Securities and Exchange Commission",
    "justice": r"Justice Dep(?:artmen)?t\.?|Department of Justice|DOJ|DoJ|FBI"
    r"|(?:Federal )?[Pp]rosecutors",
    "treasury": r"Treasury(?: Department)?|OFAC|FinCEN|IRS",
    "commerce": r"Commerce(?: Department)?|Department of Commerce|BIS|NIST|CAISI|NTIA|USPTO",
    "ftc": r"FTC|Federal Trade Commission",
    "fcc": r"FCC|Federal Communications Commission",
    "homeland": r"CISA|DHS|Homeland Security|CBP|TSA",
    "hhs": r"HHS|FDA|CMS|NIH|CDC",
    "state": r"State Department|Department of State",
    "defense": r"Pentagon|Defense Department|Department of Defense|DoD|DOD|Army|Navy|Air Force"
    r"|CDAO|DARPA",
    "energy": r"DOE|Energy Department|Department of Energy",
    "ferc": r"FERC",
    "nrc": r"NRC",
    "gsa": r"GSA",
    "white-house": r"White House|OMB|OSTP|President",
    "ustr": r"USTR|Trade Representative",
    "fec": r"FEC",
    "itc": r"ITC",
    "cfpb": r"CFPB",
}
_ANY_BODY = "|".join(_DEPARTMENTS.values())
# A headline's subject: the body or bodies it opens with ("SEC Charges ...",
# "U.S. Treasury and FBI ..."), not one it names later ("... with the FBI").
_SUBJECT = re.compile(
    rf"(?:(?:The|US|U\.S\.)\s+)?((?:{_ANY_BODY})(?:\s*(?:,|and|&)\s*(?:{_ANY_BODY}))*)\b"
)
_BODIES = tuple((name, re.compile(rf"\b(?:{words})\b")) for name, words in _DEPARTMENTS.items())


# A criminal case's steps, which only prosecutors take: a headline telling of one
# ("Founder arrested, charged with fraud") tells of the Justice Department's act,
# whoever it opens with; the SEC's charges against the same founder are another.
_CRIMINAL = re.compile(
    r"\b(?:arrest(?:ed|s)?|indict(?:ed|ment|s)?|prosecutors?|pleads? guilty|pleaded guilty|"
    r"sentenced|criminal(?:ly)? charge[sd]?)\b",
    re.I,
)


# Committees named after the department they oversee ("Commerce Committee Advances
# ...", "Commerce, Manufacturing, and Trade Subcommittee Hearing"): Congress, not it.
_COMMITTEE = re.compile(
    r"(?:The\s+)?(?:Commerce|Homeland Security|Energy)(?:,|\s+(?:and\s+\w+\s+)?"
    r"(?:Committee|Subcommittee|[Pp]anel))"
)


def governments(own: str) -> frozenset[str]:
    """The governments a headline's own clause (`own`: without the acts it dates or
    sets apart) names as acting."""
    return frozenset(m.lastgroup for m in _GOVERNMENT.finditer(own) if m.lastgroup)


def agencies(title: str, own: str) -> frozenset[str]:
    """The departments of the federal bodies a headline opens with; the Justice
    Department's for a headline that opens with none and whose own clause (`own`)
    tells of a criminal case; none for a committee named after a department."""
    title = title.strip()
    if _COMMITTEE.match(title):
        return frozenset()
    found = _SUBJECT.match(title)
    if found is None:
        return frozenset({"justice"}) if _CRIMINAL.search(own) else frozenset()
    return frozenset(name for name, body in _BODIES if body.search(found.group(1)))
