"""`/calendar` and every listing's `.ics`: hearings, markups, comment deadlines, effective dates.

The same listing in three addresses, as for feeds:

* `/calendar`, `/calendar.ics`: everything; `?topic=`, `entity=`, `source=`,
  `bill=` (a key, `119-hr-8283`) and `type=` narrow it;
* `/topics/<slug>/calendar(.ics)`, `/entities/<slug>/…`, `/sources/<slug>/…`,
  `/types/<type>/…` and `/bills/<congress>/<hr8283>/calendar(.ics)`.

The `.ics` answers conditional GET (ETag and Last-Modified from the
calendar's own version, 304 when the subscriber is current), so a calendar
app polling every few minutes costs one aggregate query.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import groupby
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    render_template,
    request,
    url_for,
)
from sqlmodel import Session, select

from tracker.calendar_dates import KIND_LABELS
from tracker.models import Entity, Source, Topic
from tracker.store import calendar
from tracker.store.calendar import CalendarRow
from tracker.store.listings import ListingFilter
from tracker.types import DOC_TYPE_LABELS
from tracker.web import conditional, site_url
from tracker.web.context import db
from tracker.web.ics import BodyMemo, render_ics
from tracker.web.listing_args import listing_filter

bp = Blueprint("calendar", __name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EASTERN = ZoneInfo("America/New_York")  # where Congress meets and agencies date deadlines
PAGE_AHEAD, PAGE_PAST = 150, 50  # the past: the latest entries before today, however old
ICS_AHEAD, ICS_PAST = 1000, 500  # the past, as on the page: the latest before today
ICS_TYPE = "text/calendar; charset=utf-8"
_BILL = re.compile(r"^([a-z]{1,7})([1-9][0-9]{0,5})$")


@dataclass(frozen=True)
class Shown:
    """One entry on the page: its row and how its time reads."""

    row: CalendarRow
    when: str  # "10:00 AM EDT", or "All day"
    iso: str
    kind_label: str
    type_label: str
    headline: str  # the entry's summary without its kind: the item, and a bill's action


@dataclass(frozen=True)
class Day:
    day: date
    entries: list[Shown]


def init_app(app: Flask) -> None:
    # Per app, as each app may read its own database: calendar versions and
    # whole .ics bodies, both remembered until something changes.
    app.extensions["tracker.calendar_versions"] = calendar.HeadMemo()
    app.extensions["tracker.calendar_bodies"] = BodyMemo()
    app.register_blueprint(bp)


@bp.get("/calendar")
def everything() -> str:
    """Every calendar entry, narrowed by the query string."""
    return _page(listing_filter(), "Calendar")


@bp.get("/calendar.ics")
def everything_ics() -> Response:
    return _ics(listing_filter(), "Policy Tracker")


def _listing_view(kind: str, ext: str):  # type: ignore[no-untyped-def]
    def view(slug: str, congress: int | None = None) -> Response | str:
        with db() as session:
            base, name = _listing(session, kind, slug, congress)
        f = listing_filter(base)
        return _ics(f, name) if ext else _page(f, f"Calendar: {name}")

    view.__name__ = f"calendar_{kind}{ext.replace('.', '_')}"
    return view


for _prefix, _kind in (("/topics/<slug>", "topic"), ("/entities/<slug>", "entity"),
                      ("/sources/<slug>", "source"), ("/types/<slug>", "type"),
                      ("/bills/<id:congress>/<slug>", "bill")):  # fmt: skip
    for _ext in ("", ".ics"):
        bp.add_url_rule(f"{_prefix}/calendar{_ext}", f"{_kind}{_ext.replace('.', '_')}",
                        _listing_view(_kind, _ext))  # fmt: skip


def _listing(
    session: Session, kind: str, slug: str, congress: int | None
) -> tuple[ListingFilter, str]:
    """The listing's filter and name; 404 for a topic, entity, source or bill not known."""
    if kind == "bill":
        match = _BILL.match(slug)
        if not match or congress is None or not 0 < congress < 1000:
            abort(404, description=f"There is no bill {congress}/{slug}.")
        label = f"{match.group(1).upper()} {match.group(2)} ({congress}th Congress)"
        return ListingFilter(bill=f"{congress}-{match.group(1)}-{match.group(2)}"), label
    if kind == "type":
        if slug not in DOC_TYPE_LABELS:
            abort(404, description=f"There is no document type {slug!r}.")
        return ListingFilter(doc_type=slug), DOC_TYPE_LABELS[slug]
    found: Topic | Entity | Source | None
    if kind == "topic":
        found, f = session.get(Topic, slug), ListingFilter(topic=slug)
    elif kind == "entity":
        found, f = session.get(Entity, slug), ListingFilter(entity=slug)
    else:
        found = session.exec(select(Source).where(Source.slug == slug)).first()
        f = ListingFilter(source=slug)
    if found is None:
        abort(404, description=f"There is no {kind} {slug!r}.")
    return f, found.name


