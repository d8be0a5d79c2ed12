"""A bill's stage from its actions: the furthest step reached, or vetoed.

Pure and format-free: it reads `BillAction` codes first (user guide, table 3)
and falls back on action types and texts, which is all the oldest files carry.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tracker.types import BILL_STAGES, BillAction

# Library of Congress action codes (user guide, table 3) and the House "E"
# codes for the same steps. E30000 is left out on purpose: the guide calls it
# "Signed by President" but real files also use it for "Vetoed by President",
# so its text decides. Other codes fall through to the action's type and text,
# which is all the oldest files carry.
_CODE_EVENTS: dict[str, str] = {
    **dict.fromkeys(("2000", "5000", "5500", "11000", "13100", "13200"), "committee"),
    **dict.fromkeys(("14000", "14500", "14900"), "committee"),
    "8000": "house",
    "17000": "senate",
    "28000": "president",
    "E20000": "president",
    "31000": "veto",
    "36000": "law",
    "E40000": "law",
}
_TYPE_EVENTS: dict[str, str] = {
    "becamelaw": "law",
    "committee": "committee",
    "discharge": "committee",
    "presented to president": "president",
    "vetoed by president": "veto",
    "passed/agreed to in house": "house",
    "passed/agreed to in senate": "senate",
}
_MEASURE = r"(?:bill|measure|(?:joint |concurrent )?resolution)"
_TEXT_EVENTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (event, re.compile(pattern, re.IGNORECASE))
    for event, pattern in (
        ("law", r"^(?:became (?:public|private) law|signed by president)"),
        ("veto", r"^(?:pocket )?vetoed by president"),
        ("president", r"^presented to president"),
        ("both", r"^cleared for white house"),
        (
            "senate",
            rf"^(?:passed senate|passed/agreed to in senate"
            rf"|{_MEASURE} (?:passed|agreed to) in senate)",
        ),
        (
            "house",
            rf"^(?:passed house|passed/agreed to in house|{_MEASURE} (?:passed|agreed to) in house"
            r"|on (?:motion to suspend the rules and )?(?:passage|pass the|agree(?:ing)? to the "
            r"(?:joint |concurrent )?resolution)[^.]*?\b(?:passed|agreed to)\b)",
        ),
        ("committee", r"\b(?:referred|reported|discharged|hearings held|mark-?up session)\b"),
    )
)
_OVERRIDE = re.compile(
    r"\bpassed (?:house|senate) over veto\b"
    r"|objections of the president[^.]*notwithstanding[^.]*\b(?:passed|agreed to)\b",
    re.IGNORECASE,
)
# "Rule H. Res. 580 passed House" is about the rule, not the bill it brings up.
_ABOUT_RULE = re.compile(r"^rules? ", re.IGNORECASE)
_TO_PRESIDENT = frozenset({"hr", "s", "hjres", "sjres"})


def bill_stage(bill_type: str, actions: Sequence[BillAction]) -> str:
    """The furthest stage the actions (oldest first) reach; "vetoed" while a veto stands."""
    rank = 0
    chambers: set[str] = set()
    overrides: set[str] = set()
    veto_stands = False
    for action in actions:
        event = _action_event(action)
        if event in ("house", "senate"):
            chambers.add(event)
        elif event == "both":
            chambers.update(("house", "senate"))
        elif event == "committee":
            rank = max(rank, BILL_STAGES.index("committee"))
        elif event is None or bill_type not in _TO_PRESIDENT:
            continue  # resolutions other than joint ones never go to the President
        elif event in ("president", "veto"):
            rank = max(rank, BILL_STAGES.index("president"))
            if event == "veto":
                veto_stands, overrides = True, set()
        elif event.startswith("override-"):
            overrides.add(event)
            if len(overrides) == 2:
                veto_stands, rank = False, BILL_STAGES.index("law")
        elif event == "law":
            veto_stands, rank = False, BILL_STAGES.index("law")
    if chambers:
        both = len(chambers) == 2 and bill_type not in ("hres", "sres")
        rank = max(rank, BILL_STAGES.index("passed-both" if both else "passed-one"))
    return "vetoed" if veto_stands else BILL_STAGES[rank]


def _action_event(action: BillAction) -> str | None:
    text = action.text
    if _OVERRIDE.search(text):
        return f"override-{_chamber(action)}"
    code = action.code or ""
    event = _CODE_EVENTS.get(code) or ("committee" if code.startswith(("H11", "H12")) else None)
    event = event or _TYPE_EVENTS.get((action.action_type or "").lower())
    if event or _ABOUT_RULE.match(text):
        return event
    return next((name for name, pattern in _TEXT_EVENTS if pattern.search(text)), None)


def _chamber(action: BillAction) -> str:
    source = (action.source_system or "").lower()
    if "senate" in source or "house" in source:
        return "senate" if "senate" in source else "house"
    text = action.text.lower()
    senate, house = text.find("senate"), text.find("house")
    return "senate" if senate >= 0 and (house < 0 or senate < house) else "house"
