"""Sources, their fetch log, and the taxonomy's topics and entities as rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from tracker.models import Entity, FetchLog, Item, Source, Topic, table_of, utcnow
from tracker.schedule import host_key, next_attempt
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
        row.host = None if local else host_key(config.url)
        row.is_sample = sample
        row.is_local = local
        rows.append(row)
    session.flush()
    return rows


def local_source(session: Session, slug: str, kind: str, doc_type: str = "news") -> Source:
    """The source that `tracker ingest` files go under, created on first use.

    Insert-or-nothing, then read: two ingests naming one new source at once
    both get the one row instead of the second failing on the unique slug.
    """
    row = session.exec(select(Source).where(Source.slug == slug)).first()
    if row is not None:
        return row
    values = {
        "slug": slug, "name": f"Local files: {slug}", "kind": kind, "doc_type": doc_type, "url": "",
        "is_local": True, "enabled": False, "selectors": {}, "is_sample": False,
        "interval_minutes": 60, "failures": 0,
    }  # fmt: skip
    session.execute(_insert_new(session, table_of(Source), values, ["slug"]))
    return session.exec(select(Source).where(Source.slug == slug)).one()


def _insert_new(
    session: Session, table: sa.Table, values: dict[str, object], keys: list[str]
) -> sa.Insert:
    """INSERT ... ON CONFLICT (keys) DO NOTHING, in this session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).values(values).on_conflict_do_nothing(index_elements=keys)
    return sqlite.insert(table).values(values).on_conflict_do_nothing(index_elements=keys)


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
    if source.next_attempt_at is not None:  # set by the last fetch, back-off included
        return now >= source.next_attempt_at
    if source.last_fetched_at is None:
        return True
    return now - source.last_fetched_at >= timedelta(minutes=source.interval_minutes)


def record_fetch(
    session: Session, source: Source, log: FetchLog, retry_after: float | None = None
) -> None:
    """Add one attempt to the fetch log, update the source's health, and say when
    it is due again (back-off after failures, never before `retry_after` seconds)."""
    log.source_id = source.id  # type: ignore[assignment]
    session.add(log)
    finished = log.finished_at or utcnow()
    source.last_fetched_at = finished
    source.last_status = log.outcome
    source.last_error = log.error
    source.failures = source.failures + 1 if log.outcome == "error" else 0
    if log.outcome != "error":
        source.last_success_at = finished
    source.next_attempt_at = next_attempt(
        finished, source.interval_minutes, source.failures, retry_after
    )
    session.add(source)


def configuration_is_current(
    session: Session,
    topics: Sequence[tuple[str, str, str]],
    entities: Sequence[tuple[str, str, str, str, str | None]],
    configs: Sequence[SourceConfig],
) -> bool:
    """Whether the topic, entity and source rows already say what the configuration
    says. Then a command's start writes nothing, and waits for no write lock
    while a large feed is being grouped."""
    stored_topics = {(t.slug, t.name, t.description) for t in session.exec(select(Topic))}
    stored_entities = {
        (e.slug, e.name, e.kind, e.description, e.parent) for e in session.exec(select(Entity))
    }
    if stored_topics != set(topics) or stored_entities != set(entities):
        return False
    sources = {row.slug: row for row in session.exec(select(Source))}
    for config in configs:
        row = sources.get(config.slug)
        if row is None or row.is_sample or row.is_local or row.selectors != dict(config.selectors):
            return False
        # A reason to be off in the file keeps the source off (see sync_sources),
        # even after an admin resumed it.
        reason = config.disabled_reason
        if row.disabled_reason != reason or (reason and row.enabled):
            return False
        if any(getattr(row, name) != getattr(config, name) for name in CONFIG_FIELDS):
            return False
    return True


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
