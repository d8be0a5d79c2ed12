"""What official records say about which act coverage reports: the body a Register
document names as acting, a commission's docket, a hearing's witnesses, a bill's
sponsor and number, the party a notice is titled by, a dated act, an act set
beside a report's own. Examples written here, in wording of their own."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from event_items import report

from tracker import event_acts, event_dates, event_hearings, event_names, event_unlike
from tracker.events import THRESHOLD, group, score

TUESDAY = datetime.fromisoformat("2027-11-02T10:00:00-04:00")
_FR = "https://www.federalregister.gov/documents/2027/11/19/2027-23001/spectrum"


def _register(item_id: int, title: str, text: str, hours: float, doc_type: str = "rule"):  # type: ignore[no-untyped-def]
    return replace(
        report(item_id, title, text, start=TUESDAY, hours=hours, doc_type=doc_type,
               source="federal-register"),
        url=_FR.replace("23001", str(23000 + item_id)),
    )  # fmt: skip


def test_the_common_register_feed_is_published_by_the_body_its_text_names() -> None:
    assert event_names.register_agency(
        "Proposed rule. The Federal Maritime Commission proposes to amend ..."
    ) >= {"fmc"}
    assert "nrc" in event_names.register_agency(
        "Final rule. The Nuclear Regulatory Commission (NRC) amends its regulations ..."
    )
    assert event_names.register_agency("The consent agreement in this matter settles") == set()


def test_a_shared_docket_joins_the_release_and_a_printing_weeks_later() -> None:
    release = report(1, "FMC Proposes New Detention and Demurrage Billing Rules",
                     "The Commission voted to propose changes. Docket No. 27-14.",
                     start=TUESDAY, doc_type="press-release", source="fmc-news")  # fmt: skip
    printing = _register(2, "Demurrage and Detention Billing Requirements",
                         "Proposed rule. The Federal Maritime Commission proposes to amend "
                         "its billing rules. Docket No. 27-14.", hours=24 * 16)  # fmt: skip
    other = _register(3, "Service Contract Filing Requirements",
                      "Proposed rule. The Federal Maritime Commission proposes to revise "
                      "service contract filing. Docket No. 27-19.", hours=24 * 16)  # fmt: skip
    assert event_unlike.relation(release, printing) == "same"
    assert score(release, printing) >= THRESHOLD
    # Another docket's printing the same day reads as another act.
    assert score(release, other) < THRESHOLD
    assert [1, 2] in group([release, printing, other])


def test_a_printing_weeks_after_the_vote_joins_the_release_it_reads_like() -> None:
    # The FCC's orders print weeks after the vote, often with no docket in the abstract.
    release = report(1, "FCC Adopts Rules to Streamline Submarine Cable Licensing",
                     "The Commission adopted a Report and Order modernizing its submarine "
                     "cable landing license rules and barring foreign adversary ownership.",
                     start=TUESDAY, doc_type="press-release", source="fcc")  # fmt: skip
    printing = _fcc_register(2, "Review of Submarine Cable Landing License Rules and Procedures",
                             "Final rule. The Federal Communications Commission modernizes its "
                             "submarine cable landing license rules and procedures.")  # fmt: skip
    other = _fcc_register(3, "Protecting Consumers From Unwanted Robocalls and Robotexts",
                          "Proposed rule. The Federal Communications Commission proposes "
                          "disclosure rules for calls that use AI.")  # fmt: skip
    assert event_unlike.relation(release, printing) != "same"  # no number in common
    assert score(release, printing) >= THRESHOLD
    assert score(release, other) < THRESHOLD
    assert sorted(map(sorted, group([release, printing, other]))) == [[1, 2], [3]]
    # Past the Register's three weeks, the words alone no longer join them.
    late = replace(printing, published=printing.published + timedelta(days=3))
    assert score(release, late) == 0.0


def _fcc_register(item_id: int, title: str, text: str):  # type: ignore[no-untyped-def]
    """A document on the FCC's own Federal Register feed, printed 19 days after TUESDAY."""
    return replace(_register(item_id, title, text, hours=24 * 19), source="fr-fcc")


