"""The admin's source form: read, validated like a sources.toml table, and refilled.

A form that fails validation is shown again with what was typed and one line
saying what to change; nothing is stored until the whole form is valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tracker.inputs import whole_number
from tracker.models import Source
from tracker.sources import MAX_INTERVAL, SourceConfigError, source_from_fields
from tracker.types import DOC_TYPES, SOURCE_KINDS, SourceConfig

FIELDS = ("slug", "name", "kind", "url", "doc_type", "owner", "homepage", "interval_minutes")


@dataclass
class SourceForm:
    """What the form shows: values as typed, and an error if they cannot be used."""

    values: dict[str, str] = field(default_factory=dict)
    selectors: str = ""
    error: str = ""
    kinds: tuple[str, ...] = SOURCE_KINDS
    doc_types: tuple[str, ...] = DOC_TYPES

    @classmethod
    def empty(cls) -> SourceForm:
        return cls(values={"kind": "rss", "doc_type": "news", "interval_minutes": "60"})

    @classmethod
    def of(cls, source: Source) -> SourceForm:
        """The form filled with a stored source's settings."""
        values = {name: "" if getattr(source, name) is None else str(getattr(source, name))
                  for name in FIELDS}  # fmt: skip
        lines = "\n".join(f"{k} = {v}" for k, v in source.selectors.items())
        return cls(values=values, selectors=lines)

    @classmethod
    def read(cls, form: Mapping[str, str], slug: str | None = None) -> SourceForm:
        """The posted values; `slug` fixes the slug of a source being edited."""
        values = {name: form.get(name, "").strip() for name in FIELDS}
        if slug is not None:
            values["slug"] = slug
        return cls(values=values, selectors=form.get("selectors", ""))

    def config(self) -> SourceConfig | None:
        """The validated configuration, or None with `error` set."""
        v = self.values
        try:
            selectors = _selectors(self.selectors)
            interval = whole_number(v["interval_minutes"] or "60", "The interval", 1, MAX_INTERVAL)
        except ValueError as exc:
            self.error = str(exc)
            return None
        homepage = v["homepage"] or None
        if homepage and urlsplit(homepage).scheme not in {"http", "https"}:
            self.error = "The homepage must be an http or https address."
            return None
        fields = {
            **v,
            "doc_type": v["doc_type"] or "news",
            "owner": v["owner"] or None,
            "homepage": homepage,
            "interval_minutes": interval,
            "selectors": selectors,
        }
        try:
            return source_from_fields(fields)
        except SourceConfigError as exc:
            # "form:?: url of 'x' must be ..." → the reason alone
            self.error = str(exc).split(": ", 1)[-1]
            return None


def _selectors(text: str) -> dict[str, str]:
    """`name = css selector` lines (html sources) as a mapping."""
    found = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, css = line.partition("=")
        if not sep or not name.strip() or not css.strip():
            raise ValueError(f"selector line {line.strip()!r} must read: name = css selector")
        found[name.strip()] = css.strip()
    return found
