"""Load and validate ``data/taxonomy.toml``: the topics and entities items are tagged with.

The file holds ``[[topic]]`` and ``[[entity]]`` tables. Each term lists the words
that match it (``aliases``) and the rules that decide a match; further matchers
with their own rules go in ``[[topic.match]]`` / ``[[entity.match]]`` tables.
The file's header comment documents every key. Every mistake is a
`TaxonomyError` naming the file and line, because a silently skipped rule is a
tag that never appears. Nothing here touches the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tracker import topic_model, type_model
from tracker.toml_lines import Span, read_toml

ENTITY_KINDS: tuple[str, ...] = (
    "company",
    "model",
    "agency",
    "committee",
    "person",
    "organisation",
)
DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "taxonomy.toml"

# A word is a run of letters or a run of digits: "Qwen3" is "qwen" + "3", so an
# alias still matches a numbered model, while "Metaverse" stays one word.
WORD = re.compile(r"[^\W\d_]+|\d+")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_RULE_KEYS = {"case", "not_before", "not_after", "unless_near", "near", "with", "window", "weight"}
_TERM_KEYS = _RULE_KEYS | {
    "slug", "name", "description", "parent", "aliases", "threshold", "passing", "match",
}  # fmt: skip
_MATCH_KEYS = _RULE_KEYS | {"words", "regex", "trigger"}
# A pattern of the file's [patterns] table, named where a rule uses it: "{us_state}".
_REFERENCE = re.compile(r"\{([a-z][a-z_]*)\}")
# A [patterns] entry: one regex (used inside a pattern) or a list of them (a whole entry
# of a context list stands for all of them).
Fragments = Mapping[str, str | tuple[str, ...]]


class TaxonomyError(ValueError):
    """The taxonomy file is broken; the message names the file, line and problem."""


@dataclass(frozen=True)
class MatchRule:
    """One way a term can match, and the context rules that must hold.

    `words` are literal phrases matched on whole words; `regex` is tried only
    when one of the `trigger` words occurs. A rule with `near` or `with_tags` is
    weak: a match counts only with that context around it or in the item.
    """

    words: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None
    trigger: frozenset[str] = frozenset()
    case_sensitive: bool = True
    not_before: tuple[re.Pattern[str], ...] = ()
    not_after: tuple[re.Pattern[str], ...] = ()
    unless_near: tuple[re.Pattern[str], ...] = ()
    near: tuple[re.Pattern[str], ...] = ()
    with_tags: tuple[str, ...] = ()
    # near/unless_near search this many characters each side of a match in its own
    # field, and the other fields whole; 0 searches every field whole.
    window: int = 0
    weight: float = 1.0

    @property
    def needs_context(self) -> bool:
        return bool(self.near or self.with_tags)


@dataclass(frozen=True)
class Term:
    """A topic or entity: what it is called, what it means, how it matches."""

    slug: str
    name: str
    kind: str  # "topic" or "entity"
    description: str
    entity_kind: str | None = None
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    rules: tuple[MatchRule, ...] = ()
    threshold: float = 1.0
    # Topics only: the topic model's probability a mention in passing needs (one
    # match, in the body) for the topic to be given; None gives it on any mention.
    passing: float | None = None
    line: int = 0


@dataclass(frozen=True, eq=False)  # hashed by identity: compiled matchers are cached per taxonomy
class Taxonomy:
    """All terms by slug, in file order."""

    terms: Mapping[str, Term]
    origin: str = "<string>"
    # Topics read from wording the rules do not list (`tracker/topic_model.py`):
    # the model file beside the taxonomy file, when there is one.
    topic_model: topic_model.TopicModel | None = None
    # Document types read from wording when no form or source says (`tracker/type_model.py`).
    type_model: type_model.TypeModel | None = None

    def __getitem__(self, slug: str) -> Term:
        return self.terms[slug]

    def __contains__(self, slug: object) -> bool:
        return slug in self.terms

    def __iter__(self) -> Iterator[Term]:
        return iter(self.terms.values())

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def topics(self) -> list[Term]:
        return [t for t in self if t.kind == "topic"]

    @property
    def entities(self) -> list[Term]:
        return [t for t in self if t.kind == "entity"]

    def ancestors(self, slug: str) -> tuple[str, ...]:
        """Parents of `slug`, nearest first (``"bis"`` → ``("commerce-department",)``)."""
        found: list[str] = []
        parent = self.terms[slug].parent
        while parent is not None:
            found.append(parent)
            parent = self.terms[parent].parent
        return tuple(found)

    def topic_rows(self) -> list[tuple[str, str, str]]:
        """``(slug, name, description)`` for each topic, as the store keeps them."""
        return [(t.slug, t.name, t.description) for t in self.topics]

    def entity_rows(self) -> list[tuple[str, str, str, str, str | None]]:
        """``(slug, name, entity kind, description, parent)`` for each entity."""
        return [
            (t.slug, t.name, t.entity_kind or "", t.description, t.parent) for t in self.entities
        ]


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def name_variants(phrase: str, case_sensitive: bool = True) -> tuple[str, ...]:
    """The forms of an alias that match: as written (first word to last, single
    spaces), and for a name run together in camel case its words apart
    ("DeepSeek" → "Deep Seek"), when each part is a word of three letters or
    more ("OpenAI" stays whole: "Open AI" is how people write open AI models)."""
    found = list(WORD.finditer(phrase))
    text = " ".join(phrase[found[0].start() : found[-1].end()].split())
    variants = [text]
    parts = _CAMEL.split(text)
    words_apart = all(len(p) >= 3 and not p.isupper() and p.isalpha() for p in parts)
    if case_sensitive and " " not in text and len(parts) > 1 and words_apart:
        variants.append(" ".join(parts))
    return tuple(variants)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Read and validate the taxonomy file (default ``<repo>/data/taxonomy.toml``)."""
    path = path or DEFAULT_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy: {exc}") from exc
    try:
        origin = str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        origin = str(path)
    taxonomy = parse_taxonomy(text, origin)
    try:
        topics = topic_model.load(path.parent)
        types = type_model.load(path.parent)
    except ValueError as exc:
        raise TaxonomyError(str(exc)) from exc
    return replace(taxonomy, topic_model=topics, type_model=types)


