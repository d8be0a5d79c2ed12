"""`tracker ingest` ends without the interpreter's teardown, and loses nothing by it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from cli_processes import tracker_env
from feed_maker import write_feed

from tracker.search.storage import open_index

# The command as `python -m tracker.cli` runs it, with two witnesses: an exit
# handler (must run, as at any exit) and os._exit (the teardown is skipped
# through it, and only after the exit handlers ran).
DRIVER = """
import atexit, os, sys
import tracker.cli
handled, quick = sys.argv[1], sys.argv[2]
atexit.register(lambda: open(handled, "w").write("ran"))
real_exit, parent = os._exit, os.getpid()
def spy(code):
    if os.getpid() == parent:  # forked workers end through os._exit too
        open(quick, "w").write(f"{code} after handlers: {os.path.exists(handled)}")
    real_exit(code)
os._exit = spy
sys.argv = ["tracker", *sys.argv[3:]]
tracker.cli.main()
"""


def test_ingest_skips_the_teardown_and_keeps_everything(tmp_path: Path, database_url: str) -> None:
    env = tracker_env(tmp_path / "home", database_url)
    feed = write_feed(tmp_path / "feed.xml", 700)  # enough for the worker processes
    handled, quick = tmp_path / "handled", tmp_path / "quick"
    subprocess.run([sys.executable, "-m", "tracker.cli", "init"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(handled), str(quick), "ingest", str(feed),
         "--source", "wire"],
        env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "1 file: 700 new, 0 updated." in done.stdout  # piped stdout flushed whole
    assert handled.read_text() == "ran"
    assert quick.read_text() == "0 after handlers: True"  # before: an ordinary exit
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as db:
            assert db.execute(sa.text("SELECT COUNT(*) FROM item")).scalar_one() == 700
            waiting = "SELECT COUNT(*) FROM item WHERE event_id IS NULL"
            assert db.execute(sa.text(waiting)).scalar_one() == 0
    finally:
        engine.dispose()
    index = open_index(tmp_path / "home" / "index")
    assert index is not None
    assert index.doc_count() == 701  # every item, and the state document
    index.close()
    if database_url.startswith("sqlite"):
        # SQLite removes the write-ahead log when its last connection closes.
        assert not list((tmp_path / "home").glob("*-wal"))


def test_an_ingest_with_a_rejected_file_still_exits_2(tmp_path: Path, database_url: str) -> None:
    env = tracker_env(tmp_path / "home", database_url)
    subprocess.run([sys.executable, "-m", "tracker.cli", "init"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    (tmp_path / "bad.xml").write_text("<rss><channel><item>", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "tracker.cli", "ingest", str(tmp_path / "bad.xml")],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2
    # The table may fold a long path; the one-line reason on stderr is never cut.
    assert "rejected" in done.stdout
    assert f"rejected {tmp_path / 'bad.xml'}: " in done.stderr
