"""Does `tracker ingest` store the same things on two checkouts?

    python bench/ingest_same.py --before /path/to/main-worktree [--entries 5000]
                                [--density 500] [--databases sqlite,postgresql]

Ingests bench/ingest.py's generated feed with `tracker ingest` (as a process)
on each checkout, on a fresh database and index, then dumps what the store
holds: every row of every table (ordered by primary key; timestamps of the
run itself, which differ between any two runs, replaced by a mark), and the
search index: each segment's document count and deletions, every stored
document, every posting (field, term, document number, weight, value) and
every column value. Prints one digest per checkout and the first
differences; exits 1 when the dumps differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import ROOT, drop_schema, environment, fresh_database, make_feed

NOW_MARK = "<time of the run>"


def _plain(value: Any, now: datetime) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        if abs(aware - now) < timedelta(hours=6):
            return NOW_MARK
        return aware.isoformat()
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return repr(value)


def dump_database() -> dict[str, Any]:
    """Every table's rows, in primary key order (run inside the code under test)."""
    import sqlalchemy as sa

    from tracker.config import Settings
    from tracker.store.engine import make_engine

    engine = make_engine(Settings.from_env())
    now = datetime.now(UTC)
    tables: dict[str, Any] = {}
    meta = sa.MetaData()
    meta.reflect(engine)
    with engine.connect() as conn:
        for name, table in sorted(meta.tables.items()):
            if name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(sa.select(table).order_by(*order)).all()
            tables[name] = [[_plain(v, now) for v in row] for row in rows]
    return tables


def dump_index() -> dict[str, Any]:
    """Segments, stored documents, postings and columns of the search index."""
    from tracker.config import Settings
    from tracker.search.storage import open_index

    ix = open_index(Settings.from_env().index_dir)
    assert ix is not None, "no index"
    now = datetime.now(UTC)
    with ix.reader() as reader:
        segments = [[s.doc_count_all(), sorted(s.deleted_docs())] for s in ix._segments()]
        stored = [[n, {k: _plain(v, now) for k, v in sorted(f.items())}]
                  for n, f in reader.iter_docs()]  # fmt: skip
        postings = hashlib.sha256()
        count = 0
        for fieldname, text, docnum, weight, value in reader.iter_postings():
            postings.update(repr((fieldname, text, docnum, weight, value)).encode())
            count += 1
        columns = {}
        for name in sorted(ix.schema.names()):
            if ix.schema[name].column_type and reader.has_column(name):
                columns[name] = list(reader.column_reader(name))
    return {"segments": segments, "stored": stored, "columns": columns,
            "postings": [count, postings.hexdigest()]}  # fmt: skip


def ingest_and_dump(code: Path, feed: Path, kind: str, work: Path) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(dir=work))
    database, schema = fresh_database(kind)
    # Grouping breaks ties in set order, which follows the string hash: one seed.
    env = {**environment(code, home, database), "PYTHONHASHSEED": "18"}
    try:
        for args in (["init"], ["ingest", str(feed), "--source", "bench"]):
            subprocess.run([sys.executable, "-m", "tracker.cli", *args], env=env, check=True,
                           capture_output=True)  # fmt: skip
        done = subprocess.run([sys.executable, __file__, "--dump"], env=env, check=True,
                              capture_output=True, text=True)  # fmt: skip
        return json.loads(done.stdout)  # type: ignore[no-any-return]
    finally:
        drop_schema(schema)


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {a!r:.80} != {b!r:.80}"]
    if isinstance(a, dict):
        found = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                found.append(f"{path}/{key}: only on one side")
            else:
                found += differences(a[key], b[key], f"{path}/{key}")
        return found
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} entries != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in differences(x, y, f"{path}[{i}]")]  # fmt: skip
    return [] if a == b else [f"{path}: {a!r:.80} != {b!r:.80}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--density", type=int, default=500)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--dump", action="store_true", help=argparse.SUPPRESS)
    if "--dump" in sys.argv:
        print(json.dumps({"database": dump_database(), "index": dump_index()}))
        return
    args = parser.parse_args()
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        feed = work / "feed.xml"
        feed.write_bytes(make_feed(args.entries, args.density))
        for kind in args.databases.split(","):
            codes = (("before", args.before.resolve()), ("after", ROOT))
            dumps = {label: ingest_and_dump(code, feed, kind, work) for label, code in codes}
            for label, dump in dumps.items():
                digest = hashlib.sha256(json.dumps(dump, sort_keys=True).encode()).hexdigest()
                rows = sum(len(t) for t in dump["database"].values())
                print(f"{kind} {label}: {rows} rows in {len(dump['database'])} tables, "
                      f"{len(dump['index']['stored'])} index documents, "
                      f"{dump['index']['postings'][0]} postings; digest {digest[:16]}")  # fmt: skip
            found = differences(dumps["before"], dumps["after"])
            print(f"{kind}: {'same' if not found else f'{len(found)} differences'}")
            for line in found[:20]:
                print("  ", line)
            same = same and not found
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
