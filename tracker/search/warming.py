"""Opening the index before the first search, so no reader waits for it.

A process's first search pays for everything a search keeps per index
generation: opening the segments, the taxonomy and the vocabulary built from
it, the facet bitmasks, the date, event and length columns, and the word list
"did you mean" compares against. At 100,000 items that is over half a second,
and each gunicorn worker pays it once, so a worker that has not served a
search yet makes its first reader wait. `warm` pays it when a worker starts.
"""

from __future__ import annotations

import logging
import time

from tracker.config import Settings
from tracker.search import facets, ranking
from tracker.search.schema import FACET_FIELDS
from tracker.search.searching import search, vocabulary
from tracker.search.snapshot import live_index
from tracker.search.storage import IndexUnreadable
from tracker.search.suggest import index_terms

log = logging.getLogger("tracker.search")
# Facet-like fields searches read as bitmasks: facets, filters, concepts, dates.
MASKED_FIELDS = (*FACET_FIELDS.values(), "kind", "bill", "confirmed", "month")


def warm(settings: Settings) -> float | None:
    """Open the index and fill what searches keep per generation; seconds spent.

    None when there is no index or it cannot be read: the first search then
    heals it as it would have anyway.
    """
    started = time.perf_counter()
    live = live_index(settings.index_dir)
    with live.lock:
        try:
            snap = live.snapshot()
        except IndexUnreadable as exc:
            log.info("search index not warmed: %s", exc)
            return None
        if snap is None or not snap.state.current:
            return None
        _ = snap.live
        for field in MASKED_FIELDS:
            snap.masks(field)
        for column in ("minute", "event"):
            snap.column(column)
        for field in ranking.FIELD_WEIGHTS:
            snap.norms(field, ranking.B)
        snap.doc_types()
        snap.newest_first()
        facets.prepare(snap)
        vocab = vocabulary(settings, snap)
        index_terms(snap)
    # One real search runs every step once (highlights, ranking, folding).
    name = next(iter(vocab.spellings.values()), "")
    search(settings, name, collapse=True)
    return time.perf_counter() - started
