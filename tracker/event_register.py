"""Which agency issued a Federal Register document, read from its citation lines. Pure.

A Register feed that carries every agency (the public-inspection desk, a feed
of all documents) says nothing of who acts through its name, and an abstract
often does not name its agency either ("Final rule. RIN 0694-AK19."). The
citation lines do: a Regulation Identifier Number opens with its agency's
four-digit code, a regulations.gov docket with its agency's letters
("USTR-2031-0007", "CFPB-2033-0047"), the Commission's own dockets and
document numbers are the FCC's ("GN Docket No. 29-183; FCC 31-4"), and the
part of the Code of Federal Regulations a rule amends belongs to one agency
(15 CFR part 744 is the Export Administration Regulations, BIS's). Grouping
joins an agency's release with the Register's printing of its document by
these (`tracker.event_names.printing`).

Each agency is named as its own feeds name it ("bis", "fcc", "treasury"); a
bureau also by its department, whose newsroom announces its rules too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

# How much of a document the citation lines are looked for in: the abstract and its
# action line come first.
OPENING = 1500

# The agency codes of Regulation Identifier Numbers (the Unified Agenda's).
RIN_AGENCIES: Mapping[str, tuple[str, ...]] = {
    "0625": ("ita", "commerce"),
    "0648": ("noaa", "commerce"),
    "0651": ("uspto", "commerce"),
    "0660": ("ntia", "commerce"),
    "0693": ("nist", "commerce"),
    "0694": ("bis", "commerce"),
    "0790": ("dod",),
    "0910": ("fda", "hhs"),
    "0938": ("cms", "hhs"),
    "0945": ("hhs",),
    "0955": ("onc", "hhs"),
    "1218": ("osha", "dol"),
    "1400": ("state",),
    "1505": ("treasury",),
    "1545": ("irs", "treasury"),
    "1557": ("occ", "treasury"),
    "1625": ("uscg", "dhs"),
    "1651": ("cbp", "dhs"),
    "1670": ("cisa", "dhs"),
    "1902": ("ferc",),
    "2060": ("epa",),
    "2120": ("faa", "dot"),
    "2127": ("nhtsa", "dot"),
    "3038": ("cftc",),
    "3060": ("fcc",),
    "3064": ("fdic",),
    "3084": ("ftc",),
    "3150": ("nrc",),
    "3170": ("cfpb",),
    "3235": ("sec",),
}
# The Register's own names of agencies (its API's `agencies`), where their initials
# are not what their feeds are called ("Industry and Security Bureau" is BIS).
REGISTER_NAMES: Mapping[str, tuple[str, ...]] = {
    "industry and security bureau": ("bis", "commerce"),
    "commerce department": ("commerce",),
    "treasury department": ("treasury",),
    "foreign assets control office": ("ofac", "treasury"),
    "justice department": ("doj", "justice"),
    "antitrust division": ("doj", "justice"),
    "trade representative, office of united states": ("ustr",),
    "energy department": ("doe",),
    "state department": ("state",),
    "defense department": ("dod",),
    "homeland security department": ("dhs",),
    "transportation department": ("dot",),
    "health and human services department": ("hhs",),
    "centers for medicare & medicaid services": ("cms", "hhs"),
    "patent and trademark office": ("uspto", "commerce"),
    "science and technology policy office": ("ostp",),
    "copyright office, library of congress": ("copyright",),
}
_NAME_WORDS = re.compile(r"[A-Za-z]+")
_SMALL = frozenset({"and", "of", "for", "the", "on"})

# regulations.gov docket prefixes that are not the agency's own short name.
DOCKET_AGENCIES: Mapping[str, tuple[str, ...]] = {
    "BIS": ("bis", "commerce"),
    "DOC": ("commerce",),
    "EPA": ("epa",),
    "TREAS": ("treasury",),
    "NIST": ("nist", "commerce"),
    "NTIA": ("ntia", "commerce"),
    "FAA": ("faa", "dot"),
    "NHTSA": ("nhtsa", "dot"),
    "CISA": ("cisa", "dhs"),
    "USCG": ("uscg", "dhs"),
    "FDA": ("fda", "hhs"),
    "CMS": ("cms", "hhs"),
}
# Titles of the Code of Federal Regulations, by part range, and whose parts they are.
CFR_AGENCIES: tuple[tuple[int, int, int, tuple[str, ...]], ...] = (
    (10, 0, 199, ("nrc",)),
    (10, 200, 1099, ("doe",)),
    (12, 1000, 1099, ("cfpb",)),
    (14, 1, 199, ("faa", "dot")),
    (15, 730, 774, ("bis", "commerce")),
    (15, 791, 791, ("commerce",)),
    (16, 0, 999, ("ftc",)),
    (17, 1, 199, ("cftc",)),
    (17, 200, 299, ("sec",)),
    (18, 1, 399, ("ferc",)),
    (21, 1, 1499, ("fda", "hhs")),
    (22, 120, 130, ("state",)),
    (31, 500, 599, ("treasury", "ofac")),
    (31, 800, 899, ("treasury",)),
    (37, 1, 150, ("uspto", "commerce")),
    (37, 201, 270, ("copyright",)),
    (40, 1, 1099, ("epa",)),
    (42, 400, 699, ("cms", "hhs")),
    (45, 160, 171, ("hhs",)),
    (47, 0, 199, ("fcc",)),
)

_RIN = re.compile(r"\bRINs?:?\s+(\d{4})\s*[-–]\s*[A-Z]{2}\d{2}")
# A docket of regulations.gov: the agency's letters, a year, a number ("EPA-HQ-OAR-2024-0123").
_DOCKET = re.compile(r"\b([A-Z]{2,6})(?:-[A-Z]{2,4}){0,2}-(?:19|20|21)\d{2}-\d{3,5}\b")
# The Commission's dockets ("GN Docket No. 29-183"), its document numbers ("FCC 31-4",
# "DA 24-1288") and its bureaus' names.
_FCC = re.compile(
    r"\b(?:GN|CG|PS|ET|WC|WT|MB|IB|EB|GC|MD|AU|OET|PSHSB)\s+Docket\b|\bFCC\s+\d{2}-\d+\b"
    r"|\bDA\s+\d{2}-\d+\b"
)
# The Energy Commission's rulemaking and rate dockets ("Docket No. RM26-4-000").
_FERC = re.compile(r"\bDocket Nos?\.\s*(?:RM|ER|EL|AD|PL|RP|CP|ES)\d{2}-\d+-\d{3}\b")
# The Securities and Exchange Commission's rulemaking files and release numbers.
_SEC = re.compile(r"\bFile Nos?\.\s*S7-|\bRelease Nos?\.\s*(?:33|34|IA|IC)-\d")
_CFR = re.compile(r"\b(\d{1,2})\s+CFR\s+(?:[Pp]arts?\s+|§\s*)?(\d{1,4})\b")
# The Antitrust Division publishes each proposed consent judgment (the Tunney Act).
_ANTITRUST = re.compile(
    r"\bAntitrust Procedures and Penalties Act\b|\bProposed Final Judgment and Competitive "
    r"Impact Statement\b"
)
_EAR = re.compile(r"\bExport Administration Regulations\b|\bEAR\b|\bEntity List\b")


@lru_cache(maxsize=4096)
def issuer(title: str, text: str) -> frozenset[str]:
    """The agency a Register document's citation lines name, as its feeds are named."""
    found: set[str] = set()
    opening = f"{title}\n{text[:OPENING]}"
    for code in _RIN.findall(opening):
        found.update(RIN_AGENCIES.get(code, ()))
    for prefix in _DOCKET.findall(opening):
        found.update(DOCKET_AGENCIES.get(prefix, (prefix.lower(),)))
    for title_no, part in _CFR.findall(opening):
        found.update(_cfr_agency(int(title_no), int(part)))
    if _FCC.search(opening):
        found.add("fcc")
    if _FERC.search(opening):
        found.add("ferc")
    if _SEC.search(opening):
        found.add("sec")
    if _ANTITRUST.search(opening):
        found.update(("doj", "justice"))
    if _EAR.search(opening):
        found.update(("bis", "commerce"))
    return frozenset(found)


def _cfr_agency(title: int, part: int) -> tuple[str, ...]:
    for cfr_title, low, high, agency in CFR_AGENCIES:
        if title == cfr_title and low <= part <= high:
            return agency
    return ()


def of_record(agencies: Iterable[str], rins: Iterable[str]) -> frozenset[str]:
    """The agencies a Register document's own record names (the API's `agencies` and
    `regulation_id_numbers`), as their feeds are named: the Register's name where the
    table knows it, else its initials ("Federal Communications Commission": fcc)."""
    found: set[str] = set()
    for name in agencies:
        key = " ".join(name.lower().split())
        if key in REGISTER_NAMES:
            found.update(REGISTER_NAMES[key])
            continue
        words = [w for w in _NAME_WORDS.findall(name) if w.lower() not in _SMALL]
        if len(words) >= 2:
            found.add("".join(w[0] for w in words).lower())
        elif words:
            found.add(words[0].lower())
    for rin in rins:
        found.update(RIN_AGENCIES.get(rin.strip()[:4], ()))
    return frozenset(found)
