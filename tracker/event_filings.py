"""Filings: a record a party files in a proceeding is the act it records. Pure.

A court's docket entry is titled by its caption, its case number and what was
filed ("FTC v. Arborly, Inc., No. 2:30-cv-00412 (W.D. Wash.) - Complaint";
"Indictment, United States v. Lim et al., No. 1:28-cr-20417"); a company's
filing by its form and item ("Veridian Corp. Form 8-K: Results of Operations").
Feeds type both `report`, and a report is read as the act "a published report"
whatever its title is about (a GAO report on awards is not the award). A filing
is not: the complaint *is* the suit coverage reports ("FTC sues Arborly ..."),
the indictment the charges, the opinion the ruling, the 8-K's item the results
or the deal it discloses. `kinds` says which act a filing records; `parties`
names who a case is against, which coverage of it heads with.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker.event_kinds import kinds as _kinds
from tracker.event_rarity import rarity
from tracker.event_words import stem, tokens

if TYPE_CHECKING:
    from tracker.events import EventItem

# "A v. B" / "A vs. B", "In re A", "In the Matter of A", and a case number:
# "No. 1:30-cv-00412", "No. 28-15220", "3:29-cv-03318" (a number, not words,
# tells a docket entry from a headline that writes a case's name).
_CAPTION = re.compile(r"\b(?:v|vs)\.\s|\bIn re\b|\bIn the Matter of\b", re.I)
_VERSUS = re.compile(r"\b(?:v|vs)\.\s", re.I)
_CASE_NUMBER = re.compile(
    r"\bNo\.\s*[A-Z]{0,3}[\d:]+[\w:-]*\d|\b\d:\d{2}-(?:cv|cr|mc|md)-\d{3,6}\b", re.I
)
# A caption followed by what was filed ("United States v. Arborly, Inc. — Complaint",
# "Doe v. Verity - Opinion"): a docket entry whose number is in its text, not its title.
_FILED_AS = re.compile(
    r"\b(?:complaint|indictment|petition|opinion|order|judgment|motion|consent decree|"
    r"plea agreement|brief|stipulat\w+|certiorari)\b",
    re.I,
)
_WORD = re.compile(r"[a-z0-9][a-z0-9&-]*", re.I)
# A company's periodic or current report to the SEC.
_FORM = re.compile(r"\bForm\s+(?:8-K|10-K|10-Q|6-K|20-F|S-1|S-4)\b", re.I)
# What was filed, as a docket entry names it, and the act it records.
_CHARGE = re.compile(
    r"\b(?:indictment|information|criminal complaint|plea agreement|superseding)\b|"
    r"\d:\d{2}-cr-",
    re.I,
)
_SUIT = re.compile(r"\b(?:complaint|petition)\b", re.I)
# A court's own ruling or a party's later paper: the case, but neither a new suit
# nor charges; coverage calls a ruling by many names, so no kind is claimed.
_RULING = re.compile(
    r"\b(?:opinion|order|judgment|decision|ruling|injunction|answer|appeal|motion|"
    r"certiorari|verdict|sentenc\w*)\b",
    re.I,
)
# Words of a caption that are not a party's name.
_NOT_NAMES = frozenset(
    tokens(
        "inc llc corp corporation co ltd company plc lp et al the of and "
        "united states america state people commonwealth federal trade commission "
        "securities exchange department justice"
    )
)
# A filing is reported the day it is entered or within the next days.
FILED_GAP = timedelta(days=3)
# Coverage names a case's parties early: its headline or its opening.
LEDE_CHARS = 300
# A party's word must be rarer than this to name it (not "AI", "Labs", "Capital").
PARTY_RARITY = 0.5
# Coverage of a court's ruling says a court acted.
_COURT_DEED = re.compile(
    r"\b(?:judges?|courts?|justices|circuit|circ\.|rul(?:es|ed|ing)|decision|verdict|"
    r"blocks?|halts?|enjoin\w*|injunction|affirms?|upholds?|overturns?|revers\w+|"
    r"dismiss\w*|appeals?)\b",
    re.I,
)
# A case resolved ("to pay $35 million", "settles", "pleads guilty"): not the filing
# that opened it.
_RESOLVED = re.compile(r"\b(?:settle\w*|to pay|pays|paid|penalt\w+|fined|pleads?|plea)\b", re.I)
# "... After Court Loss", "... as Lawsuit Looms": what a headline sets its act after.
_AFTER = re.compile(r"\b(?:after|following|as|amid|days? after|ahead of)\b", re.I)


# Who brings cases, as headlines name them, and what a caption calls each.
_ACCUSERS = (
    ("sec", "securities and exchange commission"),
    ("ftc", "federal trade commission"),
    ("doj", "justice department", "department of justice", "prosecutors", "united states"),
    ("cfpb", "consumer financial protection bureau"),
    ("fcc", "federal communications commission"),
)
_ACCUSER = re.compile(
    r"\b(SEC|FTC|DOJ|CFPB|FCC|Justice Department|Department of Justice|prosecutors)\b"
)
# The district a docket entry names is in a state: "(E.D. Cal.)" is in California,
# which coverage of the case names ("Judge blocks part of California's AI law").
# Washington and the District of Columbia are left out: both name the government.
_DISTRICT_STATES = {
    "Ala": "alabama", "Alaska": "alaska", "Ariz": "arizona", "Ark": "arkansas",
    "Cal": "california", "Colo": "colorado", "Conn": "connecticut", "Del": "delaware",
    "Fla": "florida", "Ga": "georgia", "Haw": "hawaii", "Idaho": "idaho",
    "Ill": "illinois", "Ind": "indiana", "Iowa": "iowa", "Kan": "kansas",
    "Ky": "kentucky", "La": "louisiana", "Me": "maine", "Md": "maryland",
    "Mass": "massachusetts", "Mich": "michigan", "Minn": "minnesota",
    "Miss": "mississippi", "Mo": "missouri", "Mont": "montana", "Neb": "nebraska",
    "Nev": "nevada", "N.H": "new hampshire", "N.J": "new jersey", "N.M": "new mexico",
    "N.Y": "new york", "N.C": "north carolina", "N.D": "north dakota", "Ohio": "ohio",
    "Okla": "oklahoma", "Or": "oregon", "Pa": "pennsylvania", "R.I": "rhode island",
    "S.C": "south carolina", "S.D": "south dakota", "Tenn": "tennessee", "Tex": "texas",
    "Utah": "utah", "Vt": "vermont", "Va": "virginia", "W. Va": "west virginia",
    "Wis": "wisconsin", "Wyo": "wyoming",
}  # fmt: skip
_DISTRICT = re.compile(
    r"\((?:[NSEWCM]\.D\.|D\.)\s*("
    + "|".join(re.escape(k) for k in sorted(_DISTRICT_STATES, key=len, reverse=True))
    + r")\.?[\s)]"
)
# The Supreme Court's own entries: its order lists and its grants of certiorari.
_HIGH_COURT = re.compile(r"\b(?:order list|certiorari granted|writ of certiorari)\b", re.I)
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh".split()
_CIRCUIT = re.compile(r"\((\d{1,2})(?:st|nd|rd|th) Cir\.|\((Fed|D\.C)\. Cir\.")


@lru_cache(maxsize=16384)
def is_filing(title: str) -> bool:
    """Whether a title is a docket entry (a caption and a case number, or a caption
    and what was filed) or a company's SEC form."""
    if _FORM.search(title):
        return True
    caption = _CAPTION.search(title)
    return bool(caption) and bool(_CASE_NUMBER.search(title) or _FILED_AS.search(title))


