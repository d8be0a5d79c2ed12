"""The "Get alerts" pages: the form on listings and searches, double opt-in, errors that
keep the form, CSRF, rate limits, and where mail goes without a mail server."""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from alert_helpers import ingest, letter, outbox, subscribe
from flask import Flask
from flask.testing import FlaskClient
from mail_server import Received, parts, smtp_server

from tracker.alerts import links, send
from tracker.models import AlertSubscription
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.web import create_app

BASE = "https://tracker.example.org"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def site(sqlite_pipeline: Pipeline) -> Iterator[tuple[Flask, Received, Pipeline]]:
    with smtp_server() as (url, received):
        settings = dataclasses.replace(sqlite_pipeline.settings, smtp_url=url, base_url=BASE,
                                       rate_alerts="5/minute")  # fmt: skip
        app = create_app({"SETTINGS": settings})
        yield app, received, sqlite_pipeline
        app.extensions["tracker.engine"].dispose()


def form(client: FlaskClient, url: str) -> tuple[str, dict[str, str]]:
    """The sign-up page and its hidden fields."""
    page = client.get(url)
    assert page.status_code == 200, url
    text = page.get_data(as_text=True)
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
    return text, {k: html.unescape(v) for k, v in fields.items()}


def test_listing_and_search_pages_carry_the_form_with_their_filters(
    site: tuple[Flask, Received, Pipeline],
) -> None:
    client = site[0].test_client()
    page = client.get("/topics/distillation?type=letter&from=2026-01-01&order=oldest")
    text = page.get_data(as_text=True)
    assert 'action="/alerts/new"' in text and ">Get alerts</button>" in text
    assert '<input type="hidden" name="path" value="/topics/distillation">' in text
    assert '<input type="hidden" name="type" value="letter">' in text
    assert 'name="from"' not in text.split('action="/alerts/new"')[1].split("</form>")[0]
    assert "Set-Cookie" not in page.headers  # a reader's page still sets no cookie
    search = client.get("/search?q=distillation&type=letter").get_data(as_text=True)
    assert '<input type="hidden" name="path" value="/search">' in search
    assert '<input type="hidden" name="q" value="distillation">' in search


def test_double_opt_in(site: tuple[Flask, Received, Pipeline], tmp_path: Path) -> None:
    app, received, p = site
    client = app.test_client()
    text, fields = form(client, "/alerts/new?path=/topics/distillation&type=letter")
    assert "Model distillation · Letter" in text
    answer = client.post("/alerts/new", data={**fields, "email": "reader@example.org",
                                              "frequency": "immediate"})  # fmt: skip
    assert answer.status_code == 200 and "Check your mail" in answer.get_data(as_text=True)
    [confirm] = received.to("reader@example.org")
    assert confirm["Subject"] == "Confirm your alerts: Model distillation · Letter"
    body, _ = parts(confirm)
    link = re.search(rf"{BASE}(/alerts/confirm/\S+)", body)
    assert link
    # Not confirmed yet: a new letter is mailed to no one.
    ingest(p, tmp_path, [letter(1)], "one")
    assert send.run(app.extensions["tracker.settings"], p.engine).queued == 0
    page = client.get(link.group(1)).get_data(as_text=True)
    assert "Confirm my alerts" in page
    token = _TOKEN.search(page)
    assert token
    done = client.post(link.group(1), data={"csrf_token": token.group(1)})
    assert "Alerts are on" in done.get_data(as_text=True)
    ingest(p, tmp_path, [letter(1), letter(2)], "two")
    assert send.run(app.extensions["tracker.settings"], p.engine).queued == 1
    digests = [m for m in received.to("reader@example.org") if "Confirm" not in m["Subject"]]
    assert len(digests) == 1 and letter(2)[1] in parts(digests[0])[0]
    assert letter(1)[1] not in parts(digests[0])[0]  # it came before the confirmation


def test_errors_keep_the_form_and_say_what_was_wrong(
    site: tuple[Flask, Received, Pipeline],
) -> None:
    app, received, _ = site
    client = app.test_client()
    _, fields = form(client, "/alerts/new?path=/topics/distillation&type=letter")
    for email, words in (("", "Enter the email address"),
                         ("not an address", "is not an email address"),
                         ("a@b.c\r\nBcc: x@y.z", "is not an email address")):  # fmt: skip
        answer = client.post("/alerts/new", data={**fields, "email": email, "frequency": "daily"})
        text = answer.get_data(as_text=True)
        assert answer.status_code == 400 and words in text, email
        assert 'name="email"' in text and 'value="letter"' not in text  # the form, again
        assert 'name="query" value="type=letter"' in text
    answer = client.post("/alerts/new", data={**fields, "email": "x@example.org",
                                              "frequency": "hourly"})  # fmt: skip
    assert answer.status_code == 400 and "How often" in answer.get_data(as_text=True)
    assert 'value="x@example.org"' in answer.get_data(as_text=True)
    assert received.all() == []


