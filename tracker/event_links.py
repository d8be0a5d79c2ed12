"""Outbound links as evidence of which act a report is about. Pure.

Agency releases, law-firm alerts, trade press and think-tank posts link to
the document they report: its Federal Register page, public-inspection copy
or govinfo PDF, the bill's congress.gov page, the docket, the hearing page,
the filing. Such a link says what the report is about when its words do not
("FCC floats tougher ownership checks for subsea cable owners" links to
"Review of Submarine Cable Landing License Rules ...").

Most links say nothing of the kind: the outlet's own earlier stories, home,
section and topic pages, a court case's docket (every filing of the case is
on it), and background links to another act ("days after it proposed ...",
a Register document printed weeks before). `extract` keeps, of an item's
summary HTML, the links to the one document the item names first, and none
for a digest that links to many. `relation` then counts a kept link as the
same-document evidence the identifier it gives would be (a Federal Register
document number, a bill, a rulemaking docket, read by `tracker.event_acts`
as if the report's text named it) or, for a link to another item's own
address, as that item's act; a link never shows two reports to be apart.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from tracker import event_acts, event_background
from tracker.event_act_reading import BESIDE, EARLIER
from tracker.normalize import canonical_url

if TYPE_CHECKING:
    from tracker.events import EventItem

# The opening of an item's summary HTML read for links: what a report links to
# as its subject it links to early, and a summary may run to 500,000 characters.
LINK_CHARS = 8000
# Anchors read at most: a summary of thousands of links is a list, not a report.
MAX_ANCHORS = 40
# An item linking to more distinct documents than this is a digest (a week's
# roundup): which of them it reports is not for its links to say.
MAX_DOCUMENTS = 3
# A Register document printed this long before the report linking to it is an
# earlier act (the proposed rule a final rule follows), not the one reported.
PRINTED_BEFORE = timedelta(days=21)

_HREF = re.compile(r"href", re.I)
# A Federal Register document number, in a federalregister.gov or govinfo path.
_FR_NUMBER = re.compile(r"(?<![\w-])(20\d\d-\d{5})(?![\w-])")
_FR_DATE = re.compile(r"/documents/(20\d\d)/(\d\d)/(\d\d)/|/FR-(20\d\d)-(\d\d)-(\d\d)/")
_FR_HOSTS = ("federalregister.gov", "govinfo.gov")
# A bill's congress.gov page or govinfo text ("/house-bill/9933", "BILLS-120hr9933ih").
_BILL = re.compile(r"/(house|senate)-bill/(\d+)|BILLS-\d{3}(hr|s)(\d+)[a-z]+", re.I)
# A rulemaking docket at regulations.gov ("/docket/BIS-2028-0031", "/document/BIS-2028-0031-0004").
_DOCKET = re.compile(r"/(?:docket|document)/([A-Z]{2,6}-20\d\d-\d{4})", re.I)
# Path words of pages that list or gather documents rather than being one.
_GATHERING = frozenset(
    """tag tags topic topics category categories section sections author authors search
    subscribe newsletter newsletters about contact home index news newsroom press
    press-releases news-releases releases media blog blogs hearings events podcast
    podcasts video videos issues issue region regions series archive archives""".split()
)
# Path words that make any page under them a list ("/topics/subsea", "/tag/ai").
_LISTS = frozenset(
    "tag tags topic topics category categories author authors section sections".split()
)
# A court case's docket lists every filing in it (the ruling, the appeal): a
# link to it names the case, not the act.
_CASE_PAGES = re.compile(r"courtlistener\.com/docket/|/cgi-bin/DktRpt|pacermonitor\.com/case/")
# What sets a linked act apart from the report's own: dated before or after it
# ("two days after the Commerce Department revoked"), set beside it, or earlier.
_BACKGROUND = re.compile(
    r"\b(?:earlier|previous(?:ly)?|prior|last (?:week|month|year)|a day (?:after|before)|"
    r"separately|parallel|follows?|following|mirrors?|companion|related|see also|background)\b",
    re.I,
)
# The words just before a link that compare the linked act with the report's own:
# "unlike Pruitt's H.R. 10412", "goes further than a House Democratic version".
_COMPARED = re.compile(
    r"\b(?:unlike|than|versus|compared (?:with|to)|differs? from)\b[^.!?]*$", re.I
)
_SENTENCE_END = re.compile(r"[.!?]\s")


def extract(
    markup: str, url: str = "", published: datetime | None = None, title: str = ""
) -> frozenset[str]:
    """The canonical links by which an item's summary HTML names the document it reports.

    Links are resolved against `url` (the item's own address) and canonicalised as
    item addresses are (`tracker.normalize.canonical_url`). Only the first document
    linked outside a background phrase is kept (every link to it: its page and its
    PDF), and nothing when the item links to more than `MAX_DOCUMENTS` documents.
    A link whose text is written from the `title`'s background clause ("adding 27"
    under "BIS removes five ..., two days after adding 27") links that other act.
    """
    if not markup or _HREF.search(markup, 0, LINK_CHARS) is None:
        return frozenset()
    opening = markup[:LINK_CHARS]
    # Kept by a digest of the markup, not the markup: a batch reads its neighbours'
    # links again, and 16,384 openings of 8,000 characters would hold 128 MB.
    digest = hashlib.blake2b(opening.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    key = (digest, url, published, title)
    found = _SEEN.get(key)
    if found is None:
        if len(_SEEN) >= SEEN:
            _SEEN.clear()
        found = _SEEN[key] = _extract(opening, url, published, title)
    return found


SEEN = 16384
_SEEN: dict[tuple[bytes, str, datetime | None, str], frozenset[str]] = {}


def _extract(markup: str, url: str, published: datetime | None, title: str) -> frozenset[str]:
    own = _host(url)
    order: list[str] = []  # document keys, first linked first
    links: dict[str, set[str]] = {}
    for href, context, anchor in _anchors(markup):
        link = _resolved(href, "" if _ABSOLUTE.match(href) else url)
        if link is None or link == url or _host(link) == own:
            continue
        if _BACKGROUND.search(context) or EARLIER.search(context) or BESIDE.search(context):
            continue
        if _COMPARED.search(context, 0, len(context) - len(anchor)):
            continue  # another act the report compares its own with
        if title and event_background.names_background(anchor, title):
            continue  # the act the headline dates its own against
        key = document_key(link, published)
        if key is None:
            continue
        if key not in links:
            order.append(key)
            links[key] = set()
            if len(order) > MAX_DOCUMENTS:
                return frozenset()
        links[key].add(link)
    if not order or len(order) > MAX_DOCUMENTS:
        return frozenset()
    # A link that gives an identifier names the document surely; another may be a
    # page about it (a release, a case page), so the first identifier wins.
    chosen = next((k for k in order if not k.startswith("url:")), order[0])
    return frozenset(links[chosen])


def _anchors(markup: str) -> list[tuple[str, str, str]]:
    """Each anchor's href, the words before it in its sentence (since the previous
    anchor) with its own text, where a background phrase would be, and its text."""
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    pieces: list[str] = []
    length = 0
    since = 0  # where the text read for the next anchor starts
    open_at: list[tuple[int, str]] = []
    found: list[tuple[str, str, str]] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag == "a" and len(found) + len(open_at) < MAX_ANCHORS:
                open_at.append((length, element.get("href") or ""))
            if tag and element.text:
                pieces.append(element.text)
                length += len(element.text)
            continue
        if tag == "a" and open_at:
            start, href = open_at.pop()
            text = "".join(pieces)
            before = text[since:start]
            ends = list(_SENTENCE_END.finditer(before))
            anchor = text[start:]
            found.append((href, (before[ends[-1].end() :] if ends else before) + anchor, anchor))
            since = length
            if len(found) >= MAX_ANCHORS:
                break
        if element.tail and element is not root:
            pieces.append(element.tail)
            length += len(element.tail)
    return found


def document_key(link: str, published: datetime | None = None) -> str | None:
    """What a canonical link names: "fr:2028-19811", "bill:hr9933", "docket:bis-2028-0031",
    or "url:<link>" for a page that may be a document; None for a home, section,
    topic or case page, or a Register document printed weeks before `published`."""
    return _document_key(link, published.date() if published else None)


@lru_cache(maxsize=65536)
def _document_key(link: str, day: object) -> str | None:
    parts = urlsplit(link)
    host, path = (parts.hostname or "").removeprefix("www."), parts.path
    if any(host == h or host.endswith("." + h) for h in _FR_HOSTS):
        number = _FR_NUMBER.search(path)
        if number:
            printed = _FR_DATE.search(path)
            if printed and day is not None:
                y, m, d = (int(g) for g in printed.groups() if g is not None)
                if datetime(y, m, d).date() < day - PRINTED_BEFORE:  # type: ignore[operator]
                    return None
            return f"fr:{number.group(1)}"
    bill = _BILL.search(path)
    if bill and host.endswith(("congress.gov", "govinfo.gov")):
        chamber, number_text = (bill.group(1), bill.group(2)) if bill.group(1) else bill.group(3, 4)
        return f"bill:{'hr' if chamber.lower() in ('house', 'hr') else 's'}{int(number_text)}"
    docket = _DOCKET.search(path)
    if docket and host.endswith("regulations.gov"):
        return f"docket:{docket.group(1).lower()}"
    if _CASE_PAGES.search(link):
        return None
    segments = [s for s in path.lower().split("/") if s]
    if not segments or segments[-1] in _GATHERING or not _LISTS.isdisjoint(segments):
        return None  # a home, section or topic page
    last = segments[-1]
    if len(segments) == 1 and last.count("-") < 2 and not any(c.isdigit() for c in last):
        return None  # "/technology", "/artificial-intelligence": a section, not a story's slug
    return f"url:{page(link)}"


def page(link: str) -> str:
    """A canonical link as a page is matched: without its scheme, "www." and a
    trailing slash, which one page's addresses differ by ("http://x.gov/a/" is
    "https://www.x.gov/a")."""
    parts = urlsplit(link)
    host = (parts.hostname or "").removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")


@lru_cache(maxsize=65536)
def own_url(url: str) -> str:
    """An item's address as a link to it is matched ("" if it has none)."""
    address = _canonical(url)
    return page(address) if address else ""