def parse_taxonomy(text: str, origin: str = "<string>") -> Taxonomy:
    """Validate taxonomy TOML `text`; errors read ``origin:line: problem``."""
    data, whole = read_toml(text, origin, TaxonomyError)
    whole.check_keys(data, {"patterns", "topic", "entity"})
    fragments = _fragments(whole, data)
    terms: dict[str, Term] = {}
    spans: dict[str, Span] = {}
    for kind in ("topic", "entity"):
        for index, table in enumerate(whole.tables(data, kind)):
            span = whole.block(kind, index)
            term = _term(span, kind, table, fragments)
            if term.slug in terms:
                span.fail(
                    "slug",
                    f"duplicate slug '{term.slug}' (first defined at line {terms[term.slug].line})",
                )
            terms[term.slug], spans[term.slug] = term, span
    for term in terms.values():
        _check_links(spans[term.slug], term, terms)
    return Taxonomy(terms, origin)


def _fragments(span: Span, data: dict[str, Any]) -> dict[str, str | tuple[str, ...]]:
    """The [patterns] table: lists the file would otherwise write out again at each use
    (the states' names, the threats that are not attacks), each checked to compile."""
    table = data.get("patterns", {})
    if not isinstance(table, dict):
        span.fail("patterns", "'patterns' must be a table of named regexes")
    found: dict[str, str | tuple[str, ...]] = {}
    for name, value in table.items():
        if not re.fullmatch(r"[a-z][a-z_]*", name):
            span.fail(name, f"pattern name {name!r}: use lowercase words joined by '_'")
        if isinstance(value, str) and value.strip():
            found[name] = value
        elif (
            isinstance(value, list)
            and value
            and all(isinstance(v, str) and v.strip() for v in value)
        ):
            found[name] = tuple(value)
        else:
            span.fail(name, f"pattern '{name}' must be a regex or a list of regexes")
        for source in (value,) if isinstance(value, str) else value:
            if _REFERENCE.search(source):
                span.fail(name, f"pattern '{name}' names another pattern: write it out", source)
            span.regex(name, source, source, re.IGNORECASE, f"patterns.{name}")
    return found


def _expanded(span: Span, key: str, source: str, fragments: Fragments, owner: str) -> str:
    """`source` with each named pattern ("{us_state}") written in, as a group."""

    def one(found: re.Match[str]) -> str:
        value = fragments.get(found.group(1))
        if not isinstance(value, str):
            how = "is a list: name it as a whole entry" if value else "is not in [patterns]"
            span.fail(key, f"pattern '{found.group(0)}' in '{key}' of '{owner}' {how}", source)
        return f"(?:{value})"

    return _REFERENCE.sub(one, source)


def _term(span: Span, kind: str, table: dict[str, Any], fragments: Fragments) -> Term:
    span.check_keys(table, _TERM_KEYS | ({"kind"} if kind == "entity" else set()))
    slug = span.string(table, "slug")
    if not _SLUG.match(slug):
        span.fail("slug", f"bad slug '{slug}': use lowercase words joined by '-'")
    entity_kind = span.string(table, "kind") if kind == "entity" else None
    if kind == "entity" and entity_kind not in ENTITY_KINDS:
        span.fail(
            "kind",
            f"unknown entity kind '{entity_kind}' for '{slug}' (one of {', '.join(ENTITY_KINDS)})",
        )
    # Names of organisations and people are matched with their case; topic words without.
    case = _case(span, table, kind == "entity")
    if not table.get("aliases"):
        for key in sorted((_RULE_KEYS - {"case"}) & table.keys()):
            span.fail(key, f"'{key}' is a rule for aliases, and '{slug}' has none")
    rules = [_rule(span, table, slug, case, "aliases", fragments)] if table.get("aliases") else []
    for index, sub in enumerate(span.tables(table, "match")):
        inner = span.block(f"{kind}.match", index)
        inner.check_keys(sub, _MATCH_KEYS)
        if ("words" in sub) == ("regex" in sub):
            inner.fail("words", f"a match of '{slug}' needs 'words' or 'regex' (one of them)")
        rules.append(_rule(inner, sub, slug, case, "words", fragments))
    if not rules:
        span.fail("slug", f"'{slug}' has no aliases and no match rules")
    return Term(
        slug=slug,
        name=span.string(table, "name"),
        kind=kind,
        description=span.string(table, "description"),
        entity_kind=entity_kind,
        parent=span.string(table, "parent") if "parent" in table else None,
        # Names that mean the term by themselves; weak ones ("Scott") need context.
        aliases=tuple(dict.fromkeys(w for r in rules if not r.needs_context for w in r.words)),
        rules=tuple(rules),
        threshold=span.number(table, "threshold", 1.0),
        passing=_passing(span, table, kind),
        line=span.start,
    )


