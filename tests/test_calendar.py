"""The calendar: entries written at ingest, kept across updates, served as `.ics` and HTML.

Each test runs on SQLite and on PostgreSQL (the `pipeline` fixture). Calendar
files are read back with the `icalendar` library and every required property
is checked; links are followed to the item pages they name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar

from tracker.models import CalendarEntry, table_of
from tracker.pipeline import Pipeline
from tracker.store.calendar_sync import backfill
from tracker.store.engine import alembic_config, migrate
from tracker.web import create_app

YEAR = datetime.now(UTC).year + 1  # always ahead, whenever the tests run
REQUIRED = ("UID", "DTSTAMP", "DTSTART", "SUMMARY", "URL")


def schedule(*meetings: tuple[str, str, str]) -> bytes:
    """A Senate hearing schedule: (identifier, date as the Senate writes it, matter)."""
    body = "".join(
        f"<meeting><identifier>{ident}</identifier><cmte_code>SSBK00</cmte_code>"
        f'<committee url="https://www.banking.senate.gov/hearings">Banking, Housing, and Urban '
        f"Affairs</committee><date>{when}</date><room>SD-538</room><matter>{matter}</matter>"
        "</meeting>"
        for ident, when, matter in meetings
    )
    return f'<?xml version="1.0"?><css_meetings_scheduled>{body}</css_meetings_scheduled>'.encode()


FIRST = schedule(
    ("900001", f"13-May-{YEAR} 10:00 AM",
     "Hearings to examine adversarial distillation of American AI models."),
    ("900002", f"14-May-{YEAR} 02:30 PM", "Hearings to examine export controls on chips."),
)  # fmt: skip
MOVED = schedule(
    ("900001", f"20-May-{YEAR} 09:30 AM",
     "Hearings to examine adversarial distillation of American AI models."),
    ("900002", f"14-May-{YEAR} 02:30 PM",
     "POSTPONED: Hearings to examine export controls on chips."),
)  # fmt: skip
FR_PAGE = {
    "count": 1,
    "results": [{
        "document_number": "2099-01234", "type": "Proposed Rule",
        "title": "Reporting requirements for large model training runs",
        "abstract": "The agency proposes reporting requirements and requests comments.",
        "publication_date": f"{YEAR}-01-05", "comments_close_on": f"{YEAR}-03-06",
        "effective_on": None, "html_url": "https://www.federalregister.gov/d/2099-01234",
        "agencies": [{"name": "Commerce Department"}],
    }],
}  # fmt: skip


def ingest(pipeline: Pipeline, tmp: Path, name: str, content: bytes, slug: str) -> None:
    path = tmp / name
    path.write_bytes(content)
    outcome = pipeline.ingest_file(path, slug)
    assert outcome.status == "ok", outcome.error


@contextmanager
def site(pipeline: Pipeline) -> Iterator[Flask]:
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True, "VERSION_TTL": 0})
    try:
        yield app
    finally:
        app.extensions["tracker.engine"].dispose()


@pytest.fixture
def app(pipeline: Pipeline, tmp_path: Path) -> Iterator[Flask]:
    ingest(pipeline, tmp_path, "hearings.xml", FIRST, "senate-test")
    ingest(pipeline, tmp_path, "fr.json", json.dumps(FR_PAGE).encode(), "fr-test")
    with site(pipeline) as app:
        yield app


def events(client: FlaskClient, path: str) -> dict[str, dict[str, object]]:
    response = client.get(path)
    assert response.status_code == 200, response.data[:300]
    assert response.headers["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0" and "Policy Tracker" in str(calendar["PRODID"])
    found = {}
    for event in calendar.walk("VEVENT"):
        missing = [name for name in REQUIRED if name not in event]
        assert not missing, f"{event.get('SUMMARY')} lacks {missing}"
        found[str(event["UID"])] = dict(event.items())
    return found


def by_summary(found: dict[str, dict[str, object]], words: str) -> tuple[str, dict[str, object]]:
    (hit,) = [(uid, e) for uid, e in found.items() if words in str(e["SUMMARY"])]
    return hit


def test_hearings_and_deadlines_are_events_that_link_back(app: Flask) -> None:
    client = app.test_client()
    found = events(client, "/calendar.ics")
    assert len(found) == 3
    _, hearing = by_summary(found, "adversarial distillation")
    start = hearing["DTSTART"].dt  # type: ignore[attr-defined]
    assert start == datetime(YEAR, 5, 13, 14, 0, tzinfo=UTC)  # 10:00 AM EDT
    assert str(hearing["STATUS"]) == "CONFIRMED" and int(hearing["SEQUENCE"]) == 0  # type: ignore[call-overload]
    _, deadline = by_summary(found, "Comments close")
    assert deadline["DTSTART"].dt.isoformat() == f"{YEAR}-03-06"  # type: ignore[attr-defined]
    for event in found.values():
        link = str(event["URL"])
        path = re.sub(r"^http://localhost", "", link)
        assert re.fullmatch(r"/items/\d+", path), link
        page = client.get(path)
        assert page.status_code == 200
        title = str(event["SUMMARY"]).split(": ", 1)[1]
        assert title.encode() in page.data


def test_a_moved_hearing_keeps_its_uid_and_a_postponed_one_is_cancelled(
    app: Flask, pipeline: Pipeline, tmp_path: Path
) -> None:
    client = app.test_client()
    before = events(client, "/calendar.ics")
    moved_uid, _ = by_summary(before, "adversarial distillation")
    chips_uid, _ = by_summary(before, "export controls")
    ingest(pipeline, tmp_path, "hearings.xml", MOVED, "senate-test")
    after = events(client, "/calendar.ics")
    assert set(after) == set(before), "an update keeps every UID"
    moved = after[moved_uid]
    assert moved["DTSTART"].dt == datetime(YEAR, 5, 20, 13, 30, tzinfo=UTC)  # type: ignore[attr-defined]
    assert int(moved["SEQUENCE"]) == 1  # type: ignore[call-overload]
    assert moved["LAST-MODIFIED"].dt >= before[moved_uid]["LAST-MODIFIED"].dt  # type: ignore[attr-defined]
    chips = after[chips_uid]
    assert str(chips["STATUS"]) == "CANCELLED" and int(chips["SEQUENCE"]) == 1  # type: ignore[call-overload]
    # The same file again changes nothing.
    ingest(pipeline, tmp_path, "hearings.xml", MOVED, "senate-test")
    again = events(client, "/calendar.ics")
    assert [int(e["SEQUENCE"]) for e in again.values()] == [  # type: ignore[call-overload]
        int(e["SEQUENCE"])
        for e in after.values()  # type: ignore[call-overload]
    ]


def test_the_ics_answers_conditional_get(app: Flask, pipeline: Pipeline, tmp_path: Path) -> None:
    client = app.test_client()
    first = client.get("/calendar.ics")
    etag, last = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/calendar.ics", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/calendar.ics", headers={"If-Modified-Since": last}).status_code == 304
    ingest(pipeline, tmp_path, "hearings.xml", MOVED, "senate-test")
    changed = client.get("/calendar.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_each_listing_has_its_calendar(app: Flask) -> None:
    client = app.test_client()
    assert len(events(client, "/sources/fr-test/calendar.ics")) == 1
    assert len(events(client, "/calendar.ics?source=senate-test")) == 2
    assert len(events(client, "/types/hearing/calendar.ics")) == 2
    topic = events(client, "/topics/distillation/calendar.ics")
    assert [str(e["SUMMARY"]) for e in topic.values()] == [
        "Hearing: Hearings to examine adversarial distillation of American AI models."
    ]
    assert client.get("/topics/no-such-topic/calendar.ics").status_code == 404
    assert client.get("/bills/119/xx/calendar.ics").status_code == 404


def test_the_page_lists_days_ahead_with_eastern_times_and_marks_cancellations(
    app: Flask, pipeline: Pipeline, tmp_path: Path
) -> None:
    ingest(pipeline, tmp_path, "hearings.xml", MOVED, "senate-test")
    page = app.test_client().get("/calendar").get_data(as_text=True)
    ahead = page.split('id="ahead-title"')[1].split('id="past-title"')[0]
    # Soonest first: the comment deadline (March), then May 14, then May 20.
    order = [ahead.index(s) for s in ("Reporting requirements", "export controls", "adversarial")]
    assert order == sorted(order)
    assert "9:30 AM EDT" in ahead and "2:30 PM EDT" in ahead and "All day" in ahead
    chips = ahead.split("export controls")[0].rsplit("<article", 1)[1]
    assert "cancelled" in chips and "Cancelled" in chips
    assert 'href="http://localhost/calendar.ics"' in page


def test_the_demo_markup_is_on_the_bills_calendar(pipeline: Pipeline) -> None:
    assert all(o.status == "ok" for o in pipeline.load_demo())
    with site(pipeline) as app:
        client = app.test_client()
        demo_markup(client)


def demo_markup(client: FlaskClient) -> None:
    (event,) = events(client, "/bills/119/hr8283/calendar.ics").values()
    assert event["DTSTART"].dt.isoformat() == "2026-04-22"  # type: ignore[attr-defined]
    assert str(event["SUMMARY"]).startswith("Markup: H.R. 8283")
    assert "Demo snapshot" in str(event["DESCRIPTION"])
    page = client.get("/bills/119/hr8283/calendar").get_data(as_text=True)
    assert "Ordered to be Reported" in page and "Wednesday, 22 April 2026" in page


def test_the_migration_gives_stored_items_their_entries(app: Flask, pipeline: Pipeline) -> None:
    client = app.test_client()
    before = events(client, "/types/hearing/calendar.ics")
    with pipeline.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0011")
    migrate(pipeline.engine)
    after = events(client, "/types/hearing/calendar.ics")
    assert set(after) == set(before), "the backfill gives the same UIDs ingest gave"
    # A second backfill writes nothing.
    with pipeline.engine.begin() as conn:
        assert backfill(conn) == 0
        count = conn.execute(sa.select(sa.func.count()).select_from(table_of(CalendarEntry)))
        assert count.scalar_one() == 2


def test_a_moved_deadline_keeps_its_uid_and_a_withdrawn_one_goes(
    app: Flask, pipeline: Pipeline, tmp_path: Path
) -> None:
    client = app.test_client()
    uid, _ = by_summary(events(client, "/sources/fr-test/calendar.ics"), "Comments close")
    extended = json.loads(json.dumps(FR_PAGE))
    extended["results"][0]["comments_close_on"] = f"{YEAR}-04-06"
    ingest(pipeline, tmp_path, "fr.json", json.dumps(extended).encode(), "fr-test")
    (event,) = events(client, "/sources/fr-test/calendar.ics").values()
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 1  # type: ignore[call-overload]
    assert event["DTSTART"].dt.isoformat() == f"{YEAR}-04-06"  # type: ignore[attr-defined]
    extended["results"][0]["comments_close_on"] = None
    ingest(pipeline, tmp_path, "fr.json", json.dumps(extended).encode(), "fr-test")
    assert events(client, "/sources/fr-test/calendar.ics") == {}


def test_a_hostile_title_stays_inside_its_event() -> None:
    from tracker.store.calendar import CalendarRow
    from tracker.web.ics import EventMemo, render_ics

    hostile = "Hearing\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:forged@example.org; <script>"
    moment = datetime(YEAR, 5, 13, 14, tzinfo=UTC)
    row = CalendarRow(
        uid="item-1-hearing@policy-tracker", kind="hearing", summary=hostile,
        day=moment.date(), starts_at=moment, all_day=False, cancelled=False, sequence=0,
        created_at=moment, modified_at=moment, item_id=1, item_title=hostile, item_url=None,
        doc_type="hearing", source_name="Senate\nschedule", sample=False,
    )  # fmt: skip
    body = render_ics("Test", [row], "http://localhost/items/{}", "http://localhost/x.ics",
                      EventMemo())  # fmt: skip
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["UID"]) == "item-1-hearing@policy-tracker"
    assert str(event["SUMMARY"]) == hostile.replace("\r\n", "\n")  # escaped as \n, kept


def test_every_timeline_links_its_calendar(app: Flask) -> None:
    client = app.test_client()
    for path in ("/types/hearing", "/sources/senate-test", "/sources/fr-test"):
        page = client.get(path).get_data(as_text=True)
        assert f'href="{path}/calendar"' in page and f'href="{path}/calendar.ics"' in page
        assert client.get(f"{path}/calendar").status_code == 200
        assert events(client, f"{path}/calendar.ics")
