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


def anchors(pattern: re.Pattern[str], avoid: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Lowercase strings one of which every match contains; () when none is known.
    Strings holding a word of `avoid` are passed over: a veto's gate is no gate
    if it is the very word the veto guards ("distillation" in "distillation
    column": "column" is the string to look for). Words of `avoid` shorter than
    `MIN_LENGTH` are not: "e" of "DALL-E" or "s" of "U.S." is in nearly every
    string, and passing over every string holding it left such a term's vetoes
    with no gate at all."""
    if _p is None:
        return ()
    avoid = frozenset(word for word in avoid if len(word) >= MIN_LENGTH)
    try:
        found = _best(_p.parse(pattern.pattern, pattern.flags), avoid)
    except Exception:
        return ()
    return tuple(sorted(found)) if found else ()


def _best(seq: Any, avoid: frozenset[str] = frozenset()) -> frozenset[str] | None:
    """The strongest set of alternatives that a sequence of parse nodes requires."""
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(option: frozenset[str] | None) -> None:
        nonlocal best
        if not option or min(map(len, option)) < MIN_LENGTH:
            return
        if any(word in text for text in option for word in avoid):
            return
        if best is None or _worth(option) > _worth(best):
            best = option

    for op, av in seq:
        if op is _c.LITERAL:
            run.append(chr(av).lower())
            continue
        if op is _c.BRANCH and run and (heads := _heads(av[1])):
            consider(frozenset("".join(run) + head for head in heads))
        consider(frozenset({"".join(run)}) if run else None)
        run = []
        consider(_inner(op, av, avoid))
    consider(frozenset({"".join(run)}) if run else None)
    return best


def _worth(option: frozenset[str]) -> float:
    """Longer strings are rarer, so they gate better; a further alternative costs little."""
    return min(min(map(len, option)), 12) - 0.1 * (len(option) - 1)


def _inner(op: Any, av: Any, avoid: frozenset[str]) -> frozenset[str] | None:
    """What a group, a branch or a repeat requires, if it is itself required."""
    if op is _c.SUBPATTERN:
        return _best(av[-1], avoid)
    if op is _c.ATOMIC_GROUP:
        return _best(av, avoid)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT) and av[0] >= 1:
        return _best(av[2], avoid)
    if op is _c.BRANCH:
        options = [_best(branch, avoid) for branch in av[1]]
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


def starts(pattern: re.Pattern[str]) -> tuple[str, ...]:
    """Lowercase strings every match begins with (after any zero-width assertion),
    or () when some branch begins otherwise (a class, a wildcard)."""
    if _p is None:
        return ()
    try:
        found = _heads_of(list(_p.parse(pattern.pattern, pattern.flags)))
    except Exception:
        return ()
    if not found or min(map(len, found)) < 2:
        return ()
    return tuple(sorted(found))


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _heads_of(seq: list[Any]) -> set[str] | None:
    """The literal beginnings of a sequence of parse nodes, if every path has one."""
    i = 0
    while i < len(seq) and seq[i][0] in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        i += 1  # "\b", "(?<!...)": they take no characters
    run = []
    while i < len(seq) and seq[i][0] is _c.LITERAL:
        run.append(chr(seq[i][1]).lower())
        i += 1
    prefix = "".join(run)
    if i == len(seq):
        return {prefix} if prefix else None
    op, av = seq[i]
    following: set[str] | None = None
    if op is _c.BRANCH:
        parts = [_heads_of(list(branch)) for branch in av[1]]
        following = set().union(*parts) if all(parts) else None  # type: ignore[arg-type]
    elif op is _c.SUBPATTERN:
        following = _heads_of(list(av[-1]))
    elif str(op) in _REPEATS and av[0] >= 1:
        following = _heads_of(list(av[2]))
    elif str(op) in _REPEATS:  # optional: it and what follows, or what follows alone
        body, rest = _heads_of(list(av[2]) + seq[i + 1 :]), _heads_of(seq[i + 1 :])
        following = body | rest if body and rest else None
    if following:
        return {prefix + head for head in following}
    return {prefix} if prefix else None


# Characters a case-blind regex matches to an ASCII letter where `str.lower()`
# gives something else: "ſ" and "ı" fold to "s" and "i", and "İ" lowers to two
# characters. A text holding one is not gated (`lowered`), so no gate is wrong.
_FOLDS_APART = ("ſ", "ı", "İ")


def lowered(text: str) -> str | None:
    """`text` lowercased for anchor tests, or None when a test on it could miss a match."""
    if not text.isascii() and any(c in text for c in _FOLDS_APART):
        return None
    return text.lower()


def may_match(gate: tuple[str, ...], low: str | None) -> bool:
    """Whether a pattern with these `anchors` can match the text `low` was lowered from."""
    return low is None or not gate or any(a in low for a in gate)
