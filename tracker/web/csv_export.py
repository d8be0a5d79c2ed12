"""Listings and searches as CSV: a header row, one row per item, safe in a spreadsheet.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is
read as a formula by spreadsheet programs; a title from a stranger's feed
could then run one on the reader's machine. Such cells get a leading `'`,
which spreadsheets show as text (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable

from tracker.store.items import ItemCard

HEADER = ("date", "type", "title", "url", "source", "topics", "entities", "id", "snapshot")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters are noise in a spreadsheet and break some CSV readers.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def cell(value: object) -> str:
    """A value as a cell a spreadsheet will not evaluate."""
    text = "" if value is None else str(value)
    if not text.isprintable():  # a control character, or a space other than " "
        text = _CONTROL.sub("", text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def row(card: ItemCard, page_url: str) -> tuple[str, ...]:
    """One item's cells; `page_url` stands in for items with no URL of their own."""
    return tuple(
        cell(v)
        for v in (
            card.published.date().isoformat(),
            card.doc_type,
            card.title,
            card.url or page_url,
            card.source_name,
            "; ".join(card.topics),
            "; ".join(card.entities),
            card.id,
            # The demo bundled with the tracker, not fetched live.
            "demo snapshot" if card.is_sample else "",
        )
    )


def _lines(rows: Iterable[Iterable[object]]) -> str:
    """`rows` quoted by the csv module, CRLF line ends (RFC 4180)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def csv_header() -> str:
    """The header line."""
    return _lines([HEADER])


def csv_rows(cards: Iterable[ItemCard], root: str) -> str:
    """The lines of `cards`; an item with no URL of its own links to its page under `root`."""
    return _lines(row(card, f"{root}/items/{card.id}") for card in cards)
