"""Read a TOML file's tables with errors that point at the line to fix.

tomllib reports positions only for syntax errors, so for a bad value the line
is found again in the text: the n-th ``[[name]]`` header opens the n-th table
of that name, a key is the first line in its table that assigns it, and an item
of a list is the line that holds it. A `Span` is the part of the file one
table occupies; its typed getters raise the caller's error class, worded
``origin:line: problem``.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any, NoReturn

_HEADER = re.compile(r"\s*\[\[\s*([\w.]+)\s*\]\]")


def read_toml(text: str, origin: str, error: type[Exception]) -> tuple[dict[str, Any], Span]:
    """The parsed document and a `Span` over the whole file; syntax errors name their line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise error(f"{origin}:{found.group(1) if found else 1}: {exc}") from None
    lines = text.splitlines()
    heads = [_table_name(line) for line in lines]
    return data, Span(origin, lines, 1, len(lines) + 1, error, heads)


class Span:
    """Lines `start` to `end` (exclusive) of a file, and the table written there."""

    def __init__(
        self,
        origin: str,
        lines: list[str],
        start: int,
        end: int,
        error: type[Exception],
        heads: list[str | None] | None = None,
    ) -> None:
        self.origin, self.lines, self.start, self.end, self.error = origin, lines, start, end, error
        # Each line's table header, read once for the file: a file of a hundred
        # tables asks for every table's block, and reading the headers of every
        # line each time was most of the time a taxonomy took to load.
        self.heads = heads if heads is not None else [_table_name(line) for line in lines]

    def block(self, name: str, index: int) -> Span:
        """The `index`-th ``[[name]]`` table in this span, up to the next table of its level."""
        heads = self.heads
        starts = [n for n in range(self.start, self.end) if heads[n - 1] == name]
        if index >= len(starts):  # written inline, not as [[name]]: blame the enclosing span
            return self
        start = starts[index]
        inner = name + "."
        ends = (
            n
            for n in range(start + 1, self.end)
            if (head := heads[n - 1]) and not head.startswith(inner)
        )
        return Span(self.origin, self.lines, start, next(ends, self.end), self.error, heads)

    def line_of(self, key: str, value: object = None) -> int:
        """The line assigning `key` (or holding `value` in its list); else the table's first."""
        name = re.escape(key)
        assign = re.compile(rf"\s*(?:{name}\s*=|\[\[?\s*{name}\s*\]\]?)")
        first = next(
            (n for n in range(self.start, self.end) if assign.match(self.lines[n - 1])), None
        )
        if first is None:
            return self.start
        if value is not None:
            for n in range(first, self.end):
                if _holds(self.lines[n - 1], value):
                    return n
        return first

    def fail(self, key: str, message: str, value: object = None) -> NoReturn:
        raise self.error(f"{self.origin}:{self.line_of(key, value)}: {message}")

    def check_keys(self, table: dict[str, Any], allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.fail(key, f"unknown key '{key}' (expected one of: {expected})")

    def tables(self, table: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, f"'{key}' must be written as [[...]] tables")
        return value

    def string(self, table: dict[str, Any], key: str) -> str:
        if key not in table:
            self.fail(key, f"missing '{key}'")
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(key, f"'{key}' must be a non-empty string")
        return value

    def strings(self, table: dict[str, Any], key: str) -> list[str]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, f"'{key}' must be a list of non-empty strings")
        return value

    def number(self, table: dict[str, Any], key: str, default: float) -> float:
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            self.fail(key, f"'{key}' must be a number, zero or more")
        return float(value)

    def regex(self, key: str, source: str, pattern: str, flags: int, owner: str) -> re.Pattern[str]:
        """`pattern` (built from the file's `source`) compiled, or an error at its line."""
        try:
            return re.compile(pattern, flags)
        except re.error as exc:
            self.fail(key, f"bad pattern {source!r} in '{key}' of '{owner}': {exc}", source)


def _table_name(line: str) -> str | None:
    """``"entity.match"`` for a ``[[entity.match]]`` line, ``"["`` for any other table header."""
    if found := _HEADER.match(line):
        return found.group(1)
    return "[" if line.lstrip().startswith("[") else None


def _holds(line: str, value: object) -> bool:
    """Does this line of TOML hold `value` as one of its strings?"""
    for quoted in re.findall(r"'[^']*'|\"(?:[^\"\\]|\\.)*\"", line):
        try:
            if tomllib.loads(f"v = {quoted}")["v"] == value:
                return True
        except tomllib.TOMLDecodeError:
            continue
    return False
