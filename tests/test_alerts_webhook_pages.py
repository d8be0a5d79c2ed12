"""The webhook on the "Get alerts" form: private addresses refused with the reason, and the
signing secret shown once, on confirmation."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from mail_server import Received, parts, smtp_server
from sqlmodel import select

from tracker.models import AlertSubscription
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.web import create_app

BASE = "https://tracker.example.org"
PAGE = "/alerts/new?path=/topics/distillation&type=letter"


@pytest.fixture
def site(sqlite_pipeline: Pipeline) -> Iterator[tuple[Flask, Received, Pipeline]]:
    with smtp_server() as (url, received):
        settings = dataclasses.replace(sqlite_pipeline.settings, smtp_url=url, base_url=BASE)
        app = create_app({"SETTINGS": settings})
        yield app, received, sqlite_pipeline
        app.extensions["tracker.engine"].dispose()


def fields(text: str) -> dict[str, str]:
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text)
    return {k: html.unescape(v) for k, v in found}


def subs(p: Pipeline) -> list[AlertSubscription]:
    with session_scope(p.engine) as session:
        return list(session.exec(select(AlertSubscription)))


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/hook", "10.1.2.3 resolves to 10.1.2.3, a private address"),
        ("http://169.254.169.254/latest/meta-data", "a cloud metadata address"),
        ("http://[::1]:9/hook", "::1, a loopback address"),
        ("http://localhost:9/hook", "a loopback address"),
    ],
)
def test_a_private_webhook_address_is_refused_with_the_reason(
    site: tuple[Flask, Received, Pipeline], url: str, reason: str
) -> None:
    app, received, p = site
    client = app.test_client()
    page = client.get(PAGE).get_data(as_text=True)
    assert "Or post to a webhook URL" in page and 'name="webhook_url"' in page
    answer = client.post("/alerts/new", data={**fields(page), "email": "desk@example.org",
                         "frequency": "daily", "webhook_url": url,
                         "webhook_style": "slack"})  # fmt: skip
    text = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400
    assert "Webhooks may only post to public addresses" in text and reason in text
    assert f'value="{url}"' in text  # the form keeps what was typed
    assert subs(p) == [] and received.all() == []


def test_the_secret_is_shown_once_on_confirmation(site: tuple[Flask, Received, Pipeline]) -> None:
    app, received, p = site
    app.extensions["tracker.settings"] = dataclasses.replace(
        app.extensions["tracker.settings"], webhook_allow_loopback=True
    )
    client = app.test_client()
    page = client.get(PAGE).get_data(as_text=True)
    answer = client.post("/alerts/new", data={**fields(page), "email": "desk@example.org",
                         "frequency": "daily", "webhook_url": "http://127.0.0.1:9/hook",
                         "webhook_style": "slack", "webhook_only": "1"})  # fmt: skip
    assert answer.status_code == 200, answer.get_data(as_text=True)
    [sub] = subs(p)
    assert (sub.webhook_style, sub.webhook_only, sub.webhook_secret) == ("slack", True, "")
    [mail] = received.to("desk@example.org")
    text, mail_html = parts(mail)
    link = re.search(rf"{BASE}(/alerts/confirm/\S+)", text)
    assert link
    opened = client.get(link.group(1)).get_data(as_text=True)
    assert "webhook-secret" not in opened
    confirmed = client.post(link.group(1), data=fields(opened)).get_data(as_text=True)
    [sub] = subs(p)
    assert len(sub.webhook_secret) == 64
    assert f'<code id="webhook-secret">{sub.webhook_secret}</code>' in confirmed
    assert "http://127.0.0.1:9/hook" in confirmed and "X-Tracker-Signature" in confirmed
    again = client.post(link.group(1), data=fields(opened)).get_data(as_text=True)
    assert "Alerts confirmed" in again and sub.webhook_secret not in again
    assert sub.webhook_secret not in text + mail_html
    assert "will be posted to the webhook" in confirmed
    manage = re.search(r'href="(/alerts/manage/[^"]+)"', again)
    assert manage
    settings_page = client.get(manage.group(1)).get_data(as_text=True)
    assert "Also posted to http://127.0.0.1:9/hook (webhook only" in settings_page
    assert sub.webhook_secret not in settings_page
