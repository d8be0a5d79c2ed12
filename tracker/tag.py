"""Tag an item with topics and entities, with evidence, and decide its document type.

Pure: strings and a `Taxonomy` in, a `TagResult` out; no I/O. The taxonomy's
rules are compiled once per taxonomy (`Tagger`), so tagging many items does
not recompile anything.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence

from tracker.matcher import Hit, Matcher
from tracker.taxonomy import Taxonomy
from tracker.types import BILL_TYPE_LABELS, DOC_TYPES, Evidence, Tag, TagResult

# A word in the title counts twice: a headline names what the item is about,
# while the body also mentions what it is not about.
TITLE_WEIGHT = 2.0
_FIELDS = ("title", "text")
_BIS_NAMES = frozenset({"industry and security bureau", "bureau of industry and security"})
_FORMAT_ALIASES = {"proposed rule": "rule", "proposed-rule": "rule", "final rule": "rule"}

_BILL = re.compile(
    r"(?<![\w.])(?P<prefix>(?P<chamber>[HS])\.?\s?(?:(?:J|Con)\.?\s?)?(?:Res|R)?\.?)\s?"
    r"(?P<number>\d{1,5})(?!\w)",
    re.IGNORECASE,
)
_BILL_TYPES = {label.replace(".", "").upper(): key for key, label in BILL_TYPE_LABELS.items()}

_T = re.IGNORECASE
# Title forms, tried in order at the start of the title.
_TITLE_TYPES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:(?:joint|open|bipartisan)\s+)?letters?\s+(?:to|from)\b", _T), "letter"),
    (
        re.compile(
            r"(?:(?:presidential|national\s+security(?:\s+and\s+technology)?)\s+)?"
            r"(?:memorandum\b|memo\s*:)",
            _T,
        ),
        "memo",
    ),
    (re.compile(r"(?:an?\s+)?bill\s+to\b", _T), "bill"),
    # Committee listings: "Hearing: ...", "Full Committee Hearing on ...",
    # "Hearings to examine ..."; a headline "Senators grill labs at hearing
    # on ..." has lowercase words before "hearing" and stays news.
    (
        re.compile(
            r"(?:[A-Z][\w.,&'’-]*\s+){0,6}?(?i:hearings?)\s*(?::|[-–—]|(?i:on|to\s+examine)\b)"
        ),
        "hearing",
    ),
    (
        re.compile(
            r"(?:(?:(?:annual|final|interim|special|staff|new)\s+)?report\s*(?::|[-–—]|(?:to|on|of)\b)"
            r"|(?:issue|policy|white)\s+(?:brief|paper)\s*:|working\s+paper\s*:)",
            _T,
        ),
        "report",
    ),
    (
        re.compile(
            r"(?:press\s+release|news\s+release|statement\s+(?:by|from|of|on)|readout\s+of"
            r"|fact\s+sheet)\b",
            _T,
        ),
        "press-release",
    ),
    (
        re.compile(
            r"(?:(?:additions?|revisions?|amendments?)\s+to|removals?\s+(?:of|from))\b.{0,80}"
            r"\bentity\s+list\b|(?:temporary\s+)?denial\s+orders?\b",
            _T,
        ),
        "export-control",
    ),
)


class Tagger:
    """A taxonomy compiled once, to tag many items.

    It keeps what it compiled, not the taxonomy itself, so the cache of
    `tag_item` lets a taxonomy go when nothing else holds it.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.matcher = Matcher(taxonomy)
        self._kinds = {t.slug: t.kind for t in taxonomy}
        self._thresholds = {t.slug: t.threshold for t in taxonomy}
        self._ancestors = {t.slug: taxonomy.ancestors(t.slug) for t in taxonomy}

    def tag(
        self,
        title: str,
        text: str,
        *,
        default_doc_type: str | None = None,
        format_doc_type: str | None = None,
        agencies: Sequence[str] = (),
    ) -> TagResult:
        """Tags with evidence for one item, and its document type."""
        hits = self.matcher.hits((("title", title), ("text", text)))
        by_slug: dict[str, list[Hit]] = {}
        for hit in hits:
            by_slug.setdefault(hit.slug, []).append(hit)
        tags: dict[str, Tag] = {}
        implied: dict[str, list[Evidence]] = {}
        for slug, found in by_slug.items():
            score = sum(h.weight * (TITLE_WEIGHT if h.field == "title" else 1.0) for h in found)
            if score < self._thresholds[slug]:
                continue
            evidence = tuple(Evidence(h.field, h.start, h.end, h.text) for h in found)
            tags[slug] = Tag(slug, self._kinds[slug], "rule", evidence)
            for parent in self._ancestors[slug]:
                implied.setdefault(parent, []).extend(evidence)
        for slug, because in implied.items():
            if slug not in tags:  # a parent named in its own right keeps its own evidence
                tags[slug] = Tag(slug, self._kinds[slug], "parent", tuple(because))
        ordered = sorted(tags.values(), key=_position)
        doc_type = decide_doc_type(
            title,
            default_doc_type=default_doc_type,
            format_doc_type=format_doc_type,
            agencies=agencies,
        )
        return TagResult(tuple(ordered), doc_type)


