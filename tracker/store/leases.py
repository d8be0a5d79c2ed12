"""Fetch workers' shared state: source and host leases, and heartbeats.

A worker claims one due source at a time together with the lease of its
host, in one transaction. Holding the host's lease is what limits the whole
fleet to one request at a time per host; the host's `next_request_at` keeps
the minimum gap between two. On PostgreSQL the candidates are read with
``FOR UPDATE SKIP LOCKED``, so workers never wait on each other's rows; on
SQLite one writer at a time holds the database. On both, every lease is
taken by an UPDATE whose WHERE re-checks that it is free, so two workers can
never hold one source. A lease ends when the worker releases it or when it
runs out (a worker killed with SIGKILL renews nothing), whichever is first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from tracker.models import FetchHost, Source, WorkerBeat, table_of
from tracker.schedule import host_key

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SOURCE, HOST = table_of(Source), table_of(FetchHost)


@dataclass(frozen=True)
class Claim:
    """One source a worker holds, with its host."""

    source_id: int
    slug: str
    name: str
    host: str


@dataclass(frozen=True)
class Released:
    """A source's health just after its lease was given back."""

    failures: int
    next_attempt_at: datetime | None


def _free(table: sa.Table, now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(table.c.lease_until.is_(None), table.c.lease_until < now)


def _due(now: datetime) -> sa.ColumnElement[bool]:
    """A live source whose time has come and that nobody holds."""
    return sa.and_(
        SOURCE.c.enabled.is_(True),
        SOURCE.c.is_sample.is_(False),
        SOURCE.c.is_local.is_(False),
        SOURCE.c.host.is_not(None),
        sa.or_(SOURCE.c.next_attempt_at.is_(None), SOURCE.c.next_attempt_at <= now),
        _free(SOURCE, now),
    )


def claim(session: Session, owner: str, now: datetime, lease_seconds: float) -> Claim | None:
    """Lease one due source and its host for `owner`, or None if nothing may be fetched now."""
    until = now + timedelta(seconds=lease_seconds)
    postgres = session.get_bind().dialect.name == "postgresql"
    ready = sa.or_(HOST.c.next_request_at.is_(None), HOST.c.next_request_at <= now)
    has_due = sa.exists().where(SOURCE.c.host == HOST.c.host, _due(now))
    hosts = (
        sa.select(HOST.c.host)
        .where(_free(HOST, now), ready, has_due)
        .order_by(sa.func.coalesce(HOST.c.next_request_at, EPOCH), HOST.c.host)
        .limit(1)
    )
    if postgres:
        hosts = hosts.with_for_update(skip_locked=True, of=HOST)
    host = session.execute(hosts).scalar()
    if host is None:
        return None
    took = _changed(
        session,
        sa.update(HOST)
        .where(HOST.c.host == host, _free(HOST, now), ready)
        .values(lease_owner=owner, lease_until=until),
    )
    if took != 1:  # SQLite: another worker took it between our read and write
        session.rollback()
        return None
    sources = (
        sa.select(SOURCE.c.id, SOURCE.c.slug, SOURCE.c.name)
        .where(SOURCE.c.host == host, _due(now))
        .order_by(sa.func.coalesce(SOURCE.c.next_attempt_at, EPOCH), SOURCE.c.id)
        .limit(1)
    )
    if postgres:
        sources = sources.with_for_update(skip_locked=True, of=SOURCE)
    row = session.execute(sources).first()
    if row is not None:
        took = _changed(
            session,
            sa.update(SOURCE)
            .where(SOURCE.c.id == row.id, _free(SOURCE, now))
            .values(lease_owner=owner, lease_until=until),
        )
    if row is None or took != 1:
        session.rollback()
        return None
    session.commit()
    return Claim(row.id, row.slug, row.name, host)


def hold(
    session: Session, owner: str, slug: str, now: datetime, lease_seconds: float
) -> Claim | str:
    """Lease a source named on the command line, due or not, and its host.

    Returns the claim, or why not: "held" words naming the worker that has the
    source, or "host" when another source of its host is being asked now (the
    caller waits its turn; politeness holds for `tracker fetch` too).
    """
    row = session.execute(
        sa.select(SOURCE.c.id, SOURCE.c.slug, SOURCE.c.name, SOURCE.c.url, SOURCE.c.host,
                  SOURCE.c.lease_owner, SOURCE.c.lease_until)
        .where(SOURCE.c.slug == slug)
    ).first()  # fmt: skip
    if row is None:
        return "no such source"
    if row.lease_owner and row.lease_until and _aware(row.lease_until) >= now:
        session.rollback()
        return f"held: being fetched now by worker {row.lease_owner}"
    host = row.host or host_key(row.url or "") or f"source-{row.id}"
    if row.host != host:
        session.execute(sa.update(SOURCE).where(SOURCE.c.id == row.id).values(host=host))
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(HOST).values(host=host).on_conflict_do_nothing(index_elements=["host"]))
    until = now + timedelta(seconds=lease_seconds)
    ready = sa.or_(HOST.c.next_request_at.is_(None), HOST.c.next_request_at <= now)
    took_host = _changed(
        session,
        sa.update(HOST)
        .where(HOST.c.host == host, _free(HOST, now), ready)
        .values(lease_owner=owner, lease_until=until),
    )
    took_source = took_host and _changed(
        session,
        sa.update(SOURCE)
        .where(SOURCE.c.id == row.id, _free(SOURCE, now))
        .values(lease_owner=owner, lease_until=until),
    )
    if not took_host or not took_source:
        session.rollback()
        return "host" if not took_host else "held: being fetched now by another worker"
    session.commit()
    return Claim(row.id, row.slug, row.name, host)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every moment here is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _changed(session: Session, statement: sa.Update) -> int:
    """Run an UPDATE; how many rows it changed."""
    result = cast("sa.CursorResult[Any]", session.execute(statement))
    return result.rowcount


