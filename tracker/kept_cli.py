"""`tracker check-kept`: every kept aggregate recounted from the items and compared."""

from __future__ import annotations

import sys

import click

from tracker.config import Settings
from tracker.terminal import err, out


@click.command(name="check-kept")
def check_kept() -> None:
    """Recount every timeline's, tag page's and the home page's kept aggregates and
    compare them with the kept ones; exit 1 when any differs (minutes on a large store)."""
    from tracker.models import utcnow
    from tracker.pipeline import Pipeline
    from tracker.store import kept_check, kept_store
    from tracker.store.engine import session_scope

    p = Pipeline(Settings.from_env())
    with session_scope(p.engine) as session:
        listings, tags = kept_check.every_listing(session)
        found = kept_check.differences(session, listings, tags, utcnow())
    kept_store.flush()
    p.engine.dispose()
    for line in found:
        err.print(line, soft_wrap=True, markup=False)
    out.print(f"{len(listings):,} listings and {len(tags):,} tags recounted: "
              f"{len(found)} kept aggregate(s) differ.")  # fmt: skip
    if found:
        sys.exit(1)
