"""Sources: as readers see them (each with its item count and last attempt, and
the latest fetches: the sources page), and admins' edits to them (adding,
editing, pausing; each one audited).

Sources named in `data/sources.toml` are re-read from it by every `tracker
init` (and so every `tracker fetch`), which would silently undo an edit made
on the site; so the site edits only the sources it added, and pauses any.
Pausing survives a re-read: `catalog.sync_sources` never touches `enabled`
of a source it already has.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from tracker.models import FetchLog, ItemSource, Source
from tracker.store import EditRefused, NotFound, audit
from tracker.store.catalog import CONFIG_FIELDS
from tracker.store.memo import remembered
from tracker.types import SourceConfig


def source_health(session: Session) -> list[dict[str, Any]]:
    """Every source with its item count and last attempt."""

    def count() -> dict[int, int]:
        by_source = select(ItemSource.source_id, sa.func.count()).group_by(ItemSource.source_id)  # type: ignore[arg-type]
        return dict(session.exec(by_source).all())

    # A count over every item's sources (about 100 ms at a million items):
    # remembered until an item changes, as the timelines' figures are.
    counts = remembered(session, "items per source", count)
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


def all_sources(session: Session) -> list[Source]:
    """Every source, remote ones first, by name as a reader alphabetises ("govinfo"
    among the Gs, not after every capital)."""
    stmt = select(Source).order_by(Source.is_local, sa.func.lower(Source.name), Source.name)  # type: ignore[arg-type]
    return list(session.exec(stmt))


def get_source(session: Session, slug: str) -> Source:
    source = session.exec(select(Source).where(Source.slug == slug)).first()
    if source is None:
        raise NotFound(f"There is no source {slug!r}.")
    return source


def add_source(session: Session, config: SourceConfig, actor: str) -> Source:
    """A new remote source from a validated configuration; `EditRefused` if the slug is taken."""
    if session.exec(select(Source).where(Source.slug == config.slug)).first() is not None:
        raise EditRefused(f"There is already a source {config.slug!r}.")
    source = Source(slug=config.slug, name=config.name, kind=config.kind, enabled=config.enabled)
    _apply(source, config)
    session.add(source)
    session.flush()
    audit.record(session, actor, "source.add", ("source", config.slug), None, snapshot(source))
    return source


def update_source(
    session: Session, config: SourceConfig, actor: str, from_file: Collection[str] = ()
) -> bool:
    """Change a source's settings; returns whether anything changed.

    `from_file` names the sources of `data/sources.toml`, which are edited there.
    """
    source = get_source(session, config.slug)
    if source.is_local:
        raise EditRefused("Local and sample sources are filled by `tracker ingest`, not fetched.")
    if config.slug in from_file:
        raise EditRefused(f"{config.slug!r} is defined in data/sources.toml: edit it there.")
    before = snapshot(source)
    _apply(source, config)
    after = snapshot(source)
    if after == before:
        return False
    if after["url"] != before["url"]:  # the validators and paging belonged to the old URL
        source.etag = source.last_modified = source.next_page = None
    session.add(source)
    audit.record(session, actor, "source.edit", ("source", config.slug), before, after)
    return True


def follow_bill(session: Session, config: SourceConfig, actor: str) -> tuple[Source, bool]:
    """The source following a bill, added if no source fetches that bill's file yet.

    Returns the source and whether it is new; a bill already followed (by
    `data/sources.toml`, the site or an earlier call) is left as it is.
    """
    same = (Source.slug == config.slug) | (Source.url == config.url)
    existing = session.exec(select(Source).where(same)).first()
    if existing is not None:
        return existing, False
    return add_source(session, config, actor), True


def set_enabled(session: Session, slug: str, enabled: bool, actor: str) -> bool:
    """Pause or resume fetching a source; returns whether it changed."""
    source = get_source(session, slug)
    if source.enabled == enabled:
        return False
    before = snapshot(source)
    source.enabled = enabled
    session.add(source)
    action = "source.resume" if enabled else "source.pause"
    audit.record(session, actor, action, ("source", slug), before, snapshot(source))
    return True


def snapshot(source: Source) -> dict[str, Any]:
    """A source's settings as the audit log keeps them."""
    fields = {name: getattr(source, name) for name in CONFIG_FIELDS}
    return {"slug": source.slug, **fields, "selectors": dict(source.selectors),
            "enabled": source.enabled}  # fmt: skip


def _apply(source: Source, config: SourceConfig) -> None:
    for name in CONFIG_FIELDS:
        setattr(source, name, getattr(config, name))
    source.selectors = dict(config.selectors)
    source.is_local = source.is_sample = False
