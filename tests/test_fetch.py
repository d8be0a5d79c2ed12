"""The fetch stage against a real HTTP server on 127.0.0.1.

Each test gets its own `ThreadingHTTPServer` on an ephemeral port; the routes
below play well-behaved and hostile servers. Nothing leaves 127.0.0.1: the
address-guard tests are refused before any connection is made.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gzip
import ipaddress
import socket
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from tracker import fetch
from tracker.fetch import FetchError, FetchSettings, fetch_url, refusal_reason

ETAG = '"feed-v1"'
LAST_MODIFIED = "Wed, 01 Jan 2025 08:00:00 GMT"
FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>t</title></channel></rss>"


def _gzip_zeros(size: int) -> bytes:
    """`size` zero bytes gzip'd, built in steps (a bomb never sits in memory whole)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1 << 20)
    parts = [packer.compress(block[: min(len(block), size - done)])
             for done in range(0, size, len(block))]  # fmt: skip
    return b"".join([*parts, packer.flush()])


BOMB = _gzip_zeros(256 << 20)  # 256 MiB of zeros in about 256 KB
PLAIN = b"<rss version='2.0'><channel><title>coded</title></channel></rss>" * 50
CODED = {
    "nested-bomb": ("gzip, gzip", gzip.compress(BOMB)),  # about 1 KB on the wire
    "bomb": ("gzip", BOMB),
    "deflate": ("deflate", zlib.compress(PLAIN)),
    "raw-deflate": ("deflate", zlib.compress(PLAIN)[2:-4]),  # what many servers send
    "two-members": ("gzip", gzip.compress(PLAIN[:100]) + gzip.compress(PLAIN[100:])),
    "x-gzip": ("x-gzip", gzip.compress(PLAIN)),
    "identity-and-gzip": ("identity, gzip", gzip.compress(PLAIN)),
    "brotli": ("br", b"\x1b\x03\x00\xf8\xa5\x80"),
    "corrupt": ("gzip", b"\x1f\x8b\x08\x00" + b"\xff" * 64),
}

# Small limits keep the whole file fast; allow_private because the server is
# on loopback (the guard has its own tests below).
FAST = FetchSettings(
    connect_timeout=1.0,
    read_timeout=0.3,
    total_timeout=3.0,
    max_bytes=64 * 1024,
    backoff=0.01,
    allow_private=True,
)


class _Handler(BaseHTTPRequestHandler):
    """Routes are ``/<name>/<arg>``; each `route_<name>` plays one kind of server."""

    server: LocalServer

    def log_message(self, format: str, *args: object) -> None:
        """Keep pytest's output free of access-log lines."""

    def do_GET(self) -> None:
        with self.server.lock:
            self.server.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        name, _, arg = self.path.lstrip("/").partition("/")
        # The client hanging up early (size cap, deadline) is what some tests want.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            getattr(self, "route_" + name.replace("-", "_"))(arg)

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def route_feed(self, _arg: str) -> None:
        """A feed that honours conditional GET (If-None-Match wins, as in RFC 9110)."""
        if_none_match = self.headers.get("If-None-Match")
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_none_match == ETAG or (if_none_match is None and if_modified_since == LAST_MODIFIED):
            self.reply(304)  # no validators repeated: the client must keep its own
            return
        headers = {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": ETAG}
        self.reply(200, FEED, headers | {"Last-Modified": LAST_MODIFIED})

    def route_hang(self, _arg: str) -> None:
        self.server.stopping.wait(10)  # never answers while the test runs

    def route_drip(self, _arg: str) -> None:
        self.send_response(200)
        self.end_headers()
        # Bounded at 5 s so that a broken deadline fails the test instead of hanging it.
        for _ in range(250):
            if self.server.stopping.wait(0.02):
                break
            self.wfile.write(b".")

    def route_big_declared(self, _arg: str) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "50000000")
        self.end_headers()
        self.wfile.write(b"x" * 1000)

    def route_big_streamed(self, _arg: str) -> None:
        self.send_response(200)  # HTTP/1.0, no Content-Length: the body ends at close
        self.end_headers()
        for _ in range(1024):
            self.wfile.write(b"x" * 4096)

    def route_gzip_bomb(self, _arg: str) -> None:
        packed = gzip.compress(bytes(1_000_000))
        self.reply(200, packed, {"Content-Encoding": "gzip"})

    def route_coded(self, arg: str) -> None:
        """A body from `CODED`, sent with the Content-Encoding its name says."""
        coding, body = CODED[arg]
        self.reply(200, body, {"Content-Encoding": coding})

    def route_backslash(self, _arg: str) -> None:
        # httpx cannot even parse the next hop: InvalidURL, which is no HTTPError.
        self.reply(302, headers={"Location": "http:\\\\example.com/feed"})

    def route_loop(self, _arg: str) -> None:
        self.reply(302, headers={"Location": "/loop"})

    def route_chain(self, arg: str) -> None:
        left = int(arg)
        if left:
            self.reply(301, headers={"Location": f"/chain/{left - 1}"})
        else:
            self.reply(200, b"end of chain")

    def route_to(self, arg: str) -> None:
        self.reply(302, headers={"Location": arg})

    def route_status(self, arg: str) -> None:
        self.reply(int(arg), b"status page")

    def route_flaky(self, arg: str) -> None:
        """503 for the first `arg` requests to this path, then the feed."""
        if self.server.hits(self.path) <= int(arg):
            self.reply(503, b"busy")
        else:
            self.reply(200, FEED)


