"""The webhook on the "Get alerts" form in Debian's Chromium at 390 and 1280 px: a private
address is refused with the reason, the secret shown on confirmation verifies the post a
real receiver on 127.0.0.1 gets for a new letter, and no page scrolls sideways."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alert_helpers import ingest, letter
from conftest import make_settings
from flask import Flask
from live_site import no_sideways_scroll, open_tab, serving
from mail_server import Received, parts, smtp_server
from playwright.sync_api import Browser, expect
from webhook_receiver import Receiver, receiver

from tracker.alerts import send
from tracker.alerts.webhook_payload import verify
from tracker.pipeline import Pipeline
from tracker.web import create_app

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, Received, Pipeline, Receiver]]:
    home = tmp_path_factory.mktemp("browser-webhooks")
    with smtp_server() as (url, received), receiver() as rx:
        settings = dataclasses.replace(make_settings(home), smtp_url=url,
                                       webhook_allow_loopback=True)  # fmt: skip
        pipeline = Pipeline(settings)
        pipeline.init()
        app: Flask = create_app({"SETTINGS": settings})
        with serving(app) as base:
            yield base, received, pipeline, rx
        app.extensions["tracker.engine"].dispose()
        pipeline.engine.dispose()


@pytest.mark.parametrize("width", list(WIDTHS))
def test_sign_up_with_a_webhook_and_verify_its_post(
    width: str,
    browser: Browser,
    site: tuple[str, Received, Pipeline, Receiver],
    tmp_path: Path,
) -> None:
    base, received, pipeline, rx = site
    address = f"desk-{width}@example.org"
    with open_tab(browser, WIDTHS[width]) as tab:
        tab.goto(base + "/alerts/new?path=/topics/distillation&type=letter")
        expect(tab.get_by_text("Or post to a webhook URL")).to_be_visible()
        no_sideways_scroll(tab)
        tab.fill("#alert-email", address)
        tab.get_by_label("As soon as items arrive").check()
        tab.fill("#alert-webhook", "http://169.254.169.254/latest/meta-data")
        tab.get_by_role("button", name="Get alerts").click()
        expect(tab.get_by_role("alert")).to_contain_text("a cloud metadata address")
        no_sideways_scroll(tab)
        tab.fill("#alert-webhook", f"{rx.url}?for={width}")
        tab.get_by_label("Payload").select_option("json")
        tab.get_by_label("Webhook only").check()
        tab.get_by_role("button", name="Get alerts").click()
        expect(tab.get_by_role("heading", level=1)).to_have_text("Check your mail")

        [confirmation] = received.to(address)
        text, html = parts(confirmation)
        link = re.search(r"http://127\.0\.0\.1:\d+/alerts/confirm/\S+", text)
        assert link, text
        tab.goto(link.group(0))
        expect(tab.locator("#webhook-secret")).to_have_count(0)
        tab.get_by_role("button", name="Confirm my alerts").click()
        expect(tab.locator("#webhook-secret")).to_be_visible()
        secret = tab.locator("#webhook-secret").inner_text().strip()
        assert re.fullmatch(r"[0-9a-f]{64}", secret) and secret not in text + html
        no_sideways_scroll(tab)

    title = f"Senators press Commerce on model distillation by rival labs ({width})"
    ingest(pipeline, tmp_path, [letter(9100 + len(width), title=title)], f"new-{width}")
    send.run(pipeline.settings, pipeline.engine)
    [post] = [p for p in rx.posts if p.path == f"/hook?for={width}"]
    h = {k.lower(): v for k, v in post.headers.items()}
    assert verify(secret, h["x-tracker-timestamp"], post.body, h["x-tracker-signature"])
    assert [i["title"] for i in json.loads(post.body)["items"]] == [title]
    assert received.to(address) == [confirmation]  # webhook only: no digest mail
