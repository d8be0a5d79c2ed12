"""Sources as readers see them: each with its item count and last attempt, and the
latest fetches (the sources page). Editing a source is `source_edits`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.models import FetchLog, ItemSource, Source


def source_health(session: Session) -> list[dict[str, Any]]:
    """Every source with its item count and last attempt."""
    counts = dict(
        session.exec(
            select(ItemSource.source_id, sa.func.count()).group_by(ItemSource.source_id)  # type: ignore[arg-type]
        ).all()
    )
    rows = []
    for source in session.exec(select(Source).order_by(col(Source.is_sample), Source.name)):
        rows.append({"source": source, "items": counts.get(source.id or 0, 0)})
    return rows


def recent_fetches(session: Session, limit: int = 20) -> list[tuple[FetchLog, Source]]:
    stmt = (
        select(FetchLog, Source)
        .join(Source, Source.id == FetchLog.source_id)  # type: ignore[arg-type]
        .order_by(FetchLog.id.desc())  # type: ignore[union-attr]
        .limit(limit)
    )
    return list(session.exec(stmt))
