"""The audit log: every change a person makes, with the record before and after."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import AuditLog, Item, table_of, utcnow

# Changes made with the `tracker` command rather than from the site.
COMMAND_LINE = "(command line)"


def record(
    session: Session,
    actor: str,
    action: str,
    target: tuple[str, object],
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditLog:
    """Add one entry: `actor` did `action` (e.g. "tag.confirm") to `target` (type, id)."""
    entry = AuditLog(
        at=utcnow(),
        actor=actor,
        action=action,
        target_type=target[0],
        target_id=str(target[1]),
        before=_plain(before),
        after=_plain(after),
    )
    session.add(entry)
    return entry


def _plain(values: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """JSON-ready: times as ISO strings, tuples as lists, nested the same way."""
    if values is None:
        return None
    return {str(k): _value(v) for k, v in values.items()}


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return _plain(value)
    if isinstance(value, list | tuple | set | frozenset):
        items = [_value(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    return value


@dataclass(frozen=True)
class AuditPage:
    """A page of entries, newest first, and how many there are in all."""

    entries: list[AuditLog]
    total: int


def audit_page(
    session: Session, *, limit: int = 50, offset: int = 0, actor: str | None = None
) -> AuditPage:
    """Entries newest first, optionally only one person's."""
    stmt = select(AuditLog)
    count = sa.select(sa.func.count()).select_from(table_of(AuditLog))
    if actor:
        stmt = stmt.where(AuditLog.actor == actor)
        count = count.where(table_of(AuditLog).c.actor == actor)
    stmt = stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(offset)  # type: ignore[attr-defined, union-attr]
    return AuditPage(list(session.exec(stmt)), int(session.execute(count).scalar_one()))


# ---------------------------------------------------------------- reading it

# What each action did, as a reader says it.
VERBS = {
    "tag.confirm": "confirmed",
    "tag.reject": "rejected",
    "tag.add": "added",
    "source.add": "added the source",
    "source.edit": "edited the source",
    "source.pause": "paused the source",
    "source.resume": "resumed the source",
    "event.merge": "merged",
    "event.split": "moved into an event of its own",
    "user.create": "created the account",
    "user.password": "set the password of",
    "user.role": "changed the role of",
    "user.lock": "locked the account",
}
FIELD_LABELS = {
    "status": "Status", "origin": "Origin", "name": "Name", "kind": "Kind", "url": "Address",
    "doc_type": "Document type", "owner": "Owner", "homepage": "Home page",
    "interval_minutes": "Minutes between fetches", "selectors": "Selectors",
    "enabled": "Fetched", "role": "Role", "locked_until": "Locked until",
}  # fmt: skip
# Stored codes as words, by field.
VALUE_LABELS = {
    "origin": {"rule": "found by the rules", "parent": "implied by a narrower tag",
               "manual": "added by hand", "model": "read from its wording",
               "issuer": "its issuer, by its type"},
}  # fmt: skip
# Fields shown elsewhere in the entry (the item, the tag, the subject).
_SHOWN = {"item_id", "slug", "username"}


@dataclass(frozen=True)
class Change:
    """One field, from what to what, as plain words."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditEntry:
    """An entry as the audit page reads it: who did what to which item, tag or subject."""

    id: int
    at: datetime
    actor: str
    action: str
    verb: str
    item: tuple[int, str] | None = None  # (id, title) of the item a tag or split is on
    tag: tuple[str, str] | None = None  # (slug, kind)
    subject: str = ""  # a source's or account's name, an event's headline
    event_ids: tuple[int, ...] = ()  # events an entry names: kept, merged, new
    changes: tuple[Change, ...] = ()


def readable(session: Session, entries: list[AuditLog]) -> list[AuditEntry]:
    """The entries in plain words, with the titles of the items they touched."""
    item_ids = {i for e in entries if (i := _item_of(e)) is not None}
    titles: dict[int, str] = {}
    if item_ids:
        item = table_of(Item).c
        stmt = sa.select(item.id, item.title).where(item.id.in_(sorted(item_ids)))
        titles = {i: t for i, t in session.execute(stmt)}
    return [_readable(e, titles) for e in entries]


def _item_of(entry: AuditLog) -> int | None:
    state = entry.after or entry.before or {}
    if entry.target_type == "tag" or entry.action == "event.split":
        found = state.get("item_id")
        return int(found) if isinstance(found, int) else None
    return None


def _readable(entry: AuditLog, titles: dict[int, str]) -> AuditEntry:
    before, after = entry.before or {}, entry.after or {}
    item_id = _item_of(entry)
    item = (item_id, titles.get(item_id, f"item {item_id} (since removed)")) if item_id else None
    verb = VERBS.get(entry.action, entry.action.replace(".", " "))
    base = AuditEntry(entry.id or 0, entry.at, entry.actor, entry.action, verb, item)
    state = after or before
    if entry.target_type == "tag":
        tag = (str(state.get("slug", "")), str(state.get("kind", "")))
        return replace(base, tag=tag, changes=_changes(before, after))
    if entry.action == "event.merge":
        kept, merged = before.get("kept") or {}, before.get("merged") or {}
        ids = tuple(int(e["id"]) for e in (kept, merged) if isinstance(e.get("id"), int))
        subject = str(merged.get("headline") or "")
        sizes = Change("Items", str(len(kept.get("items") or [])),
                       str(len((after.get("kept") or {}).get("items") or [])))  # fmt: skip
        return replace(base, subject=subject, event_ids=ids, changes=(sizes,))
    if entry.action == "event.split":
        old, new = before.get("event") or {}, after.get("event") or {}
        ids = tuple(int(e["id"]) for e in (old, new) if isinstance(e.get("id"), int))
        move = Change("Event", _plain_text(old.get("headline")), f"a new event ({new.get('id')})")
        return replace(base, event_ids=ids, changes=(move,))
    subject = str(state.get("name") or state.get("username") or entry.target_id)
    return replace(base, subject=subject, changes=_changes(before, after))


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[Change, ...]:
    keys = [k for k in dict.fromkeys([*before, *after]) if k not in _SHOWN and k != "kind"]
    return tuple(
        Change(FIELD_LABELS.get(k, k.replace("_", " ").capitalize()),
               _word(k, before.get(k)) if before else "", _word(k, after.get(k)))
        for k in keys
        if not before or before.get(k) != after.get(k)
    )  # fmt: skip


def _word(field: str, value: Any) -> str:
    labels = VALUE_LABELS.get(field, {})
    return labels.get(value, _plain_text(value)) if isinstance(value, str) else _plain_text(value)


def _plain_text(value: Any) -> str:
    """A stored value as words: no quotes, no brackets; times to the minute."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        try:
            when = datetime.fromisoformat(value)
        except ValueError:
            return value
        if "T" in value:
            return when.strftime("%-d %b %Y, %H:%M UTC")
        return when.strftime("%-d %b %Y")
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {_plain_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain_text(v) for v in value)
    return str(value)
