"""The audit log: every change a person makes, with the record before and after."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import AuditLog, table_of, utcnow

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
