"""Federal Register documents.json: items, paging, type hints, missing fields.

The golden file lives in tests/data/golden/; regenerate it with
``UPDATE_GOLDEN=1 pytest tests/test_parse_federal_register.py`` and review the diff.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from golden import assert_golden

from tracker.parse import ParseError
from tracker.parse.federal_register import parse_federal_register

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = DATA / "federal-register" / "documents-sample.json"
GOLDEN = DATA / "golden"


def page(*results: object, **extra: object) -> bytes:
    return json.dumps({"count": len(results), "results": list(results), **extra}).encode()


@pytest.fixture(scope="module")
def sample():
    return parse_federal_register(SAMPLE.read_bytes())


def test_sample_matches_golden(sample) -> None:
    assert_golden("federal-register-documents-sample.json", sample)


def test_every_document_of_the_sample_becomes_an_item(sample) -> None:
    raw = json.loads(SAMPLE.read_bytes())
    assert len(sample.items) == len(raw["results"]) == 68
    assert sample.warnings == ()
    assert sample.next_page == raw["next_page_url"]
    assert sample.next_page.startswith("https://www.federalregister.gov/api/v1/documents?")
    assert sample.feed_title == "Documents published in 2024"
    assert len({item.guid for item in sample.items}) == 68


def test_type_hints(sample) -> None:
    raw = {doc["document_number"]: doc for doc in json.loads(SAMPLE.read_bytes())["results"]}
    expected = {"Rule": "rule", "Proposed Rule": "rule", "Notice": "notice"}
    for item in sample.items:
        doc = raw[item.document_number]
        if doc["type"] == "Presidential Document":
            assert doc["subtype"] == "Proclamation" and item.doc_type == "proclamation"
        else:
            assert item.doc_type == expected[doc["type"]]
    assert Counter(item.doc_type for item in sample.items) == {
        "notice": 44,
        "rule": 19,
        "proclamation": 5,
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"type": "Presidential Document", "subtype": "Executive Order"}, "executive-order"),
        ({"type": "Presidential Document", "subtype": "Proclamation"}, "proclamation"),
        ({"type": "Presidential Document", "subtype": "Memorandum"}, "memo"),
        ({"type": "Presidential Document", "subtype": "Determination"}, "memo"),
        ({"type": "Presidential Document", "subtype": "Notice"}, "notice"),
        ({"type": "Presidential Document", "subtype": "Other"}, None),
        ({"type": "Presidential Document"}, None),
        # A query may ask for `presidential_document_type` rather than `subtype`.
        (
            {"type": "Presidential Document", "presidential_document_type": "executive_order"},
            "executive-order",
        ),
        ({"presidential_document_type": "proclamation"}, "proclamation"),
        ({"type": "Rule"}, "rule"),
        ({"type": "Proposed Rule"}, "rule"),
        ({"type": "Notice"}, "notice"),
        ({"type": "Uncategorized Document"}, None),
        ({"type": None, "subtype": None}, None),
    ],
)
def test_federal_register_types_and_subtypes(fields: dict, expected: str | None) -> None:
    document = {"document_number": "2026-01234", "title": "A document", **fields}
    (item,) = parse_federal_register(page(document)).items
    assert item.doc_type == expected


def test_missing_and_null_fields_are_tolerated() -> None:
    bare = {"document_number": "2025-00001", "title": "A bare document"}
    nulls = {
        "document_number": "2025-00002",
        "title": "All nulls",
        "abstract": None,
        "html_url": None,
        "publication_date": None,
        "agencies": None,
        "topics": None,
        "regulation_id_numbers": None,
        "type": None,
        "subtype": None,
    }
    result = parse_federal_register(page(bare, nulls, next_page_url=None))
    assert result.warnings == () and result.next_page is None
    first, second = result.items
    assert first.url == "https://www.federalregister.gov/d/2025-00001"
    assert (first.published, first.summary_html, first.agencies, first.rins) == (None, "", (), ())
    assert second.url == "https://www.federalregister.gov/d/2025-00002"
    assert second.categories == () and second.doc_type is None


def test_agency_falls_back_to_raw_name_then_agency_names() -> None:
    result = parse_federal_register(
        page(
            {
                "document_number": "2025-00003",
                "title": "Entity List additions",
                "agencies": [{"raw_name": "Industry and Security Bureau", "name": None}],
            },
            {
                "document_number": "2025-00004",
                "title": "Export rule",
                "agency_names": ["Commerce Department", "Industry and Security Bureau"],
            },
        )
    )
    assert result.items[0].agencies == ("Industry and Security Bureau",)
    assert result.items[1].agencies == ("Commerce Department", "Industry and Security Bureau")


def test_abstract_is_escaped_as_html_text() -> None:
    doc = {"document_number": "2025-00005", "title": "T", "abstract": "Chips <5nm & GPUs"}
    (item,) = parse_federal_register(page(doc)).items
    assert item.summary_html == "Chips &lt;5nm &amp; GPUs"


def test_results_without_title_or_number_are_skipped_with_warnings() -> None:
    result = parse_federal_register(
        page(
            {"document_number": "2025-00006"},
            {"title": "No number"},
            "not an object",
            {"document_number": "2025-00007", "title": "Kept", "publication_date": "soon"},
        )
    )
    assert [item.guid for item in result.items] == ["fr:2025-00007"]
    assert result.items[0].published is None
    assert len(result.warnings) == 4
    assert "2025-00006" in result.warnings[0] and "title" in result.warnings[0]
    assert "No number" in result.warnings[1] and "document number" in result.warnings[1]
    assert "not a JSON object" in result.warnings[2]
    assert "soon" in result.warnings[3]


def test_a_single_document_is_accepted() -> None:
    doc = {
        "document_number": "2025-00008",
        "title": "Single",
        "type": "Rule",
        "publication_date": "2025-01-15",
    }
    result = parse_federal_register(json.dumps(doc).encode())
    (item,) = result.items
    assert (item.guid, item.doc_type, item.published) == (
        "fr:2025-00008",
        "rule",
        datetime(2025, 1, 15, tzinfo=UTC),
    )
    assert result.next_page is None


def test_an_empty_search_is_an_empty_page() -> None:
    result = parse_federal_register(b'{"count": 0, "description": "No documents"}')
    assert result.items == () and result.warnings == ()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html>not json</html>", "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b"[1, 2]", "not an object"),
        (b'{"count": 3, "description": "x"}', "no 'results'"),
        (b'{"results": {"a": 1}}', "not a list"),
        (b'{"status": 400, "message": "Invalid conditions"}', "Invalid conditions"),
    ],
)
def test_unreadable_pages_are_parse_errors(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_federal_register(content)
