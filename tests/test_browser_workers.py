"""/sources in a real browser, at a phone's and a desktop's width: the fetch
workers' heartbeats and each source's health (issue 15, item 1).

A worker runs in this process against two feed hosts on 127.0.0.1, one that
answers and one that fails; a worker that stopped beating an hour ago is
shown as not heard from.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from feed_hosts import Route, feed_hosts
from live_site import DESKTOP, PHONE, serving
from playwright.sync_api import Browser, expect
from test_worker import add_sources, sources, wait_for

from tracker.models import WorkerBeat
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.web import create_app
from tracker.worker import Worker, WorkerSettings

MINUTE = r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from conftest import make_settings

    settings = make_settings(tmp_path_factory.mktemp("sources"), heartbeat_seconds=0.5)
    pipeline = Pipeline(settings)
    pipeline.init()
    pipeline.load_demo()
    with feed_hosts(2) as (good, bad):
        good.routes["/feed"] = Route(items=2)
        bad.routes["/feed"] = Route(status=500)
        add_sources(pipeline, {"good-feed": good.url("/feed"), "bad-feed": bad.url("/feed")})
        settings_w = WorkerSettings(concurrency=2, host_gap=0.2, heartbeat_seconds=0.5,
                                    idle_seconds=0.2, settle_seconds=0.5)  # fmt: skip
        worker = Worker(pipeline, settings_w, report=lambda _line: None)
        worker.start()
        fetched = ("good-feed", "bad-feed")
        wait_for(lambda: all(sources(pipeline)[s].last_fetched_at for s in fetched))
        long_ago = datetime.now(UTC) - timedelta(hours=1)
        with session_scope(pipeline.engine) as session:
            session.add(WorkerBeat(name="gone:77:abc", hostname="fetch-host-2", pid=77,
                                   started_at=long_ago, beat_at=long_ago))  # fmt: skip
        app = create_app({"SETTINGS": settings})
        try:
            with serving(app) as base:
                yield base
        finally:
            worker.request_stop()
            worker.stop(grace=10)
            pipeline.engine.dispose()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_sources_page_shows_workers_and_each_sources_health(
    site: str,
    browser: Browser,
    viewport: dict[str, int],
) -> None:
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    tab = context.new_page()
    try:
        tab.goto(f"{site}/sources")
        workers = tab.locator("section.workers tbody tr")
        expect(workers).to_have_count(2)
        here = workers.filter(has_text=f"{socket.gethostname()}, process")
        expect(here).to_contain_text("tracker worker")
        expect(here).to_contain_text("waiting for due sources")
        expect(here.locator("td").nth(1)).to_have_text(re.compile(MINUTE))
        gone = workers.filter(has_text="fetch-host-2, process 77")
        expect(gone).to_contain_text("not heard from since its last heartbeat")
        good = tab.locator("tr", has=tab.locator("th", has_text="Feed GOOD-FEED"))
        cells = good.locator("td")
        expect(cells.nth(3)).to_have_text(re.compile(MINUTE))  # last success
        expect(cells.nth(4)).to_have_text(re.compile(MINUTE))  # next attempt
        expect(cells.nth(5)).to_have_text("ok")
        bad = tab.locator("tr", has=tab.locator("th", has_text="Feed BAD-FEED"))
        expect(bad.locator("td").nth(3)).to_have_text("never")
        expect(bad.locator("td").nth(5)).to_contain_text("error (1 failure): HTTP 500")
        expect(tab.get_by_text("bad-feed", exact=True)).to_have_count(0)  # names, not slugs
        overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/sources scrolls sideways by {overflow}px"
        tab.screenshot(path=f"/tmp/sources-{viewport['width']}.png", full_page=True)
    finally:
        context.close()
