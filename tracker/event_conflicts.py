"""What shows two reports to be about different acts though their words agree. Pure.

Same-week coverage of one subject shares its words: a Section 301 tariff and a
Section 232 proclamation on chips, a company's quarterly results and the licence
it won two days later, a Senate bill and a House bill on one harm, two states'
privacy laws. Each rule
here reads what a report's headline (and, for a statute, its lede or address)
says its own act is, without the acts it dates or sets apart ("two days after
the 232 tariffs", "separate Section 232 tariffs"), and answers whether two
reports name two acts that cannot be one:

- `authorities_apart`: each names the law it acts under, and the laws differ;
- `periodic_apart`: one reports a company's periodic results and nothing else,
  the other a deed (a licence, a charge, a rule) and no results;
- `chambers_apart`: each says which chamber's bill it is about, and they differ;
- `states_apart`: each headline names the state its act is by or in, and they differ;
- `governments_apart`: each headline names the government that acts (Japan, the EU,
  the United States, a regulator by name), and they differ;
- `agencies_apart`: each headline opens with the federal body that acts (the SEC, the
  FBI, Treasury), and they are not one department's;
- `background_chamber`: a headline's own act is one chamber's and it dates apart the
  other chamber's ("tells House panel ..., day after Senate hearing"), which the
  other report is about;
- `aimed_apart`: each names the goods its act covers (an import investigation of
  drones, of robotics), and neither writes the other's;
- `addressed_apart`: each is a letter whose headline names whom it is written to
  (Meta, OpenAI), and neither writes the other's addressee.

`tracker.event_unlike` counts each as certain ("different"): it outranks a link,
which may point at the other act in background, but not a shared number.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from tracker import event_background, event_bodies, event_names, event_objects
from tracker.event_act_reading import BESIDE, EARLIER, LEDE_CHARS, OFFICIAL_TYPES, first_sentence
from tracker.event_kinds import kinds

if TYPE_CHECKING:
    from tracker.events import EventItem

# A law named as the authority for an act: "Section 232", "section 301 of the Trade
# Act", "Sec. 1260H"; a trade section coverage abbreviates ("232 tariffs", "301
# duties"); IEEPA. Single-digit sections are left out: an order's text numbers
# its own ("Section 1. Purpose").
_AUTHORITY = re.compile(
    r"\b(?:[Ss]ection|SECTION|[Ss]ec\.)\s+(\d{2,4}[A-Za-z]?)\b"
    r"|\b(122|201|232|301|338)[- ](?:tariffs?|dut(?:y|ies)|action|investigation|probe|"
    r"case|rates?|levies|exclusions?)\b"
    r"|\b(IEEPA|International Emergency Economic Powers Act)\b"
)
# "Prepares separate Section 232 tariffs", "a second 301 action", "the rival bill":
# another act of the kind, named beside the report's own.
_ANOTHER = re.compile(r"\b(?:separate(?:ly)?|another|second|rival|competing)\b[^,.;]*", re.I)
# Words a web address's last path parts hold ("/us-imposes-25-chip-tariff-section-232").
_SLUG = re.compile(r"[^/]+/?[^/]*$")
# Deeds that are not a company's periodic results: a licence, a launch, a charge,
# a sanction or listing, an award, a suit, a rule.
_DEEDS = frozenset({"licence", "launch", "charge", "sanction", "listing", "award", "suit", "rule"})
# "Revenue-sharing strings" on a licence are its terms, not a company's results.
_NOT_RESULTS = re.compile(r"\brevenue[- ]sharing\b", re.I)
# The states of the union, whose governments, regulators and courts act apart: a
# Texas rule is not a Virginia order. Bare "Washington" is left out (it names the
# federal government more often than the state), as is Georgia (also a country).
_IRREGULAR = {
    "Texan": "texas",
    "Floridian": "florida",
    "Coloradan": "colorado",
    "Michigander": "michigan",
    "Tennessean": "tennessee",
    "Kansan": "kansas",
    "Arkansan": "arkansas",
}
_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|"
    "Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    "Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    "New Hampshire|New Jersey|New Mexico|New York(?! Times)|North Carolina|North Dakota|"
    "Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|"
    "Tennessee|Texas|Utah|Vermont|West Virginia|Virginia|Washington State|Wisconsin|Wyoming"
)
# A state named by its people ("Protect New Yorkers", "selling Texans' data"): the
# name and a demonym's ending, or one of the demonyms that change the name.
_STATE = re.compile(
    rf"(?<![\w-])(?:({_STATES})(?:ns?|ans?|ians?|ers?|ites?)?|({'|'.join(_IRREGULAR)})s?)"
    r"(?![\w-])"
)
# A headline that says which chamber's bill it reports: "House bill would ...",
# "Senate's kids safety bill", not a chamber acting on a bill ("Senate clears ... bill").
_CHAMBER_BILL = re.compile(
    r"\b(House|Senate)(?:['’]s)? (?:(?!pass|clear|approv|vot|send|advanc|back|adopt|kill|block)"
    r"[\w-]+ ){0,2}?(?:bill|legislation|measure)\b"
)


def authorities_apart(a: EventItem, b: EventItem) -> bool:
    """Each report names the law its act is taken under, and none is shared: a
    Section 301 action is not a Section 232 proclamation, however alike the tariffs."""
    mine, theirs = a.conflicts.laws, b.conflicts.laws
    return bool(mine and theirs) and mine.isdisjoint(theirs)


def authorities(title: str, text: str, url: str, doc_type: str = "news") -> frozenset[str]:
    """The laws a report names for its own act, in its headline, its lede or its
    address, leaving out those it dates apart or sets beside its own. An official
    document's opening is read whole: a proclamation's first sentence is a formula
    ("By the President ... A Proclamation.") and its recitals name the law."""
    lede = text[:LEDE_CHARS] if doc_type in OFFICIAL_TYPES else first_sentence(text)
    found = set()
    # A headline's "separate" or "second" is its own act's ("a second hit from 232"
    # aside); a lede's or an address's names another beside it.
    for part, beside_own in ((title, False), (lede, True), (_slug(url), True)):
        own = _own(part)
        for m in _AUTHORITY.finditer(_ANOTHER.sub(" ", own) if beside_own else own):
            section = m.group(1) or m.group(2)
            found.add(f"section:{section.lower()}" if section else "ieepa")
    return frozenset(found)


def _own(text: str) -> str:
    """`text` without the acts it dates apart or sets beside its own."""
    return BESIDE.sub(" ", EARLIER.sub(" ", text))


def _slug(url: str) -> str:
    """The words of an address's last path parts, where outlets write the headline."""
    found = _SLUG.search(url.split("?")[0]) if url else None
    return found.group(0).replace("-", " ").replace("_", " ") if found else ""


