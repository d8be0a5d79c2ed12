"""Find where a taxonomy's terms occur in an item's fields, and which occurrences count.

Compiling a taxonomy builds one Aho–Corasick automaton (pyahocorasick) over
every alias and every trigger word, lowercased, so one item costs one pass
over its lowercased text in C, whatever the size of the taxonomy. Each hit is
then checked in Python: whole words, the alias's case (as written, or in
capitals for names of five letters or more), and the rule's context. Regex
rules run only on the text around their trigger words. Context rules live in
`matcher_context.py`. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

from tracker.matcher_context import Candidate, ContextRules, drop_contained, merge_spans
from tracker.regex_anchors import starts
from tracker.taxonomy import MatchRule, Taxonomy, name_variants

# A regex rule is tried this many characters either side of its trigger words;
# a match longer than this would not be a phrase the taxonomy means.
_REACH = 250
MIN_HEAD = 3  # characters a regex rule's every beginning needs to be read by the automaton
# Whitespace other than a plain space: every character `str.isspace` holds but " ".
# A text is asked for each with `in` (faster than a pattern's search of a text
# that holds none, as most do); the pattern then replaces them.
OTHER_SPACES = tuple(
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_OTHER_SPACE = re.compile(f"[{re.escape(''.join(OTHER_SPACES))}]")
_SPACES = re.compile(r"\s{2,}")
# The automaton reads text whose spaces and punctuation are all one mark, and
# keys that begin with that mark: so it reports words that begin where a word
# begins, never "ai" inside "said" (most raw hits were of that kind).
_MARK = "\x01"
_PUNCTUATION = " \t\n\r\f\v!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\xa0‘’“”–—…•·«»"
_MARKED = str.maketrans(dict.fromkeys(_PUNCTUATION, _MARK))


def _marked(text: str) -> str:
    return _MARK + text.translate(_MARKED)


class Hit(NamedTuple):
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
    text: str  # as written, single-spaced
    caps: str | None  # the all-capitals form that also counts, if any
    starts_digit: bool
    ends_digit: bool


@dataclass(frozen=True)
class _Key:
    """What one automaton key stands for: aliases spelled so, rules it triggers,
    and rules whose matches can begin with it."""

    length: int  # of the key without its leading mark
    ends_digit: bool  # the word it ends with is digits, so a digit may not follow
    aliases: tuple[_Alias, ...]
    triggers: tuple[tuple[str, str, MatchRule], ...]
    starts: tuple[int, ...]  # ids of regex rules


class Matcher:
    """A taxonomy compiled for matching; build once, call `hits` per item."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        aliases: dict[str, list[_Alias]] = {}
        triggers: dict[str, list[tuple[str, str, MatchRule]]] = {}
        begins: dict[str, list[int]] = {}
        # Where a regex rule's matches can begin, when that is known: the rule is
        # then tried at those places only, instead of across the text.
        self._starts: dict[int, bool] = {}
        for term in taxonomy:
            for rule in term.rules:
                for phrase in rule.words:
                    for text in name_variants(phrase, rule.case_sensitive):
                        alias = _alias(term.slug, term.kind, rule, text)
                        aliases.setdefault(text.lower(), []).append(alias)
                for word in rule.trigger:
                    triggers.setdefault(word, []).append((term.slug, term.kind, rule))
                if rule.regex is not None:
                    heads = starts(rule.regex)
                    # Heads as common as "of" or "as" would cost more hits than the
                    # search around the trigger words they save.
                    if any(len(head) < MIN_HEAD for head in heads):
                        heads = ()
                    self._starts[id(rule)] = bool(heads)
                    for head in heads:
                        begins.setdefault(head, []).append(id(rule))
        self._automaton = ahocorasick.Automaton()
        for key in aliases.keys() | triggers.keys() | begins.keys():
            entry = _Key(
                len(key),
                key[-1].isdigit(),
                tuple(aliases.get(key, ())),
                tuple(triggers.get(key, ())),
                tuple(begins.get(key, ())),
            )
            self._automaton.add_word(_marked(key), entry)
        self._automaton.make_automaton()
        self._context = ContextRules(taxonomy)
        # Case-blind patterns also as case-exact ones for lowercased text: sre
        # folds case character by character, which makes a search 3-5x slower.
        self._folded = {
            id(rule): fold_case(rule.regex)
            for term in taxonomy
            for rule in term.rules
            if rule.regex is not None
        }

    def hits(self, fields: Sequence[tuple[str, str]]) -> list[Hit]:
        """Every occurrence that passes its rules, in field order then position."""
        values = dict(fields)
        present = self._context.present([value.lower() for _, value in fields])
        allowed = self._context.allowed
        found: list[Candidate] = []
        for name, value in fields:
            found.extend(
                c for c in self._candidates(name, value) if allowed(c, value, fields, present)
            )
        strong = self._context.resolve(drop_contained(found), fields, present)
        order = {name: index for index, (name, _) in enumerate(fields)}
        strong.sort(key=lambda c: (order[c.field], c.start, -c.end))
        return [
            Hit(c.slug, c.field, c.start, c.end, values[c.field][c.start : c.end], c.rule.weight)
            for c in strong
        ]

    def _candidates(self, field: str, value: str) -> list[Candidate]:
        found: list[Candidate] = []
        searched, where = _searchable(value)
        spots: dict[int, list[tuple[int, int]]] = {}
        rules: dict[int, tuple[str, str, MatchRule]] = {}
        begun: dict[int, set[int]] = {}
        size = len(searched)
        for last, key in self._automaton.iter(_marked(searched)):
            start, end = last - key.length, last  # the marked text is one longer
            for rule_id in key.starts:
                begun.setdefault(rule_id, set()).add(start)
            if end < size:  # a word must end here too: "Meta", not "Metaverse"
                after = searched[end]
                if after.isdigit() if key.ends_digit else after.isalpha():
                    continue
            if where is not None:
                start, end = where(start), where(end - 1) + 1
            for alias in key.aliases:
                if not alias.rule.case_sensitive or _same_case(value[start:end], alias):
                    found.append(Candidate(alias.slug, alias.kind, alias.rule, field, start, end))
            for entry in key.triggers:
                rules[id(entry[2])] = entry
                spots.setdefault(id(entry[2]), []).append((max(0, start - _REACH), end + _REACH))
        for key_id, (slug, kind, rule) in rules.items():
            for start, end in self._regex(key_id, rule, value, searched, where, spots, begun):
                found.append(Candidate(slug, kind, rule, field, start, end))
        return found

    def _regex(
        self,
        key_id: int,
        rule: MatchRule,
        value: str,
        searched: str,
        where: Callable[[int], int] | None,
        spots: dict[int, list[tuple[int, int]]],
        begun: dict[int, set[int]],
    ) -> list[tuple[int, int]]:
        """Spans a triggered regex rule matches: tried where its matches can begin,
        else searched around its trigger words (a match holds one)."""
        assert rule.regex is not None  # only regex rules have triggers
        folded = self._folded[key_id] if where is None else None
        pattern, text = (folded, searched) if folded is not None else (rule.regex, value)
        if where is None and self._starts[key_id]:
            out = []
            for pos in sorted(begun.get(key_id, ())):
                if (m := pattern.match(text, pos, pos + 2 * _REACH)) is not None:
                    out.append((m.start(), m.end()))
            return out
        return [
            (m.start(), m.end())
            for lo, hi in merge_spans(spots[key_id])
            for m in pattern.finditer(text, lo, hi)
        ]


