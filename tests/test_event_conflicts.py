"""Event grouping: evidence that two same-week reports on one subject are two acts
(`tracker.event_conflicts`): the law each acts under, a company's periodic results
beside another deed, the chamber each bill is from. And the background mentions
that must not split a real pair.

The grouping tests fail on main before this change (51df0af, checked by running
this file there); the items are invented, as in the evaluation sets.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial

from event_items import report

from tracker import event_conflicts
from tracker.events import EventItem, group

MONDAY = datetime.fromisoformat("2030-03-04T09:00:00-05:00")

item = partial(report, start=MONDAY)

USTR_RELEASE = (
    "https://ustr.gov/press-releases/2030/march/ustr-modifies-section-301-action-on-wafers"
)
RESULTS_RELEASE = "https://ir.orvane.example/news/orvane-reports-fourth-quarter-2029-results"
SENATE_BILL = "https://www.congress.gov/bill/122nd-congress/senate-bill/901"


def _tariffs() -> list[EventItem]:
    ustr = item(1, "USTR Modifies Section 301 Action on Chinese Wafer Imports",
                "The Trade Representative today raised the additional duty on Chinese wafers "
                "to 50 percent. Docket USTR-2030-0007.", doc_type="press-release",
                source="ustr")  # fmt: skip
    ustr = replace(ustr, url=USTR_RELEASE)
    wire = item(2, "US to raise tariff on Chinese wafers to 50% in July", hours=1)
    proclamation = item(
        3,
        "Adjusting Imports of Wafers and Wafer Manufacturing Equipment into the United States",
        "By the President of the United States of America, A Proclamation. 1. On May 2, "
        "2029, the Secretary of Commerce initiated an investigation under section 232 of "
        "the Trade Expansion Act of 1962 into imports of wafers. I hereby impose a 25 percent "
        "duty on wafer imports.",
        hours=50,
        doc_type="proclamation",
        source="white-house",
    )
    # Coverage of the proclamation that links the 301 release in background.
    stack = item(4, "New wafer tariffs stack on top of China duties",
                 "Chinese wafers will face the new duty on top of the China rate USTR raised "
                 "this week.", hours=60, source="daily")  # fmt: skip
    stack = replace(stack, url="https://daily.example/2030/03/06/wafer-tariffs-section-232.html",
                    links=frozenset({USTR_RELEASE}))  # fmt: skip
    return [ustr, wire, proclamation, stack]


def test_a_section_301_action_and_a_section_232_proclamation_are_two_acts() -> None:
    ustr, wire, proclamation, stack = _tariffs()
    assert event_conflicts.authorities_apart(ustr, proclamation)
    assert event_conflicts.authorities_apart(ustr, stack)  # its address names Section 232
    found = group([ustr, wire, proclamation, stack])
    assert [1, 2] in found and not any({1, 4} <= set(g) for g in found), found


def test_a_law_named_in_background_does_not_split_its_own_act() -> None:
    ustr = _tariffs()[0]
    # "Two days after the 232 tariffs", "separate from the Section 232 levy": another act.
    floats = item(5, "USTR floats extra duties on Chinese wafers, two days after 232 tariffs",
                  "The Section 301 proposal targets older wafers and is separate from the "
                  "global Section 232 levy announced Tuesday.", hours=3)  # fmt: skip
    floats = replace(
        floats,
        url="https://pro.example/2030/03/ustr-floats-extra-duties-two-days-after-232-tariffs",
    )
    assert event_conflicts.authorities(floats.title, floats.text, floats.url) == {"section:301"}
    assert not event_conflicts.authorities_apart(ustr, floats)
    # A report naming no law, or both, says nothing either way.
    brace = item(
        6,
        "Importers brace for a second hit from 232",
        "The notice lands as the White House prepares separate Section 232 tariffs.",
    )
    assert event_conflicts.authorities(brace.title, brace.text, brace.url) == frozenset()
    assert group([ustr, floats]) == [[1, 5]]


def test_quarterly_results_and_a_licence_that_links_them_are_two_acts() -> None:
    results = item(1, "Orvane Reports Fourth-Quarter 2029 Financial Results",
                   "Revenue of $9.1 billion, up 12% year over year.", doc_type="press-release",
                   source="orvane-ir", entities=frozenset({"orvane"}))  # fmt: skip
    results = replace(results, url=RESULTS_RELEASE)
    wire = item(2, "Orvane revenue beats as data center sales climb", "Shares rose 4% after hours.",
                hours=1, entities=frozenset({"orvane"}))  # fmt: skip
    licence = item(3, "US grants Orvane licences to ship AI chips to Gulf buyers",
                   "The approvals come days after Orvane's results; see its earnings release.",
                   hours=40, entities=frozenset({"orvane"}))  # fmt: skip
    licence = replace(licence, links=frozenset({RESULTS_RELEASE}))
    assert event_conflicts.periodic_apart(results, licence)
    assert group([results, wire, licence]) == [[1, 2], [3]]


def test_results_named_in_background_or_a_revenue_share_do_not_split_a_pair() -> None:
    licence = item(1, "US grants Orvane licences to ship AI chips to Gulf buyers", hours=40)
    terms = item(2, "Washington clears Orvane Gulf sales with revenue-sharing strings", hours=44)
    after = item(3, "Orvane wins US licences a day after record quarter", hours=42)
    assert not event_conflicts.periodic_apart(licence, terms)
    assert not event_conflicts.periodic_apart(licence, after)
    both = item(4, "Orvane results beat; Gulf licences still pending", hours=2)
    assert not event_conflicts.periodic_apart(both, licence)  # it names both deeds


def test_a_house_bill_linking_the_senate_bill_is_another_bill() -> None:
    record = item(1, "S.901 - Safer Apps for Kids Act of 2030",
                  "A bill to protect minors online. Introduced in Senate 03/04/2030.",
                  doc_type="bill", source="congress-gov")  # fmt: skip
    record = replace(record, url=SENATE_BILL)
    house = item(2, "House bill would make app stores verify users' ages",
                 "The proposal competes with the Senate's kids safety bill introduced two days "
                 "earlier.", hours=50)  # fmt: skip
    house = replace(house, links=frozenset({SENATE_BILL}))
    assert event_conflicts.chambers_apart(record, house)
    assert group([record, house]) == [[1], [2]]


def test_a_chamber_acting_on_the_other_chambers_bill_is_not_two_chambers() -> None:
    record = item(1, "H.R.8870 - National Defense Authorization Act for Fiscal Year 2031",
                  doc_type="bill", source="congress-gov")  # fmt: skip
    senate = item(2, "Senate clears FY31 defense bill, sending it to the president", hours=20)
    assert not event_conflicts.chambers_apart(record, senate)
    companion = item(3, "Senate bill would cap defense drone spending", hours=20)
    assert event_conflicts.chambers_apart(record, companion)
    both = item(4, "Senate bill mirrors the House defense measure", hours=20)
    assert not event_conflicts.chambers_apart(record, both)  # it names both chambers' bills


def test_two_states_laws_signed_a_day_apart_are_two_acts() -> None:
    california = item(1, "Governor Signs Legislation Requiring Frontier AI Developers to Report "
                      "Safety Incidents", "The governor today signed SB 1404, requiring developers "
                      "of frontier AI models to report critical safety incidents within 72 hours.",
                      doc_type="press-release", source="ca-governor")  # fmt: skip
    coverage = item(2, "California AI incident law signed: the 72-hour clock and who it covers",
                    hours=20, source="statehouse")  # fmt: skip
    new_york = item(3, "Governor Signs Legislation to Protect New Yorkers from Harmful AI "
                    "Companion Chatbots", "The governor today signed legislation requiring AI "
                    "companion developers to detect and respond to users in crisis.", hours=26,
                    doc_type="press-release", source="ny-governor")  # fmt: skip
    wire = item(4, "New York enacts safeguards for AI companion apps, a day after California's "
                "AI law", hours=28)  # fmt: skip
    assert not california.conflicts.states  # a governor's release names no state: its coverage does
    assert event_conflicts.states_apart(coverage, new_york)
    assert not event_conflicts.states_apart(new_york, wire)  # California is dated apart
    found = group([california, coverage, new_york, wire])
    assert [1, 2] in found and not any({1, 3} <= set(g) for g in found), found


def test_washington_and_a_states_people_read_as_they_should() -> None:
    federal = item(1, "Washington clears Orvane Gulf sales with revenue-sharing strings")
    assert federal.conflicts.states == frozenset()  # the federal government, not the state
    texans = item(2, "Attorney General Sues Data Broker for Selling Texans' Location Data")
    assert texans.conflicts.states == {"texas"}


def test_two_governments_grants_to_one_company_are_two_acts() -> None:
    """Japan's subsidy for a chip maker's plant at home and a US grant for its plant
    in Arizona, the same week: two governments' acts, though one company and one deed."""
    japan = item(1, "Japan Grants Orvane Up to ¥700 Billion for Second Kumamoto Plant",
                 "The trade ministry approved up to 700 billion yen for Orvane's second fab "
                 "in Kumamoto, its largest award this year.")  # fmt: skip
    tokyo = item(2, "METI approves Orvane plan for a second Kumamoto chip plant", hours=3,
                 source="trade-press")  # fmt: skip
    us = item(3, "Orvane wins $5 billion US chips grant for second Arizona plant",
              "The award, the largest this year, funds Orvane's second fab in Arizona.",
              hours=20)  # fmt: skip
    assert japan.conflicts.governments == {"japan"} and us.conflicts.governments == {"us"}
    assert event_conflicts.governments_apart(japan, us)
    assert not event_conflicts.governments_apart(japan, tokyo)
    found = group([japan, tokyo, us])
    assert not any({1, 3} <= set(g) or {2, 3} <= set(g) for g in found), found


