"""Alert mails through a real SMTP server on 127.0.0.1: confirmation, digests, crashes,
one-click unsubscribe, bounces, a hostile title and the per-address cap."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import sqlalchemy as sa
from alert_helpers import ingest, letter, outbox, subscribe
from cli_processes import tracker_env
from flask import Flask
from mail_server import parts, smtp_server
from sqlmodel import select

from tracker.alerts import send
from tracker.config import Settings
from tracker.models import AlertOutbox, Item, table_of
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.web import create_app
from tracker.worker import Worker, WorkerSettings

BASE = "https://tracker.example.org"


def with_smtp(settings: Settings, url: str, **more: object) -> Settings:
    return dataclasses.replace(settings, smtp_url=url, base_url=BASE, **more)


def test_a_digest_carries_each_item_with_its_facts_and_unsubscribe_headers(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    subscribe(p, "reader@example.org")
    ingest(p, tmp_path, [letter(1)], "one")
    with smtp_server() as (url, received):
        report = send.run(with_smtp(p.settings, url), p.engine)
        assert report.queued == 1 and report.errors == []
        [mail] = [m for m in received.to("reader@example.org") if "Confirm" not in m["Subject"]]
    assert mail["Subject"] == "1 new: Model distillation · Letter"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(https://tracker\.example\.org/alerts/unsubscribe/\S+)>",
                               mail["List-Unsubscribe"])  # fmt: skip
    assert unsubscribe
    text, html = parts(mail)
    [row] = p.engine.connect().execute(sa.select(table_of(Item).c.id)).scalars().all()
    for body in (text, html):
        assert letter(1)[1] in body
        assert f"{BASE}/items/{row}" in body
        assert "Letter" in body and "Model distillation" in body and "file-letters" in body.lower()
    assert unsubscribe.group(1) in text


def test_nothing_is_repeated_across_a_kill_between_decision_and_delivery(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    subscribe(p, "reader@example.org")
    ingest(p, tmp_path, [letter(1), letter(2)], "two")
    with smtp_server() as (url, received):
        env = tracker_env(p.settings.home, p.settings.database_url, TRACKER_SMTP_URL=url,
                          TRACKER_BASE_URL=BASE)  # fmt: skip
        killed = subprocess.run(
            [sys.executable, "-c", DECIDE_THEN_DIE], env=env, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        assert killed.returncode == -9, killed.stderr
        assert killed.stdout.strip() == "queued 1"
        [queued] = outbox(p)
        assert queued.sent_at is None and received.all() == []
        for _ in range(2):  # the next run delivers; the one after finds nothing to do
            done = subprocess.run(
                [sys.executable, "-m", "tracker.cli", "alerts", "send"], env=env,
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            assert done.returncode == 0, done.stderr
        digests = [m for m in received.to("reader@example.org") if "Confirm" not in m["Subject"]]
    assert len(digests) == 1 and digests[0]["Subject"].startswith("2 new")
    assert outbox(p)[0].sent_at is not None


DECIDE_THEN_DIE = """
import os, signal
from tracker.alerts.send import decide_all
from tracker.config import Settings
from tracker.store.engine import make_engine
settings = Settings.from_env()
print("queued", decide_all(settings, make_engine(settings)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)  # after the commit, before any delivery
"""


def test_a_bounced_address_is_marked_failed_and_the_others_still_go(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    bad = subscribe(p, "bounce@example.org")
    subscribe(p, "reader@example.org")
    ingest(p, tmp_path, [letter(1)], "one")
    with smtp_server() as (url, received):
        report = send.run(with_smtp(p.settings, url), p.engine)
        assert len(received.to("reader@example.org")) == 2  # confirmation and digest
        assert received.to("bounce@example.org") == []
    failed = {m.subscription_id: m for m in _all_mails(p) if m.failed_at is not None}
    assert set(failed) == {bad}
    assert all(m.last_error and m.last_error.startswith("550") and "no such user" in m.last_error
               for m in failed.values())  # fmt: skip
    assert report.states["failed"] == 2 and any("bounce@example.org" in e for e in report.errors)


def test_a_hostile_title_injects_no_header_and_no_script(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    subscribe(p, "reader@example.org")
    ingest(p, tmp_path, [letter(1)], "one")
    hostile = ("Letter\r\nBcc: victim@example.net\r\nSubject: pwned\n\n"
               "<script>alert(1)</script><img src=x onerror=alert(2)>")  # fmt: skip
    with session_scope(p.engine) as session:
        session.execute(sa.update(table_of(Item)).values(title=hostile))
    with smtp_server() as (url, received):
        send.run(with_smtp(p.settings, url), p.engine)
        [mail] = [m for m in received.all() if "Confirm" not in m["Subject"]]
        assert received.to("victim@example.net") == []
    assert mail["Bcc"] is None and len(mail.get_all("Subject") or []) == 1
    text, html = parts(mail)
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" in text  # the text part shows it as the words it is


def test_one_click_unsubscribe_needs_no_token_and_stops_the_alerts(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    subscribe(p, "reader@example.org")
    ingest(p, tmp_path, [letter(1)], "one")
    with smtp_server() as (url, received):
        settings = with_smtp(p.settings, url)
        send.run(settings, p.engine)
        [mail] = [m for m in received.all() if "Confirm" not in m["Subject"]]
        link = mail["List-Unsubscribe"].strip("<>")
        app: Flask = create_app({"SETTINGS": settings})
        client = app.test_client()  # a mail program: no session, no token
        for _ in range(2):  # idempotent
            answer = client.post(link.removeprefix(BASE), data={"List-Unsubscribe": "One-Click"})
            assert answer.status_code == 200
            assert "No more alerts" in answer.get_data(as_text=True)
        assert client.post(link.removeprefix(BASE) + "x").status_code == 404  # altered: refused
        ingest(p, tmp_path, [letter(1), letter(2)], "two")
        assert send.run(settings, p.engine).queued == 0
        assert len(received.all()) == 2  # the confirmation and the one digest
        app.extensions["tracker.engine"].dispose()


def test_the_per_address_cap_holds_mails_back(sqlite_pipeline: Pipeline, tmp_path: Path) -> None:
    p = sqlite_pipeline
    subscribe(p, "reader@example.org")
    subscribe(p, "reader@example.org", query="")
    ingest(p, tmp_path, [letter(1)], "one")
    with smtp_server() as (url, received):
        report = send.run(with_smtp(p.settings, url, alert_cap=1), p.engine)
        assert len(received.to("reader@example.org")) == 1
    assert report.states["later"] == 3
    held = [m for m in _all_mails(p) if m.sent_at is None]
    assert len(held) == 3 and all("cap of 1" in (m.last_error or "") for m in held)


def _all_mails(p: Pipeline) -> list[AlertOutbox]:
    with session_scope(p.engine) as session:
        return list(session.exec(select(AlertOutbox).order_by(AlertOutbox.id)))  # type: ignore[arg-type]


def test_two_senders_at_once_deliver_each_mail_once(pipeline: Pipeline, tmp_path: Path) -> None:
    p = pipeline
    for n in range(12):
        subscribe(p, f"reader{n}@example.org")
    ingest(p, tmp_path, [letter(1)], "one")
    with smtp_server() as (url, received):
        settings = with_smtp(p.settings, url)
        assert send.decide_all(settings, p.engine) == 12
        reports: list[send.Report] = []
        threads = [threading.Thread(target=lambda: reports.append(send.deliver(settings, p.engine)))
                   for _ in range(3)]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        got = sorted(str(m["To"]) for m in received.all() if "Confirm" not in m["Subject"])
    assert got == sorted(f"reader{n}@example.org" for n in range(12))
    assert sum(r.states["sent"] for r in reports) == 24  # 12 confirmations, 12 digests


def test_the_fetch_worker_sends_alerts_too(sqlite_pipeline: Pipeline, tmp_path: Path) -> None:
    p = sqlite_pipeline
    subscribe(p, "reader@example.org")
    ingest(p, tmp_path, [letter(1)], "one")
    quick = WorkerSettings(concurrency=1, heartbeat_seconds=0.5, settle_seconds=0.1,
                           alerts_seconds=0.2)  # fmt: skip
    with smtp_server() as (url, received):
        worker = Worker(Pipeline(with_smtp(p.settings, url), p.engine), quick,
                        report=lambda _line: None)  # fmt: skip
        worker.start()
        try:
            deadline = time.monotonic() + 30
            while len(received.all()) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            worker.stop(grace=5)
        subjects = sorted(m["Subject"] for m in received.all())
    assert subjects == ["1 new: Model distillation · Letter",
                        "Confirm your alerts: Model distillation · Letter"]  # fmt: skip
