"""The /search page: every parameter lives in the URL, so a search can be shared.

Parameters: ``q``; ``type``, ``topic``, ``entity``, ``source`` (repeatable,
added by the facet links); ``bill``; ``from`` and ``to`` (inclusive days);
``sort`` (relevance or newest); ``page``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, g, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from tracker import inputs, search
from tracker.store import demo
from tracker.web.context import db, settings
from tracker.web.discovery import feed_links
from tracker.web.filters import chip_label, doc_type_label, source_name

bp = Blueprint("search", __name__)

PER_PAGE = 20
FACETS = (
    ("type", "types", "Document type"),
    ("topic", "topics", "Topic"),
    ("entity", "entities", "Entity"),
    ("source", "sources", "Source"),
)
FACET_VALUES_SHOWN = 12


@dataclass(frozen=True)
class SearchParams:
    """What the URL asks for, read leniently: a bad value is dropped with a note."""

    q: str = ""
    types: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    bill: str = ""
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1
    problems: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args: MultiDict[str, str]) -> SearchParams:
        problems = []
        dates = {}
        for name in ("from", "to"):
            raw = args.get(name, "").strip()
            try:
                dates[name] = inputs.day(raw, f"'{name}'") if raw else None
            except inputs.InputError:
                dates[name] = None
                problems.append(f"{inputs.shown(raw)} is not a date like 2026-04-01 from "
                                f"{inputs.FIRST_DAY.year} to {inputs.LAST_DAY.year}, "
                                "so it was ignored.")  # fmt: skip
        sort = args.get("sort", "relevance")
        return cls(
            q=args.get("q", "").strip()[:500],
            types=_values(args, "type"),
            topics=_values(args, "topic"),
            entities=_values(args, "entity"),
            sources=_values(args, "source"),
            bill=args.get("bill", "").strip(),
            date_from=dates["from"],
            date_to=dates["to"],
            sort=sort if sort in search.SORTS else "relevance",
            page=max(1, args.get("page", 1, type=int) or 1),
            problems=tuple(problems),
        )

    def filters(self) -> search.Filters:
        return search.Filters(
            types=self.types,
            topics=self.topics,
            entities=self.entities,
            sources=self.sources,
            bill=self.bill or None,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def is_blank(self) -> bool:
        return not self.q and self.filters().is_empty()

    def url(self, **changes: Any) -> str:
        """This search's URL with some parameters changed (page 1 unless given)."""
        changed = replace(self, **{"page": 1, **changes})
        args: dict[str, Any] = {
            "q": changed.q,
            "type": list(changed.types),
            "topic": list(changed.topics),
            "entity": list(changed.entities),
            "source": list(changed.sources),
            "bill": changed.bill,
            "from": changed.date_from.isoformat() if changed.date_from else "",
            "to": changed.date_to.isoformat() if changed.date_to else "",
            "sort": "" if changed.sort == "relevance" else changed.sort,
            "page": changed.page if changed.page > 1 else "",
        }
        # url_for once per request, then plain query strings: a results page
        # links to itself some fifty times (facets, sorts, pages, suggestion).
        if "search_path" not in g:
            g.search_path = url_for("search.search_page")
        query = urlencode({k: v for k, v in args.items() if v}, doseq=True)
        return f"{g.search_path}?{query}" if query else g.search_path


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))[:10]


@bp.get("/search")
def search_page() -> str:
    params = SearchParams.from_args(request.args)
    result = None
    if not params.is_blank():
        result = search.search(
            settings(),
            params.q,
            filters=params.filters(),
            sort=params.sort,
            page=params.page,
            per_page=PER_PAGE,
            collapse=True,
        )
    notices = [*params.problems, *([result.notice] if result and result.notice else [])]
    with db() as session:
        snapshot_sources = demo.sample_sources(session)
    context = {
        "snapshot_sources": snapshot_sources,
        "params": params,
        "result": result,
        "notices": notices,
        "cards": _cards(result) if result else [],
        "suggestion_url": params.url(q=result.suggestion) if result and result.suggestion else None,
        "feeds": feed_links(),
        "facets": _facet_links(params, result) if result else [],
        "active": _active_filters(params),
        "sort_links": {name: params.url(sort=name) for name in search.SORTS},
        "previous_url": params.url(page=params.page - 1) if params.page > 1 else None,
        "next_url": params.url(page=params.page + 1) if result and result.has_next else None,
    }
    return render_template("search.html", **context)


def _cards(result: search.SearchResult) -> list[dict[str, Any]]:
    """The topics and entities the query names, each linking to its timeline."""
    return [
        {"card": card, "url": url_for(f"pages.{card.kind}", slug=card.slug)}
        for card in result.cards
    ]


def _facet_links(params: SearchParams, result: search.SearchResult) -> list[dict[str, Any]]:
    """Each facet's values with counts, and the URL that adds (or drops) each one."""
    groups = []
    for name, attribute, label in FACETS:
        chosen: tuple[str, ...] = getattr(params, attribute)
        values = []
        for value, count in result.facets.get(name, [])[:FACET_VALUES_SHOWN]:
            active = value in chosen
            after = tuple(v for v in chosen if v != value) if active else (*chosen, value)
            values.append(
                {
                    "value": value,
                    "label": value_label(name, value),
                    "count": count,
                    "active": active,
                    "url": params.url(**{attribute: after}),
                }
            )
        if values:
            groups.append({"name": name, "label": label, "values": values})
    return groups


def value_label(facet: str, value: str) -> str:
    """What a reader calls a facet's value: a type's, tag's or source's name."""
    if facet == "type":
        return doc_type_label(value)
    if facet == "source":
        return source_name(value)
    return chip_label(value)


def _active_filters(params: SearchParams) -> list[dict[str, str]]:
    """The filters in force, each with the URL that removes it."""
    active = []
    for name, attribute, heading in FACETS:
        chosen: tuple[str, ...] = getattr(params, attribute)
        for value in chosen:
            rest = tuple(v for v in chosen if v != value)
            label = f"{heading}: {value_label(name, value)}"
            active.append({"label": label, "url": params.url(**{attribute: rest})})
    if params.bill:
        active.append({"label": f"Bill: {params.bill}", "url": params.url(bill="")})
    if params.date_from:
        active.append({"label": f"From {params.date_from}", "url": params.url(date_from=None)})
    if params.date_to:
        active.append({"label": f"To {params.date_to}", "url": params.url(date_to=None)})
    return active
