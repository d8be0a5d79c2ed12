"""How event grouping reads coverage it was not tuned on (issue 13 item 3).

Each test is a way real coverage names an act that the grouping misread on
`tests/data/events_unseen.jsonl` before it was tuned there; each one fails on
the code before that tuning (checked by running it there).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker import event_acts
from tracker.event_keys import CANDIDATES, BlockingIndex
from tracker.events import ACT_WINDOW, EventItem, group, score

MONDAY = datetime.fromisoformat("2026-08-24T10:00:00-04:00")


def item(
    item_id: int,
    title: str,
    text: str = "",
    *,
    when: datetime = MONDAY,
    doc_type: str = "news",
    source: str = "wire",
    url: str = "",
    entities: tuple[str, ...] = (),
) -> EventItem:
    return EventItem(id=item_id, title=title, text=text, entities=frozenset(entities),
                     topics=frozenset(), published=when, doc_type=doc_type, source=source,
                     url=url)  # fmt: skip


def test_an_action_or_an_action_plan_is_not_a_bill() -> None:
    # "Act" inside "Action" read as a bill's short title, so a USTR release and
    # the Federal Register notice of the same action were two different "bills".
    release = event_acts.act_of(
        "USTR Announces Action in Section 301 Investigation of China's Legacy Chip Practices",
        "", "", "press-release",
    )  # fmt: skip
    notice = event_acts.act_of(
        "Notice of Action in the Section 301 Investigation of China's Acts, Policies, and "
        "Practices Related to Targeting of the Semiconductor Industry",
        "", "", "notice",
    )  # fmt: skip
    plan = event_acts.act_of("Request for Information on the National AI Action Plan", "", "",
                             "notice")  # fmt: skip
    for found in (release, notice, plan):
        assert not any(i.startswith("act:") for i in found.identifiers), found.identifiers
    assert event_acts.relation(release, notice) != "different"
    bill = event_acts.act_of("Senator Introduces the Chip Security Act", "", "", "press-release")
    assert "act:chip security act" in bill.identifiers


def test_a_report_that_is_only_a_source_is_not_a_published_report() -> None:
    # "..., report says" and "on ... licence report" say where a story came from;
    # read as a report, they made a licence story unlike the licence itself.
    for title in (
        "Chinese cloud providers cleared to buy Nvidia chips, report says",
        "Nvidia rises on China licence report",
    ):
        kinds = event_acts.act_of(title, "", "", "news").kinds
        assert "report" not in kinds and "licence" in kinds, (title, kinds)
    published = event_acts.act_of("GAO report faults Commerce chip checks", "", "", "news")
    assert "report" in published.kinds


def test_earnings_and_a_licence_two_days_later_stay_apart() -> None:
    results = item(1, "AMD revenue forecast tops estimates on AI chip demand",
                   entities=("amd",))  # fmt: skip
    licence = item(2, "AMD cleared to ship AI chips to China again",
                   when=MONDAY + timedelta(days=2), entities=("amd",))  # fmt: skip
    assert event_acts.relation(
        event_acts.act_of(results.title, "", "", "news"),
        event_acts.act_of(licence.title, "", "", "news"),
    ) == "unlike"  # fmt: skip
    assert group([results, licence]) == [[1], [2]]


def test_the_federal_register_printing_joins_the_agency_release_days_later() -> None:
    release = item(
        1, "FTC Finalizes Order with VoxLoom over Deceptive Voice Cloning Claims",
        "The order bars VoxLoom from claiming its voice cloning tool cannot be misused and "
        "requires consent verification.",
        doc_type="press-release", source="ftc-competition", entities=("ftc",),
    )  # fmt: skip
    printed = item(
        2, "VoxLoom, Inc.; Analysis of Proposed Consent Order To Aid Public Comment",
        "The Federal Trade Commission has accepted, subject to final approval, an agreement "
        "containing a consent order from VoxLoom, Inc. The complaint alleges that VoxLoom made "
        "deceptive claims that its voice cloning tool cannot be misused. File No. 252-3107.",
        when=MONDAY + timedelta(days=6), doc_type="notice", source="fr-ftc",
        url="https://www.federalregister.gov/documents/2026/08/30/2026-16990/voxloom",
        entities=("ftc",),
    )  # fmt: skip
    wire = item(3, "Voice cloning firm settles FTC deceptive claims case",
                when=MONDAY + timedelta(days=6))  # fmt: skip
    assert score(release, printed) > 0.3
    assert score(release, wire) == 0.0  # coverage still keeps to the five-day window
    assert [1, 2] in group([release, printed])


def test_a_committee_notice_and_coverage_meet_through_who_held_the_hearing() -> None:
    # The taxonomy tags neither; the notice is the committee's own (its source),
    # the coverage says "Senators" and "hearing" on the day the notice names.
    notice = item(
        1, "Oversight of Export Control Enforcement",
        "Full Committee Hearing. Wednesday, August 26, 2026, 10:00 AM, 538 Dirksen Senate "
        "Office Building.",
        when=MONDAY - timedelta(days=7), doc_type="hearing", source="senate-banking-majority",
    )  # fmt: skip
    coverage = item(2, "Senators grill enforcement chief at hearing on chip smuggling",
                    when=MONDAY + timedelta(days=2, hours=5))  # fmt: skip
    house = item(3, "House panel grills enforcement chief on chip smuggling",
                 when=MONDAY + timedelta(days=2, hours=6))  # fmt: skip
    assert score(notice, coverage) >= 0.3
    assert score(notice, house) < 0.3


def test_blocking_looks_only_within_the_act_window() -> None:
    # Reports from months before share more words with an arriving report than
    # its own happening's first report does; they must not take the few
    # candidate places, as the store (which reads index rows for a window) agrees.
    index = BlockingIndex()
    words = "Commerce export controls chips China rule Nvidia AMD licence"
    for n in range(CANDIDATES + 2):
        index.add(item(100 + n, words, when=MONDAY - timedelta(days=90 + n)), event_id=100 + n)
    index.add(item(1, "Commerce export controls rule", when=MONDAY), event_id=1)
    arriving = item(2, words, when=MONDAY + timedelta(hours=3))
    assert index.events_for(arriving) == [1]
    late = item(3, words, when=MONDAY + ACT_WINDOW + timedelta(days=1))
    assert index.events_for(late) == []
