"""Find where a taxonomy's terms occur in an item's fields, and which occurrences count.

Compiling a taxonomy builds two indexes so one item costs one pass over its
words, whatever the size of the taxonomy: literal aliases keyed by their first
word (a dict lookup per word of the item), and regex rules keyed by their
trigger words (a pattern runs only on a field that holds one). Context rules
are checked only for the candidates found. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tracker.taxonomy import WORD, MatchRule, Taxonomy

_SPACE = re.compile(r"\s+")
_LOOK = 60  # characters before/after a candidate that not_before/not_after can see
# A regex rule is tried this many characters either side of its trigger words;
# a match longer than this would not be a phrase the taxonomy means.
_REACH = 400


@dataclass(frozen=True)
class Hit:
    """One accepted occurrence of a term: ``fields[field][start:end] == text``."""

    slug: str
    field: str
    start: int
    end: int
    text: str
    weight: float


@dataclass(frozen=True)
class _Alias:
    slug: str
    kind: str
    rule: MatchRule
    words: tuple[str, ...]  # lowercased words of the alias
    needs: frozenset[str]  # the same, as a set to compare with a text's words
    text: str  # the alias with spaces collapsed, lowercased unless case-sensitive
    # The alias as a pattern (any run of spaces where it has one, ending a token),
    # tried only where its first word stands; `folded` is for lowercased text.
    pattern: re.Pattern[str]
    folded: re.Pattern[str]


def _alias_patterns(text: str, case_sensitive: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    body = r"\s+".join(map(re.escape, text.split(" ")))
    edge = r"(?!\d)" if text[-1].isdigit() else r"(?![^\W\d_])"
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(body + edge, flags), re.compile(body + edge)


@dataclass(frozen=True)
class _Candidate:
    slug: str
    kind: str
    rule: MatchRule
    field: str
    start: int
    end: int


class Matcher:
    """A taxonomy compiled for matching; build once, call `hits` per item."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self._aliases: dict[str, list[_Alias]] = {}
        self._regexes: dict[str, list[tuple[str, str, MatchRule]]] = {}
        for term in taxonomy:
            for rule in term.rules:
                for phrase in rule.words:
                    found = list(WORD.finditer(phrase))
                    words = tuple(m.group().lower() for m in found)
                    # A match spans first word to last word, so "Commerce Dept." is
                    # compared without its closing period.
                    text = _SPACE.sub(" ", phrase[found[0].start() : found[-1].end()])
                    text = text if rule.case_sensitive else text.lower()
                    alias = _Alias(
                        term.slug,
                        term.kind,
                        rule,
                        words,
                        frozenset(words),
                        text,
                        *_alias_patterns(text, rule.case_sensitive),
                    )
                    self._aliases.setdefault(words[0], []).append(alias)
                for word in rule.trigger:
                    self._regexes.setdefault(word, []).append((term.slug, term.kind, rule))
        for entries in self._aliases.values():
            entries.sort(key=lambda a: -len(a.words))  # longest first
        self._first_words = frozenset(self._aliases)
        self._trigger_words = frozenset(self._regexes)
        self._finders: dict[tuple[str, bool], re.Pattern[str]] = {}
        self._context: dict[int, _Context] = {}
        for term in taxonomy:
            for rule in term.rules:
                self._context[id(rule)] = _Context(
                    _merged(rule.unless_near),
                    _merged(rule.near),
                    rule.window,
                    _merged(rule.not_before),
                    _merged(rule.not_after),
                )

    def hits(self, fields: Sequence[tuple[str, str]]) -> list[Hit]:
        """Every occurrence that passes its rules, in field order then position."""
        values = dict(fields)
        memo: dict[tuple[int, str], bool] = {}
        found: list[_Candidate] = []
        for name, value in fields:
            found.extend(c for c in self._candidates(name, value) if self._allowed(c, values, memo))
        found = _drop_contained(found)
        strong = [c for c in found if not c.rule.needs_context]
        accepted = {c.slug for c in strong}
        pending = [c for c in found if c.rule.needs_context]
        changed = True
        while changed:  # weak names may vouch for each other: "Sens. Warren and Scott"
            changed = False
            for cand in list(pending):
                if accepted.intersection(cand.rule.with_tags) or self._near(cand, values, memo):
                    strong.append(cand)
                    accepted.add(cand.slug)
                    pending.remove(cand)
                    changed = True
        order = {name: index for index, (name, _) in enumerate(fields)}
        strong.sort(key=lambda c: (order[c.field], c.start, -c.end))
        return [
            Hit(c.slug, c.field, c.start, c.end, values[c.field][c.start : c.end], c.rule.weight)
            for c in strong
        ]

    def _candidates(self, field: str, value: str) -> list[_Candidate]:
        found: list[_Candidate] = []
        lowered = value.lower()
        folded = len(lowered) == len(value)
        if not folded:  # lowercasing moved offsets: search the original, ignoring case
            lowered = value
        # One C-level pass lists the words; set intersections then name the few
        # that start an alias or trigger a rule, so nothing below runs per word.
        words = WORD.findall(lowered)
        tokens = set(words) if folded else {w.lower() for w in words}
        for first in sorted(self._first_words.intersection(tokens)):
            # An alias can only match where all of its words are words of the
            # text: common first words ("federal", "state") mostly start none.
            aliases = [a for a in self._aliases[first] if a.needs <= tokens]
            if not aliases:
                continue
            for hit in self._finder(first, folded).finditer(lowered):
                if _token_start(value, hit):
                    found.extend(
                        self._read_aliases(field, value, lowered, folded, hit.start(), aliases)
                    )
        windows: dict[int, list[tuple[int, int]]] = {}
        rules: dict[int, tuple[str, str, MatchRule]] = {}
        for word in self._trigger_words.intersection(tokens):
            spots = [
                (max(0, m.start() - _REACH), m.end() + _REACH)
                for m in self._finder(word, folded).finditer(lowered)
                if _token_start(value, m)
            ]
            for entry in self._regexes[word]:
                rules[id(entry[2])] = entry
                windows.setdefault(id(entry[2]), []).extend(spots)
        for key, (slug, kind, rule) in rules.items():
            assert rule.regex is not None  # only regex rules have triggers
            # A match holds a trigger word, so only the text around each one is read.
            for lo, hi in _merge(windows[key]):
                for m in rule.regex.finditer(value, lo, hi):
                    found.append(_Candidate(slug, kind, rule, field, m.start(), m.end()))
        return found

    def _finder(self, word: str, folded: bool) -> re.Pattern[str]:
        """A compiled search for one word ending a WORD token (cached).

        The pattern starts with the word itself so the engine can skip ahead
        to it; whether it also starts a token is checked after (`_token_start`).
        On text already lowercased (`folded`) it needs no IGNORECASE, which
        would turn that skip-ahead off.
        """
        key = (word, folded)
        finder = self._finders.get(key)
        if finder is None:
            edge = r"\d" if word.isdigit() else r"[^\W\d_]"
            flags = 0 if folded else re.IGNORECASE
            finder = self._finders[key] = re.compile(rf"{re.escape(word)}(?!{edge})", flags)
        return finder

    def _read_aliases(
        self,
        field: str,
        value: str,
        lowered: str,
        folded: bool,
        start: int,
        aliases: list[_Alias],
    ) -> list[_Candidate]:
        """The aliases that start at `start` and match the text that follows."""
        found = []
        for alias in aliases:
            if alias.rule.case_sensitive:
                match = alias.pattern.match(value, start)
            elif folded:
                match = alias.folded.match(lowered, start)
            else:
                match = alias.pattern.match(value, start)
            if match is not None:
                found.append(
                    _Candidate(alias.slug, alias.kind, alias.rule, field, start, match.end())
                )
        return found

    def _allowed(
        self, cand: _Candidate, values: dict[str, str], memo: dict[tuple[int, str], bool]
    ) -> bool:
        """The candidate's own exclusions: what stands just before, just after, or near it."""
        value = values[cand.field]
        context = self._context[id(cand.rule)]
        if any(p.search(value, max(0, cand.start - _LOOK), cand.start) for p in context.before):
            return False
        if any(p.match(value, cand.end, cand.end + _LOOK) for p in context.after):
            return False
        return not context.unless or not self._found(context.unless, cand, values, memo, "u")

    def _near(
        self, cand: _Candidate, values: dict[str, str], memo: dict[tuple[int, str], bool]
    ) -> bool:
        context = self._context[id(cand.rule)]
        return bool(context.near) and self._found(context.near, cand, values, memo, "n")

    def _found(
        self,
        patterns: tuple[re.Pattern[str], ...],
        cand: _Candidate,
        values: dict[str, str],
        memo: dict[tuple[int, str], bool],
        which: str,
    ) -> bool:
        """Does one of `patterns` occur in the candidate's context? Whole-field
        answers are the same for every candidate of a rule in one item, so they are kept."""
        if cand.rule.window:
            return any(p.search(t) for t in _context(cand, values) for p in patterns)
        key = (id(patterns), which)
        if key not in memo:
            memo[key] = any(p.search(t) for t in values.values() for p in patterns)
        return memo[key]


