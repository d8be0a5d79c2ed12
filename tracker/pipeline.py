"""Orchestration only: fetch → parse → normalise → tag → store (→ index).

Each stage's logic lives in its own module; this one decides the order,
turns expected failures into per-source outcomes, and never lets one broken
source or file stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from tracker import search
from tracker.config import Settings
from tracker.intake import RejectedInput, parse_and_store
from tracker.models import FetchLog, Source, utcnow
from tracker.outcomes import Outcome, count_into, failure_of, record_unexpected
from tracker.parse import ParseError
from tracker.source_request import BackfillRefused, SourceRequest, SourceSkipped, source_request
from tracker.sources import bill_source, closest_slugs, load_demo_manifest, load_sources
from tracker.store import StoreError, catalog
from tracker.store import demo as demo_store
from tracker.store import sources as source_store
from tracker.store import tags as tags_store
from tracker.store.bills import link_bill_mentions
from tracker.store.engine import make_engine, migrate, session_scope
from tracker.store.event_batches import pending_count, place_pending
from tracker.store.locks import grouping_claim, write_scope
from tracker.tag import tag_item
from tracker.taxonomy import Taxonomy, load_taxonomy

if TYPE_CHECKING:
    from tracker.fetch import FetchSettings

Progress = Callable[[str], None]
__all__ = ["Outcome", "Pipeline"]


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
            outcome.failure = "error" if isinstance(exc, StoreError) else "rejected"
        except Exception as exc:  # the last-resort boundary of one file
            record_unexpected(outcome, exc)
        else:
            count_into(outcome, report, parsed)
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

    def fetch_source(self, slug: str, since: date | None = None) -> Outcome:
        """Fetch one source (its newer pages too, or with `since` its history back to
        that day), store what is new, log the attempt. Never raises."""
        from tracker import fetch  # httpx: imported by the commands that fetch only

        with session_scope(self.engine) as session:
            source = catalog.source_by_slug(session, slug)
        if source is None:
            return Outcome(name=slug, source=slug, status="error", error="no such source")
        outcome = Outcome(name=source.name, source=slug, status="ok")
        started = utcnow()
        request = None
        try:
            request = source_request(source.kind, source.url, since=since,
                                     congress_api_key=self.settings.congress_api_key)  # fmt: skip
            self._fetch_pages(source, request, outcome, backfill=since is not None)
        except (SourceSkipped, BackfillRefused) as exc:
            outcome.status, outcome.error = "skipped", str(exc)
        except (fetch.FetchError, ParseError, RejectedInput, StoreError) as exc:
            outcome.status, outcome.error = "error", str(exc)
            outcome.failure = failure_of(exc)
            outcome.http_status = getattr(exc, "status", outcome.http_status)
            outcome.retry_after = getattr(exc, "retry_after", None)
        except Exception as exc:  # the last-resort boundary of one source
            record_unexpected(outcome, exc, request.hide if request else str)
        if request is not None:  # a key never reaches the log, the table or last_error
            outcome.error = request.redact(outcome.error)
        self._log(slug, outcome, started)
        return outcome

    def backfill(self, slug: str, since: date) -> Outcome:
        """Fill a paged source's history back to `since`, then settle.

        Raises `BackfillRefused` (or `SourceSkipped`) before any request when
        the source has no pages to follow (or no key); else never raises.
        """
        with session_scope(self.engine) as session:
            source = catalog.source_by_slug(session, slug)
            kind, url = (source.kind, source.url) if source else ("", "")
        if source is not None:
            source_request(kind, url, since=since, congress_api_key=self.settings.congress_api_key)
        outcome = self.fetch_source(slug, since=since)
        self.settle()
        return outcome

    def unknown_sources(self, slugs: Iterable[str]) -> dict[str, list[str]]:
        """Each name that is no fetched source, with the closest known names."""
        with session_scope(self.engine) as session:
            known = catalog.remote_slugs(session)
        names = set(known)
        return {slug: closest_slugs(slug, known) for slug in slugs if slug not in names}

    def follow_bill(self, congress: int, bill_type: str, number: int) -> tuple[str, str, bool]:
        """Follow a bill's BILLSTATUS file; returns (slug, name, whether it is new).

        Raises ValueError for a bill type or number that names no bill.
        """
        config = bill_source(congress, bill_type, number)
        with session_scope(self.engine) as session:
            source, created = source_store.follow_bill(session, config, "command line")
            return source.slug, source.name, created

    def _fetch_pages(
        self, source: Source, request: SourceRequest, outcome: Outcome, backfill: bool
    ) -> None:
        """The first page, then each next page an API links to.

        A fetch goes on while pages bring new items (older ones are known by
        then); a backfill goes on to the end. Each page is stored in its own
        transaction, so a failure keeps the pages before it.
        """
        from tracker import fetch

        limit = BACKFILL_PAGES if backfill else FETCH_PAGES
        seen = {request.url}
        page: SourceRequest | None = request
        while page is not None and outcome.pages < limit:
            first = outcome.pages == 0 and not backfill
            got = fetch.fetch_url(
                page.url,
                etag=source.etag if first else None,
                last_modified=source.last_modified if first else None,
                settings=self._fetch_settings(),
                headers=page.headers,
            )
            outcome.http_status = got.status
            if got.not_modified:
                outcome.status = "not-modified"
                return
            parsed, report = parse_and_store(
                self.engine,
                self.taxonomy,
                source.slug,
                got.content,
                _parse_kind(source),
                got.fetched_at,
                base_url=got.url,
                selectors=source.selectors,
            )
            count_into(outcome, report, parsed)
            if first:
                next_link = request.redact(parsed.next_page)
                self._remember_validators(source.slug, got.etag, got.last_modified, next_link)
            outcome.pages += 1
            page = page.next_page(parsed.next_page)
            if page is None or page.url in seen or (not backfill and report.new == 0):
                return
            seen.add(page.url)
        outcome.warnings.append(f"stopped after {limit} pages; the rest is left for next time")

    def fetch_all(
        self, slugs: Iterable[str] = (), progress: Progress | None = None
    ) -> list[Outcome]:
        """Fetch the named sources, or every due one; one failure stops nothing."""
        from tracker.leased_fetch import fetch_under_leases  # it calls back into Pipeline

        with session_scope(self.engine) as session:
            due = [s.slug for s in catalog.fetchable_sources(session, list(slugs))]
        outcomes = fetch_under_leases(self, due, progress)
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

    def settle(self, progress: Callable[[int], None] | None = None, index: bool = True) -> int:
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
        if index:  # a fetch worker leaves it to each web process's own index
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

    def has_remote_sources(self) -> bool:
        """Whether any source could be fetched (live, from an address)."""
        with session_scope(self.engine) as session:
            return bool(catalog.fetchable_sources(session, due_only=False))

    def is_empty(self) -> bool:
        with session_scope(self.engine) as session:
            return catalog.item_count(session) == 0

    def _fetch_settings(self) -> FetchSettings:
        from tracker import fetch

        return fetch.FetchSettings(
            user_agent=self.settings.user_agent or fetch.DEFAULT_USER_AGENT,
            # A retry is a request to the same host: it keeps the host's gap too.
            backoff=max(0.5, self.settings.host_gap),
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
            catalog.record_fetch(session, source, log, outcome.retry_after)


# A normal fetch follows newer pages up to this many (50 documents a page at
# the Federal Register: 250 a run is more than a busy week); a backfill goes
# much further, still bounded so that a paging loop on the server's side ends.
FETCH_PAGES = 5
BACKFILL_PAGES = 400


def _slug_for(path: Path) -> str:
    stem = "".join(c if c.isalnum() else "-" for c in path.stem.lower()).strip("-")
    return ("file-" + stem)[:100] or "file"


def _parse_kind(source: Source) -> str | None:
    # An rss source may serve any feed format, so let the content decide.
    return None if source.kind == "rss" else source.kind