@lru_cache(maxsize=16384)
def record(title: str) -> str | None:
    """What a docket entry records: "charge" (an indictment, a criminal case),
    "suit" (a complaint, a petition, named before any ruling's word: a "Complaint for
    Permanent Injunction" asks for one), "ruling" (an opinion, an order, another
    paper in a case, a grant of certiorari), or None when its title does not say."""
    if _CHARGE.search(title):
        return "charge"
    suit, ruling = _SUIT.search(title), _RULING.search(title)
    if suit and not (ruling and ruling.start() < suit.start()) and not _HIGH_COURT.search(title):
        return "suit"  # "Complaint for Permanent Injunction": the relief is asked, not granted
    return "ruling" if ruling else "suit" if suit else None


@lru_cache(maxsize=16384)
def kinds(title: str) -> frozenset[str]:
    """The act a filing records, as `tracker.event_kinds` names acts: charges or a
    suit; nothing claimed for a ruling (coverage calls one by many names) or an
    entry that does not say; a company's form, what its item names (results)."""
    if _FORM.search(title):
        return _kinds(_FORM.split(title, maxsplit=1)[-1]) - {"report"}
    found = record(title)
    return frozenset({found}) if found in ("charge", "suit") else frozenset()


def filer(title: str) -> frozenset[str]:
    """Who filed a company's form, as the first word of the name its title leads
    with ("veridian" of "Veridian Semiconductor Corp. Form 8-K: Results ...")."""
    form = _FORM.search(title)
    words = _WORD.findall(title[: form.start()]) if form else []
    return frozenset(w.lower() for w in words[:1]) - {"the"}


