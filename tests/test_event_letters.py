"""Event grouping: whom lawmakers' letters are written to (letters27).

One group of senators writes near-identical letters to two firms' chief executives
on one day; each office posts "Letter to <name> Regarding ...", and coverage says
"senators question <firm>" or "demand answers from <firm>" without the word letter,
often adding that a separate letter went to the other firm. The tests fail on main
before this change (6a2269d, checked by running this file there); the items are
invented, as in the evaluation sets.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from event_items import report

from tracker.event_conflicts import addressed_apart
from tracker.event_objects import addressees
from tracker.event_words import stem
from tracker.events import group

TUESDAY = datetime.fromisoformat("2031-10-21T10:00:00-04:00")
item = partial(report, start=TUESDAY)


def stems(*words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words)


def _two_letters() -> list:  # type: ignore[type-arg]
    # fmt: off
    return [
        item(1, "Letter to Dana Whitcomb Regarding Location Data Sales by Harborline Mobile",
             "We write about Harborline Mobile's sale of precise location data to brokers. "
             "Please respond by November 4, 2031.", doc_type="letter",
             source="sen-alvarez"),
        item(2, "Letter to Priya Anand Regarding Location Data Sales by Corvex Wireless",
             "We write about Corvex Wireless's sale of precise location data to brokers. "
             "Please respond by November 4, 2031.", hours=0.2, doc_type="letter",
             source="sen-alvarez"),
        item(3, "Senators question Harborline over selling phone location data",
             "A bipartisan group of senators asked Harborline Mobile to explain its data "
             "sales. A separate letter went to Corvex.", hours=5, source="wire"),
        item(4, "Lawmakers demand answers from Corvex on location data brokers",
             "The letter gives Corvex two weeks to list every buyer of its data.",
             hours=6, source="telecom-daily"),
    ]
    # fmt: on


def test_a_title_case_name_ends_where_the_subject_begins() -> None:
    first, second, *_ = _two_letters()
    assert addressees(first) == stems("dana", "whitcomb")
    assert addressees(second) == stems("priya", "anand")


def test_a_firms_form_and_trade_are_not_who_it_is() -> None:
    letter = item(5, "Letter to Kestrel AI, Inc. on Chatbot Safeguards for Minors",
                  "We write about Kestrel AI's companions.", doc_type="letter")  # fmt: skip
    assert addressees(letter) == stems("kestrel")


def test_lawmakers_demands_of_a_firm_name_their_letters_addressee() -> None:
    *_, wire, trade = _two_letters()
    assert addressees(wire) == stems("harborline")
    assert addressees(trade) == stems("corvex")
    both = item(6, "Senators press Harborline and Corvex over location data", hours=8)
    assert addressees(both) == stems("harborline", "corvex")
    # A hearing or a vote names no addressee however a headline words it.
    assert addressees(item(7, "Regulators press ahead with location data rule")) == frozenset()


def test_a_separate_letter_told_beside_ones_own_is_not_its_addressee() -> None:
    *_, wire, trade = _two_letters()
    assert addressed_apart(wire, trade)
    both = _two_letters()[3]
    assert not addressed_apart(both, item(8, "Corvex says it will answer senators", hours=9))


def test_one_groups_letters_to_two_chief_executives_are_two_events() -> None:
    found = group(_two_letters())
    assert not any({1, 2} <= set(g) for g in found), found
    assert not any({3, 4} <= set(g) for g in found), found
    assert any({2, 4} <= set(g) for g in found), found
