"""`tracker check-kept`: every kept aggregate recounted from the items and compared;
`tracker warm-kept`: every kept aggregate brought up to date and saved."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from tracker.config import Settings
from tracker.terminal import err, out


@contextmanager
def _every_listing(flush: float) -> Iterator[tuple[Any, list[Any], list[tuple[str, str]]]]:
    """A session on the configured store, with every listing and tag the site's
    timelines keep (`kept_check.every_listing`); once it is closed, the saves it
    asked for are written (waiting up to `flush` seconds) and the engine let go of."""
    from tracker.pipeline import Pipeline
    from tracker.store import kept_check, kept_store
    from tracker.store.engine import session_scope

    p = Pipeline(Settings.from_env())
    try:
        with session_scope(p.engine) as session:
            yield session, *kept_check.every_listing(session)
        kept_store.flush(flush)
    finally:
        p.engine.dispose()


@click.command(name="check-kept")
def check_kept() -> None:
    """Recount every timeline's, tag page's and the home page's kept aggregates and
    compare them with the kept ones; exit 1 when any differs (minutes on a large store)."""
    from tracker.models import utcnow
    from tracker.store import kept_check

    with _every_listing(flush=10.0) as (session, listings, tags):
        found = kept_check.differences(session, listings, tags, utcnow())
    for line in found:
        err.print(line, soft_wrap=True, markup=False)
    out.print(f"{len(listings):,} listings and {len(tags):,} tags recounted: "
              f"{len(found)} kept aggregate(s) differ.")  # fmt: skip
    if found:
        sys.exit(1)


@click.command(name="warm-kept")
def warm_kept() -> None:
    """Bring the kept aggregates of the home page and of every tag, type and source
    timeline up to date and save them for every worker: after a release that bumped
    a kind's format version, so that no reader waits for it to be counted."""
    from tracker.models import utcnow
    from tracker.store import kept_check

    started = time.perf_counter()
    with _every_listing(flush=600.0) as (session, listings, tags):
        done = kept_check.warm(session, listings, tags, utcnow())
    out.print(f"{done:,} listings, {len(tags):,} tags and the home page kept up to date "
              f"and saved in {time.perf_counter() - started:.1f} s.")  # fmt: skip
