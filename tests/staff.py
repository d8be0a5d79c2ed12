"""What the staff tests share: accounts, logging in, posting forms, small feeds."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from html import escape
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.engine import Engine
from werkzeug.test import TestResponse

from tracker.accounts import hash_password
from tracker.store.accounts import create_user
from tracker.store.engine import session_scope

PASSWORD = "a long enough password"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_user(engine: Engine, username: str, role: str = "editor") -> None:
    """A member of staff with `PASSWORD`."""
    with session_scope(engine) as session:
        create_user(session, username, _password_hash(), role, "tests")


@cache
def _password_hash() -> str:
    return hash_password(PASSWORD)  # scrypt is slow on purpose: hash once per run


def form_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _TOKEN.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    """Log in through the form, as a browser would."""
    page = client.get("/login").get_data(as_text=True)
    data = {"csrf_token": form_token(page), "username": username, "password": password}
    return client.post("/login", data=data)


def post(client: FlaskClient, url: str, data: dict[str, Any] | None = None) -> TestResponse:
    """POST a form with the session's CSRF token, as the page's own form would."""
    with client.session_transaction() as session:
        token = session.get("csrf")
    if token is None:  # no form seen yet in this session: open one
        token = form_token(client.get("/review").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **(data or {})})


def rss(entries: Sequence[tuple[str, str, str, str]], title: str = "Staff test wire") -> bytes:
    """An RSS 2.0 feed of (guid, title, description HTML, RFC 822 date) entries."""
    items = "".join(
        f"<item><title>{escape(t)}</title><link>https://wire.example.org/{g}</link>"
        f'<guid isPermaLink="false">{g}</guid><pubDate>{d}</pubDate>'
        f"<description>{escape(body)}</description></item>"
        for g, t, body, d in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://wire.example.org/</link>"
        f"<description>Written for the staff tests.</description>{items}</channel></rss>"
    ).encode()
