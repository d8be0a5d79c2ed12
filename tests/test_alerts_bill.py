"""A bill's page offers "Get alerts" for its own view, and that alert follows the same
filter as the bill's feed /bills/<congress>/<code>.rss: the items that name the bill."""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path

import feedparser
from alert_helpers import letter, letter_feed
from mail_server import parts, smtp_server

from tracker.alerts import send
from tracker.pipeline import Pipeline
from tracker.web import create_app

BILLSTATUS = Path(__file__).parent / "data" / "billstatus" / "BILLSTATUS-117hr2471.xml"
BASE = "https://tracker.example.org"
WHEN_117 = "Tue, 15 Mar 2022 14:00:00 GMT"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def test_the_bill_page_alert_follows_the_bills_feed(
    sqlite_pipeline: Pipeline, tmp_path: Path
) -> None:
    p = sqlite_pipeline
    assert p.ingest_file(BILLSTATUS, "congress-bills", "billstatus").status == "ok"
    p.settle()
    with smtp_server() as (url, received):
        settings = dataclasses.replace(p.settings, smtp_url=url, base_url=BASE)
        app = create_app({"SETTINGS": settings})
        client = app.test_client()
        page = client.get("/bills/117/hr2471").get_data(as_text=True)
        assert 'action="/alerts/new"' in page and ">Get alerts</button>" in page
        form = page.split('action="/alerts/new"')[1].split("</form>")[0]
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
        assert fields == {"path": "/bills/117/hr2471"}
        signup = client.get("/alerts/new", query_string=fields)
        assert signup.status_code == 200
        text = signup.get_data(as_text=True)
        assert "H.R. 2471" in text
        hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', text))
        hidden = {k: html.unescape(v) for k, v in hidden.items()}
        answer = client.post("/alerts/new", data={**hidden, "email": "staffer@example.org",
                                                  "frequency": "immediate"})  # fmt: skip
        assert answer.status_code == 200, answer.get_data(as_text=True)
        [confirm] = received.to("staffer@example.org")
        link = re.search(rf"{BASE}(/alerts/confirm/\S+)", parts(confirm)[0])
        assert link
        token = _TOKEN.search(client.get(link.group(1)).get_data(as_text=True))
        assert token
        client.post(link.group(1), data={"csrf_token": token.group(1)})
        # One letter names the bill, one does not; both written while the 117th Congress sat,
        # so "H.R. 2471" means this bill.
        naming = letter(1, extra="The Consolidated Appropriations Act, 2022 (H.R. 2471) funds it.")
        feed_file = letter_feed(tmp_path / "letters.xml", [naming, letter(2)], WHEN_117)
        assert p.ingest_file(feed_file, "file-letters", "rss").status == "ok"
        p.settle()
        assert send.run(settings, p.engine).queued == 1
        [digest] = [m for m in received.to("staffer@example.org") if "Confirm" not in m["Subject"]]
        feed = feedparser.parse(client.get("/bills/117/hr2471.rss").data)
        app.extensions["tracker.engine"].dispose()
    text, _ = parts(digest)
    assert naming[1] in text and letter(2)[1] not in text
    # The feed of the same view carries the same new letter, and not the other.
    titles = {e.title for e in feed.entries}
    assert naming[1] in titles and letter(2)[1] not in titles
