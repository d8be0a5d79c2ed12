"""Docket entries whose titles carry no case number, and coverage of a court's ruling
that names the court by its level. Examples written here, in wording of their own."""

from __future__ import annotations

from datetime import datetime

from event_items import report

from tracker import event_filings, event_unlike
from tracker.event_kinds import kinds
from tracker.events import group

MONDAY = datetime.fromisoformat("2031-10-06T09:00:00-04:00")


def test_a_caption_and_what_was_filed_is_a_docket_entry() -> None:
    assert event_filings.is_filing("FTC v. Tessera Maps Inc. — Complaint for Permanent Injunction")
    assert event_filings.is_filing("United States v. Orrin Rentals; Proposed Final Judgment")
    assert event_filings.is_filing("Order List (03/02/2031) — Certiorari Granted: Roe v. Vantage")
    assert event_filings.is_filing("Dune Coalition v. Marsh - Opinion")
    # A headline that writes a case's name is not a docket entry.
    assert not event_filings.is_filing("Dune v. Marsh: what the fair-use fight is really about")


def test_taking_a_company_to_court_is_a_suit() -> None:
    assert "suit" in kinds("Regulator takes app maker to court over location sales")
    assert "suit" in kinds("State took the broker to court on Tuesday")


def test_coverage_of_an_appeals_courts_opinion_names_the_court_by_its_level() -> None:
    opinion = report(1, "Coalition for Open Apps v. Marsh, No. 31-20417 (5th Cir.) — Opinion",
                     "Opinion vacating the preliminary injunction.", start=MONDAY,
                     doc_type="notice", source="courtlistener")  # fmt: skip
    covered = report(2, "Appeals court lets Texas enforce its app store age law",
                     "A divided panel said the challengers were unlikely to win.",
                     start=MONDAY, hours=5)  # fmt: skip
    assert event_filings.covers(opinion, covered)
    assert group([opinion, covered]) == [[1, 2]]


def test_coverage_of_a_grant_of_certiorari_names_the_supreme_court() -> None:
    granted = report(1, "Order List (10/06/2031) — Certiorari Granted: 30-4471 Roe v. Quillon AI",
                     "The petition for a writ of certiorari is granted.", start=MONDAY,
                     doc_type="notice", source="supremecourt")  # fmt: skip
    covered = report(2, "Supreme Court agrees to hear chatbot liability case",
                     "The justices will decide whether platforms answer for what models say.",
                     start=MONDAY, hours=3)  # fmt: skip
    assert event_filings.covers(granted, covered)


def test_a_complaint_without_its_number_joins_the_suit_it_records() -> None:
    complaint = report(1, "FTC v. Tessera Maps Inc. — Complaint for Permanent Injunction",
                       "Complaint filed in the District of Idaho, Case No. 1:31-cv-00219.",
                       start=MONDAY, doc_type="report", source="courtlistener")  # fmt: skip
    release = report(2, "FTC Sues Tessera Maps for Selling Precise Location Data",
                     "The agency says Tessera Maps sold visits to clinics and shelters.",
                     start=MONDAY, hours=2, doc_type="press-release", source="ftc")  # fmt: skip
    assert complaint.act.kinds == {"suit"}
    assert event_unlike.relation(complaint, release) != "unlike"
    assert group([complaint, release]) == [[1, 2]]
