"""Event grouping: the rules that hold two reports apart, narrowed where they split
more labelled pairs than they saved (vetoes24; the per-rule count is in
tests/data/EVALUATION.md).

Each test fails on main before this change (3dd6282). The items are invented.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from event_items import report

from tracker import event_unlike
from tracker.events import group

TUESDAY = datetime.fromisoformat("2028-03-07T10:00:00-05:00")

item = partial(report, start=TUESDAY)


def test_an_analysis_naming_the_deed_with_an_article_answers_it() -> None:
    """ "Can an executive order ..." and "OMB's memo" point at one deed, as "the new
    rule" does; a watchdog's "tracking of award milestones" names deeds at large."""
    order = item(1, "President signs order directing agencies to challenge state AI statutes",
                 "The executive order tells the Attorney General to sue states whose AI laws "
                 "conflict with federal policy.")  # fmt: skip
    essay = item(2, "Can an executive order override state AI law?",
                 "Our reading of the order signed this week and the limits on what it can do "
                 "to state statutes.", hours=30, doc_type="report",
                 source="lawfare-like")  # fmt: skip
    assert "order" in event_unlike._names_one_deed(essay.title)
    assert event_unlike.relation(order, essay) != "unlike"
    assert "memo" in event_unlike._names_one_deed(
        "Four questions the budget office's AI memo leaves open"
    )
    assert "licence" in event_unlike._names_one_deed(
        "The Q20 Licences Undercut the Case for Controls"
    )
    assert "rule" in event_unlike._names_one_deed("Reading the March Chip Rule: What Changed")
    assert not event_unlike._names_one_deed(
        "GAO faults Commerce tracking of CHIPS award milestones"
    )


def test_a_licence_holder_and_its_grantor_are_not_two_companies() -> None:
    """A licence has a grantor and a holder: the agency's release and coverage
    headlined by the holder tell of one deed when one names the other's actor."""
    release = item(1, "BIS Suspends Export Licenses for AI Accelerators to Two Malaysian Resellers",
                   "The Bureau of Industry and Security suspended licenses held by Orrin "
                   "Semiconductor for shipments to two resellers.", doc_type="press-release",
                   source="bis-news", entities=frozenset({"bis"}))  # fmt: skip
    news = item(2, "Orrin's Malaysia licences suspended a day after record quarter",
                "BIS halted Orrin's licences for shipments to two resellers in Malaysia.",
                hours=20)  # fmt: skip
    assert not event_unlike._two_companies(release, news)
    assert group([release, news]) == [[1, 2]]
    # Two companies' own results, neither naming the other, are still two acts
    # (tests/test_events_unlike.py::test_two_companies_results_are_two_acts).


def test_a_response_naming_the_publisher_of_a_report_is_not_another_report() -> None:
    """Two publishers' reports are two documents, unless one headline writes who
    published the other: "The SEC's Staff Report ..." answers that report."""
    staff = item(1, "SEC Staff Report Examines Use of AI Models in Broker Recommendations",
                 "The staff of the Securities and Exchange Commission reviewed how 14 "
                 "broker-dealers use AI models.", doc_type="report", source="sec-reports",
                 entities=frozenset({"sec"}))  # fmt: skip
    essay = item(2, "The SEC's AI Broker Report Mistakes Ranking for Advice",
                 "A response to this week's staff report on broker-dealers.", hours=26,
                 doc_type="report", source="think-tank")  # fmt: skip
    assert event_unlike.relation(staff, essay) != "different"
    crs = item(3, "AI in Securities Markets: An Overview for Congress",
               "This In Focus summarizes how broker-dealers use AI.", hours=2,
               doc_type="report", source="crs")  # fmt: skip
    assert event_unlike.relation(staff, crs) == "different"


def test_an_analysis_of_the_rule_named_by_its_owner_does_not_conflict_with_it() -> None:
    """ "What BIS's March Rule Does" names one rule, though a bare "rule" reads as no
    deed: its kinds (a report) do not conflict with the rule's."""
    rule = item(1, "Commerce tightens controls on AI chips bound for the Gulf",
                "The Bureau of Industry and Security issued an interim final rule.")  # fmt: skip
    essay = item(2, "What BIS's March Rule Does and Doesn't Fix",
                 "A report on the new licence requirements.", hours=28, doc_type="report",
                 source="think-tank")  # fmt: skip
    assert event_unlike.relation(rule, essay) == "unknown"


def test_a_letter_reported_as_senators_questioning_a_company_is_not_a_hearing() -> None:
    """Coverage writes a letter in the words of a hearing ("senators question",
    "press", "want"): a letter and such a report do not conflict in kind."""
    letter = item(1, "Marlow, Tate Letter to Orvane on Chatbot Conversations With Minors",
                  "Senators Marlow and Tate wrote to Orvane's chief executive asking how its "
                  "chatbot handles conversations with minors.", doc_type="letter",
                  source="senator-marlow")  # fmt: skip
    news = item(2, "Senators question Orvane on chatbot conversations with minors",
                "Two senators asked Orvane to explain its safeguards.", hours=5)  # fmt: skip
    assert event_unlike.relation(letter, news) != "unlike"
