"""A bill's stage from its actions, and the day each stage was first reached.

Pure and format-free: each `BillAction` is read by its code first (user guide,
table 3), then its type, then its text, which is all the oldest files carry.
The stages follow GovTrack's: introduced, referred to a committee, reported
(or ordered reported) by it, passed by one chamber, passed by the second in
another form while the two resolve their differences, passed by both in one
form, presented to the President, law; a veto or a failed vote ends the road.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from tracker.types import BILL_ROAD, BILL_STAGES, BillAction


class _Event(NamedTuple):
    kind: str  # introduced | referred | reported | passed | failed | resolving | agreed |
    # conference | cleared | president | veto | override | law
    chamber: str | None = None
    amended: bool = False


@dataclass(frozen=True)
class BillProgress:
    """The stage a bill is at and every stage it reached, with the day it got there."""

    stage: str
    reached: tuple[tuple[str, date], ...]  # in the order of BILL_STAGES


# Codes whose meaning does not depend on the text. E30000 is left out: the
# guide calls it "Signed by President" but real files also use it for
# "Vetoed by President", so the text decides. Passage codes say which chamber.
_CODES: dict[str, str] = {
    **dict.fromkeys(("1000", "10000", "Intro-H"), "introduced"),
    **dict.fromkeys(("2000", "11000", "H11100", "H11200"), "referred"),
    **dict.fromkeys(("5000", "14000", "14900", "H12100", "H12200", "H12210"), "reported"),
    **dict.fromkeys(("8000", "H37100", "H37300"), "passed-house"),
    "17000": "passed-senate",
    **dict.fromkeys(("19500", "20500"), "resolving"),
    **dict.fromkeys(("28000", "E20000"), "president"),
    "31000": "veto",
    **dict.fromkeys(("36000", "E40000"), "law"),
}
# A rule that brings a bill to the floor is reported and passed in its own
# right ("Rule H. Res. 580 passed House"); none of that is about the bill.
_ABOUT_RULE = re.compile(r"^(?:rules? |rules committee resolution)", re.IGNORECASE)
_MEASURE = r"(?:bill|measure|(?:joint |concurrent )?resolution)"
_I = re.IGNORECASE
_OVERRIDE = re.compile(
    r"\bpassed (?:house|senate) over veto\b"
    r"|objections of the president[^.]*notwithstanding[^.]*\b(?:passed|agreed to)\b",
    _I,
)
_OVER_VETO = re.compile(r"\bover (?:the )?veto\b|objections of the president", _I)
_FAILED = re.compile(r"(?:^|: )failed of passage\b|\bon passage\s+failed\b", _I)
_PASSED_SENATE = re.compile(
    rf"^(?:passed/agreed to in senate|passed senate|{_MEASURE} (?:passed|agreed to) in senate)", _I
)
_PASSED_HOUSE = re.compile(
    rf"^(?:passed/agreed to in house|passed house|{_MEASURE} (?:passed|agreed to) in house"
    r"|on (?:motion to suspend the rules and )?(?:passage|pass the|agree(?:ing)? to the "
    r"(?:joint |concurrent )?resolution)[^.]*?\b(?:passed|agreed to)\b)",
    _I,
)
_AMENDED = re.compile(r"\bwith (?:an )?amendments?\b|\(amended\)|\bas amended\b", _I)
# The last word in an exchange of amendments: a chamber takes the other's
# amendment as it stands (with no amendment of its own).
_AGREED = re.compile(
    r"\b(?:agreed to|concurred in) (?:the )?(?:house|senate) amendments?\b"
    r"|\bon motion (?:that the (?:house|senate) )?(?:to )?(?:agree|concur) (?:to|in) (?:the )?"
    r"(?:house|senate) amendments?\b.*\bagreed to\b",
    _I,
)
_CONFERENCE_AGREED = re.compile(
    r"\bconference report\b.*\bagreed to\b|\bagreed to (?:the )?conference report", _I
)
_RESOLVING = re.compile(
    r"^resolving differences\b|\bconferees?\b|\bconference\b"
    r"|\binsist(?:ed|s)? (?:up)?on its amendment"
    r"|\bdisagree(?:d)? to the (?:house|senate) amendment",
    _I,
)
_TEXTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("law", re.compile(r"^(?:became (?:public|private) law|signed by president)", _I)),
    ("veto", re.compile(r"^(?:pocket )?vetoed by president", _I)),
    ("president", re.compile(r"^presented to president", _I)),
    ("cleared", re.compile(r"^cleared for white house", _I)),
    ("introduced", re.compile(r"^introduced in\b", _I)),
    ("reported", re.compile(r"\bordered to be reported\b|\breported\b", _I)),
    ("referred", re.compile(r"\breferred\b", _I)),
)
_TYPES: dict[str, str] = {
    "becamelaw": "law",
    "presented to president": "president",
    "vetoed by president": "veto",
    "resolvingdifferences": "resolving",
}
_TO_PRESIDENT = frozenset({"hr", "s", "hjres", "sjres"})
_ONE_CHAMBER = frozenset({"hres", "sres"})


def bill_stage(bill_type: str, actions: Sequence[BillAction]) -> str:
    """The stage the actions (oldest first) bring a bill to."""
    return bill_progress(bill_type, actions).stage


def bill_progress(
    bill_type: str, actions: Sequence[BillAction], introduced: date | None = None
) -> BillProgress:
    """The stage the actions (oldest first) bring a bill to, and when each was reached."""
    walk = _Walk(bill_type)
    if introduced is not None:
        walk.reach("introduced", introduced)
    for action in actions:
        event = _event(action)
        if event is not None:
            walk.apply(event, action.action_date)
    return walk.progress()


class _Walk:
    """The bill's state as its actions are read in order."""

    def __init__(self, bill_type: str) -> None:
        self.bill_type = bill_type
        self.reached: dict[str, date] = {}
        self.chambers: list[str] = []
        self.conference: set[str] = set()
        self.overrides: set[str] = set()
        self.ended: str | None = None  # "vetoed" or "failed" while that stands

    def reach(self, stage: str, day: date) -> None:
        self.reached.setdefault(stage, day)

    def apply(self, event: _Event, day: date) -> None:
        kind = event.kind
        if kind in ("introduced", "referred", "reported"):
            self.reach(kind, day)
        elif kind == "passed":
            self._passed(event, day)
        elif kind == "failed" and self.ended is None:
            self.ended = "failed"
            self.reached["failed"] = day
        elif kind == "resolving" and self.chambers and self.bill_type not in _ONE_CHAMBER:
            self.reach("resolving", day)
        elif kind == "conference" and event.chamber:
            self.conference.add(event.chamber)
            self.reach("resolving", day)
            if len(self.conference) == 2:
                self.reach("passed-both", day)
        elif kind in ("agreed", "cleared") and self.bill_type not in _ONE_CHAMBER:
            self.reach("passed-both", day)
        elif self.bill_type in _TO_PRESIDENT:
            self._president(event, day)

    def _passed(self, event: _Event, day: date) -> None:
        if self.ended == "failed":
            self.ended = None  # reconsidered and passed after all
        chamber = event.chamber or "house"
        if chamber not in self.chambers:
            self.chambers.append(chamber)
        if len(self.chambers) == 1 or self.bill_type in _ONE_CHAMBER:
            self.reach("passed-one", day)
        elif event.amended:
            self.reach("resolving", day)  # the second chamber changed it
        else:
            self.reach("passed-both", day)

    def _president(self, event: _Event, day: date) -> None:
        if event.kind == "president":
            self.reach("passed-both", day)  # only a bill both passed is presented
            self.reach("president", day)
        elif event.kind == "veto":
            self.reach("president", day)
            self.reached["vetoed"] = day
            self.ended, self.overrides = "vetoed", set()
        elif event.kind == "override" and event.chamber:
            self.overrides.add(event.chamber)
            if len(self.overrides) == 2:
                self.ended = None
                self.reach("law", day)
        elif event.kind == "law":
            self.ended = None
            self.reach("law", day)

    def progress(self) -> BillProgress:
        road = [s for s in BILL_ROAD if s in self.reached]
        stage = self.ended or (road[-1] if road else "introduced")
        if self.ended is None:
            self.reached.pop("vetoed", None)
            self.reached.pop("failed", None)
        reached = tuple((s, self.reached[s]) for s in BILL_STAGES if s in self.reached)
        return BillProgress(stage, reached)