_taggers: weakref.WeakKeyDictionary[Taxonomy, Tagger] = weakref.WeakKeyDictionary()


def tag_item(
    title: str,
    text: str,
    taxonomy: Taxonomy,
    *,
    default_doc_type: str | None = None,
    format_doc_type: str | None = None,
    agencies: Sequence[str] = (),
) -> TagResult:
    """Tag one item; the taxonomy is compiled on first use and kept while it lives."""
    tagger = _taggers.get(taxonomy)
    if tagger is None:
        tagger = _taggers[taxonomy] = Tagger(taxonomy)
    return tagger.tag(
        title,
        text,
        default_doc_type=default_doc_type,
        format_doc_type=format_doc_type,
        agencies=agencies,
    )


def decide_doc_type(
    title: str,
    *,
    default_doc_type: str | None = None,
    format_doc_type: str | None = None,
    agencies: Sequence[str] = (),
) -> str:
    """One of `DOC_TYPES`: from the format, else the title, else the source default, else news."""
    hint = format_doc_type.strip().lower() if format_doc_type else None
    hint = _FORMAT_ALIASES.get(hint, hint) if hint else None
    from_bis = any(" ".join(a.lower().split()) in _BIS_NAMES for a in agencies)
    if from_bis and hint in (None, "rule", "export-control"):
        return "export-control"  # BIS rules and notices are the export-control record
    if hint in DOC_TYPES:
        return hint
    start = title.strip()
    if (found := _BILL.match(start)) and _bill_ref(found):
        return "bill"
    for pattern, doc_type in _TITLE_TYPES:
        if pattern.match(start):
            return doc_type
    if default_doc_type in DOC_TYPES:
        return default_doc_type
    return "news"


def find_bill_refs(text: str) -> list[tuple[str, int]]:
    """Bills cited in `text`, first mention first: ``"S. 1705 and H.R. 3447"`` →
    ``[("s", 1705), ("hr", 3447)]``. A bare "S" needs its period ("S 1705" is not a bill)."""
    found: list[tuple[str, int]] = []
    for match in _BILL.finditer(text):
        ref = _bill_ref(match)
        if ref and ref not in found:
            found.append(ref)
    return found


def _bill_ref(match: re.Match[str]) -> tuple[str, int] | None:
    prefix = match.group("prefix")
    key = re.sub(r"[.\s]", "", prefix).upper()
    if not match.group("chamber").isupper() or key not in _BILL_TYPES:
        return None
    if key == "S" and "." not in prefix:
        return None
    number = int(match.group("number"))
    return (_BILL_TYPES[key], number) if number > 0 else None


def _position(tag: Tag) -> tuple[int, int, bool]:
    """Tags in reading order: title first, then by where their first evidence starts."""
    first = tag.evidence[0]
    return (_FIELDS.index(first.field), first.start, tag.origin == "parent")
