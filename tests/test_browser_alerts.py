"""Issue 17's "done when", in Debian's Chromium at 390 and 1280 px: a new reader
subscribes to /topics/distillation?type=letter, confirms from the mail a real SMTP
server on 127.0.0.1 received, a new letter is ingested, and exactly one alert names it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alert_helpers import ingest, letter
from conftest import make_settings
from flask import Flask
from live_site import serving
from mail_server import Received, parts, smtp_server
from playwright.sync_api import Browser, Page, expect

from tracker.alerts import send
from tracker.pipeline import Pipeline
from tracker.web import create_app

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Received, Pipeline]]:
    home = tmp_path_factory.mktemp("browser-alerts")
    with smtp_server() as (url, received):
        settings = dataclasses.replace(make_settings(home), smtp_url=url)
        pipeline = Pipeline(settings)
        pipeline.init()
        pipeline.load_demo()
        app: Flask = create_app({"SETTINGS": settings})
        with serving(app) as base:
            yield base, received, pipeline
        app.extensions["tracker.engine"].dispose()
        pipeline.engine.dispose()


@pytest.fixture(params=list(WIDTHS))
def tab(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=WIDTHS[request.param])
    page = context.new_page()
    page.width_name = request.param  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, errors


def no_sideways_scroll(tab: Page) -> None:
    width = tab.evaluate("document.documentElement.scrollWidth")
    view = tab.evaluate("document.documentElement.clientWidth")
    assert width <= view, f"the page is {width} px wide in a {view} px window"


def test_subscribe_confirm_and_get_exactly_one_alert(
    tab: Page, site: tuple[str, Received, Pipeline], tmp_path: Path
) -> None:
    base, received, pipeline = site
    name = tab.width_name  # type: ignore[attr-defined]
    address = f"reader-{name}@example.org"
    tab.goto(base + "/topics/distillation?type=letter")
    tab.get_by_role("button", name="Get alerts").click()
    tab.wait_for_url("**/alerts/new?path=%2Ftopics%2Fdistillation&type=letter")
    expect(tab.get_by_role("heading", level=1)).to_have_text("Get alerts by email")
    expect(tab.locator("p.view")).to_contain_text("Model distillation · Letter")
    no_sideways_scroll(tab)
    # A wrong address first: the form comes back with the reason.
    tab.fill("#alert-email", "reader at example")
    tab.locator("#alert-email").evaluate("e => e.type = 'text'")  # past the browser's own check
    tab.get_by_role("button", name="Get alerts").click()
    expect(tab.get_by_role("alert")).to_contain_text("is not an email address")
    tab.fill("#alert-email", address)
    tab.get_by_label("As soon as items arrive").check()
    tab.get_by_role("button", name="Get alerts").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Check your mail")
    no_sideways_scroll(tab)

    [confirmation] = received.to(address)
    text, _ = parts(confirmation)
    link = re.search(r"http://127\.0\.0\.1:\d+/alerts/confirm/\S+", text)
    assert link, text
    tab.goto(link.group(0))
    tab.get_by_role("button", name="Confirm my alerts").click()
    expect(tab.get_by_role("status")).to_contain_text("Alerts are on")
    no_sideways_scroll(tab)

    title = f"Senators press Commerce on model distillation by rival labs ({name})"
    ingest(pipeline, tmp_path, [letter(9000 + len(name), title=title)], f"new-{name}")
    send.run(pipeline.settings, pipeline.engine)
    alerts = [m for m in received.to(address) if m is not confirmation]
    assert len(alerts) == 1, [m["Subject"] for m in alerts]
    body, html = parts(alerts[0])
    assert alerts[0]["Subject"] == "1 new: Model distillation · Letter"
    assert title in body and title in html
    assert body.count("/items/") == 1  # exactly one item in it
