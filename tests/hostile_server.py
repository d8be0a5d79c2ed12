"""A loopback web server that plays every hostile source of issue 18 beside good ones.

Shared by tests/test_hostile_run.py and bench/hostile.py. Each `Case` is one
source (and, where it makes sense, one file for `tracker ingest`): what the
server sends, and what the tracker must do with it: store its items
("good"), or refuse it with a reason holding `reason`. `run_measured` runs a
command and measures the peak resident memory of it and its children.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import socket
import subprocess
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from functools import cache
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

GIB = 1 << 30
WORD = ("Unbroken" + "distillationwithoutanyspace" * 741)[:20_000]  # one word


@cache
def gzip_bomb() -> bytes:
    """1 GiB of zeros, gzip'd: about 1 MiB (built in steps: never 1 GiB in memory)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [packer.compress(block) for _ in range(GIB // len(block))]
    return b"".join([*parts, packer.flush()])


@cache
def nested_gzip_bomb() -> bytes:
    """The gzip bomb gzip'd again: about 1.8 KB on the wire (Content-Encoding: gzip, gzip)."""
    return gzip.compress(gzip_bomb(), 9)


def rss(slug: str, entries: list[tuple[str, str, str]], prolog: str = "") -> bytes:
    """An RSS 2.0 feed of (title, link, description HTML) entries."""
    when = format_datetime(datetime(2025, 6, 2, 10, tzinfo=UTC))
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<guid isPermaLink='false'>{slug}-{n}</guid><pubDate>{when}</pubDate>"
        f"<description>{escape(d)}</description></item>"
        for n, (t, link, d) in enumerate(entries, 1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<rss version="2.0"><channel>'
        f"<title>{slug}</title><link>https://{slug}.example.org/</link>"
        f"<description>hostile test</description>{items}</channel></rss>"
    ).encode()


