"""Two `tracker ingest` of one file at once (issue 18 item 6), as real processes on
SQLite and on PostgreSQL: the second must not fail on a unique key, no event may
be left without items, nothing may be counted as updated, and the store must be
the one two runs one after the other build."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_processes import finish, run, start, store_picture, tracker_env
from conftest import PG_URL
from feed_maker import write_feed

ENTRIES = 1500


@pytest.fixture(params=["sqlite", "postgresql"])
def two_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two empty databases of one kind: one for concurrent runs, one for sequential."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'together.db'}", f"sqlite:///{tmp_path / 'in-turn.db'}"
        return
    schemas = ["t_" + uuid.uuid4().hex[:12] for _ in range(2)]
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    yield tuple(f"{PG_URL}{sep}options=-csearch_path%3D{s}" for s in schemas)  # type: ignore[misc]
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def counts(stdout: str) -> tuple[int, int]:
    """(new, updated) from the totals line `1 file: 1,200 new, 0 updated.`."""
    found = re.search(r"^[\d,]+ files?: ([\d,]+) new, ([\d,]+) updated", stdout, re.M)
    assert found, stdout
    return int(found[1].replace(",", "")), int(found[2].replace(",", ""))


def ingest_twice(env: dict[str, str], path: Path, together: bool) -> list[tuple[int, str, str]]:
    args = ("ingest", str(path), "--source", "wire")
    if not together:
        return [run(env, *args), run(env, *args)]
    both = [start(env, *args), start(env, *args)]
    return [finish(p) for p in both]


@pytest.mark.parametrize("source_exists", [False, True], ids=["new-source", "existing-source"])
def test_two_ingests_of_one_file_at_once_store_what_two_in_turn_store(
    tmp_path: Path, two_databases: tuple[str, str], source_exists: bool
) -> None:
    feed = write_feed(tmp_path / "wire.xml", ENTRIES)
    earlier = write_feed(tmp_path / "earlier.xml", 5, seed=3, prefix="earlier")
    pictures = []
    for url, together in zip(two_databases, (True, False), strict=True):
        env = tracker_env(tmp_path / ("together" if together else "in-turn"), url)
        assert run(env, "init")[0] == 0
        if source_exists:
            assert run(env, "ingest", str(earlier), "--source", "wire")[0] == 0
        results = ingest_twice(env, feed, together)
        for code, _, err in results:
            assert code == 0, err
            assert "Traceback" not in err and "rejected" not in err, err
        new, updated = map(sum, zip(*(counts(out) for _, out, _ in results), strict=True))
        assert (new, updated) == (ENTRIES, 0)  # stored once, and nothing counted as updated
        pictures.append(store_picture(url))
    together_picture, in_turn_picture = pictures
    assert together_picture["empty_events"] == 0  # no /events/N answering with no items
    assert len(together_picture["items"]) == ENTRIES + (5 if source_exists else 0)
    for part in ("items", "tags", "events", "bills", "seq"):
        assert together_picture[part] == in_turn_picture[part], part