def _alias(slug: str, kind: str, rule: MatchRule, text: str) -> _Alias:
    letters = sum(ch.isalpha() for ch in text)
    # "DEEPSEEK" is DeepSeek, but "XAI" (explainable AI) is not xAI: short names
    # in capitals are other words' acronyms too often.
    caps = text.upper() if rule.case_sensitive and letters >= 5 and text != text.upper() else None
    return _Alias(slug, kind, rule, text, caps, text[0].isdigit(), text[-1].isdigit())


def fold_case(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A case-blind pattern rewritten for lowercased text: its literals lowercased,
    escapes (``\\S``, ``\\b``) kept. None when that would change what it means
    (inline case flags) or the pattern is case-exact already."""
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE or "(?-i" in source or "(?i" in source:
        return None
    out, escaped = [], False
    for ch in source:
        out.append(ch if escaped else ch.lower())
        escaped = ch == "\\" and not escaped
    try:
        return re.compile("".join(out), pattern.flags & ~re.IGNORECASE)
    except re.error:  # pragma: no cover - lowercasing a valid pattern keeps it valid
        return None


def _same_case(found: str, alias: _Alias) -> bool:
    """The words as the alias writes them (or in capitals, where that counts)."""
    if found == alias.text or found == alias.caps:
        return True
    squeezed = " ".join(found.split())  # the text had a line break or two spaces inside
    return squeezed != found and (squeezed == alias.text or squeezed == alias.caps)


def _searchable(value: str) -> tuple[str, Callable[[int], int] | None]:
    """The text the automaton reads (lowercase, single spaces) and a map of its
    offsets back to `value`'s, or None when they are the same."""
    lowered = value.lower()
    if len(lowered) != len(value):  # "İ" lowercases to two characters: keep offsets
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in value)
    if any(map(lowered.__contains__, OTHER_SPACES)):
        lowered = _OTHER_SPACE.sub(" ", lowered)
    if "  " not in lowered:
        return lowered, None
    # Runs of spaces become one, so "Senate  Banking" still reads as the alias;
    # offsets map back through the positions that were kept.
    kept: list[int] = []
    pieces: list[str] = []
    pos = 0
    for run in _SPACES.finditer(lowered):
        pieces.append(lowered[pos : run.start() + 1])
        kept.extend(range(pos, run.start() + 1))
        pos = run.end()
    pieces.append(lowered[pos:])
    kept.extend(range(pos, len(lowered)))
    return "".join(pieces), kept.__getitem__
