"""A webhook receiver on 127.0.0.1 for the alert tests: records every POST, answers as told."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Post:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    posts: list[Post] = field(default_factory=list)
    # Statuses to answer, in order; once used up, 200. A 3xx also sends Location.
    answers: list[int] = field(default_factory=list)
    big: int = 0  # when set, every answer's body is this many bytes, written in chunks
    written: int = 0  # bytes of big bodies written before the client hung up


@contextmanager
def receiver(answers: list[int] | None = None) -> Iterator[Receiver]:
    """A running receiver; its URL ends in /hook."""
    state = Receiver(url="", answers=list(answers or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            state.posts.append(Post(self.path, dict(self.headers.items()), self.rfile.read(size)))
            self._answer()

        def do_GET(self) -> None:
            state.posts.append(Post(self.path, dict(self.headers.items()), b""))
            self._answer()

        def _answer(self) -> None:
            status = state.answers.pop(0) if state.answers else 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", "/elsewhere")
            body = b"ok" if status < 300 else b"no"
            self.send_header("Content-Length", str(state.big or len(body)))
            self.end_headers()
            if not state.big:
                self.wfile.write(body)
                return
            chunk = b"x" * 65536
            try:
                while state.written < state.big:
                    self.wfile.write(chunk)
                    state.written += len(chunk)
            except OSError:  # the client read its fill and closed
                pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
