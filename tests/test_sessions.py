"""Logging out, a new password and a new role end every session cookie signed before,
including copies of it; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import select
from staff import PASSWORD, add_user, login, post

from tracker.cli import main
from tracker.models import AuditLog, User
from tracker.pipeline import Pipeline
from tracker.store.engine import alembic_config, session_scope
from tracker.web import create_app

NEW_PASSWORD = "another long enough password"


@pytest.fixture
def app(pipeline: Pipeline) -> Iterator[Flask]:
    add_user(pipeline.engine, "eddie", "editor")
    add_user(pipeline.engine, "ada", "admin")
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    yield app
    app.extensions["tracker.engine"].dispose()


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of `client`'s session cookie."""
    cookie = client.get_cookie("session")
    assert cookie is not None, "not logged in"
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def _cli(pipeline: Pipeline, *args: str, typed: str = "") -> None:
    env = {"TRACKER_HOME": str(pipeline.settings.home),
           "TRACKER_DATABASE_URL": pipeline.settings.database_url}  # fmt: skip
    result = CliRunner().invoke(main, list(args), input=typed, env=env)
    assert result.exit_code == 0, result.output


def test_logging_out_ends_a_copied_cookie(app: Flask) -> None:
    client = app.test_client()
    login(client, "eddie")
    thief = _copy(app, client)
    assert thief.get("/review").status_code == 200
    assert post(client, "/logout").status_code == 302
    refused = thief.get("/review")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert thief.get("/admin/audit").status_code == 302


def test_logging_out_ends_the_users_other_sessions_but_not_other_users(app: Flask) -> None:
    laptop, phone, colleague = app.test_client(), app.test_client(), app.test_client()
    login(laptop, "eddie")
    login(phone, "eddie")
    login(colleague, "ada")
    post(laptop, "/logout")
    assert phone.get("/review").status_code == 302
    assert colleague.get("/review").status_code == 200
    login(laptop, "eddie")  # logging in again works at once
    assert laptop.get("/review").status_code == 200


def test_a_new_password_ends_every_session_and_the_old_password(
    app: Flask, pipeline: Pipeline
) -> None:
    client = app.test_client()
    login(client, "eddie")
    thief = _copy(app, client)
    _cli(pipeline, "set-password", "eddie", "--password-stdin", typed=NEW_PASSWORD + "\n")
    assert client.get("/review").status_code == 302 and thief.get("/review").status_code == 302
    assert "Wrong username or password." in login(client, "eddie").get_data(as_text=True)
    assert login(client, "eddie", NEW_PASSWORD).headers["Location"] == "/review"
    assert client.get("/review").status_code == 200
    with session_scope(pipeline.engine) as session:
        entry = session.exec(select(AuditLog).where(AuditLog.action == "user.password")).one()
        assert entry.actor == "(command line)" and "hash" not in str(entry.after)


def test_a_new_role_ends_every_session(app: Flask, pipeline: Pipeline) -> None:
    client = app.test_client()
    login(client, "ada")
    thief = _copy(app, client)
    assert thief.get("/admin/sources").status_code == 200
    _cli(pipeline, "set-role", "ada", "editor")
    for browser in (client, thief):
        refused = browser.get("/admin/sources")
        assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    login(client, "ada")
    assert client.get("/admin/sources").status_code == 403  # an editor now
    assert client.get("/review").status_code == 200
    with session_scope(pipeline.engine) as session:
        user = session.exec(select(User).where(User.username == "ada")).one()
        assert user.role == "editor"
        entry = session.exec(select(AuditLog).where(AuditLog.action == "user.role")).one()
        assert (entry.before, entry.after) == (
            {"username": "ada", "role": "admin"}, {"username": "ada", "role": "editor"}
        )  # fmt: skip


def test_set_role_and_set_password_refuse_an_unknown_user_in_one_line(pipeline: Pipeline) -> None:
    env = {"TRACKER_HOME": str(pipeline.settings.home),
           "TRACKER_DATABASE_URL": pipeline.settings.database_url}  # fmt: skip
    tries = [(["set-role", "nobody", "admin"], ""),
             (["set-password", "nobody", "--password-stdin"], PASSWORD + "\n")]  # fmt: skip
    for args, typed in tries:
        result = CliRunner().invoke(main, args, input=typed, env=env)
        assert result.exit_code == 2 and "there is no user 'nobody'" in result.output
        assert "Traceback" not in result.output


def test_a_cookie_signed_before_generations_is_not_a_session(app: Flask) -> None:
    client = app.test_client()
    login(client, "eddie")
    with client.session_transaction() as session:
        del session["gen"]  # as cookies signed before the upgrade are
    assert client.get("/review").status_code == 302


def test_the_generation_migration_keeps_every_user_at_generation_zero(pipeline: Pipeline) -> None:
    add_user(pipeline.engine, "eddie")
    with pipeline.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
        assert "session_generation" not in {c["name"] for c in sa.inspect(conn).get_columns("user")}
        command.upgrade(cfg, "head")
    with session_scope(pipeline.engine) as session:
        user = session.exec(select(User)).one()
        assert (user.username, user.session_generation) == ("eddie", 0)


def test_a_readers_request_builds_no_signing_serializer_and_staff_still_log_in(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    interface = app.session_interface
    built: list[str] = []
    serializer = interface.get_signing_serializer  # type: ignore[attr-defined]

    def counted(flask_app: Flask) -> object:
        built.append("serializer")
        return serializer(flask_app)

    monkeypatch.setattr(interface, "get_signing_serializer", counted)
    reader = app.test_client()
    response = reader.get("/sources")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert built == []  # no cookie: nothing to verify
    client = app.test_client()
    login(client, "eddie")
    assert client.get("/review").status_code == 200 and built  # a cookie is still verified
    forged = app.test_client()
    forged.set_cookie("session", "not-signed")
    assert forged.get("/review").status_code == 302
