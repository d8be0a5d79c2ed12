"""Compressed responses (Flask-Compress), with conditional GET kept cheap.

Pages, feeds, the API, CSS and the sitemap go out compressed when the client
accepts it, brotli or gzip. Every response says `Vary: Accept-Encoding`.
Streamed bodies (the CSV exports) go out as they are: Flask-Compress would
wrap their iterator and never close what it held. A static file is small and
read whole first, so it is compressed like a page (and its file closed).

A compressed body is a representation of its own, so Flask-Compress gives it
the ETag `"tag:gzip"` (or `:br`). A feed reader then sends that tag back in
If-None-Match. The views compare their validators (conditional.py) before
rendering anything, against the plain tag; so the coding suffix is taken off
the request's tags before the view sees them, and put back on the 304 the view
answers, which then names the representation the reader holds.
"""

from __future__ import annotations

from flask import Flask, Response, g, request
from flask_compress import Compress

CODINGS = ("br", "gzip", "deflate", "zstd")
STATIC_WHOLE = 1 << 20  # a static file up to 1 MiB is read whole and compressed
MIMETYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/feed+json",
    "application/problem+json",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/x-opml",
    "image/svg+xml",
]


def init_app(app: Flask) -> None:
    """Compress `app`'s responses, keeping the views' early 304s."""
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_STREAMS", False)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    Compress(app)
    # Registered after Compress: after_request hooks run last-registered first,
    # so these see the view's response before Compress does.
    app.before_request(_strip_coding_from_validators)
    app.after_request(_coding_back_on_304)
    app.after_request(_read_static_whole)
    app.after_request(_static_file_closed_when_unsent)


def _plain(tag: str) -> tuple[str, str | None]:
    """`"abc:gzip"` → (`"abc"`, `gzip`); any other tag unchanged, with None."""
    body = tag.strip()
    closing = body.endswith('"')
    inner = body[:-1] if closing else body
    stem, _, coding = inner.rpartition(":")
    if stem and coding in CODINGS:
        return stem + ('"' if closing else ""), coding
    return body, None


def plain_tags(header: str) -> tuple[str, str | None]:
    """An If-None-Match header without coding suffixes, and the one coding it named
    (None when it named none or several)."""
    if ":" not in header:
        return header, None
    tags, codings = [], set()
    for tag in header.split(","):
        plain, coding = _plain(tag)
        tags.append(plain)
        if coding:
            codings.add(coding)
    return ", ".join(tags), codings.pop() if len(codings) == 1 else None


def _strip_coding_from_validators() -> None:
    header = request.environ.get("HTTP_IF_NONE_MATCH")
    if not header or ":" not in header:
        return
    plain, coding = plain_tags(header)
    if coding:  # one representation held: name it on a 304
        g.held_coding = coding
    request.environ["HTTP_IF_NONE_MATCH"] = plain


def _coding_back_on_304(response: Response) -> Response:
    coding = g.get("held_coding")
    if response.status_code == 304 and coding:
        etag, weak = response.get_etag()
        if etag and not weak and not etag.endswith(f":{coding}"):
            response.set_etag(f"{etag}:{coding}")
    return response


def _read_static_whole(response: Response) -> Response:
    static = request.endpoint == "static" and response.status_code == 200
    small = (response.content_length or 0) <= STATIC_WHOLE and response.mimetype in MIMETYPES
    if static and small and response.is_streamed:
        response.direct_passthrough = False
        response.make_sequence()  # reads the file whole
        # ... and closes it now, not after the body is written: werkzeug's server
        # skips that when the client hangs up first, leaving it to the collector.
        response.close()
    return response


def _static_file_closed_when_unsent(response: Response) -> Response:
    """A static file answered without its body (a 304, a 412, a HEAD) is closed now.

    `send_file` opens the file before it knows the answer is a 304; werkzeug's
    server would close it after writing, but not when the client has already
    hung up (its dropped-connection path), leaving the file to the garbage
    collector. Browsers hang up on favicon revalidations all the time.
    """
    unsent = response.status_code in (304, 412) or request.method == "HEAD"
    if request.endpoint == "static" and unsent and response.is_streamed:
        response.close()
        response.response = []
    return response
