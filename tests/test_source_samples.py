"""Every source in data/sources.toml has a recorded answer that its parser reads as expected.

The answers in tests/data/sources/ were written by hand from each format's
public documentation (see its README); expected.toml says what each must
give. A source added without a sample, or a sample without expectations,
fails here.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import DATA

from tracker.config import REPO_ROOT
from tracker.parse import ParseError, parse_document
from tracker.source_request import source_request
from tracker.sources import load_sources
from tracker.types import SourceConfig

SAMPLES = DATA / "sources"
SOURCES = load_sources(REPO_ROOT / "data" / "sources.toml")
EXPECTED = tomllib.loads((SAMPLES / "expected.toml").read_text(encoding="utf-8"))


def sample_of(slug: str) -> Path:
    found = [p for p in SAMPLES.glob(f"{slug}.*") if p.stem == slug and p.name != "expected.toml"]
    assert len(found) == 1, f"{slug}: expected one recorded answer in {SAMPLES}, found {found}"
    return found[0]


def test_every_source_has_a_sample_and_expectations() -> None:
    slugs = {s.slug for s in SOURCES}
    missing_samples = [s for s in slugs if not list(SAMPLES.glob(f"{s}.*"))]
    assert not missing_samples, f"sources without a recorded answer: {sorted(missing_samples)}"
    assert slugs == set(EXPECTED), (
        f"without expectations: {sorted(slugs - set(EXPECTED))}; "
        f"expectations of no source: {sorted(set(EXPECTED) - slugs)}"
    )
    samples = {p.stem for p in SAMPLES.iterdir() if p.suffix in {".xml", ".json", ".html"}}
    assert samples == slugs, f"samples of no source: {sorted(samples - slugs)}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda s: s.slug)
def test_the_parser_reads_the_recorded_answer(source: SourceConfig) -> None:
    expected = EXPECTED[source.slug]
    content = sample_of(source.slug).read_bytes()
    kind = None if source.kind == "rss" else source.kind
    if "broken" in expected:
        assert not source.enabled and source.disabled_reason, "a broken source must be off"
        with pytest.raises(ParseError, match=expected["broken"]):
            parse_document(content, kind, base_url=source.url, selectors=source.selectors)
        return
    parsed = parse_document(content, kind, base_url=source.url, selectors=source.selectors)
    titles = [item.title for item in parsed.items]
    assert len(parsed.items) == expected["items"], titles
    assert len(parsed.warnings) == expected.get("warnings", 0), parsed.warnings
    if "title" in expected:
        assert expected["title"] in titles
        item = parsed.items[titles.index(expected["title"])]
        assert item.doc_type == expected.get("doc_type"), item
        assert item.guid and (item.url or "").startswith("https://")
    assert bool(parsed.next_page) == expected.get("next_page", False)
    if parsed.next_page:  # the link is one the fetch would follow (same host)
        request = source_request(source.kind, source.url, congress_api_key="k")
        assert request.next_page(parsed.next_page) is not None


def test_the_batch_notices_are_not_stored_as_bills() -> None:
    """govinfo's BILLSTATUS batch notices (lists of changed files) are skipped, said once."""
    content = sample_of("govinfo-billstatus").read_bytes()
    assert b"BILLSTATUS batch update complete" in content
    parsed = parse_document(content)
    assert parsed.items == ()
    assert parsed.warnings == (
        "2 BILLSTATUS batch notice(s) skipped: lists of changed files, not bills",
    )
