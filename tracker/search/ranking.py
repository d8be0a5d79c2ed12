"""How search orders what matched: every weight in one place, with its reason.

Sorted by relevance, an item's score adds up, from the most decisive part down:

1. `PART` for each part of the query (the words AND joins) whose topic,
   entity, document type, source or bill the item carries. It outweighs
   everything below put together, so an item the tagger judged not to be
   about what the query names (no tag, a vetoed match, a tag staff rejected)
   ranks below every item that carries it: "distillate fuel" shares a stem
   with "distillation" but not its tag.
2. `WORDS` for each such part whose words the item also holds: of two items
   tagged "Intellectual property", the one that says "trade secrets" comes
   first for that query.
3. `TEXT` times the item's BM25F score over title and text, divided by the
   best among the matches, so it lies in 0..1. BM25F adds a word's
   frequencies in both fields, the title's weighted `FIELD_WEIGHTS["title"]`
   times the text's, before saturating them (k1 `K1`, length normalisation
   `B`): a word in the title says what a document is about.
4. `AUTHORITY` by document type, a prior worth less than half the text
   range: between an original (memo, letter, bill, rule) and an article whose
   words match about as well, the original comes first. Coverage of one
   document usually shares its event, and there the original leads (below).
5. `CONFIRMED` for each part whose tag staff confirmed (a suggested tag is
   the tagger's guess; a confirmed one was checked by a person).
6. Recency breaks ties: the newer item first.

Reports of one event then share one entry on the page: the entry sits where
its best-ranked report would, shows the event's most authoritative matching
report, and says how many more there are. Sorting by date is untouched.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from tracker.search.evaluate import Evaluation
from tracker.search.postings import Postings
from tracker.search.snapshot import Docnums, Snapshot
from tracker.types import DOC_TYPES

K1, B = 1.2, 0.75
FIELD_WEIGHTS = {"title": 2.5, "text": 1.0}
PART = 10.0
WORDS = 0.5
TEXT = 1.0
# Originals over statements about them over coverage.
AUTHORITY = {
    "memo": 0.4,
    "letter": 0.4,
    "bill": 0.4,
    "rule": 0.4,
    "export-control": 0.4,
    "report": 0.3,
    "hearing": 0.3,
    "press-release": 0.15,
    "news": 0.0,
}
CONFIRMED = 0.5
# Matches beyond which the page's cut is looked for in a sample first.
SAMPLED = 20_000
# A word is scored at the matches only when its longest field's postings outnumber
# them this many times (all its holders' scores cost more than the search then).
BROAD = 2
# Bytes of per-word scores a process keeps for the present generation.
TERM_BUDGET = 64 * 2**20
_AUTHORITY = np.array([*(AUTHORITY.get(t, 0.0) for t in DOC_TYPES), 0.0])  # [-1]: unknown


@dataclass(frozen=True)
class Ranked:
    """One entry of a page: a document, its score, and the reports folded under it."""

    docnum: int
    score: float | None
    folded: int = 0
    event: int = 0


def text_scores(
    snap: Snapshot, words: dict[str, dict[str, Postings]], docnums: Docnums
) -> NDArray[np.float64]:
    """BM25F of each of `docnums` (sorted) for the words searched (0 where none occurs).

    What a word adds to each item holding it depends on the word and the
    index generation, not on the query (`term_scores`): when it is kept, or
    when the matches are at least half as many as its postings in its
    longest field (a word or a phrase searched alone), it is read at the
    matches. A word whose postings are mostly outside the matches (a
    filter, another word) is scored at the matches only (`_at_matches`), as
    working out every holder's score would cost more than the search. Both
    take the same steps in the same order, so the scores are the same to the
    bit. A word's IDF counts every item holding it.
    """
    scores = np.zeros(len(docnums))
    if not len(docnums):
        return scores
    matched = np.zeros(snap.size, dtype=bool)
    matched[docnums] = True
    places = _Places(snap, docnums)
    for term, fields in words.items():
        if not _kept_scores(snap, term, fields):
            widest = max(len(p.docnums) for p in fields.values())
            if len(docnums) * BROAD < widest:
                scores += _at_matches(snap, term, fields, docnums, matched, places)
                continue
        held, adds = term_scores(snap, term, fields)
        inside = matched[held]
        if not inside.all():  # a broad word's holders are often all matches
            held, adds = held[inside], adds[inside]
        if not len(held):
            continue
        if len(held) == len(docnums):  # the matches are the word's holders
            scores += adds
            continue
        scores[places.of(held)] += adds  # each match at most once: places are distinct
    return scores


class _Places:
    """Each match's place among the matches, looked up by docnum."""

    def __init__(self, snap: Snapshot, docnums: Docnums) -> None:
        self.snap, self.docnums = snap, docnums
        self.rank: NDArray[np.int32] | None = None

    def of(self, held: Docnums) -> NDArray[np.intp]:
        if self.rank is None and len(held) * 20 > self.snap.size:  # a search each costs more
            # Read only at the matches: the rest need not be set.
            self.rank = np.empty(self.snap.size, dtype=np.int32)
            self.rank[self.docnums] = np.arange(len(self.docnums), dtype=np.int32)
        if self.rank is not None:
            return self.rank[held]  # type: ignore[return-value]
        return np.searchsorted(self.docnums, held)