def test_a_country_an_act_is_aimed_at_is_not_the_government_acting() -> None:
    """ "China" in a US rule's headline is whom the rule is aimed at (China's own acts
    are named by its regulators), and North Korea is not South Korea's government."""
    commerce = item(1, "Commerce Adds 16 Entities to Entity List for Diverting AI Chips to China")
    assert commerce.conflicts.governments == frozenset()
    wire = item(2, "US adds 16 companies to trade blacklist over AI chip diversion", hours=2)
    assert not event_conflicts.governments_apart(commerce, wire)
    mofcom = item(3, "MOFCOM Adds Orvane Semiconductor to the Unreliable Entity List")
    assert mofcom.conflicts.governments == {"china"}
    assert item(4, "Treasury designates North Korea IT worker network").conflicts.governments == (
        frozenset()
    )


def test_two_departments_acting_on_one_target_the_same_day_are_two_acts() -> None:
    """Treasury's sanctions and the FBI's takedown of one ransomware group, announced
    the same morning, are two acts; a bureau is its department's (the FBI is the
    Justice Department's, OMB the White House's), and only the headline's subject counts."""
    treasury = item(1, "Treasury Sanctions Crypto Exchange Laundering Proceeds for Kestrel "
                    "Ransomware Group", "OFAC today designated Fenwick Exchange for "
                    "laundering ransom payments.", doc_type="press-release",
                    source="treasury-press")  # fmt: skip
    wire = item(2, "OFAC hits Fenwick exchange over Kestrel ransom cash-outs", hours=1)
    justice = item(3, "Justice Department Disrupts Kestrel Ransomware Infrastructure",
                   "The FBI seized the group's leak site and servers.", hours=1,
                   doc_type="press-release", source="doj-press")  # fmt: skip
    fbi = item(4, "FBI takes down Kestrel leak site the same day Treasury sanctions its "
               "cash-out exchange", hours=3)  # fmt: skip
    assert fbi.conflicts.agencies == {"justice"} and wire.conflicts.agencies == {"treasury"}
    assert item(5, "OMB memo sets AI buying rules").conflicts.agencies == {"white-house"}
    assert item(6, "Senators press Commerce on chip licences").conflicts.agencies == frozenset()
    for committee in (
        "Commerce Committee Advances Kids Online Safety Act",
        "Commerce, Manufacturing, and Trade Subcommittee Hearing: AI Rules",
    ):
        assert item(7, committee).conflicts.agencies == frozenset()  # Congress's, not Commerce's
    assert event_conflicts.agencies_apart(treasury, justice)
    assert not event_conflicts.agencies_apart(justice, fbi)
    found = group([treasury, wire, justice, fbi])
    assert not any({1, 3} <= set(g) or {2, 4} <= set(g) for g in found), found


def test_a_founders_arrest_and_the_secs_charges_are_two_acts() -> None:
    """Prosecutors' criminal case and the SEC's civil one against one founder, the
    same day: a headline telling of an arrest or an indictment tells of the Justice
    Department's act even when it opens with the founder."""
    sec = item(1, "SEC Charges Larkspur AI and Its Founder With Misleading Investors",
               "The complaint says the start-up's 'autonomous' underwriting was done by "
               "contractors.", doc_type="press-release", source="sec-news")  # fmt: skip
    wire = item(2, "SEC sues Larkspur AI over 'AI-washing' in fundraising", hours=1)
    arrest = item(3, "Larkspur AI founder arrested, charged with fraud over AI claims",
                  "Prosecutors said the founder raised $90 million on false claims.",
                  hours=2)  # fmt: skip
    assert arrest.conflicts.agencies == {"justice"} and sec.conflicts.agencies == {"sec"}
    assert item(4, "Larkspur AI charged over AI claims").conflicts.agencies == frozenset()
    found = group([sec, wire, arrest])
    assert [1, 2] in found and [3] in found, found