def periodic_apart(a: EventItem, b: EventItem) -> bool:
    """One headline reports a company's periodic results and no other deed, the other
    a deed and no results: the quarter's results are not the licence won that week."""
    return {a.conflicts.role, b.conflicts.role} == {"results", "deed"}


def _periodic_role(title: str) -> str | None:
    """ "results" for a headline of results alone, "deed" for one of another deed and
    no results, else None."""
    found = _headline_kinds(title)
    if found == {"results"}:
        return "results"
    return "deed" if found & _DEEDS and "results" not in found else None


def _headline_kinds(title: str) -> frozenset[str]:
    """The kinds of act a headline names as its own (not those it dates apart)."""
    return kinds(_NOT_RESULTS.sub(" ", _own(title)))


def chambers_apart(a: EventItem, b: EventItem) -> bool:
    """Each report says which chamber's bill it is about (its own number, or "House
    bill" in its headline), and the chambers differ: a Senate bill and a House bill
    on one harm are two bills, whatever a link in background says."""
    mine, theirs = a.conflicts.bill_chamber, b.conflicts.bill_chamber
    return bool(mine and theirs) and mine != theirs


def _bill_chamber(item: EventItem) -> str | None:
    numbers = {i for i in item.act.own if i.startswith("bill:")}
    if numbers:
        chambers = {"house" if i.startswith("bill:h") else "senate" for i in numbers}
    else:
        chambers = {m.lower() for m in _CHAMBER_BILL.findall(EARLIER.sub(" ", item.title))}
    return chambers.pop() if len(chambers) == 1 else None


def states_apart(a: EventItem, b: EventItem) -> bool:
    """Each headline names the state its act is in or by, and none is shared: New
    York's chatbot law is not California's AI law, an Ohio campus not a Tennessee deal."""
    mine, theirs = a.conflicts.states, b.conflicts.states
    return bool(mine and theirs) and mine.isdisjoint(theirs)


def governments_apart(a: EventItem, b: EventItem) -> bool:
    """Each headline names the government that acts, and none is shared: Japan's
    subsidy for a chip maker's Kumamoto plant is not Commerce's award for its
    Arizona one, Korea's fine on a platform not the EU's, though one company, one
    kind of deed and one week."""
    mine, theirs = a.conflicts.governments, b.conflicts.governments
    return bool(mine and theirs) and mine.isdisjoint(theirs)


def agencies_apart(a: EventItem, b: EventItem) -> bool:
    """Each headline opens with the federal body that acts, and they are not one
    department's: the SEC's charges and the Justice Department's indictment of one
    adviser the same morning, Treasury's sanctions and the FBI's takedown of one
    ransomware group, are two acts (a bureau is its department's: BIS, NIST and
    NTIA are Commerce, the FBI is Justice, OMB the White House)."""
    mine, theirs = a.conflicts.agencies, b.conflicts.agencies
    return bool(mine and theirs) and mine.isdisjoint(theirs)


