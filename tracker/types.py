"""Frozen records passed between pipeline stages.

Each stage has its own type: what a parser read from a file (`ParsedItem`,
`BillRecord`) is not the stored row (`tracker.models`). Nothing here imports
anything else of the project, so every stage can depend on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

# What a document is. Presidential documents carry their own kinds because they
# carry different force: an executive order binds agencies, a proclamation
# declares (an observance, or a tariff under section 232), a memorandum
# directs named officials, and a notice continues an emergency or, from an
# agency, asks for comment or announces a meeting without making a rule. A
# reader following "what the President has ordered" needs the first apart from
# the rest; `notice` also gives agency notices a home apart from rules.
DOC_TYPES: tuple[str, ...] = (
    "memo",
    "executive-order",
    "proclamation",
    "notice",
    "export-control",
    "letter",
    "bill",
    "rule",
    "hearing",
    "report",
    "press-release",
    "news",
)

DOC_TYPE_LABELS: dict[str, str] = {
    "memo": "Memo",
    "executive-order": "Executive order",
    "proclamation": "Proclamation",
    "notice": "Notice",
    "export-control": "Export control",
    "letter": "Letter",
    "bill": "Bill",
    "rule": "Rule",
    "hearing": "Hearing",
    "report": "Report",
    "press-release": "Press release",
    "news": "News",
}

SOURCE_KINDS: tuple[str, ...] = (
    "rss",
    "federal-register",
    "billstatus",
    "html",
    "congress-api",  # api.congress.gov v3 JSON: bills, a bill's actions, committee meetings
    "senate-hearings",  # senate.gov's committee hearing schedule XML
)

# The road a bill travels, in order (GovTrack's statuses, condensed): a
# committee reports it (or orders it reported), one chamber passes it, the
# second passes it too, in a different form while the two resolve their
# differences, then in one form ("passed both") before it goes to the
# President. A veto or a failed vote ends the road.
BILL_ROAD: tuple[str, ...] = (
    "introduced",
    "referred",
    "reported",
    "passed-one",
    "resolving",
    "passed-both",
    "president",
    "law",
)
BILL_STAGES: tuple[str, ...] = (*BILL_ROAD, "vetoed", "failed")


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer for one source: new bytes, or `not_modified`."""

    url: str
    status: int
    content: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: datetime
    not_modified: bool = False


@dataclass(frozen=True)
class StatedDate:
    """A date ahead (or just past) that a source states in its own fields.

    `kind` is one of `tracker.calendar_dates.KINDS` (hearing, markup,
    comments-close, effective, deadline); `at` is the start in UTC when the
    source gives a time of day, else None (an all-day date). `cancelled`: the
    source says the meeting was cancelled or postponed.
    """

    kind: str
    day: date
    at: datetime | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class ParsedItem:
    """One document as a parser read it, before normalising and tagging.

    `summary_html` is the source's markup as found (it is sanitised later);
    `doc_type` is the type the format itself implies, if any (a Federal
    Register Rule, a BILLSTATUS record), not the final decision.
    """

    guid: str
    title: str
    url: str | None = None
    summary_html: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    doc_type: str | None = None
    document_number: str | None = None
    agencies: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    rins: tuple[str, ...] = ()
    bill_key: str | None = None
    dates: tuple[StatedDate, ...] = ()  # calendar dates the format states (not its text)


@dataclass(frozen=True)
class BillAction:
    """One dated action on a bill, as BILLSTATUS records it."""

    action_date: date
    text: str
    code: str | None = None
    action_type: str | None = None
    source_system: str | None = None
    committee: str | None = None


@dataclass(frozen=True)
class Sponsor:
    """A bill's sponsor as named in BILLSTATUS."""

    full_name: str
    bioguide_id: str | None = None
    party: str | None = None
    state: str | None = None


@dataclass(frozen=True)
class Cosponsor:
    """A cosponsor as BILLSTATUS names them, with the day they joined (or left)."""

    full_name: str
    bioguide_id: str | None = None
    party: str | None = None
    state: str | None = None
    since: date | None = None
    original: bool = False
    withdrawn: date | None = None


@dataclass(frozen=True)
class TextVersion:
    """One printed version of a bill's text ("Introduced in House", "Reported in House")."""

    name: str
    day: date | None  # None: listed without a date (an enrolled bill not yet printed)
    url: str | None


@dataclass(frozen=True)
class RelatedBill:
    """A bill of the same Congress that BILLSTATUS relates to this one, and how."""

    congress: int
    bill_type: str
    number: int
    title: str | None
    relationships: tuple[str, ...]  # "Identical bill (CRS)", "Procedurally-related (House)"
    latest_action_date: date | None = None
    latest_action_text: str | None = None

    @property
    def key(self) -> str:
        return f"{self.congress}-{self.bill_type}-{self.number}"


