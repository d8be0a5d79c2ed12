"""List pages with no feed (press releases, newsrooms, letters) → `ParsedItem`s.

A source names CSS selectors in `sources.toml`: `item` (one element per entry)
and `title` are required; `link`, `date` and `summary` are optional and are
looked up inside each item.
"""

from __future__ import annotations

import codecs
import hashlib
import html
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urljoin, urlsplit

import lxml.html
from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

from tracker.parse import ParseError
from tracker.types import ParsedItem, ParseResult

_SELECTOR_KEYS = ("item", "title", "link", "date", "summary")

_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_PROLOG = re.compile(r"^\s*<\?xml[^>]*\?>")
# Browsers read these labels as windows-1252, and so do the pages written for them.
_WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "ascii", "us-ascii"}
)
_SKIPPED_SCHEMES = ("javascript:", "mailto:", "tel:", "data:")


def parse_html_list(content: bytes, base_url: str, selectors: Mapping[str, str]) -> ParseResult:
    """Scrape one list page into `ParsedItem`s using the source's CSS selectors."""
    compiled, warnings = _compile(selectors)
    root = _document(content)
    elements = compiled["item"](root)
    if not elements:
        raise ParseError(
            f"no element matches item selector '{selectors['item']}'"
            " — the page layout may have changed"
        )
    base = _document_base(root, base_url)
    items: dict[str, ParsedItem] = {}
    for position, element in enumerate(elements, start=1):
        title = _text(_first(compiled["title"], element))
        if not title:
            warnings.append(f"item {position} skipped: no text for title '{selectors['title']}'")
            continue
        link = _link(element, compiled.get("link"), base)
        guid = link or _title_guid(base, title)
        if guid in items:
            # Pages often repeat a featured entry further down the list.
            warnings.append(f"item {position} skipped: repeats {guid}")
            continue
        items[guid] = ParsedItem(
            guid=guid,
            title=title,
            url=link,
            summary_html=html.escape(_text(_first(compiled.get("summary"), element))),
            published=_published(compiled.get("date"), element, position, warnings),
        )
    if not items:
        # Matching cards with no readable title are as broken as no cards:
        # "0 new" would hide a changed layout for as long as nobody looks.
        raise ParseError(
            f"{len(elements)} element(s) match item selector '{selectors['item']}' but none "
            f"has a title ('{selectors['title']}') — the page layout may have changed"
        )
    return ParseResult(
        kind="html",
        items=tuple(items.values()),
        warnings=tuple(warnings),
        feed_title=_text(root.find(".//title")) or None,
    )


def parse_date(text: str) -> datetime | None:
    """Read the first date in `text` ("June 10, 2026", "2026-06-10", "06/10/2026", ...) as UTC."""
    for pattern, build in _DATE_READERS:
        match = pattern.search(text)
        if match:
            try:
                return build(match).astimezone(UTC)
            except ValueError:
                return None  # "February 30, 2026": a date-shaped typo
    return None


def _compile(selectors: Mapping[str, str]) -> tuple[dict[str, CSSSelector], list[str]]:
    warnings = [
        f"unknown selector '{key}' ignored" for key in selectors if key not in _SELECTOR_KEYS
    ]
    compiled: dict[str, CSSSelector] = {}
    for key in _SELECTOR_KEYS:
        selector = (selectors.get(key) or "").strip()
        if not selector:
            if key in ("item", "title"):
                raise ParseError(f"the '{key}' selector is required for an html source")
            continue
        try:
            compiled[key] = CSSSelector(selector, translator="html")
        except (SelectorError, etree.XPathError) as exc:
            raise ParseError(f"bad {key} selector '{selector}': {exc}") from exc
    return compiled, warnings


def _document(content: bytes) -> lxml.html.HtmlElement:
    text = content.decode(_encoding(content), errors="replace")
    # lxml refuses text that still declares an encoding; it has been decoded.
    text = _XML_PROLOG.sub("", text.lstrip("\ufeff"), count=1)
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ParseError(f"not a readable HTML page: {exc}") from exc