def _states(title: str) -> frozenset[str]:
    """The states a headline names for its own act (not those it dates apart)."""
    own = _own(title)
    return frozenset(
        name.lower().removesuffix(" state") if name else _IRREGULAR[people]
        for name, people in _STATE.findall(own)
    )


# The chambers a headline's own clause or its background clause names.
# Capitalised: "in-house" is no chamber.
_CHAMBER = re.compile(r"(?<!White )\b(House|Senate|HOUSE|SENATE)\b|\b([Ss]enators?|Sen\.|Rep\.)")


def background_chamber(a: EventItem, b: EventItem) -> bool:
    """One headline's own act is one chamber's and its background clause names the
    other chamber's ("Voss tells House panel ..., day after Senate hearing"); the
    other report is that chamber's: the act the headline dates apart."""
    for x, y in ((a, b), (b, a)):
        own, earlier = x.conflicts.headline_chambers
        if own and earlier and own != earlier:
            theirs = y.act.chamber or event_names.source_chamber(y)
            if theirs == earlier:
                return True
    return False


def _chambers(text: str) -> str | None:
    found = set()
    for chamber, member in _CHAMBER.findall(text):
        word = (chamber or member).lower()
        found.add("house" if word in ("house", "rep.") else "senate")
    return found.pop() if len(found) == 1 else None


def _headline_chambers(title: str) -> tuple[str | None, str | None]:
    """The chamber a headline's own clause names and the one its background names."""
    own = event_background.own_clause(title)
    return _chambers(own), _chambers(" ".join(event_background.clauses(title)))


def aimed_apart(a: EventItem, b: EventItem) -> bool:
    """Each report names the goods its act covers (`event_objects.aims`) and neither
    writes the other's anywhere: a probe of drone imports is not a probe of robotics
    imports, a proclamation on polysilicon not the guidance on chip duties. (Coverage
    may name one act's goods more loosely than its record, "wafers and cells" beside
    "Polysilicon and Its Derivatives", but writes the record's word somewhere.)"""
    return _each_unwritten(a.conflicts.goods, b.conflicts.goods, a, b)


def addressed_apart(a: EventItem, b: EventItem) -> bool:
    """Two reports of letters, each headline naming whom its letter is written to
    (`event_objects.addressees`), and neither report writing the other's addressee:
    two letters (Meta's and OpenAI's), though one pair of senators sent both that week."""
    return _each_unwritten(
        a.conflicts.addressees, b.conflicts.addressees, a, b, event_objects.written_for_itself
    )


def _each_unwritten(
    mine: frozenset[str],
    theirs: frozenset[str],
    a: EventItem,
    b: EventItem,
    written: Callable[[EventItem], frozenset[str]] = event_objects.written,
) -> bool:
    """Both reports name what their act is aimed at, and neither writes the other's."""
    if not (mine and theirs):
        return False
    return mine.isdisjoint(written(b)) and theirs.isdisjoint(written(a))


def apart(a: EventItem, b: EventItem) -> bool:
    """Whether any rule here shows the two reports to be about two acts."""
    return (
        authorities_apart(a, b)
        or periodic_apart(a, b)
        or chambers_apart(a, b)
        or states_apart(a, b)
        or governments_apart(a, b)
        or agencies_apart(a, b)
        or background_chamber(a, b)
        or aimed_apart(a, b)
        or addressed_apart(a, b)
    )


class Reading(NamedTuple):
    """What the rules read of one report (`reading`)."""

    laws: frozenset[str]  # the laws it names for its own act
    role: str | None  # its headline's periodic role: "results", "deed" or None
    bill_chamber: str | None  # the chamber of the bill it is about
    states: frozenset[str]  # the states its headline names for its own act
    headline_chambers: tuple[str | None, str | None]  # own clause's chamber, background's
    goods: frozenset[str]  # the goods it names for its own act (`event_objects.aims`)
    addressees: frozenset[str]  # whom its letter is written to (`event_objects.addressees`)
    governments: frozenset[str]  # the governments its headline names (`governments_apart`)
    agencies: frozenset[str]  # the departments its headline opens with (`agencies_apart`)


def reading(item: EventItem) -> Reading:
    """What the rules read of one report: its laws, its headline's periodic role
    ("results", "deed" or None), its bill's chamber, its headline's states, the
    chambers its headline names for its own act and in background, the goods its act
    covers, whom its letter is written to, the governments its headline names and the
    departments it opens with (`tracker.event_bodies`).
    `EventItem.conflicts` keeps it on the item: grouping asks for it with every
    report the item meets."""
    own = _own(item.title)
    return Reading(
        authorities(item.title, item.text, item.url, item.doc_type),
        _periodic_role(item.title),
        _bill_chamber(item),
        _states(item.title),
        _headline_chambers(item.title),
        event_objects.aims(item),
        event_objects.addressees(item),
        event_bodies.governments(own),
        event_bodies.agencies(item.title, own),
    )