def _passing(span: Span, table: dict[str, Any], kind: str) -> float | None:
    if "passing" not in table:
        return None
    if kind != "topic":
        span.fail("passing", "'passing' is for topics: the topic model reads no entity")
    value = span.number(table, "passing", 0.0)
    if not 0.0 < value < 1.0:
        span.fail("passing", "'passing' is a probability, between 0 and 1")
    return value


def _case(span: Span, table: dict[str, Any], default: bool) -> bool:
    if "case" not in table:
        return default
    value = span.string(table, "case")
    if value not in ("sensitive", "insensitive"):
        span.fail("case", f"case must be 'sensitive' or 'insensitive', not '{value}'")
    return value == "sensitive"


def _rule(
    span: Span, table: dict[str, Any], slug: str, case: bool, words_key: str, fragments: Fragments
) -> MatchRule:
    case = _case(span, table, case)
    words = tuple(span.strings(table, words_key))
    for word in words:
        if not WORD.search(word):
            label = "alias" if words_key == "aliases" else "word"
            span.fail(words_key, f"{label} {word!r} of '{slug}' has no letters or digits", word)
    regex, trigger = None, frozenset[str]()
    if "regex" in table:
        source = span.string(table, "regex")
        # Whole words unless the pattern says otherwise: never start or end inside a word.
        written = _expanded(span, "regex", source, fragments, slug)
        wrapped = rf"(?<![^\W_])(?:{written})(?![^\W_])"
        regex = span.regex("regex", source, wrapped, 0 if case else re.IGNORECASE, slug)
        trigger = frozenset(w.lower() for w in span.strings(table, "trigger"))
        if not trigger or any(WORD.fullmatch(w) is None for w in trigger):
            span.fail(
                "trigger" if "trigger" in table else "regex",
                f"a regex of '{slug}' needs 'trigger': words, one of which every match contains",
            )
    return MatchRule(
        words=words,
        regex=regex,
        trigger=trigger,
        case_sensitive=case,
        not_before=_patterns(span, table, "not_before", slug, r"(?:{})\Z", fragments),
        not_after=_patterns(span, table, "not_after", slug, "{}", fragments),
        unless_near=_patterns(span, table, "unless_near", slug, "{}", fragments),
        near=_patterns(span, table, "near", slug, "{}", fragments),
        with_tags=tuple(span.strings(table, "with")),
        window=int(span.number(table, "window", 0)),
        weight=span.number(table, "weight", 1.0),
    )


def _patterns(
    span: Span, table: dict[str, Any], key: str, slug: str, template: str, fragments: Fragments
) -> tuple[re.Pattern[str], ...]:
    # Context patterns ignore case unless they say (?-i:...): "Sen." and "sen." are one clue.
    # An entry that only names a list of [patterns] stands for every pattern in it.
    found = []
    for source in span.strings(table, key):
        named = _REFERENCE.fullmatch(source)
        listed = fragments.get(named.group(1)) if named else None
        for p in listed if isinstance(listed, tuple) else (source,):
            written = _expanded(span, key, p, fragments, slug)
            found.append(span.regex(key, source, template.format(written), re.IGNORECASE, slug))
    return tuple(found)


def _check_links(span: Span, term: Term, terms: dict[str, Term]) -> None:
    """Parents and `with` slugs must exist; parents must not loop."""
    if term.parent is not None:
        parent = terms.get(term.parent)
        if parent is None:
            span.fail("parent", f"unknown parent '{term.parent}' for '{term.slug}'")
        if parent.kind != term.kind:
            span.fail("parent", f"parent '{term.parent}' of '{term.slug}' is not a {term.kind}")
    chain = [term.slug]
    while (up := terms[chain[-1]].parent) is not None:
        if up in chain:
            span.fail("parent", "parent cycle: " + " -> ".join([*chain, up]))
        chain.append(up)
    for rule in term.rules:
        for slug in rule.with_tags:
            if slug not in terms:
                span.fail("with", f"unknown slug '{slug}' in 'with' of '{term.slug}'", slug)
    for alias in term.aliases:
        for other in terms.values():
            if other.kind == term.kind and other.line < term.line and alias in other.aliases:
                span.fail(
                    "aliases",
                    f"alias {alias!r} of '{term.slug}' is also an alias of '{other.slug}'",
                    alias,
                )
