"""Sources, their fetch log, and the taxonomy's topics and entities as rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from tracker.models import Entity, FetchLog, Item, Source, Topic, utcnow
from tracker.types import SourceConfig

CONFIG_FIELDS = ("name", "kind", "url", "doc_type", "owner", "homepage", "interval_minutes")


def sync_sources(
    session: Session, configs: Iterable[SourceConfig], *, sample: bool = False, local: bool = False
) -> list[Source]:
    """Create or update source rows from configuration, keeping their fetch state."""
    rows = []
    for config in configs:
        row = session.exec(select(Source).where(Source.slug == config.slug)).first()
        if row is None:
            # The other configured fields are set just below, as for a known source.
            row = Source(slug=config.slug, enabled=config.enabled)  # type: ignore[call-arg]
            session.add(row)
        for name in CONFIG_FIELDS:
            setattr(row, name, getattr(config, name))
        row.selectors = dict(config.selectors)
        if config.disabled_reason or row.disabled_reason:
            # The file says why the source is off (or that it no longer is): that
            # decides, where an admin's pause is otherwise kept across re-reads.
            row.enabled = config.enabled
        row.disabled_reason = config.disabled_reason
        row.is_sample = sample
        row.is_local = local
        rows.append(row)
    session.flush()
    return rows


def local_source(session: Session, slug: str, kind: str, doc_type: str = "news") -> Source:
    """The source that `tracker ingest` files go under, created on first use."""
    row = session.exec(select(Source).where(Source.slug == slug)).first()
    if row is None:
        row = Source(slug=slug, name=f"Local files: {slug}", kind=kind, doc_type=doc_type)
        row.is_local = True
        row.enabled = False
        session.add(row)
        session.flush()
    return row


def source_by_slug(session: Session, slug: str) -> Source | None:
    return session.exec(select(Source).where(Source.slug == slug)).first()


def remote_slugs(session: Session) -> list[str]:
    """Slugs of every source that is fetched (not filled from files), sorted."""
    stmt = select(Source.slug).where(Source.is_local == False)  # noqa: E712
    return sorted(session.exec(stmt))


def fetchable_sources(
    session: Session, slugs: Sequence[str] = (), *, due_only: bool = True
) -> list[Source]:
    """Enabled remote sources, those named, or those due by their interval."""
    stmt = select(Source).where(Source.is_local == False)  # noqa: E712
    if slugs:
        stmt = stmt.where(Source.slug.in_(list(slugs)))  # type: ignore[attr-defined]
    else:
        stmt = stmt.where(Source.enabled == True, Source.is_sample == False)  # noqa: E712
    rows = list(session.exec(stmt.order_by(Source.slug)))
    if slugs or not due_only:
        return rows
    now = utcnow()
    return [r for r in rows if _due(r, now)]


def _due(source: Source, now: datetime) -> bool:
    if source.last_fetched_at is None:
        return True
    return now - source.last_fetched_at >= timedelta(minutes=source.interval_minutes)


def record_fetch(session: Session, source: Source, log: FetchLog) -> None:
    """Add one attempt to the fetch log and update the source's health."""
    log.source_id = source.id  # type: ignore[assignment]
    session.add(log)
    source.last_fetched_at = log.finished_at or utcnow()
    source.last_status = log.outcome
    source.last_error = log.error
    source.failures = source.failures + 1 if log.outcome == "error" else 0
    session.add(source)


def sync_taxonomy(
    session: Session,
    topics: Iterable[tuple[str, str, str]],
    entities: Iterable[tuple[str, str, str, str, str | None]],
) -> None:
    """Make the topic and entity rows equal to the taxonomy (slug, name, ...)."""
    session.execute(sa.delete(Topic))
    session.execute(sa.delete(Entity))
    session.add_all(Topic(slug=s, name=n, description=d) for s, n, d in topics)
    session.add_all(
        Entity(slug=s, name=n, kind=k, description=d, parent=p) for s, n, k, d, p in entities
    )
    session.flush()


def item_count(session: Session) -> int:
    return session.exec(select(sa.func.count()).select_from(Item)).one()
