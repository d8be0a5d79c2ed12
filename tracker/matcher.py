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

import ahocorasick

from tracker.matcher_context import Candidate, ContextRules, drop_contained, merge_spans
from tracker.taxonomy import MatchRule, Taxonomy, name_variants

# A regex rule is tried this many characters either side of its trigger words;
# a match longer than this would not be a phrase the taxonomy means.
_REACH = 400
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace other than a plain space
_SPACES = re.compile(r"\s{2,}")
_LETTER = re.compile(r"[^\W\d_]")


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
    text: str  # as written, single-spaced
    caps: str | None  # the all-capitals form that also counts, if any
    starts_digit: bool
    ends_digit: bool


@dataclass(frozen=True)
class _Key:
    """What one automaton key stands for: aliases spelled so, and rules it triggers."""

    length: int
    aliases: tuple[_Alias, ...]
    triggers: tuple[tuple[str, str, MatchRule], ...]


class Matcher:
    """A taxonomy compiled for matching; build once, call `hits` per item."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        aliases: dict[str, list[_Alias]] = {}
        triggers: dict[str, list[tuple[str, str, MatchRule]]] = {}
        for term in taxonomy:
            for rule in term.rules:
                for phrase in rule.words:
                    for text in name_variants(phrase, rule.case_sensitive):
                        alias = _alias(term.slug, term.kind, rule, text)
                        aliases.setdefault(text.lower(), []).append(alias)
                for word in rule.trigger:
                    triggers.setdefault(word, []).append((term.slug, term.kind, rule))
        self._automaton = ahocorasick.Automaton()
        for key in aliases.keys() | triggers.keys():
            entry = _Key(len(key), tuple(aliases.get(key, ())), tuple(triggers.get(key, ())))
            self._automaton.add_word(key, entry)
        self._automaton.make_automaton()
        self._context = ContextRules(taxonomy)

    def hits(self, fields: Sequence[tuple[str, str]]) -> list[Hit]:
        """Every occurrence that passes its rules, in field order then position."""
        values = dict(fields)
        found: list[Candidate] = []
        for name, value in fields:
            allowed = self._context.allowed
            found.extend(c for c in self._candidates(name, value) if allowed(c, value, fields))
        strong = self._context.resolve(drop_contained(found), fields)
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
        for last, key in self._automaton.iter(searched):
            start, end = last - key.length + 1, last + 1
            if start > 0 and _same_class(searched[start - 1], searched[start]):
                continue  # inside a word: "meta" in "metadata"
            if end < len(searched) and _same_class(searched[end], searched[end - 1]):
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
            assert rule.regex is not None  # only regex rules have triggers
            # A match holds a trigger word, so only the text around each one is read.
            for lo, hi in merge_spans(spots[key_id]):
                for m in rule.regex.finditer(value, lo, hi):
                    found.append(Candidate(slug, kind, rule, field, m.start(), m.end()))
        return found


def _alias(slug: str, kind: str, rule: MatchRule, text: str) -> _Alias:
    letters = sum(ch.isalpha() for ch in text)
    # "DEEPSEEK" is DeepSeek, but "XAI" (explainable AI) is not xAI: short names
    # in capitals are other words' acronyms too often.
    caps = text.upper() if rule.case_sensitive and letters >= 5 and text != text.upper() else None
    return _Alias(slug, kind, rule, text, caps, text[0].isdigit(), text[-1].isdigit())


def _same_class(a: str, b: str) -> bool:
    """Two neighbouring characters of one WORD token: both letters, or both digits."""
    return (a.isdigit() and b.isdigit()) or (
        _LETTER.match(a) is not None and _LETTER.match(b) is not None
    )


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
    if _OTHER_SPACE.search(lowered):
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
