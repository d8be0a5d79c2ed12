"""The alert outbox: deciding what each subscription is sent, then claiming mails to send.

The decision for a subscription reads the items of its view above its
`last_sent_seq`, and in ONE transaction writes the digest to the outbox, an
`alert_sent` row per item version and the new `last_sent_seq`. A crash before
the commit decides nothing; after it, the mail waits in the outbox for any
sender. The primary key of `alert_sent` refuses a second listing of the same
version, so even a decision run twice cannot repeat an item.

Senders claim due rows for a short lease: `FOR UPDATE SKIP LOCKED` on
PostgreSQL, so workers take different rows; the write lock on SQLite.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tracker.models import (
    AlertOutbox,
    AlertSent,
    AlertSubscription,
    Item,
    ItemTag,
    Source,
    table_of,
    utcnow,
)
from tracker.store import item_versions
from tracker.store.engine import session_scope
from tracker.store.listings import ListingFilter, where
from tracker.store.locks import write_scope

MAX_ITEMS = 100  # items listed in one digest; any more are counted ("and 40 more")
LEASE = timedelta(minutes=5)
# Waits before the 2nd, 3rd... attempt; after the last, the mail is marked failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2), timedelta(hours=6))  # fmt: skip


@dataclass(frozen=True)
class Found:
    """What entered a view after a sequence number: the first MAX_ITEMS, and the rest counted."""

    rows: list[Any]
    top: int  # the highest sequence number of the view's items after it
    more: int  # items after the first MAX_ITEMS, counted, not listed
    tags: dict[int, list[str]]


def find_new(session: Session, f: ListingFilter, after: int, names: dict[str, str]) -> Found | None:
    """The items of the view `f` whose sequence number is above `after`, oldest change first."""
    item, source = table_of(Item).c, table_of(Source).c
    rows = session.execute(
        sa.select(item.id, item.seq, item.content_hash, item.title, item.doc_type,
                  item.published_at, item.undated, source.name)
        .join(table_of(Source), source.id == item.source_id)
        .where(*where(f), item.seq > after)
        .order_by(item.seq)
        .limit(MAX_ITEMS)
    ).all()  # fmt: skip
    if not rows:
        return None
    top, more = max(r.seq for r in rows), 0
    if len(rows) == MAX_ITEMS:
        high, count = session.execute(
            sa.select(sa.func.max(item.seq), sa.func.count()).where(*where(f), item.seq > after)
        ).one()
        top, more = int(high), int(count) - len(rows)
    return Found(list(rows), top, more, _tags(session, [r.id for r in rows], names))


def decide(
    session: Session, work: Sequence[tuple[AlertSubscription, Found | None]], now: datetime
) -> int:
    """Queue each subscription's digest of what `find_new` found; how many were queued.

    Call inside a write transaction that has re-read the subscriptions: the
    caller's commit is the decision. Items past the first MAX_ITEMS are
    counted in the mail ("and 40 more") and not listed, so not recorded as sent.
    """
    work = [(sub, found) for sub, found in work if found is not None]
    if not work:
        return 0
    before = _sent_before(session, work)
    mails: list[dict[str, Any]] = []
    listed: list[list[Any]] = []
    moves: list[dict[str, Any]] = []
    for sub, found in work:
        assert found is not None
        fresh = [r for r in found.rows if r.content_hash not in before[(sub.id, r.id)]]
        move = {"b_id": sub.id, "b_seq": found.top, "b_at": sub.last_digest_at}
        moves.append(move)
        if not fresh:
            continue  # only tag or grouping changes: nothing to tell
        entries = [
            {"id": r.id, "seq": r.seq, "kind": "updated" if before[(sub.id, r.id)] else "new",
             "title": r.title, "type": r.doc_type,
             "date": None if r.undated else r.published_at.date().isoformat(),
             "source": r.name, "tags": found.tags.get(r.id, [])}
            for r in fresh
        ]  # fmt: skip
        if found.more:
            entries.append({"kind": "more", "count": found.more})
        mails.append({"subscription_id": sub.id, "kind": "digest", "items": entries,
                      "created_at": now, "attempts": 0, "next_attempt_at": now})  # fmt: skip
        listed.append(fresh)
        move["b_at"] = now
    _say_what_changed(session, mails)
    box = table_of(AlertOutbox)
    if mails:
        inserted = session.execute(
            sa.insert(box).returning(box.c.id, sort_by_parameter_order=True), mails
        )
        ids = list(inserted.scalars())
        sent = [
            {"subscription_id": mail["subscription_id"], "item_id": r.id,
             "content_hash": r.content_hash, "item_seq": r.seq, "outbox_id": mail_id}
            for mail, mail_id, rows in zip(mails, ids, listed, strict=True)
            for r in rows
        ]  # fmt: skip
        session.execute(sa.insert(table_of(AlertSent)), sent)
        queue_webhooks(session, [sub for sub, _ in work], mails, ids)
    subs = table_of(AlertSubscription)
    session.execute(
        sa.update(subs)
        .where(subs.c.id == sa.bindparam("b_id"))
        .values(last_sent_seq=sa.bindparam("b_seq"), last_digest_at=sa.bindparam("b_at")),
        moves,
    )
    return len(mails)


def _say_what_changed(session: Session, mails: list[dict[str, Any]]) -> None:
    """Give each "updated" entry the one-line summary of its latest change, if stored."""
    updated = [e for m in mails for e in m["items"] if e.get("kind") == "updated"]
    changes = item_versions.last_changes(session, sorted({e["id"] for e in updated}))
    for entry in updated:
        said = changes.get(entry["id"], "").removeprefix("Updated").lstrip(": ")
        if said:
            entry["change"] = said


def queue_webhooks(
    session: Session,
    subs: Sequence[AlertSubscription],
    mails: Sequence[dict[str, Any]],
    ids: Sequence[int],
) -> None:
    """Give each digest just decided for a subscription with a webhook its webhook post.

    Part of the decision's transaction, like the digest: the post carries the
    same items, so the `alert_sent` rows keep them to one post as to one mail.
    A webhook-only subscription's digest row becomes the post.
    """
    hooked = {sub.id: sub for sub in subs if sub.webhook_url}
    copies, turned = [], []
    for mail, mail_id in zip(mails, ids, strict=True):
        sub = hooked.get(mail["subscription_id"])
        if sub is None:
            continue
        if sub.webhook_only:
            turned.append(mail_id)
        else:
            copies.append({**mail, "kind": "webhook"})
    box = table_of(AlertOutbox)
    if copies:
        session.execute(sa.insert(box), copies)
    if turned:
        session.execute(sa.update(box).where(box.c.id.in_(turned)).values(kind="webhook"))


def _sent_before(
    session: Session, work: Sequence[tuple[AlertSubscription, Found | None]]
) -> dict[tuple[int | None, int], set[str]]:
    """{(subscription, item): content hashes already sent} for the items found."""
    sent = table_of(AlertSent).c
    items = sorted({r.id for _, found in work if found for r in found.rows})
    subs = [sub.id for sub, _ in work]
    before: dict[tuple[int | None, int], set[str]] = defaultdict(set)
    for start in range(0, len(subs), 500):
        for sub_id, item_id, digest in session.execute(
            sa.select(sent.subscription_id, sent.item_id, sent.content_hash).where(
                sent.subscription_id.in_(subs[start : start + 500]), sent.item_id.in_(items)
            )
        ):
            before[(sub_id, item_id)].add(digest)
    return before


def _tags(session: Session, item_ids: list[int], names: dict[str, str]) -> dict[int, list[str]]:
    tag = table_of(ItemTag).c
    found: dict[int, list[str]] = defaultdict(list)
    for item_id, slug in session.execute(
        sa.select(tag.item_id, tag.slug)
        .where(tag.item_id.in_(item_ids), tag.status != "rejected")
        .order_by(tag.kind.desc(), tag.slug)
    ):
        found[item_id].append(names.get(slug, slug))
    return found


def claim(
    engine: Engine, limit: int, now: datetime | None = None, only: int | None = None
) -> list[int]:
    """Take up to `limit` due mails for LEASE (only the row `only`, when given);
    other senders skip them meanwhile."""
    now = now or utcnow()
    box = table_of(AlertOutbox).c
    stmt = (
        sa.select(box.id)
        .where(box.sent_at.is_(None), box.failed_at.is_(None), box.next_attempt_at <= now,
               sa.or_(box.claimed_until.is_(None), box.claimed_until < now))
        .order_by(box.id)
        .limit(limit)
    )  # fmt: skip
    if only is not None:
        stmt = stmt.where(box.id == only)
    postgres = engine.dialect.name == "postgresql"
    scope = session_scope(engine) if postgres else write_scope(engine)
    with scope as session:
        if postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        ids = [int(i) for i in session.execute(stmt).scalars()]
        if ids:
            session.execute(
                sa.update(table_of(AlertOutbox)).where(box.id.in_(ids))
                .values(claimed_until=now + LEASE)
            )  # fmt: skip
    return ids


def load(session: Session, ids: Sequence[int]) -> list[tuple[AlertOutbox, AlertSubscription]]:
    rows = session.execute(
        sa.select(AlertOutbox, AlertSubscription)
        .join(AlertSubscription, AlertSubscription.id == AlertOutbox.subscription_id)  # type: ignore[arg-type]
        .where(table_of(AlertOutbox).c.id.in_(list(ids)))
        .order_by(table_of(AlertOutbox).c.id)
    ).all()
    return [(mail, sub) for mail, sub in rows]


def sent_recently(session: Session, emails: Iterable[str], now: datetime) -> dict[str, int]:
    """Mails sent to each address in the 24 hours before `now`."""
    box, sub = table_of(AlertOutbox).c, table_of(AlertSubscription).c
    stmt = (
        sa.select(sub.email, sa.func.count())
        .join(table_of(AlertOutbox), box.subscription_id == sub.id)
        .where(sub.email.in_(sorted(set(emails))), box.sent_at >= now - timedelta(days=1))
        .where(box.kind != "webhook")  # webhooks are not mail: the cap is for inboxes
        .group_by(sub.email)
    )
    return {email: int(n) for email, n in session.execute(stmt)}


def finish(engine: Engine, outcomes: dict[int, tuple[str, str | None]], now: datetime) -> None:
    """Record each mail's outcome: sent, retry (with backoff), failed or later (rate cap)."""
    if not outcomes:
        return
    box = table_of(AlertOutbox).c
    with session_scope(engine) as session:
        attempts = {
            int(mail_id): int(tries)
            for mail_id, tries in session.execute(
                sa.select(box.id, box.attempts).where(box.id.in_(list(outcomes)))
            )
        }
        for mail_id, (state, error) in outcomes.items():
            values: dict[str, Any] = {"claimed_until": None}
            tries = attempts.get(mail_id, 0) + (state != "later")
            values["attempts"] = tries
            if state == "sent":
                values["sent_at"] = now
            elif state == "failed" or (state == "retry" and tries > len(BACKOFF)):
                values.update(failed_at=now, last_error=error)
            elif state == "retry":
                values.update(next_attempt_at=now + BACKOFF[tries - 1], last_error=error)
            else:  # later: the address's cap is reached; try again in an hour
                values.update(next_attempt_at=now + timedelta(hours=1), last_error=error)
            session.execute(sa.update(table_of(AlertOutbox)).where(box.id == mail_id)
                            .values(**values))  # fmt: skip
