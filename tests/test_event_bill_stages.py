"""A bill's record and coverage of it at one stage: what a committee did to it,
which chamber a headline says acted, and what a bill's own record says was done.
Examples written here, in wording of their own."""

from __future__ import annotations

from datetime import datetime

from event_items import report

from tracker import event_acts, event_unlike
from tracker.event_kinds import kinds
from tracker.events import THRESHOLD, group, score

MONDAY = datetime.fromisoformat("2028-03-06T09:00:00-05:00")


def test_a_committee_named_by_its_jurisdiction_approving_a_bill_is_a_markup() -> None:
    assert "markup" in kinds("Senate Judiciary approves chip-smuggling bill 15-7")
    assert "markup" in kinds("House Energy and Commerce advances kids' privacy measure")
    assert "markup" in kinds("HFAC clears export enforcement bill")
    # The chamber itself approving a bill is its passage, not a committee's markup.
    assert "markup" not in kinds("Senate approves chip-smuggling bill 68-30")
    assert "passage" in kinds("Senate approves chip-smuggling bill 68-30")


def test_a_chamber_passing_a_bill_is_passage_with_an_adverb_between() -> None:
    assert "passage" in kinds("House Narrowly Passes Data Broker Bill")
    assert "passage" in kinds("Senate unanimously passes cable security act")


def test_the_committee_report_of_a_bill_is_its_markup_stage() -> None:
    assert "markup" in kinds("H.R. 7310 - Cable Act: Reported by the Committee on Homeland")
    assert "markup" in kinds("S. 2202 - Data Broker Act: Reported with an amendment")
    # A story sourced to a paper is not a committee's report.
    assert "markup" not in kinds("Chip smuggling rose last year, as reported by the Times")


def test_a_statement_on_a_bills_introduction_names_the_introduction() -> None:
    assert "introduce" in kinds("Ranking Member Statement on Introduction of the Data Broker Act")


def test_a_headline_naming_both_chambers_has_the_one_that_acted() -> None:
    passed = report(1, "House passes cable security bill, sending it to the Senate",
                    "Lawmakers voted 390-21.", start=MONDAY)  # fmt: skip
    approved = report(2, "Senate Commerce approves data broker bill, setting up House fight",
                      "The committee vote was 16-12.", start=MONDAY)  # fmt: skip
    compared = report(3, "House and Senate data broker bills compared",
                      "The Senate version is narrower.", start=MONDAY)  # fmt: skip
    assert passed.act.chamber == "house"
    assert approved.act.chamber == "senate"
    assert compared.act.chamber is None  # a comparison: neither chamber acted


def test_a_bills_record_is_the_bill_not_what_it_would_do() -> None:
    record = report(1, "H.R. 7310 - Cable Security Act of 2028",
                    "To require a licence for the export of cable-landing equipment and to "
                    "direct the Secretary to issue rules.", start=MONDAY, hours=8,
                    doc_type="bill", source="congress")  # fmt: skip
    release = report(2, "Congresswoman Ruiz Introduces Cable Security Act",
                     "The bill would require export licences for landing equipment.",
                     start=MONDAY, doc_type="press-release", source="house-member")  # fmt: skip
    assert record.act.kinds == frozenset()  # a licence and rules are what it would bring
    assert event_acts.relation(record.act, release.act) == "same"
    assert score(record, release) >= THRESHOLD
    assert group([record, release]) == [[2, 1]]


def test_a_markup_and_the_committee_report_of_it_are_one_stage() -> None:
    markup = report(1, "Full Committee Markup of H.R. 7310 - Cable Security Act of 2028", "",
                    start=MONDAY, doc_type="hearing", source="house-homeland")  # fmt: skip
    reported = report(2, "H.R. 7310 - Cable Security Act of 2028: Reported by the Committee "
                      "on Homeland Security", "", start=MONDAY, hours=24 * 6, doc_type="bill",
                      source="congress")  # fmt: skip
    passed = report(3, "H.R. 7310 - Cable Security Act of 2028: Passed House", "",
                    start=MONDAY, hours=24 * 8, doc_type="bill", source="congress")  # fmt: skip
    assert event_unlike.relation(markup, reported) == "same"
    assert event_unlike.relation(reported, passed) == "different"  # passage is the next stage
    assert group([markup, reported, passed]) == [[1, 2], [3]]


def test_a_committees_approval_joins_its_order_to_report() -> None:
    ordered = report(1, "S. 2202 - Data Broker Act of 2028: Ordered to be Reported with an "
                     "Amendment in the Nature of a Substitute", "", start=MONDAY, hours=10,
                     doc_type="bill", source="congress")  # fmt: skip
    story = report(2, "Senate Commerce approves data broker bill 16-12, setting up House fight",
                   "The Data Broker Act, S. 2202, now heads to the floor.", start=MONDAY,
                   hours=8)  # fmt: skip
    assert story.act.chamber == "senate"
    assert "markup" in story.act.kinds
    assert event_unlike.relation(ordered, story) == "same"
    assert group([ordered, story]) == [[2, 1]]


def test_a_two_part_title_is_reported_by_its_first_part() -> None:
    record = report(1, "H.R. 7310 - Cable Security and Landing Station Protection Act of 2028: "
                    "Passed House", "", start=MONDAY, hours=9, doc_type="bill",
                    source="congress")  # fmt: skip
    release = report(2, "House Easily Passes Ruiz's Cable Security Act", "",
                     start=MONDAY, hours=10, doc_type="press-release",
                     source="house-member")  # fmt: skip
    assert "act:cable security act" in record.act.identifiers
    assert event_unlike.relation(record, release) == "same"
    # A name of one part has no shorter form; "of" or "for" does not split a name.
    assert (
        event_acts.relation(
            report(
                3, "Protection of Cable Landing and Undersea Stations Act", "", start=MONDAY
            ).act,
            release.act,
        )
        != "same"
    )
