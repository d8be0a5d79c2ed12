"""Tag an item with topics and entities, with evidence, and decide its document type.

Pure: strings and a `Taxonomy` in, a `TagResult` out; no I/O. The taxonomy's
rules are compiled once per taxonomy (`Tagger`), so tagging many items does
not recompile anything.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

from tracker.bill_refs import find_bill_refs
from tracker.doc_types import decide_doc_type
from tracker.issuers import issuer
from tracker.matcher import Hit, Matcher
from tracker.tag_context import (
    a_company_of_the_name,
    another_of_the_name,
    name_runs,
    public_life,
    spelled_otherwise,
)
from tracker.taxonomy import Taxonomy
from tracker.topic_model import Reading
from tracker.types import Evidence, Tag, TagResult

__all__ = ["Tagger", "decide_doc_type", "find_bill_refs", "tag_item"]

# A word in the title counts twice: a headline names what the item is about,
# while the body also mentions what it is not about.
TITLE_WEIGHT = 2.0
_FIELDS = ("title", "text")


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
        self._people = frozenset(t.slug for t in taxonomy if t.entity_kind == "person")
        self._bodies = frozenset(
            t.slug for t in taxonomy if t.entity_kind in {"agency", "committee"}
        )
        self._names = {t.slug: (t.name, *t.aliases) for t in taxonomy}
        self._model = taxonomy.topic_model
        # The model's topics this taxonomy lacks are never given.
        lacking = set(self._model.topics) - {t.slug for t in taxonomy.topics} if self._model else ()
        self._not_modelled = frozenset(lacking)
        # A mention in passing is judged by the model's reading of the topic; a topic
        # the model does not read (or no model at all) is given on any mention.
        modelled = set(self._model.topics) if self._model else set()
        self._passing = {
            t.slug: t.passing for t in taxonomy.topics if t.passing and t.slug in modelled
        }
        self._type_of = taxonomy.type_model.type_of if taxonomy.type_model else None

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
        # Read once an acronym and term, however often the item writes it: an item
        # repeating "FTC" thousands of times must not read its whole text as often.
        another: dict[tuple[str, str], bool] = {}
        runs: list[list[str]] | None = None  # the item's capitalised runs, read at most once
        for hit in hits:
            if hit.text.isupper():
                key = (hit.text, hit.slug)
                if key not in another:
                    runs = name_runs((title, text)) if runs is None else runs
                    another[key] = spelled_otherwise(hit.text, runs, self._names[hit.slug])
                if another[key]:
                    continue  # "Fair Trading Commission ... the FTC": another body's acronym
            by_slug.setdefault(hit.slug, []).append(hit)
        if not self._people.isdisjoint(by_slug) and not public_life((title, text)):
            for slug in self._people & by_slug.keys():
                del by_slug[slug]  # a senator's namesake in sport, arts or business
        fields = {"title": title, "text": text}
        for slug in list(by_slug):
            found = by_slug[slug]
            other = another_of_the_name(found, fields, slug in self._bodies)
            if self._kinds[slug] == "topic":
                other |= a_company_of_the_name(found, fields)
            if other:  # "Ohio Department of Commerce", "White House Tavern"
                by_slug[slug] = [h for at, h in enumerate(found) if at not in other]
        tags: dict[str, Tag] = {}
        implied: dict[str, list[Evidence]] = {}
        reading: Reading | None = None  # the topic model's, taken at most once
        for slug, found in by_slug.items():
            score = sum(h.weight * (TITLE_WEIGHT if h.field == "title" else 1.0) for h in found)
            if score < self._thresholds[slug]:
                continue
            if slug in self._passing and _in_passing(found, title) and self._model is not None:
                # "... the campus will house 100,000 GPUs": chips named once in a story
                # about a data centre. The topic is given if the wording reads of it.
                reading = self._model.read(title, text) if reading is None else reading
                if self._model.probability(reading, slug) < self._passing[slug]:
                    continue
            evidence = tuple(Evidence(h.field, h.start, h.end, h.text) for h in found)
            tags[slug] = Tag(slug, self._kinds[slug], "rule", evidence)
            for parent in self._ancestors[slug]:
                implied.setdefault(parent, []).extend(evidence)
        if self._model is not None:
            # Topics the names and rules did not find, read from the wording; the
            # parent of a topic so read is a reading too (its evidence the same words).
            skip = self._not_modelled | tags.keys() | implied.keys()
            read = self._model.topics_of(title, text, skip, reading)
            for slug, evidence in read.items():
                for name in (slug, *self._ancestors[slug]):
                    if name not in tags and name not in implied:
                        tags[name] = Tag(name, self._kinds[name], "model", evidence)
        doc_type = decide_doc_type(
            title,
            text,
            default_doc_type=default_doc_type,
            format_doc_type=format_doc_type,
            agencies=agencies,
            wording=self._type_of,
        )
        # A presidential document is the White House's, an export-control rule BIS's,
        # though its words may not name them (tracker/issuers.py).
        issued = issuer(title, text, doc_type)
        if issued is not None and issued[0] in self._kinds and issued[0] not in tags:
            slug, evidence = issued
            tags[slug] = Tag(slug, self._kinds[slug], "issuer", evidence)
            for parent in self._ancestors[slug]:
                implied.setdefault(parent, []).extend(evidence)
        for slug, because in implied.items():
            if slug not in tags:  # a parent named in its own right keeps its own evidence
                tags[slug] = Tag(slug, self._kinds[slug], "parent", tuple(because))
        ordered = sorted(tags.values(), key=_position)
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


def _in_passing(found: Sequence[Hit], title: str) -> bool:
    """One mention, in the body: the headline does not name it, nor does the story
    again. (An item with no headline has nothing to say what it is about but its body.)"""
    return len(found) == 1 and found[0].field == "text" and bool(title.strip())


def _position(tag: Tag) -> tuple[int, int, bool]:
    """Tags in reading order: title first, then by where their first evidence starts."""
    first = tag.evidence[0]
    return (_FIELDS.index(first.field), first.start, tag.origin == "parent")
