"""Why an item carries a tag: each piece of evidence shown in its sentence.

A tag's evidence records which words matched, in which field, at which
offsets. The item page shows a stretch of that field around each match with
the matched words in <mark>; everything else is escaped text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

RADIUS = 70  # characters of context either side of a match
PER_TAG = 3  # snippets a tag shows; the rest are counted


@dataclass(frozen=True)
class Snippet:
    """One match in its context, as safe HTML."""

    field: str  # title | text
    html: Markup


@dataclass(frozen=True)
class TagEvidence:
    """A tag with the snippets that show why it was given."""

    slug: str
    kind: str
    origin: str
    status: str
    snippets: list[Snippet]
    more: int  # evidence not shown


def snippet(field_text: str, start: int, end: int, radius: int = RADIUS) -> Markup:
    """`field_text` around [start, end), cut at word boundaries, the match in <mark>."""
    left = max(0, start - radius)
    right = min(len(field_text), end + radius)
    if left > 0:
        space = field_text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    if right < len(field_text):
        space = field_text.rfind(" ", end, right)
        right = space if space != -1 else right
    before = ("…" if left > 0 else "") + field_text[left:start]
    after = field_text[end:right] + ("…" if right < len(field_text) else "")
    return Markup("{}<mark>{}</mark>{}").format(
        escape(before), escape(field_text[start:end]), escape(after)
    )


def locate(fields: Mapping[str, str], piece: Mapping[str, Any]) -> tuple[str, int, int] | None:
    """Where a piece of evidence is now: its recorded offsets, or its words found again.

    An item's text may have been updated since it was tagged; then the words
    are looked for in the field, and a piece that is gone is not shown.
    """
    name = str(piece.get("field", "text"))
    text = fields.get(name, "")
    words = str(piece.get("text", ""))
    start, end = int(piece.get("start", -1)), int(piece.get("end", -1))
    if words and 0 <= start < end <= len(text) and text[start:end] == words:
        return name, start, end
    found = text.find(words) if words else -1
    return (name, found, found + len(words)) if found != -1 else None


def tag_evidence(
    tags: Iterable[Any], title: str, text: str, per_tag: int = PER_TAG
) -> list[TagEvidence]:
    """Each tag (an `ItemTag`-like row) with snippets of the title and text around its evidence."""
    fields = {"title": title, "text": text}
    shown = []
    for tag in tags:
        snippets: list[Snippet] = []
        seen: set[tuple[str, int]] = set()
        pieces = list(tag.evidence or [])
        for piece in pieces:
            where = locate(fields, piece)
            if where is None or (where[0], where[1]) in seen:
                continue
            seen.add((where[0], where[1]))
            if len(snippets) < per_tag:
                snippets.append(Snippet(where[0], snippet(fields[where[0]], where[1], where[2])))
        more = max(len(seen) - len(snippets), 0)
        shown.append(TagEvidence(tag.slug, tag.kind, tag.origin, tag.status, snippets, more))
    return shown
