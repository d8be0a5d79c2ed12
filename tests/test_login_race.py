"""Wrong passwords sent at the same moment from twenty addresses to a real threaded
server: each is counted, the pauses hold, at most five are ever checked and the
account ends locked; on SQLite (where SELECT ... FOR UPDATE does nothing) and
on PostgreSQL."""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from live_site import serving
from sqlmodel import select
from staff import add_user

from tracker.accounts import LOCK_AFTER, LOCK_FOR
from tracker.models import AuditLog, User, utcnow
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.web import create_app

CLIENTS = 20
WRONG = "Wrong username or password."
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def site(pipeline: Pipeline) -> Iterator[tuple[str, Pipeline]]:
    add_user(pipeline.engine, "eddie")
    app = create_app({"SETTINGS": pipeline.settings})
    with serving(app) as base:
        yield base, pipeline
    app.extensions["tracker.engine"].dispose()


def burst(base: str, password: str = "not the password") -> Counter[str]:
    """Twenty browsers, each from its own loopback address, submit the form at once."""
    ready = threading.Barrier(CLIENTS)

    def one(n: int) -> str:
        transport = httpx.HTTPTransport(local_address=f"127.0.1.{n + 1}")
        with httpx.Client(base_url=base, transport=transport, timeout=60) as client:
            token = _TOKEN.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
            form = {"csrf_token": token, "username": "eddie", "password": password}
            ready.wait()
            response = client.post("/login", data=form)
        if response.status_code == 200 and WRONG in response.text:
            return "checked"
        if response.status_code == 429 and "Too many failed logins" in response.text:
            return "refused"
        return f"{response.status_code}"

    with ThreadPoolExecutor(CLIENTS) as pool:
        return Counter(pool.map(one, range(CLIENTS)))


def account(pipeline: Pipeline) -> User:
    with session_scope(pipeline.engine) as session:
        return session.exec(select(User).where(User.username == "eddie")).one()


def end_pause(pipeline: Pipeline) -> None:
    """As if the pause after the last failure had run out (it is seconds long)."""
    with session_scope(pipeline.engine) as session:
        session.execute(sa.update(User).values(locked_until=utcnow() - timedelta(seconds=1)))


def test_parallel_wrong_passwords_are_each_counted_and_pause_the_account(
    site: tuple[str, Pipeline],
) -> None:
    base, pipeline = site
    seen = burst(base)
    # The first failure costs no pause, the second a pause every other try runs into.
    assert seen == Counter({"checked": 2, "refused": CLIENTS - 2}), seen
    assert account(pipeline).failed_logins == 2


def test_parallel_bursts_check_at_most_five_passwords_and_lock_the_account(
    site: tuple[str, Pipeline],
) -> None:
    base, pipeline = site
    checked = 0
    for _ in range(LOCK_AFTER):
        seen = burst(base)
        assert set(seen) <= {"checked", "refused"}, seen
        checked += seen["checked"]
        assert account(pipeline).failed_logins == checked  # every check counted, no more
        if checked >= LOCK_AFTER:
            break
        end_pause(pipeline)
    assert checked == LOCK_AFTER
    user = account(pipeline)
    assert user.locked_until is not None
    assert user.locked_until > utcnow() + LOCK_FOR - timedelta(minutes=1)
    # Locked: the right password is not even checked, nor is anything else.
    assert burst(base, "a long enough password") == Counter({"refused": CLIENTS})
    assert account(pipeline).failed_logins == LOCK_AFTER
    with session_scope(pipeline.engine) as session:
        locks = session.exec(select(AuditLog).where(AuditLog.action == "user.lock")).all()
        assert len(locks) == 1