def atom(slug: str, titles: list[str]) -> bytes:
    entries = "".join(
        f"<entry><id>urn:{slug}:{n}</id><title>{escape(t)}</title>"
        f"<link href='https://{slug}.example.org/{n}'/><updated>2025-06-02T10:00:00Z</updated>"
        f"<summary>{escape(t)}</summary></entry>"
        for n, t in enumerate(titles, 1)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        f"<id>urn:{slug}</id><title>{slug}</title><updated>2025-06-02T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()


def json_feed(slug: str, items: list[dict[str, object]]) -> bytes:
    document = {"version": "https://jsonfeed.org/version/1.1", "title": slug, "items": items}
    return json.dumps(document, ensure_ascii=False).encode()


def entity_bomb(before_doctype: str) -> bytes:
    """A 1 MiB entity used 90 times (94 million characters once expanded), the
    DOCTYPE hidden behind `before_doctype` from a scan for ``<rss``."""
    value = "A" * (1 << 20)
    body = "&a;" * 90
    prolog = f'{before_doctype}<!DOCTYPE rss [<!ENTITY a "{value}">]>'
    return rss("bomb", [("Entity bomb", "https://bomb.example.org/1", "")], prolog).replace(
        b"<description></description>", f"<description>{body}</description>".encode()
    )


@dataclass(frozen=True)
class Case:
    """One hostile or good source: its route, what it serves, and what must happen."""

    slug: str
    kind: str  # source kind in sources.toml
    expect: str  # good | bad
    reason: str = ""  # words the one-line reason must hold (bad cases)
    items: int = 0  # items a good case stores
    body: Callable[[], bytes] | None = None  # also written as a file for `tracker ingest`
    headers: tuple[tuple[str, str], ...] = ()
    file_reason: str = ""  # for `tracker ingest`, when the reason differs
    as_file: bool = True  # False: only meaningful over HTTP (its file twin is another case)


def _good_cases() -> list[Case]:
    return [
        Case("good-rss", "rss", "good", items=3, body=lambda: rss("good-rss", [
            ("Commerce tightens chip export rules", "https://good-rss.example.org/1", "<p>BIS</p>"),
            ("Senators write to Alibaba", "https://good-rss.example.org/2", "<p>Qwen</p>"),
            ("FTC opens an antitrust inquiry", "https://good-rss.example.org/3", "<p>FTC</p>"),
        ])),
        Case("good-atom", "rss", "good", items=2,
             body=lambda: atom("good-atom", ["Nvidia export licence", "Huawei chips"])),
        Case("good-json", "rss", "good", items=2, body=lambda: json_feed("good-json", [
            {"id": "1", "title": "OpenAI letter on distillation", "url": "https://j.example.org/1"},
            {"id": "2", "title": "DeepSeek and model extraction", "url": "https://j.example.org/2"},
        ])),
        Case("good-gzip", "rss", "good", items=1, headers=(("Content-Encoding", "gzip"),),
             as_file=False,
             body=lambda: gzip.compress(rss("good-gzip", [
                 ("A gzip'd feed is read", "https://gz.example.org/1", "<p>ok</p>")]))),
        # Tricks that must be stored, made harmless: a 20,000-letter word, bidi
        # overrides in a title and a host, a date before the year 1 in UTC,
        # fields far over their caps.
        Case("long-word", "rss", "good", items=1, body=lambda: rss("long-word", [
            (f"Distillation {WORD}", "https://long.example.org/1", f"<p>Qwen {WORD}</p>")])),
        Case("bidi", "rss", "good", items=2, body=lambda: rss("bidi", [
            ("Invoice \u202efdp.exe\u202c from Alibaba", "https://bidi.example.org/1", ""),
            ("Spoofed host", "https://exa\u202emple.com/feed", "<p>link dropped</p>"),
        ])),
        Case("year-one", "rss", "good", items=1, body=lambda: json_feed("year-one", [
            {"id": "1", "title": "Dated before year 1 in UTC",
             "date_published": "0001-01-01T00:00:00+01:00"}])),
        Case("long-fields", "rss", "good", items=1, body=lambda: rss("long-fields", [
            ("T" * 2_000_000, "https://long.example.org/" + "p" * 3000, "<p>" + "s " * 1_500_000),
        ])),
    ]  # fmt: skip


def _bad_cases() -> list[Case]:
    return [
        Case("nested-gzip", "rss", "bad", "compressed more than once",
             body=nested_gzip_bomb, headers=(("Content-Encoding", "gzip, gzip"),),
             file_reason="not a feed"),
        Case("gzip-bomb", "rss", "bad", "larger than 20 MiB once gzip-decoded", body=gzip_bomb,
             headers=(("Content-Encoding", "gzip"),), file_reason="not a feed"),
        Case("backslash-redirect", "rss", "bad", "invalid URL"),
        Case("redirect-loop", "rss", "bad", "too many redirects"),
        Case("endless-body", "rss", "bad", "larger than 20 MiB"),
        Case("short-body", "rss", "bad", "connection failed"),
        Case("brotli", "rss", "bad", "unsupported Content-Encoding 'br'",
             body=lambda: b"\x1b\x03\x00\xf8\xa5\x80", headers=(("Content-Encoding", "br"),),
             file_reason="not a feed"),
        Case("corrupt-gzip", "rss", "bad", "gzip body is corrupt",
             body=lambda: b"\x1f\x8b\x08\x00" + b"\xff" * 64,
             headers=(("Content-Encoding", "gzip"),), file_reason="not a feed"),
        Case("deep-json", "rss", "bad", "nested too deeply", body=lambda: b"[" * 200_000),
        Case("huge-number", "federal-register", "bad", "not valid JSON",
             body=lambda: b'{"results": [' + b"7" * 5000 + b"]}"),
        Case("entity-comment", "rss", "bad", "declares entities",
             body=lambda: entity_bomb("<!-- <rss> -->")),
        Case("entity-pi", "rss", "bad", "declares entities",
             body=lambda: entity_bomb("<?x <rss ?>")),
        Case("invalid-utf8", "rss", "bad", "character encoding", body=_invalid_utf8),
        # 18 MB of "<a>", never closed: feedparser kept ~500 bytes per open element.
        Case("deep-nesting", "rss", "bad", "nested more than 100,000 deep",
             body=lambda: rss("deep", [("Deep", "https://deep.example.org/1", "")]).replace(
                 b"</item>", b"<a>" * 6_000_000 + b"</item>")),
    ]  # fmt: skip


def _invalid_utf8() -> bytes:
    """A feed that says UTF-8 and holds bytes that cannot be."""
    return rss("u", [("cafe", "https://u.example.org/1", "")]).replace(b"cafe", b"caf\xff\xfe")


CASES = _good_cases() + _bad_cases()


class _Handler(BaseHTTPRequestHandler):
    server: HostileServer

    def log_message(self, format: str, *args: object) -> None:
        """No access log: the run's output is what is checked."""

    def do_GET(self) -> None:
        slug = self.path.strip("/").split("/")[0]
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            special = getattr(self, "route_" + slug.replace("-", "_"), None)
            if special:
                special()
                return
            case = self.server.by_slug.get(slug)
            if case is None or case.body is None:
                self.send_error(404)
                return
            self.reply(200, self.server.body(case), dict(case.headers))

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_backslash_redirect(self) -> None:
        self.reply(302, headers={"Location": "http:\\\\example.com/feed"})

    def route_redirect_loop(self) -> None:
        self.reply(302, headers={"Location": "/redirect-loop/again"})

    def route_endless_body(self) -> None:
        self.send_response(200)  # HTTP/1.0 and no length: the body ends when we close
        self.end_headers()
        chunk = b"<rss>" + b" " * (1 << 16)
        while not self.server.stopping.is_set():
            self.wfile.write(chunk)

    def route_short_body(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"<rss version='2.0'><channel>")  # and hang up


class HostileServer(ThreadingHTTPServer):
    """Serves `CASES` on 127.0.0.1; `url(slug)` is where each lives."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.by_slug = {c.slug: c for c in CASES}
        self.stopping = threading.Event()
        self._bodies: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def body(self, case: Case) -> bytes:
        with self._lock:
            if case.slug not in self._bodies:
                assert case.body is not None
                self._bodies[case.slug] = case.body()
            return self._bodies[case.slug]

    def url(self, slug: str) -> str:
        return f"http://127.0.0.1:{self.server_port}/{slug}/"


@contextlib.contextmanager
def serving() -> Iterator[HostileServer]:
    """The server running in a thread; every body is built before the first request."""
    server = HostileServer()
    for case in CASES:
        if case.body is not None:
            server.body(case)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def sources_toml(server: HostileServer) -> str:
    """A sources.toml listing every case, as an operator would write it."""
    blocks = [
        f'[[source]]\nslug = "{c.slug}"\nname = "Hostile test: {c.slug}"\nkind = "{c.kind}"\n'
        f'url = "{server.url(c.slug)}"\ndoc_type = "news"\n'
        for c in CASES
    ]
    return "\n".join(blocks)


def write_files(folder: Path) -> list[tuple[Case, Path]]:
    """Every case with a body, as a file for `tracker ingest` (the bad ones first)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in sorted(CASES, key=lambda c: c.expect != "bad"):
        if case.body is None or not case.as_file:
            continue
        path = folder / f"{case.slug}.xml"
        path.write_bytes(case.body())
        written.append((case, path))
    return written


@dataclass
class Run:
    """A finished command: exit code, output, wall time, and peak memory in MiB."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float  # the largest high-water mark (VmHWM) of any process in the tree
    tree_peak_mib: float  # the largest sum over the process tree, sampled every 20 ms


def run_measured(args: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run `args` to the end and measure its memory by sampling /proc every 20 ms.

    Not wait4's ru_maxrss: Linux carries the forking process's resident set
    into the child's maximum across exec, so a test process grown large by the
    tests before it (the whole suite in one process) would be counted as the
    command's. Each process's VmHWM is its own high-water mark since exec, and
    it never falls, so a sample taken after a spike still sees it.
    """
    out, err = cwd / "run.stdout", cwd / "run.stderr"
    began = time.monotonic()
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen(args, env=env, cwd=cwd, stdout=stdout, stderr=stderr)
    tree_peak, own_peak = [0], [0]
    done = threading.Event()
    sampler = threading.Thread(target=_sample_tree, args=(child.pid, tree_peak, own_peak, done))
    sampler.start()
    _pid, status, _usage = os.wait4(child.pid, 0)
    done.set()
    sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.monotonic() - began
    stdout_text, stderr_text = out.read_text(errors="replace"), err.read_text(errors="replace")
    # VmHWM and VmRSS are in KiB.
    return Run(child.returncode, stdout_text, stderr_text, seconds,
               own_peak[0] / 1024, tree_peak[0] / 1024)  # fmt: skip


def _sample_tree(pid: int, peak: list[int], own: list[int], done: threading.Event) -> None:
    while not done.wait(0.02):
        total = 0
        for process in _tree(pid):
            rss, hwm = _memory_kib(process)
            total += rss
            own[0] = max(own[0], hwm)
        peak[0] = max(peak[0], total)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
                todo.extend(int(c) for c in children)
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB; zeros once it has gone or is a zombie."""
    rss = hwm = 0
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


def peak_hwm_mib(pid: int) -> float:
    """A running process's own high-water mark of resident memory (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