@dataclass(frozen=True)
class _Context:
    unless: tuple[re.Pattern[str], ...]
    near: tuple[re.Pattern[str], ...]
    window: int
    before: tuple[re.Pattern[str], ...] = ()
    after: tuple[re.Pattern[str], ...] = ()


def _merged(patterns: Sequence[re.Pattern[str]]) -> tuple[re.Pattern[str], ...]:
    """Patterns as one alternation where they share flags, else as they are."""
    if len(patterns) < 2 or len({p.flags for p in patterns}) != 1:
        return tuple(patterns)
    try:
        return (re.compile("|".join(f"(?:{p.pattern})" for p in patterns), patterns[0].flags),)
    except re.error:  # an inline flag that is only legal at the start of a pattern
        return tuple(patterns)


_LETTER = re.compile(r"[^\W\d_]")
_DIGIT = re.compile(r"\d")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping windows joined, so no text is searched twice."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _token_start(value: str, match: re.Match[str]) -> bool:
    """True when the match begins a WORD token rather than sitting inside one."""
    start = match.start()
    if start == 0:
        return True
    same = _DIGIT if match.group()[0].isdigit() else _LETTER
    return same.match(value, start - 1) is None


def _context(cand: _Candidate, values: dict[str, str]) -> list[str]:
    """The text a context rule searches: every field, or a window of the match's
    field plus the other fields whole, since a headline is read with its body."""
    if not cand.rule.window:
        return list(values.values())
    value, window = values[cand.field], cand.rule.window
    around = value[max(0, cand.start - window) : cand.end + window]
    return [around, *(v for name, v in values.items() if name != cand.field)]