def _encoding(content: bytes) -> str:
    """The page's declared encoding (BOM, XML prolog, <meta>), else UTF-8 or windows-1252."""
    if content.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = content[:4096]
    match = _XML_DECLARATION.search(head) or _META_CHARSET.search(head)
    if match:
        label = match.group(1).decode("ascii", "replace").lower()
        if label in _WINDOWS_1252_LABELS:
            return "cp1252"
        try:
            return codecs.lookup(label).name
        except LookupError:
            pass  # an unknown label: fall back as if none were declared
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _document_base(root: lxml.html.HtmlElement, base_url: str) -> str:
    """The page's own `<base href>`, resolved against where it was fetched from."""
    for element in root.iter("base"):
        href = (element.get("href") or "").strip()
        if href:
            return urljoin(base_url, href)
    return base_url


def _first(
    selector: CSSSelector | None, element: lxml.html.HtmlElement
) -> lxml.html.HtmlElement | None:
    if selector is None:
        return None
    found = selector(element)
    return found[0] if found else None


def _text(element: lxml.html.HtmlElement | None) -> str:
    return " ".join(element.text_content().split()) if element is not None else ""


def _link(element: lxml.html.HtmlElement, selector: CSSSelector | None, base: str) -> str | None:
    target = _first(selector, element) if selector is not None else element
    if target is None:
        return None
    anchors = [target] if target.get("href") else target.iter("a")
    for anchor in anchors:
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#") or href.lower().startswith(_SKIPPED_SCHEMES):
            continue
        url = urljoin(base, href)
        if urlsplit(url).scheme in ("http", "https"):
            return url
    return None


def _title_guid(base: str, title: str) -> str:
    # Without a link the title is all that names the entry; the page URL keeps
    # two sources' identically titled entries apart.
    digest = hashlib.sha256(f"{base}\n{title}".encode()).hexdigest()
    return f"html:{digest[:24]}"


def _published(
    selector: CSSSelector | None,
    element: lxml.html.HtmlElement,
    position: int,
    warnings: list[str],
) -> datetime | None:
    target = _first(selector, element)
    if target is None:
        return None
    raw = (target.get("datetime") or "").strip() or _text(target)
    published = parse_date(raw) if raw else None
    if raw and published is None:
        warnings.append(f"item {position}: date {raw[:60]!r} not understood; left empty")
    return published


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


def _utc_offset(value: str | None) -> timezone:
    if not value or value.upper() == "Z":
        return UTC
    sign = -1 if value[0] == "-" else 1
    digits = value[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0)))


def _iso(match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second, offset = match.groups()
    return datetime(
        int(year),
        int(month),
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        tzinfo=_utc_offset(offset),
    )


def _day(year: str, month: int, day: str) -> datetime:
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    return datetime(full_year, month, int(day), tzinfo=UTC)


def _slashed(match: re.Match[str]) -> datetime:
    first, second, year = match.groups()
    # US order (month first) unless the first number cannot be a month.
    if int(first) > 12:
        first, second = second, first
    return _day(year, int(first), second)


_DATE_READERS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], datetime]], ...] = (
    (
        re.compile(
            r"\b(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
            r"\s*(Z|[+-]\d{2}:?\d{2})?)?",
            re.IGNORECASE,
        ),
        _iso,
    ),
    (
        re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(\d{{4}})\b", re.IGNORECASE),
        lambda m: _day(m[3], _MONTHS[m[1].lower()], m[2]),
    ),
    (
        re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+(\d{{4}})\b", re.IGNORECASE),
        lambda m: _day(m[3], _MONTHS[m[2].lower()], m[1]),
    ),
    (re.compile(r"\b(\d{4})/(\d{1,2})/(\d{1,2})\b"), lambda m: _day(m[1], int(m[2]), m[3])),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b"), _slashed),
    (re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b"), lambda m: _day(m[3], int(m[2]), m[1])),
)