def test_a_post_without_the_token_is_refused_and_sign_ups_are_rate_limited(
    site: tuple[Flask, Received, Pipeline],
) -> None:
    app, received, _ = site
    client = app.test_client()
    bare = client.post("/alerts/new", data={"path": "/topics/distillation",
                                            "email": "x@example.org"})  # fmt: skip
    assert bare.status_code == 400
    _, fields = form(client, "/alerts/new?path=/topics/distillation")
    codes = [client.post("/alerts/new", data={**fields, "email": f"r{n}@example.org"}).status_code
             for n in range(5)]  # fmt: skip
    # The refused POST counted too (the limit comes first): four more, then 429.
    assert codes == [200, 200, 200, 200, 429], codes
    assert len(received.all()) == 4


def test_unknown_views_are_refused(site: tuple[Flask, Received, Pipeline]) -> None:
    client = site[0].test_client()
    assert client.get("/alerts/new?path=/topics/no-such-topic").status_code == 404
    assert client.get("/alerts/new?path=/admin").status_code == 404
    assert client.get("/alerts/new?path=/topics/distillation&type=nonsense").status_code == 404
    assert client.get("/alerts/new?path=/search").status_code == 404  # a search needs words


def test_without_a_mail_server_the_page_says_where_mail_goes(
    sqlite_pipeline: Pipeline,
) -> None:
    app = create_app({"SETTINGS": sqlite_pipeline.settings})
    client = app.test_client()
    text, fields = form(client, "/alerts/new?path=/types/letter")
    folder = sqlite_pipeline.settings.home / "mail"
    assert f"mails are written to {folder}" in text
    answer = client.post("/alerts/new", data={**fields, "email": "reader@example.org"})
    assert f"mails are written to {folder}" in answer.get_data(as_text=True)
    [eml] = folder.glob("*.eml")
    assert b"Confirm your alerts" in eml.read_bytes()
    assert [m.sent_at is not None for m in outbox(sqlite_pipeline, "confirm")] == [True]
    app.extensions["tracker.engine"].dispose()


def test_manage_changes_how_often_and_lists_the_addresss_other_alerts(
    site: tuple[Flask, Received, Pipeline],
) -> None:
    app, _, p = site
    first = subscribe(p, "reader@example.org")
    subscribe(p, "reader@example.org", path="/types/letter", query="")
    subscribe(p, "someone@example.org", path="/types/rule", query="")
    with session_scope(p.engine) as session:
        sub = session.get(AlertSubscription, first)
        assert sub is not None
        path = f"/alerts/manage/{links.sign(links.secret(p.settings), 'manage', sub)}"
    client = app.test_client()
    page = client.get(path).get_data(as_text=True)
    assert "Other alerts to reader@example.org" in page and 'href="/alerts/manage/' in page
    assert "/types/rule" not in page  # another address's alerts are not shown
    token = _TOKEN.search(page)
    assert token
    saved = client.post(path, data={"csrf_token": token.group(1), "frequency": "weekly"})
    assert "Saved: once a week." in saved.get_data(as_text=True)
    with session_scope(p.engine) as session:
        sub = session.get(AlertSubscription, first)
        assert sub is not None and sub.frequency == "weekly"
    assert client.get(path[:-3] + "abc").status_code == 404  # a forged link


def test_one_click_unsubscribes_are_not_rate_limited(
    site: tuple[Flask, Received, Pipeline],
) -> None:
    app, _, p = site
    client = app.test_client()
    key = links.secret(p.settings)
    codes = []
    for n in range(8):  # more than TRACKER_RATE_ALERTS (5/minute), from one address
        sub_id = subscribe(p, f"r{n}@example.org")
        with session_scope(p.engine) as session:
            sub = session.get(AlertSubscription, sub_id)
            assert sub is not None
            signed = links.sign(key, "manage", sub)
        codes.append(client.post(f"/alerts/unsubscribe/{signed}",
                                 data={"List-Unsubscribe": "One-Click"}).status_code)  # fmt: skip
    assert codes == [200] * 8
