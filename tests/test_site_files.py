"""Compressed responses, robots.txt and the sitemap, over real HTTP on
127.0.0.1 (issue 16): pages, feeds and JSON go out gzip'd or brotli'd with
`Vary: Accept-Encoding`, conditional GET still answers 304 for the compressed
representation's ETag, and the sitemap lists every index page, topic, entity,
bill and recent item at absolute addresses on the configured base URL.
"""

from __future__ import annotations

import gc
import gzip
import socket
import warnings
from collections.abc import Iterator
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

import brotli
import pytest
from flask import Flask
from live_site import serving
from lxml import etree

from tracker import search
from tracker.pipeline import Pipeline
from tracker.web import create_app

BASE_URL = "https://tracker.example.org"
NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
COMPRESSED = ("/", "/topics/distillation", "/topics/distillation.rss", "/items.atom",
              "/items.json", "/api/v1/items", "/feeds", "/feeds.opml", "/sitemap.xml",
              "/static/site.css")  # fmt: skip


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("files"), base_url=BASE_URL)
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    search.catch_up(settings, pipeline.engine)
    yield create_app({"SETTINGS": settings})
    pipeline.engine.dispose()


@pytest.fixture(scope="module")
def site(app: Flask) -> Iterator[str]:
    with serving(app) as base:
        yield base


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and the raw (still encoded) body of a GET."""
    try:
        with urlopen(Request(url, headers=headers), timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.parametrize("path", COMPRESSED)
def test_pages_feeds_and_json_go_out_compressed(site: str, path: str) -> None:
    status, plain_headers, plain = get(site + path)
    assert status == 200 and "Content-Encoding" not in plain_headers
    status, headers, body = get(site + path, **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip", headers
    assert "accept-encoding" in headers["Vary"].lower()
    assert len(body) < len(plain) / 2, (len(body), len(plain))
    unpacked = gzip.decompress(body)
    if path.endswith((".rss", ".atom", ".json", ".opml", ".css")):
        assert unpacked == plain  # the same bytes, only compressed
    else:
        assert unpacked[:200].strip().lower().startswith((b"<!doctype html", b"<?xml", b"{"))
    status, headers, body = get(site + path, **{"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert headers["Content-Encoding"] == "br" and brotli.decompress(body)[:50] == unpacked[:50]


def test_an_uncompressed_reply_says_it_varies_too(site: str) -> None:
    _, headers, _ = get(site + "/topics/distillation.rss")
    assert "accept-encoding" in headers["Vary"].lower()


@pytest.mark.parametrize("path", ["/topics/distillation.rss", "/items.json", "/api/v1/items"])
def test_conditional_get_still_answers_304(site: str, path: str) -> None:
    for coding in ("gzip", "br", "identity"):
        status, headers, _ = get(site + path, **{"Accept-Encoding": coding})
        etag = headers["ETag"]
        assert status == 200 and etag.startswith('"')
        if coding != "identity":
            assert etag.endswith(f':{coding}"'), etag  # each representation its own tag
        again = {"Accept-Encoding": coding, "If-None-Match": etag}
        status, headers, body = get(site + path, **again)
        assert status == 304 and body == b"", (coding, status)
        assert headers["ETag"] == etag  # names the representation the reader holds
        assert "accept-encoding" in headers["Vary"].lower()
    # A stale tag, coded or not, gets the whole body.
    status, _, _ = get(site + path, **{"Accept-Encoding": "gzip", "If-None-Match": '"old:gzip"'})
    assert status == 200


def test_the_view_sees_the_plain_tag(app: Flask) -> None:
    """The coding suffix is off before the views compare validators (no rendering for a 304)."""
    from flask import request

    with app.test_request_context(
        "/items.rss", headers={"If-None-Match": '"abc:gzip", W/"def:br", "g:h"'}
    ):
        app.preprocess_request()
        assert request.if_none_match.contains_weak("abc")
        assert request.if_none_match.contains_weak("def")
        assert request.if_none_match.contains_weak("g:h")  # not a coding: left alone
        assert not request.if_none_match.contains_weak("abc:gzip")


def test_robots_txt(site: str) -> None:
    status, headers, body = get(site + "/robots.txt")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    lines = body.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert {"Disallow: /admin", "Disallow: /review", "Disallow: /login"} <= set(lines)
    assert f"Sitemap: {BASE_URL}/sitemap.xml" in lines
    assert "Disallow: /" not in lines  # the reader pages stay open


def test_the_sitemap_lists_every_kind_of_page(site: str) -> None:
    status, headers, body = get(site + "/sitemap.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    root = etree.fromstring(body)
    assert root.tag == f"{NS}urlset"
    entries = root.findall(f"{NS}url")
    locs = [entry.findtext(f"{NS}loc") or "" for entry in entries]
    assert all(len(entry.findall(f"{NS}loc")) == 1 for entry in entries)
    assert all(loc.startswith(BASE_URL + "/") for loc in locs), locs[:5]
    paths = [loc[len(BASE_URL) :] for loc in locs]
    assert len(paths) == len(set(paths))
    for path in ("/", "/bills", "/sources", "/feeds", "/topics/distillation", "/bills/119/hr8283"):
        assert path in paths, path
    assert any(p.startswith("/entities/") for p in paths)
    items = [p for p in paths if p.startswith("/items/")]
    assert len(items) >= 20
    for entry in entries:
        lastmod = entry.findtext(f"{NS}lastmod")
        assert lastmod is None or (len(lastmod) == 10 and lastmod[4] == "-")
    # Every address it lists is a page of this site.
    for path in paths:
        assert get(site + path)[0] == 200, path


def test_a_static_304_closes_its_file_when_the_client_hangs_up(site: str) -> None:
    """A browser revalidating the favicon often hangs up before the 304 is written;
    the file send_file opened is closed all the same (it was left to the garbage
    collector, whose ResourceWarning then failed whichever test ran next)."""
    with urlopen(site + "/static/favicon.svg") as reply:
        etag = reply.headers["ETag"]  # and hangs up without reading the body
    address = urlsplit(site)
    ask = f"GET /static/favicon.svg HTTP/1.1\r\nHost: x\r\nIf-None-Match: {etag}\r\n\r\n"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        for _ in range(30):
            with socket.create_connection((address.hostname, address.port)) as client:
                client.sendall(ask.encode())
        # The server answers in order on one thread per client: by this reply it has
        # handled the ones that hung up.
        assert get(site + "/static/favicon.svg", **{"If-None-Match": etag})[0] == 304
    gc.collect()
    leaked = [w for w in caught if issubclass(w.category, ResourceWarning)]
    assert not leaked, [str(w.message) for w in leaked]
