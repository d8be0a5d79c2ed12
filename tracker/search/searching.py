"""Answering a search: one page of hits, the total, and facets over every match.

`evaluate` finds every match once, as a bitmask plus scores; the total and
the facet counts come from the bitmask, so they describe all matches and not
just the page. Relevance takes the best scores; date order walks a cached
newest-first list of documents and keeps the matches.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from markupsafe import Markup

from tracker.config import Settings
from tracker.search.evaluate import Evaluation, evaluate
from tracker.search.highlight import Marks, fragments, mark_all
from tracker.search.querylang import parse_query
from tracker.search.results import FACET_NAMES, SORTS, Filters, Hit, SearchResult
from tracker.search.schema import FACET_FIELDS
from tracker.search.snapshot import Snapshot, bits_of, flags_of, live_index

MAX_PER_PAGE = 100
# Deep pages cost as much as all the pages before them.
MAX_PAGE = 500
NO_INDEX = "The search index has not been built yet. Run `tracker reindex` to build it."


def search(
    settings: Settings,
    query: str,
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
) -> SearchResult:
    """One page of items matching `query` and `filters`; never raises on a bad query.

    `sort` is ``relevance`` or ``newest``; a query without words is sorted by
    date whatever `sort` says. Anything that could not be read is named in
    `notice`, and the rest of the query is still answered.
    """
    filters = filters or Filters()
    parsed = parse_query(query or "")
    notices = list(parsed.notices)
    if sort not in SORTS:
        notices.append(f"Unknown sort {sort!r}; sorted by relevance.")
        sort = "relevance"
    page = min(max(page, 1), MAX_PAGE)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    live = live_index(settings.index_dir)
    with live.lock:
        snap = live.snapshot()
        if snap is None or not snap.state.current:
            notice = (
                NO_INDEX if snap is None else "The search index is outdated; run `tracker reindex`."
            )
            return SearchResult(query, parsed.echo, 0, page, per_page, sort, notice=notice)
        found = evaluate(parsed, filters, snap)
        notices.extend(found.notices)
        if found.scores is None:
            sort = "newest"
        offset = (page - 1) * per_page
        if sort == "relevance":
            ranked = _by_relevance(snap, found, offset, per_page)
        else:
            ranked = _by_date(snap, found.mask, offset, per_page)
        hits = tuple(_hit(snap, docnum, score, found.marks) for docnum, score in ranked)
        facets = _facets(snap, found.facet_masks)
    return SearchResult(
        query=query,
        query_echo=parsed.echo,
        total=found.mask.bit_count(),
        page=page,
        per_page=per_page,
        sort=sort,
        hits=hits,
        facets=facets,
        notice=" ".join(notices) or None,
    )


def _by_relevance(
    snap: Snapshot, found: Evaluation, offset: int, count: int
) -> list[tuple[int, float | None]]:
    """The page of matches with the best scores; equal scores in docnum order."""
    assert found.scores is not None
    docnums = bits_of(found.mask, snap.size)
    scores = found.scores[docnums]
    wanted = offset + count
    if len(docnums) > wanted:
        # Everything scoring at least the wanted-th best score, ties included,
        # so that consecutive pages cut the same ordering.
        floor = np.partition(scores, len(scores) - wanted)[len(scores) - wanted]
        keep = scores >= floor
        docnums, scores = docnums[keep], scores[keep]
    order = np.lexsort((docnums, -scores))[offset:wanted]
    return [(int(docnums[i]), float(scores[i])) for i in order]


def _by_date(snap: Snapshot, mask: int, offset: int, count: int) -> list[tuple[int, float | None]]:
    if not mask:
        return []
    # The newest-first order is cached per index generation.
    newest = snap.newest_first()
    wanted = newest[flags_of(mask, snap.size)[newest]][offset : offset + count]
    return [(int(docnum), None) for docnum in wanted]


def _hit(snap: Snapshot, docnum: int, score: float | None, marks: Marks) -> Hit:
    stored = snap.searcher.stored_fields(docnum)
    title, text = stored.get("title", ""), stored.get("text", "")
    bill = stored.get("bill") or ""
    return Hit(
        id=int(stored["id"]),
        title=title,
        published=datetime.fromisoformat(stored["published"]),
        doc_type=stored.get("doc_type", ""),
        source=stored.get("source", ""),
        score=score,
        topics=_split(stored.get("topics")),
        entities=_split(stored.get("entities")),
        bill=bill.split(",")[0] or None,
        title_html=mark_all(title, marks) if marks else Markup.escape(title),
        fragments_html=tuple(fragments(text, marks)),
    )


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def _facets(snap: Snapshot, masks: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet value over the matches, most frequent first."""
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in FACET_NAMES:
        mask = masks[name]
        counts = [
            (value, count)
            for value, values in snap.masks(FACET_FIELDS[name]).items()
            if (count := (values & mask).bit_count())
        ]
        facets[name] = sorted(counts, key=lambda pair: (-pair[1], pair[0]))
    return facets
