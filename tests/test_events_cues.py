"""What coverage says about which act it reports: the figures it repeats, an earlier
act it dates apart, the chamber a member's own site names, a Register document
printed days later, a witness's testimony, an outlet's dotted initials."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from event_items import report

from tracker import event_figures, event_unlike
from tracker.event_words import tokens
from tracker.events import THRESHOLD, group, score

MONDAY = datetime.fromisoformat("2027-09-13T09:00:00-04:00")


def test_figures_are_read_in_one_form_whichever_way_they_are_written() -> None:
    one = report(1, "Tollgate to build $3.5 billion campus",
                 "A 1.2-gigawatt site; 40 percent of power from wind. The state lists "
                 "12 firms as suppliers.", start=MONDAY)  # fmt: skip
    other = report(2, "Tollgate's $3.5bn bet", "1.2 GW, 40% renewable, 12 companies.",
                   start=MONDAY)  # fmt: skip
    assert event_figures.figures(one) == event_figures.figures(other)
    assert event_figures.figures(one) == {"$3.5b", "1.2 gw", "40%", "12 entity"}
    # A one-digit share or count says little; a sum of money always counts.
    few = report(3, "Shares up 2% as 3 firms sign; $5 million grant", start=MONDAY)
    assert event_figures.figures(few) == {"$5m"}


def test_a_shared_figure_lifts_two_reports_of_one_deal_over_the_threshold() -> None:
    release = report(1, "Quillon Announces $6.4 Billion Data Center Campus in Nevada",
                     "Quillon will build a 900-megawatt campus near Reno.", start=MONDAY,
                     doc_type="press-release", source="quillon-news")  # fmt: skip
    wire = report(2, "Cloud firm to spend $6.4 billion on desert data hub", start=MONDAY,
                  hours=5)  # fmt: skip
    other = report(3, "Cloud firm to spend $2.1 billion on desert data hub", start=MONDAY,
                   hours=5)  # fmt: skip
    assert score(release, wire) >= THRESHOLD > score(release, other)


def test_a_headline_that_dates_an_earlier_act_apart_is_another_act() -> None:
    campus = report(1, "Quillon unveils Nevada campus plan", start=MONDAY)
    deal = report(2, "A day after Nevada campus news, Quillon signs geothermal deal",
                  start=MONDAY, hours=26)  # fmt: skip
    same_day = report(3, "Hours after Nevada campus news, analysts weigh Quillon",
                      start=MONDAY, hours=3)  # fmt: skip
    assert event_unlike.relation(campus, deal) == "unlike"
    assert event_unlike.relation(campus, same_day) != "unlike"  # not a day apart
    assert [1, 2] not in group([campus, deal])


def test_a_members_own_site_names_the_chamber() -> None:
    senate = replace(
        report(1, "Okafor Introduces Bill to Track Exported Accelerators", start=MONDAY,
               doc_type="press-release", source="okafor-news"),
        url="https://www.okafor.senate.gov/news/okafor-introduces-bill",
    )  # fmt: skip
    house = replace(
        report(2, "Lindqvist Bill Would Make Exported Accelerators Report Their Location",
               start=MONDAY, hours=20, doc_type="press-release", source="lindqvist-news"),
        url="https://lindqvist.house.gov/media/press-releases/bill",
    )  # fmt: skip
    assert event_unlike.relation(senate, house) in ("unlike", "different")


def test_a_register_document_days_after_coverage_of_another_kind_of_act_is_its_own() -> None:
    order = report(1, "President signs order to speed grid hookups for AI campuses",
                   start=MONDAY)  # fmt: skip
    notice = replace(
        report(2, "Request for Information on Leasing Federal Land for AI Campuses",
               "Notice; request for information. The Department seeks comment on ...",
               start=MONDAY, hours=24 * 5, doc_type="notice", source="fr-doe"),
        url="https://www.federalregister.gov/documents/2027/09/18/2027-19001/rfi",
    )  # fmt: skip
    printing = replace(
        report(3, "Speeding Grid Interconnection for Artificial Intelligence Campuses",
               "Executive Order 14512 of September 13, 2027.", start=MONDAY, hours=24 * 4,
               doc_type="executive-order", source="fr-presidential"),
        url="https://www.federalregister.gov/documents/2027/09/17/2027-18877/grid",
    )  # fmt: skip
    assert event_unlike.relation(order, notice) == "unlike"
    assert event_unlike.relation(order, printing) != "unlike"  # the order's coverage names it


def test_a_witness_testimony_is_the_hearing_it_was_given_at() -> None:
    notice = report(1, "Securing the Compute Supply Chain",
                    "Full Committee Hearing. Thursday, September 16, 2027, 10:00 a.m.",
                    start=MONDAY, doc_type="hearing", source="senate-commerce")  # fmt: skip
    testimony = report(2, "Testimony of Dr. Ana Ruiz before the Senate Committee on Commerce",
                       "Chair and members of the committee, thank you ...", start=MONDAY,
                       hours=72, doc_type="report", source="think-tank")  # fmt: skip
    assert event_unlike.relation(notice, testimony) != "unlike"


def test_dotted_initials_are_the_same_word() -> None:
    assert tokens("The F.T.C. sues") == tokens("The FTC sues")
