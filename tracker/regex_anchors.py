"""Literal strings a regex cannot match without: a cheap gate before running it.

`anchors(pattern)` reads the pattern's parse tree and returns lowercase
strings, one of which occurs (ignoring case) in any text the pattern matches;
an empty tuple means no such strings were found and the pattern must always
run. A substring test on lowercased text costs a fraction of a microsecond,
while a search with a leading ``\\b`` or a case-blind alternation walks the
whole text: gating a table of a hundred patterns this way makes it about
twenty times cheaper. The parse tree is the standard library's own
(``re._parser``); were it to change shape, every pattern would simply run.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the parser behind re.compile; private, so its absence only costs speed
    from re import _constants as _c  # type: ignore[attr-defined]
    from re import _parser as _p  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - an interpreter without it
    _p = None

MIN_LENGTH = 3  # shorter strings occur almost everywhere and gate nothing


def anchors(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Lowercase strings one of which every match contains; () when none is known."""
    if _p is None:
        return ()
    try:
        found = _best(_p.parse(pattern.pattern, pattern.flags))
    except Exception:
        return ()
    return tuple(sorted(found)) if found else ()


def _best(seq: Any) -> frozenset[str] | None:
    """The strongest set of alternatives that a sequence of parse nodes requires."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(option: frozenset[str] | None) -> None:
        nonlocal best
        long_enough = option and min(map(len, option)) >= MIN_LENGTH
        if long_enough and (best is None or _worth(option) > _worth(best)):  # type: ignore[arg-type]
            best = option

    for op, av in seq:
        if op is _c.LITERAL:
            run.append(chr(av).lower())
            continue
        if op is _c.BRANCH and run and (heads := _heads(av[1])):
            consider(frozenset("".join(run) + head for head in heads))
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        consider(_inner(op, av))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def _worth(option: frozenset[str]) -> float:
    """Longer strings gate better; each further alternative is one more test to run."""
    return min(min(map(len, option)), 10) - 1.5 * (len(option) - 1)


def _inner(op: Any, av: Any) -> frozenset[str] | None:
    """What a group, a branch or a repeat requires, if it is itself required."""
    if op is _c.SUBPATTERN:
        return _best(av[-1])
    if op is _c.ATOMIC_GROUP:
        return _best(av)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _best(av[2])
    if op is _c.BRANCH:
        options = [_best(branch) for branch in av[1]]
        if all(options):
            return frozenset().union(*options)  # type: ignore[arg-type]
    return None


def _heads(branches: Any) -> list[str] | None:
    """The literal text each branch starts with, when every branch starts with some."""
    heads = []
    for branch in branches:
        head = []
        for op, av in branch:
            if op is not _c.LITERAL:
                break
            head.append(chr(av).lower())
        if not head:
            return None
        heads.append("".join(head))
    return heads
