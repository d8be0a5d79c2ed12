"""What a search process keeps from one index generation to the next, and that
keeping it changes no answer: decoded postings, facet rows, the newest-first
order, the vocabulary; and the catch-up's writer reading the index in place."""

from __future__ import annotations

import math
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from test_search import Doc, _database, store_docs

from tracker import search
from tracker.config import Settings
from tracker.models import Item
from tracker.search import decoded, facets, following, indexing, ranking
from tracker.search import evaluate as evaluate_module
from tracker.search.evaluate import evaluate
from tracker.search.mapped import MappedStorage
from tracker.search.postings import Postings
from tracker.search.querylang import parse_query
from tracker.search.schema import FACET_FIELDS
from tracker.search.snapshot import Snapshot, bits_of, live_index
from tracker.search.storage import index_writer, open_index
from tracker.store.engine import migrate, session_scope
from tracker.store.tags import note_deletions

TOPICS = ("export controls", "model distillation", "national security", "trade secrets")


def _docs(count: int, prefix: str = "d") -> list[Doc]:
    docs = []
    for n in range(count):
        phrase = TOPICS[n % len(TOPICS)]
        other = TOPICS[(n + 1) % len(TOPICS)].split()[0]
        text = f"On {phrase} and {other} rules, item {n}: {phrase} again. " * (1 + n % 3)
        day, kind = date(2025, 1 + n % 12, 1 + n % 28), ("news", "letter", "memo")[n % 3]
        docs.append(Doc(f"{prefix}{n}", f"Note {n} on {phrase}", text, day, kind))
    return docs


def _answers(settings: Settings) -> list[tuple]:
    found = []
    for query in ('"national security"', '"model distillation" rules', "security", "export", ""):
        for sort in ("relevance", "newest"):
            result = search.search(settings, query, sort=sort, per_page=50, collapse=True)
            hits = [(h.id, h.score, h.folded) for h in result.hits]
            found.append((query, sort, result.total, hits, result.facets))
    return found


@pytest.fixture
def stored(engine: Engine, any_settings: Settings) -> tuple[Engine, Settings]:
    migrate(engine)
    store_docs(engine, _docs(120))
    search.catch_up(any_settings, engine)
    return engine, any_settings


