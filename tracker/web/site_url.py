"""The site's own address, for every absolute link a response carries.

A request names its host in the Host header, and anyone can write any host
there. A feed built with `Host: evil.example` links every entry to
evil.example; served as `Cache-Control: public`, a shared cache would hand
that feed to every later reader. So absolute links come from
TRACKER_BASE_URL when it is set, and the Host header is then never read.
When it is not set, links follow the request (what `tracker serve` on a
laptop wants), and `cache_control` lets no shared cache keep such a body:
the reader's own cache still does, so conditional polling stays as cheap.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import request

from tracker.web.context import settings


def root() -> str:
    """`https://tracker.example.org`: the configured address, else the request's."""
    return settings().base_url or request.url_root.rstrip("/")


def url(path: str, args: list[tuple[str, str]] | None = None) -> str:
    """The absolute address of `path` on this site, with a query string if `args`."""
    tail = f"?{urlencode(args)}" if args else ""
    return f"{root()}{path}{tail}"


def here() -> str:
    """The absolute address of this request: its path and query string on this site."""
    return url(request.path, list(request.args.items(multi=True)))


def is_configured() -> bool:
    """Whether links come from TRACKER_BASE_URL rather than the request's Host."""
    return bool(settings().base_url)


def cache_control(max_age: int) -> str:
    """Public when links cannot depend on the Host header; else the reader's cache only."""
    scope = "public" if is_configured() else "private"
    return f"{scope}, max-age={max_age}"
