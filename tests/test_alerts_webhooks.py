"""Alert webhooks through a real receiver on 127.0.0.1: signed payloads, retries with
backoff, a receiver that is down, refused private addresses, no redirects, a hostile
title, and each item once across a SIGKILL between decision and delivery."""

from __future__ import annotations

import dataclasses
import json
import socket
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alert_helpers import ingest, letter, outbox, subscribe
from cli_processes import tracker_env
from sqlmodel import select
from webhook_receiver import Post, receiver

from tracker.alerts import send, webhook_payload, webhooks
from tracker.alerts.webhook_payload import verify
from tracker.config import Settings
from tracker.models import AlertSubscription, Item, table_of, utcnow
from tracker.pipeline import Pipeline
from tracker.store import subscriptions
from tracker.store.engine import alembic_config, session_scope
from tracker.store.locks import write_scope

BASE = "https://tracker.example.org"


def hooked(settings: Settings, loopback: bool = True) -> Settings:
    return dataclasses.replace(settings, base_url=BASE, webhook_allow_loopback=loopback)


def hook(p: Pipeline, url: str, style: str = "json", only: bool = False,
         email: str = "desk@example.org") -> tuple[int, str]:  # fmt: skip
    """A confirmed subscription to distillation letters posting to `url`; its id and secret."""
    with write_scope(p.engine) as session:
        signup = subscriptions.subscribe(
            session, email=email, path="/topics/distillation", query="type=letter",
            label="Model distillation · Letter", frequency="immediate",
            site="http://tracker.test", webhook_url=url, webhook_style=style, webhook_only=only,
        )  # fmt: skip
        sub = session.get(AlertSubscription, signup.subscription_id)
        assert sub is not None and subscriptions.confirm(session, sub)
        assert len(sub.webhook_secret) == 64
        return signup.subscription_id, sub.webhook_secret


def signed(post: Post, secret: str) -> bool:
    h = {k.lower(): v for k, v in post.headers.items()}
    return verify(secret, h["x-tracker-timestamp"], post.body, h["x-tracker-signature"])


def item_ids(p: Pipeline) -> list[int]:
    with p.engine.connect() as c:
        return list(c.execute(sa.select(table_of(Item).c.id).order_by(table_of(Item).c.id))
                    .scalars())  # fmt: skip


