"""Parsers: bytes in, `ParseResult` out. Pure: no I/O, no database.

One module per format; `parse_document` detects the format when the caller
does not name it and hands the bytes to that module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from xml.parsers import expat

from tracker.types import ParseResult


class ParseError(Exception):
    """The whole file could not be read as the format it claims to be."""


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ENTITIES_REFUSED = "the XML declares entities, which is refused (entity expansion is unsafe)"
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF|channel)[\s>]", re.IGNORECASE)


def detect_kind(content: bytes) -> str:
    """Name the format of `content`: rss, billstatus, senate-hearings or json (read further)."""
    head = content[:4096].lstrip()
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :].lstrip()
    if not head:
        raise ParseError("empty file")
    if head[:1] in (b"{", b"["):
        return "json"
    if b"<billStatus" in head:
        return "billstatus"
    if b"<css_meetings_scheduled" in head:
        return "senate-hearings"
    if _FEED_ROOT.search(head):
        return "rss"
    if re.search(rb"<html[\s>]|<!doctype html", head, re.IGNORECASE):
        raise ParseError("an HTML page, not a feed (add it as an html source with selectors)")
    if head.startswith(b"<"):
        raise ParseError("XML that is not a feed, a BILLSTATUS file or a Federal Register page")
    raise ParseError("not a feed, a BILLSTATUS file or a Federal Register page")


def refuse_entities(content: bytes) -> None:
    """XML that declares its own entities is refused before any parser sees it.

    Entity expansion is how "billion laughs" bombs work, and no feed or
    BILLSTATUS file needs it. The prolog is read by expat itself, up to the
    root element, so a comment or processing instruction that mentions
    ``<rss>`` before the DOCTYPE cannot end the check early. (The SAX driver
    feedparser reads through refuses entity declarations too, see
    `sax_buffered`; this is the early, cheap answer.)
    """
    reader = expat.ParserCreate()
    reader.EntityDeclHandler = _refuse_entity_declaration
    reader.UnparsedEntityDeclHandler = _refuse_entity_declaration
    reader.StartElementHandler = _root_reached
    try:
        reader.Parse(content, True)
    except _RootReached:
        return
    except (expat.ExpatError, ValueError):
        # A prolog expat cannot read (a multi-byte encoding it does not know,
        # broken markup) says nothing about where the DTD ends: be strict.
        if _ENTITY_DECL.search(content):
            raise ParseError(_ENTITIES_REFUSED) from None


class _RootReached(Exception):
    """The prolog is over: no entity was declared before the root element."""


def _root_reached(*_args: object) -> None:
    raise _RootReached


def _refuse_entity_declaration(*_args: object) -> None:
    raise ParseError(_ENTITIES_REFUSED)


def parse_document(
    content: bytes,
    kind: str | None = None,
    *,
    base_url: str = "",
    selectors: Mapping[str, str] | None = None,
) -> ParseResult:
    """Parse `content` as `kind`, or as the detected format when `kind` is None."""
    if not content.strip():
        raise ParseError("empty file")
    detected = detect_kind(content) if kind in (None, "rss", "federal-register") else kind
    if detected == "json":
        return _parse_json(content, kind)
    if kind in (None, "rss", "billstatus") and detected in ("rss", "billstatus"):
        refuse_entities(content)
    if detected == "rss":
        from tracker.parse.feed import parse_feed

        return parse_feed(content)
    if detected == "billstatus":
        from tracker.parse.billstatus import parse_billstatus

        return parse_billstatus(content)
    if detected == "senate-hearings":
        from tracker.parse.senate_hearings import parse_senate_hearings

        return parse_senate_hearings(content)
    if detected == "congress-api":
        from tracker.parse.congress_api import parse_congress_api

        return parse_congress_api(content)
    if detected == "html":
        from tracker.parse.html_list import parse_html_list

        return parse_html_list(content, base_url, selectors or {})
    raise ParseError(f"unknown source kind {kind!r}")


def _parse_json(content: bytes, kind: str | None) -> ParseResult:
    try:
        document = json.loads(content)
    except RecursionError:
        # 200,000 "[" in a row: the C decoder recurses once per level.
        raise ParseError("not valid JSON: nested too deeply") from None
    except ValueError as exc:  # also a bad encoding, or a 5,000-digit number
        raise ParseError(f"not valid JSON: {_one_line(exc)}") from None
    if not isinstance(document, dict):
        raise ParseError("JSON whose top level is not an object")
    if "results" in document or "document_number" in document:
        from tracker.parse.federal_register import parse_federal_register

        return parse_federal_register(content)
    if _CONGRESS_PARTS & document.keys():
        from tracker.parse.congress_api import parse_congress_api

        return parse_congress_api(content)
    if str(document.get("version", "")).startswith("https://jsonfeed.org/version/"):
        from tracker.parse.jsonfeed import parse_jsonfeed

        return parse_jsonfeed(document)
    raise ParseError(
        "JSON that is neither a Federal Register page nor a JSON Feed (nor a congress.gov answer)"
    )


# The data parts of the congress.gov API answers read here (see congress_api).
_CONGRESS_PARTS = frozenset({"bills", "actions", "committeeMeetings", "committeeMeeting"})


def _one_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
