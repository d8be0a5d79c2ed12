"""Dates for the calendar, read from what items state (`tracker.calendar_dates`).

Two measures of the prose reader, both printed with precision, recall and F1:

* the real Federal Register API page in ../shared/fixtures: the DATES text of
  each document against the API's own `comments_close_on` and `effective_on`
  (written by the Federal Register, not here). It was looked at while the
  reader was written, so it is no held-out set;
* HELD_OUT below: sentences in the style of Federal Register DATES sections
  and bill text, with the answer a reader would give, written before the
  reader was first run on them and not changed after.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from conftest import SHARED_FIXTURES

from tracker.calendar_dates import (
    DateSource,
    action_kind,
    comment_deadline,
    effective_day,
    enactment_deadlines,
    item_dates,
)
from tracker.parse.federal_register import parse_federal_register
from tracker.parse.senate_hearings import parse_senate_hearings
from tracker.types import StatedDate

FR_SAMPLE = SHARED_FIXTURES / "federal-register" / "documents-sample.json"

# (text, comment deadline, effective date): written before the first run.
HELD_OUT: list[tuple[str, date | None, date | None]] = [
    ("Comments must be received on or before April 14, 2025.", date(2025, 4, 14), None),
    ("Submit comments on or before June 2, 2025. Comments on the information collection must "
     "be received by OMB no later than July 1, 2025.", date(2025, 6, 2), None),
    ("Written comments and recommendations for the proposed information collection should be "
     "sent within 30 days of publication of this notice to www.reginfo.gov.", None, None),
    ("The comment period for the proposed rule published on March 3, 2025, is reopened. "
     "Comments must be received by May 5, 2025.", date(2025, 5, 5), None),
    ("Comments due date: August 11, 2025.", date(2025, 8, 11), None),
    ("Electronic comments must be submitted and written comments postmarked on or before "
     "11:59 p.m. Eastern Time on September 8, 2025.", date(2025, 9, 8), None),
    ("A public hearing will be held on May 20, 2025. Requests to speak at the hearing must be "
     "received by May 13, 2025.", None, None),
    ("We must receive comments from the public by Monday, October 6, 2025.",
     date(2025, 10, 6), None),
    ("This rule is effective May 1, 2025.", None, date(2025, 5, 1)),
    ("Effective date: This interim final rule is effective on June 30, 2025.",
     None, date(2025, 6, 30)),
    ("These regulations are effective January 2, 2026, except for amendatory instruction 3, "
     "which is effective July 1, 2026.", None, date(2026, 1, 2)),
    ("The effective date of this final rule is delayed until March 20, 2025.",
     None, date(2025, 3, 20)),
    ("This action is effective upon publication.", None, None),
    ("Applicable June 1, 2025.", None, None),
    ("This final rule is effective March 3, 2025. Comments on the interim provisions must be "
     "received on or before April 2, 2025.", date(2025, 4, 2), date(2025, 3, 3)),
]  # fmt: skip


def _score(pairs: list[tuple[date | None, date | None]]) -> tuple[float, float, float]:
    """Precision, recall, F1 of (found, truth) pairs: a wrong date is a miss and a false find."""
    right = sum(1 for found, truth in pairs if found and found == truth)
    found = sum(1 for f, _ in pairs if f)
    truths = sum(1 for _, t in pairs if t)
    precision = right / found if found else 1.0
    recall = right / truths if truths else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def test_held_out_sentences_precision_and_recall() -> None:
    comments = [(comment_deadline(text), c) for text, c, _ in HELD_OUT]
    effective = [(effective_day(text), e) for text, _, e in HELD_OUT]
    p1, r1, f1 = _score(comments)
    p2, r2, f2 = _score(effective)
    print(f"held out, comments close: P={p1:.2f} R={r1:.2f} F1={f1:.2f} ({len(HELD_OUT)} texts)")
    print(f"held out, effective:      P={p2:.2f} R={r2:.2f} F1={f2:.2f}")
    assert p1 == 1.0 and p2 == 1.0, "a wrong date is worse than none"
    assert r1 >= 0.8 and r2 >= 0.7


def test_fixture_dates_text_against_the_apis_own_fields() -> None:
    if not FR_SAMPLE.exists():
        pytest.skip("../shared/fixtures is not here")
    documents = json.loads(FR_SAMPLE.read_bytes())["results"]
    pairs: dict[str, list[tuple[date | None, date | None]]] = {"comments": [], "effective": []}
    for doc in documents:
        text = doc.get("dates") or ""
        for name, field, read in (("comments", "comments_close_on", comment_deadline),
                                  ("effective", "effective_on", effective_day)):  # fmt: skip
            truth = date.fromisoformat(doc[field]) if doc.get(field) else None
            pairs[name].append((read(text), truth))
    for name, found in pairs.items():
        p, r, f = _score(found)
        print(f"FR sample ({len(documents)} documents), {name}: P={p:.2f} R={r:.2f} F1={f:.2f}")
    # Two effective dates the prose does not give: an OMB approval's *expiration*
    # date and a comment date the API files as effective_on (2023-28763).
    assert _score(pairs["comments"])[:2] == (1.0, 1.0)
    assert _score(pairs["effective"])[0] == 1.0 and _score(pairs["effective"])[1] >= 0.85


def test_the_parser_states_the_apis_dates_and_reads_the_text_without_them() -> None:
    if not FR_SAMPLE.exists():
        pytest.skip("../shared/fixtures is not here")
    items = {i.document_number: i for i in parse_federal_register(FR_SAMPLE.read_bytes()).items}
    assert items["2023-28836"].dates == (StatedDate("comments-close", date(2024, 2, 2)),)
    assert items["2023-28839"].dates == (StatedDate("effective", date(2024, 2, 5)),)
    assert items["2023-28811"].dates == ()
    # A query that asked only for `dates` (the DATES paragraph): read from its text.
    dates = "Comments must be received on or before February 3, 2025."
    page = {"results": [{"document_number": "2099-00001", "title": "A notice",
                         "publication_date": "2025-01-02", "dates": dates}]}  # fmt: skip
    (item,) = parse_federal_register(json.dumps(page).encode()).items
    assert item.dates == (StatedDate("comments-close", date(2025, 2, 3)),)


def test_bill_actions_that_are_meetings() -> None:
    assert action_kind("Committee Consideration and Mark-up Session Held") == "markup"
    assert action_kind("Ordered to be Reported (Amended).") == "markup"
    assert action_kind("Subcommittee Hearings Held") == "hearing"
    assert action_kind("Referred to the House Committee on Foreign Affairs.") is None
    assert action_kind("Introduced in House") is None


def test_deadlines_counted_from_enactment() -> None:
    text = ("Not later than 180 days after the date of enactment of this Act, the Secretary of "
            "State shall submit an assessment. Within 1 year after the date of the enactment of "
            "this Act, the Secretary shall publish a list.")  # fmt: skip
    found = enactment_deadlines(text, date(2025, 1, 10))
    assert found == [("180 days after enactment", date(2025, 7, 9)),
                     ("1 year after enactment", date(2026, 1, 10))]  # fmt: skip
    assert enactment_deadlines("within 1 year after the date of enactment", date(2024, 2, 29)) == [
        ("1 year after enactment", date(2025, 2, 28))
    ]


def test_a_bill_record_gives_its_markup_and_only_a_law_its_deadlines() -> None:
    base = DateSource(
        guid="bill:119-hr-8283", title="H.R. 8283: Deterring American AI Model Theft Act of 2026",
        text="The State Department must make an assessment not later than 180 days after the "
             "date of enactment.", doc_type="bill", published=datetime(2026, 4, 15, tzinfo=UTC),
        bill_key="119-hr-8283", sample=True,
        bill_actions=((date(2026, 4, 15), "Introduced in House"),
                      (date(2026, 4, 22), "Ordered to be Reported (Amended).")),
    )  # fmt: skip
    (markup,) = item_dates(base)
    assert (markup.kind, markup.day, markup.at) == ("markup", date(2026, 4, 22), None)
    assert markup.key == "bill:119-hr-8283:demo:markup:2026-04-22"
    from dataclasses import replace

    law = replace(base, law_day=date(2026, 9, 1))
    kinds = [(d.kind, d.day) for d in item_dates(law)]
    assert ("deadline", date(2027, 2, 28)) in kinds


def test_a_senate_hearing_is_timed_on_eastern_time_and_a_postponed_one_cancelled() -> None:
    xml = b"""<css_meetings_scheduled><meeting><identifier>1</identifier>
      <cmte_code>SSBK00</cmte_code><committee>Banking</committee>
      <date>13-May-2026 07:00 PM</date><matter>POSTPONED: Hearings to examine chips.</matter>
    </meeting><meeting><identifier>2</identifier><cmte_code>SSJU00</cmte_code>
      <committee>Judiciary</committee><date>14-May-2026</date>
      <matter>Business meeting to consider S. 1.</matter></meeting></css_meetings_scheduled>"""
    first, second = parse_senate_hearings(xml).items
    (stated,) = first.dates
    # 7 p.m. Eastern on May 13 is May 14 in UTC: the day is the Eastern one.
    assert stated == StatedDate("hearing", date(2026, 5, 13),
                                datetime(2026, 5, 13, 23, tzinfo=UTC), cancelled=True)  # fmt: skip
    assert second.dates == (StatedDate("markup", date(2026, 5, 14), None),)


def test_nothing_is_guessed_from_a_partial_date() -> None:
    assert comment_deadline("Comments must be received on or before the 30th day.") is None
    assert effective_day("This rule is effective in March 2025.") is None
    assert comment_deadline("Comments must be received on or before February 30, 2025.") is None


def test_a_congress_meeting_states_its_kind_time_and_a_cancellation() -> None:
    from tracker.parse.congress_api import parse_congress_api

    meeting = {"chamber": "House", "congress": 119, "eventId": "990001", "type": "Markup",
               "title": "Markup of pending legislation", "meetingStatus": "Canceled",
               "date": "2026-07-15T14:00:00Z"}  # fmt: skip
    (item,) = parse_congress_api(json.dumps({"committeeMeeting": meeting}).encode()).items
    start = datetime(2026, 7, 15, 14, tzinfo=UTC)
    assert item.dates == (StatedDate("markup", date(2026, 7, 15), start, cancelled=True),)
    # The list endpoint gives no date: nothing is stated, and the update time is no meeting.
    listed = {"committeeMeetings": [{"chamber": "House", "congress": 119, "eventId": "990002",
                                     "updateDate": "2026-04-22T18:31:07Z"}]}  # fmt: skip
    (bare,) = parse_congress_api(json.dumps(listed).encode()).items
    assert bare.dates == ()
    source = DateSource(
        guid="congress-api:meeting:119-house-990002",
        title=bare.title,
        text="",
        doc_type="hearing",
        published=bare.published,
    )  # type: ignore[arg-type]
    assert item_dates(source) == []
