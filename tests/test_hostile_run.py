"""Issue 18's proof: one run against every hostile source at once, as a user runs it.

A loopback server (tests/hostile_server.py) plays a nested gzip bomb, a gzip
bomb, a redirect httpx cannot even parse, a redirect loop, a body that never
ends, a body cut short, unknown and corrupt content codings, 200,000 "[",
a 5,000-digit number, entity bombs hidden behind a comment or a processing
instruction, invalid UTF-8, and beside them good feeds and tricky ones that
must be stored made harmless. `tracker fetch`, `tracker ingest` and `tracker
serve` run as subprocesses; each run must end with exit code 2, every good
source stored, every bad one reported with its reason, no traceback, and the
peak resident memory of the process tree under 600 MB.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from conftest import TESTS
from hostile_server import (
    CASES,
    HostileServer,
    Run,
    free_port,
    peak_hwm_mib,
    run_measured,
    serving,
    sources_toml,
    write_files,
)
from sqlmodel import Session, select
from staff import PASSWORD, add_user, form_token

from tracker.config import Settings
from tracker.models import FetchLog, Item, Source
from tracker.store.engine import make_engine

REPO = TESTS.parent
MEMORY_LIMIT_MIB = 600
GOOD = [c for c in CASES if c.expect == "good"]
BAD = [c for c in CASES if c.expect == "bad"]


@pytest.fixture(scope="module")
def server() -> Iterator[HostileServer]:
    with serving() as running:
        yield running


def _environment(home: Path, server: HostileServer) -> dict[str, str]:
    """A TRACKER_HOME and a data folder whose sources.toml lists every case."""
    data = home / "data"
    data.mkdir(parents=True)
    shutil.copy(REPO / "data" / "taxonomy.toml", data / "taxonomy.toml")
    (data / "sources.toml").write_text(sources_toml(server), encoding="utf-8")
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYTHONPATH")}
    return keep | {
        "TRACKER_HOME": str(home),
        "TRACKER_DATA_DIR": str(data),
        "TRACKER_DEMO_DIR": str(REPO / "data" / "demo"),
        "TRACKER_ALLOW_PRIVATE_FETCH": "1",  # the server is on 127.0.0.1
        # Every source is on that one host, and `tracker fetch` keeps the host
        # gap between two requests to a host (2 s by default) as workers do.
        "TRACKER_HOST_GAP": "0.05",
        "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
    }


def _stored(env: dict[str, str]) -> tuple[dict[str, list[Item]], dict[str, FetchLog]]:
    """Items per source slug, and each source's last fetch-log row."""
    engine = make_engine(Settings.from_env(env))
    try:
        with Session(engine) as session:
            rows = session.exec(select(Item, Source.slug).join(Source)).all()  # type: ignore[call-overload]
            logs = session.exec(select(FetchLog, Source.slug).join(Source)).all()  # type: ignore[call-overload]
    finally:
        engine.dispose()
    items: dict[str, list[Item]] = {}
    for item, slug in rows:
        items.setdefault(slug, []).append(item)
    return items, {slug: log for log, slug in logs}


def _assert_clean(run: Run) -> None:
    assert "Traceback" not in run.stderr + run.stdout, run.stderr[-3000:]
    assert run.returncode == 2, (run.returncode, run.stderr[-3000:])
    assert run.peak_mib < MEMORY_LIMIT_MIB, f"peak {run.peak_mib:.0f} MiB"
    assert run.tree_peak_mib < MEMORY_LIMIT_MIB, f"process tree {run.tree_peak_mib:.0f} MiB"


def test_one_fetch_run_survives_every_hostile_source(server: HostileServer, tmp_path: Path) -> None:
    env = _environment(tmp_path, server)
    run = run_measured([sys.executable, "-m", "tracker.cli", "fetch"], env, tmp_path)
    _assert_clean(run)
    items, logs = _stored(env)
    for case in GOOD:
        assert len(items.get(case.slug, [])) == case.items, case.slug
        assert logs[case.slug].outcome == "ok", (case.slug, logs[case.slug].error)
    # Each bad source once on stderr: "failed" (no usable answer) or "broken"
    # (an answer that cannot be read), never "rejected" (issue 15, item 4).
    problems = [line for line in run.stderr.splitlines() if line.startswith(("failed ", "broken "))]
    for case in BAD:
        assert case.slug not in items, case.slug
        log = logs[case.slug]
        assert log.outcome == "error" and case.reason in (log.error or ""), (case.slug, log.error)
        line = f" Hostile test: {case.slug}: "
        assert any(line in p and case.reason in p for p in problems), (line, problems)
    assert len(problems) == len(BAD) and "rejected" not in run.stderr
    _assert_made_harmless(items)


