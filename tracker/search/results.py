"""What a search is asked and what it answers: plain frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from markupsafe import Markup

SORTS = ("relevance", "newest")
FACET_NAMES = ("type", "topic", "entity", "source")


@dataclass(frozen=True)
class Filters:
    """Conditions chosen outside the query string (facet links, date inputs).

    Several types or sources mean any of them (an item has one of each);
    several topics or entities mean all of them (an item has many). Dates are
    inclusive days.
    """

    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    bill: str | None = None
    date_from: date | None = None
    date_to: date | None = None

    def is_empty(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class Hit:
    """One matching item with its highlights (escaped HTML with <mark> tags)."""

    id: int
    title: str
    published: datetime
    doc_type: str
    source: str
    score: float | None
    topics: tuple[str, ...]
    entities: tuple[str, ...]
    bill: str | None
    title_html: Markup
    fragments_html: tuple[Markup, ...]
    # Why it matched, as a reader would say it: "tagged Model distillation",
    # "matched: distillation in title".
    why: tuple[str, ...] = ()
    # Further matching reports of the same event, folded under this one.
    folded: int = 0
    event: int | None = None


@dataclass(frozen=True)
class Card:
    """A topic or entity the query names, with how many items carry it."""

    kind: str  # "topic" or "entity"
    slug: str
    name: str
    description: str
    items: int


@dataclass(frozen=True)
class SearchResult:
    """One page of results, with totals and facet counts over all of them.

    `query_echo` is the query as it was read; `notice` explains anything
    that could not be read, or why there is nothing to show.
    """

    query: str
    query_echo: str
    total: int
    page: int
    per_page: int
    sort: str
    hits: tuple[Hit, ...] = ()
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    notice: str | None = None
    cards: tuple[Card, ...] = ()
    # "Did you mean": the query with its unknown words respelt.
    suggestion: str | None = None
    # Set when no item matched `query`, so the hits are those of `suggestion`.
    corrected: bool = False
    # (parts matched, parts) when no item matched every part of the query.
    partial: tuple[int, int] | None = None
    # Entries on the pages when an event's reports share one (else `total`).
    entries: int | None = None

    @property
    def pages(self) -> int:
        shown = self.total if self.entries is None else self.entries
        return max(1, -(-shown // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


@dataclass(frozen=True)
class IndexStatus:
    """Where the index is and how far it has followed the database."""

    folder: str
    exists: bool
    current_schema: bool
    items: int
    last_seq: int
    size_bytes: int
    segments: int
    database_items: int | None = None
    database_seq: int | None = None

    @property
    def behind(self) -> int | None:
        """Sequence numbers the index has yet to catch up with."""
        if self.database_seq is None:
            return None
        return max(0, self.database_seq - self.last_seq)
