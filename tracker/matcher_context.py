"""Which occurrences of a term count: the context rules of `data/taxonomy.toml`.

A candidate is dropped when its `not_before` or `not_after` words touch it, or
when a veto (`unless_near`) stands near it: within the rule's window (250
characters unless it says otherwise) in its own field, and in the headline
for a match in the body, or the lede for a match in the headline. A veto is
a neighbour's word, not the whole document's: a story about a distillation
attack that mentions a refinery three paragraphs later is still about the
attack. A weak candidate (`near`, `with`) counts only when its clue is near
or another term vouches for it. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from operator import itemgetter
from typing import NamedTuple

import ahocorasick

from tracker.regex_anchors import anchors
from tracker.taxonomy import WORD, MatchRule, Taxonomy

# Characters before/after a candidate that not_before/not_after can see: a few
# words, enough for "Massachusetts " or "Chamber of " before a name.
_LOOK = 40
VETO_WINDOW = 250  # characters either side of a match that a veto reaches by default

Fields = Sequence[tuple[str, str]]


class Candidate(NamedTuple):
    """An occurrence found in `field` at ``[start, end)``, before its context is judged.
    (A tuple: an item makes dozens, and a tuple is the cheapest record to make.)"""

    slug: str
    kind: str
    rule: MatchRule
    field: str
    start: int
    end: int


@dataclass(frozen=True)
class _Context:
    unless: tuple[re.Pattern[str], ...]
    # Each veto with the strings one of which it needs (None: it may match without
    # any): an item is searched only for the vetoes whose strings it holds.
    vetoes: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]
    clues: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...]  # `near`, likewise
    near: tuple[re.Pattern[str], ...]
    window: int
    before: tuple[re.Pattern[str], ...]
    after: tuple[re.Pattern[str], ...]
    # Strings one of which each exclusion needs (None: it may match without any):
    # when none is anywhere in the item, the exclusion is not run.
    gates: tuple[frozenset[str] | None, frozenset[str] | None, frozenset[str] | None]


def _stems(aliases: Sequence[str]) -> frozenset[str]:
    """The term's own words, so a veto is not gated on the word it guards."""
    return frozenset(w.lower() for alias in aliases for w in WORD.findall(alias) if len(w) > 3)


def _gate(patterns: Sequence[re.Pattern[str]], own: frozenset[str]) -> frozenset[str] | None:
    found: set[str] = set()
    for pattern in patterns:
        strings = anchors(pattern, own)
        if not strings:
            return None
        found.update(strings)
    return frozenset(found)


