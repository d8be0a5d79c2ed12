"""Alert subscriptions in the store (SQLite and PostgreSQL): what is decided, and only once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alert_helpers import ingest, letter, outbox, subscribe

from tracker.alerts.send import decide_all
from tracker.models import AlertSent, Item, table_of
from tracker.pipeline import Pipeline
from tracker.store import alert_outbox
from tracker.store.engine import session_scope
from tracker.store.events import bump


def test_nothing_before_confirmation_then_each_item_once(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    waiting = subscribe(pipeline, "wait@example.org", confirm=False)
    active = subscribe(pipeline, "reader@example.org")
    ingest(pipeline, tmp_path, [letter(1), letter(2)], "first")
    assert decide_all(pipeline.settings, pipeline.engine) == 1
    digests = outbox(pipeline)
    assert [d.subscription_id for d in digests] == [active]
    assert sorted(i["title"] for i in digests[0].items) == [letter(1)[1], letter(2)[1]]
    assert {i["kind"] for i in digests[0].items} == {"new"}
    assert all(i["type"] == "letter" for i in digests[0].items)
    assert all("Model distillation" in i["tags"] for i in digests[0].items)
    # The same run again, and the unconfirmed one: nothing more.
    assert decide_all(pipeline.settings, pipeline.engine) == 0
    assert len(outbox(pipeline)) == 1
    assert waiting not in {d.subscription_id for d in outbox(pipeline)}
    # One more letter: only it.
    ingest(pipeline, tmp_path, [letter(1), letter(2), letter(3)], "second")
    assert decide_all(pipeline.settings, pipeline.engine) == 1
    assert [i["title"] for i in outbox(pipeline)[-1].items] == [letter(3)[1]]


def test_the_database_refuses_a_second_listing(pipeline: Pipeline, tmp_path: Path) -> None:
    sub = subscribe(pipeline, "reader@example.org")
    ingest(pipeline, tmp_path, [letter(1)], "one")
    decide_all(pipeline.settings, pipeline.engine)
    with session_scope(pipeline.engine) as session:
        row = session.execute(sa.select(table_of(AlertSent))).one()
    assert row.subscription_id == sub
    with pytest.raises(sa.exc.IntegrityError), session_scope(pipeline.engine) as session:
        session.execute(sa.insert(table_of(AlertSent)).values(
            subscription_id=sub, item_id=row.item_id, content_hash=row.content_hash,
            item_seq=row.item_seq + 1))  # fmt: skip


def test_an_item_changed_after_it_was_sent_comes_again_as_updated(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    subscribe(pipeline, "reader@example.org")
    ingest(pipeline, tmp_path, [letter(1)], "one")
    decide_all(pipeline.settings, pipeline.engine)
    # A change that is not the document's (its sequence moves, its text does not): nothing.
    with session_scope(pipeline.engine) as session:
        ids = list(session.execute(sa.select(table_of(Item).c.id)).scalars())
        bump(session, ids)
    assert decide_all(pipeline.settings, pipeline.engine) == 0
    ingest(pipeline, tmp_path, [letter(1, extra="A corrected second paragraph.")], "fixed")
    assert decide_all(pipeline.settings, pipeline.engine) == 1
    again = outbox(pipeline)[-1].items
    assert [(i["kind"], i["title"]) for i in again] == [("updated", letter(1)[1])]


def test_the_views_filters_hold(pipeline: Pipeline, tmp_path: Path) -> None:
    letters = subscribe(pipeline, "letters@example.org")
    news = subscribe(pipeline, "news@example.org", query="type=news")
    other = subscribe(pipeline, "export@example.org", path="/topics/export-controls", query="")
    everything = subscribe(pipeline, "all@example.org", path="/", query="")
    ingest(pipeline, tmp_path, [letter(1)], "one")
    assert decide_all(pipeline.settings, pipeline.engine) == 2
    got = {d.subscription_id for d in outbox(pipeline)}
    assert got == {letters, everything} and not got & {news, other}


def test_a_claimed_mail_is_not_claimed_again_until_its_lease_ends(
    pipeline: Pipeline, tmp_path: Path
) -> None:
    subscribe(pipeline, "one@example.org")
    subscribe(pipeline, "two@example.org")
    ingest(pipeline, tmp_path, [letter(1)], "one")
    decide_all(pipeline.settings, pipeline.engine)
    first = alert_outbox.claim(pipeline.engine, 1)
    second = alert_outbox.claim(pipeline.engine, 10)
    # Two confirmations and two digests: each claimed once.
    assert len(first) == 1 and len(second) == 3 and set(first).isdisjoint(second)
    assert alert_outbox.claim(pipeline.engine, 10) == []


def test_a_long_digest_lists_the_first_items_and_counts_the_rest(
    pipeline: Pipeline, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(alert_outbox, "MAX_ITEMS", 2)
    subscribe(pipeline, "reader@example.org", frequency="daily")
    ingest(pipeline, tmp_path, [letter(1), letter(2), letter(3)], "three")
    assert decide_all(pipeline.settings, pipeline.engine) == 0  # a daily one: not due yet
    tomorrow = datetime.now(UTC) + timedelta(days=1, minutes=1)
    assert decide_all(pipeline.settings, pipeline.engine, now=tomorrow) == 1
    [digest] = outbox(pipeline)
    assert [i.get("title") for i in digest.items[:2]] == [letter(1)[1], letter(2)[1]]
    assert digest.items[2] == {"kind": "more", "count": 1}
    # The counted one is not left for tomorrow's digest: the view is caught up.
    later = tomorrow + timedelta(days=2)
    assert decide_all(pipeline.settings, pipeline.engine, now=later) == 0
