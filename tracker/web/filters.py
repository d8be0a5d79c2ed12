"""Template filters: dates, counts and labels are formatted here, not in templates."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from markupsafe import Markup, escape

DOC_TYPE_LABELS = {
    "memo": "Memo",
    "export-control": "Export control",
    "letter": "Letter",
    "bill": "Bill",
    "rule": "Rule",
    "hearing": "Hearing",
    "report": "Report",
    "press-release": "Press release",
    "news": "News",
}


def date_label(value: datetime | None) -> str:
    """'10 Jun 2026'."""
    return value.strftime("%-d %b %Y") if value else ""


def time_tag(value: datetime | None, undated: bool = False) -> Markup:
    """A <time> element: the clear date, the exact UTC time on hover."""
    if value is None:
        return Markup("")
    value = value.astimezone(UTC)
    exact = value.strftime("%Y-%m-%d %H:%M UTC")
    label = date_label(value) + (" (undated; fetched)" if undated else "")
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        value.isoformat(), exact, label
    )


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 item', '3 items'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def doc_type_label(value: str) -> str:
    return DOC_TYPE_LABELS.get(value, value.replace("-", " ").capitalize())


def slug_label(slug: str) -> str:
    return escape(slug.replace("-", " "))


def init_app(app: Flask) -> None:
    """Register every filter on `app`."""
    app.add_template_filter(date_label)
    app.add_template_filter(time_tag)
    app.add_template_filter(plural)
    app.add_template_filter(doc_type_label)
    app.add_template_filter(slug_label)
    app.jinja_env.globals["now"] = lambda: datetime.now(UTC)