class LocalServer(ThreadingHTTPServer):
    """Records every request (path, lower-cased headers) it receives."""

    # Non-daemon handler threads, joined by server_close(): nothing outlives a test.
    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for seen_path, _ in self.seen if seen_path == path)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    httpd = LocalServer()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02})
    thread.start()
    try:
        yield httpd
    finally:
        httpd.stopping.set()  # releases /hang and /drip handlers
        httpd.shutdown()
        thread.join()
        httpd.server_close()


def _refuse(
    url: str, settings: FetchSettings = FAST, client: httpx.Client | None = None
) -> FetchError:
    """The `FetchError` that fetching `url` must raise."""
    with pytest.raises(FetchError) as caught:
        fetch_url(url, settings=settings, client=client)
    return caught.value


# --- answers ---------------------------------------------------------------


def test_200_returns_body_type_and_validators(server: LocalServer) -> None:
    got = fetch_url(server.url("/feed/"), settings=FAST)
    assert got.status == 200
    assert got.content == FEED
    assert got.url == server.url("/feed/")
    assert got.content_type == "application/rss+xml; charset=utf-8"
    assert (got.etag, got.last_modified) == (ETAG, LAST_MODIFIED)
    assert not got.not_modified
    assert got.fetched_at.tzinfo is UTC


def test_matching_etag_gives_304_and_keeps_validators(server: LocalServer) -> None:
    got = fetch_url(server.url("/feed/"), etag=ETAG, last_modified=LAST_MODIFIED, settings=FAST)
    assert got.not_modified and got.status == 304
    assert got.content == b""
    assert (got.etag, got.last_modified) == (ETAG, LAST_MODIFIED)
    assert server.seen[0][1]["if-none-match"] == ETAG
    assert server.seen[0][1]["if-modified-since"] == LAST_MODIFIED


def test_matching_last_modified_alone_gives_304(server: LocalServer) -> None:
    got = fetch_url(server.url("/feed/"), last_modified=LAST_MODIFIED, settings=FAST)
    assert got.not_modified
    assert (got.etag, got.last_modified) == (None, LAST_MODIFIED)


def test_stale_etag_gets_the_new_body_and_validators(server: LocalServer) -> None:
    got = fetch_url(server.url("/feed/"), etag='"feed-v0"', settings=FAST)
    assert not got.not_modified
    assert got.content == FEED and got.etag == ETAG


def test_user_agent_reaches_the_server(server: LocalServer) -> None:
    fetch_url(server.url("/feed/"), settings=FAST)
    assert server.seen[0][1]["user-agent"] == FAST.user_agent
    assert FetchSettings().user_agent.startswith("PolicyTracker/")


def test_gzip_body_is_decoded(server: LocalServer) -> None:
    roomy = dataclasses.replace(FAST, max_bytes=2_000_000)
    assert fetch_url(server.url("/gzip-bomb/"), settings=roomy).content == bytes(1_000_000)


# --- time-outs and size ----------------------------------------------------


def test_read_timeout_is_retried_then_reported(server: LocalServer) -> None:
    error = _refuse(server.url("/hang/"), dataclasses.replace(FAST, retries=2))
    assert str(error) == f"timed out after 0.3s reading {server.url('/hang/')} (2 attempts)"
    assert error.status is None
    assert server.hits("/hang/") == 2


def test_slow_drip_is_cut_off_by_total_timeout(server: LocalServer) -> None:
    # Each byte arrives well within read_timeout; only the overall deadline stops it.
    settings = dataclasses.replace(FAST, total_timeout=1.0)
    began = time.monotonic()
    error = _refuse(server.url("/drip/"), settings)
    assert 0.9 < time.monotonic() - began < 5.0  # the deadline, not the drip's 30 s
    assert "timed out after 1s in total" in str(error)
    assert server.hits("/drip/") == 1  # a deadline is not retried


