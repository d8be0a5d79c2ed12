"""A search index that cannot be used rebuilds itself, with a log line, instead of failing.

Each test damages a real index on disk the way it happens in life (a class
its pickles name has moved, another whoosh or schema version wrote it, a
file was cut short, overwritten or deleted), then searches from a fresh
process state and expects the right answer and one clear log line.
"""

from __future__ import annotations

import logging
import os
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from test_search import CORPUS, new_home, store_docs

from tracker import search
from tracker.config import Settings
from tracker.search import healing, snapshot
from tracker.search.schema import STATE_ID
from tracker.search.storage import index_writer, open_or_create

Damage = Callable[[Path], None]


@pytest.fixture
def home(tmp_path: Path) -> Iterator[tuple[Settings, Engine]]:
    settings, engine = new_home(tmp_path)
    store_docs(engine, CORPUS)
    search.catch_up(settings, engine)
    assert search.search(settings, "qwen").total == 2
    yield settings, engine
    engine.dispose()


def _forget_open_indexes() -> None:
    """What a new worker process starts with: no index open."""
    for live in list(snapshot._live.values()):
        live.close()
    snapshot._live.clear()


def _toc(folder: Path) -> Path:
    return max(folder.glob("_MAIN_*.toc"))


def _segment(folder: Path) -> Path:
    return max(folder.glob("*.seg"), key=lambda p: p.stat().st_size)


def moved_class(folder: Path) -> None:
    # The pickled segments name tracker.search.codec.ArrayCodec; a release that
    # moved it would leave the old path behind in every index it did not write.
    toc = _toc(folder)
    data = toc.read_bytes()
    assert b"tracker.search.codec" in data
    toc.write_bytes(data.replace(b"tracker.search.codec", b"tracker.search.codex"))


def other_whoosh_version(folder: Path) -> None:
    # The table of contents starts with three size varints and -12345, then
    # whoosh's format number: another release writes another number.
    toc = _toc(folder)
    data = bytearray(toc.read_bytes())
    assert data[3:7] == struct.pack("!i", -12345) and data[7:11] == struct.pack("!i", -111)
    data[7:11] = struct.pack("!i", -112)
    toc.write_bytes(bytes(data))


def truncated_toc(folder: Path) -> None:
    toc = _toc(folder)
    toc.write_bytes(toc.read_bytes()[: toc.stat().st_size // 2])


def overwritten_toc(folder: Path) -> None:
    toc = _toc(folder)
    data = toc.read_bytes()
    toc.write_bytes(data[:40] + b"\x00" * (len(data) - 40))


def truncated_segment(folder: Path) -> None:
    segment = _segment(folder)
    with segment.open("r+b") as f:
        f.truncate(segment.stat().st_size // 2)


def missing_segment(folder: Path) -> None:
    _segment(folder).unlink()


@pytest.mark.parametrize(
    "damage",
    [
        moved_class,
        other_whoosh_version,
        truncated_toc,
        overwritten_toc,
        truncated_segment,
        missing_segment,
    ],
)
def test_a_damaged_index_rebuilds_itself_and_answers(
    home: tuple[Settings, Engine], damage: Damage, caplog: pytest.LogCaptureFixture
) -> None:
    settings, _engine = home
    _forget_open_indexes()
    damage(settings.index_dir)
    with caplog.at_level(logging.WARNING, logger="tracker.search"):
        result = search.search(settings, "qwen")
    assert result.total == 2 and result.notice is None
    lines = [r.getMessage() for r in caplog.records]
    assert any("cannot be used" in line and "rebuilding it from the database" in line
               for line in lines), lines  # fmt: skip
    assert any("rebuilt with 9 items" in line for line in lines), lines
    # The next process opens the healed index without rebuilding again.
    _forget_open_indexes()
    caplog.clear()
    assert search.search(settings, "distillation").total >= 2
    assert not caplog.records


def test_an_index_of_another_schema_version_rebuilds_itself(
    home: tuple[Settings, Engine], caplog: pytest.LogCaptureFixture
) -> None:
    settings, _engine = home
    with index_writer(open_or_create(settings.index_dir), 5) as writer:
        writer.update_document(id=STATE_ID, kind="state", seq=10**6, version=1)
        writer.commit()
    _forget_open_indexes()
    with caplog.at_level(logging.WARNING, logger="tracker.search"):
        result = search.search(settings, "qwen")
    assert result.total == 2
    assert any("another version" in r.getMessage() for r in caplog.records)
    assert search.index_status(settings).current_schema


def test_catch_up_rebuilds_an_index_it_cannot_read(
    home: tuple[Settings, Engine], caplog: pytest.LogCaptureFixture
) -> None:
    settings, engine = home
    _forget_open_indexes()
    truncated_toc(settings.index_dir)
    with caplog.at_level(logging.WARNING, logger="tracker.search"):
        assert search.catch_up(settings, engine) == len(CORPUS)
    assert any("cannot be read" in r.getMessage() for r in caplog.records)
    assert search.search(settings, "qwen").total == 2


def test_a_large_database_rebuilds_in_the_background_while_searches_say_so(
    home: tuple[Settings, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, _engine = home
    monkeypatch.setattr(healing, "WAIT_ITEMS", 0)
    _forget_open_indexes()
    missing_segment(settings.index_dir)
    first = search.search(settings, "qwen")
    assert first.total == 0 and first.notice == healing.REBUILDING
    deadline = time.monotonic() + 30
    while healing._running and time.monotonic() < deadline:
        time.sleep(0.05)
    assert search.search(settings, "qwen").total == 2
    assert not [p for p in settings.index_dir.parent.iterdir() if ".damaged-" in p.name]
    assert os.listdir(settings.index_dir)