def test_a_hearing_is_named_by_its_witnesses_on_its_day() -> None:
    notice = report(1, "Subcommittee Hearing: Securing Undersea Cables",
                    "Thursday, November 4, 2027, 10:00 a.m. Witnesses: Ms. Ines Calder, "
                    "Director, Cable Council; Dr. Tomas Brightwater, Harbor Institute.",
                    start=TUESDAY, doc_type="hearing", source="house-homeland")  # fmt: skip
    assert event_hearings.witnesses(notice.text) == {"Calder", "Brightwater"}
    on_the_day = report(2, "Calder warns lawmakers that cable repair ships are too few",
                        start=TUESDAY, hours=50)  # fmt: skip
    a_week_on = report(3, "Calder warns that cable repair ships are too few",
                       start=TUESDAY, hours=24 * 8)  # fmt: skip
    assert event_unlike.relation(notice, on_the_day) == "same"
    assert event_unlike.relation(notice, a_week_on) != "same"


def test_a_bill_is_introduced_by_its_sponsor() -> None:
    record = report(1, "H.R.6120 - Harbor Cable Security Act",
                    "Sponsor: Rep. Okonjo, Adaeze [D-MD-4]. Introduced 11/02/2027.",
                    start=TUESDAY, doc_type="bill", source="congress-gov")  # fmt: skip
    assert event_hearings.sponsor(record.text) == "Okonjo"
    release = report(
        2,
        "Okonjo Introduces Legislation to Guard Undersea Links",
        start=TUESDAY,
        hours=2,
        doc_type="press-release",
        source="rep-okonjo",
    )
    mention = report(3, "House panel weighs cable rules; Okonjo bill among ideas",
                     start=TUESDAY, hours=2)  # fmt: skip
    assert event_unlike.relation(record, release) == "same"
    assert event_unlike.relation(record, mention) != "same"  # not the one who acted


def test_companion_bills_in_two_chambers_are_two_bills() -> None:
    senate = report(1, "S.3310 - Harbor Cable Security Act", "Sponsor: Sen. Varga, Lena",
                    start=TUESDAY, doc_type="bill", source="congress-gov")  # fmt: skip
    house = report(2, "H.R.6120 - Harbor Cable Security Act", "Sponsor: Rep. Okonjo, Adaeze",
                   start=TUESDAY, hours=30, doc_type="bill", source="congress-gov")  # fmt: skip
    release = report(3, "Sen. Varga Introduces Harbor Cable Security Act", start=TUESDAY,
                     hours=1, doc_type="press-release", source="sen-varga")  # fmt: skip
    assert event_acts.relation(event_acts_of(senate), event_acts_of(house)) == "different"
    assert event_unlike.relation(release, house) == "different"
    assert event_unlike.relation(release, senate) == "same"


def event_acts_of(item):  # type: ignore[no-untyped-def]
    return event_acts.act_of(item.title, item.text, item.url, item.doc_type)


def test_a_register_notice_titled_by_a_party_is_the_release_naming_it() -> None:
    release = report(
        1,
        "FTC Order Requires Lanternfish Apps to Delete Voice Data",
        start=TUESDAY,
        doc_type="press-release",
        source="ftc-press",
    )
    notice = _register(2, "Lanternfish Apps, LLC; Analysis of Proposed Consent Order To Aid "
                       "Public Comment", "The consent agreement settles alleged violations.",
                       hours=24 * 6, doc_type="notice")  # fmt: skip
    assert event_unlike.relation(release, notice) == "same"


def test_a_title_led_by_an_audited_body_is_not_that_bodys_rule() -> None:
    audit = report(
        1,
        "Federal Maritime Commission: Staffing Shortfalls Slow Billing Reviews",
        start=TUESDAY,
        hours=30,
        doc_type="report",
        source="gao-reports",
    )
    rule = report(2, "The Federal Maritime Commission finalizes its billing rule",
                  start=TUESDAY)  # fmt: skip
    assert event_unlike.relation(audit, rule) != "same"


def test_a_dated_act_and_an_act_set_beside_a_report() -> None:
    printed = _register(1, "Demurrage and Detention Billing Requirements",
                        "Final rule. The Federal Maritime Commission amends its rules.",
                        hours=0)  # fmt: skip
    analysis = report(
        2,
        "Billing changes: what shippers should expect",
        "The rule published November 2 narrows who can be billed.",
        start=TUESDAY,
        hours=26,
        doc_type="report",
        source="port-forum",
    )
    assert event_dates.dated_to(analysis, printed)
    beside = report(3, "FMC rejects carrier alliance filing",
                    "The order, issued alongside the final rule on billing, "
                    "asks for more data.", start=TUESDAY, hours=3)  # fmt: skip
    rule_story = report(4, "FMC finalizes billing rule for carriers", start=TUESDAY, hours=2)
    assert event_acts_of(beside).beside == {"rule"}
    assert event_unlike.relation(beside, rule_story) == "unlike"