def _today() -> datetime:
    """Where "upcoming" starts: midnight UTC of today's date on Eastern time.

    All-day entries start at midnight UTC of their day, so a deadline today
    still counts as upcoming all day long."""
    day = datetime.now(UTC).astimezone(EASTERN).date()
    return datetime.combine(day, time(), UTC)


def _page(f: ListingFilter, title: str) -> str:
    boundary = _today()
    with db() as session:
        ahead = calendar.upcoming(session, f, boundary, PAGE_AHEAD)
        past = calendar.recent(session, f, EPOCH, boundary, PAGE_PAST)
    return render_template(
        "calendar.html",
        title=title,
        ahead=_days(ahead),
        past=_days(past),
        ahead_count=len(ahead),
        past_count=len(past),
        ics_url=site_url.url(request.path + ".ics", list(request.args.items(multi=True))),
    )


def _ics(f: ListingFilter, name: str) -> Response:
    boundary = _today()
    read: list[list[CalendarRow]] = []

    def window() -> list[CalendarRow]:
        rows = calendar.recent(session, f, EPOCH, boundary, ICS_PAST)[::-1]
        rows += calendar.upcoming(session, f, boundary, ICS_AHEAD)
        read.append(rows)
        return rows

    def version() -> tuple[str, datetime | None]:
        """A digest of everything the file is written from, and its latest change."""
        rows = window()
        digest = hashlib.blake2b(repr(rows).encode(), digest_size=16).hexdigest()
        return digest, max((r.modified_at for r in rows), default=None)

    memo: calendar.HeadMemo[tuple[str, datetime | None]]
    memo = current_app.extensions["tracker.calendar_versions"]
    bodies: BodyMemo = current_app.extensions["tracker.calendar_bodies"]
    with db() as session:
        digest, modified = memo.value(session, (f, boundary), version)
        v = conditional.validators("ics", name, digest, changed=modified)
        fresh = conditional.not_modified(v)
        if fresh is not None:
            return fresh
        body = bodies.get(v.etag)
        if body is None:
            rows = read[0] if read else window()
            item_url = site_url.root() + url_for("pages.item", item_id=0).removesuffix("0")
            body = render_ics(name, rows, item_url + "{}", site_url.here())
            bodies.put(v.etag, body)
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = ICS_TYPE
    return conditional.stamp(response, v)


def coming_up(session: Session, limit: int) -> list[tuple[date, Shown]]:
    """The next `limit` entries of every listing from today on, each with its day
    (the front page's "Upcoming")."""
    rows = calendar.upcoming(session, ListingFilter(), _today(), limit)
    return [(_local_day(shown), shown) for shown in map(_shown, rows)]


def _days(rows: list[CalendarRow]) -> list[Day]:
    shown = [_shown(r) for r in rows]
    return [Day(day, list(group)) for day, group in groupby(shown, key=_local_day)]


def _local_day(shown: Shown) -> date:
    row = shown.row
    return row.day if row.all_day else row.starts_at.astimezone(EASTERN).date()


def _shown(row: CalendarRow) -> Shown:
    if row.all_day:
        when, iso = "All day", row.day.isoformat()
    else:
        local = row.starts_at.astimezone(EASTERN)
        when = f"{local:%-I:%M %p} {local.tzname()}"
        iso = row.starts_at.astimezone(UTC).isoformat()
    kind = KIND_LABELS.get(row.kind, row.kind)
    return Shown(
        row=row, when=when, iso=iso, kind_label=kind,
        type_label=DOC_TYPE_LABELS.get(row.doc_type, row.doc_type),
        headline=row.summary.removeprefix(f"{kind}: ").removeprefix("Deadline "),
    )  # fmt: skip