def test_declared_oversize_is_rejected_before_reading(server: LocalServer) -> None:
    error = _refuse(server.url("/big-declared/"))
    assert str(error) == "response larger than 65,536 bytes (Content-Length 50000000)"
    assert error.status == 200


def test_undeclared_oversize_is_cut_off_while_streaming(server: LocalServer) -> None:
    error = _refuse(server.url("/big-streamed/"))
    assert str(error) == "response larger than 65,536 bytes"


def test_size_cap_counts_decompressed_bytes(server: LocalServer) -> None:
    # About 1 KB on the wire, 1 MB once inflated: the cap must see the latter.
    assert "larger than" in str(_refuse(server.url("/gzip-bomb/")))


def _peak_memory(action: Callable[[], object]) -> int:
    """The most Python memory allocated at once while `action` ran, in bytes."""
    tracemalloc.start()
    try:
        action()
    except FetchError:
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def test_nested_content_coding_is_refused_before_any_decoding(server: LocalServer) -> None:
    # Issue 18, item 1: gzip of gzip of zeros passed the cap only after being
    # inflated whole (2.08 GiB for 1 GiB of zeros).
    error = _refuse(server.url("/coded/nested-bomb"))
    assert str(error) == (
        "refused: the body is compressed more than once (Content-Encoding: gzip, gzip); "
        "only one layer of gzip or deflate is accepted"
    )
    assert _peak_memory(lambda: fetch_url(server.url("/coded/nested-bomb"), settings=FAST)) < (
        4 << 20
    )


def test_a_gzip_bomb_is_inflated_in_bounded_steps(server: LocalServer) -> None:
    # httpx inflated each 64 KiB network chunk whole, 64 MiB at once for zeros.
    settings = dataclasses.replace(FAST, max_bytes=1 << 20)
    error = _refuse(server.url("/coded/bomb"), settings)
    assert str(error) == "response larger than 1 MiB once gzip-decoded"
    peak = _peak_memory(lambda: fetch_url(server.url("/coded/bomb"), settings=settings))
    assert peak < 4 << 20, f"{peak / (1 << 20):.0f} MiB at once for a 1 MiB cap"


@pytest.mark.parametrize(
    "name", ["deflate", "raw-deflate", "two-members", "x-gzip", "identity-and-gzip"]
)
def test_each_accepted_coding_is_decoded(server: LocalServer, name: str) -> None:
    assert fetch_url(server.url(f"/coded/{name}"), settings=FAST).content == PLAIN


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("brotli", "refused: unsupported Content-Encoding 'br' (gzip or deflate only)"),
        ("corrupt", "the gzip body is corrupt (Error -3 while decompressing data: "),
    ],
)
def test_codings_that_cannot_be_decoded_are_refused(
    server: LocalServer, name: str, reason: str
) -> None:
    error = _refuse(server.url(f"/coded/{name}"))
    assert str(error).startswith(reason) and error.status == 200


def test_only_the_codings_we_decode_are_asked_for(server: LocalServer) -> None:
    fetch_url(server.url("/feed/"), settings=FAST)
    assert server.seen[0][1]["accept-encoding"] == "gzip, deflate"


# --- redirects -------------------------------------------------------------


def test_redirect_to_a_url_httpx_cannot_parse_is_refused(server: LocalServer) -> None:
    # Issue 18, item 2: InvalidURL escaped fetch_url and ended the whole run.
    error = _refuse(server.url("/backslash"))
    assert str(error).startswith("refused: the server redirected to an invalid URL")
    assert error.url == server.url("/backslash")


def test_redirect_loop_stops_at_the_limit(server: LocalServer) -> None:
    error = _refuse(server.url("/loop"))
    assert str(error) == "too many redirects (6)"
    assert server.hits("/loop") == 6  # the first request and five followed hops


def test_redirect_chain_within_the_limit_succeeds(server: LocalServer) -> None:
    got = fetch_url(server.url("/chain/5"), settings=FAST)
    assert got.content == b"end of chain"
    assert got.url == server.url("/chain/0")


def test_redirect_chain_one_past_the_limit_fails(server: LocalServer) -> None:
    assert str(_refuse(server.url("/chain/6"))) == "too many redirects (6)"


def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    error = _refuse(server.url("/to/file:///etc/passwd"))
    assert str(error) == "refused: only http and https are fetched, not 'file'"


def test_callers_client_is_left_open_and_cannot_skip_hop_checks(server: LocalServer) -> None:
    with httpx.Client(follow_redirects=True) as client:
        assert "too many redirects" in str(_refuse(server.url("/loop"), client=client))
        assert fetch_url(server.url("/feed/"), settings=FAST, client=client).content == FEED
        assert not client.is_closed


# --- retries ---------------------------------------------------------------