def test_the_payload_carries_each_item_and_its_signature_verifies(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    with receiver() as rx:
        _, secret = hook(p, rx.url)
        ingest(p, tmp_path, [letter(1)], "one")
        report = send.run(hooked(p.settings), p.engine)
        assert report.errors == [] and report.states["sent"] == 3  # confirm, digest and post
    assert [r.sent_at is not None for r in outbox(p, "digest") + outbox(p, "webhook")] == [True] * 2
    [post] = rx.posts
    assert post.path == "/hook" and signed(post, secret)
    h = {k.lower(): v for k, v in post.headers.items()}
    assert h["content-type"].startswith("application/json") and h["host"].startswith("127.0.0.1")
    assert not verify(secret, h["x-tracker-timestamp"], post.body + b" ", h["x-tracker-signature"])
    assert not verify("another secret", h["x-tracker-timestamp"], post.body,
                      h["x-tracker-signature"])  # fmt: skip
    old = str(int(h["x-tracker-timestamp"]) - 3600)  # a replay an hour later is refused
    assert not verify(secret, old, post.body, h["x-tracker-signature"])
    payload = json.loads(post.body)
    [item] = payload["items"]
    [row] = item_ids(p)
    assert item["id"] == row and item["title"] == letter(1)[1] and item["updated"] is False
    assert item["type"] == "letter" and item["source"] and item["date"]
    assert "Model distillation" in item["tags"]
    assert item["url"] == f"{BASE}/items/{row}"
    assert payload["view"]["url"] == f"{BASE}/topics/distillation?type=letter"
    assert h["x-tracker-delivery"] == str(payload["delivery"])


def test_a_500_is_retried_with_backoff_and_delivered_once_later(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    with receiver(answers=[500]) as rx:
        _, secret = hook(p, rx.url, only=True)
        ingest(p, tmp_path, [letter(1)], "one")
        t0 = utcnow()
        send.run(hooked(p.settings), p.engine, now=t0)
        [row] = outbox(p, "webhook")
        assert row.sent_at is None and row.failed_at is None and row.attempts == 1
        assert row.next_attempt_at == t0 + timedelta(minutes=1)
        assert "answered 500" in (row.last_error or "")
        send.deliver(hooked(p.settings), p.engine, now=t0 + timedelta(seconds=30))
        assert len(rx.posts) == 1  # not due yet
        for _ in range(2):
            send.deliver(hooked(p.settings), p.engine, now=t0 + timedelta(minutes=2))
        [row] = outbox(p, "webhook")
        assert row.sent_at is not None and row.attempts == 2
    assert len(rx.posts) == 2 and all(signed(post, secret) for post in rx.posts)
    assert rx.posts[0].body == rx.posts[1].body  # the same delivery, signed again
    assert outbox(p, "digest") == []  # webhook only: no digest mail


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_receiver_that_is_down_keeps_the_post_pending(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    hook(p, f"http://127.0.0.1:{free_port()}/hook", only=True)
    ingest(p, tmp_path, [letter(1)], "one")
    send.run(hooked(p.settings), p.engine)
    [row] = outbox(p, "webhook")
    assert row.sent_at is None and row.failed_at is None and row.attempts == 1
    assert "could not be reached" in (row.last_error or "")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/hook", "10.1.2.3, a private address"),
        ("http://169.254.169.254/latest/meta-data", "a cloud metadata address"),
        ("http://[::1]:8080/hook", "::1, a loopback address"),
        ("http://localhost:8080/hook", "a loopback address"),
        ("http://[::ffff:10.0.0.1]/hook", "a private address"),
        ("file:///etc/passwd", "not an http or https URL"),
        ("http://user:pw@example.org/hook", "user name or password"),
    ],
)
def test_private_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(webhooks.Refused) as refused:
        webhooks.check(url, allow_loopback=False)
    assert reason in str(refused.value)


def test_the_test_setting_admits_loopback_and_nothing_else() -> None:
    assert str(webhooks.check("http://127.0.0.1:9/x", allow_loopback=True).address) == "127.0.0.1"
    for url in ("http://10.1.2.3/x", "http://169.254.169.254/x", "http://192.168.0.1/x"):
        with pytest.raises(webhooks.Refused):
            webhooks.check(url, allow_loopback=True)


def test_private_addresses_are_refused_at_delivery_too(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    with receiver() as rx:
        # Written straight to the store (the form would refuse them): the post must not go.
        hook(p, rx.url, only=True, email="a@example.org")
        hook(p, "http://169.254.169.254/latest/meta-data", only=True, email="b@example.org")
        ingest(p, tmp_path, [letter(1)], "one")
        send.run(hooked(p.settings, loopback=False), p.engine)
    assert rx.posts == []
    rows = outbox(p, "webhook")
    assert len(rows) == 2 and all(r.failed_at is not None and r.sent_at is None for r in rows)
    assert "127.0.0.1, a loopback address" in (rows[0].last_error or "")
    assert "a cloud metadata address" in (rows[1].last_error or "")


def test_a_post_goes_to_the_checked_address_with_the_name_as_host(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    with receiver() as rx:
        port = rx.url.split(":")[2].split("/")[0]
        _, secret = hook(p, f"http://localhost:{port}/hook?team=1", only=True)
        ingest(p, tmp_path, [letter(1)], "one")
        send.run(hooked(p.settings), p.engine)
    [post] = rx.posts
    assert post.path == "/hook?team=1" and signed(post, secret)
    assert {k.lower(): v for k, v in post.headers.items()}["host"] == f"localhost:{port}"


def test_only_the_start_of_a_huge_answer_is_read(sqlite_pipeline: Pipeline, tmp_path: Path) -> None:
    p = sqlite_pipeline
    with receiver(answers=[500]) as rx:
        rx.big = 1024**3  # a gigabyte the sender must not wait for
        hook(p, rx.url, only=True)
        ingest(p, tmp_path, [letter(1)], "one")
        send.run(hooked(p.settings), p.engine)
    [row] = outbox(p, "webhook")
    assert row.attempts == 1 and row.sent_at is None and row.failed_at is None
    assert (row.last_error or "").startswith("the webhook answered 500: xxx")
    assert len(row.last_error or "") < 300
    assert rx.written < 64 * 1024**2  # the sender hung up long before the end


def test_a_redirect_is_not_followed(sqlite_pipeline: Pipeline, tmp_path: Path) -> None:
    p = sqlite_pipeline
    with receiver(answers=[302]) as rx:
        hook(p, rx.url, only=True)
        ingest(p, tmp_path, [letter(1)], "one")
        send.run(hooked(p.settings), p.engine)
    assert [post.path for post in rx.posts] == ["/hook"]
    [row] = outbox(p, "webhook")
    assert row.failed_at is not None and "redirects are not followed" in (row.last_error or "")


HOSTILE = 'Senators on distillation "quoted" & <!channel> <http://evil.example|click> \\ end'


def test_a_hostile_title_is_escaped_in_json_and_in_slack_text(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    with receiver() as rx:
        hook(p, rx.url, only=True, email="a@example.org")
        _, secret = hook(p, rx.url, style="slack", only=True, email="b@example.org")
        ingest(p, tmp_path, [letter(1)], "one")
        with write_scope(p.engine) as session:  # ingest strips markup: a title as a peer sent it
            session.execute(sa.update(table_of(Item)).values(title=HOSTILE))
        send.run(hooked(p.settings), p.engine)
    title = HOSTILE
    plain, slack = rx.posts
    assert json.loads(plain.body)["items"][0]["title"] == title
    assert b'\\"quoted\\"' in plain.body and b"\\\\ end" in plain.body
    assert signed(slack, secret)
    message = json.loads(slack.body)
    for text in [message["text"], *(b["text"]["text"] for b in message["blocks"][1:])]:
        assert "<!channel>" not in text and "<http://evil" not in text
        assert "&lt;!channel&gt;" in text and "&amp;" in text
        assert f"<{BASE}/items/" in text
        assert text.count("<") == text.count(f"<{BASE}/")  # this site's links, no other
    assert message["text"].startswith("1 new in <")


def test_each_item_reaches_the_webhook_once_across_a_kill(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    with receiver() as rx:
        _, secret = hook(p, rx.url)
        ingest(p, tmp_path, [letter(1), letter(2)], "two")
        env = tracker_env(p.settings.home, p.settings.database_url, TRACKER_BASE_URL=BASE,
                          TRACKER_WEBHOOK_ALLOW_LOOPBACK="1")  # fmt: skip
        killed = subprocess.run([sys.executable, "-c", DECIDE_THEN_DIE], env=env,
                                capture_output=True, text=True, timeout=120)  # fmt: skip
        assert killed.returncode == -9, killed.stderr
        assert killed.stdout.strip() == "queued 1"
        [queued] = outbox(p, "webhook")
        assert queued.sent_at is None and rx.posts == []
        for _ in range(2):  # the next run posts; the one after finds nothing to do
            done = subprocess.run([sys.executable, "-m", "tracker.cli", "alerts", "send"],
                                  env=env, capture_output=True, text=True, timeout=120)  # fmt: skip
            assert done.returncode == 0, done.stderr
        ingest(p, tmp_path, [letter(1), letter(2)], "again")  # unchanged: nothing new
        send.run(hooked(p.settings), p.engine)
    [post] = rx.posts
    assert signed(post, secret)
    assert sorted(i["id"] for i in json.loads(post.body)["items"]) == item_ids(p)
    assert outbox(p, "webhook")[0].sent_at is not None and len(outbox(p, "digest")) == 1


DECIDE_THEN_DIE = """
import os, signal
from tracker.alerts.send import decide_all
from tracker.config import Settings
from tracker.store.engine import make_engine
settings = Settings.from_env()
print("queued", decide_all(settings, make_engine(settings)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before any post
"""


def test_an_updated_item_is_posted_again_marked_updated(pipeline: Pipeline, tmp_path: Path) -> None:
    p = pipeline
    with receiver() as rx:
        hook(p, rx.url, only=True)
        ingest(p, tmp_path, [letter(1)], "one")
        send.run(hooked(p.settings), p.engine)
        ingest(p, tmp_path, [letter(1, extra="A corrected paragraph.")], "changed")
        send.run(hooked(p.settings), p.engine)
    first, second = (json.loads(post.body)["items"] for post in rx.posts)
    assert [i["updated"] for i in first] == [False] and [i["updated"] for i in second] == [True]
    assert first[0]["id"] == second[0]["id"]
    assert first[0]["change"] == "" and second[0]["change"] == "text: 3 words inserted"


def test_the_readme_recipe_verifies_a_post() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    recipe = readme.split("**Verifying a post.**")[1].split("```python")[1].split("```")[0]
    space: dict[str, object] = {}
    exec(textwrap.dedent(recipe), space)
    check = space["verify"]
    body = b'{"event":"digest","items":[]}'
    sent = webhook_payload.headers("s3cret", body, 7, "test")
    assert check("s3cret", sent, body) is True  # type: ignore[operator]
    assert check("s3cret", sent, body + b" ") is False  # type: ignore[operator]
    assert check("other", sent, body) is False  # type: ignore[operator]


def test_migration_0018_keeps_earlier_subscriptions_as_mail_only(pipeline: Pipeline) -> None:
    p = pipeline
    subscribe(p, "reader@example.org")
    with p.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0017")
        columns = {c["name"] for c in sa.inspect(conn).get_columns("alert_subscription")}
        assert "webhook_url" not in columns and "email" in columns
        command.upgrade(cfg, "head")
    with session_scope(p.engine) as session:
        sub = session.exec(select(AlertSubscription)).one()
    assert sub.email == "reader@example.org" and sub.confirmed_at is not None
    assert (sub.webhook_url, sub.webhook_style, sub.webhook_secret, sub.webhook_only) == (
        "", "json", "", False)  # fmt: skip