@dataclass(frozen=True)
class BillRecord:
    """A bill with its actions; `key` is e.g. ``119-s-1705``.

    `stage_dates` holds each stage reached with the day it was first reached,
    in the order of `BILL_STAGES`.
    """

    congress: int
    bill_type: str
    number: int
    title: str
    introduced: date | None
    sponsor: Sponsor | None
    policy_area: str | None
    subjects: tuple[str, ...]
    actions: tuple[BillAction, ...]
    stage: str
    latest_summary: str = ""
    updated: datetime | None = None
    stage_dates: tuple[tuple[str, date], ...] = ()
    cosponsors: tuple[Cosponsor, ...] = ()
    related: tuple[RelatedBill, ...] = ()
    text_url: str | None = None
    text_versions: tuple[TextVersion, ...] = ()  # oldest first; undated ones last

    @property
    def key(self) -> str:
        return f"{self.congress}-{self.bill_type}-{self.number}"

    @property
    def label(self) -> str:
        """The citation form people write: ``S. 1705``, ``H.R. 3447``."""
        return bill_label(self.bill_type, self.number)


BILL_TYPE_LABELS: dict[str, str] = {
    "hr": "H.R.",
    "s": "S.",
    "hres": "H.Res.",
    "sres": "S.Res.",
    "hjres": "H.J.Res.",
    "sjres": "S.J.Res.",
    "hconres": "H.Con.Res.",
    "sconres": "S.Con.Res.",
}


def bill_label(bill_type: str, number: int) -> str:
    """``("hr", 3447)`` → ``"H.R. 3447"``."""
    return f"{BILL_TYPE_LABELS.get(bill_type, bill_type.upper())} {number}"


@dataclass(frozen=True)
class ParseResult:
    """What one parser made of one file.

    `warnings` name entries that were skipped and why; the rest are kept.
    `next_page` is the paging link of paged APIs (Federal Register).
    """

    kind: str
    items: tuple[ParsedItem, ...] = ()
    bills: tuple[BillRecord, ...] = ()
    warnings: tuple[str, ...] = ()
    next_page: str | None = None
    feed_title: str | None = None


class Evidence(NamedTuple):
    """Where a tag came from: the words matched, the field, the offsets.
    (A tuple: an item has dozens, and a tuple is the cheapest record to make.)"""

    field: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Tag:
    """A topic or entity tag with the evidence that produced it."""

    slug: str
    kind: str  # "topic" or "entity"
    # "rule", "model" (tracker/topic_model.py), "issuer" (tracker/issuers.py), "parent", "manual"
    origin: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class TagResult:
    """The tagger's verdict on one item."""

    tags: tuple[Tag, ...]
    doc_type: str

    @property
    def topics(self) -> list[str]:
        return [t.slug for t in self.tags if t.kind == "topic"]

    @property
    def entities(self) -> list[str]:
        return [t.slug for t in self.tags if t.kind == "entity"]

    @property
    def named_topics(self) -> list[str]:
        """The topics the taxonomy's names and rules found, not those the topic model
        read from the wording: what event grouping weighs (`store/events._tag_sets`)."""
        return [t.slug for t in self.tags if t.kind == "topic" and t.origin != "model"]


@dataclass(frozen=True)
class SourceConfig:
    """One entry of ``data/sources.toml``, validated."""

    slug: str
    name: str
    kind: str
    url: str
    doc_type: str
    owner: str | None = None
    homepage: str | None = None
    enabled: bool = True
    interval_minutes: int = 60
    selectors: dict[str, str] = field(default_factory=dict)
    disabled_reason: str | None = None  # off, and why (shown on /sources)


@dataclass(frozen=True)
class ItemRecord:
    """A parsed item after normalising: UTC times, canonical URL, clean HTML.

    `published` is never empty: an undated item gets its fetch time and
    `undated=True`. `content_hash` changes exactly when what a reader sees
    changes, and decides whether a re-fetched item is an update.
    """

    guid: str
    title: str
    url: str | None
    summary_html: str
    text: str
    published: datetime
    updated: datetime | None
    undated: bool
    author: str | None
    format_doc_type: str | None
    document_number: str | None
    agencies: tuple[str, ...]
    categories: tuple[str, ...]
    rins: tuple[str, ...]
    bill_key: str | None
    content_hash: str
    dates: tuple[StatedDate, ...] = ()
