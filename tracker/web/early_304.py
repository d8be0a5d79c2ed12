"""A feed reader's poll answered 304 before Flask sets up a request.

A feed view already answers a current copy with a 304 without reading the
listing (conditional.py), but the request still passes every hook of the app
on the way: the rate limiter, the session, CSRF, the security headers, the
compression wrapper. At a million items that costs more than the 304 itself.

This WSGI layer sits in front of the app and remembers, per request address
(scheme, host, path, query string), the last 304 the full path gave: the
listing's filter and version, its entity tag and the headers it carried. A
later poll of the same address with `If-None-Match` is answered here when the
process's version memo still holds that very version (`VersionMemo.peek`: the
same second's look at the database the view itself would trust) and the
client's tag matches. Anything else goes to the app as before: a poll after
the memo's second, a changed listing, another address, a request with the
session cookie (a member of staff's answers are private), or a tag that does
not match.

The headers are the full path's own, less the rate limiter's counts: a 304
does not count against any limit, so it does not report them either.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, request
from werkzeug.http import parse_etags

from tracker.store.listings import ListingFilter
from tracker.store.versions import Version
from tracker.web.compression import plain_tags

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

MARK = "tracker.early_304"
SIZE = 1024  # addresses remembered per process
ADDRESS = ("wsgi.url_scheme", "HTTP_HOST", "SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME",
           "PATH_INFO", "QUERY_STRING")  # fmt: skip
# Headers a remembered 304 does not repeat: its tag is rebuilt for the coding the
# client names, and the limiter's counts belong to one client at one moment.
UNREPEATED = frozenset({"etag", "retry-after", "set-cookie"})


@dataclass(frozen=True)
class Known:
    """What the full path answered a poll of one address with."""

    f: ListingFilter
    version: Version
    etag: str
    headers: tuple[tuple[str, str], ...]


def offer(f: ListingFilter, version: Version | None, etag: str) -> None:
    """Let a 304 of this request be remembered (a feed view calls it with its validators).

    A listing with no items is left out: the view checks first whether it exists.
    """
    if version is not None and version[2] > 0:
        request.environ[MARK] = (f, version, etag)


class EarlyNotModified:
    """The WSGI layer: `app.wsgi_app = EarlyNotModified(app)`."""

    def __init__(self, app: Flask, size: int = SIZE) -> None:
        self._app = app
        self._inner: WSGIApplication = app.wsgi_app
        self._size = size
        self._lock = threading.Lock()
        self._known: OrderedDict[tuple[Any, ...], Known] = OrderedDict()
        self._cookie = f"{app.config['SESSION_COOKIE_NAME']}="

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        header = environ.get("HTTP_IF_NONE_MATCH")
        if not header or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self._inner(environ, start_response)
        if self._cookie in environ.get("HTTP_COOKIE", ""):
            return self._inner(environ, start_response)  # staff answers are private
        address = tuple(environ.get(name) for name in ADDRESS)
        answer = self._answer(address, header)
        if answer is not None:
            start_response("304 NOT MODIFIED", answer)
            return []
        return self._full(environ, start_response, address)

    def _answer(self, address: tuple[Any, ...], header: str) -> list[tuple[str, str]] | None:
        with self._lock:
            known = self._known.get(address)
        memo = self._app.extensions.get("tracker.versions")
        if known is None or memo is None or memo.peek(known.f) != known.version:
            return None
        plain, coding = plain_tags(header)
        if not parse_etags(plain).contains_weak(known.etag):
            return None
        tag = f'"{known.etag}:{coding}"' if coding else f'"{known.etag}"'
        return [("ETag", tag), *known.headers]

    def _full(
        self, environ: WSGIEnvironment, start_response: StartResponse, address: tuple[Any, ...]
    ) -> Iterable[bytes]:
        def watched(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            marked = environ.get(MARK)
            if marked is not None and status.startswith("304"):
                self._remember(address, marked, headers)
            return start_response(status, headers, *rest)

        return self._inner(environ, watched)

    def _remember(
        self, address: tuple[Any, ...], marked: tuple[Any, ...], headers: list[tuple[str, str]]
    ) -> None:
        names = {name.lower() for name, _ in headers}
        if "set-cookie" in names:
            return
        kept = tuple((name, value) for name, value in headers if _repeated(name))
        f, version, etag = marked
        with self._lock:
            self._known[address] = Known(f, version, etag, kept)
            self._known.move_to_end(address)
            if len(self._known) > self._size:
                self._known.popitem(last=False)


def _repeated(name: str) -> bool:
    lower = name.lower()
    return lower not in UNREPEATED and not lower.startswith("x-ratelimit")


def init_app(app: Flask) -> None:
    """Put the layer in front of `app` (after every other part is set up)."""
    app.wsgi_app = EarlyNotModified(app)  # type: ignore[method-assign]