def keys(item: EventItem) -> frozenset[str]:
    """Blocking keys (`tracker.event_keys`): the document the item links to, and its
    own address, so a report and the document it links to meet whichever comes first."""
    found = {f"id:{k}" for k in _documents(item)}
    address = own_url(item.url)
    if address:
        found.add(f"id:url:{address}")
    return frozenset(found)


def _documents(item: EventItem) -> frozenset[str]:
    return _documents_of(item.links, item.published) if item.links else frozenset()


@lru_cache(maxsize=16384)
def _documents_of(links: frozenset[str], published: datetime) -> frozenset[str]:
    return frozenset(k for k in (document_key(link, published) for link in links) if k)


def relation(a: EventItem, b: EventItem) -> event_acts.Relation:
    """What the two reports' links say: "same" when one links to the other (its
    address, or a document number, bill or docket the other gives) or both link to
    one document; a bill's stages still apart as `event_acts.relation` keeps them;
    "unknown" when the links say nothing."""
    if not (a.links or b.links):
        return "unknown"
    found: set[event_acts.Relation] = set()
    docs_a, docs_b = _documents(a), _documents(b)
    for x, docs, y in ((a, docs_a, b), (b, docs_b, a)):
        if not docs:
            continue
        address = own_url(y.url)
        if address and f"url:{address}" in docs:
            return "same"
        named = docs & _identity(y)
        if named:
            found.add(_as_identifiers(x, y, named))
    shared = docs_a & docs_b
    if any(k.startswith("url:") and _numbered(k) for k in shared):
        return "same"  # one document page (a release, a filing) both link to
    if any(not k.startswith("url:") for k in shared):
        found.add(_as_identifiers(a, b, frozenset(k for k in shared if not k.startswith("url:"))))
    for verdict in ("same", "different", "unlike"):
        if verdict in found:
            return verdict  # type: ignore[return-value]
    return "unknown"


