"""ParsedItem → ItemRecord: UTC times, canonical URLs, safe HTML, plain text, hash.

Pure: no I/O. Summaries are sanitised here with nh3 (ammonia), once, so every
later stage (pages, feeds, API) can trust `summary_html`. Here too every field
is held to a size (`MAX_*`) and cleared of invisible characters that make text
read other than it is (see `strip_invisible`), whatever the source sent.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

import idna
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

# How much of one item is kept, in characters. A feed is trusted for its
# words, not for their amount: a 94-million-character entry (expanded
# entities) once took 2 GB to store and seconds to search. Longer titles and
# authors are cut, with "…"; a longer summary is cut before it is sanitised
# (which closes any element left open) and ends with "[…]"; a longer URL is
# dropped, as a cut one would point elsewhere; a longer guid is replaced by
# its digest, which keeps it unique and stable. The URL and guid caps are the
# columns' own size.
MAX_TITLE = 500
MAX_AUTHOR = 200
MAX_SUMMARY = 500_000
MAX_URL = 2000
MAX_GUID = 2000
MAX_LIST = 100  # categories, agencies, RINs: entries kept, each cut to MAX_TERM
MAX_TERM = 200
MAX_DOCUMENT_NUMBER = 50  # longer is no Federal Register number: dropped

# Invisible format characters that make text read other than it is: bidi
# embeddings, overrides and isolates, which reorder what follows (a title or
# a host can show "moc.elgoog" as "google.com"); bidi marks; zero-width
# spaces and joiners of words; invisible operators; the byte order mark; tag
# characters (text hidden from readers but not from programs). Zero-width
# (non-)joiners stay: Persian, Indic scripts and emoji need them.
_INVISIBLE = re.compile(
    "[\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\U000e0000-\U000e007f]"
)
# In a summary only what reorders a whole run goes; the marks that place
# punctuation in right-to-left text stay.
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")


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
    markup = _REORDERING.sub("", _CONTROL.sub("", markup))
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
    return _SPACE.sub(" ", strip_invisible(_CONTROL.sub("", title))).strip()


def strip_invisible(text: str) -> str:
    """`text` without bidi controls and other invisible characters that spoof."""
    return _INVISIBLE.sub("", text)


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
    netloc = _ascii_netloc(parts.netloc.lower(), parts.hostname)
    if netloc is None:
        return None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    kept = [(k, v) for k, v in query if not TRACKING_PARAMS.match(k)]
    if (parts.scheme == "http" and netloc.endswith(":80")) or (
        parts.scheme == "https" and netloc.endswith(":443")
    ):
        netloc = netloc.rsplit(":", 1)[0]
    path = _quote_invisible(parts.path or "/")
    url = urlunsplit((parts.scheme.lower(), netloc, path, _quote_invisible(urlencode(kept)), ""))
    return url if len(url) <= MAX_URL else None


def _ascii_netloc(netloc: str, host: str) -> str | None:
    """`netloc` with its host in IDNA (punycode) form; None if the host is no valid name.

    A person reads the host to know where a link goes, and Unicode lets two
    different hosts look alike ("аpple.com" with a Cyrillic а) or reorder
    themselves (U+202E); the ASCII form shows the difference. Browsers
    resolve either form to the same address.
    """
    if host.isascii():
        return netloc
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:  # bidi controls, a label of 64+ characters, ...
        return None
    userinfo, at, hostport = netloc.rpartition("@")
    return userinfo + at + hostport.replace(host, ascii_host, 1)


def _quote_invisible(part: str) -> str:
    """Invisible characters in a path or query percent-encoded, as a browser sends them."""
    return _INVISIBLE.sub(lambda m: quote(m.group(), safe=""), part)


def to_utc(value: datetime | None) -> datetime | None:
    """Aware UTC; a naive time is taken to be UTC already."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the year 1 in UTC
        return None


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
    summary = sanitize_html(_cut_summary(item.summary_html), url or base_url)
    text = html_to_text(summary)
    title = _cut(clean_title(item.title[: MAX_TITLE * 20]), MAX_TITLE) or _title_from_text(text)
    author = _cut(clean_title(item.author[: MAX_AUTHOR * 20]), MAX_AUTHOR) if item.author else None
    number = item.document_number
    published = to_utc(item.published) or to_utc(item.updated)
    updated = to_utc(item.updated)
    undated = published is None
    if published is None:
        published = fetched_at
    return ItemRecord(
        guid=_capped_guid(item.guid.strip()) or (url or content_hash(title, text)),
        title=title,
        url=url,
        summary_html=summary,
        text=text,
        published=published,
        updated=updated,
        undated=undated,
        author=author,
        format_doc_type=item.doc_type,
        document_number=number if number and len(number) <= MAX_DOCUMENT_NUMBER else None,
        agencies=_capped_list(item.agencies),
        categories=_capped_list(item.categories),
        rins=_capped_list(item.rins),
        bill_key=item.bill_key,
        dates=item.dates,
        content_hash=content_hash(
            title,
            summary,
            url,
            None if undated else published.isoformat(),
            updated.isoformat() if updated else None,
            # The source's own values, as before the caps: an item that was
            # within them keeps its hash, so no stored item reads as updated.
            item.author,
            item.agencies,
            item.categories,
        ),
    )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _cut_summary(markup: str) -> str:
    if len(markup) <= MAX_SUMMARY:
        return markup
    return markup[:MAX_SUMMARY] + " […]"


def _capped_guid(guid: str) -> str:
    if len(guid) <= MAX_GUID:
        return guid
    return "sha256:" + hashlib.sha256(guid.encode("utf-8", "surrogatepass")).hexdigest()


def _capped_list(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(v[:MAX_TERM] for v in values[:MAX_LIST])


def _title_from_text(text: str) -> str:
    if not text:
        return "(untitled)"
    return text[:97] + "…" if len(text) > 100 else text
