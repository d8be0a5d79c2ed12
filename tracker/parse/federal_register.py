"""Federal Register API v1 `documents.json` pages → one `ParsedItem` per document.

The API returns only the fields a query asks for, so every field may be
missing or null; a document without a title or document number is skipped
with a warning and the rest of the page is kept.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from tracker.calendar_dates import text_dates
from tracker.parse import ParseError
from tracker.types import ParsedItem, ParseResult, StatedDate

# Every document has a short link on federalregister.gov; used when a query
# did not ask for `html_url`.
_SHORT_LINK = "https://www.federalregister.gov/d/{}"

# What this parser reads, so that a request asks for exactly that (`fields[]`):
# the API's default field set leaves out topics and RINs, and a source whose
# URL names its own fields would otherwise lose the ones it forgot.
DOCUMENT_FIELDS: tuple[str, ...] = (
    "abstract",
    "agencies",
    "comments_close_on",
    "dates",
    "document_number",
    "effective_on",
    "html_url",
    "publication_date",
    "regulation_id_numbers",
    "subtype",
    "title",
    "topics",
    "type",
)
# Public inspection: documents filed for publication in the coming days. They
# have no abstract or topics yet; `filed_at` says when they became public.
PUBLIC_INSPECTION_FIELDS: tuple[str, ...] = (
    "agencies",
    "document_number",
    "filed_at",
    "filing_type",
    "html_url",
    "publication_date",
    "subtype",
    "title",
    "toc_doc",
    "toc_subject",
    "type",
)


def parse_federal_register(content: bytes) -> ParseResult:
    """Read a `documents.json` page, or one document's JSON, into `ParsedItem`s."""
    payload = _load(content)
    documents, next_page = _documents(payload)
    items: list[ParsedItem] = []
    warnings: list[str] = []
    for position, document in enumerate(documents, start=1):
        if not isinstance(document, Mapping):
            warnings.append(f"result {position} skipped: not a JSON object")
            continue
        item = _item(document, position, warnings)
        if item is not None:
            items.append(item)
    description = payload.get("description") if "results" in payload else None
    return ParseResult(
        kind="federal-register",
        items=tuple(items),
        warnings=tuple(warnings),
        next_page=_string(next_page),
        feed_title=_string(description),
    )


def _load(content: bytes) -> Mapping[str, Any]:
    try:
        payload = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not JSON: {exc}") from exc
    if not isinstance(payload, Mapping):
        raise ParseError("JSON is not an object: not a Federal Register documents page")
    return payload


def _documents(payload: Mapping[str, Any]) -> tuple[list[Any], Any]:
    if "results" in payload:
        results = payload["results"]
        if not isinstance(results, list):
            raise ParseError("Federal Register 'results' is not a list")
        return results, payload.get("next_page_url")
    if "document_number" in payload:
        return [payload], None
    if payload.get("count") == 0:
        # An empty search answers with a count and no `results` at all.
        return [], None
    if "errors" in payload or "message" in payload:
        reason = payload.get("message") or payload.get("errors")
        raise ParseError(f"Federal Register API error: {str(reason)[:200]}")
    raise ParseError("JSON has no 'results': not a Federal Register documents page")


def _item(document: Mapping[str, Any], position: int, warnings: list[str]) -> ParsedItem | None:
    number = _string(document.get("document_number"))
    title = _string(document.get("title")) or _toc_title(document)
    if not number or not title:
        missing = "document number" if not number else "title"
        warnings.append(f"result {position} ({number or title or 'unnamed'}) skipped: no {missing}")
        return None
    abstract = _string(document.get("abstract")) or _filing_note(document)
    filed = _filed_at(document.get("filed_at"))
    return ParsedItem(
        guid=f"fr:{number}",
        title=title,
        url=_string(document.get("html_url")) or _SHORT_LINK.format(number),
        summary_html=html.escape(abstract, quote=False) if abstract else "",
        # A public inspection document is news the day it is filed, days
        # before the publication date it is scheduled for.
        published=filed or _publication_date(document.get("publication_date"), number, warnings),
        doc_type=_doc_type(document),
        document_number=number,
        agencies=_agencies(document),
        categories=_strings(document.get("topics")),
        rins=_strings(document.get("regulation_id_numbers")),
        dates=_stated_dates(document),
    )


