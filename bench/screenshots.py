"""A screenshot of every page type at 1280 and 390 px, and what each page weighs.

    python bench/screenshots.py [--out /work/reports/shots]

Serves the bundled demo on 127.0.0.1 (with an admin account, for the staff
pages), opens each page type in Debian's Chromium at a desktop's and a phone's
width and saves a full-page PNG of each as OUT/<page>-<width>.png. Then prints
a table of page weights per page type: the HTML as the server renders it, the
HTML as sent gzip'd and brotli'd, and everything a first visit at 1280 px
transfers (HTML, CSS, script, icon: bytes on the wire, headers included), with
the number of requests. Each weight is of one first visit with an empty cache.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from urllib import request as http

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from live_site import chromium  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Request  # noqa: E402
from site_tour import DESKTOP, PHONE, demo_site, log_in, tour  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/work/reports/shots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    started, cpu = time.perf_counter(), time.process_time()
    with (
        tempfile.TemporaryDirectory(prefix="tracker-shots-") as home,
        demo_site(Path(home)) as base,
        chromium() as browser,
    ):
        rows = shoot_all(browser, base, args.out)
    print(f"{'page':<14} {'path':<28} {'HTML':>8} {'gzip':>7} {'br':>7} "
          f"{'first visit':>12} {'requests':>8}")  # fmt: skip
    for row in rows:
        print(f"{row['page']:<14} {row['path'][:28]:<28} {row['html']:>8,} {row['gzip']:>7,} "
              f"{row['br']:>7,} {row['transferred']:>12,} {row['requests']:>8}")  # fmt: skip
    wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(f"\n{len(rows) * 2} screenshots in {args.out}; wall {wall:.1f} s, CPU {used:.1f} s "
          "(this process; the browser's own CPU not counted)")  # fmt: skip


def shoot_all(browser: Browser, base: str, out: Path) -> list[dict[str, object]]:
    """Screenshots of every page type at both widths; a weight row per page type."""
    rows: list[dict[str, object]] = []
    for width, viewport in (("1280", DESKTOP), ("390", PHONE)):
        reader = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)  # type: ignore[arg-type]
        staff = browser.new_context(viewport=viewport, is_mobile=viewport is PHONE)  # type: ignore[arg-type]
        try:
            pages = [(reader, name, path) for name, path in tour(base).items()]
            staff_paths = log_in(staff, base)
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in staff.cookies())
            pages += [(staff, name, path) for name, path in staff_paths.items()]
            for context, name, path in pages:
                transferred, requests = visit(context, base + path, out / f"{name}-{width}.png")
                if width == "1280":
                    who = cookie if context is staff else ""
                    rows.append({"page": name, "path": path, "transferred": transferred,
                                 "requests": requests, **html_sizes(base + path, who)})  # fmt: skip
        finally:
            reader.close()
            staff.close()
    return rows


def visit(context: BrowserContext, url: str, target: Path) -> tuple[int, int]:
    """Open `url` in a fresh tab with no cache; save a full-page PNG; bytes and requests."""
    tab = context.new_page()
    seen: list[Request] = []
    tab.on("requestfinished", lambda request: seen.append(request))
    session = context.new_cdp_session(tab)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    try:
        tab.goto(url, wait_until="load")
        tab.screenshot(path=str(target), full_page=True)
        total = 0
        for request in seen:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total, len(seen)
    finally:
        tab.close()


def html_sizes(url: str, cookie: str) -> dict[str, int]:
    """The page's HTML as rendered, gzip'd and brotli'd, in bytes."""
    found = {}
    for key, coding in (("html", "identity"), ("gzip", "gzip"), ("br", "br")):
        headers = {"Accept-Encoding": coding, **({"Cookie": cookie} if cookie else {})}
        with http.urlopen(http.Request(url, headers=headers), timeout=30) as response:
            found[key] = len(response.read())
    return found


if __name__ == "__main__":
    main()
