"""The index schema and how one item becomes one index document.

Text fields are stemmed and accent-folded (``régulation`` finds
``regulations``); facet fields are exact keywords. Dates are indexed twice: a
``month`` keyword (``2026-04``) that range queries turn into a handful of term
look-ups, and a per-document minute column for exact bounds and date sorting,
because whoosh's numeric range queries are an order of magnitude slower.

For ranking, each document also carries the slugs of the tags staff
confirmed, its event (a column, 0 for none) and its source's name; its
``bill`` terms cover the bill it belongs to and every bill its words cite.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from whoosh import columns, fields

from tracker.search.analysis import CachedAnalyzer
from tracker.search.codec import ArrayPositions
from tracker.store.indexing import IndexDoc
from tracker.tag import find_bill_refs
from tracker.types import BILL_TYPE_LABELS

# Bump when the schema or the analyzer changes: an index written with another
# version is rebuilt from the database instead of being caught up.
# 2: Porter2 stemming; confirmed tags, events, source names, cited bills.
SCHEMA_VERSION = 2
STATE_ID = "__state__"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FACET_FIELDS = {"type": "doc_type", "topic": "topics", "entity": "entities", "source": "source"}

ANALYZER = CachedAnalyzer()


def make_schema() -> fields.Schema:
    """Fields of one index document (items, plus the one state document)."""
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        kind=fields.ID(),  # "item" or "state": lets queries mean "every item"
        seq=fields.STORED(),
        version=fields.STORED(),
        title=_text_field(),
        text=_text_field(),
        source=fields.ID(stored=True),
        doc_type=fields.ID(stored=True),
        topics=fields.KEYWORD(stored=True, commas=True),
        entities=fields.KEYWORD(stored=True, commas=True),
        bill=fields.KEYWORD(stored=True, commas=True),
        confirmed=fields.KEYWORD(commas=True),
        source_name=fields.STORED(),
        event=fields.COLUMN(columns.NumericColumn("i")),
        month=fields.ID(),
        published=fields.STORED(),
        minute=fields.COLUMN(columns.NumericColumn("i")),
        # Words per field, for BM25's length normalisation at search time.
        title_len=fields.COLUMN(columns.NumericColumn("I")),
        text_len=fields.COLUMN(columns.NumericColumn("I")),
    )


def _text_field() -> fields.TEXT:
    field = fields.TEXT(analyzer=ANALYZER, stored=True)
    field.format = ArrayPositions()
    return field


def to_minute(when: datetime) -> int:
    """Minutes since 1970 UTC: fits a 32-bit column for four thousand years."""
    return int((when.astimezone(UTC) - EPOCH).total_seconds() // 60)


def day_start_minute(day: date) -> int:
    return to_minute(datetime(day.year, day.month, day.day, tzinfo=UTC))


def month_bounds(key: str) -> tuple[date, date]:
    """First and last day of a ``2026-04`` month key."""
    year, month = int(key[:4]), int(key[5:7])
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following - timedelta(days=1)


BILL_KEY = re.compile(r"^(\d{1,3})-?([a-z]+)-?(\d{1,5})$")
BILL_SHORT = re.compile(r"^([a-z]+)-?(\d{1,5})$")
# "H.R. 8283", "HR 8283", "hr8283", "H.R.8283": any case, dots and spaces.
_KINDS = "|".join(sorted(BILL_TYPE_LABELS, key=len, reverse=True))
BILL_WRITTEN = re.compile(rf"^({_KINDS})(\d{{1,5}})$")


def bill_terms(key: str) -> list[str]:
    """Index terms for a bill key ``119-s-1705``: the key and the short ``s1705``."""
    match = BILL_KEY.match(key)
    if not match:
        return [key]
    congress, kind, number = match.groups()
    return [f"{congress}-{kind}-{number}", f"{kind}{number}"]


def bill_term(value: str) -> str | None:
    """The index term for what a person typed: ``119-s-1705``, ``S.1705``, ``s1705``."""
    compact = re.sub(r"[\s.]", "", value.lower())
    if match := BILL_KEY.match(compact):
        congress, kind, number = match.groups()
        return f"{int(congress)}-{kind}-{int(number)}"
    if match := BILL_SHORT.match(compact):
        kind, number = match.groups()
        return f"{kind}{int(number)}"
    return None


def written_bill(value: str) -> str | None:
    """The short term (``hr8283``) of a bill number as people write it, else None."""
    match = BILL_WRITTEN.match(re.sub(r"[\s.]", "", value.lower()))
    return f"{match.group(1)}{int(match.group(2))}" if match and int(match.group(2)) else None


def _bills(doc: IndexDoc) -> list[str]:
    """Terms of the item's own bill and of every bill its title and text cite."""
    found = bill_terms(doc.bill) if doc.bill else []
    for kind, number in find_bill_refs(f"{doc.title}\n{doc.text}"):
        found.append(f"{kind}{number}")
    return list(dict.fromkeys(found))


def document(doc: IndexDoc) -> dict[str, object]:
    """The index document for one item (keyword fields joined by commas)."""
    return {
        "id": str(doc.id),
        "kind": "item",
        "seq": doc.seq,
        "title": doc.title,
        "text": doc.text,
        "source": doc.source,
        "doc_type": doc.doc_type,
        "topics": ",".join(doc.topics),
        "entities": ",".join(doc.entities),
        "bill": ",".join(_bills(doc)),
        "confirmed": ",".join(doc.confirmed),
        "source_name": doc.source_name,
        "event": doc.event or 0,
        "month": doc.published.astimezone(UTC).strftime("%Y-%m"),
        "published": doc.published.astimezone(UTC).isoformat(),
        "minute": to_minute(doc.published),
        "title_len": len(doc.title.split()),
        "text_len": len(doc.text.split()),
    }


def state_document(seq: int) -> dict[str, object]:
    """The document that records how far the index has followed the database."""
    return {"id": STATE_ID, "kind": "state", "seq": seq, "version": SCHEMA_VERSION}