def _numbered(key: str) -> bool:
    """A page with a number in its path: a document (a case, a release, a draft), not a topic."""
    return any(c.isdigit() for c in key[4:].partition("/")[2])


@lru_cache(maxsize=16384)
def _identity(item: EventItem) -> frozenset[str]:
    """The identifiers a report gives (its text's and address's, as `event_acts` reads
    them) and those its own address gives as a link would."""
    address = _canonical(item.url)
    own = document_key(address) if address else None
    return item.act.identifiers | ({own} if own and not own.startswith("url:") else set())


@lru_cache(maxsize=65536)
def _resolved(href: str, base: str) -> str | None:
    """A link canonicalised (an absolute one alike on every item linking to it)."""
    return canonical_url(href, base or None)


_ABSOLUTE = re.compile(r"\s*https?://", re.I)


@lru_cache(maxsize=65536)
def _canonical(url: str) -> str:
    return (canonical_url(url) or "") if url else ""


def _as_identifiers(x: EventItem, y: EventItem, named: frozenset[str]) -> event_acts.Relation:
    """`event_acts.relation` with the linked identifiers read as if both reports'
    texts named them: a bill's introduction and its markup stay two acts."""
    ax, ay = x.act, y.act
    ax = dataclasses.replace(ax, identifiers=ax.identifiers | named)
    ay = dataclasses.replace(ay, identifiers=ay.identifiers | named)
    return event_acts.relation(ax, ay)


def _host(url: str) -> str:
    if not url:
        return ""
    try:
        return (urlsplit(url).hostname or "").removeprefix("www.")
    except ValueError:
        return ""
