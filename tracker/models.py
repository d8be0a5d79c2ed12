"""SQLModel tables. Tables only: every query lives in `tracker.store`."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, returns aware UTC, on SQLite and PostgreSQL alike.

    SQLite keeps no time zone; storing naive UTC everywhere means the same
    comparisons and the same round trip on both databases.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given; use aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def table_of(model: type[SQLModel]) -> sa.Table:
    """The table of a table model, typed (SQLModel does not declare `__table__`)."""
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def _dt(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=sa.Column(UTCDateTime(), nullable=nullable, index=index))


def _json(default: Any) -> Any:
    # The column default too: rows inserted without the ORM (bulk inserts,
    # benchmarks) get an empty value instead of breaking NOT NULL.
    column = sa.Column(sa.JSON, nullable=False, default=default)
    return Field(default_factory=default, sa_column=column)


class Counter(SQLModel, table=True):
    """Named monotonic counters; `item_seq` orders every item change."""

    name: str = Field(primary_key=True, max_length=40)
    value: int = Field(default=0, sa_type=sa.BigInteger)


class KeptAggregate(SQLModel, table=True):
    """An aggregate kept up to date (`memo.kept_up`), saved for every process: its parts
    (compressed JSON) as counted at sequence number `seq` with `deletions` deletions."""

    __tablename__ = "kept_aggregate"
    key: str = Field(primary_key=True, max_length=64)  # sha256 of the key and the code
    seq: int = Field(sa_type=sa.BigInteger)
    deletions: int = Field(sa_type=sa.BigInteger)
    body: bytes = Field(sa_type=sa.LargeBinary)
    used_at: int = Field(sa_type=sa.BigInteger, index=True)  # unix seconds: saved or loaded


class Source(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, index=True, max_length=100)
    name: str = Field(max_length=300)
    kind: str = Field(max_length=30)
    url: str = Field(default="", max_length=2000)
    doc_type: str = Field(default="news", max_length=30)
    owner: str | None = Field(default=None, max_length=300)
    homepage: str | None = Field(default=None, max_length=2000)
    enabled: bool = True
    interval_minutes: int = 60
    selectors: dict[str, str] = _json(dict)
    is_sample: bool = False
    is_local: bool = False
    etag: str | None = Field(default=None, max_length=500)
    last_modified: str | None = Field(default=None, max_length=100)
    last_fetched_at: datetime | None = _dt()
    last_status: str | None = Field(default=None, max_length=30)
    last_error: str | None = None
    failures: int = 0  # consecutive failed fetches; 0 after a success
    next_page: str | None = Field(default=None, max_length=2000)
    # Set from sources.toml for a source that is off for a stated reason (0009).
    disabled_reason: str | None = Field(default=None, max_length=500)
    # Scheduling and health (migration 0010). `host` is the politeness key of
    # `url` (scheme, name and port), kept by the fetch workers.
    host: str | None = Field(default=None, max_length=300, index=True)
    next_attempt_at: datetime | None = _dt()
    last_success_at: datetime | None = _dt()
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = _dt()


class Item(SQLModel, table=True):
    __table_args__ = (
        # Timelines walk an event's items by date (migration 0004).
        sa.Index("ix_item_event_published", "event_id", "published_at"),
        # A listing's version (for ETags) is read from this index alone (0003).
        sa.Index(
            "ix_item_listing_version",
            "seq", "changed_at", "doc_type", "published_at", "source_id", "bill_id",
        ),
        # A document number names one live document and, apart, one bundled
        # snapshot of it: demo and live never share a row (migration 0007).
        sa.UniqueConstraint("document_number", "sample", name="uq_item_document_number_sample"),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    guid: str = Field(max_length=2000)
    url: str | None = Field(default=None, max_length=2000, index=True)
    title: str
    summary_html: str = ""
    text: str = ""
    author: str | None = Field(default=None, max_length=500)
    published_at: datetime = _dt(nullable=False, index=True)
    updated_at: datetime | None = _dt()
    fetched_at: datetime = _dt(nullable=False)
    undated: bool = False
    doc_type: str = Field(default="news", max_length=30, index=True)
    format_doc_type: str | None = Field(default=None, max_length=30)
    document_number: str | None = Field(default=None, max_length=50)
    agencies: list[str] = _json(list)
    categories: list[str] = _json(list)
    rins: list[str] = _json(list)
    content_hash: str = Field(max_length=64)
    # Indexed by ix_item_event_published (event_id, published_at), migration 0004.
    event_id: int | None = Field(default=None, foreign_key="event.id")
    bill_id: int | None = Field(default=None, foreign_key="bill.id", index=True)
    seq: int = Field(sa_type=sa.BigInteger, unique=True, index=True)
    changed_at: datetime = _dt(nullable=False)
    # Part of the bundled demo snapshot (its source is a sample one): matched,
    # linked and grouped only with other snapshot items.
    sample: bool = False


class ItemSource(SQLModel, table=True):
    """Every source an item arrived from, under that source's own guid."""

    __table_args__ = (sa.UniqueConstraint("source_id", "guid"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    source_id: int = Field(foreign_key="source.id")
    guid: str = Field(max_length=2000)
    url: str | None = Field(default=None, max_length=2000)
    first_seen: datetime = _dt(nullable=False)


class Topic(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=200)
    description: str = ""


class Entity(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=100)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=40)
    description: str = ""
    parent: str | None = Field(default=None, max_length=100)


class ItemTag(SQLModel, table=True):
    """A tag on an item: where it came from, how sure, and the evidence."""

    __table_args__ = (
        sa.UniqueConstraint("item_id", "slug"),
        # A tag's items without touching the rows (migration 0004).
        sa.Index("ix_itemtag_slug_status_item", "slug", "status", "item_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    # Indexed by ix_itemtag_slug_status_item (slug, status, item_id), migration 0004.
    slug: str = Field(max_length=100)
    kind: str = Field(max_length=10)  # topic | entity
    origin: str = Field(max_length=10)  # rule | model | issuer | parent | manual
    status: str = Field(default="suggested", max_length=10)  # suggested | confirmed | rejected
    evidence: list[dict[str, Any]] = _json(list)
    created_at: datetime = _dt(nullable=False)
    decided_by: str | None = Field(default=None, max_length=100)
    decided_at: datetime | None = _dt()


class Bill(SQLModel, table=True):
    # The bundled snapshot of a bill and the live bill are two rows (0007).
    __table_args__ = (sa.UniqueConstraint("key", "sample", name="uq_bill_key_sample"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(index=True, max_length=40)
    sample: bool = False
    congress: int
    bill_type: str = Field(max_length=10)
    number: int
    title: str
    introduced: date | None = None
    sponsor_name: str | None = Field(default=None, max_length=300)
    sponsor_party: str | None = Field(default=None, max_length=10)
    sponsor_state: str | None = Field(default=None, max_length=10)
    policy_area: str | None = Field(default=None, max_length=300)
    subjects: list[str] = _json(list)
    stage: str = Field(default="introduced", max_length=20)
    latest_summary: str = ""
    latest_action_date: date | None = None
    latest_action_text: str | None = None
    updated_at: datetime | None = _dt()
    stage_dates: dict[str, str] = _json(dict)  # stage → ISO day first reached
    cosponsors: list[dict[str, Any]] = _json(list)
    related: list[dict[str, Any]] = _json(list)
    text_url: str | None = Field(default=None, max_length=2000)
    # Each printed version of the text, oldest first: name, ISO day, address (0014).
    text_versions: list[dict[str, Any]] = _json(list)


class BillAction(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    bill_id: int = Field(foreign_key="bill.id", index=True)
    position: int
    action_date: date = Field(index=True)
    text: str
    code: str | None = Field(default=None, max_length=20)
    action_type: str | None = Field(default=None, max_length=100)
    source_system: str | None = Field(default=None, max_length=100)
    committee: str | None = Field(default=None, max_length=300)


class Event(SQLModel, table=True):
    """Items about the same real-world happening."""

    id: int | None = Field(default=None, primary_key=True)
    headline: str
    event_date: datetime = _dt(nullable=False, index=True)
    lead_item_id: int | None = None
    created_at: datetime = _dt(nullable=False)


class FetchHost(SQLModel, table=True):
    """One host the workers fetch from: whose turn it is, and when it may be asked again.

    A worker holds a host's lease for the length of one request, so the whole
    fleet sends at most one request at a time to a host, and `next_request_at`
    keeps the minimum gap (or the host's Retry-After) between two of them.
    """

    __tablename__ = "fetch_host"

    host: str = Field(primary_key=True, max_length=300)
    lease_owner: str | None = Field(default=None, max_length=200)
    lease_until: datetime | None = _dt()
    next_request_at: datetime | None = _dt()


class WorkerBeat(SQLModel, table=True):
    """The last heartbeat of one fetch worker process (`tracker worker` or `serve`'s own)."""

    __tablename__ = "worker_beat"

    name: str = Field(primary_key=True, max_length=200)
    hostname: str = Field(max_length=200)
    pid: int
    embedded: bool = False
    state: str = Field(default="running", max_length=20)  # running | stopping | stopped
    started_at: datetime = _dt(nullable=False)
    beat_at: datetime = _dt(nullable=False)
    in_flight: int = 0
    fetched: int = 0
    failed: int = 0


class EventKey(SQLModel, table=True):
    """One blocking key of one grouped item: what event grouping looks neighbours up by.

    Derived from the item (`tracker.event_keys.stored_keys`), written when the
    item is placed in an event; it carries the item's date and demo mark so a
    lookup reads this table's index alone (migration 0011).
    """

    __table_args__ = (sa.Index("ix_event_key_lookup", "sample", "key", "published_at", "item_id"),)

    key: str = Field(max_length=120, primary_key=True)
    item_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
    published_at: datetime = _dt(nullable=False)
    sample: bool = False


class FetchLog(SQLModel, table=True):
    """One attempt to fetch (or ingest) one source."""

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    started_at: datetime = _dt(nullable=False)
    finished_at: datetime | None = _dt()
    http_status: int | None = None
    outcome: str = Field(max_length=20)  # ok | not-modified | error | partial
    new_count: int = 0
    updated_count: int = 0
    rejected_count: int = 0
    error: str | None = None


class User(SQLModel, table=True):
    """A member of staff who may edit from the site; readers need no account."""

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=80)
    password_hash: str = Field(max_length=300)
    role: str = Field(max_length=10)  # editor | admin
    created_at: datetime = _dt(nullable=False)
    failed_logins: int = 0
    locked_until: datetime | None = _dt()
    # Bumped by logging out and by a new password or role: a session cookie
    # carrying an older number no longer logs anyone in (migration 0008).
    session_generation: int = 0
    # The address their own alerts go to, set by `tracker set-email` (migration 0017):
    # /account/alerts lists and manages the subscriptions of this address.
    email: str | None = Field(default=None, max_length=254)


class AuditLog(SQLModel, table=True):
    """One change made by a person: who, when, what, and the record before and after."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _dt(nullable=False, index=True)
    actor: str = Field(max_length=80, index=True)
    action: str = Field(max_length=40)
    target_type: str = Field(max_length=20)
    target_id: str = Field(max_length=100)
    before: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(sa.JSON, nullable=True))


class CalendarEntry(SQLModel, table=True):
    """A dated happening an item states: a hearing, a markup, a comment deadline,
    an effective date (migration 0012). Derived at ingest (`tracker.calendar_dates`).

    `uid` is the iCalendar UID, kept for as long as the entry lives: a
    re-ingest that moves or cancels it bumps `sequence` and `modified_at`.
    `starts_at` is the start in UTC; an all-day entry starts at midnight UTC
    of its `day`.
    """

    __tablename__ = "calendar_entry"
    __table_args__ = (sa.Index("ix_calendar_entry_starts", "starts_at", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(max_length=200, unique=True)
    item_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str = Field(max_length=20)  # hearing | markup | comments-close | effective | deadline
    summary: str
    day: date
    starts_at: datetime = _dt(nullable=False)
    all_day: bool = True
    status: str = Field(default="confirmed", max_length=10)  # confirmed | cancelled
    sequence: int = 0
    created_at: datetime = _dt(nullable=False)
    modified_at: datetime = _dt(nullable=False)
    sample: bool = False


class ItemVersion(SQLModel, table=True):
    """An item's title and text as they were before a change replaced them (migration 0013).

    Written by ingest in the transaction that changes the item: `seq` and
    `valid_from` are the replaced version's own sequence number and change
    time, `replaced_at` when the newer one arrived. Read with
    `tracker.store.item_versions.item_history`.
    """

    __tablename__ = "item_version"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    seq: int = Field(sa_type=sa.BigInteger)
    title: str
    summary_html: str = ""
    text: str = ""
    url: str | None = Field(default=None, max_length=2000)
    content_hash: str = Field(max_length=64)
    valid_from: datetime = _dt(nullable=False)
    replaced_at: datetime = _dt(nullable=False)


class AlertSubscription(SQLModel, table=True):
    """One address following one view (a listing or a search, with its filters) by email.

    Nothing is mailed before `confirmed_at` (double opt-in). `last_sent_seq` is
    the highest item sequence number already decided for it: items of the view
    above it are news for the next digest (migration 0015).
    """

    __tablename__ = "alert_subscription"
    __table_args__ = (sa.UniqueConstraint("email", "path", "query", name="uq_alert_subscription"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    path: str = Field(max_length=300)  # the view's page: "/topics/distillation"
    query: str = Field(default="", max_length=800)  # its filters, canonical: "type=letter"
    label: str = Field(default="", max_length=300)
    frequency: str = Field(default="daily", max_length=10)  # immediate | daily | weekly
    token: str = Field(max_length=64)  # secret in every signed link; a new one revokes them
    site: str = Field(default="", max_length=300)  # the address links use without BASE_URL
    created_at: datetime = _dt(nullable=False)
    confirmed_at: datetime | None = _dt()
    unsubscribed_at: datetime | None = _dt()
    last_sent_seq: int = Field(default=0, sa_type=sa.BigInteger)
    last_digest_at: datetime | None = _dt()
    # Webhooks (migration 0018): JSON posted to this URL as well as (or, with
    # webhook_only, instead of) the digest mail, signed with webhook_secret.
    webhook_url: str = Field(default="", max_length=2000)
    webhook_style: str = Field(default="json", max_length=10)  # json | slack
    webhook_secret: str = Field(default="", max_length=64)  # made, and shown once, on confirm
    webhook_only: bool = False


class AlertOutbox(SQLModel, table=True):
    """One mail to send: written in the transaction that decided it, sent afterwards."""

    __tablename__ = "alert_outbox"
    __table_args__ = (sa.Index("ix_alert_outbox_due", "sent_at", "failed_at", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("alert_subscription.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    kind: str = Field(max_length=10)  # confirm | digest | webhook
    items: list[dict[str, Any]] = _json(list)
    created_at: datetime = _dt(nullable=False)
    attempts: int = 0
    next_attempt_at: datetime = _dt(nullable=False)
    claimed_until: datetime | None = _dt()
    sent_at: datetime | None = _dt()
    failed_at: datetime | None = _dt()
    last_error: str | None = None


class AlertSent(SQLModel, table=True):
    """One version of one item, decided for one subscription: never listed twice.

    The primary key is the rule: an item is in at most one mail per
    subscription for each version of its content; a later version is listed
    again, as "updated".
    """

    __tablename__ = "alert_sent"

    subscription_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("alert_subscription.id", ondelete="CASCADE"),
            primary_key=True,
        )
    )
    item_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("item.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
    content_hash: str = Field(max_length=64, primary_key=True)
    item_seq: int = Field(sa_type=sa.BigInteger)
    outbox_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("alert_outbox.id", ondelete="SET NULL"), nullable=True
        ),
    )
