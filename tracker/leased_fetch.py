"""`tracker fetch` beside running workers: each source fetched under the workers' leases.

A command that fetches while `tracker worker` runs (or `tracker serve` with its
worker inside) takes the same source and host leases a worker takes, so no
source is ever fetched twice at once and no host is asked twice at once,
whoever asks. A source a worker holds is skipped with its name; a host another
source of which is being asked is waited for, at most one lease long.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from tracker.models import utcnow
from tracker.outcomes import Outcome
from tracker.store import catalog
from tracker.store import leases as store
from tracker.store.engine import session_scope

if TYPE_CHECKING:
    from tracker.pipeline import Pipeline

POLL_SECONDS = 0.25


def fetch_under_leases(
    pipeline: Pipeline, slugs: Iterable[str], progress: Callable[[str], None] | None = None
) -> list[Outcome]:
    """Fetch each source in turn while holding its lease and its host's; never raises
    for one source (as `Pipeline.fetch_source`)."""
    owner = f"{socket.gethostname()}:{os.getpid()}:fetch"
    outcomes = []
    for slug in slugs:
        if progress:
            progress(slug)
        outcomes.append(_fetch_one(pipeline, owner, slug))
    return outcomes


def _fetch_one(pipeline: Pipeline, owner: str, slug: str) -> Outcome:
    settings = pipeline.settings
    with session_scope(pipeline.engine) as session:
        source = catalog.source_by_slug(session, slug)
        name = source.name if source else slug
    deadline = time.monotonic() + settings.lease_seconds
    while True:
        with session_scope(pipeline.engine) as session:
            held = store.hold(session, owner, slug, utcnow(), settings.lease_seconds)
        if isinstance(held, store.Claim):
            break
        if held != "host" or time.monotonic() > deadline:
            why = "its host stayed busy" if held == "host" else held.removeprefix("held: ")
            return Outcome(name=name, source=slug, status="skipped", error=why)
        time.sleep(POLL_SECONDS)
    outcome: Outcome | None = None
    try:
        outcome = pipeline.fetch_source(slug)
    finally:
        retry_after = outcome.retry_after if outcome else None
        with session_scope(pipeline.engine) as session:
            store.release(session, owner, held, utcnow(), settings.host_gap, retry_after)
    return outcome
