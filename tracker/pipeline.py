"""Orchestration only: fetch → parse → normalise → tag → store (→ index).

Each stage's logic lives in its own module; this one decides the order,
turns expected failures into per-source outcomes, and never lets one broken
source or file stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from tracker import fetch, search
from tracker.config import Settings
from tracker.intake import RejectedInput, parse_and_store
from tracker.models import FetchLog, Source, utcnow
from tracker.parse import ParseError
from tracker.sources import load_demo_manifest, load_sources
from tracker.store import StoreError, catalog
from tracker.store import demo as demo_store
from tracker.store import tags as tags_store
from tracker.store.bills import link_bill_mentions
from tracker.store.engine import make_engine, migrate, session_scope
from tracker.store.event_batches import pending_count, place_pending
from tracker.store.ingest import StoreReport
from tracker.store.locks import grouping_claim, write_scope
from tracker.tag import tag_item
from tracker.taxonomy import Taxonomy, load_taxonomy
from tracker.types import ParseResult

Progress = Callable[[str], None]
log = logging.getLogger(__name__)


@dataclass
class Outcome:
    """What happened to one source or one file."""

    name: str
    source: str
    status: str  # ok | not-modified | error
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    http_status: int | None = None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    bug: bool = False  # the error was unexpected; its traceback is in the log


class Pipeline:
    """Holds what every run shares: settings, engine, compiled taxonomy."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine or make_engine(settings)
        self._taxonomy: Taxonomy | None = None

    @property
    def taxonomy(self) -> Taxonomy:
        if self._taxonomy is None:
            self._taxonomy = load_taxonomy(self.settings.data_dir / "taxonomy.toml")
        return self._taxonomy

    def ingest_file(
        self, path: Path, source_slug: str | None = None, kind: str | None = None
    ) -> Outcome:
        """One local file through the same pipeline as a fetched source."""
        slug = source_slug or _slug_for(path)
        outcome = Outcome(name=str(path), source=slug, status="ok")
        started = utcnow()
        try:
            content = self._read(path)
            parsed, report = parse_and_store(
                self.engine, self.taxonomy, slug, content, kind, started, local=True
            )
        except (ParseError, RejectedInput, StoreError) as exc:
            outcome.status, outcome.error = "error", str(exc)
        except Exception as exc:  # the last-resort boundary of one file
            _unexpected(outcome, exc)
        else:
            _count(outcome, report, parsed)
        self._log(slug, outcome, started)
        return outcome

    def _read(self, path: Path) -> bytes:
        try:
            size = path.stat().st_size
            if size > self.settings.max_file_bytes:
                raise RejectedInput(
                    f"file is {size / 1e6:.1f} MB, over the "
                    f"{self.settings.max_file_bytes / 1e6:.0f} MB limit (TRACKER_MAX_FILE_BYTES)"
                )
            return path.read_bytes()
        except OSError as exc:
            raise RejectedInput(f"cannot read the file: {exc.strerror or exc}") from None

    def fetch_source(self, slug: str) -> Outcome:
        """Fetch one source, store what is new, log the attempt. Never raises."""
        with session_scope(self.engine) as session:
            source = catalog.source_by_slug(session, slug)
        if source is None:
            return Outcome(name=slug, source=slug, status="error", error="no such source")
        outcome = Outcome(name=source.name, source=slug, status="ok")
        started = utcnow()
        try:
            got = fetch.fetch_url(
                source.url,
                etag=source.etag,
                last_modified=source.last_modified,
                settings=self._fetch_settings(),
            )
            outcome.http_status = got.status
            if got.not_modified:
                outcome.status = "not-modified"
            else:
                parsed, report = parse_and_store(
                    self.engine,
                    self.taxonomy,
                    slug,
                    got.content,
                    _parse_kind(source),
                    got.fetched_at,
                    base_url=got.url,
                    selectors=source.selectors,
                )
                _count(outcome, report, parsed)
                self._remember_validators(slug, got.etag, got.last_modified, parsed.next_page)
        except (fetch.FetchError, ParseError, RejectedInput, StoreError) as exc:
            outcome.status, outcome.error = "error", str(exc)
            outcome.http_status = getattr(exc, "status", outcome.http_status)
        except Exception as exc:  # the last-resort boundary of one source
            _unexpected(outcome, exc)
        self._log(slug, outcome, started)
        return outcome

    def fetch_all(
        self, slugs: Iterable[str] = (), progress: Progress | None = None
    ) -> list[Outcome]:
        """Fetch the named sources, or every due one; one failure stops nothing."""
        with session_scope(self.engine) as session:
            due = [s.slug for s in catalog.fetchable_sources(session, list(slugs))]
        outcomes = []
        for slug in due:
            if progress:
                progress(slug)
            outcomes.append(self.fetch_source(slug))
        self.settle()
        return outcomes

    def init(self) -> None:
        """Create or upgrade the schema and load the taxonomy and sources; repeatable."""
        migrate(self.engine)
        taxonomy = self.taxonomy
        configs = load_sources(self.settings.data_dir / "sources.toml")
        topics, entities = taxonomy.topic_rows(), taxonomy.entity_rows()
        with session_scope(self.engine) as session:
            if catalog.configuration_is_current(session, topics, entities, configs):
                return
        with write_scope(self.engine) as session:
            catalog.sync_taxonomy(session, topics, entities)
            catalog.sync_sources(session, configs)

    def load_demo(self, progress: Progress | None = None) -> list[Outcome]:
        """Store the bundled demo snapshot under its sample sources (kept apart from live data)."""
        files = load_demo_manifest(self.settings.demo_dir)
        with session_scope(self.engine) as session:
            catalog.sync_sources(session, [f.source for f in files], sample=True, local=True)
        outcomes = []
        for demo in files:
            if progress:
                progress(demo.path.name)
            outcomes.append(self.ingest_file(demo.path, demo.source.slug, demo.source.kind))
        self.settle()
        return outcomes

    def remove_demo(self) -> demo_store.DemoRemoval:
        """Delete the bundled demo snapshot, then drop its items from the search index."""
        with session_scope(self.engine) as session:
            removed = demo_store.remove_demo(session)
        search.catch_up(self.settings, self.engine)
        return removed

    def demo_is_outdated(self) -> bool:
        """Whether the stored demo snapshot has sources the bundled one no longer has."""
        shipped = {f.source.slug for f in load_demo_manifest(self.settings.demo_dir)}
        with session_scope(self.engine) as session:
            stored = demo_store.sample_sources(session)
        return bool(stored - shipped)

    def retag(self, progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
        """Re-apply the taxonomy to every stored item; returns (items seen, items changed).

        Only the machine's tags change: manual, confirmed and rejected tags stay.
        Each batch is its own transaction, so an interrupted retag can be re-run.
        """
        with session_scope(self.engine) as session:
            total = catalog.item_count(session)
        seen = changed = 0
        with session_scope(self.engine) as session:
            for batch in tags_store.items_to_retag(session):
                results = {}
                for item, default in batch:
                    result = tag_item(
                        item.title,
                        item.text,
                        self.taxonomy,
                        default_doc_type=default,
                        format_doc_type=item.format_doc_type,
                        agencies=tuple(item.agencies),
                    )
                    results[item.id] = (item, result)
                changed += tags_store.apply_retag(session, results)  # type: ignore[arg-type]
                session.commit()
                seen += len(batch)
                if progress:
                    progress(seen, total)
        return seen, changed

    def settle(self, progress: Callable[[int], None] | None = None) -> int:
        """After storing: link items to the bills they name, group new items into
        events, then bring the search index up to the database.

        Returns how many items were placed in events. Grouping runs in short
        transactions (`TRACKER_GROUPING_BATCH` items each) that let other
        writers in; each step picks up where an interrupted run stopped. The
        index may raise `IndexBusy` when another writer holds it too long.
        """
        with write_scope(self.engine) as session:
            link_bill_mentions(session)
        # The claim tells other commands grouping is under way; without it this
        # process still helps, since batches are placed the same by anyone.
        with grouping_claim(self.engine):
            placed = place_pending(self.engine, self.settings.grouping_batch, progress)
        search.catch_up(self.settings, self.engine)
        return placed

    def resume_grouping(self, notice: Callable[[str], None]) -> int:
        """Place items an interrupted run left waiting, saying how many; returns how many.

        Left alone when another process is grouping them now (it holds the
        claim): that one will finish, and this command goes on with its work.
        """
        waiting = pending_count(self.engine)
        if not waiting:
            return 0
        what = f"{waiting:,} item{'' if waiting == 1 else 's'} waiting to be grouped into events"
        with grouping_claim(self.engine) as mine:
            if not mine:
                notice(f"{what}; another tracker process is grouping them.")
                return 0
            notice(f"{what}; continuing…")
            placed = place_pending(self.engine, self.settings.grouping_batch)
        search.catch_up(self.settings, self.engine)
        return placed

    def is_empty(self) -> bool:
        with session_scope(self.engine) as session:
            return catalog.item_count(session) == 0

    def _fetch_settings(self) -> fetch.FetchSettings:
        return fetch.FetchSettings(
            read_timeout=self.settings.fetch_timeout,
            max_bytes=self.settings.fetch_max_bytes,
            allow_private=self.settings.allow_private_fetch,
        )

    def _remember_validators(
        self, slug: str, etag: str | None, modified: str | None, next_page: str | None
    ) -> None:
        with session_scope(self.engine) as session:
            source = catalog.source_by_slug(session, slug)
            if source is not None:
                source.etag, source.last_modified, source.next_page = etag, modified, next_page
                session.add(source)

    def _log(self, slug: str, outcome: Outcome, started: datetime) -> None:
        with session_scope(self.engine) as session:
            source = catalog.source_by_slug(session, slug)
            if source is None:
                return
            log = FetchLog(
                source_id=source.id,  # type: ignore[arg-type]
                started_at=started,
                finished_at=utcnow(),
                http_status=outcome.http_status,
                outcome=outcome.status,
                new_count=outcome.new,
                updated_count=outcome.updated,
                rejected_count=len(outcome.warnings),
                error=outcome.error,
            )
            catalog.record_fetch(session, source, log)


def _unexpected(outcome: Outcome, exc: Exception) -> None:
    """Record an error nobody foresaw against its own source or file, and go on.

    It is a bug, so the traceback goes to the log; the person running the
    command gets one line, and the other sources are still fetched. (A
    database that stops answering is a `StoreError`, expected; if it is down
    for good, logging the attempt raises it again and the command ends.)
    """
    log.error("unexpected error in %s (%s)", outcome.name, outcome.source, exc_info=exc)
    outcome.status, outcome.bug = "error", True
    outcome.error = f"unexpected error, a bug ({type(exc).__name__}: {_first_line(exc)})"


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0][:200] if lines else "no message"


def _count(outcome: Outcome, report: StoreReport, parsed: ParseResult) -> None:
    outcome.new, outcome.updated = report.new, report.updated
    outcome.unchanged = report.unchanged + report.linked
    outcome.warnings.extend(parsed.warnings)


def _slug_for(path: Path) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-")
    return ("file-" + stem)[:100] or "file"


def _parse_kind(source: Source) -> str | None:
    # An rss source may serve any feed format, so let the content decide.
    return None if source.kind == "rss" else source.kind