@lru_cache(maxsize=16384)
def parties(title: str) -> frozenset[str]:
    """The words (as `tracker.event_words.tokens`) of the parties a caption names
    the case against ("Arborly" of "FTC v. Arborly, Inc."; "Sorensen" of "In re
    Sorensen"), without corporate suffixes and the government's own names."""
    found = _CAPTION.search(title)
    if not found:
        return frozenset()
    after = title[found.end() :]
    after = re.split(r",\s*No\.|\(|\s[-—–:]\s|,\s*\d|\bNo\.", after, maxsplit=1)[0]
    return frozenset(tokens(after)) - _NOT_NAMES


@lru_cache(maxsize=16384)
def court_names(title: str) -> tuple[str, ...]:
    """How coverage names the court of a docket entry: the state its district is
    in ("california"), or its circuit ("ninth circuit", "9th circuit")."""
    found = _DISTRICT.search(title)
    if found:
        return (_DISTRICT_STATES[found.group(1)],)
    if _HIGH_COURT.search(title):
        return ("supreme court", "justices")
    circuit = _CIRCUIT.search(title)
    if not circuit:
        return ()
    if circuit.group(1):
        n = int(circuit.group(1))
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        names = [f"{n}{suffix} circuit", f"{n}{suffix} cir", "appeals court", "appellate court"]
        if n <= len(_ORDINALS):
            names.append(f"{_ORDINALS[n - 1]} circuit")
        return tuple(names)
    return ("federal circuit", "fed. circ") if circuit.group(2) == "Fed" else ("d.c. circuit",)


def _own_headline(title: str) -> str:
    """A headline without its background clauses ("... After Court Loss")."""
    from tracker import event_background  # it reads `event_act_reading`, which reads this

    return _AFTER.split(event_background.own_clause(title), maxsplit=1)[0]


def _other_accuser(caption: str, headline: str) -> bool:
    """The headline names who brought its case, and the caption's first party is
    someone else (the SEC's charges beside "United States v. ..."'s complaint)."""
    if not _VERSUS.search(caption):
        return False  # "In the Matter of ...": the caption names no one who brought it
    plaintiff = _VERSUS.split(caption, maxsplit=1)[0].lower()
    named = {m.lower() for m in _ACCUSER.findall(headline)}
    return any(
        named.intersection(names) and not any(n in plaintiff for n in names) for names in _ACCUSERS
    )


def covers(filing: EventItem, other: EventItem) -> bool:
    """`other` reports the act `filing` records: within `FILED_GAP`, it says what was
    done as the filing does (a suit or charges for a complaint or an indictment; a
    court acting, for a ruling) and names who the case is against (in its headline
    or lede) or, for a ruling or a suit, the court's state or circuit (in its headline)."""
    if filing.doc_type not in ("report", "notice") or not is_filing(filing.title):
        return False
    if is_filing(other.title):
        return False
    if abs(filing.published - other.published) > FILED_GAP:
        return False
    if _FORM.search(filing.title):
        return False  # a company's form: its filer's name is every story about the filer
    found, own = record(filing.title), _own_headline(other.title)
    court = bool(_COURT_DEED.search(own))
    accused = bool(other.act.kinds & {"suit", "charge"}) and not (court or _RESOLVED.search(own))
    if not (court if found == "ruling" else accused if found else court or accused):
        return False  # a complaint's coverage reports a suit, not a ruling in it
    if _other_accuser(filing.title, own):
        return False  # the SEC's charges are not the Justice Department's suit
    party = {stem(w) for w in parties(filing.title)}
    party = {w for w in party if rarity(w) >= PARTY_RARITY}
    said = set(tokens(own)) | set(tokens(other.text[:LEDE_CHARS]))
    if party & said:
        return True
    if found == "charge":
        return False  # charges are against people: their names, not a place
    low = own.lower()
    return any(name in low for name in court_names(filing.title))