def release(
    session: Session, owner: str, held: Claim, now: datetime, gap_seconds: float,
    retry_after: float | None = None,
) -> Released:  # fmt: skip
    """Give back `held`; its host may be asked again after the gap (or its Retry-After)."""
    # A host that said "come back later" is asked nothing at all until then,
    # whichever of its sources asks next (capped: one bad header must not
    # silence a host for days).
    wait = max(gap_seconds, min(retry_after or 0.0, 3600.0))
    session.execute(
        sa.update(HOST)
        .where(HOST.c.host == held.host, HOST.c.lease_owner == owner)
        .values(lease_owner=None, lease_until=None, next_request_at=now + timedelta(seconds=wait))
    )
    session.execute(
        sa.update(SOURCE)
        .where(SOURCE.c.id == held.source_id, SOURCE.c.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )
    row = session.execute(
        sa.select(SOURCE.c.failures, SOURCE.c.next_attempt_at).where(SOURCE.c.id == held.source_id)
    ).first()
    session.commit()
    return Released(row.failures, row.next_attempt_at) if row else Released(0, None)


def renew(session: Session, owner: str, until: datetime) -> int:
    """Extend every lease `owner` holds to `until`; how many sources it holds."""
    session.execute(sa.update(HOST).where(HOST.c.lease_owner == owner).values(lease_until=until))
    held = _changed(
        session, sa.update(SOURCE).where(SOURCE.c.lease_owner == owner).values(lease_until=until)
    )
    session.commit()
    return held


def release_all(session: Session, owner: str, until: datetime | None = None) -> None:
    """Give back everything `owner` holds now (`until` None), or let it run out at `until`."""
    values = {"lease_until": until} if until else {"lease_owner": None, "lease_until": None}
    for table in (HOST, SOURCE):
        session.execute(sa.update(table).where(table.c.lease_owner == owner).values(**values))
    session.commit()


def sync_hosts(session: Session) -> int:
    """Give every remote source its host key and every host its row; how many changed.

    A source first seen by a worker (no `next_attempt_at` yet) that was fetched
    recently is due one interval after that fetch, not at once.
    """
    changed = 0
    rows = session.execute(
        sa.select(SOURCE.c.id, SOURCE.c.url, SOURCE.c.host, SOURCE.c.next_attempt_at,
                  SOURCE.c.last_fetched_at, SOURCE.c.interval_minutes)
        .where(SOURCE.c.is_local.is_(False))
    ).all()  # fmt: skip
    for row in rows:
        key = host_key(row.url or "")
        values: dict[str, object] = {}
        if key != row.host:
            values["host"] = key
        if row.next_attempt_at is None and row.last_fetched_at is not None:
            values["next_attempt_at"] = row.last_fetched_at + timedelta(
                minutes=max(1, row.interval_minutes)
            )
        if values:
            session.execute(sa.update(SOURCE).where(SOURCE.c.id == row.id).values(**values))
            changed += 1
    known = sa.select(SOURCE.c.host).where(SOURCE.c.host.is_not(None)).distinct()
    hosts = [{"host": h} for h in session.execute(known).scalars()]
    if hosts:
        insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
        session.execute(insert(HOST).values(hosts).on_conflict_do_nothing(index_elements=["host"]))
    session.commit()
    return changed


def beat(session: Session, record: WorkerBeat) -> None:
    """Write one worker's heartbeat (its row is created on the first)."""
    row = session.get(WorkerBeat, record.name)
    if row is None:
        session.add(record)
    else:
        for name in ("state", "beat_at", "in_flight", "fetched", "failed"):
            setattr(row, name, getattr(record, name))
        session.add(row)
    session.commit()


def worker_beats(session: Session, since: datetime) -> list[WorkerBeat]:
    """Workers heard from since `since`, the most recent first."""
    stmt = select(WorkerBeat).where(WorkerBeat.beat_at >= since)
    return list(session.exec(stmt.order_by(col(WorkerBeat.beat_at).desc())))
