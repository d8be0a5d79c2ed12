"""Answering a search: one page of hits, the total, and facets over every match.

`evaluate` finds every match once, as a bitmask; the total and the facet
counts come from the bitmask, so they describe all matches and not just the
page. Relevance order is `ranking`'s; date order walks a cached newest-first
list of documents and keeps the matches. Before evaluating, the words that
name a topic, entity, type, source or bill are read as such (`concepts`);
when nothing matches and a word is unknown, the nearest known spelling is
searched instead, and said so (`suggest`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from markupsafe import Markup

from tracker.config import Settings
from tracker.search import facets, ranking
from tracker.search.concepts import Concept, Vocabulary, named_in, resolve, taxonomy_at
from tracker.search.evaluate import Evaluation, evaluate
from tracker.search.following import follow_database
from tracker.search.healing import REBUILDING, heal
from tracker.search.highlight import Marks, fragments, mark_all
from tracker.search.querylang import parse_query
from tracker.search.results import FACET_NAMES, SORTS, Card, Filters, Hit, SearchResult
from tracker.search.schema import FACET_FIELDS
from tracker.search.snapshot import LiveIndex, Snapshot, bits_of, flags_of, live_index
from tracker.search.storage import IndexUnreadable
from tracker.search.suggest import suggest

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
    collapse: bool = False,
) -> SearchResult:
    """One page of items matching `query` and `filters`; never raises on a bad query.

    `sort` is ``relevance`` or ``newest``; a query without words is sorted by
    date whatever `sort` says. With `collapse`, relevance order folds the
    reports of one event under one entry (the page does; feeds and the API
    list every item). Anything that could not be read is named in `notice`,
    and the rest of the query is still answered.
    """
    filters = filters or Filters()
    page = min(max(page, 1), MAX_PAGE)
    per_page = min(max(per_page, 1), MAX_PER_PAGE)
    if sort not in SORTS:
        bad_sort: str | None = f"Unknown sort {sort!r}; sorted by relevance."
        sort = "relevance"
    else:
        bad_sort = None
    follow_database(settings)  # items another process stored since the last look
    live = live_index(settings.index_dir)
    with live.lock:
        snap, notice = _usable_snapshot(settings, live)
        if snap is None:
            echo = parse_query(query or "").echo
            return SearchResult(query, echo, 0, page, per_page, sort, notice=notice)
        ask = _Ask(settings, snap, filters, sort, page, per_page, collapse)
        result = ask.answer(query or "")
        if result.total == 0 and result.suggestion and not result.partial:
            respelt = ask.answer(result.suggestion)
            if respelt.total:
                result = replace(respelt, query=query, suggestion=result.suggestion, corrected=True)
    if bad_sort:
        result = replace(result, notice=" ".join(filter(None, (bad_sort, result.notice))))
    return result


def _usable_snapshot(settings: Settings, live: LiveIndex) -> tuple[Snapshot | None, str | None]:
    """The index to search, healed first if it cannot be read or is of another version."""
    try:
        snap = live.snapshot()
        if snap is None:
            return None, NO_INDEX
        if snap.state.current:
            return snap, None
        reason = "written by another version of Policy Tracker"
    except IndexUnreadable as exc:
        reason = str(exc)
    if not heal(settings, reason):
        return None, REBUILDING
    live.close()
    try:
        snap = live.snapshot()
    except IndexUnreadable:
        return None, REBUILDING
    return (snap, None) if snap is not None and snap.state.current else (None, REBUILDING)


class _Ask:
    """One search's settings, answered for a query (and maybe again for its respelling)."""

    def __init__(
        self,
        settings: Settings,
        snap: Snapshot,
        filters: Filters,
        sort: str,
        page: int,
        per_page: int,
        collapse: bool,
    ) -> None:
        self.snap, self.filters, self.sort = snap, filters, sort
        self.page, self.per_page, self.collapse = page, per_page, collapse
        self.vocab = vocabulary(settings, snap)

    def answer(self, query: str) -> SearchResult:
        snap = self.snap
        parsed = parse_query(query)
        root = resolve(parsed.root, self.vocab)
        found = evaluate(root, parsed, self.filters, snap)
        ranked_by = found.words is not None or any(part.carried for part in found.parts)
        sort = self.sort if ranked_by else "newest"
        offset = (self.page - 1) * self.per_page
        entries = None
        if sort == "relevance":
            docnums = bits_of(found.mask, snap.size)
            score = ranking.scores(snap, found, docnums)
            if self.collapse:
                ranked, entries = ranking.folded(snap, docnums, score, offset, self.per_page)
            else:
                ranked = ranking.top(snap, docnums, score, offset, self.per_page)
        else:
            ranked = _by_date(snap, found.mask, offset, self.per_page)
        hits = tuple(_hit(snap, entry, found) for entry in ranked)
        suggestion = None
        if found.unknown and (found.partial or not found.mask & snap.live):
            suggestion = _respelt(query, found.unknown, self.vocab, snap)
        return SearchResult(
            query=query,
            query_echo=parsed.echo,
            total=found.mask.bit_count(),
            page=self.page,
            per_page=self.per_page,
            sort=sort,
            hits=hits,
            facets=_facets(snap, found.facet_masks),
            notice=" ".join([*parsed.notices, *found.notices]) or None,
            cards=_cards(snap, [c for n in named_in(root) for c in n.concepts]),
            suggestion=suggestion,
            partial=found.partial,
            entries=entries,
        )


