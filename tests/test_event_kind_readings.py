"""The kind of act a headline or lede names, read as it is meant: a licence a rule
requires is the rule, a watchdog that fines is a regulator, a lede's earlier act is
not the report's own. Examples written here, in wording of their own."""

from __future__ import annotations

from datetime import datetime

from event_items import report

from tracker import event_unlike
from tracker.event_kinds import kinds

TUESDAY = datetime.fromisoformat("2029-05-08T09:00:00-04:00")


def test_a_licence_a_rule_requires_is_not_a_licence_granted() -> None:
    assert "licence" not in kinds(
        "Routers from three vendors now need a licence under new U.S. rules"
    )
    assert "rule" in kinds("Routers from three vendors now need a licence under new U.S. rules")
    assert "licence" not in kinds("BIS adds licence requirements for mid-range GPUs")
    assert "licence" not in kinds("Exporters could ship some parts without licenses until now")
    assert "licence" not in kinds(
        "Copyright Office turns down a compulsory license for AI training"
    )
    assert "licence" not in kinds("Belarus-related Designations; Issuance of General License 12")
    # A licence a company is granted is still one.
    assert "licence" in kinds("Quarry Micro wins U.S. licences to ship accelerators to Qatar")


def test_narrowing_an_exemption_is_a_rule() -> None:
    assert "rule" in kinds("Commerce narrows chip export exemption for cloud providers")
    assert "rule" in kinds("Treasury tightened the license exception for fund managers")
    assert "licence" not in kinds("Commerce narrows License Exception ACA")


def test_an_fcc_report_and_order_is_a_rule_not_a_report() -> None:
    found = kinds("The Commission adopted a Report and Order setting new cable-landing rules.")
    assert "report" not in found
    assert "rule" in found


def test_a_regulator_called_a_watchdog_is_not_an_auditor_reporting() -> None:
    fined = kinds("Irish privacy watchdog fines messaging app €9 million")
    assert "report" not in fined
    assert "charge" in fined
    assert "report" not in kinds("Competition watchdog opens probe into cloud deals")
    # An auditor is still one, and researchers who find something publish it.
    assert "report" in kinds("Pentagon watchdog faults tracking of exported drones")
    assert "report" in kinds("Researchers estimate 90,000 GPUs were smuggled last year")
    assert "report" not in kinds("Researchers at two universities disclosed the flaw in March.")


def test_a_framework_bill_is_not_a_published_framework() -> None:
    assert "report" not in kinds("Chairwoman Releases Federal Privacy Framework Legislation")
    assert "report" not in kinds("Chair Releases Discussion Draft of the Data Framework Act")
    assert "report" in kinds("NIST releases its AI risk management framework")


def test_fees_are_not_charges_and_quarters_can_be_dates() -> None:
    assert "charge" not in kinds("FERC's order sets transmission charges for co-located loads")
    assert "charge" in kinds("Broker charged with shipping servers to Iran")
    assert "results" not in kinds("The merger is expected to close in the fourth quarter.")
    assert "results" in kinds("Halden Semiconductor reports record quarter")


def test_an_rfi_and_the_unverified_list_are_named() -> None:
    assert "comment" in kinds("DOE opens second RFI on data centers at national labs")
    assert "listing" in kinds("Commerce puts 9 parties on Unverified List after failed checks")


def test_a_ledes_earlier_act_is_not_the_reports_own() -> None:
    # Its title names no kind, so the lede says what was done; what the lede dates
    # "a day after" is another act, as it is in a title.
    fined = report(1, "Lumen Pal app pays to end 'AI counsellor' claims",
                   "The case, a day after the agency opened a broad study of companion "
                   "apps, is its first over therapy marketing.", start=TUESDAY)  # fmt: skip
    assert "report" not in fined.act.kinds
    settled = report(2, "Lumen Pal settles with FTC over 'AI counsellor' marketing",
                     "The app will refund subscribers.", start=TUESDAY, hours=3)  # fmt: skip
    assert event_unlike.relation(fined, settled) != "unlike"


def test_a_compulsory_licence_story_is_not_unlike_the_report_it_covers() -> None:
    covered = report(1, "Copyright Office declines to back a compulsory license for AI training",
                     "Its long-awaited report says voluntary markets are forming.",
                     start=TUESDAY, hours=2)  # fmt: skip
    published = report(2, "Copyright and Artificial Intelligence, Part 5: Licensing Markets",
                       "The Office concludes that licensing markets are emerging.",
                       start=TUESDAY, doc_type="report", source="copyright-office")  # fmt: skip
    assert "licence" not in covered.act.kinds
    assert event_unlike.relation(covered, published) != "unlike"
