"""Template filters: dates, counts and labels are formatted here, not in templates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Flask, g, url_for
from markupsafe import Markup, escape

from tracker.store.directory import tag_names
from tracker.store.item_index import source_names
from tracker.types import DOC_TYPE_LABELS
from tracker.web.context import db


def date_label(value: datetime | date | None) -> str:
    """'10 Jun 2026'."""
    return value.strftime("%-d %b %Y") if value else ""


def time_tag(value: datetime | date | None, undated: bool = False) -> Markup:
    """A <time> element: the clear date, the exact UTC time on hover."""
    if value is None:
        return Markup("")
    if not isinstance(value, datetime):  # a day with no time, like a bill action's
        return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), date_label(value))
    value = value.astimezone(UTC)
    exact = value.strftime("%Y-%m-%d %H:%M UTC")
    label = date_label(value) + (" (undated; fetched)" if undated else "")
    # Digits, month names, signs and colons only: nothing to escape. Written
    # without Markup.format, whose escaping of each part was most of the cost of
    # a timeline's forty dates.
    return Markup(f'<time datetime="{value.isoformat()}" title="{exact}">{label}</time>')


def minute_tag(value: datetime | None) -> Markup:
    """A <time> element to the minute, in UTC: '4 Dec 2026, 22:14 UTC'."""
    if value is None:
        return Markup("")
    value = value.astimezone(UTC)
    label = f"{date_label(value)}, {value:%H:%M} UTC"
    return Markup('<time datetime="{}">{}</time>').format(value.isoformat(), label)


def day_tag(value: str | date | None) -> Markup:
    """A day stored as ``2026-04-15`` (a JSON column) as a <time> element."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return Markup("")
    return time_tag(value)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 item', '3 items'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def doc_type_label(value: str) -> str:
    return DOC_TYPE_LABELS.get(value, value.replace("-", " ").capitalize())


def slug_label(slug: str) -> str:
    return escape(slug.replace("-", " "))


BILL_TYPE_LABELS = {
    "hr": "H.R.", "s": "S.", "hres": "H.Res.", "sres": "S.Res.", "hjres": "H.J.Res.",
    "sjres": "S.J.Res.", "hconres": "H.Con.Res.", "sconres": "S.Con.Res.",
}  # fmt: skip
STAGE_LABELS = {
    "introduced": "Introduced",
    "referred": "Referred to committee",
    "committee": "Referred to committee",  # rows stored before migration 0007
    "reported": "Reported by committee",
    "passed-one": "Passed one chamber",
    "resolving": "Resolving differences",
    "passed-both": "Passed both chambers",
    "president": "To the President",
    "law": "Became law",
    "vetoed": "Vetoed",
    "failed": "Failed",
}
CHIP_MAX = 34  # longer names show shortened (a committee's) or as their acronym
# "Senate Committee on Banking, Housing, and Urban Affairs" → "Senate Banking Committee"
_COMMITTEE = re.compile(r"^(House|Senate) Committee on (?:the )?([^,]+?)(?:,.*)?$")


def bill_label(bill_type: str, number: int) -> str:
    """("hr", 9368) → 'H.R. 9368'."""
    return f"{BILL_TYPE_LABELS.get(bill_type, bill_type.upper())} {number}"


def stage_label(stage: str) -> str:
    return STAGE_LABELS.get(stage, stage.replace("-", " ").capitalize())


def _names() -> dict[str, str]:
    # Loaded once per request: chips on every card name their tag.
    if "tag_names" not in g:
        with db() as session:
            g.tag_names = tag_names(session)
    return g.tag_names  # type: ignore[no-any-return]


def tag_name(slug: str) -> str:
    """The taxonomy's name for a tag, or its slug in words if it has none."""
    name = _names().get(slug)
    return name if name is not None else slug.replace("-", " ")


def item_url(item_id: int) -> str:
    """`url_for("pages.item", item_id=...)`, the rule built once per request: an
    event's card links every one of its items, hundreds for a large event."""
    prefix = g.get("item_url_prefix")
    if prefix is None:  # the id converter writes an id as its digits
        prefix = g.item_url_prefix = url_for("pages.item", item_id=1)[:-1]
    return f"{prefix}{item_id}"


@dataclass(frozen=True)
class Chip:
    """What a tag's chip shows: its page, its full name and its short label."""

    url: str
    name: str
    label: str


def tag_chip(slug: str, kind: str) -> Chip:
    """The chip of topic or entity `slug`, made once per request: a timeline's cards
    repeat the same few tags, each chip a link, a name and a label to work out."""
    if "tag_chips" not in g:
        g.tag_chips = {}
    chips: dict[tuple[str, str], Chip] = g.tag_chips
    found = chips.get((slug, kind))
    if found is None:
        url = url_for("pages.topic" if kind == "topic" else "pages.entity", slug=slug)
        found = chips[(slug, kind)] = Chip(url, tag_name(slug), chip_label(slug))
    return found


def chip_label(slug: str) -> str:
    """A tag's name, short enough for a chip: "BIS", "Senate Banking Committee".

    Always made from the name (an acronym of it, or a committee's short name),
    never from the slug's words, so a tag reads the same in every place.
    """
    name = tag_name(slug)
    if len(name) <= CHIP_MAX:
        return name
    if "-" not in slug and len(slug) <= 5 and _initials(name).startswith(slug[0].upper()):
        return slug.upper()  # an acronym of the name: bis, iaps, ndaa
    found = _COMMITTEE.match(name)
    if found:
        return f"{found.group(1)} {found.group(2)} Committee"
    return name


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[:1].isupper())


def _sources() -> dict[str, str]:
    if "source_names" not in g:
        with db() as session:
            g.source_names = source_names(session)
    return g.source_names  # type: ignore[no-any-return]


def source_name(slug: str) -> str:
    """A source's name for its slug ("demo-news" → "Demo snapshot: news reports")."""
    return _sources().get(slug, slug)


def day_range(start: datetime, end: datetime) -> str:
    """A half-open range of days, [start, end), as people write it: '6–12 Nov 2026'."""
    last = end - timedelta(microseconds=1)
    if (start.year, start.month) == (last.year, last.month):
        return f"{start.day}–{date_label(last)}"
    if start.year == last.year:
        return f"{start.strftime('%-d %b')} – {date_label(last)}"
    return f"{date_label(start)} – {date_label(last)}"


def init_app(app: Flask) -> None:
    """Register every filter on `app`."""
    for func in (
        bill_label,
        stage_label,
        tag_name,
        chip_label,
        tag_chip,
        item_url,
        source_name,
        day_range,
    ):
        app.add_template_filter(func)
    app.add_template_filter(date_label)
    app.add_template_filter(time_tag)
    app.add_template_filter(minute_tag)
    app.add_template_filter(day_tag)
    app.add_template_filter(plural)
    app.add_template_filter(doc_type_label)
    app.add_template_filter(slug_label)
    app.jinja_env.globals["now"] = lambda: datetime.now(UTC)
