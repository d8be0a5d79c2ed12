"""Search agrees with a plain reading of every item, on a corpus big enough to span blocks.

Posting lists are stored in blocks of up to 1,024 documents and read as
arrays; here a few words occur in thousands of items, so words, phrases and
their combinations cross block and segment boundaries. The expected answer
comes from reading each item's own terms, one item at a time.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import make_settings

from tracker import search
from tracker.config import Settings
from tracker.search.analysis import CachedAnalyzer
from tracker.search.querylang import AllOf, AnyOf, Node, Not, Text, parse_query
from tracker.store import catalog
from tracker.store.engine import make_engine, migrate, session_scope
from tracker.store.ingest import store_items
from tracker.types import ItemRecord, TagResult

WORDS = "chips export rules model distillation letter senate qwen memo review".split()
TERMS = CachedAnalyzer().terms
START = datetime(2026, 1, 1, tzinfo=UTC)


def _record(n: int, title: str, text: str) -> ItemRecord:
    return ItemRecord(
        guid=f"d{n}", title=title, url=f"https://example.org/{n}", summary_html="", text=text,
        published=START + timedelta(hours=n), updated=None, undated=False, author=None,
        format_doc_type=None, document_number=None, agencies=(), categories=(), rins=(),
        bill_key=None, content_hash=f"h{n}",
    )  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, dict]]:
    """3,000 items of ten words, stored in two batches so the index has two segments."""
    rng = random.Random(20261201)
    settings = make_settings(tmp_path_factory.mktemp("differential"))
    engine = make_engine(settings)
    migrate(engine)
    fields: dict[int, tuple[list[str], list[str]]] = {}
    for batch in (range(0, 2000), range(2000, 3000)):
        with session_scope(engine) as session:
            source = catalog.local_source(session, "wire", "rss")
            rows = []
            for n in batch:
                title = " ".join(rng.choices(WORDS, k=rng.randint(2, 5)))
                text = " ".join(rng.choices(WORDS, k=rng.randint(5, 30)))
                rows.append((_record(n, title, text), TagResult((), "news")))
            report = store_items(session, source, rows, START)
        for item_id, (record, _) in zip(report.item_ids, rows, strict=True):
            fields[item_id] = (TERMS(record.title), TERMS(record.text))
        search.catch_up(settings, engine)
    yield settings, fields
    engine.dispose()


def _holds(terms: list[str], wanted: list[str]) -> bool:
    width = len(wanted)
    return any(terms[i : i + width] == wanted for i in range(len(terms) - width + 1))


def matches(node: Node, title: list[str], text: list[str]) -> bool:
    """The query tree read against one item's terms."""
    if isinstance(node, Text):
        wanted = TERMS(node.words)
        return _holds(title, wanted) or _holds(text, wanted)
    if isinstance(node, Not):
        return not matches(node.node, title, text)
    if isinstance(node, AnyOf):
        return any(matches(child, title, text) for child in node.nodes)
    assert isinstance(node, AllOf)
    return all(matches(child, title, text) for child in node.nodes)


def _queries() -> list[str]:
    rng = random.Random(7)
    made = ['"export rules"', '"model distillation letter"', '"chips chips"', "qwen -memo"]
    for _ in range(26):
        parts = []
        for _ in range(rng.randint(1, 3)):
            words = rng.sample(WORDS, rng.randint(1, 3))
            shape = rng.random()
            if shape < 0.35:
                parts.append('"' + " ".join(words) + '"')
            elif shape < 0.55:
                parts.append(" OR ".join(words))
            elif shape < 0.7:
                parts.append("-" + words[0])
            else:
                parts.append(" ".join(words))
        made.append(" ".join(parts))
    return made


@pytest.mark.parametrize("query", _queries())
def test_every_match_and_only_matches_are_found(corpus: tuple, query: str) -> None:
    settings, fields = corpus
    root = parse_query(query).root
    assert root is not None
    expected = {i for i, (title, text) in fields.items() if matches(root, title, text)}
    seen: set[int] = set()
    page, total = 1, None
    while True:
        result = search.search(settings, query, page=page, per_page=100)
        total = result.total
        seen.update(hit.id for hit in result.hits)
        if not result.has_next or page == 40:
            break
        page += 1
    if result.partial is not None:
        # Nothing matches every part: the items matching the most parts are
        # answered instead (tests/test_search_help.py), and said so.
        assert not expected and total and "showing the items that match" in (result.notice or "")
        parts = root.nodes if isinstance(root, AllOf) else (root,)
        positive = [p for p in parts if not isinstance(p, Not)]
        negated = [p.node for p in parts if isinstance(p, Not)]
        for item_id in seen:
            title, text = fields[item_id]
            assert not any(matches(n, title, text) for n in negated)
            assert sum(matches(p, title, text) for p in positive) == result.partial[0]
        return
    assert total == len(expected)
    # Whole results when they fit in the pages walked; a prefix of them otherwise.
    assert seen == expected if len(expected) <= 4000 else seen <= expected
