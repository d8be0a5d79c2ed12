"""The congress.gov API v3 and Senate hearing-schedule parsers on the answers they must survive.

Each recorded sample is read in test_source_samples.py; here are the other
shapes: an API error, a meeting's detail, an actions list that does not say
its bill, an empty schedule, a schedule with its times in Eastern time only,
entity declarations, and format detection for `tracker ingest`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tracker.parse import ParseError, detect_kind, parse_document
from tracker.parse.congress_api import parse_congress_api
from tracker.parse.senate_hearings import parse_senate_hearings


def api(**parts: object) -> bytes:
    return json.dumps({"request": {"format": "json"}, **parts}).encode()


def test_an_api_error_is_a_parse_error_with_the_apis_words() -> None:
    answer = api(error={"code": "API_KEY_INVALID", "message": "An invalid api_key was supplied."})
    with pytest.raises(ParseError, match=r"API error: An invalid api_key was supplied"):
        parse_congress_api(answer)


def test_actions_that_do_not_say_their_bill_are_refused() -> None:
    answer = json.dumps({"actions": [{"actionDate": "2026-04-15", "text": "Introduced"}]})
    with pytest.raises(ParseError, match="does not say which bill"):
        parse_congress_api(answer.encode())


def test_a_meetings_detail_gives_its_title_type_committee_and_time() -> None:
    detail = {
        "chamber": "House",
        "congress": 119,
        "eventId": "118140",
        "type": "Markup",
        "title": "Markup of H.R. 8283, the Deterring American AI Model Theft Act of 2026",
        "meetingStatus": "Scheduled",
        "date": "2026-04-22T14:00:00Z",
        "committees": [{"name": "House Foreign Affairs Committee", "systemCode": "hsfa00"}],
        "updateDate": "2026-04-22T18:31:07Z",
    }
    (item,) = parse_congress_api(api(committeeMeeting=detail)).items
    assert item.title.startswith("Markup of H.R. 8283")
    assert item.summary_html == "House Foreign Affairs Committee · Scheduled"
    assert item.published == datetime(2026, 4, 22, 14, tzinfo=UTC)
    assert item.url == "https://www.congress.gov/event/119th-congress/house-event/118140"
    assert item.doc_type == "hearing"


def test_an_entry_without_its_numbers_is_skipped_and_the_rest_kept() -> None:
    bills = [
        {"congress": 119, "type": "HR", "number": "8283", "title": "Kept"},
        {"congress": "x", "type": "HR", "number": "1", "title": "No congress"},
        {"congress": 119, "type": "ZZ", "number": "2", "title": "No such type"},
        "not an object",
    ]
    parsed = parse_congress_api(api(bills=bills))
    assert [i.title for i in parsed.items] == ["H.R. 8283: Kept"]
    assert len(parsed.warnings) == 3


def test_json_of_another_api_is_not_taken_for_congress_gov() -> None:
    with pytest.raises(ParseError, match=r"not a congress\.gov answer"):
        parse_congress_api(api(members=[]))
    assert parse_document(api(bills=[]), None).kind == "congress-api"  # detected when ingested


SCHEDULE = """<?xml version="1.0" encoding="UTF-8"?>
<css_meetings_scheduled>{}</css_meetings_scheduled>"""


def test_an_empty_schedule_is_no_hearing() -> None:
    placeholder = ("<meeting><cmte_code>SSGA00</cmte_code><committee>none</committee>"
                   "<date>01-Jan-2026 12:00 AM</date><matter>No committee hearings scheduled"
                   "</matter></meeting>")  # fmt: skip
    parsed = parse_senate_hearings(SCHEDULE.format(placeholder).encode())
    assert parsed.items == () and parsed.warnings == ()


def test_a_time_in_eastern_time_only_is_read_as_eastern() -> None:
    meeting = ("<meeting><identifier>1</identifier><cmte_code>SSBK00</cmte_code>"
               "<committee url='https://www.banking.senate.gov/hearings'>Banking</committee>"
               "<date>13-Jan-2026 10:00 AM</date><room>SD-538</room>"
               "<matter>Hearings to examine chips.</matter></meeting>")  # fmt: skip
    (item,) = parse_senate_hearings(SCHEDULE.format(meeting).encode()).items
    assert item.published == datetime(2026, 1, 13, 15, tzinfo=UTC)  # EST is UTC-5 in January
    assert item.summary_html == "Banking · January 13, 2026, 10:00 AM ET · Room SD-538"
    assert item.url == "https://www.banking.senate.gov/hearings"
    assert (item.guid, item.doc_type) == ("senate-hearing:1", "hearing")


def test_a_schedule_declaring_entities_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><css_meetings_scheduled/>'
    with pytest.raises(ParseError, match="entities"):
        parse_document(bomb, "senate-hearings")


def test_the_schedule_is_detected_when_ingested() -> None:
    assert detect_kind(SCHEDULE.format("").encode()) == "senate-hearings"
    with pytest.raises(ParseError, match="not the Senate hearing schedule"):
        parse_senate_hearings(b"<rss version='2.0'/>")
