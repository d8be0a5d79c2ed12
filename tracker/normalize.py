"""ParsedItem → ItemRecord: UTC times, canonical URLs, safe HTML, plain text, hash.

Pure: no I/O. Summaries are sanitised here with nh3 (ammonia), once, so every
later stage (pages, feeds, API) can trust `summary_html`.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import nh3

from tracker.types import ItemRecord, ParsedItem

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s", "small", "strong",
    "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan"}}
TITLE_PASSES = 4  # markup escaped up to three times over is still removed from titles

# Tracking parameters that name a campaign, not a document: dropping them lets
# the same article shared with different tags be stored once.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi|mkt_tok|"
    r"igshid|yclid|ref_src|cmpid|s_cid|sr_share|ocid)$",
    re.IGNORECASE,
)

_BLOCK_BOUNDARY = re.compile(
    r"<\s*/?\s*(p|div|br|li|ul|ol|h[1-6]|tr|td|th|blockquote|pre|table|hr|dd|dt)\b[^>]*>",
    re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_CLEAN = {
    "tags": ALLOWED_TAGS,
    "attributes": ALLOWED_ATTRIBUTES,
    "clean_content_tags": {"script", "style", "template", "iframe", "object", "svg", "math"},
    "url_schemes": {"http", "https", "mailto"},
    "link_rel": "noopener noreferrer nofollow",
}
_CLEANER = nh3.Cleaner(**_CLEAN)  # type: ignore[arg-type]


def sanitize_html(markup: str, base_url: str | None = None) -> str:
    """Keep harmless formatting and http(s) links; drop scripts, handlers, styles.

    Relative links are resolved against `base_url` by the sanitiser itself.
    """
    if not markup:
        return ""
    markup = _CONTROL.sub("", markup)
    if base_url:
        try:
            return nh3.clean(markup, url_relative=("rewrite_with_base", base_url), **_CLEAN)  # type: ignore[arg-type]
        except ValueError:  # a base the URL parser refuses: keep links as they are
            pass
    return _CLEANER.clean(markup)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one space between blocks.

    Meant for markup that `sanitize_html` produced (well-formed, quoted
    attributes), which a tag pattern reads as reliably as a parser, and faster.
    """
    if not markup:
        return ""
    spaced = _BLOCK_BOUNDARY.sub(" ", markup)
    return " ".join(html.unescape(_TAG.sub("", spaced)).split())


def clean_title(title: str) -> str:
    """A title as plain text: markup removed, entities decoded, one line.

    Markup escaped twice ("&amp;lt;script&amp;gt;") decodes to markup, so the
    text is cleaned again until it stops changing: no title may hold words a
    feed reader that renders titles as HTML would run.
    """
    for _ in range(TITLE_PASSES):
        if "<" not in title and "&" not in title:
            break
        cleaned = html_to_text(sanitize_html(title))
        if cleaned == title:
            break
        title = cleaned
    return _SPACE.sub(" ", _CONTROL.sub("", title)).strip()


def canonical_url(url: str | None, base: str | None = None) -> str | None:
    """Absolute http(s) URL with tracking parameters and fragment removed, or None."""
    if not url:
        return None
    url = url.strip()
    if base:
        url = urljoin(base, url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = [(k, v) for k, v in query if not TRACKING_PARAMS.match(k)]
    netloc = parts.netloc.lower()
    if (parts.scheme == "http" and netloc.endswith(":80")) or (
        parts.scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(kept), ""))


def to_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive time is taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def content_hash(*parts: object) -> str:
    """A stable digest of what a reader sees; unchanged content, unchanged hash."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


def normalize_item(item: ParsedItem, fetched_at: datetime, base_url: str | None) -> ItemRecord:
    """Turn what a parser read into what the store keeps."""
    url = canonical_url(item.url, base_url)
    summary = sanitize_html(item.summary_html, url or base_url)
    text = html_to_text(summary)
    title = clean_title(item.title) or _title_from_text(text)
    published = to_utc(item.published) or to_utc(item.updated)
    updated = to_utc(item.updated)
    undated = published is None
    if published is None:
        published = fetched_at
    return ItemRecord(
        guid=item.guid.strip() or (url or content_hash(title, text)),
        title=title,
        url=url,
        summary_html=summary,
        text=text,
        published=published,
        updated=updated,
        undated=undated,
        author=clean_title(item.author) if item.author else None,
        format_doc_type=item.doc_type,
        document_number=item.document_number,
        agencies=item.agencies,
        categories=item.categories,
        rins=item.rins,
        bill_key=item.bill_key,
        content_hash=content_hash(
            title,
            summary,
            url,
            None if undated else published.isoformat(),
            updated.isoformat() if updated else None,
            item.author,
            item.agencies,
            item.categories,
        ),
    )


def _title_from_text(text: str) -> str:
    if not text:
        return "(untitled)"
    return text[:97] + "…" if len(text) > 100 else text
