"""Reports that react to an act: a government's rebuke, a company's statement, a
market move. Pure.

A reaction names the act it answers only by a common noun ("the assessment",
"US curbs", "the order") and often shares few words with it: "Hualing rejects
US assessment as politically motivated" beside "CAISI Evaluation of Hualing
Kestrel Models"; "Memory makers slip on new US export limits" beside the
rule. `reacts_to` says whether a report reads as a reaction to another, earlier
report: it answers within days, the noun it uses names the other's kind of act,
and any actor it names is the other's too.
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from tracker import event_names

if TYPE_CHECKING:
    from tracker.events import EventItem

# A reaction follows the act within this.
GAP = timedelta(days=3)
# Words a headline uses to answer someone else's act.
_REACTS = re.compile(
    r"\b(rejects?|dismiss(?:es)?|slams?|condemns?|denounces?|rebukes?|vows?|hits? back|"
    r"protests?|(?:firmly )?opposes|baseless|smear|backfire|brace[sd]? for|"
    r"statement on|responds? to|reacts? to)\b",
    re.I,
)
# A market move: title-only markets items report a price moving on someone's act.
_MOVES = re.compile(
    r"\b(shares?|stocks?|gains?|rises?|rall(?:y|ies)|jumps?|climbs?|slips?|slides?|dips?|"
    r"falls?|sinks?|tumbles?|drops?|edges? (?:higher|lower|up|down)|shrugs? off)\b"
    r".*\b(on|after|despite|off|in (?:extended|after-hours|premarket|early) trading|"
    r"after hours|premarket)\b",
    re.I,
)
# The nouns a reaction calls an act by, and the kinds of act each can be.
_NOUNS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = (
    (re.compile(r"\b(assessment|evaluation|review|findings|report|study)\b", re.I),
     frozenset({"report", "evaluation"})),
    (re.compile(r"\b(curbs|restrictions|controls|rules?|limits|listings?|blacklist\w*)\b", re.I),
     frozenset({"rule", "listing", "guidance"})),
    (re.compile(r"\b(order|directive|move)\b", re.I), frozenset({"order", "proclamation"})),
    (re.compile(r"\b(duties|tariffs?)\b", re.I), frozenset({"proclamation", "tariff"})),
    (re.compile(r"\b(charges|case|indictment)\b", re.I), frozenset({"charge", "suit"})),
    (re.compile(r"\b(licen[cs]es?|approval)\b", re.I), frozenset({"licence"})),
    (re.compile(r"\b(award|deal|contract)\b", re.I), frozenset({"award"})),
    (re.compile(r"\b(release|model|launch)\b", re.I), frozenset({"launch"})),
    (re.compile(r"\b(results|quarter|earnings|forecast|trading)\b", re.I),
     frozenset({"results"})),
    (re.compile(r"\b(inquiry|probe|investigation)\b", re.I), frozenset({"inquiry"})),
)  # fmt: skip
# What an act's own report says it is, beyond the kinds `event_kinds` reads.
_ALSO = (
    (re.compile(r"\b(evaluation|assessment|finds|found)\b", re.I), "evaluation"),
    (re.compile(r"\b(tariffs?|duties|section 232|section 301)\b", re.I), "tariff"),
    (re.compile(r"\b(6\(b\)|inquiry|study of|orders? (?:\w+ ){0,3}to report)\b", re.I), "inquiry"),
)


def reaction(item: EventItem) -> bool:
    """Its headline answers someone's act, or reports a price moving on one."""
    return _reacts(item.title, len(item.text) < 80)


@lru_cache(maxsize=16384)
def _reacts(title: str, short: bool) -> bool:
    return bool(_REACTS.search(title) or (short and _MOVES.search(title)))


def reacts_to(late: EventItem, early: EventItem) -> bool:
    """`late` reads as a reaction to the act `early` reports."""
    if not timedelta(0) <= late.published - early.published <= GAP or not reaction(late):
        return False
    if not _called(late.title) & _kinds(early):
        return False
    # A name the reaction gives ("Hualing", "Intel") is the acting party's.
    named = late.entities | event_names.names(late.title, "")
    return not named or bool(named & event_names.actors(early))


@lru_cache(maxsize=16384)
def _called(title: str) -> frozenset[str]:
    """The kinds of act the nouns of a reaction's headline can name."""
    return frozenset().union(*(kinds for noun, kinds in _NOUNS if noun.search(title)))


@lru_cache(maxsize=16384)
def _kinds(item: EventItem) -> frozenset[str]:
    act = item.act
    head = f"{item.title} {item.text[:300]}"
    return act.kinds | act.mentions | {kind for pattern, kind in _ALSO if pattern.search(head)}
