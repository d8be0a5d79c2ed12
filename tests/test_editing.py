"""Editing from the site: the review queue, manual tags, events, and decisions that
outlast retagging and re-fetching."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import Session, select
from staff import add_user, login, post, rss

from tracker.models import AuditLog, Event, Item, ItemTag
from tracker.pipeline import Pipeline
from tracker.store.engine import session_scope
from tracker.web import create_app

D1, D2, D3 = (f"{d} Jun 2026 12:00:00 +0000" for d in ("Wed, 10", "Thu, 11", "Fri, 12"))
FIRST = [
    ("w1", "Alibaba's Qwen team answers distillation claims",
     "The Qwen developers at Alibaba deny that their model was trained by distillation.", D1),
    ("w2", "Commerce weighs new export controls on Nvidia chips",
     "The Commerce Department may tighten export controls on Nvidia GPUs sold abroad.", D2),
    ("w3", "Qwen update ships",
     "Alibaba released a new Qwen model. Nothing about antitrust.", D3),
]  # fmt: skip
# The same guids a day later: Qwen is no longer named in w1, w2 now names
# DeepSeek, w3 still says "antitrust".
CHANGED = [
    ("w1", "Alibaba answers distillation claims",
     "The developers at Alibaba deny that their model was trained by distillation.", D1),
    ("w2", "Commerce weighs new export controls on Nvidia chips",
     "The Commerce Department may tighten export controls on Nvidia GPUs; DeepSeek objects.", D2),
    ("w3", "Qwen update ships",
     "Alibaba released a new Qwen model. Nothing about antitrust, again.", D3),
]  # fmt: skip


@dataclass
class Site:
    pipeline: Pipeline
    app: Flask
    client: FlaskClient
    feed: Path

    def ingest(self, entries: list[tuple[str, str, str, str]]) -> None:
        self.feed.write_bytes(rss(entries))
        assert self.pipeline.ingest_file(self.feed, "wire", "rss").status == "ok"
        self.pipeline.settle()

    def session(self) -> Session:
        return Session(self.pipeline.engine)

    def item(self, guid: str) -> Item:
        with self.session() as s:
            return s.exec(select(Item).where(Item.guid == guid)).one()

    def tag(self, guid: str, slug: str) -> ItemTag | None:
        item_id = self.item(guid).id
        with self.session() as s:
            return s.exec(
                select(ItemTag).where(ItemTag.item_id == item_id, ItemTag.slug == slug)
            ).first()

    def audit(self, action: str) -> list[AuditLog]:
        with self.session() as s:
            return list(s.exec(select(AuditLog).where(AuditLog.action == action)))


@pytest.fixture
def site(pipeline: Pipeline, tmp_path: Path) -> Iterator[Site]:
    """Three wire items on SQLite and PostgreSQL, an editor logged in."""
    add_user(pipeline.engine, "eddie", "editor")
    app = create_app({"SETTINGS": pipeline.settings, "TESTING": True})
    site = Site(pipeline, app, app.test_client(), tmp_path / "wire.xml")
    site.ingest(FIRST)
    login(site.client, "eddie")
    yield site
    app.extensions["tracker.engine"].dispose()


def test_the_queue_lists_suggested_tags_with_evidence_newest_first(site: Site) -> None:
    page = site.client.get("/review").get_data(as_text=True)
    titles = re.findall(r'<a href="/review/items/\d+">([^<]+)</a>', page)
    assert titles[0] == "Qwen update ships" and titles[-1].startswith("Alibaba&#39;s Qwen")
    assert "<mark>antitrust</mark>" in page
    only = site.client.get("/review?slug=antitrust").get_data(as_text=True)
    assert only.count('name="tag_id"') == 1 and "Qwen update ships" in only


def test_confirm_and_reject_one_by_one(site: Site) -> None:
    qwen, antitrust = site.tag("w1", "qwen"), site.tag("w3", "antitrust")
    assert qwen and antitrust and qwen.status == antitrust.status == "suggested"
    seq = site.item("w3").seq
    response = post(site.client, "/review/decide", {"one": f"confirm:{qwen.id}", "back": "/review"})
    assert response.status_code == 302
    post(site.client, "/review/decide", {"one": f"reject:{antitrust.id}"})
    assert site.tag("w1", "qwen").status == "confirmed"  # type: ignore[union-attr]
    rejected = site.tag("w3", "antitrust")
    assert rejected and (rejected.status, rejected.decided_by) == ("rejected", "eddie")
    assert site.item("w3").seq > seq  # feeds and the index see the change
    [entry] = site.audit("tag.reject")
    assert entry.actor == "eddie" and entry.before["status"] == "suggested"  # type: ignore[index]
    assert entry.after["status"] == "rejected"  # type: ignore[index]
    item_page = site.client.get(f"/items/{site.item('w3').id}").get_data(as_text=True)
    assert 'href="/topics/antitrust"' not in item_page  # readers no longer see it
    assert "Rejected 1 tag." in site.client.get("/review").get_data(as_text=True)


def test_confirm_in_bulk_with_checkboxes(site: Site) -> None:
    ids = [t.id for t in (site.tag("w2", "nvidia"), site.tag("w2", "export-controls")) if t]
    response = post(site.client, "/review/decide", {"bulk": "confirm", "tag_id": ids})
    assert response.status_code == 302
    assert {site.tag("w2", s).status for s in ("nvidia", "export-controls")} == {"confirmed"}  # type: ignore[union-attr]
    assert len(site.audit("tag.confirm")) == 2
    left = site.client.get("/review").get_data(as_text=True)
    assert "Confirmed 2 tags." in left and f'value="{ids[0]}"' not in left


def test_a_bulk_decision_with_nothing_ticked_says_so(site: Site) -> None:
    post(site.client, "/review/decide", {"bulk": "reject"})
    assert "Choose at least one tag." in site.client.get("/review").get_data(as_text=True)


def test_add_a_manual_tag_on_the_items_review_page(site: Site) -> None:
    item_id = site.item("w2").id
    page = site.client.get(f"/review/items/{item_id}").get_data(as_text=True)
    assert '<option value="huawei">' in page
    post(site.client, f"/review/items/{item_id}/tags", {"slug": "huawei"})
    tag = site.tag("w2", "huawei")
    assert tag and (tag.origin, tag.status, tag.kind) == ("manual", "confirmed", "entity")
    public = site.client.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'href="/entities/huawei"' in public and "added by a person" in public
    post(site.client, f"/review/items/{item_id}/tags", {"slug": "no-such-thing"})
    page = site.client.get(f"/review/items/{item_id}").get_data(as_text=True)
    assert "neither a topic nor an entity" in page


def test_a_manual_tag_implies_its_parents_and_they_outlast_a_retag(site: Site) -> None:
    w2 = site.item("w2")  # about Nvidia and Commerce; names neither Qwen nor Alibaba
    assert site.tag("w2", "alibaba") is None
    commerce = site.tag("w2", "commerce-department")
    assert commerce and commerce.origin == "rule"
    post(site.client, f"/review/items/{w2.id}/tags", {"slug": "qwen"})
    post(site.client, f"/review/items/{w2.id}/tags", {"slug": "bis"})
    parent = site.tag("w2", "alibaba")
    assert parent and (parent.origin, parent.status, parent.decided_by) == (
        "parent", "confirmed", "eddie")  # fmt: skip
    # A parent the item already carries stays as the rules made it.
    same = site.tag("w2", "commerce-department")
    assert same and (same.origin, same.status) == ("rule", "suggested")
    site.pipeline.retag()
    assert site.tag("w2", "alibaba") is not None
    assert f"/items/{w2.id}" in site.client.get("/entities/alibaba").get_data(as_text=True)
    with site.session() as s:
        actions = s.exec(select(AuditLog.action).where(AuditLog.action == "tag.add")).all()
    assert len(actions) == 3  # qwen, its parent alibaba, and bis


def test_decisions_made_on_the_site_survive_retag_and_refetch(site: Site) -> None:
    qwen, antitrust = site.tag("w1", "qwen"), site.tag("w3", "antitrust")
    post(site.client, "/review/decide", {"one": f"confirm:{qwen.id}"})  # type: ignore[union-attr]
    post(site.client, "/review/decide", {"one": f"reject:{antitrust.id}"})  # type: ignore[union-attr]
    post(site.client, f"/review/items/{site.item('w2').id}/tags", {"slug": "huawei"})

    site.pipeline.retag()
    site.ingest(CHANGED)

    assert site.item("w1").title == "Alibaba answers distillation claims"  # the update landed
    kept = site.tag("w1", "qwen")  # its words are gone, but a person confirmed it
    assert kept and (kept.status, kept.decided_by) == ("confirmed", "eddie")
    still = site.tag("w3", "antitrust")  # the rules find it again, and a person said no
    assert still and still.status == "rejected"
    manual = site.tag("w2", "huawei")
    assert manual and (manual.origin, manual.status) == ("manual", "confirmed")
    fresh = site.tag("w2", "deepseek")  # the machine still suggests what is new
    assert fresh and fresh.status == "suggested"


def test_merge_two_events_then_move_an_item_out_again(site: Site) -> None:
    w1, w2 = site.item("w1"), site.item("w2")
    assert w1.event_id != w2.event_id
    keep, gone = w1.event_id, w2.event_id
    post(site.client, "/review/events/merge",
         {"keep": keep, "other": str(gone), "back": f"/review/items/{w1.id}"})  # fmt: skip
    assert site.item("w2").event_id == keep and site.item("w2").seq > w2.seq
    with site.session() as s:
        assert s.get(Event, gone) is None
        headline = s.get(Event, keep).headline  # type: ignore[union-attr]
    assert headline in {w1.title, w2.title}
    page = site.client.get(f"/review/items/{w1.id}").get_data(as_text=True)
    assert "2 items" in page and "Move this item out" in page
    [merge] = site.audit("event.merge")
    assert merge.before["merged"]["items"] == [w2.id]  # type: ignore[index]
    assert sorted(merge.after["kept"]["items"]) == sorted([w1.id, w2.id])  # type: ignore[index]

    seq = site.item("w2").seq
    post(site.client, f"/review/items/{w2.id}/split")
    moved = site.item("w2")
    assert moved.event_id not in (keep, gone) and moved.seq > seq
    with site.session() as s:
        assert s.get(Event, keep).headline == w1.title  # type: ignore[union-attr]
        assert s.get(Event, moved.event_id).headline == w2.title  # type: ignore[arg-type, union-attr]
    assert len(site.audit("event.split")) == 1
    post(site.client, f"/review/items/{w2.id}/split")
    page = site.client.get(f"/review/items/{w2.id}").get_data(as_text=True)
    assert "already alone in its event" in page


def test_an_event_cannot_be_merged_with_itself_or_a_missing_one(site: Site) -> None:
    w1 = site.item("w1")
    for other in (str(w1.event_id), "999999"):
        post(site.client, "/review/events/merge",
             {"keep": w1.event_id, "other": other, "back": f"/review/items/{w1.id}"})  # fmt: skip
    page = site.client.get(f"/review/items/{w1.id}").get_data(as_text=True)
    assert "cannot be merged with itself" in page and "no event 999999" in page
    # Not a number at all: the form's page again, with what to type, as a 400.
    form = {"keep": w1.event_id, "other": "soon", "back": f"/review/items/{w1.id}"}
    typo = post(site.client, "/review/events/merge", form)
    assert typo.status_code == 400
    assert "Give the number of the event" in typo.get_data(as_text=True)
    assert 'name="other"' in typo.get_data(as_text=True)
    assert site.audit("event.merge") == []


def test_a_refused_edit_leaves_no_audit_entry(site: Site) -> None:
    with session_scope(site.pipeline.engine) as s:
        before = len(list(s.exec(select(AuditLog))))
    post(site.client, f"/review/items/{site.item('w1').id}/tags", {"slug": "nowhere"})
    with session_scope(site.pipeline.engine) as s:
        assert len(list(s.exec(select(AuditLog)))) == before


def test_a_topic_read_by_the_model_is_shown_with_its_words_and_can_be_rejected(
    site: Site,
) -> None:
    site.ingest([("w4", "Regulators sue to stop merger of two grocery chains",
                  "The complaint says the deal would raise prices for shoppers.", D3)])  # fmt: skip
    tag = site.tag("w4", "antitrust")
    assert tag and (tag.origin, tag.status) == ("model", "suggested") and tag.evidence
    item_id = site.item("w4").id
    public = site.client.get(f"/items/{item_id}").get_data(as_text=True)
    assert 'href="/topics/antitrust"' in public and "read from its wording" in public
    assert any(f">{e['text']}<" in public for e in tag.evidence)  # its words are marked
    review = site.client.get(f"/review/items/{item_id}").get_data(as_text=True)
    assert "read by the topic model" in review
    post(site.client, "/review/decide", {"one": f"reject:{tag.id}"})
    assert site.tag("w4", "antitrust").status == "rejected"  # type: ignore[union-attr]
