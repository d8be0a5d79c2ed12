"""BILLSTATUS XML: every layout parses, stages match the actions, bad XML is refused.

Golden files live in tests/data/golden/; regenerate them with
``UPDATE_GOLDEN=1 pytest tests/test_parse_billstatus.py`` and review the diff.
"""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from golden import assert_golden

from tracker.parse import ParseError
from tracker.parse.bill_stage import bill_progress
from tracker.parse.billstatus import bill_stage, bill_url, parse_billstatus
from tracker.types import BILL_STAGES, BillAction

DATA = Path(__file__).resolve().parent / "data"
COPIED = DATA / "billstatus"
GOLDEN = DATA / "golden"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "billstatus"
DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"
# Stage and step dates of every BILLSTATUS file, read by hand from its actions
# before the stage code was written (see billstatus/README.md).
with (COPIED / "stages.csv").open(encoding="utf-8") as _fh:
    STAGE_TABLE = {row.pop("file"): row for row in csv.DictReader(_fh)}

# Read off each file's actions by hand: (stage, actions kept, sponsor bioguide id).
COPIED_EXPECTED = {
    # Referred to Indian Affairs, hearing held, nothing after.
    "BILLSTATUS-116s790.xml": ("referred", 3, "G000359"),
    # Simple resolution agreed to in the Senate; one empty placeholder row dropped.
    "BILLSTATUS-114sres105.xml": ("passed-one", 6, "M000639"),
    # Passed both, presented, vetoed; the Senate tabled the veto message.
    "BILLSTATUS-114sjres8.xml": ("vetoed", 32, "A000360"),
    # Passed both, presented, signed: Public Law 117-103.
    "BILLSTATUS-117hr2471.xml": ("law", 56, "J000294"),
    # Passed the House, then referred to a Senate committee and left there.
    "BILLSTATUS-114hr5278.xml": ("passed-one", 43, "D000614"),
}
shared_only = pytest.mark.skipif(not SHARED.is_dir(), reason="shared fixtures folder absent")


def parse_file(path: Path):
    return parse_billstatus(path.read_bytes())


@pytest.mark.parametrize("name", sorted(COPIED_EXPECTED))
def test_copied_fixture_stage_actions_and_sponsor(name: str) -> None:
    stage, count, bioguide = COPIED_EXPECTED[name]
    result = parse_file(COPIED / name)
    (bill,) = result.bills
    assert bill.stage == stage
    assert len(bill.actions) == count
    assert bill.sponsor is not None and bill.sponsor.bioguide_id == bioguide
    assert result.warnings == ()


@pytest.mark.parametrize("name", sorted(COPIED_EXPECTED))
def test_copied_fixture_matches_golden(name: str) -> None:
    assert_golden(name.replace(".xml", ".json"), parse_file(COPIED / name))


@pytest.mark.parametrize("name", sorted(COPIED_EXPECTED))
def test_stage_is_read_from_text_when_codes_are_missing(name: str) -> None:
    content = (COPIED / name).read_bytes()
    without_codes = re.sub(rb"<actionCode>[^<]*</actionCode>", b"", content)
    assert parse_billstatus(without_codes).bills[0].stage == COPIED_EXPECTED[name][0]


def test_actions_run_oldest_first_starting_with_introduction() -> None:
    bill = parse_file(COPIED / "BILLSTATUS-114sjres8.xml").bills[0]
    dates = [action.action_date for action in bill.actions]
    assert dates == sorted(dates)
    assert bill.actions[0].text == "Introduced in Senate"
    assert bill.actions[0].code == "10000"
    assert bill.actions[0].source_system == "Library of Congress"
    assert bill.actions[-1].text.startswith("Motion to table the veto message")


