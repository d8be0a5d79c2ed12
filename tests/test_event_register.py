"""Who issued a Federal Register document, from its citation lines, and how grouping
joins the agency's release with the Register's printing of it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from event_items import report
from sqlmodel import select

from tracker import events
from tracker.event_names import printing, publisher
from tracker.event_register import issuer
from tracker.event_unlike import relation
from tracker.models import Item
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope

START = datetime(2028, 4, 25, 14, 30, tzinfo=UTC)
REGISTER_URL = "https://www.federalregister.gov/documents/2028/05/02/2028-08611/quantum-items"


@pytest.mark.parametrize(
    ("text", "agencies"),
    [
        ("Interim final rule. RIN 0694-AK19. FR Doc. 2028-08611.", {"bis", "commerce"}),
        ("Notice of proposed rulemaking. RIN 1505–AC91.", {"treasury"}),
        ("Final rule. RIN 0945-AA22.", {"hhs"}),
        ("Docket No. USTR-2031-0007.", {"ustr"}),
        ("Final rule. 12 CFR Part 1022. Docket No. CFPB-2033-0047.", {"cfpb"}),
        ("Proposed rule. Docket No. EPA-HQ-OAR-2035-0117.", {"epa"}),
        ("Final rule. GN Docket No. 29-183; FCC 31-4.", {"fcc"}),
        ("Final rule; Order No. 2026. Docket No. RM26-4-000.", {"ferc"}),
        ("Proposed rule. Release No. IA-6612; File No. S7-2032-19.", {"sec"}),
        ("Final rule amending 31 CFR part 850.", {"treasury"}),
        ("Final rule. 16 CFR Part 461. Project No. R207000.", {"ftc"}),
        (
            "Notice is hereby given pursuant to the Antitrust Procedures and Penalties Act",
            {"doj", "justice"},
        ),
        ("This rule adds eleven entities to the Entity List.", {"bis", "commerce"}),
    ],
)
def test_the_citation_lines_name_the_issuing_agency(text: str, agencies: set[str]) -> None:
    assert issuer("", text) == agencies


@pytest.mark.parametrize(
    "text",
    [
        "Final rule. FR Doc. 2028-08611. Effective May 2, 2028.",  # a Register number alone
        "RIN 9999-AA01.",  # an agency code the table does not know
        "Comments due June 12, 2028. 3 CFR 100.",  # the President's title: no agency's part
    ],
)
def test_lines_that_name_no_agency_give_none(text: str) -> None:
    assert issuer("", text) == frozenset()


def _printed(text: str, source: str = "federalregister", days: float = 7) -> events.EventItem:
    title = "Implementation of Export Controls on Certain Quantum Items"
    return report(2, title, text, start=START, hours=24 * days, doc_type="export-control",
                  source=source)  # fmt: skip


def _release() -> events.EventItem:
    return report(
        1,
        "Commerce Adds Controls on Quantum Computing Items and Cryogenic Components",
        "BIS is imposing worldwide license requirements on quantum computers above 34 "
        "qubits, dilution refrigerators and parametric amplifiers.",
        start=START, doc_type="export-control", source="bis",
        entities=frozenset({"bis", "commerce-department"}),
    )  # fmt: skip


def test_a_feed_of_every_agency_reads_the_document_for_its_publisher() -> None:
    for source in ("federalregister", "federal-register", "fr", "fr-public-inspection"):
        printed = _printed("Interim final rule. RIN 0694-AK19.", source)
        printed = events.EventItem(**{**printed.__dict__, "url": REGISTER_URL})
        assert publisher(printed) == {"bis", "commerce"}, source
    # An agency's own Register feed says who acts by its name, as before.
    assert publisher(_printed("Interim final rule. RIN 1505-AC91.", "fr-bis")) == {"bis"}
    # "The Commission amends": one initial is no agency's name.
    ftc = _printed("The Commission amends the Impersonation Rule. 16 CFR Part 461.", "fr")
    ftc = events.EventItem(**{**ftc.__dict__, "url": REGISTER_URL})
    assert publisher(ftc) == {"ftc"}


def test_the_release_and_the_printing_of_its_rule_are_one_act() -> None:
    release = _release()
    printed = events.EventItem(
        **{**_printed("Interim final rule. RIN 0694-AK19.").__dict__, "url": REGISTER_URL}
    )
    assert printing(release, printed)
    # Two titles of one type read as two documents, unless one prints the other.
    assert relation(release, printed) != "different"
    assert events.group([release, printed]) == [[1, 2]]


def test_another_agencys_printing_stays_apart() -> None:
    release = _release()
    other = events.EventItem(
        **{**_printed("Final rule. RIN 1505-AC91.").__dict__, "url": REGISTER_URL}
    )
    assert not printing(release, other)
    assert relation(release, other) == "different"
    assert len(events.group([release, other])) == 2


def test_a_printing_that_names_another_number_stays_apart() -> None:
    """A release that cites another Register document is not the printing's."""
    release = events.EventItem(
        **{**_release().__dict__, "text": _release().text + " FR Doc. 2028-07311."}
    )
    printed = events.EventItem(
        **{**_printed("Interim final rule. RIN 0694-AK19.").__dict__, "url": REGISTER_URL}
    )
    assert printing(release, printed)
    assert relation(release, printed) == "different"


def _public_inspection(agencies: list[dict[str, str]]) -> bytes:
    """One document on the public-inspection desk, as the API lists it: no abstract."""
    document = {
        "document_number": "2036-09602",
        "title": "Additions to the Entity List",
        "type": "Rule",
        "filing_type": "regular",
        "filed_at": "2036-05-14T08:45:00.000-04:00",
        "publication_date": "2036-05-15",
        "html_url": "https://www.federalregister.gov/public-inspection/2036-09602/additions",
        "agencies": agencies,
    }
    return json.dumps({"count": 1, "results": [document]}).encode()


RELEASE_FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>BIS news</title>
<item><title>Commerce Adds 14 Entities for Diversion of Advanced Computing Items to
China</title><link>https://www.bis.gov/press-release/commerce-adds-14-entities</link>
<description>The additions include Pinnacrest Trading and affiliated addresses in
Malaysia, Singapore and Hong Kong.</description>
<pubDate>Thu, 14 May 2036 12:10:00 -0400</pubDate></item></channel></rss>"""


@pytest.mark.parametrize(
    ("agencies", "together"),
    [
        ([{"name": "Commerce Department"}, {"name": "Industry and Security Bureau"}], True),
        ([{"name": "Federal Communications Commission"}], False),
    ],
)
def test_a_filed_document_joins_its_agencys_release_by_its_record(
    pipeline: Pipeline, tmp_path: Path, agencies: list[dict[str, str]], together: bool
) -> None:
    """The public-inspection desk carries every agency's filings with no abstract: the
    record's agencies say whose release the filing goes with."""
    filed, release = tmp_path / "filed.json", tmp_path / "release.xml"
    filed.write_bytes(_public_inspection(agencies))
    release.write_text(RELEASE_FEED, encoding="utf-8")
    assert pipeline.ingest_file(release, "bis-news", "rss").status == "ok"
    assert pipeline.ingest_file(filed, "fr-public-inspection", "federal-register").status == "ok"
    pipeline.settle()
    with session_scope(pipeline.engine) as session:
        items = session.exec(select(Item)).all()
        assert len(items) == 2
        assert (items[0].event_id == items[1].event_id) is together