class ContextRules:
    """The context patterns of every rule of a taxonomy, compiled once."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._rules: dict[int, _Context] = {}
        for term in taxonomy:
            for rule in term.rules:
                # Vetoes read far (a window and the other field): they are gated on
                # the strings found anywhere in the item. `not_before` is gated on
                # the few words before the match itself (see `allowed`).
                own = frozenset(w.lower() for phrase in rule.words for w in WORD.findall(phrase))
                avoid = own | _stems(term.aliases)
                gates = (
                    _gate(rule.not_before, frozenset()),
                    None,
                    _gate(rule.unless_near, avoid),
                )
                self._rules[id(rule)] = _Context(
                    _merged(rule.unless_near),
                    tuple((p, frozenset(anchors(p, avoid)) or None) for p in rule.unless_near),
                    tuple((p, frozenset(anchors(p)) or None) for p in rule.near),
                    _merged(rule.near),
                    rule.window,
                    _merged(rule.not_before),
                    _merged(rule.not_after),
                    gates,
                )
        # Rules with nothing to exclude: their candidates need no check at all.
        self._free = frozenset(
            key for key, c in self._rules.items() if not (c.unless or c.before or c.after)
        )
        strings = {a for c in self._rules.values() for g in c.gates if g for a in g}
        strings |= {
            a for c in self._rules.values() for _, g in c.vetoes + c.clues if g for a in g
        }  # fmt: skip
        self._gate = ahocorasick.Automaton()
        for string in strings:
            self._gate.add_word(string, string)
        if strings:
            self._gate.make_automaton()

    def present(self, lowered: Sequence[str]) -> set[str]:
        """The exclusions' strings that occur in an item (its fields lowercased)."""
        if not len(self._gate):
            return set()
        # map/itemgetter walk the automaton's hits in C: a gate word is often common.
        found: set[str] = set()
        for text in lowered:
            found.update(map(itemgetter(1), self._gate.iter(text)))
        return found

    def allowed(self, cand: Candidate, value: str, fields: Fields, present: set[str]) -> bool:
        """The candidate's own exclusions: what stands just before, just after, or near it.
        `value` is the text of the candidate's field; `present` what `present` found."""
        key = id(cand.rule)
        if key in self._free:
            return True
        context = self._rules[key]
        lo = max(0, cand.start - _LOOK)
        if context.before:
            gate = context.gates[0]
            preceding = value[lo : cand.start].lower() if gate is not None else ""
            if gate is None or any(string in preceding for string in gate):
                for p in context.before:
                    if p.search(value, lo, cand.start):
                        return False
        for p in context.after:
            if p.match(value, cand.end, cand.end + _LOOK):
                return False
        gate = context.gates[2]
        if context.unless and (gate is None or not present.isdisjoint(gate)):
            vetoes = _possible(context.vetoes, context.unless, present)
            for text in _veto_reach(cand, fields, context.window or VETO_WINDOW):
                for p in vetoes:
                    if p.search(text):
                        return False
        return True

    def resolve(self, found: list[Candidate], fields: Fields, present: set[str]) -> list[Candidate]:
        """Strong candidates, and the weak ones their clue or another term vouches for.

        A clue read from the whole item is read once a rule, and another pass is made
        only when a new term was accepted (only that can vouch for more): an item
        that writes a weak name thousands of times costs its length, not its square.
        """
        strong = [c for c in found if not c.rule.needs_context]
        accepted = {c.slug for c in strong}
        pending = [c for c in found if c.rule.needs_context]
        whole: dict[int, bool] = {}
        changed = True
        while changed and pending:  # weak names may vouch for each other: "Sens. Warren and Scott"
            changed = False
            waiting = []
            for cand in pending:
                if accepted.intersection(cand.rule.with_tags) or self._near(
                    cand, fields, whole, present
                ):
                    strong.append(cand)
                    changed |= cand.slug not in accepted
                    accepted.add(cand.slug)
                else:
                    waiting.append(cand)
            pending = waiting
        return strong

    def _near(
        self, cand: Candidate, fields: Fields, whole: dict[int, bool], present: set[str]
    ) -> bool:
        """Whether the candidate's clue is near it; a clue read from the whole item
        is the same for every candidate of its rule (kept in `whole`). Only the clues
        whose strings the item holds (`present`) are tried."""
        key = id(cand.rule)
        context = self._rules[key]
        if not context.near:
            return False
        near = _possible(context.clues, context.near, present)
        if context.window:
            texts = _around(cand, fields, context.window)
            return any(p.search(t) for t in texts for p in near)
        if key not in whole:
            whole[key] = any(p.search(value) for _, value in fields for p in near)
        return whole[key]


def _possible(
    gated: tuple[tuple[re.Pattern[str], frozenset[str] | None], ...],
    merged_all: tuple[re.Pattern[str], ...],
    present: set[str],
) -> tuple[re.Pattern[str], ...]:
    """Of a rule's vetoes or clues (`gated`), those that can match in an item holding
    `present`; all of them as one alternation (`merged_all`) when every one can.

    A rule may carry dozens and an item holds the strings of one or two: searching
    the alternation of all of them tried each at every place in the window. The few
    possible ones are searched one by one, as compiled with the taxonomy: merging
    each set of them cost a compilation per set and process, more than the searches
    it saved."""
    possible = tuple(
        pattern for pattern, strings in gated
        if strings is None or not present.isdisjoint(strings)
    )  # fmt: skip
    return merged_all if len(possible) == len(gated) else possible


