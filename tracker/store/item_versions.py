"""Earlier versions of items: kept by ingest when a title or text changes, read for the item page.

`keep_versions` runs in the transaction that updates the items (see
`ingest._update_changed`), before the update, so a crash keeps both or
neither. `item_history` gives the item page (templates/item.html) every
version, newest first, each with what changed from the one before it as
`tracker.wording_diff` segments; `last_changes` gives the feeds one line on
the latest change of each changed item they list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from tracker.models import Item, ItemVersion, table_of
from tracker.types import ItemRecord
from tracker.wording_diff import Segment, change_summary, word_diff

CHUNK = 500
ITEM = table_of(Item).c
VERSION = table_of(ItemVersion).c


def keep_versions(session: Session, incoming: Mapping[int, ItemRecord], now: datetime) -> int:
    """Store the current title and text of each item whose incoming record changes either.

    Other changes (a new link, an update time, a summary's markup alone) keep
    no version: a reader would see no difference in the words.
    """
    ids = sorted(incoming)
    kept = []
    for start in range(0, len(ids), CHUNK):
        rows = session.execute(
            sa.select(ITEM.id, ITEM.seq, ITEM.title, ITEM.summary_html, ITEM.text, ITEM.url,
                      ITEM.content_hash, ITEM.changed_at)
            .where(ITEM.id.in_(ids[start : start + CHUNK]))
        )  # fmt: skip
        for r in rows:
            new = incoming[r.id]
            if r.title == new.title and _words(r.text) == _words(new.text):
                continue
            kept.append({
                "item_id": r.id, "seq": r.seq, "title": r.title, "summary_html": r.summary_html,
                "text": r.text, "url": r.url, "content_hash": r.content_hash,
                "valid_from": r.changed_at, "replaced_at": now,
            })  # fmt: skip
    if kept:
        session.execute(sa.insert(table_of(ItemVersion)), kept)
    return len(kept)


@dataclass(frozen=True)
class VersionChange:
    """One version of an item and how it differs from the version before it."""

    seq: int
    title: str
    text: str
    valid_from: datetime
    until: datetime | None  # None: the current version
    title_diff: list[Segment]
    text_diff: list[Segment]
    summary: str  # one line: "Updated: title was “…”; text: 12 words inserted, 3 deleted"


def item_history(session: Session, item_id: int) -> list[VersionChange]:
    """Every version of the item, the current one first; [] for an item never changed.

    The oldest version's differences are empty: there is nothing before it.
    """
    current = session.execute(
        sa.select(ITEM.seq, ITEM.title, ITEM.text, ITEM.changed_at).where(ITEM.id == item_id)
    ).first()
    if current is None:
        return []
    older = session.execute(
        sa.select(VERSION.seq, VERSION.title, VERSION.text, VERSION.valid_from,
                  VERSION.replaced_at)
        .where(VERSION.item_id == item_id)
        .order_by(VERSION.valid_from, VERSION.id)
    ).all()  # fmt: skip
    if not older:
        return []
    chain = [(v.seq, v.title, v.text, v.valid_from, v.replaced_at) for v in older]
    chain.append((current.seq, current.title, current.text, current.changed_at, None))
    out = []
    for index, (seq, title, text, since, until) in enumerate(chain):
        if index == 0:
            title_diff, text_diff, summary = [], [], "First version kept"
        else:
            _, old_title, old_text, _, _ = chain[index - 1]
            title_diff, text_diff = word_diff(old_title, title), word_diff(old_text, text)
            summary = change_summary(old_title, title, old_text, text)
        out.append(VersionChange(seq, title, text, since, until, title_diff, text_diff, summary))
    return out[::-1]


def last_changes(session: Session, item_ids: list[int]) -> dict[int, str]:
    """For each listed item the source changed, one line on its latest change.

    One query for the whole page of items: the version each replaced last,
    compared with what the item says now. Items never changed are left out.
    """
    if not item_ids:
        return {}
    newest = (
        sa.select(VERSION.item_id, sa.func.max(VERSION.id).label("id"))
        .where(VERSION.item_id.in_(item_ids))
        .group_by(VERSION.item_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(ITEM.id, ITEM.title, ITEM.text, VERSION.title, VERSION.text)
        .select_from(newest)
        .join(table_of(ItemVersion), VERSION.id == newest.c.id)
        .join(table_of(Item), ITEM.id == newest.c.item_id)
    ).all()
    return {
        item_id: change_summary(old_title, title, old_text, text)
        for item_id, title, text, old_title, old_text in rows
    }


def _words(text: str) -> str:
    return " ".join(text.split())