def _event(action: BillAction) -> _Event | None:
    text = action.text.strip()
    if _ABOUT_RULE.match(text) or (action.code or "").startswith("H1L"):
        return None
    if _OVERRIDE.search(text):
        return _Event("override", _chamber(action))
    code = action.code or ""
    kind = _CODES.get(code) or ("referred" if code.startswith(("H11100", "H11200")) else None)
    if kind and kind.startswith("passed-"):
        return _passage(text, kind.removeprefix("passed-"))
    if kind == "resolving":
        return _resolving(action, text)
    if kind:
        return _Event(kind)
    kind = _TYPES.get((action.action_type or "").lower())
    if kind == "resolving":
        return _resolving(action, text)
    return _Event(kind) if kind else _from_text(action, text)


def _from_text(action: BillAction, text: str) -> _Event | None:
    for kind, pattern in _TEXTS[:4]:  # the President's actions and clearance
        if pattern.match(text):
            return _Event(kind)
    if _FAILED.search(text) and not _OVER_VETO.search(text):
        return _Event("failed", _chamber(action))
    if _PASSED_SENATE.match(text):
        return _passage(text, "senate")
    if _PASSED_HOUSE.match(text):
        return _passage(text, "house")
    resolving = _resolving(action, text)
    if resolving.kind != "resolving" or _RESOLVING.search(text):
        return resolving
    for kind, pattern in _TEXTS[4:]:
        if pattern.search(text):
            return _Event(kind)
    return None


def _passage(text: str, chamber: str) -> _Event | None:
    if _FAILED.search(text):
        return _Event("failed", chamber)
    if re.search(r"\bfailed\b", text, _I):
        return None  # a motion to suspend the rules failed: the bill may come back
    return _Event("passed", chamber, bool(_AMENDED.search(text)))


def _resolving(action: BillAction, text: str) -> _Event:
    if _CONFERENCE_AGREED.search(text):
        return _Event("conference", _chamber(action))
    if _AGREED.search(text) and not _AMENDED.search(text) and not text.lower().startswith("motion"):
        return _Event("agreed")
    return _Event("resolving")


def _chamber(action: BillAction) -> str:
    source = (action.source_system or "").lower()
    if "senate" in source or "house" in source:
        return "senate" if "senate" in source else "house"
    text = action.text.lower()
    senate, house = text.find("senate"), text.find("house")
    return "senate" if senate >= 0 and (house < 0 or senate < house) else "house"
