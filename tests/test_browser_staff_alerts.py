"""A member of staff opens "My alerts" from the staff nav, changes how often one alert
comes and stops another, in Chromium at 1280 and 390 px, with no sideways scroll."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alert_helpers import subscribe
from conftest import make_settings
from flask import Flask
from live_site import no_sideways_scroll, serving
from playwright.sync_api import Page
from sqlmodel import select
from staff import PASSWORD, add_user

from tracker.models import AlertSubscription
from tracker.pipeline import Pipeline
from tracker.store import accounts
from tracker.store.engine import session_scope
from tracker.web import create_app


@pytest.fixture
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Pipeline]]:
    pipeline = Pipeline(make_settings(tmp_path_factory.mktemp("browser-staff-alerts")))
    pipeline.init()
    add_user(pipeline.engine, "maria")
    with session_scope(pipeline.engine) as session:
        accounts.set_email(session, "maria", "maria@example.org", "tests")
    subscribe(pipeline, "maria@example.org")
    subscribe(pipeline, "maria@example.org", path="/search", query="q=distillation")
    subscribe(pipeline, "reader@example.org")
    app: Flask = create_app({"SETTINGS": pipeline.settings})
    with serving(app) as base:
        yield base, pipeline
    pipeline.engine.dispose()


def test_staff_change_and_stop_their_own_alerts(tab: Page, site: tuple[str, Pipeline]) -> None:
    base, pipeline = site
    tab.goto(base + "/login")
    tab.fill("#username", "maria")
    tab.fill("#password", PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.get_by_role("navigation", name="Staff").get_by_role("link", name="My alerts").click()
    tab.wait_for_url("**/account/alerts")
    main = tab.locator("main")
    assert "2 alerts to maria@example.org" in main.inner_text()
    assert "reader@example.org" not in tab.content()
    rows = tab.locator(".my-alerts > li")
    assert rows.count() == 2
    no_sideways_scroll(tab)
    rows.nth(0).get_by_label("How often").select_option("weekly")
    rows.nth(0).get_by_role("button", name="Save").click()
    tab.wait_for_load_state()
    assert ": once a week." in tab.locator(".flashes").inner_text()
    tab.locator(".my-alerts > li").nth(1).get_by_role("button", name="Stop").click()
    tab.wait_for_load_state()
    assert "Stopped:" in tab.locator(".flashes").inner_text()
    assert "1 alert to maria@example.org" in tab.locator("main").inner_text()
    no_sideways_scroll(tab)
    with session_scope(pipeline.engine) as session:
        subs = {s.email + s.path: s for s in session.exec(select(AlertSubscription))}
    assert subs["maria@example.org/topics/distillation"].frequency == "weekly"
    assert subs["maria@example.org/search"].unsubscribed_at is not None
    assert subs["reader@example.org/topics/distillation"].unsubscribed_at is None
