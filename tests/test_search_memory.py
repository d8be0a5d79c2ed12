"""What a search process keeps in memory, and reading postings whole where items were replaced."""

from __future__ import annotations

import tracemalloc
from datetime import date

from sqlalchemy.engine import Engine
from test_search import Doc, store_docs

from tracker import search
from tracker.config import Settings
from tracker.search.mapped import MappedStorage
from tracker.search.snapshot import live_index
from tracker.search.storage import folder_size
from tracker.store.engine import migrate

WORDS = "export chips rule senator letter model agency hearing license controls".split()


def _long_docs(count: int) -> list[Doc]:
    """Items of about 3 KB each, so the index is a few megabytes."""
    docs = []
    for n in range(count):
        text = " ".join(f"{WORDS[(n + k) % len(WORDS)]}{k % 97}" for k in range(400))
        docs.append(Doc(f"long{n}", f"Item {n} on model distillation", text,
                        date(2025, 1 + n % 12, 1 + n % 28), "news"))  # fmt: skip
    return docs


def test_reading_the_index_copies_no_part_of_it(engine: Engine, any_settings: Settings) -> None:
    # whoosh hands each part of a segment (postings, stored fields, terms) to
    # its readers as a copy: a process then held the index twice.
    migrate(engine)
    store_docs(engine, _long_docs(400))
    search.catch_up(any_settings, engine)
    index_bytes = folder_size(any_settings.index_dir)
    assert index_bytes > 1_000_000
    queries = ("distillation", '"model distillation"', "export3 chips4", "")
    for query in queries:  # what every process keeps anyway: the taxonomy, compiled patterns
        assert search.search(any_settings, query).total
    live = live_index(any_settings.index_dir)
    with live.lock:
        live.close()
    tracemalloc.start()
    try:
        for query in queries:
            assert search.search(any_settings, query).total
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Copies took 1.2 times the index (1.9 MB for 1.6); read in place, a fifth.
    assert peak < index_bytes / 2, (peak, index_bytes)
    with live.lock:
        snap = live.snapshot()
        assert snap is not None
        for leaf in snap.leaves:
            files = leaf.reader.storage()
            assert isinstance(getattr(files, "b", files), MappedStorage)


def test_replaced_items_stay_out_of_words_phrases_and_counts(
    engine: Engine, any_settings: Settings
) -> None:
    # Postings are read whole, deleted documents too, and left out afterwards.
    migrate(engine)
    old = Doc("kimi", "Moonshot letter", "A letter on model distillation by Kimi.",
              date(2026, 4, 2), "letter")  # fmt: skip
    other = Doc("other", "Hearing on model distillation", "Model distillation again.",
                date(2026, 4, 3), "hearing")  # fmt: skip
    ids = store_docs(engine, [old, other])
    search.catch_up(any_settings, engine)
    assert search.search(any_settings, '"model distillation"').total == 2
    store_docs(engine, [Doc("kimi", "Moonshot letter", "Distillation, said the model, is over.",
                            date(2026, 4, 2), "letter")])  # fmt: skip
    assert search.catch_up(any_settings, engine) == 1
    phrase = search.search(any_settings, '"model distillation"')
    assert [h.id for h in phrase.hits] == [ids["other"]] and phrase.total == 1
    assert phrase.facets["type"] == [("hearing", 1)]
    assert search.search(any_settings, "kimi").total == 0
    word = search.search(any_settings, "said")
    assert [h.id for h in word.hits] == [ids["kimi"]]
    assert word.hits[0].why == ("matched: said in text",)
    both = search.search(any_settings, "distillation", per_page=10)
    assert sorted(h.id for h in both.hits) == sorted(ids.values()) and both.total == 2