def _stated_dates(document: Mapping[str, Any]) -> tuple[StatedDate, ...]:
    """The comment deadline and effective date: the API's own fields, else its DATES text.

    `comments_close_on` and `effective_on` are what federalregister.gov shows;
    a query that did not ask for them may still have asked for `dates`, the
    document's DATES paragraph ("Comments must be received on or before ...").
    """
    found = []
    for field, kind in (("comments_close_on", "comments-close"), ("effective_on", "effective")):
        day = _iso_day(document.get(field))
        if day is not None:
            found.append(StatedDate(kind, day))
    if found or "comments_close_on" in document or "effective_on" in document:
        return tuple(found)
    return text_dates(_string(document.get("dates")) or "")


def _iso_day(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _toc_title(document: Mapping[str, Any]) -> str | None:
    """Public inspection lists some documents by their table-of-contents lines only."""
    parts = [_string(document.get(f)) for f in ("toc_subject", "toc_doc")]
    return ": ".join(p for p in parts if p) or None


def _filing_note(document: Mapping[str, Any]) -> str | None:
    """ "Filed for public inspection ...; scheduled to be published 2026-04-24"."""
    if "filed_at" not in document:
        return None
    scheduled = _string(document.get("publication_date"))
    special = _string(document.get("filing_type")) == "special"
    note = "Special filing" if special else "Filed for public inspection"
    return f"{note}; scheduled to be published {scheduled}" if scheduled else note


def _filed_at(value: object) -> datetime | None:
    """``2026-04-22T08:45:00.000-04:00`` in UTC, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _string(value: object) -> str | None:
    """A trimmed, single-spaced string, or None for anything else or blank."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _strings(value: object) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    found = (_string(entry) for entry in values)
    return tuple(dict.fromkeys(entry for entry in found if entry))


def _publication_date(value: object, number: str, warnings: list[str]) -> datetime | None:
    if value is None:
        return None
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        warnings.append(f"{number}: publication date {value!r} is not a date; left empty")
        return None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _agencies(document: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    agencies = document.get("agencies")
    for agency in agencies if isinstance(agencies, list) else []:
        if isinstance(agency, Mapping):
            name = _string(agency.get("name")) or _string(agency.get("raw_name"))
        else:
            name = _string(agency)
        if name:
            names.append(name)
    if not names:
        names.extend(_strings(document.get("agency_names")))
    return tuple(dict.fromkeys(names))


# The API's `type` and, for presidential documents, `subtype` (or the
# snake_case `presidential_document_type` a query may ask for instead).
_TYPES = {"rule": "rule", "proposed rule": "rule", "notice": "notice"}
_PRESIDENTIAL = {
    "executive order": "executive-order",
    "proclamation": "proclamation",
    "memorandum": "memo",
    "determination": "memo",  # presidential determinations are issued as memoranda
    "notice": "notice",
}


def _doc_type(document: Mapping[str, Any]) -> str | None:
    """The document type the API states, or None (the title, text and source decide)."""
    kind = (_string(document.get("type")) or "").lower()
    if kind == "presidential document" or document.get("presidential_document_type"):
        for field in ("subtype", "presidential_document_type"):
            subtype = (_string(document.get(field)) or "").lower().replace("_", " ")
            if subtype in _PRESIDENTIAL:
                return _PRESIDENTIAL[subtype]
        return None  # "Other", "Presidential Order": the title and text decide
    return _TYPES.get(kind)  # "Uncategorized Document", "Correction": no type stated
