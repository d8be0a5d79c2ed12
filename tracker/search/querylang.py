"""The query language a journalist types, read without ever failing.

``qwen letter`` (all words), ``letter OR memo``, ``NOT china`` / ``-china``,
``"model distillation"``, ``( ... )``, ``type:letter``, ``topic:``, ``entity:``,
``source:``, ``bill:119-s-1705`` or ``bill:s1705``, ``after:2026-04-01``,
``before:2026-06`` (both inclusive). OR binds tighter than the implied AND, so
``qwen letter OR memo`` is qwen AND (letter OR memo). Whatever cannot be read
is dropped with a notice saying so, and the rest is searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tracker.inputs import FIRST_DAY, LAST_DAY, InputError, day_span
from tracker.search.schema import FACET_FIELDS, bill_term
from tracker.types import DOC_TYPES

FIELDS = (*FACET_FIELDS, "bill", "after", "before")
TOKEN = re.compile(r'\s+|(?P<paren>[()])|(?P<word>[^\s()"]*(?:"[^"]*"?)?)')
OPERATORS = {"AND", "OR", "NOT"}
MAX_DEPTH = 20  # parentheses within parentheses


@dataclass(frozen=True)
class Text:
    """Words that must all occur (a phrase: in this order)."""

    words: str
    phrase: bool = False


@dataclass(frozen=True)
class Field:
    """An exact facet value, e.g. type:letter (value already normalised)."""

    name: str
    value: str


@dataclass(frozen=True)
class Not:
    node: Node


@dataclass(frozen=True)
class AllOf:
    nodes: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    nodes: tuple[Node, ...]


Node = Text | Field | Not | AllOf | AnyOf


@dataclass
class ParsedQuery:
    """The reading of a query: a tree (None: no condition), dates, notices."""

    root: Node | None
    after: date | None = None
    before: date | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def echo(self) -> str:
        """The query as it was read, in the same language."""
        parts = [render(self.root)] if self.root is not None else []
        if self.after:
            parts.append(f"after:{self.after.isoformat()}")
        if self.before:
            parts.append(f"before:{self.before.isoformat()}")
        return " ".join(parts)


def parse_query(text: str) -> ParsedQuery:
    """Read `text`; never raises. Problems become notices on the result."""
    text = text.replace("“", '"').replace("”", '"').strip()
    parser = _Parser(_tokens(text))
    root = parser.sequence(depth=0)
    parsed = ParsedQuery(root=root, after=parser.after, before=parser.before)
    parsed.notices = list(dict.fromkeys(parser.notices))
    if parsed.after and parsed.before and parsed.after > parsed.before:
        parsed.after, parsed.before = parsed.before, parsed.after
        parsed.notices.append("after: was later than before:, so the two dates were swapped.")
    return parsed


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens = []
    for match in TOKEN.finditer(text):
        if match.group("paren"):
            tokens.append(("paren", match.group("paren")))
        elif match.group("word"):
            word = match.group("word")
            tokens.append(("op", word) if word in OPERATORS else ("word", word))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.notices: list[str] = []
        self.after: date | None = None
        self.before: date | None = None
        self.dates_read = 0
        self.depth = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def sequence(self, depth: int) -> Node | None:
        nodes: list[Node] = []
        while (token := self.peek()) is not None:
            if token == ("paren", ")"):
                if depth:
                    break
                self.pos += 1
                self.notices.append("A closing parenthesis had no opening one; it was ignored.")
                continue
            if token == ("op", "AND"):
                self.pos += 1
                if not nodes or self.peek() in (None, ("op", "OR"), ("op", "AND")):
                    self.notices.append("AND needs a word on each side; it was ignored.")
                continue
            node = self.alternatives()
            if node is not None:
                nodes.append(node)
        return _join(AllOf, nodes)

    def alternatives(self) -> Node | None:
        dates_read = self.dates_read
        nodes = [self.unary()]
        while self.peek() == ("op", "OR"):
            self.pos += 1
            nodes.append(self.unary())
        if len(nodes) > 1 and any(node is None for node in nodes):
            self.notices.append("OR needs a word on each side; the missing side was ignored.")
        if len(nodes) > 1 and self.dates_read != dates_read:
            self.notices.append(
                "after: and before: apply to the whole search, not to one side of OR."
            )
        return _join(AnyOf, [node for node in nodes if node is not None])

    def unary(self) -> Node | None:
        # A run of NOTs is read in a loop, not by recursion: NOT NOT x is x,
        # and a query of a thousand NOTs costs no stack.
        negations = 0
        while self.peek() in (("op", "NOT"), ("word", "-")):
            self.pos += 1
            negations += 1
        inner = self.operand()
        if negations and inner is None:
            self.notices.append("NOT needs a word after it; it was ignored.")
            return None
        return Not(inner) if inner is not None and negations % 2 else inner

    def operand(self) -> Node | None:
        token = self.peek()
        if token is None:
            return None
        if token[0] == "word" and token[1].startswith("-") and len(token[1]) > 1:
            self.pos += 1
            inner = self.atom(token[1][1:], negated=True)
            return Not(inner) if inner is not None else None
        return self.atom_token()

    def atom_token(self) -> Node | None:
        kind, value = self.tokens[self.pos]
        self.pos += 1
        if kind == "paren":
            return self.group() if value == "(" else None
        if kind == "op":
            self.notices.append(f"{value} needs a word on each side; it was ignored.")
            return None
        return self.atom(value, negated=False)

    def group(self) -> Node | None:
        if self.depth >= MAX_DEPTH:
            # Reading nests a call per parenthesis: this bounds the stack.
            self.notices.append(
                f"Parentheses nest {MAX_DEPTH} deep at most; the deeper ones were ignored."
            )
            return None
        self.depth += 1
        inner = self.sequence(depth=self.depth)
        self.depth -= 1
        if self.peek() == ("paren", ")"):
            self.pos += 1
        else:
            self.notices.append("A parenthesis was not closed; it was read as closed at the end.")
        return inner

    def atom(self, word: str, negated: bool) -> Node | None:
        if word.startswith('"'):
            return self.phrase(word)
        name, sep, value = word.partition(":")
        if sep and name.lower() in FIELDS:
            return self.field(name.lower(), self.unquote(value), negated)
        if sep and name.isalpha() and value and not value.startswith("//"):
            self.notices.append(f"There is no field {name}:; it was searched as words.")
        return Text(word)

    def phrase(self, word: str) -> Node | None:
        inner = self.unquote(word)
        return Text(inner, phrase=True) if inner.strip() else None

    def unquote(self, value: str) -> str:
        if value.startswith('"'):
            if len(value) == 1 or not value.endswith('"'):
                self.notices.append("A quotation mark was not closed; it was read as closed.")
                return value[1:]
            return value[1:-1]
        return value

    def field(self, name: str, value: str, negated: bool) -> Node | None:
        value = value.strip()
        if not value:
            self.notices.append(f"{name}: needs a value, e.g. {_EXAMPLES[name]}; it was ignored.")
            return None
        if name in ("after", "before"):
            self.date_bound(name, value, negated)
            return None
        normal = _normalise(name, value)
        if normal is None:
            self.notices.append(f"{name}:{value} is not a bill number like {_EXAMPLES['bill']}.")
            return None
        if name == "type" and normal not in DOC_TYPES:
            known = ", ".join(DOC_TYPES)
            self.notices.append(f"There is no document type {value!r}; types are: {known}.")
        return Field(name, normal)

    def date_bound(self, name: str, value: str, negated: bool) -> None:
        try:
            bounds = day_span(value, name)
        except InputError:
            self.notices.append(
                f"{name}:{value} is not a date like 2026-04-01 from {FIRST_DAY.year} "
                f"to {LAST_DAY.year}; it was ignored."
            )
            return None
        if negated:
            self.notices.append(f"{name}: cannot be negated; it was ignored.")
            return None
        self.dates_read += 1
        if name == "after":
            self.after = max(self.after or bounds[0], bounds[0])
        else:
            self.before = min(self.before or bounds[1], bounds[1])
        return None


_EXAMPLES = {
    "type": "type:letter",
    "topic": "topic:export-controls",
    "entity": "entity:alibaba",
    "source": "source:federal-register-bis",
    "bill": "bill:119-s-1705",
    "after": "after:2026-04-01",
    "before": "before:2026-06-30",
}


def _normalise(name: str, value: str) -> str | None:
    if name == "bill":
        return bill_term(value)
    slug = re.sub(r"[\s_]+", "-", value.strip().lower())
    if name == "type" and slug not in DOC_TYPES and slug.rstrip("s") in DOC_TYPES:
        slug = slug.rstrip("s")
    return slug


def _join(kind: type[AllOf] | type[AnyOf], nodes: list[Node]) -> Node | None:
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else kind(tuple(nodes))


def render(node: Node | None, nested: bool = False) -> str:
    """`node` written back in the query language."""
    if node is None:
        return ""
    if isinstance(node, Text):
        return f'"{node.words}"' if node.phrase else node.words
    if isinstance(node, Field):
        return f'{node.name}:"{node.value}"' if " " in node.value else f"{node.name}:{node.value}"
    if isinstance(node, Not):
        return "-" + render(node.node, nested=True)
    joint = " OR " if isinstance(node, AnyOf) else " "
    inner = joint.join(render(child, nested=True) for child in node.nodes)
    return f"({inner})" if nested else inner