def test_500_is_retried_with_backoff_then_reported(server: LocalServer) -> None:
    settings = dataclasses.replace(FAST, backoff=0.05)
    began = time.monotonic()
    error = _refuse(server.url("/status/500"), settings)
    assert time.monotonic() - began >= 0.05 + 0.1  # backoff doubles between attempts
    assert str(error) == "HTTP 500 after 3 attempts"
    assert error.status == 500
    assert server.hits("/status/500") == 3


def test_503_then_200_succeeds_on_retry(server: LocalServer) -> None:
    got = fetch_url(server.url("/flaky/1"), settings=FAST)
    assert got.status == 200 and got.content == FEED
    assert server.hits("/flaky/1") == 2


@pytest.mark.parametrize("status", [404, 403, 410])
def test_4xx_is_not_retried(server: LocalServer, status: int) -> None:
    error = _refuse(server.url(f"/status/{status}"))
    assert error.status == status
    assert str(error).startswith(f"HTTP {status} ")
    assert server.hits(f"/status/{status}") == 1


def test_connection_refused_is_retried_then_reported() -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = _refuse(f"http://127.0.0.1:{port}/feed")
    assert error.status is None
    assert str(error).startswith(f"connection failed for http://127.0.0.1:{port}/feed")
    assert str(error).endswith("(3 attempts)")


# --- what may be fetched at all ----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.org/feed.xml",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "gopher://example.org/",
        "example.org/feed.xml",
        "http:///no-host",
        "http://example.org:99999/",
    ],
)
def test_non_http_urls_are_refused(url: str) -> None:
    error = _refuse(url)
    assert str(error).startswith("refused: ")
    assert error.status is None and error.url == url


@pytest.mark.parametrize(
    ("address", "word"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("2002:7f00:1::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.10.20", "link-local"),
        ("fe80::1", "link-local"),
        ("169.254.169.254", "metadata"),
        ("::ffff:169.254.169.254", "metadata"),
        ("fd00:ec2::254", "metadata"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("100.64.0.1", "non-public"),
        # Issue 18, item 13: ranges Python's ipaddress (3.11) calls global.
        ("fec0::1", "deprecated site-local"),
        ("feff:ffff::1", "deprecated site-local"),
        ("192.88.99.1", "deprecated 6to4 relay"),
        ("3fff::1", "documentation"),
        ("192.0.0.8", "dummy"),
    ],
)
def test_refusal_reason_names_non_public_addresses(address: str, word: str) -> None:
    reason = refusal_reason(ipaddress.ip_address(address))
    assert reason is not None and word in reason


@pytest.mark.parametrize(
    "address",
    [
        *("8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "2002:808:808::1"),
        # Next to the ranges refused above, and public: the edges are where they should be.
        *("192.0.0.9", "192.88.98.1", "192.88.100.1", "3fff:1000::1", "2001:4860:4860::8888"),
    ],
)
def test_refusal_reason_lets_public_addresses_through(address: str) -> None:
    assert refusal_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_first_hop_is_refused_before_connecting(server: LocalServer, host: str) -> None:
    guarded = dataclasses.replace(FAST, allow_private=False)
    error = _refuse(f"http://{host}:{server.server_port}/feed/", guarded)
    assert str(error) in (
        "refused: 127.0.0.1 is a loopback address",
        "refused: ::1 is a loopback address",
    )
    assert server.seen == []


@pytest.fixture
def localhost_looks_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """A fake resolver: "localhost" passes the guard as a public host would.

    httpx still connects through the real resolver, so the first hop reaches
    the test server; every other name is checked for real.
    """
    real = fetch.resolve_addresses

    def resolve(host: str, port: int) -> list[fetch.IPAddress]:
        return [ipaddress.ip_address("93.184.216.34")] if host == "localhost" else real(host, port)

    monkeypatch.setattr(fetch, "resolve_addresses", resolve)


@pytest.mark.usefixtures("localhost_looks_public")
@pytest.mark.parametrize(
    ("target", "refusal"),
    [
        ("http://127.0.0.1:{port}/feed/", "refused: 127.0.0.1 is a loopback address"),
        ("http://169.254.169.254/latest/meta-data/", "is a cloud metadata address"),
        ("http://[fd00:ec2::254]/latest/", "is a cloud metadata address"),
    ],
)
def test_redirect_to_a_guarded_address_is_refused(
    server: LocalServer, target: str, refusal: str
) -> None:
    guarded = dataclasses.replace(FAST, allow_private=False)
    target = target.format(port=server.server_port)
    error = _refuse(f"http://localhost:{server.server_port}/to/{target}", guarded)
    assert refusal in str(error)
    assert error.url == target
    assert [path for path, _ in server.seen] == [f"/to/{target}"]  # the hop never reached us