def test_kept_postings_give_the_answers_read_afresh(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, settings = stored
    kept = _answers(settings)
    assert decoded._held > 0, "nothing was kept"
    again = _answers(settings)  # from what was kept
    monkeypatch.setattr(decoded, "BUDGET", 0)  # nothing kept: every list read afresh
    decoded.forget([key[0] for key in decoded._kept])
    afresh = _answers(settings)
    assert decoded._held == 0 and not decoded._kept
    assert kept == again == afresh
    # A changed item: the large segment's lists are kept, the answers follow the change.
    monkeypatch.setattr(decoded, "BUDGET", 96 * 2**20)
    _answers(settings)
    store_docs(engine, [Doc("d1", "Note 1 now on tariffs", "Tariffs only.", date(2025, 2, 2),
                            "news")])  # fmt: skip
    search.catch_up(settings, engine)
    changed = _answers(settings)
    monkeypatch.setattr(decoded, "BUDGET", 0)
    decoded.forget([key[0] for key in decoded._kept])
    assert changed == _answers(settings)
    assert changed != kept


def test_a_new_generation_reuses_the_lists_of_the_segments_it_keeps(
    stored: tuple[Engine, Settings],
) -> None:
    engine, settings = stored
    assert search.search(settings, '"national security"').total == 30
    live = live_index(settings.index_dir)
    with live.lock:
        before = live.snapshot()
        assert before is not None
        first = {key: part for key, (part, _size) in decoded._kept.items()
                 if key[0] == before.leaves[0].token
                 and isinstance(part, decoded.Decoded)}  # fmt: skip
    assert first and all(part.positions is not None for part in first.values())
    store_docs(engine, [Doc("x1", "Late note", "On national security, late.", date(2026, 1, 5),
                            "memo")])  # fmt: skip
    search.catch_up(settings, engine)
    assert search.search(settings, '"national security"').total == 31
    with live.lock:
        after = live.snapshot()
        assert after is not None and after.generation != before.generation
        assert after.leaves[0] is before.leaves[0]
    for key, part in first.items():  # the same objects: not decoded again
        assert decoded._kept[key][0] is part


def _phrase_answers(settings: Settings) -> list[tuple]:
    found = []
    for query in ('"national security"', '"security national"', '"on national security"',
                  '"model distillation" rules', '"export controls" OR "trade secrets"',
                  'rules -"trade secrets"'):  # fmt: skip
        result = search.search(settings, query, per_page=100)
        found.append((query, result.total, [(h.id, h.score) for h in result.hits]))
    return found


def _phrases_kept() -> list[tuple[int, str, str]]:
    return [key for key in decoded._kept if decoded.PHRASE_JOIN in key[2]]


def test_a_phrase_is_worked_out_once_per_segment_and_follows_deletions(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, settings = stored
    decoded.forget([key[0] for key in decoded._kept])
    first = _phrase_answers(settings)
    assert first[0][1] == 30 and first[1][1] == 0  # 120 notes, one in four on it; never reversed
    kept = _phrases_kept()
    assert ("title" in {k[1] for k in kept}) and ("text" in {k[1] for k in kept})
    assert any(k[2] == decoded.PHRASE_JOIN.join(("nation", "secur")) for k in kept)

    def worked_out_again(parts: list) -> None:
        raise AssertionError("a kept phrase was worked out again")

    monkeypatch.setattr(decoded, "_phrase", worked_out_again)
    assert _phrase_answers(settings) == first
    # Two notes on national security change: one loses the phrase, one keeps it in a
    # new segment; the large segment's phrase stays kept, its old documents deleted.
    store_docs(engine, [
        Doc("d2", "Note 2 now on tariffs", "Tariffs only.", date(2025, 3, 3), "news"),
        Doc("d6", "Note 6, national security", "National security, again.", date(2025, 7, 7),
            "memo"),
    ])  # fmt: skip
    search.catch_up(settings, engine)
    monkeypatch.undo()
    changed = _phrase_answers(settings)
    assert changed[0][1] == 29
    assert set(kept) <= set(_phrases_kept())  # the large segment's phrases were kept
    monkeypatch.setattr(decoded, "BUDGET", 0)  # nothing kept: every phrase read afresh
    decoded.forget([key[0] for key in decoded._kept])
    assert changed == _phrase_answers(settings)


def test_kept_postings_stay_within_their_budget(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    _engine, settings = stored
    decoded.forget([key[0] for key in decoded._kept])
    search.search(settings, '"national security"')
    one = decoded._held
    assert one > 0
    monkeypatch.setattr(decoded, "BUDGET", one)
    for query in ('"export controls"', '"trade secrets"', "rules", "note"):
        search.search(settings, query)
        assert 0 < decoded._held <= one
        assert decoded._held == sum(size for _part, size in decoded._kept.values())


def test_facets_newest_first_and_types_follow_a_new_generation(
    stored: tuple[Engine, Settings],
) -> None:
    engine, settings = stored
    search.search(settings, "security", sort="newest")
    store_docs(engine, [Doc("late", "Late security note", "Security, late.", date(2026, 3, 1),
                            "hearing")])  # fmt: skip
    search.catch_up(settings, engine)
    result = search.search(settings, "security", sort="newest", collapse=True)
    assert result.hits[0].title == "Late security note"
    assert ("hearing", 1) in result.facets["type"]
    assert result.total == sum(count for _value, count in result.facets["type"])


def test_the_catch_up_writer_reads_the_index_in_place(stored: tuple[Engine, Settings]) -> None:
    # whoosh's own storage copies every part of a segment a writer opens.
    _engine, settings = stored
    ix = open_index(settings.index_dir)
    assert ix is not None and isinstance(ix.storage, MappedStorage)
    with index_writer(ix, 5.0) as writer:
        for reader in writer.reader().leaf_readers():
            files = reader[0].storage()
            assert isinstance(getattr(files, "b", files), MappedStorage)
        writer.cancel()


def test_a_web_process_looks_for_deleted_items_at_most_every_few_minutes(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Counting the items (to find deleted ones) cost 0.1 s at a million, on the
    # first request after every change; the commands that store items still
    # count at each catch-up of their own.
    engine, settings = stored
    counted = []
    real = indexing.repair

    def spy(*args: object, **kwargs: object) -> int:
        counted.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(indexing, "repair", spy)
    monkeypatch.setattr(following, "FOLLOW_SECONDS", 0.0)
    following.forget()
    assert search.search(settings, "tariffs").total == 0
    first = store_docs(engine, [Doc("t1", "Tariffs", "On tariffs.", date(2026, 1, 2), "news")])
    assert search.search(settings, "tariffs").total == 1
    assert not counted
    store_docs(engine, [Doc("t2", "Tariffs again", "On tariffs.", date(2026, 1, 3), "news")])
    with session_scope(engine) as session:
        for table in ("itemtag", "itemsource"):
            session.execute(sa.text(f"DELETE FROM {table} WHERE item_id = :i"), {"i": first["t1"]})
        session.execute(sa.delete(Item).where(Item.id == first["t1"]))  # type: ignore[arg-type]
    monkeypatch.setattr(following, "CHECK_SECONDS", 0.0)
    assert [h.title for h in search.search(settings, "tariffs").hits] == ["Tariffs again"]
    assert counted == [1]
    assert search.indexed_items(settings) == _database(engine)


def test_a_deletion_the_tracker_counts_leaves_a_web_index_at_the_next_catch_up(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Deleting through the tracker adds to the item_deletions counter in the same
    # transaction; the web path sees it move and looks for deleted items at once,
    # without waiting out CHECK_SECONDS (which stays for rows deleted by hand).
    engine, settings = stored
    monkeypatch.setattr(following, "FOLLOW_SECONDS", 0.0)
    following.forget()
    first = store_docs(engine, [Doc("d1", "Dredging", "On dredging.", date(2026, 1, 2), "news")])
    assert search.search(settings, "dredging").total == 1
    store_docs(engine, [Doc("d2", "Dredging again", "On dredging.", date(2026, 1, 3), "news")])
    with session_scope(engine) as session:
        for table in ("itemtag", "itemsource"):
            session.execute(sa.text(f"DELETE FROM {table} WHERE item_id = :i"), {"i": first["d1"]})
        session.execute(sa.delete(Item).where(Item.id == first["d1"]))  # type: ignore[arg-type]
        note_deletions(session, 1)
    assert [h.title for h in search.search(settings, "dredging").hits] == ["Dredging again"]
    assert search.indexed_items(settings) == _database(engine)


def _plain_bm25f(snap: Snapshot, words: dict, docnum: int) -> float:
    """One match's BM25F read from its own postings, one field and one word at a time."""
    items = max(snap.live.bit_count(), 1)
    total = 0.0
    for fields in words.values():
        pseudo = 0.0
        holders: set[int] = set()
        for name, read in fields.items():
            holders |= set(read.docnums.tolist())
            at = read.docnums.tolist().index(docnum) if docnum in read.docnums else None
            if at is not None:
                norm = float(snap.norms(name, ranking.B)[docnum])
                pseudo += ranking.FIELD_WEIGHTS[name] * float(read.freqs[at]) / norm
        idf = math.log(1 + (items - len(holders) + 0.5) / (len(holders) + 0.5))
        total += idf * (ranking.K1 + 1) * pseudo / (ranking.K1 + pseudo)
    return total


def test_kept_word_scores_equal_a_reading_of_each_match(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, settings = stored
    search.search(settings, "security rules")
    store_docs(engine, [Doc("d3", "Note 3, security rules", "Rules on security.", date(2025, 4, 4),
                            "letter")])  # fmt: skip
    search.catch_up(settings, engine)  # two segments, one deletion
    live = live_index(settings.index_dir)
    # Kept scores (any budget) and scores at the matches only (BROAD 0: every
    # word's postings "outnumber" the matches, nothing is kept) give the same bits.
    for budget, broad in ((64 * 2**20, 10**9), (1, 10**9), (64 * 2**20, 0)):
        monkeypatch.setattr(ranking, "TERM_BUDGET", budget)
        monkeypatch.setattr(ranking, "BROAD", broad)
        with live.lock:
            live.snapshot().memo.pop("term scores", None)  # type: ignore[union-attr]
        for query in ('"national security" rules', "security OR export", "note -trade", "again"):
            with live.lock:
                snap = live.snapshot()
                assert snap is not None and len(snap.leaves) > 1
                parsed = parse_query(query)
                found = evaluate(parsed.root, parsed, search.Filters(), snap)
                assert found.words
                docnums = bits_of(found.mask, snap.size)
                first = ranking.text_scores(snap, found.words, docnums).tolist()
                kept = snap.memo.get("term scores", {})
                if not broad:
                    assert not kept
                else:
                    assert set(found.words) <= {key[0] for key in kept} or budget == 1
                    assert len(kept) >= 1 and (budget > 1 or len(kept) == 1)
                again = ranking.text_scores(snap, found.words, docnums).tolist()
                plain = [_plain_bm25f(snap, found.words, d) for d in docnums.tolist()]
                assert first == again == plain
    # A new generation drops the previous one's scores.
    before = snap
    store_docs(engine, [Doc("d5", "Note 5", "Nothing.", date(2025, 6, 6), "news")])
    search.catch_up(settings, engine)
    search.search(settings, "security")
    assert "term scores" not in before.memo


def test_facet_counts_are_remembered_for_the_same_matches(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    _engine, settings = stored
    first = search.search(settings, "security", collapse=True)
    assert first.total == sum(count for _value, count in first.facets["type"])

    def counted_again(*args: object) -> None:
        raise AssertionError("the same matches were counted again")

    monkeypatch.setattr(facets, "_counted", counted_again)
    # The next page and the other order have the same matches: counted once.
    for page, sort in ((2, "relevance"), (1, "newest")):
        again = search.search(settings, "security", sort=sort, page=page, collapse=True)
        assert again.facets == first.facets
    with pytest.raises(AssertionError, match="counted again"):
        search.search(settings, "export")
    monkeypatch.undo()
    monkeypatch.setattr(facets, "KEPT_COUNTS", 1)
    for query in ("export", "security", "rules", "security"):
        result = search.search(settings, query)
        with live_index(settings.index_dir).lock:
            snap = live_index(settings.index_dir).snapshot()
            assert snap is not None
            for name, field in FACET_FIELDS.items():
                plain = {v: (m & snap.live & _matches(settings, query)).bit_count()
                         for v, m in snap.masks(field).items()}  # fmt: skip
                assert dict(result.facets[name]) == {v: c for v, c in plain.items() if c}
                assert len(snap.memo[f"facet counts: {field}"]) == 1


def _matches(settings: Settings, query: str) -> int:
    live = live_index(settings.index_dir)
    snap = live.snapshot()
    assert snap is not None
    parsed = parse_query(query)
    return evaluate(parsed.root, parsed, search.Filters(), snap).mask


def test_word_and_phrase_bitmasks_are_kept_per_generation(
    stored: tuple[Engine, Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, settings = stored
    queries = ("security", '"national security"', "export -rules", "security OR trade")
    first = [search.search(settings, q, per_page=100) for q in queries]
    assert first[0].total == first[1].total == 30

    def read_again(*args: object) -> None:
        raise AssertionError("a kept bitmask was made again")

    monkeypatch.setattr(Postings, "mask", read_again)
    monkeypatch.setattr(evaluate_module, "phrase_docs", read_again)
    again = [search.search(settings, q, per_page=100) for q in queries]
    assert [(r.total, r.hits) for r in again] == [(r.total, r.hits) for r in first]
    monkeypatch.undo()
    # One note loses the words, one gains them: a new generation, its own bitmasks.
    store_docs(engine, [
        Doc("d2", "Note 2 now on tariffs", "Tariffs only.", date(2025, 3, 3), "news"),
        Doc("d5", "Note 5, national security", "National security.", date(2025, 6, 6), "memo"),
    ])  # fmt: skip
    search.catch_up(settings, engine)
    monkeypatch.setattr(evaluate_module, "KEPT_MASKS", 1)
    for query in queries:
        result = search.search(settings, query, per_page=100)
        with live_index(settings.index_dir).lock:
            snap = live_index(settings.index_dir).snapshot()
            assert snap is not None and len(snap.memo["text masks"]) <= 1
    assert search.search(settings, "security").total == 30
    assert search.search(settings, '"national security"').total == 30
    assert result.total == search.search(settings, "security OR trade").total
