"""The catch-up's writer (TermPool, grouped postings, replace_documents) writes
the same index files, byte for byte, as whoosh's own pool and update_document."""

from __future__ import annotations

import hashlib
import itertools
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from whoosh.codec import base
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from tracker.search import batch_writing
from tracker.search.batch_writing import TermPool, replace_documents, use_term_pool
from tracker.search.schema import document, state_document
from tracker.search.storage import index_writer, open_or_create
from tracker.store.indexing import IndexDoc

WORDS = (
    "export controls chips rule senators letter hearing model weights commerce "
    "régulation distillation outputs trade secrets tariff bill memorandum"
).split()


def docs(first: int, count: int, seed: int) -> list[IndexDoc]:
    rng = random.Random(seed)
    made = []
    for n in range(first, first + count):
        words = [rng.choice(WORDS) for _ in range(rng.randint(5, 400))]
        made.append(IndexDoc(
            id=n, seq=n + seed * 1000, title=" ".join(words[:6]), text=" ".join(words),
            source=rng.choice(("wire", "bis")), doc_type="news",
            topics=tuple(rng.sample(("ai", "chips", "trade"), rng.randint(0, 2))),
            entities=(), bill=rng.choice((None, "119-s-1705")),
            published=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=n),
            event=rng.choice((None, 3)), source_name="Wire",
        ))  # fmt: skip
    return made


def write(folder: Path, batches: list[list[IndexDoc]], fast: bool, optimize: bool = False) -> None:
    ix = open_or_create(folder)
    for batch in batches:
        fields = [*map(document, batch), state_document(batch[-1].seq)]
        with index_writer(ix, 5.0) as writer:
            if fast:
                use_term_pool(writer)
                replace_documents(writer, fields)
            else:
                for one in fields:
                    writer.update_document(**one)
            writer.commit(optimize=optimize)


def contents(folder: Path) -> dict[str, str]:
    """Every file of the index (each part of a compound segment apart), hashed."""
    storage = FileStorage(str(folder))
    found = {}
    for name in sorted(storage.list()):
        if name.endswith(".seg"):
            parts = CompoundStorage(storage.open_file(name), use_mmap=False)
            for part in sorted(parts.list()):
                with parts.open_file(part) as read:
                    found[part] = hashlib.sha256(read.read()).hexdigest()
            parts.close()
        elif not name.endswith((".lock", "WRITELOCK")):
            with storage.open_file(name) as read:
                found[name] = hashlib.sha256(read.read()).hexdigest()
    return found


def counted_names(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segment names from a counter, so two indexes can be compared file by file."""
    counter = itertools.count()
    name = classmethod(lambda cls, size=16: f"seg{next(counter):013d}")
    monkeypatch.setattr(base.Segment, "_random_id", name)


def same_as_whoosh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **kwargs: object) -> None:
    batches = [docs(0, 300, 1), docs(200, 300, 2), docs(50, 20, 3)]  # ids overlap: updates
    for name, fast in (("whoosh", False), ("ours", True)):
        counted_names(monkeypatch)
        write(tmp_path / name, batches, fast, **kwargs)  # type: ignore[arg-type]
    ours, theirs = contents(tmp_path / "ours"), contents(tmp_path / "whoosh")
    assert ours == theirs
    assert any(name.endswith(".pst") for name in ours)


def test_same_files_as_whoosh_pool_and_update_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    same_as_whoosh(tmp_path, monkeypatch)


def test_same_files_when_segments_are_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # optimize: every earlier segment's postings come through the pool, term by term
    same_as_whoosh(tmp_path, monkeypatch, optimize=True)


def test_same_files_when_the_pool_spills_to_whoosh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(batch_writing, "SPILL", 5_000)
    spilled = []
    original = TermPool._spill
    monkeypatch.setattr(TermPool, "_spill", lambda self: spilled.append(1) or original(self))
    same_as_whoosh(tmp_path, monkeypatch)
    assert spilled


def test_same_files_with_blocks_split_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # More documents than a block holds (1,024): common terms span several blocks.
    batches = [docs(0, 2100, 4), docs(0, 1024, 5)]
    for name, fast in (("whoosh", False), ("ours", True)):
        counted_names(monkeypatch)
        write(tmp_path / name, batches, fast)
    assert contents(tmp_path / "ours") == contents(tmp_path / "whoosh")
