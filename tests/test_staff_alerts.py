"""Staff see and manage their own alert subscriptions at /account/alerts: those of the
address set on their account, with frequency and stop as CSRF-protected POSTs."""

from __future__ import annotations

from pathlib import Path

from alert_helpers import subscribe
from click.testing import CliRunner
from conftest import make_settings
from flask import Flask
from sqlmodel import select
from staff import PASSWORD, add_user, login, post

from tracker.cli import main
from tracker.models import AlertSubscription, AuditLog, User
from tracker.pipeline import Pipeline
from tracker.store import accounts
from tracker.store.engine import session_scope
from tracker.web import create_app


def _subs(p: Pipeline) -> dict[int, AlertSubscription]:
    with session_scope(p.engine) as session:
        return {s.id: s for s in session.exec(select(AlertSubscription))}  # type: ignore[misc]


def test_staff_manage_the_alerts_of_their_own_address(sqlite_pipeline: Pipeline) -> None:
    p = sqlite_pipeline
    add_user(p.engine, "maria")
    add_user(p.engine, "noaddress")
    with session_scope(p.engine) as session:
        accounts.set_email(session, "maria", "maria@example.org", "tests")
    mine = subscribe(p, "maria@example.org")
    bills = subscribe(p, "maria@example.org", path="/search", query="q=distillation",
                      frequency="daily")  # fmt: skip
    theirs = subscribe(p, "reader@example.org")
    app: Flask = create_app({"SETTINGS": p.settings})
    client = app.test_client()
    # A reader is sent to log in.
    assert client.get("/account/alerts").status_code == 302
    login(client, "maria")
    page = client.get("/account/alerts").get_data(as_text=True)
    assert "2 alerts to maria@example.org" in page
    assert f"/account/alerts/{mine}/frequency" in page and f"/account/alerts/{bills}/stop" in page
    assert f"/account/alerts/{theirs}/" not in page and "reader@example.org" not in page
    assert ">My alerts</a>" in page  # in the staff nav
    # Without the token: refused, nothing changes.
    bare = client.post(f"/account/alerts/{mine}/frequency", data={"frequency": "weekly"})
    assert bare.status_code == 400 and _subs(p)[mine].frequency == "immediate"
    assert post(client, f"/account/alerts/{mine}/frequency",
                {"frequency": "weekly"}).status_code == 302  # fmt: skip
    assert _subs(p)[mine].frequency == "weekly"
    assert post(client, f"/account/alerts/{mine}/frequency",
                {"frequency": "hourly"}).status_code == 400  # fmt: skip
    # Someone else's subscription is not there for this account.
    assert post(client, f"/account/alerts/{theirs}/stop").status_code == 404
    assert post(client, f"/account/alerts/{theirs}/frequency",
                {"frequency": "weekly"}).status_code == 404  # fmt: skip
    assert _subs(p)[theirs].unsubscribed_at is None and _subs(p)[theirs].frequency == "immediate"
    assert post(client, f"/account/alerts/{bills}/stop").status_code == 302
    assert _subs(p)[bills].unsubscribed_at is not None
    after = client.get("/account/alerts").get_data(as_text=True)
    assert "1 alert to maria@example.org" in after and "Stopped:" in after
    # An account with no address set is told how to set one, and manages nothing.
    other = app.test_client()
    login(other, "noaddress")
    text = other.get("/account/alerts").get_data(as_text=True)
    assert "tracker set-email noaddress" in text
    assert post(other, f"/account/alerts/{mine}/stop").status_code == 404
    app.extensions["tracker.engine"].dispose()


def test_set_email_checks_the_address_and_records_it(tmp_path: Path) -> None:
    cli_env = {"TRACKER_HOME": str(tmp_path)}
    runner = CliRunner()
    assert runner.invoke(main, ["create-user", "ada", "--password-stdin"], input=PASSWORD,
                         env=cli_env).exit_code == 0  # fmt: skip
    bad = runner.invoke(main, ["set-email", "ada", "not an address"], env=cli_env)
    assert bad.exit_code == 2 and "is not an email address" in bad.output
    done = runner.invoke(main, ["set-email", "ada", "ada@example.org"], env=cli_env)
    assert done.exit_code == 0 and "alerts to ada@example.org" in done.output, done.output
    pipeline = Pipeline(make_settings(Path(cli_env["TRACKER_HOME"])))
    with session_scope(pipeline.engine) as session:
        user = session.exec(select(User).where(User.username == "ada")).one()
        assert user.email == "ada@example.org"
        actions = [e.action for e in session.exec(select(AuditLog))]
        assert actions[-1] == "user.email"
    pipeline.engine.dispose()
    cleared = runner.invoke(main, ["set-email", "ada", ""], env=cli_env)
    assert cleared.exit_code == 0 and "no alerts address" in cleared.output