def _at_matches(
    snap: Snapshot,
    term: str,
    fields: dict[str, Postings],
    docnums: Docnums,
    matched: NDArray[np.bool_],
    places: _Places,
) -> NDArray[np.float64]:
    """What `term` adds to each of `docnums`, from its postings at the matches only."""
    pseudo = np.zeros(len(docnums))
    for name, postings in fields.items():
        inside = matched[postings.docnums]
        held = postings.docnums[inside]
        if len(held):
            norm = snap.norms(name, B)[held]
            freqs = postings.freqs[inside]
            # Each match at most once per field: a count per place adds its value
            # to 0.0, as `pseudo[at] += ...` would, in one pass.
            pseudo += np.bincount(
                places.of(held), weights=FIELD_WEIGHTS[name] * freqs / norm, minlength=len(docnums)
            )
    return _saturated(snap, _holding(snap, fields), pseudo)


def _saturated(snap: Snapshot, holding: int, pseudo: NDArray[np.float64]) -> NDArray[np.float64]:
    """What a word held by `holding` live documents adds, from each document's field
    frequencies weighted and normed (`pseudo`): saturated (k1 `K1`), times the IDF.
    One place for both ways of scoring a word, so they agree to the bit."""
    items = max(snap.live.bit_count(), 1)
    idf = math.log(1 + (items - holding + 0.5) / (holding + 0.5))
    return idf * (K1 + 1) * pseudo / (K1 + pseudo)


def _holding(snap: Snapshot, fields: dict[str, Postings]) -> int:
    """How many live documents hold the term in any of `fields`."""
    lists = [p.docnums for p in fields.values() if len(p.docnums)]
    if len(lists) < 2:
        return len(lists[0]) if lists else 0
    seen = np.zeros(snap.size, dtype=bool)
    for docs in lists:
        seen[docs] = True
    return int(np.count_nonzero(seen))


def _kept_scores(snap: Snapshot, term: str, fields: dict[str, Postings]) -> bool:
    kept = snap.memo.get("term scores")
    return kept is not None and (term, *fields) in kept


def term_scores(
    snap: Snapshot, term: str, fields: dict[str, Postings]
) -> tuple[Docnums, NDArray[np.float64]]:
    """The live documents holding `term` in any of `fields` (ascending) and the
    BM25F it adds to each, kept per generation within `TERM_BUDGET` bytes.

    A field's frequencies, weighted `FIELD_WEIGHTS` and divided by the length
    norm, are summed in field order before saturating (k1 `K1`), then times
    the IDF: the same steps, in the same order, as scoring each match alone.
    """
    kept = snap.memo.get("term scores")
    if kept is None:
        snap.before.pop("term scores", None)  # the previous generation's go now
        kept = snap.memo["term scores"] = OrderedDict()
    key = (term, *fields)
    if key in kept:
        kept.move_to_end(key)
        return kept[key]  # type: ignore[no-any-return]
    lists = [p.docnums for p in fields.values() if len(p.docnums)]
    place: NDArray[np.int32] | None = None  # each holder's place among the holders
    if len(lists) == 1:
        held = lists[0]
    else:
        # One flag per document, not a sort: a common word's lists are
        # hundreds of thousands of postings at a million items.
        flags = np.zeros(snap.size, dtype=bool)
        for docs in lists:
            flags[docs] = True
        held = np.flatnonzero(flags)
        place = np.empty(snap.size, dtype=np.int32)  # read only at the holders
        place[held] = np.arange(len(held), dtype=np.int32)
    pseudo = np.zeros(len(held))
    for name, postings in fields.items():
        if len(postings.docnums):
            at = place[postings.docnums] if place is not None else np.arange(len(held))
            norm = snap.norms(name, B)[postings.docnums]
            pseudo[at] += FIELD_WEIGHTS[name] * postings.freqs / norm
    adds = _saturated(snap, len(held), pseudo)
    kept[key] = (held, adds)
    _trim(kept)
    return held, adds


