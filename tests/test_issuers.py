"""A document's type names its issuer: the President's orders are the White House's,
export-control rules BIS's, though their words may not name them (tracker/issuers.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from staff import add_user, login, rss

from tracker.issuers import issuer
from tracker.pipeline import Pipeline
from tracker.tag import Tagger
from tracker.taxonomy import load_taxonomy
from tracker.web import create_app


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


def _tags(tagger: Tagger, title: str, text: str) -> dict[str, str]:
    return {t.slug: t.origin for t in tagger.tag(title, text).tags}


def test_an_executive_order_is_the_white_houses_with_the_words_that_say_so(tagger):
    title = "Executive Order on Promoting the Export of the American AI Technology Stack"
    text = "By the authority vested in me, it is hereby ordered: Sec. 1. Purpose."
    result = tagger.tag(title, text)
    assert result.doc_type == "executive-order"
    (tag,) = [t for t in result.tags if t.slug == "white-house"]
    assert tag.origin == "issuer"
    assert [(e.field, e.text) for e in tag.evidence] == [("title", "Executive Order")]
    assert title[tag.evidence[0].start : tag.evidence[0].end] == "Executive Order"


def test_a_proclamation_and_a_presidential_memorandum_are_too(tagger):
    observance = _tags(
        tagger,
        "National Manufacturing Day, 2091",
        "NOW, THEREFORE, I do hereby proclaim October 3, 2091, as National Manufacturing Day.",
    )
    assert observance.get("white-house") == "issuer"
    memo = _tags(
        tagger,
        "Memorandum for the Secretary of Commerce: Addressing Extraction of American AI",
        "By the authority vested in me as President, I hereby direct the Secretary to act.",
    )
    assert memo.get("white-house") == "issuer"


def test_the_presidents_notice_continuing_an_emergency_is_too_an_agencys_notice_is_not(tagger):
    emergency = tagger.tag(
        "Continuation of the National Emergency With Respect to Securing the Information and "
        "Communications Technology and Services Supply Chain",
        "Notice is hereby given. I am continuing for 1 year the national emergency declared "
        "in Executive Order 13873.",
    )
    assert emergency.doc_type == "notice"
    assert {t.slug: t.origin for t in emergency.tags}.get("white-house") == "issuer"
    agency = _tags(
        tagger,
        "Agency Information Collection Activities; Comment Request",
        "Notice is hereby given that the Census Bureau invites comments on a survey.",
    )
    assert "white-house" not in agency


def test_an_agencys_or_a_think_tanks_memo_is_not(tagger):
    staff = _tags(
        tagger,
        "Memorandum to Staff of the Office of Investment Security: Implementation Priorities",
        "MEMORANDUM. TO: Staff. FROM: Assistant Secretary. SUBJECT: Outbound program reviews.",
    )
    assert "white-house" not in staff
    policy = _tags(
        tagger,
        "Policy Memo: Giving the Export Control Bureau the Analysts It Needs",
        "MEMORANDUM. SUBJECT: Staffing.",
    )
    assert "white-house" not in policy


def test_coverage_of_an_order_is_not_the_order(tagger):
    result = tagger.tag(
        "President signs order on AI exports, (Reuters) reports",
        "WASHINGTON (Reuters) - The President signed an executive order on Tuesday, "
        "people familiar with the matter said.",
    )
    assert result.doc_type == "news"
    assert "white-house" not in {t.slug for t in result.tags}


def test_an_export_control_rule_is_bis_and_so_commerces(tagger):
    tags = _tags(
        tagger,
        "Additions to the Entity List: Chinese Developers of Advanced AI Models",
        "ACTION: Final rule. SUMMARY: This rule amends the Export Administration Regulations "
        "by adding eleven entities under twelve destination-country entries.",
    )
    assert tags.get("bis") in ("issuer", "rule")  # named in the text or given by the type
    assert tags.get("commerce-department") == "parent"


def test_a_named_issuer_keeps_its_own_evidence(tagger):
    tags = _tags(
        tagger,
        "Executive Order on Federal Procurement",
        "The White House said the order directs agencies; it is hereby ordered as follows.",
    )
    assert tags["white-house"] == "rule"


def test_a_type_without_an_issuer_or_a_form_read_from_wording():
    assert issuer("Senate passes bill", "The Senate voted 61-39.", "news") is None
    # No form words: the title is the evidence (the type came from the wording).
    found = issuer("Ensuring Fair Benefits Decisions", "Agencies shall act.", "executive-order")
    assert found is not None
    slug, (evidence,) = found
    assert (slug, evidence.field, evidence.start, evidence.end) == ("white-house", "title", 0, 32)
    assert issuer("", "", "proclamation") is None


def _ingest(pipeline: Pipeline, folder: Path, entries: list[tuple[str, str, str, str]]) -> None:
    feed = folder / "wire.xml"
    feed.write_bytes(rss(entries))
    assert pipeline.ingest_file(feed, "local-wire", "rss").new == len(entries)
    pipeline.settle()


ORDER = "Executive Order on Accelerating Federal Permitting of Data Center Infrastructure"


def test_the_white_house_timeline_the_item_page_and_review_show_the_order(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    _ingest(pipeline, tmp_path, [
        ("eo", ORDER, "By the authority vested in me as President, it is hereby ordered: "
         "agencies shall expedite reviews of data-centre projects.",
         "Mon, 01 Jun 2026 15:00:00 GMT"),
        ("news", "Data centre builders cheer faster permits", "Developers said the new "
         "permitting order would cut months from their schedules, people familiar with the "
         "matter said.", "Tue, 02 Jun 2026 15:00:00 GMT"),
    ])  # fmt: skip
    add_user(pipeline.engine, "eddie", "editor")
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    client = app.test_client()
    try:
        found = client.get("/api/v1/items?entity=white-house").get_json()["items"]
        assert [i["title"] for i in found] == [ORDER]
        page = client.get(f"/items/{found[0]['id']}").get_data(as_text=True)
        assert "its issuer: documents of this type are theirs" in page
        assert "<mark>Executive Order</mark>" in page
        login(client, "eddie")
        review = client.get(f"/review/items/{found[0]['id']}").get_data(as_text=True)
        assert "its issuer, by its type" in review
        queue = client.get("/review?slug=white-house").get_data(as_text=True)
        assert "entity, its issuer" in queue
    finally:
        app.extensions["tracker.engine"].dispose()


def test_the_front_page_counts_an_issuer_tag_only_once_a_person_confirms_it(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    import sqlalchemy as sa

    from tracker.models import ItemTag
    from tracker.store import home, tag_edits
    from tracker.store.engine import session_scope

    _ingest(pipeline, tmp_path, [
        ("rail", "National Model Railroad Month, 2026", "NOW, THEREFORE, I do hereby proclaim "
         "November 2026 as National Model Railroad Month.", "Mon, 09 Nov 2026 15:00:00 GMT"),
    ])  # fmt: skip
    now = datetime(2026, 11, 12, tzinfo=UTC)
    with session_scope(pipeline.engine) as session:
        tag = session.execute(sa.select(ItemTag)).scalar_one()
        assert (tag.slug, tag.origin, tag.status) == ("white-house", "issuer", "suggested")
        assert home.news_week(session, now, tagged=True) is None  # nothing moved a fight
        tag_edits.decide_tags(session, [tag.id], "confirm", "eddie")
    with session_scope(pipeline.engine) as session:
        week = home.news_week(session, now, tagged=True)
        assert week is not None
        front = home.front_page(session, week)
        assert [t.slug for t in front.moved] == ["white-house"]
