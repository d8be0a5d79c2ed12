"""Event grouping: the thing an act is about, and one newsroom's two releases
(issue 13, part 3, the events7 work).

Each test fails on main's code before this change (ae1b920, checked by running
this file there). The items, firms and products are invented, as in the
evaluation sets.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from event_items import report

from tracker.events import THRESHOLD, EventItem, group, link, score

MONDAY = datetime.fromisoformat("2027-06-07T09:00:00-04:00")


item = partial(report, start=MONDAY)


LAUNCH = item(
    1,
    "Introducing Vexa 3",
    "Today we are releasing Vexa 3, our most capable model for long agent tasks, "
    "available in the API at the same price as Vexa 2.",
    doc_type="press-release",
    source="norrow-blog",
)
HANDS_ON = item(
    2,
    "Hands-on with Vexa 3: longer runs, fewer stalls",
    "We spent a day with the model on a real codebase; it kept going where its "
    "predecessor stopped.",
    hours=6,
    source="tech-daily",
)


def test_a_name_no_coverage_uses_is_what_both_reports_are_about() -> None:
    assert group([LAUNCH, HANDS_ON]) == [[1, 2]]
    assert score(LAUNCH, HANDS_ON) >= THRESHOLD


def test_names_are_the_words_written_as_names_that_the_field_never_used() -> None:
    from tracker import event_objects  # new with this change

    assert "vexa" in event_objects.names(LAUNCH)
    assert event_objects.shared_name(LAUNCH, HANDS_ON)


def test_a_word_capitalised_by_position_or_common_in_the_field_is_no_name() -> None:
    from tracker import event_objects

    plain = item(3, "Export rules tighten", "Export controls on chips were widened in March.")
    assert event_objects.names(plain) == frozenset()
    other_day = item(4, "Vexa 3 tops a coding benchmark", "Vexa 3 led the board.", hours=72)
    assert score(LAUNCH, other_day) < THRESHOLD  # a name joins coverage within a day only


def test_one_newsrooms_two_releases_the_same_day_are_two_acts() -> None:
    smuggling = item(
        11,
        "Two Charged in Scheme to Ship Advanced AI Chips to China Through Thailand",
        "Two men were charged with conspiring to export advanced AI chips to China in "
        "violation of export controls, the Justice Department announced.",
        doc_type="press-release",
        source="doj-press",
    )
    wire = item(
        12,
        "US charges two over AI chip export plot",
        "Two men were charged on Monday with conspiring to export AI chips to China.",
        hours=2,
    )
    plea = item(
        13,
        "Former Engineer Pleads Guilty to Stealing AI Chip Designs",
        "A former engineer pleaded guilty to stealing AI chip designs for a Chinese "
        "startup, the Justice Department announced.",
        hours=3,
        doc_type="press-release",
        source="doj-press",
    )
    assert link(plea, [smuggling, wire]) < THRESHOLD
    assert [13] in group([smuggling, wire, plea])


def test_a_fact_sheet_goes_beside_the_release_it_explains() -> None:
    release = item(21, "President Signs Order on AI Data Center Permits",
                   "The President signed an executive order on data center permits.",
                   doc_type="press-release", source="white-house")  # fmt: skip
    sheet = item(22, "Fact Sheet: President Speeds AI Data Center Permits",
                 "The order directs agencies to speed permits for data centers.",
                 hours=1, doc_type="press-release", source="white-house")  # fmt: skip
    assert score(release, sheet) > 0.1  # not "different": the words still decide


def test_a_faint_likeness_to_many_members_does_not_add_up_to_a_link() -> None:
    rule = [
        item(31, "Commerce tightens export controls on AI memory",
             "Commerce tightened export controls on high-bandwidth memory stacks.", hours=h)
        for h in (0, 1, 2)
    ]  # fmt: skip
    rule = [EventItem(**{**r.__dict__, "id": 31 + n}) for n, r in enumerate(rule)]
    column = item(
        40,
        "Export controls need an exit strategy",
        "Controls that never end teach allies to design around American suppliers; "
        "Washington should say when each control will be reviewed.",
        hours=48,
    )
    best = max(score(column, member) for member in rule)
    assert best < 0.21
    assert link(column, rule) == best


def test_a_committees_report_and_a_companys_threat_report_are_two_documents() -> None:
    from tracker import event_unlike

    committee = item(
        51,
        "Select Committee Releases Report on PRC Labs' Distillation of American AI Models",
        "The Select Committee released a report finding that PRC labs distilled American "
        "AI models by harvesting chatbot answers at scale.",
        doc_type="press-release",
        source="house-select-ccp",
    )
    company = item(
        52,
        "Disrupting Covert Distillation Campaigns Against Our Models",
        "This report describes accounts linked to PRC labs that harvested answers from our "
        "AI models at scale to distil them, and how we banned them.",
        hours=30,
        doc_type="report",
        source="norrow-blog",
    )
    assert event_unlike.relation(committee, company) == "different"
    assert group([committee, company]) == [[51], [52]]
    statement = item(
        53,
        "Ranking Member Statement on GAO Report on Chip End-Use Checks",
        "The GAO report shows Commerce rarely checks where chips go.",
        doc_type="press-release",
        source="senate-banking",
    )
    gao = item(54, "Export Controls: Commerce Should Strengthen End-Use Checks",
               "GAO found Commerce rarely checks where chips go.", doc_type="report",
               source="gao")  # fmt: skip
    assert event_unlike.relation(statement, gao) != "different"  # it names whose report


def test_a_firms_own_release_is_named_by_where_it_is_published() -> None:
    from tracker import event_objects

    post = item(
        61,
        "Disrupting Covert Campaigns Against Our Models",
        "We banned 2,400 accounts that queried our models at scale to copy them.",
        doc_type="report",
        source="norrow-blog",
    )
    wire = item(62, "Norrow shuts thousands of accounts it says cloned its models",
                "The AI developer said on Tuesday the accounts were linked to a lab abroad.",
                hours=4)  # fmt: skip
    assert "norrow" in event_objects.names(post)
    assert group([post, wire]) == [[61, 62]]


def test_a_presidents_tariff_is_the_proclamation_that_sets_it() -> None:
    proclamation = item(71, "Adjusting Imports of Drones Into the United States",
                        "By the authority vested in me, I hereby proclaim a duty on imports "
                        "of unmanned aircraft.", doc_type="proclamation",
                        source="white-house")  # fmt: skip
    wire = item(72, "Trump sets 30% tariff on foreign drones, sparing US assemblers",
                "The levy begins next month.", hours=3)  # fmt: skip
    assert group([proclamation, wire]) == [[71, 72]]


def test_an_act_the_lede_dates_days_apart_is_another_act() -> None:
    from tracker import event_unlike

    hearing = item(81, "House panel weighs how to stop China renting US AI chips in the cloud",
                   "Lawmakers on the subcommittee heard from export experts on cloud access "
                   "to AI chips.", source="wire")  # fmt: skip
    bill = item(82, "House bill targets Chinese use of US cloud computing for AI",
                "Two days after his subcommittee's hearing, the chairman filed legislation "
                "to require licences for cloud access to AI chips.", hours=50,
                source="dispatch")  # fmt: skip
    assert event_unlike.relation(hearing, bill) == "unlike"
    assert group([hearing, bill]) == [[81], [82]]


def test_a_footer_name_every_report_of_a_source_repeats_joins_nothing() -> None:
    """The demo's news items all end "Bundled demo snapshot, summarised for
    Policy Tracker"; two different acts reported the same day shared "Tracker",
    a name the field never used, and became one event. A shared name counts
    only when one of the two reports heads with it."""
    from tracker import event_objects

    footer = "<p>Bundled snapshot, summarised for Policy Tracker; not fetched live.</p>"
    letter = item(5, "Lab's letter accusing a rival of distillation becomes public",
                  "The letter names the rival's lab. " + footer)  # fmt: skip
    amendment = item(6, "Senators move an NDAA amendment against distillers",
                     "Two senators plan an amendment. " + footer, hours=3)  # fmt: skip
    assert "tracker" in event_objects.names(letter) & event_objects.names(amendment)
    assert not event_objects.shared_name(letter, amendment)
    assert group([letter, amendment]) == [[5], [6]]


def test_a_footer_two_reports_end_with_is_left_out_of_their_likeness() -> None:
    """Two illustrative items of the demo, five days apart, shared only their
    feed's closing line and were joined by its words."""
    footer = (
        " Illustrative item written for the demo: a lookalike the tagger should keep"
        " apart from the names and topics of the story. It reports nothing that happened."
    )
    cosmology = item(7, "Illustrative: the anthropic principle in cosmology",
                     "The anthropic principle is an argument in cosmology." + footer)  # fmt: skip
    basel = item(8, "Illustrative: the BIS, or Bank for International Settlements",
                 "The BIS in Basel is the central banks' bank." + footer, hours=120)  # fmt: skip
    assert score(cosmology, basel) < THRESHOLD
    # A story two outlets carry word for word is shared copy, not a footer.
    body = (
        " The bureau said the rule adds licence requirements for advanced chips and"
        " closes gaps that allowed stockpiling; comments are due in thirty days, and"
        " the rule takes effect on publication. Officials said more rules would follow"
        " this year as the agency reviews how chips reach restricted buyers abroad."
    )
    wire = item(9, "Commerce tightens chip export rules", "WASHINGTON (Wire) -" + body)
    paper = item(10, "US tightens chip export rules", "By a staff writer." + body, hours=2)
    assert score(wire, paper) >= THRESHOLD