def _trim(kept: OrderedDict[tuple[str, ...], tuple[Docnums, NDArray[np.float64]]]) -> None:
    """Drop the least recently read words' scores until `TERM_BUDGET` bytes are held."""
    held = sum(docs.nbytes + adds.nbytes for docs, adds in kept.values())
    while held > TERM_BUDGET and len(kept) > 1:
        _key, (docs, adds) = kept.popitem(last=False)
        held -= docs.nbytes + adds.nbytes


def scores(snap: Snapshot, found: Evaluation, docnums: Docnums) -> NDArray[np.float64]:
    """The relevance score of each of `docnums` (matches of `found`)."""
    total = np.zeros(len(docnums))
    if found.words:
        text = text_scores(snap, found.words, docnums)
        best = text.max() if len(text) else 0.0
        if best > 0:
            total += TEXT * text / best
    for part in found.parts:
        carried = 0
        for mask in part.carried.values():
            carried |= mask
        if carried:
            total += PART * _bits(carried, docnums, snap.size)
            total += WORDS * _bits(part.worded, docnums, snap.size)
        if part.confirmed:
            total += CONFIRMED * _bits(part.confirmed, docnums, snap.size)
    total += _AUTHORITY[snap.doc_types()[docnums]]
    return total


def _bits(mask: int, docnums: Docnums, size: int) -> NDArray[np.bool_]:
    """Whether each of `docnums` is in `mask` (read at those bits only)."""
    raw = np.frombuffer(mask.to_bytes((size + 7) // 8, "little"), dtype=np.uint8)
    return ((raw[docnums >> 3] >> (docnums & 7).astype(np.uint8)) & 1).view(np.bool_)


def best_first(snap: Snapshot, docnums: Docnums, score: NDArray[np.float64]) -> Docnums:
    """Positions into `docnums`, best score first, newer first among equals."""
    minutes = snap.column("minute")[docnums]
    return np.lexsort((docnums, -minutes, -score))


def top(
    snap: Snapshot, docnums: Docnums, score: NDArray[np.float64], offset: int, count: int
) -> list[Ranked]:
    """One page of matches, each on its own."""
    order = _leading(snap, docnums, score, offset + count)[offset : offset + count]
    return [Ranked(int(docnums[i]), float(score[i])) for i in order]


def _leading(snap: Snapshot, docnums: Docnums, score: NDArray[np.float64], wanted: int) -> Docnums:
    """The best `wanted` positions in order (ties of the cut included, then cut)."""
    if len(docnums) > wanted:
        floor = _nth_best(score, wanted)
        keep = np.flatnonzero(score > floor)
        ties = np.flatnonzero(score == floor)
        room = wanted - len(keep)
        if len(ties) > room:
            # Only the newest `room` of the tied make the cut (a query naming a
            # topic ties every item tagged with it): chosen without sorting them.
            minutes = snap.column("minute")[docnums[ties]].astype(np.int64)
            ties = ties[np.argpartition((-minutes << 32) + docnums[ties], room - 1)[:room]]
        keep = np.concatenate([keep, ties])
        return keep[best_first(snap, docnums[keep], score[keep])][:wanted]
    return best_first(snap, docnums, score)


def _nth_best(score: NDArray[np.float64], wanted: int) -> float:
    """The `wanted`-th highest of `score` (longer than `wanted`).

    At a million items a broad query's matches are hundreds of thousands and
    a page wants a few hundred: a sample of the scores gives a value that
    at least `wanted` scores reach, and only those are partitioned. The
    `wanted`-th highest of the scores that reach it is the `wanted`-th
    highest of all.
    """
    if len(score) > 64 * wanted and len(score) > SAMPLED:
        sample = score[:: len(score) // 1024]
        # About four times the share of the scores wanted, from the top of the sample.
        above = min(len(sample), 4 * wanted * len(sample) // len(score) + 2)
        bar = np.partition(sample, len(sample) - above)[len(sample) - above]
        reaching = score[score >= bar]
        if len(reaching) >= wanted:
            return float(np.partition(reaching, len(reaching) - wanted)[len(reaching) - wanted])
    return float(np.partition(score, len(score) - wanted)[len(score) - wanted])


def folded(
    snap: Snapshot, docnums: Docnums, score: NDArray[np.float64], offset: int, count: int
) -> tuple[list[Ranked], int]:
    """One page with each event's reports on one entry; and how many entries there are."""
    events = snap.column("event")[docnums]
    in_events = events[events > 0]
    entries = len(docnums) - len(in_events) + int(np.count_nonzero(np.bincount(in_events)))
    wanted = offset + count
    reach = min(len(docnums), max(4 * wanted, 200))
    while True:
        order = _leading(snap, docnums, score, reach)
        page = _entries(snap, docnums, score, events, order, wanted)
        if len(page) >= wanted or reach >= len(docnums):
            return page[offset:wanted], entries
        reach = min(len(docnums), reach * 2)


def _entries(
    snap: Snapshot,
    docnums: Docnums,
    score: NDArray[np.float64],
    events: NDArray[np.int32],
    order: Docnums,
    wanted: int,
) -> list[Ranked]:
    """The first `wanted` entries in `order`, the first report of each event
    standing for all of it.

    Only the events on those entries are looked at beyond `order`: one pass
    over the matches finds their reports, one sort groups them by event.
    """
    leads: list[tuple[int, int]] = []  # (position, event or 0), in order
    seen: set[int] = set()
    for i, event in zip(order.tolist(), events[order].tolist(), strict=True):
        if event:
            if event in seen:
                continue
            seen.add(event)
        leads.append((i, event))
        if len(leads) == wanted:
            break
    members: dict[int, Docnums] = {}
    if seen:
        chosen = np.asarray([event for _i, event in leads if event], dtype=events.dtype)
        # A table of the chosen events' ids: one look-up per match, no sort.
        inside = np.flatnonzero(np.isin(events, chosen, kind="table"))  # ascending
        grouped = inside[np.argsort(events[inside], kind="stable")]
        keys = events[grouped]
        starts = np.searchsorted(keys, chosen, side="left").tolist()
        ends = np.searchsorted(keys, chosen, side="right").tolist()
        for event, start, end in zip(chosen.tolist(), starts, ends, strict=True):
            members[event] = grouped[start:end]
    types = snap.doc_types()
    page: list[Ranked] = []
    for i, event in leads:
        if not event:
            page.append(Ranked(int(docnums[i]), float(score[i])))
            continue
        group = members[event]
        tier = np.floor(score[group] / PART)
        authority = _AUTHORITY[types[docnums[group]]]
        # The most authoritative report among those that rank with the lead.
        best = group[np.lexsort((-score[group], -authority, -tier))[0]]
        page.append(Ranked(int(docnums[best]), float(score[i]), len(group) - 1, event))
    return page


def why(snap: Snapshot, docnum: int, found: Evaluation) -> tuple[str, ...]:
    """Why one document matched, as a reader would say it."""
    reasons: list[str] = []
    for part in found.parts:
        for concept, mask in part.carried.items():
            if mask >> docnum & 1:
                confirmed = concept.kind in ("topic", "entity") and part.confirmed >> docnum & 1
                reasons.append(_carries(concept.kind, concept.name, bool(confirmed)))
    for term, fields in (found.words or {}).items():
        places = [name for name, p in fields.items() if p.holds(docnum)]
        if places:
            typed = found.typed.get(term, term)
            reasons.append(f"matched: {typed} in {' and '.join(places)}")
    return tuple(dict.fromkeys(reasons))


def _carries(kind: str, name: str, confirmed: bool) -> str:
    if kind in ("topic", "entity"):
        return f"tagged {name}" + (", confirmed by staff" if confirmed else "")
    if kind == "type":
        return f"is a {name.lower()}"
    if kind == "source":
        return f"from {name}"
    return f"about {name}"
