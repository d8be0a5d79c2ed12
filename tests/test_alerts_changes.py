"""An item listed again in a digest as "updated" says what changed, in both parts of the mail."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from alert_helpers import ingest, letter, subscribe
from mail_server import parts, smtp_server

from tracker.alerts import send
from tracker.pipeline import Pipeline

BASE = "https://tracker.example.org"


def test_an_updated_item_carries_its_change_summary_in_text_and_html(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    p = pipeline
    subscribe(p, "reader@example.org")
    ingest(p, tmp_path, [letter(1), letter(2)], "one")
    with smtp_server() as (url, received):
        settings = dataclasses.replace(p.settings, smtp_url=url, base_url=BASE)
        send.run(settings, p.engine)
        first = [m for m in received.to("reader@example.org") if "Confirm" not in m["Subject"]]
        assert len(first) == 1
        # The source corrects letter 1's text; letter 2 is unchanged.
        fixed = letter(1, extra="Export licences for frontier weights")
        ingest(p, tmp_path, [fixed, letter(2)], "fixed")
        report = send.run(settings, p.engine)
        assert report.queued == 1 and report.errors == []
        digests = [m for m in received.to("reader@example.org") if "Confirm" not in m["Subject"]]
    mail = digests[-1]
    assert mail["Subject"] == "1 updated: Model distillation · Letter"
    text, html = parts(mail)
    for body in (text, html):
        assert letter(1)[1] in body
        assert letter(2)[1] not in body
        # The one-line summary of the change (tracker.wording_diff.change_summary).
        assert "Changed: text: 5 words inserted" in body, body
    assert "[Updated]" in text
    assert "Updated:" in html