def _drop_contained(found: list[_Candidate]) -> list[_Candidate]:
    """Keep the longest reading of some words, and each reading once.

    Words inside a longer match of the same term are the same words read twice
    ("Alibaba" in "Alibaba Cloud"), and a name inside another name is not a
    name ("Scott" in "Hart-Scott-Rodino" were that an entity). Topics may
    overlap ("chip exports" is export controls and semiconductors), and so may
    a topic and a name ("antitrust" in "Antitrust Division").
    """
    # Only overlapping candidates can contain one another: compare within each
    # run of overlapping spans rather than every pair in the item.
    cluster_of: dict[int, list[_Candidate]] = {}
    cluster: list[_Candidate] = []
    reach = ("", -1)
    for cand in sorted(found, key=lambda c: (c.field, c.start)):
        if (cand.field, cand.start) >= reach:
            cluster = []
        cluster.append(cand)
        cluster_of[id(cand)] = cluster
        reach = max(reach, (cand.field, cand.end))
    kept: list[_Candidate] = []
    seen: set[tuple[str, str, int, int]] = set()
    for cand in sorted(found, key=lambda c: c.rule.needs_context):  # strong reading first
        key = (cand.slug, cand.field, cand.start, cand.end)
        inside = any(
            o.start <= cand.start
            and cand.end <= o.end
            and o.end - o.start > cand.end - cand.start
            and (
                o.slug == cand.slug
                or (o.kind == cand.kind == "entity" and not o.rule.needs_context)
            )
            for o in cluster_of[id(cand)]
        )
        if not inside and key not in seen:
            seen.add(key)
            kept.append(cand)
    return kept