def test_current_layout_record_fields() -> None:
    bill = parse_file(COPIED / "BILLSTATUS-117hr2471.xml").bills[0]
    assert (bill.congress, bill.bill_type, bill.number) == (117, "hr", 2471)
    assert bill.key == "117-hr-2471"
    assert bill.title == "Consolidated Appropriations Act, 2022"
    assert bill.introduced == date(2021, 4, 13)
    assert bill.sponsor is not None
    assert bill.sponsor.full_name == "Rep. Jeffries, Hakeem S. [D-NY-8]"
    assert (bill.sponsor.party, bill.sponsor.state) == ("D", "NY")
    assert bill.policy_area == "Economics and Public Finance"
    assert len(bill.subjects) > 100
    assert bill.updated == datetime(2022, 11, 17, 19, 0, 19, tzinfo=UTC)
    # The public-law summary is the latest one, as plain text.
    assert bill.latest_summary.startswith("Consolidated Appropriations Act, 2022")
    assert "<" not in bill.latest_summary
    committees = {action.committee for action in bill.actions if action.committee}
    assert "Foreign Relations Committee" in committees


def test_legacy_sponsor_party_and_state_come_from_the_full_name() -> None:
    bill = parse_file(COPIED / "BILLSTATUS-114sjres8.xml").bills[0]
    assert bill.sponsor is not None
    assert (bill.sponsor.party, bill.sponsor.state) == ("R", "TN")
    assert bill.bill_type == "sjres"
    assert bill.policy_area == "Labor and Employment"


def test_item_for_the_bill() -> None:
    (item,) = parse_file(COPIED / "BILLSTATUS-114sjres8.xml").items
    assert item.guid == "bill:114-sjres-8"
    assert item.title.startswith("S.J.Res. 8: A joint resolution providing for")
    assert item.url == "https://www.congress.gov/bill/114th-congress/senate-joint-resolution/8"
    assert item.published == datetime(2015, 2, 9, tzinfo=UTC)
    assert item.updated == datetime(2015, 5, 5, tzinfo=UTC)
    assert item.doc_type == "bill"
    assert item.bill_key == "114-sjres-8"
    assert item.author == "Sen. Alexander, Lamar [R-TN]"
    assert "Disapproves and nullifies" in item.summary_html


def test_item_summary_falls_back_to_the_latest_action() -> None:
    (item,) = parse_file(COPIED / "BILLSTATUS-116s790.xml").items
    assert item.summary_html.startswith("Committee on Indian Affairs. Hearings held.")


@pytest.mark.parametrize(
    ("congress", "bill_type", "number", "expected"),
    [
        (117, "hr", 1, "https://www.congress.gov/bill/117th-congress/house-bill/1"),
        (101, "s", 5, "https://www.congress.gov/bill/101st-congress/senate-bill/5"),
        (102, "hres", 7, "https://www.congress.gov/bill/102nd-congress/house-resolution/7"),
        (103, "sres", 7, "https://www.congress.gov/bill/103rd-congress/senate-resolution/7"),
        (111, "hjres", 2, "https://www.congress.gov/bill/111th-congress/house-joint-resolution/2"),
        (
            112,
            "hconres",
            3,
            "https://www.congress.gov/bill/112th-congress/house-concurrent-resolution/3",
        ),
        (
            113,
            "sconres",
            4,
            "https://www.congress.gov/bill/113th-congress/senate-concurrent-resolution/4",
        ),
        (121, "sjres", 8, "https://www.congress.gov/bill/121st-congress/senate-joint-resolution/8"),
    ],
)
def test_bill_url(congress: int, bill_type: str, number: int, expected: str) -> None:
    assert bill_url(congress, bill_type, number) == expected


def act(text: str, code: str | None = None, source: str | None = None) -> BillAction:
    return BillAction(action_date=date(2025, 1, 1), text=text, code=code, source_system=source)


INTRO = act("Introduced in House", "1000")
PASSED_HOUSE = act("On passage Passed by the Yeas and Nays: 230 - 190 (Roll no. 10).")
PASSED_SENATE = act("Passed Senate without amendment by Voice Vote.")
VETO = act("Vetoed by President.")


