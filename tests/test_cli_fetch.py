"""`tracker fetch`, `backfill` and `follow-bill` as a user runs them, against a local server.

Real processes and real HTTP on 127.0.0.1: an unknown name is an error that
names the closest known ones; a source that did not answer is "failed", one
that answered unreadably "broken", one without its key "skipped", never
"rejected"; each error is printed once; the summary fits 80 columns.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from conftest import DATA

from tracker.config import REPO_ROOT

RSS = (DATA / "feeds" / "rss2.xml").read_bytes()


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []
    base: ClassVar[str] = ""

    def do_GET(self) -> None:
        self.hits.append(self.path)
        path = self.path.split("?")[0]
        if path == "/feed.xml":
            self._send(200, RSS, "application/rss+xml")
        elif path == "/changed":
            self._send(200, b"<html><body><div id='app'></div></body></html>", "text/html")
        elif path.startswith("/api/v1/documents.json"):
            page = 2 if "page=2" in self.path else 1
            docs = [{"document_number": f"2026-9900{page}", "title": f"Backfilled page {page}",
                     "type": "Rule", "publication_date": f"2026-0{3 - page}-02"}]  # fmt: skip
            body: dict[str, object] = {"count": 2, "results": docs}
            if page == 1:
                body["next_page_url"] = f"{self.base}/api/v1/documents.json?page=2"
            self._send(200, json.dumps(body).encode(), "application/json")
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Handler.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.hits = []
    yield Handler.base
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def closed_port() -> int:
    """A port nothing listens on (bound, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def source(slug: str, kind: str, url: str, **extra: str) -> str:
    lines = [f'slug = "{slug}"', f'name = "{extra.pop("name", slug)}"', f'kind = "{kind}"',
             f'url = "{url}"', 'doc_type = "news"']  # fmt: skip
    lines += [f"{key} = {value}" for key, value in extra.items()]
    return "[[source]]\n" + "\n".join(lines) + "\n"


@pytest.fixture
def data_dir(tmp_path: Path, server: str) -> Path:
    """A data folder with the real taxonomy and sources on the local server."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(REPO_ROOT / "data" / "taxonomy.toml", folder / "taxonomy.toml")
    sources = [
        source("local-feed", "rss", f"{server}/feed.xml", name="A feed that answers"),
        source("local-down", "rss", f"http://127.0.0.1:{closed_port()}/feed.xml",
               name="A server that is down"),
        source("local-gone", "rss", f"{server}/gone", name="A feed that moved away"),
        source("local-changed", "html", f"{server}/changed",
               name="A page drawn by script (no entries in its HTML)"),
        source("local-congress", "congress-api", f"{server}/v3/bill/119", name="congress.gov"),
        source("local-fr", "federal-register", f"{server}/api/v1/documents.json",
               name="Federal Register on the local server"),
    ]  # fmt: skip
    sources[3] += '[source.selectors]\nitem = "ul.news li"\ntitle = "a"\n'
    (folder / "sources.toml").write_text("\n".join(sources), encoding="utf-8")
    return folder


def run(home: Path, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env.update({"TRACKER_HOME": str(home), "TRACKER_DATA_DIR": str(data),
                "TRACKER_ALLOW_PRIVATE_FETCH": "1", "COLUMNS": "200"})  # fmt: skip
    return subprocess.run([sys.executable, "-m", "tracker.cli", *args], capture_output=True,
                          text=True, env=env, timeout=180)  # fmt: skip


def test_an_unknown_source_is_an_error_naming_the_closest(tmp_path: Path, data_dir: Path) -> None:
    result = run(tmp_path / "home", data_dir, "fetch", "local-fed", "nonexistent-source")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "there is no source 'local-fed'; closest known: local-feed" in result.stderr
    assert "there is no source 'nonexistent-source'; closest known: " in result.stderr
    assert "No source is due" not in result.stdout and "Traceback" not in result.stderr
    assert Handler.hits == []  # nothing was fetched, not even the names that exist


def test_fetch_says_failed_broken_skipped_once_each_in_80_columns(
    tmp_path: Path, data_dir: Path
) -> None:
    result = run(tmp_path / "home", data_dir, "fetch")
    out, err = result.stdout, result.stderr
    assert result.returncode == 2, out + err
    assert "Traceback" not in out + err and "rejected" not in out + err
    assert max(len(line) for line in out.splitlines()) <= 80, out
    assert "6 sources: " in out and "; 2 failed, 1 broken, 1 skipped." in out
    problems = [line for line in err.splitlines() if line.split(" ", 1)[0] in
                {"failed", "broken", "skipped"}]  # fmt: skip
    assert sorted(line.split(":", 1)[0] for line in problems) == [
        "broken A page drawn by script (no entries in its HTML)",
        "failed A feed that moved away",
        "failed A server that is down",
        "skipped congress.gov",
    ]
    # Each reason once: not in the table and again below it.
    for reason in ("HTTP 404", "connection failed", "no element matches", "TRACKER_CONGRESS"):
        assert (out + err).count(reason) == 1, reason


def test_backfill_and_follow_bill_from_the_command_line(tmp_path: Path, data_dir: Path) -> None:
    home = tmp_path / "home"
    filled = run(home, data_dir, "backfill", "local-fr", "--since", "2026-01-01")
    assert filled.returncode == 0, filled.stdout + filled.stderr
    assert "1 source: 2 new, 0 updated." in filled.stdout
    assert any("conditions[publication_date][gte]=2026-01-01" in hit for hit in Handler.hits)
    refused = run(home, data_dir, "backfill", "local-feed", "--since", "2026-01-01")
    assert refused.returncode == 2 and "has no pages of older entries" in refused.stderr
    followed = run(home, data_dir, "follow-bill", "119", "hr", "8283")
    assert followed.returncode == 0, followed.stderr
    assert "Now following BILLSTATUS: H.R. 8283 (119th Congress) as the source bill-119-hr8283" in (
        followed.stdout
    )
    again = run(home, data_dir, "follow-bill", "119", "H.R.", "8283")
    assert "already followed (source bill-119-hr8283)" in again.stdout
    bad = run(home, data_dir, "follow-bill", "119", "xyz", "1")
    assert bad.returncode == 2 and "unknown bill type 'xyz'" in bad.stderr
