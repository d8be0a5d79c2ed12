"""Parsers: bytes in, `ParseResult` out. Pure: no I/O, no database.

One module per format; `parse_document` detects the format when the caller
does not name it and hands the bytes to that module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from tracker.types import ParseResult


class ParseError(Exception):
    """The whole file could not be read as the format it claims to be."""


_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF|channel)[\s>]", re.IGNORECASE)


def detect_kind(content: bytes) -> str:
    """Name the format of `content`: rss, federal-register, billstatus or jsonfeed."""
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
    BILLSTATUS file needs it.
    """
    root = _FEED_ROOT.search(content) or re.search(rb"<billStatus", content)
    prolog = content[: root.start()] if root else content
    if _ENTITY_DECL.search(prolog):
        raise ParseError("the XML declares entities, which is refused (entity expansion is unsafe)")


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
    if detected == "html":
        from tracker.parse.html_list import parse_html_list

        return parse_html_list(content, base_url, selectors or {})
    raise ParseError(f"unknown source kind {kind!r}")


def _parse_json(content: bytes, kind: str | None) -> ParseResult:
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ParseError(f"not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ParseError("JSON whose top level is not an object")
    if "results" in document or "document_number" in document:
        from tracker.parse.federal_register import parse_federal_register

        return parse_federal_register(content)
    if str(document.get("version", "")).startswith("https://jsonfeed.org/version/"):
        from tracker.parse.jsonfeed import parse_jsonfeed

        return parse_jsonfeed(document)
    raise ParseError("JSON that is neither a Federal Register page nor a JSON Feed")
