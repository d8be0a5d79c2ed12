"""Staff accounts: the schema, `tracker create-user`, logging in and out, throttling,
cookies, CSRF, and readers who need no account."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from conftest import make_settings
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import SQLModel, select
from staff import PASSWORD, add_user, form_token, login, post

from tracker.cli import main
from tracker.config import ConfigError, Settings
from tracker.models import AuditLog, User, utcnow
from tracker.pipeline import Pipeline
from tracker.store.accounts import attempt_login
from tracker.store.engine import alembic_config, session_scope
from tracker.web import create_app


@pytest.fixture
def app(sqlite_pipeline: Pipeline) -> Iterator[Flask]:
    add_user(sqlite_pipeline.engine, "eddie", "editor")
    add_user(sqlite_pipeline.engine, "ada", "admin")
    app = create_app({"SETTINGS": sqlite_pipeline.settings, "TESTING": True})
    yield app
    app.extensions["tracker.engine"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


# The schema


def test_the_migration_creates_exactly_the_account_tables_of_the_models(pipeline: Pipeline) -> None:
    with pipeline.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    ours = [d for d in diff if any(name in repr(d) for name in ("'user'", "'auditlog'"))]
    assert ours == []
    assert {"user", "auditlog"} <= set(sa.inspect(pipeline.engine).get_table_names())


def test_the_accounts_migration_downgrades_and_upgrades_again(sqlite_pipeline: Pipeline) -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1  # one line of revisions
    with sqlite_pipeline.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0004")
        assert "user" not in sa.inspect(conn).get_table_names()
        command.upgrade(cfg, "head")
        assert "auditlog" in sa.inspect(conn).get_table_names()


# tracker create-user


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    return {"TRACKER_HOME": str(tmp_path)}


def _users(home: str) -> list[User]:
    pipeline = Pipeline(make_settings(Path(home)))
    with session_scope(pipeline.engine) as session:
        found = list(session.exec(select(User)))
    pipeline.engine.dispose()
    return found


def test_create_user_asks_for_the_password_twice_and_stores_an_scrypt_hash(
    cli_env: dict[str, str],
) -> None:
    typed = f"{PASSWORD}\n{PASSWORD}\n"
    result = CliRunner().invoke(main, ["create-user", "Eddie", "--role", "editor"], input=typed,
                                env=cli_env)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Created the editor 'eddie'" in result.output
    [user] = _users(cli_env["TRACKER_HOME"])
    assert (user.username, user.role) == ("eddie", "editor")
    assert user.password_hash.startswith("scrypt:") and PASSWORD not in user.password_hash


def test_create_user_reads_the_password_from_stdin_and_audits_it(cli_env: dict[str, str]) -> None:
    args = ["create-user", "ada", "--role", "admin", "--password-stdin"]
    result = CliRunner().invoke(main, args, input=PASSWORD + "\n", env=cli_env)
    assert result.exit_code == 0, result.output
    pipeline = Pipeline(make_settings(Path(cli_env["TRACKER_HOME"])))
    with session_scope(pipeline.engine) as session:
        [entry] = session.exec(select(AuditLog)).all()
        assert (entry.actor, entry.action, entry.after) == (
            "(command line)", "user.create", {"username": "ada", "role": "admin"}
        )  # fmt: skip
    pipeline.engine.dispose()


@pytest.mark.parametrize(
    ("args", "typed", "reason"),
    [
        (["bob", "--password-stdin"], "short\n", "at least 10 characters"),
        (["no spaces allowed", "--password-stdin"], PASSWORD + "\n", "must be 2 to 80"),
        (["bob", "--role", "owner", "--password-stdin"], PASSWORD + "\n", "'owner' is not one of"),
    ],
)
def test_create_user_refuses_bad_input_with_one_line(
    cli_env: dict[str, str], args: list[str], typed: str, reason: str
) -> None:
    result = CliRunner().invoke(main, ["create-user", *args], input=typed, env=cli_env)
    assert result.exit_code == 2 and reason in result.output
    assert "Traceback" not in result.output


def test_create_user_refuses_a_taken_name(cli_env: dict[str, str]) -> None:
    args = ["create-user", "ada", "--password-stdin"]
    assert CliRunner().invoke(main, args, input=PASSWORD, env=cli_env).exit_code == 0
    again = CliRunner().invoke(main, args, input=PASSWORD, env=cli_env)
    assert again.exit_code == 2 and "already a user 'ada'" in again.output


# Logging in and out


def test_readers_need_no_account_and_get_no_cookie(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    page = response.get_data(as_text=True)
    assert 'href="/login"' in page and "Staff log in" in page
    assert 'href="/review"' not in page and "Log out" not in page


def test_staff_pages_send_readers_to_the_login_page(client: FlaskClient) -> None:
    for url in ("/review", "/review/items/1", "/admin/sources", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")


def test_login_then_staff_nav_then_logout(client: FlaskClient) -> None:
    response = login(client, "eddie")
    assert response.status_code == 302 and response.headers["Location"] == "/review"
    home = client.get("/")
    page = home.get_data(as_text=True)
    assert 'href="/review"' in page and "Log out" in page and "Logged in as eddie" in page
    assert 'href="/admin/sources"' not in page  # editors do not administer
    assert home.headers["Cache-Control"] == "private, no-store"
    assert client.get("/logout").status_code == 405  # a link cannot log anyone out
    assert post(client, "/logout").status_code == 302
    assert client.get("/review").status_code == 302


def test_a_wrong_password_is_refused_with_the_same_words_as_an_unknown_name(
    client: FlaskClient,
) -> None:
    wrong = login(client, "eddie", "not the password").get_data(as_text=True)
    unknown = login(client, "nobody", "not the password").get_data(as_text=True)
    assert "Wrong username or password." in wrong and "Wrong username or password." in unknown
    assert client.get("/review").status_code == 302


def test_after_login_the_user_goes_where_they_were_going_but_never_off_site(app: Flask) -> None:
    for target, lands in [
        ("/admin/audit", "/admin/audit"),
        ("//evil.example", "/review"),
        ("https://evil.example/", "/review"),
        ("/\\evil.example", "/review"),
        ("/\t/evil.example", "/review"),
    ]:
        client = app.test_client()
        page = client.get(f"/login?next={target}").get_data(as_text=True)
        data = {"csrf_token": form_token(page), "username": "ada", "password": PASSWORD}
        response = client.post("/login", data={**data, "next": target})
        assert response.headers["Location"] == lands, target


def test_editors_may_not_open_admin_pages(client: FlaskClient) -> None:
    login(client, "eddie")
    assert client.get("/admin/sources").status_code == 403
    assert post(client, "/admin/sources/fr-bis/enabled", {"enabled": "0"}).status_code == 403


# Cookies


def _session_cookie(response: object) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]  # type: ignore[attr-defined]
    assert cookies, "no session cookie was set"
    return cookies[-1]


def test_the_session_cookie_is_httponly_and_samesite_lax_and_not_secure_over_http(
    client: FlaskClient,
) -> None:
    cookie = _session_cookie(login(client, "eddie"))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_the_session_cookie_is_secure_over_https(app: Flask) -> None:
    client = app.test_client()
    page = client.get("/login", base_url="https://tracker.example").get_data(as_text=True)
    data = {"csrf_token": form_token(page), "username": "eddie", "password": PASSWORD}
    response = client.post("/login", data=data, base_url="https://tracker.example")
    assert "; Secure" in _session_cookie(response)


def test_secure_cookies_can_be_forced_for_a_tls_proxy(tmp_path: Path) -> None:
    settings = Settings.from_env({"TRACKER_HOME": str(tmp_path), "TRACKER_SECURE_COOKIES": "1"})
    assert settings.secure_cookies is True
    pipeline = Pipeline(settings)
    pipeline.init()
    add_user(pipeline.engine, "eddie")
    app = create_app({"SETTINGS": settings})
    assert "; Secure" in _session_cookie(login(app.test_client(), "eddie"))
    app.extensions["tracker.engine"].dispose()
    pipeline.engine.dispose()
    with pytest.raises(ConfigError, match="TRACKER_SECURE_COOKIES"):
        Settings.from_env({"TRACKER_SECURE_COOKIES": "sometimes"})


# CSRF


def test_every_form_post_needs_the_sessions_token(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    data = {"username": "eddie", "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 400
    assert client.post("/login", data={**data, "csrf_token": "forged"}).status_code == 400
    login(client, "eddie")
    for url in ("/review/decide", "/review/items/1/tags", "/logout"):
        assert client.post(url, data={"csrf_token": form_token(page)}).status_code == 400
    assert client.get("/review").status_code == 200  # still logged in


def test_a_post_from_another_site_is_refused_even_with_a_token(client: FlaskClient) -> None:
    login(client, "eddie")
    with client.session_transaction() as session:
        token = session["csrf"]
    response = client.post("/logout", data={"csrf_token": token},
                           headers={"Origin": "https://evil.example"})  # fmt: skip
    assert response.status_code == 400
    assert client.post("/logout", data={"csrf_token": token},
                       headers={"Origin": "http://localhost"}).status_code == 302  # fmt: skip


def test_logging_in_gives_a_new_token(client: FlaskClient) -> None:
    before = form_token(client.get("/login").get_data(as_text=True))
    login(client, "eddie")
    with client.session_transaction() as session:
        assert session["csrf"] != before


# Throttling


def test_failed_logins_pause_the_account_then_lock_it(pipeline: Pipeline) -> None:
    add_user(pipeline.engine, "eddie")
    now = utcnow()
    with session_scope(pipeline.engine) as session:
        assert (
            attempt_login(session, "eddie", "wrong", now).message == "Wrong username or password."
        )
    with session_scope(pipeline.engine) as session:  # the first failure costs no wait
        assert attempt_login(session, "eddie", "wrong", now).retry_after == 0
    with session_scope(
        pipeline.engine
    ) as session:  # the second does: even the right password waits
        paused = attempt_login(session, "eddie", PASSWORD, now + timedelta(seconds=1))
    assert paused.user is None and 0 < paused.retry_after <= 2 and "wait" in paused.message
    moment = now
    for _ in range(3):  # failures three, four and five, each after the pause before it
        moment += timedelta(seconds=20)
        with session_scope(pipeline.engine) as session:
            assert attempt_login(session, "eddie", "wrong", moment).user is None
    with session_scope(pipeline.engine) as session:
        locked = attempt_login(session, "eddie", PASSWORD, moment + timedelta(minutes=14))
        assert locked.user is None and "locked" in locked.message
        assert session.exec(select(AuditLog).where(AuditLog.action == "user.lock")).first()
    with session_scope(pipeline.engine) as session:
        result = attempt_login(session, "eddie", PASSWORD, moment + timedelta(minutes=16))
    assert result.user is not None and result.user.username == "eddie"
    with session_scope(pipeline.engine) as session:
        user = session.exec(select(User)).one()
        assert (user.failed_logins, user.locked_until) == (0, None)


def test_the_login_page_says_how_long_to_wait(client: FlaskClient) -> None:
    login(client, "eddie", "wrong one")
    login(client, "eddie", "wrong two")
    response = login(client, "eddie")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) >= 1
    assert "Too many failed logins" in response.get_data(as_text=True)