def _around(cand: Candidate, fields: Fields, window: int) -> list[str]:
    """A window of the match's field plus the other fields whole: a headline is
    read with its body."""
    out = []
    for name, value in fields:
        if name == cand.field:
            out.append(value[max(0, cand.start - window) : cand.end + window])
        else:
            out.append(value)
    return out


def _veto_reach(cand: Candidate, fields: Fields, window: int) -> list[str]:
    """Where a veto counts: the window around the match; for a match in the
    headline (the first field) also the lede, for one in the body the headline."""
    out = []
    headline = fields[0][0]
    for name, value in fields:
        if name == cand.field:
            out.append(value[max(0, cand.start - window) : cand.end + window])
        elif cand.field == headline:
            out.append(_lede(value, window))
        elif name == headline:
            out.append(value)
    return out


_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z\"“‘'(])")


def _lede(text: str, window: int) -> str:
    """The first sentence, at most `window` characters: what a headline sums up.
    ("Whiskey makers..." under "Distillation boom" is; a refinery fire in the
    third sentence of a story about a distillation attack is not.)"""
    end = _SENTENCE_END.search(text, 0, window)
    return text[: end.end() if end else window]


def _merged(patterns: Sequence[re.Pattern[str]]) -> tuple[re.Pattern[str], ...]:
    """Patterns as one alternation where they share flags, else as they are."""
    if len(patterns) < 2 or len({p.flags for p in patterns}) != 1:
        return tuple(patterns)
    try:
        return (re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags),)
    except re.error:  # an inline flag that is only legal at the start of a pattern
        return tuple(patterns)


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping windows joined, so no text is searched twice."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def drop_contained(found: list[Candidate]) -> list[Candidate]:
    """Keep the longest reading of some words, and each reading once.

    Words inside a longer match of the same term are the same words read twice
    ("Alibaba" in "Alibaba Cloud"), and a name inside another name is not a
    name ("Scott" in "Hart-Scott-Rodino" were that an entity). Topics may
    overlap ("chip exports" is export controls and semiconductors), and so may
    a topic and a name ("antitrust" in "Antitrust Division").
    """
    ordered = sorted(found, key=lambda c: (c.field, c.start))
    if all(
        a.field != b.field or a.end <= b.start for a, b in pairwise(ordered)
    ):  # nothing overlaps, so nothing is inside anything: only repeats go
        return list({(c.slug, c.field, c.start, c.end): c for c in found}.values())
    # Only overlapping candidates can contain one another: compare within each
    # run of overlapping spans rather than every pair in the item.
    cluster_of: dict[int, list[Candidate]] = {}
    cluster: list[Candidate] = []
    reach = ("", -1)
    for cand in ordered:
        if (cand.field, cand.start) >= reach:
            cluster = []
        cluster.append(cand)
        cluster_of[id(cand)] = cluster
        reach = max(reach, (cand.field, cand.end))
    kept: list[Candidate] = []
    seen: set[tuple[str, str, int, int]] = set()
    for cand in sorted(found, key=lambda c: c.rule.needs_context):  # strong reading first
        key = (cand.slug, cand.field, cand.start, cand.end)
        near = cluster_of[id(cand)]
        inside = len(near) > 1 and any(
            o.start <= cand.start
            and cand.end <= o.end
            and o.end - o.start > cand.end - cand.start
            and (
                o.slug == cand.slug
                or (o.kind == cand.kind == "entity" and not o.rule.needs_context)
            )
            for o in near
        )
        if not inside and key not in seen:
            seen.add(key)
            kept.append(cand)
    return kept