def vocabulary(settings: Settings, snap: Snapshot) -> Vocabulary:
    """The names queries can use: the taxonomy's, the types', this index's sources'."""
    taxonomy = taxonomy_at(settings.data_dir / "taxonomy.toml")
    known = snap.memo.get("vocabulary")
    if known is None or known[0] is not taxonomy:
        names = _source_names(snap)
        # The previous generation's, when built from the same names (the usual
        # case: a new generation adds or changes a few items, not sources).
        known = snap.before.get("vocabulary")
        if known is None or known[0] is not taxonomy or known[1] != names:
            known = (taxonomy, names, Vocabulary(taxonomy, names))
        snap.memo["vocabulary"] = known
    return known[2]  # type: ignore[no-any-return]


def _source_names(snap: Snapshot) -> dict[str, str]:
    """Source slug → name, read from one document of each source."""
    names = {}
    for slug, mask in snap.masks("source").items():
        docs = mask & snap.live
        if docs:
            first = (docs & -docs).bit_length() - 1
            names[slug] = snap.searcher.stored_fields(first).get("source_name") or slug
    return names


def _respelt(query: str, unknown: list[str], vocab: Vocabulary, snap: Snapshot) -> str | None:
    """`query` with each unknown word replaced by its nearest known spelling."""
    respelt = query
    for word in dict.fromkeys(unknown):
        better = suggest(word, vocab.spellings, snap)
        if better and better.lower() != word.lower():
            respelt = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", better, respelt, count=1)
    return respelt if respelt != query else None


def _cards(snap: Snapshot, concepts: list[Concept]) -> tuple[Card, ...]:
    """A card for each topic or entity named, in query order."""
    cards = []
    for concept in dict.fromkeys(concepts):
        if concept.kind in ("topic", "entity"):
            items = (snap.mask(concept.index_field, concept.key) & snap.live).bit_count()
            cards.append(Card(concept.kind, concept.key, concept.name, concept.description, items))
    return tuple(cards)


def _by_date(snap: Snapshot, mask: int, offset: int, count: int) -> list[ranking.Ranked]:
    if not mask:
        return []
    # The newest-first order is cached per index generation.
    newest = snap.newest_first()
    wanted = newest[flags_of(mask, snap.size)[newest]][offset : offset + count]
    return [ranking.Ranked(int(docnum), None) for docnum in wanted]


def _hit(snap: Snapshot, entry: ranking.Ranked, found: Evaluation) -> Hit:
    stored = snap.searcher.stored_fields(entry.docnum)
    title, text = stored.get("title", ""), stored.get("text", "")
    own_bill = (stored.get("bill") or "").split(",")[0]
    marks: Marks = found.marks
    return Hit(
        id=int(stored["id"]),
        title=title,
        published=datetime.fromisoformat(stored["published"]),
        doc_type=stored.get("doc_type", ""),
        source=stored.get("source", ""),
        score=entry.score,
        topics=_split(stored.get("topics")),
        entities=_split(stored.get("entities")),
        bill=own_bill if "-" in own_bill else None,
        title_html=mark_all(title, marks) if marks else Markup.escape(title),
        fragments_html=tuple(fragments(text, marks)),
        why=ranking.why(snap, entry.docnum, found),
        folded=entry.folded,
        event=entry.event or None,
    )


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)


def _facets(snap: Snapshot, masks: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet value over the matches, most frequent first."""
    return {name: facets.counts(snap, FACET_FIELDS[name], masks[name]) for name in FACET_NAMES}