@pytest.mark.parametrize(
    ("bill_type", "actions", "expected"),
    [
        ("hr", [INTRO], "introduced"),
        ("hr", [INTRO, act("Referred to the House Committee on Ways and Means.")], "referred"),
        ("hr", [INTRO, act("Subcommittee Hearings Held.")], "introduced"),
        ("hr", [INTRO, act("Ordered to be Reported (Amended) by Voice Vote.")], "reported"),
        (
            "s",
            [act("Committee on Banking. Reported by Senator Scott without amendment.")],
            "reported",
        ),
        (
            "hr",
            [INTRO, act("Rules Committee Resolution H. Res. 7 Reported to House.")],
            "introduced",
        ),
        ("hr", [INTRO, act("Committee on the Judiciary discharged.", "5500")], "introduced"),
        (
            "hr",
            [INTRO, act("On passage Failed by the Yeas and Nays: 190 - 230 (Roll no. 9).")],
            "failed",
        ),
        (
            "hr",
            [INTRO, act("On motion to suspend the rules and pass the bill Failed by voice vote.")],
            "introduced",
        ),
        (
            "hr",
            [INTRO, PASSED_HOUSE, act("Passed Senate with an amendment by Voice Vote.")],
            "resolving",
        ),
        ("s", [act("Passed Senate with an amendment by Voice Vote."), PASSED_HOUSE], "passed-both"),
        (
            "hr",
            [
                INTRO,
                PASSED_HOUSE,
                act("Passed Senate with an amendment by Voice Vote."),
                act(
                    "On motion that the House agree to the Senate amendment "
                    "Agreed to by voice vote."
                ),
            ],
            "passed-both",
        ),
        (
            "hr",
            [
                INTRO,
                PASSED_HOUSE,
                act("Passed Senate with an amendment by Voice Vote."),
                act(
                    "On motion that the House agree with an amendment to the Senate "
                    "amendment Agreed "
                    "to by voice vote."
                ),
            ],
            "resolving",
        ),
        (
            "s",
            [
                PASSED_SENATE,
                act("Passed House with an amendment by voice vote."),
                act(
                    "Conference report agreed to in Senate by Yea-Nay Vote. 80 - 20.",
                    source="Senate",
                ),
                act(
                    "Conference report agreed to in House by voice vote.",
                    source="House floor actions",
                ),
            ],
            "passed-both",
        ),
        ("hr", [INTRO, act("Rule H. Res. 580 passed House.")], "introduced"),
        (
            "hr",
            [INTRO, act("Motion to reconsider laid on the table Agreed to without objection.")],
            "introduced",
        ),
        ("hr", [INTRO, PASSED_HOUSE], "passed-one"),
        ("hr", [INTRO, PASSED_HOUSE, PASSED_SENATE], "passed-both"),
        ("hr", [INTRO, act("Cleared for White House.")], "passed-both"),
        ("hr", [INTRO, PASSED_HOUSE, PASSED_SENATE, act("Presented to President.")], "president"),
        ("hr", [INTRO, act("Became Public Law No: 119-5.", "36000")], "law"),
        ("hr", [INTRO, PASSED_HOUSE, PASSED_SENATE, act("Pocket Vetoed by President.")], "vetoed"),
        (
            "hr",
            [
                VETO,
                act("Passed House over veto by the Yeas and Nays: 300 - 100."),
                act("Failed of passage in Senate over veto by Yea-Nay Vote. 60 - 40."),
            ],
            "vetoed",
        ),
        (
            "s",
            [
                VETO,
                act("Passed Senate over veto by Yea-Nay Vote. 97 - 1."),
                act(
                    "On passage, the objections of the President to the contrary "
                    "notwithstanding Passed by the Yeas and Nays: (2/3 required): 348 - 77.",
                    source="House floor actions",
                ),
            ],
            "law",
        ),
        ("hr", [VETO, act("Became Public Law No: 114-222.")], "law"),
        ("hres", [act("On agreeing to the resolution Agreed to by voice vote.")], "passed-one"),
        ("sres", [PASSED_SENATE, act("Passed/agreed to in House", "8000")], "passed-one"),
        ("sconres", [act("Resolution agreed to in Senate.", "17000"), PASSED_HOUSE], "passed-both"),
        ("hconres", [PASSED_HOUSE, PASSED_SENATE, act("Presented to President.")], "passed-both"),
    ],
)
def test_bill_stage(bill_type: str, actions: list[BillAction], expected: str) -> None:
    assert expected in BILL_STAGES
    assert bill_stage(bill_type, actions) == expected


