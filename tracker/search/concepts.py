"""What a query names: topics, entities, document types, sources and bills.

Words of a query that spell a name the tracker knows are read twice: as words
(items holding them match, as always) and as a *concept* (items carrying it
match too, and rank above those that only share the words). The names are
the taxonomy's own (a term's name, slug, aliases and the words of its match
rules), the document types, the sources' names, and bill numbers as people
write them (``H.R. 8283``, ``HR 8283``, ``hr8283``). Names are compared as
index terms, so case, plurals and accents do not matter, except for short
capitalised acronyms of case-sensitive rules (``BIS``, ``EAR``): typed in
lower case they are ordinary words. A rule's own vetoes apply to the query as
they would to a text: ``Warren Buffett`` does not name the senator, and
``Rick Scott`` does not name Tim Scott.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from tracker.search.highlight import analyzed
from tracker.search.querylang import AllOf, AnyOf, Node, Text
from tracker.search.schema import written_bill
from tracker.taxonomy import MatchRule, Taxonomy, load_taxonomy
from tracker.types import BILL_TYPE_LABELS

# What people call each document type, in queries.
TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "memo": ("memo", "memos", "memorandum", "memoranda"),
    "export-control": ("export control", "export controls"),
    "letter": ("letter", "letters"),
    "bill": ("bill", "bills", "legislation"),
    "rule": ("rule", "rules", "final rule", "proposed rule"),
    "hearing": ("hearing", "hearings"),
    "report": ("report", "reports"),
    "press-release": ("press release", "press releases", "statement", "statements"),
    "news": ("news",),
}
FIELDS = {"topic": "topics", "entity": "entities", "type": "doc_type", "source": "source"}
_ACRONYM = re.compile(r"[A-Z]{2,3}")
_SPELLED = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Concept:
    """A thing a query can name, and the index term that marks items carrying it."""

    kind: str  # topic, entity, type, source or bill
    key: str  # slug, document type, source slug or bill term (hr8283)
    name: str
    description: str = field(default="", compare=False)

    @property
    def index_field(self) -> str:
        return FIELDS.get(self.kind, self.kind)


@dataclass(frozen=True)
class Named:
    """Query words that name concepts: items carrying one, or holding all the words, match."""

    words: tuple[Text, ...]
    concepts: tuple[Concept, ...]

    @property
    def text(self) -> str:
        return " ".join(word.words for word in self.words)


@dataclass(frozen=True)
class _Entry:
    concept: Concept
    rule: MatchRule | None  # whose vetoes apply to this reading
    acronym: str | None = None  # must be typed in capitals


class Vocabulary:
    """Every name the tracker knows, by its index terms."""

    def __init__(self, taxonomy: Taxonomy | None, sources: dict[str, str]) -> None:
        self.entries: dict[tuple[str, ...], list[_Entry]] = {}
        # Each word of every name (lowercased → as written), for "did you mean".
        self.spellings: dict[str, str] = {}
        self.longest = 1
        if taxonomy is not None:
            for term in taxonomy:
                concept = Concept(term.kind, term.slug, term.name, term.description)
                ruled = {w.lower() for rule in term.rules for w in rule.words}
                slug = term.slug.replace("-", " ")
                # A slug that is a rule word in lower case ("bis") keeps that rule's case.
                for name in (term.name, *(() if slug in ruled else (slug,))):
                    self._add(name, _Entry(concept, None))
                for rule in term.rules:
                    for word in rule.words:
                        acronym = word if rule.case_sensitive and _ACRONYM.fullmatch(word) else None
                        self._add(word, _Entry(concept, rule, acronym))
        for doc_type, words in TYPE_WORDS.items():
            concept = Concept("type", doc_type, doc_type.replace("-", " ").capitalize())
            for word in words:
                self._add(word, _Entry(concept, None))
        for slug, name in sources.items():
            concept = Concept("source", slug, name)
            owner = name.split(":")[0]
            self._add(name, _Entry(concept, None))
            self._add(owner, _Entry(concept, None))
            terms = analyzed(name)
            for size in range(2, len(terms)):  # "Federal Register" of "Federal Register: BIS"
                self._add_terms(tuple(terms[:size]), _Entry(concept, None))

    def _add(self, name: str, entry: _Entry) -> None:
        self._add_terms(tuple(analyzed(name)), entry)
        for word in _SPELLED.findall(name):
            self.spellings.setdefault(word.lower(), word)

    def _add_terms(self, terms: tuple[str, ...], entry: _Entry) -> None:
        if not terms:
            return
        found = self.entries.setdefault(terms, [])
        if entry not in found:
            found.append(entry)
        self.longest = max(self.longest, len(terms))


def _concepts(entries: list[_Entry]) -> list[Concept]:
    return list(dict.fromkeys(entry.concept for entry in entries))


_taxonomies: dict[Path, tuple[float, Taxonomy | None]] = {}


def taxonomy_at(path: Path) -> Taxonomy | None:
    """The taxonomy file at `path`, read again when it changes (None: none there)."""
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return None
    known = _taxonomies.get(path)
    if known is None or known[0] != stamp:
        known = _taxonomies[path] = (stamp, load_taxonomy(path))
    return known[1]


def resolve(node: Node | None, vocab: Vocabulary) -> Node | None:
    """`node` with every run of words that names something wrapped in `Named`."""
    if node is None:
        return None
    if isinstance(node, Text):
        return _run([node], vocab)[0] if not node.phrase else _phrase(node, vocab)
    if isinstance(node, AnyOf):
        return AnyOf(tuple(resolve(child, vocab) or child for child in node.nodes))
    if isinstance(node, AllOf):
        out: list[Node] = []
        run: list[Text] = []
        for child in node.nodes:
            if isinstance(child, Text) and not child.phrase:
                run.append(child)
                continue
            out.extend(_run(run, vocab))
            run = []
            out.append(resolve(child, vocab) or child)
        out.extend(_run(run, vocab))
        return out[0] if len(out) == 1 else AllOf(tuple(out))
    return node  # negations and fields are read literally


def named_in(node: Node | None) -> list[Named]:
    """Every `Named` of a resolved query, left to right."""
    if isinstance(node, Named):
        return [node]
    if isinstance(node, AllOf | AnyOf):
        return [named for child in node.nodes for named in named_in(child)]
    return []


def _phrase(node: Text, vocab: Vocabulary) -> Node:
    entries = vocab.entries.get(tuple(analyzed(node.words)), [])
    concepts = tuple(_concepts([e for e in entries if _allowed(e, node.words, 0, len(node.words))]))
    return _as_node(Named((node,), concepts)) if concepts else node


def _as_node(named: Named) -> Node:
    # A resolved tree holds Named where the query's words name something;
    # `evaluate` reads it. querylang's Node cannot list it without a cycle.
    return cast(Node, named)


def _run(words: list[Text], vocab: Vocabulary) -> list[Node]:
    """Plain words in a row, with the longest names among them read as concepts."""
    terms = [analyzed(word.words) for word in words]
    raw = " ".join(word.words for word in words)
    starts = [0]
    for word in words[:-1]:
        starts.append(starts[-1] + len(word.words) + 1)
    out: list[Node] = []
    i = 0
    while i < len(words):
        found = _longest(words, terms, raw, starts, i, vocab) if terms[i] else None
        if found is None:
            out.append(words[i])
            i += 1
            continue
        end, concepts = found
        out.append(_as_node(Named(tuple(words[i:end]), concepts)))
        i = end
    return out


def _longest(
    words: list[Text],
    terms: list[list[str]],
    raw: str,
    starts: list[int],
    i: int,
    vocab: Vocabulary,
) -> tuple[int, tuple[Concept, ...]] | None:
    """Where the longest name starting at word `i` ends, and what it names."""
    for end in range(min(len(words), i + vocab.longest * 2), i, -1):
        if not terms[end - 1]:
            continue  # a name never ends on a stop word
        written = " ".join(word.words for word in words[i:end])
        bill = written_bill(written) if end - i <= 2 else None
        if bill is not None:
            return end, (Concept("bill", bill, _bill_name(bill)),)
        key = tuple(term for part in terms[i:end] for term in part)
        entries = vocab.entries.get(key)
        if not entries:
            continue
        start, stop = starts[i], starts[end - 1] + len(words[end - 1].words)
        kept = [entry for entry in entries if _allowed(entry, raw, start, stop)]
        if kept:
            return end, tuple(_concepts(kept))
    return None


def _allowed(entry: _Entry, raw: str, start: int, stop: int) -> bool:
    """The rule's own vetoes, read on the query as on a text."""
    if entry.acronym is not None and raw[start:stop] != entry.acronym:
        return False
    rule = entry.rule
    if rule is None:
        return True
    if any(p.search(raw, 0, start) for p in rule.not_before):
        return False
    if any(p.match(raw, stop) for p in rule.not_after):
        return False
    return not any(p.search(raw) for p in rule.unless_near)


def _bill_name(term: str) -> str:
    kind = term.rstrip("0123456789")
    return f"{BILL_TYPE_LABELS.get(kind, kind.upper())} {term[len(kind) :]}"
