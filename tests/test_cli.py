"""The `tracker` command as a user runs it: real processes, exit codes, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA

FEEDS = DATA / "feeds"


def run(
    home: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    full_env.update({"TRACKER_HOME": str(home), "COLUMNS": "200", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "tracker.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    rss = (FEEDS / "rss2.xml").read_bytes()
    files = {
        "not-a-feed.txt": b"Dear reader, this is a letter, not a feed.",
        "empty.xml": b"",
        "truncated.xml": rss[: len(rss) // 2],
        "wrong-encoding.xml": rss.replace(b"chip &amp; model", b"chip \xff\xfe model"),
        "bomb.xml": (
            b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b"<rss version='2.0'><channel><title>&b;</title></channel></rss>"
        ),
    }
    paths = {}
    for name, content in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(content)
    big = tmp_path / "huge.xml"
    with big.open("wb") as handle:
        handle.write(b"<?xml version='1.0'?><rss version='2.0'><channel>")
        handle.write(b" " * (50 * 1024 * 1024))
    paths["huge.xml"] = big
    return paths


def test_ingest_rejects_each_bad_file_keeps_the_good_ones(
    tmp_path: Path, bad_files: dict[str, Path]
) -> None:
    good = [FEEDS / "rss2.xml", FEEDS / "atom.xml"]
    result = run(tmp_path / "home", "ingest", *map(str, [good[0], *bad_files.values(), good[1]]))
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected ")]
    assert len(rejected) == len(bad_files)
    reasons = "\n".join(rejected)
    for expected in ("not a feed", "empty file", "truncated", "encoding", "entities", "MB limit"):
        assert expected in reasons
    exported = run(tmp_path / "home", "export")
    titles = [json.loads(line).get("title") for line in exported.stdout.splitlines()]
    assert "Senators question Commerce on chip & model exports" in titles
    assert "Letter to Senators on distillation" in titles


def test_missing_file_is_rejected_with_a_reason(tmp_path: Path) -> None:
    result = run(tmp_path, "ingest", str(tmp_path / "nope.xml"))
    assert result.returncode == 2
    assert "cannot read the file" in result.stderr and "Traceback" not in result.stderr


def test_ingest_twice_reports_nothing_new(tmp_path: Path) -> None:
    run(tmp_path, "ingest", str(FEEDS / "rss2.xml"))
    again = run(tmp_path, "ingest", str(FEEDS / "rss2.xml"))
    assert again.returncode == 0
    assert "1 file: 0 new, 0 updated." in again.stdout


def test_export_writes_every_kind_of_record(tmp_path: Path) -> None:
    run(tmp_path, "ingest", str(FEEDS / "rss2.xml"), "--source", "wire")
    out = tmp_path / "export.jsonl"
    result = run(tmp_path, "export", "--output", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = {r["type"] for r in records}
    assert {"source", "topic", "entity", "item"} <= kinds
    item = next(r for r in records if r["type"] == "item")
    for key in ("guid", "url", "title", "summary_html", "text", "published_at", "doc_type",
                "content_hash", "seq", "tags", "sources"):  # fmt: skip
        assert key in item
    assert item["sources"][0]["guid"] == "wire-1"


def test_export_then_import_keeps_staff_and_logs(tmp_path: Path) -> None:
    """Issue 18 item 11, as a user runs it: export, import into an empty home, export again."""
    old, new = tmp_path / "old", tmp_path / "new"
    run(old, "ingest", str(FEEDS / "rss2.xml"), "--source", "wire")
    made = subprocess.run(
        [sys.executable, "-m", "tracker.cli", "create-user", "eddie", "--password-stdin"],
        input="a long enough password\n", capture_output=True, text=True, timeout=120,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")},
             "TRACKER_HOME": str(old)},
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    assert run(old, "export", "--output", str(first)).returncode == 0
    kinds = [json.loads(line)["type"] for line in first.read_text().splitlines()]
    assert {"user", "audit", "fetch_log"} <= set(kinds)
    imported = run(new, "import", str(first))
    assert imported.returncode == 0, imported.stderr
    assert "1 staff account" in imported.stdout and "1 audit log entry" in imported.stdout
    assert "1 fetch log entry" in imported.stdout
    assert run(new, "export", "--output", str(second)).returncode == 0
    assert second.read_text() == first.read_text()


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    env = {"TRACKER_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    result = run(tmp_path, "init", env=env)
    assert result.returncode == 1
    assert "cannot use the database" in result.stderr and "Traceback" not in result.stderr


def test_bad_setting_is_a_clear_error(tmp_path: Path) -> None:
    result = run(tmp_path, "init", env={"TRACKER_FETCH_TIMEOUT": "soon"})
    assert result.returncode == 1 and "TRACKER_FETCH_TIMEOUT" in result.stderr


def test_demo_load_and_remove(tmp_path: Path) -> None:
    loaded = run(tmp_path, "demo", "load")
    assert loaded.returncode == 0, loaded.stderr
    assert "Loaded 35 demo snapshot items from 6 files" in loaded.stdout
    again = run(tmp_path, "demo", "load")  # replaces the snapshot: still 35, not 70
    assert again.returncode == 0 and "Loaded 35 demo snapshot items" in again.stdout
    found = run(tmp_path, "search", "Huizenga", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["total"] > 0
    removed = run(tmp_path, "demo", "remove")
    assert removed.returncode == 0, removed.stderr
    assert "Removed the demo snapshot: 35 items, 1 bill" in removed.stdout
    assert "and 6 sources. Live data is untouched." in removed.stdout
    found = run(tmp_path, "search", "Huizenga", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["total"] == 0
    assert "Traceback" not in loaded.stderr + removed.stderr


# A bug nobody has found yet, injected into a real `tracker` process: the
# parser raises for one file. Every real input that once did is fixed at its
# root and tested on its own; this checks the last-resort boundary.
WITH_A_BUG = """
import sys
from tracker import intake
real = intake.parse_document
def parse_document(content, *args, **kwargs):
    if b"bug-trigger" in content:
        raise KeyError("a field nobody expected")
    return real(content, *args, **kwargs)
intake.parse_document = parse_document
from tracker.cli import main
main(sys.argv[1:], prog_name="tracker")
"""


def test_an_unexpected_error_is_one_line_and_its_traceback_goes_to_the_log(
    tmp_path: Path,
) -> None:
    buggy = tmp_path / "buggy.xml"
    buggy.write_bytes(
        (FEEDS / "rss2.xml").read_bytes().replace(b"<channel>", b"<channel><!-- bug-trigger -->")
    )
    home = tmp_path / "home"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update({"TRACKER_HOME": str(home), "COLUMNS": "200"})
    args = [sys.executable, "-c", WITH_A_BUG, "ingest", str(buggy), str(FEEDS / "atom.xml")]
    result = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    # A bug is no rejected input: it is called an error, once, with its reason.
    assert f"error {buggy}: unexpected error, a bug (KeyError: " in result.stderr
    assert f"their tracebacks are in {home / 'tracker.log'}" in result.stderr
    assert "; 1 error." in result.stdout  # and the atom file was stored
    logged = (home / "tracker.log").read_text()
    assert "Traceback" in logged and "KeyError: 'a field nobody expected'" in logged
