"""Event grouping: what one actor's act of one kind is aimed at (objects24).

One agency opens two import investigations in a week, one pair of senators writes
to two companies on consecutive days, and the Register prints one listing a week
before the agency announces its next: the acts share their actor, their kind and
most of their words, and differ in what they are aimed at (the goods, the
addressee) or in which came first. The grouping tests fail on main before this
change (f9a4c2c, checked by running this file there); the items are invented, as
in the evaluation sets.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from event_items import report

from tracker.event_conflicts import addressed_apart, aimed_apart
from tracker.event_names import printing
from tracker.event_objects import addressees, aims
from tracker.event_words import stem
from tracker.events import EventItem, group

MONDAY = datetime.fromisoformat("2031-03-03T09:00:00-05:00")

item = partial(report, start=MONDAY)


def together(found: list[list[int]], *ids: int) -> bool:
    return any(set(ids) <= set(g) for g in found)


def apart(found: list[list[int]], one: int, other: int) -> bool:
    return not together(found, one, other)


def _two_investigations() -> list[EventItem]:
    turbines = item(1, "Commerce opens Section 232 probe of wind turbine imports",
                    "The Commerce Department began a national security investigation of "
                    "imported wind turbines and their nacelles.", source="trade-wire")  # fmt: skip
    turbines_wire = item(2, "US launches national security investigation into wind turbine imports",
                         "Commerce began the Section 232 investigation of imported wind turbines "
                         "and nacelles on Monday.", hours=3, source="wire")  # fmt: skip
    batteries = item(3, "Commerce launches Section 232 investigation of battery imports",
                     "The investigation covers lithium-ion cells and packs used in grid "
                     "storage.", hours=50, source="energy-daily")  # fmt: skip
    batteries_wire = item(4, "US opens national security probe into battery imports",
                          hours=52, source="wire")  # fmt: skip
    notice = item(5, "Notice of Request for Public Comments on Section 232 National Security "
                     "Investigation of Imports of Wind Turbines and Their Components",
                  "The Bureau of Industry and Security initiated an investigation on February "
                  "27, 2031. Comments are due April 3, 2031.",
                  hours=72, doc_type="notice", source="federal-register")  # fmt: skip
    return [turbines, turbines_wire, batteries, batteries_wire, notice]


def test_one_agencys_investigations_of_two_goods_are_two_events() -> None:
    found = group(_two_investigations())
    assert together(found, 1, 2), found
    assert together(found, 3, 4), found
    for turbine in (1, 2, 5):
        for battery in (3, 4):
            assert apart(found, turbine, battery), found


def test_the_goods_an_act_covers_are_read_from_its_own_clause() -> None:
    turbines, _, batteries, wire, notice = _two_investigations()
    assert aims(turbines) == aims(notice) >= {"wind"}
    assert stem("battery") in aims(wire) & aims(batteries)
    later = item(6, "Commerce opens battery import probe, two days after turbine investigation")
    assert stem("turbine") not in aims(later)
    assert aimed_apart(batteries, notice) and not aimed_apart(turbines, notice)
    # Goods written before "tariffs"; a singular "tariff" before a noun names none.
    assert stem("gallium") in aims(item(15, "Five questions on the new gallium tariffs"))
    assert not aims(item(16, "Trade deal ties tariff relief to new fab investment"))


def test_coverage_naming_goods_loosely_beside_the_record_is_not_apart() -> None:
    record = item(7, "Adjusting Imports of Gallium and Its Derivatives Into the United States",
                  "Imports of gallium and gallium wafers threaten to impair national security.",
                  doc_type="proclamation", source="white-house")  # fmt: skip
    story = item(8, "New gallium proclamation puts 40% duty on wafers and substrates",
                 hours=4, source="trade-wire")  # fmt: skip
    assert aims(record) and aims(story)
    assert not aimed_apart(record, story)


def _two_letters() -> list[EventItem]:
    first = item(10, "Ortega, Lindgren Demand Answers From Brightline on AI Tutors and Children",
                 "In a letter to Brightline's chief executive, the senators asked for internal "
                 "test results by April 1.", doc_type="letter", source="sen-ortega")  # fmt: skip
    first_release = item(11, "Lindgren & Ortega Letter to Brightline on AI Tutors and Minors",
                         hours=2, doc_type="letter", source="sen-lindgren")  # fmt: skip
    second = item(12, "Ortega, Lindgren Press Quillfeather on Age Checks for AI Tutors",
                  "The senators asked Quillfeather to explain how its age checks classify "
                  "students.", hours=26, doc_type="letter", source="sen-lindgren")  # fmt: skip
    second_release = item(13, "Ortega, Lindgren Demand Quillfeather Explain Age Check Failures",
                          "The letter asks it to explain the failures of its age checks.",
                          hours=27, doc_type="letter", source="sen-ortega")  # fmt: skip
    return [first, first_release, second, second_release]


def test_one_pairs_letters_to_two_companies_are_two_events() -> None:
    found = group(_two_letters())
    assert together(found, 12, 13), found
    for one in (10, 11):
        for other in (12, 13):
            assert apart(found, one, other), found


def test_a_letters_addressee_is_read_from_its_headline() -> None:
    first, first_release, second, second_release = _two_letters()
    assert addressees(first) == {stem("brightline")} == addressees(first_release)
    assert addressees(second) == {stem("quillfeather")} == addressees(second_release)
    assert addressed_apart(first, second_release)
    assert not addressed_apart(first, first_release)
    # Coverage that names both (one in background) is not held apart from either.
    both = item(
        14,
        "Senators send Quillfeather a letter, a day after pressing Brightline",
        "The letter to Quillfeather follows one to Brightline.",
        hours=30,
    )
    assert not addressed_apart(both, first)


def test_a_printing_does_not_reach_forward_to_the_agencys_next_release() -> None:
    printed = item(20, "Additions to the Entity List",
                   "In this rule, the Bureau of Industry and Security amends the EAR by adding "
                   "11 entities under the destination of Kazakhstan.",
                   doc_type="export-control", source="federal-register")  # fmt: skip
    release = item(21, "BIS Adds Nine Entities to the Entity List for Diverting Items to Iran",
                   hours=24 * 6, doc_type="press-release", source="bis")  # fmt: skip
    earlier_release = item(22, "Commerce Adds 11 Entities in Kazakhstan to the Entity List",
                           hours=-24, doc_type="press-release", source="bis")  # fmt: skip
    assert not printing(printed, release)
    assert printing(printed, earlier_release)
    found = group([printed, release, earlier_release])
    assert apart(found, 20, 21), found
    assert together(found, 20, 22), found