def _assert_made_harmless(items: dict[str, list[Item]]) -> None:
    """The tricky good sources are stored, within the caps and without bidi controls."""
    word = items["long-word"][0]
    assert len(word.title) <= 500 and word.title.endswith("…")
    assert len(word.text) > 20_000  # the summary keeps the whole word
    bidi = {i.title: i for i in items["bidi"]}
    assert "Invoice fdp.exe from Alibaba" in bidi
    assert bidi["Spoofed host"].url is None  # U+202E is no part of any host name
    assert all("\u202e" not in i.title for i in items["bidi"])
    (year_one,) = items["year-one"]
    assert year_one.undated
    (long,) = items["long-fields"]
    assert len(long.title) <= 500 and long.url is None
    assert len(long.summary_html) <= 500_100


def test_one_ingest_run_keeps_every_good_file(server: HostileServer, tmp_path: Path) -> None:
    env = _environment(tmp_path, server)
    files = write_files(tmp_path / "files")
    assert files[0][0].expect == "bad"  # bad files first: the later ones must still be read
    args = [sys.executable, "-m", "tracker.cli", "ingest", *(str(p) for _, p in files)]
    run = run_measured(args, env, tmp_path)
    _assert_clean(run)
    items, logs = _stored(env)
    rejected = [line for line in run.stderr.splitlines() if line.startswith("rejected ")]
    for case, path in files:
        slug = f"file-{case.slug}"
        if case.expect == "good":
            assert len(items.get(slug, [])) == case.items, slug
            continue
        reason = case.file_reason or case.reason
        assert any(r.startswith(f"rejected {path}: ") and reason in r for r in rejected), (
            path,
            reason,
            rejected,
        )
        if slug in logs:  # a file whose format was never read gets no source of its own
            assert logs[slug].outcome == "error" and reason in (logs[slug].error or "")
    assert len(rejected) == sum(c.expect == "bad" for c, _ in files)


@pytest.fixture
def site(server: HostileServer, tmp_path: Path) -> Iterator[tuple[str, int]]:
    """`tracker serve` on a free port with every case as a source; yields (URL, pid)."""
    env = _environment(tmp_path, server)
    settings = Settings.from_env(env)
    subprocess.run([sys.executable, "-m", "tracker.cli", "init"], env=env, check=True,
                   capture_output=True)  # fmt: skip
    engine = make_engine(settings)
    add_user(engine, "ada", "admin")
    engine.dispose()
    good = tmp_path / "good.xml"
    good.write_bytes(GOOD[0].body())  # type: ignore[misc]  # not empty: no demo corpus to load
    subprocess.run([sys.executable, "-m", "tracker.cli", "ingest", str(good)], env=env,
                   check=True, capture_output=True)  # fmt: skip
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    args = [
        sys.executable,
        "-m",
        "tracker.cli",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/login", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
    served = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Traceback" not in served, served[-3000:]


def test_the_admin_test_fetch_of_every_hostile_source_answers_with_a_message(
    site: tuple[str, int],
) -> None:
    base, pid = site
    with httpx.Client(base_url=base, timeout=120) as browser:
        token = form_token(browser.get("/login").text)
        login = {"csrf_token": token, "username": "ada", "password": PASSWORD}
        assert browser.post("/login", data=login).status_code == 302
        answers = {}
        for case in CASES:
            token = form_token(browser.get(f"/admin/sources/{case.slug}").text)
            response = browser.post(f"/admin/sources/{case.slug}/test", data={"csrf_token": token})
            answers[case.slug] = (response.status_code, html.unescape(response.text))
    for case in CASES:
        status, page = answers[case.slug]
        assert status == 200, (case.slug, status)
        assert "Nothing was stored" in page
        if case.expect == "bad":
            assert "The fetch failed" in page and case.reason in page, case.slug
        else:
            assert "The fetch failed" not in page, case.slug
    assert peak_hwm_mib(pid) < MEMORY_LIMIT_MIB