def test_truncated_file_is_a_parse_error() -> None:
    content = (COPIED / "BILLSTATUS-116s790.xml").read_bytes()
    with pytest.raises(ParseError, match="not well-formed XML"):
        parse_billstatus(content[: len(content) // 2])


def test_billion_laughs_is_refused() -> None:
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    bomb = (
        f'<?xml version="1.0"?><!DOCTYPE billStatus [<!ENTITY lol0 "lol">{entities}]>'
        "<billStatus><bill><congress>&lol9;</congress></bill></billStatus>"
    ).encode()
    with pytest.raises(ParseError, match="entities"):
        parse_billstatus(bomb)


def test_external_entity_is_refused() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE billStatus [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<billStatus><bill><congress>&x;</congress></bill></billStatus>"
    )
    with pytest.raises(ParseError):
        parse_billstatus(xxe)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "not well-formed XML"),
        (b"<rss><channel/></rss>", "root element is <rss>"),
        (b"<billStatus><dublinCore/></billStatus>", "no <bill>"),
        (b"<billStatus><bill><type>HR</type><number>1</number></bill></billStatus>", "congress"),
        (
            b"<billStatus><bill><congress>117</congress><type>HR</type></bill></billStatus>",
            "bill number",
        ),
        (
            b"<billStatus><bill><congress>117</congress><type>XYZ</type><number>1</number>"
            b"</bill></billStatus>",
            "unknown bill type",
        ),
    ],
)
def test_bad_documents_give_one_line_reasons(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=re.escape(reason)) as caught:
        parse_billstatus(content)
    assert "\n" not in str(caught.value)


def test_minimal_and_namespaced_record() -> None:
    content = (
        b'<billStatus xmlns="urn:example"><bill><congress>119</congress><type>S</type>'
        b"<number>1705</number><actions><item><actionDate>2025-05-08</actionDate>"
        b"<text>Read twice and referred to the Committee on Banking.</text></item>"
        b"<item><text>no date</text></item></actions></bill></billStatus>"
    )
    result = parse_billstatus(content)
    (bill,) = result.bills
    assert (bill.key, bill.label, bill.title, bill.stage) == (
        "119-s-1705",
        "S. 1705",
        "S. 1705",
        "referred",
    )
    assert bill.introduced == date(2025, 5, 8)
    assert bill.sponsor is None and bill.subjects == ()
    assert len(result.warnings) == 1 and "no date" in result.warnings[0]
    assert bill.cosponsors == () and bill.related == () and bill.text_url is None
    assert result.items[0].author is None


def _billstatus_files() -> dict[str, Path]:
    found = {p.name: p for p in SHARED.glob("*/BILLSTATUS-*.xml")} if SHARED.is_dir() else {}
    found.update({p.name: p for p in COPIED.glob("BILLSTATUS-*.xml")})
    found.update({p.name: p for p in DEMO.glob("BILLSTATUS-*.xml")})
    return found


def test_the_stage_table_covers_every_billstatus_file() -> None:
    files = _billstatus_files()
    if SHARED.is_dir():
        assert len(files) >= 14
    assert set(files) <= set(STAGE_TABLE), "add the new file to tests/data/billstatus/stages.csv"


@pytest.mark.parametrize("name", sorted(STAGE_TABLE))
@pytest.mark.parametrize("codes", ["with codes", "texts only"])
def test_every_billstatus_file_has_its_stage_and_step_dates(name: str, codes: str) -> None:
    path = _billstatus_files().get(name)
    if path is None:
        pytest.skip(f"{name} is not here (the shared fixtures are absent)")
    content = path.read_bytes()
    if codes == "texts only":
        content = re.sub(rb"<actionCode>[^<]*</actionCode>", b"", content)
    result = parse_billstatus(content)
    (bill,) = result.bills
    expected = STAGE_TABLE[name]
    reached = {step: day for step, day in expected.items() if step != "stage" and day}
    assert bill.stage == expected["stage"]
    assert {step: day.isoformat() for step, day in bill.stage_dates} == reached
    assert [step for step, _ in bill.stage_dates] == [s for s in BILL_STAGES if s in reached]
    assert bill.actions and bill.introduced == bill.actions[0].action_date
    assert result.items[0].guid == f"bill:{bill.congress}-{bill.bill_type}-{bill.number}"
    assert result.items[0].published is not None and result.items[0].published.tzinfo is UTC


