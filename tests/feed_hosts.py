"""Loopback feed hosts for the worker tests: each host a port of 127.0.0.1 that
records every request (path, start, end) and answers slowly, with a 429 or 503,
or with a feed of a few items, as each path asks."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What one path answers: a feed of `items` after `delay` seconds, or `status`."""

    items: int = 2
    delay: float = 0.0
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    word: str = "quokka"


@dataclass(frozen=True)
class Hit:
    path: str
    start: float
    end: float


def feed(path: str, route: Route) -> bytes:
    entries = "".join(
        f"<item><title>Entry {n} of {path} about the {route.word}</title>"
        f"<link>http://example.org{path}/{n}</link><guid>{path}/{n}</guid>"
        f"<pubDate>Mon, 0{n % 9 + 1} Jun 2026 10:00:00 GMT</pubDate></item>"
        for n in range(route.items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{path}</title>'
        f"<link>http://example.org/</link>{entries}</channel></rss>"
    ).encode()


class FeedHost(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.active: dict[str, int] = {}  # requests being answered, by path
        self.lock = threading.Condition()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def hits_of(self, path: str, settle: float = 5.0) -> list[Hit]:
        """The requests for `path` answered so far. A client may read its response
        before the server's thread records the hit, so requests still being answered
        are waited for (at most `settle` seconds: one that hangs is left out)."""
        with self.lock:
            self.lock.wait_for(lambda: not self.active.get(path, 0), timeout=settle)
            return [h for h in self.hits if h.path == path]


class _Handler(BaseHTTPRequestHandler):
    server: FeedHost

    def do_GET(self) -> None:
        start = time.monotonic()
        with self.server.lock:
            self.server.active[self.path] = self.server.active.get(self.path, 0) + 1
        route = self.server.routes.get(self.path, Route(status=404))
        try:
            time.sleep(route.delay)
            # Links name the host too: one path on two hosts is two documents.
            name = f"/{self.server.server_address[1]}{self.path}"
            body = feed(name, route) if route.status == 200 else b"no"
            self.send_response(route.status)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            pass  # the client went away (a worker killed mid-fetch): still a request
        finally:
            with self.server.lock:
                self.server.hits.append(Hit(self.path, start, time.monotonic()))
                self.server.active[self.path] -= 1
                self.server.lock.notify_all()

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def feed_hosts(count: int) -> Iterator[list[FeedHost]]:
    hosts = [FeedHost() for _ in range(count)]
    threads = [threading.Thread(target=h.serve_forever, args=(0.05,), daemon=True) for h in hosts]
    for thread in threads:
        thread.start()
    try:
        yield hosts
    finally:
        for host in hosts:
            host.shutdown()
            host.server_close()


def overlaps(hits: list[Hit]) -> int:
    """How many requests started before the previous one (in start order) ended."""
    ordered = sorted(hits, key=lambda h: h.start)
    return sum(1 for a, b in itertools.pairwise(ordered) if b.start < a.end)


def smallest_gap(hits: list[Hit]) -> float:
    """The shortest time between the end of one request and the start of the next."""
    ordered = sorted(hits, key=lambda h: h.start)
    gaps = [b.start - a.end for a, b in itertools.pairwise(ordered)]
    return min(gaps, default=float("inf"))