def test_cosponsors_related_bills_and_text_of_the_current_layout() -> None:
    bill = parse_file(COPIED / "BILLSTATUS-117hr2471.xml").bills[0]
    assert len(bill.cosponsors) == 7
    first = bill.cosponsors[0]
    assert (first.full_name, first.party, first.state) == (
        "Rep. Waltz, Michael [R-FL-6]",
        "R",
        "FL",
    )
    assert first.original and first.since == date(2021, 4, 13) and first.withdrawn is None
    related = {r.key: r for r in bill.related}
    assert related["117-s-1104"].relationships == ("Related bill (CRS)", "Related bill (House)")
    assert related["117-s-1104"].title.startswith("Haiti Development")  # type: ignore[union-attr]
    assert related["117-hconres-79"].latest_action_date == date(2022, 3, 11)
    # The enrolled bill, listed first with no date yet, is the latest text.
    assert bill.text_url == (
        "https://www.govinfo.gov/content/pkg/BILLS-117hr2471enr/xml/BILLS-117hr2471enr.xml"
    )


def test_legacy_related_bills_are_named_with_their_dotted_types() -> None:
    bill = parse_file(COPIED / "BILLSTATUS-114sjres8.xml").bills[0]
    assert {r.key: r.relationships for r in bill.related} == {
        "114-hjres-29": ("Identical bill (CRS)",),
        "114-hres-152": ("Procedurally-related (House)",),
    }
    assert len(bill.cosponsors) == 51 and all(c.original for c in bill.cosponsors[:1])


def test_progress_dates_each_stage_once_with_the_first_day() -> None:
    later = BillAction(action_date=date(2025, 2, 1), text="Referred to the Subcommittee on X.")
    progress = bill_progress("hr", [INTRO, act("Referred to the Committee."), later])
    assert progress.reached == (("introduced", date(2025, 1, 1)), ("referred", date(2025, 1, 1)))


@shared_only
def test_two_megabyte_file_parses_whole() -> None:
    # Its speed is timed by bench/parsers.py: a timed test fails on a busy machine.
    content = (SHARED / "actions-committees" / "BILLSTATUS-116hr3055.xml").read_bytes()
    assert len(content) > 2_000_000
    result = parse_billstatus(content)
    assert len(result.bills[0].actions) == 232


HOSTILE_BILL = """<?xml version="1.0"?><billStatus><bill>
<congress>{congress}</congress><type>S</type><number>790</number>
<updateDate>0001-01-01T00:00:00+01:00</updateDate>
<policyArea><name>{area}</name></policyArea>
<sponsors><item><fullName>Sen. X</fullName><party>{party}</party><state>XX</state></item></sponsors>
<actions><item><actionDate>2025-06-02</actionDate><text>Introduced</text>
<actionCode>{code}</actionCode><type>IntroReferral</type></item></actions>
<titles><item><titleType>Display Title</titleType><title>{title}</title></item></titles>
</bill></billStatus>"""


def test_each_field_is_cut_to_what_its_column_holds() -> None:
    # Issue 18, item 3: PostgreSQL refused a whole file for one over-long
    # party or action code, and a year-1 date overflowed in UTC.
    content = HOSTILE_BILL.format(
        congress=119, area="A" * 1000, party="P" * 50, code="C" * 50, title="T " * 10_000
    ).encode()
    (bill,) = parse_billstatus(content).bills
    assert bill.policy_area is not None and len(bill.policy_area) == 300
    assert bill.sponsor is not None and len(bill.sponsor.party or "") == 10
    assert len(bill.actions[0].code or "") == 20
    assert len(bill.title) == 5000 and bill.title.endswith("…")
    assert bill.updated is None


@pytest.mark.parametrize("congress", ["0", "-1", "99999999999", "1" * 5000])
def test_a_congress_no_column_can_hold_is_a_parse_error(congress: str) -> None:
    content = HOSTILE_BILL.format(congress=congress, area="a", party="D", code="1", title="t")
    with pytest.raises(ParseError, match="no valid congress"):
        parse_billstatus(content.encode())
